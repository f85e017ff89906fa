import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { decodeHeader } from '../../tokens/jose-header.js';
import { KeyRing } from '../../tokens/key-ring.service.js';
import { ACCESS_TOKEN_TYPE, type PresentedRefreshToken, refreshClaimsOf } from '../../tokens/token-claims.js';
import { TokenSigner } from '../../tokens/token-signer.service.js';
import { bearerToken } from './bearer-token.js';

export const REFRESH_TOKEN_STRATEGY = 'refresh-token';
export const REFRESH_COOKIE = 'refresh_token';

/** Where a refresh token may come from: JSON body, the HttpOnly cookie, or `Authorization: Bearer`. */
export function locateRefreshToken(request: FastifyRequest): { token?: string; pairedAccessToken?: string } {
  const body = request.body as { refreshToken?: unknown } | undefined;
  const fromBody = typeof body === 'object' && body !== null && typeof body.refreshToken === 'string' ? body.refreshToken : undefined;
  const fromCookie = request.cookies?.[REFRESH_COOKIE];
  const bearer = bearerToken(request);
  const token = fromBody ?? fromCookie ?? bearer ?? undefined;
  const pairedAccessToken = bearer && bearer !== token && decodeHeader(bearer)?.typ === ACCESS_TOKEN_TYPE ? bearer : undefined;
  return { token, pairedAccessToken };
}

/** Verifies the refresh token's signature, type, issuer, audience and expiry; its state is checked at rotation. */
@Injectable()
export class RefreshTokenStrategy extends PassportStrategy(Strategy, REFRESH_TOKEN_STRATEGY) {
  constructor(keys: KeyRing, signer: TokenSigner, @Inject(tokensConfig.KEY) config: TokensConfig) {
    super({
      jwtFromRequest: (request: FastifyRequest) => locateRefreshToken(request).token ?? null,
      secretOrKeyProvider: keys.passportKeyProvider('refresh'),
      algorithms: keys.passportAlgorithms('refresh'),
      issuer: config.issuer,
      audience: signer.refreshAudience,
      passReqToCallback: true,
    });
  }

  validate(request: FastifyRequest, payload: Record<string, unknown>): PresentedRefreshToken | null {
    const claims = refreshClaimsOf(payload);
    const { token, pairedAccessToken } = locateRefreshToken(request);
    return claims && token ? { token, claims, pairedAccessToken } : null;
  }
}
