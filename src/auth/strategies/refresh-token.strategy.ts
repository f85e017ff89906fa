import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { inspectedTokenOf, installInspectedTokenVerifier } from '../../tokens/inspected-token.js';
import { decodeHeader } from '../../tokens/jose-header.js';
import { KeyRing } from '../../tokens/key-ring.service.js';
import { ACCESS_TOKEN_TYPE, type PresentedRefreshToken, refreshClaimsOf } from '../../tokens/token-claims.js';
import { TokenSigner } from '../../tokens/token-signer.service.js';
import { refreshCookieOf } from '../refresh-cookie.js';
import { bearerToken } from './bearer-token.js';

export const REFRESH_TOKEN_STRATEGY = 'refresh-token';

// The key provider hands passport-jwt an inspected token, which only this verifier understands (idempotent).
installInspectedTokenVerifier();

/** Where a refresh token may come from: JSON body, the HttpOnly cookie, or `Authorization: Bearer`. */
export function locateRefreshToken(request: FastifyRequest): string | null {
  const body = request.body as { refreshToken?: unknown } | undefined;
  const fromBody = typeof body === 'object' && body !== null && typeof body.refreshToken === 'string' ? body.refreshToken : undefined;
  return fromBody ?? refreshCookieOf(request) ?? bearerToken(request);
}

/** The access token sent in `Authorization` beside a refresh token from elsewhere, for the pair check. */
function pairedAccessTokenOf(request: FastifyRequest, refreshToken: string): string | undefined {
  const bearer = bearerToken(request);
  return bearer && bearer !== refreshToken && decodeHeader(bearer)?.typ === ACCESS_TOKEN_TYPE ? bearer : undefined;
}

/** Verifies the refresh token's signature, type, issuer, audience and expiry; its state is checked at rotation. */
@Injectable()
export class RefreshTokenStrategy extends PassportStrategy(Strategy, REFRESH_TOKEN_STRATEGY) {
  constructor(keys: KeyRing, signer: TokenSigner, @Inject(tokensConfig.KEY) config: TokensConfig) {
    super({
      jwtFromRequest: locateRefreshToken,
      secretOrKeyProvider: keys.passportKeyProvider('refresh'),
      algorithms: keys.passportAlgorithms('refresh'),
      issuer: config.issuer,
      audience: signer.refreshAudience,
      passReqToCallback: true,
    });
  }

  validate(request: FastifyRequest, payload: Record<string, unknown>): PresentedRefreshToken | null {
    const claims = refreshClaimsOf(payload);
    // The token KeyRing inspected for this request; only the paired access token is looked for again.
    const token = inspectedTokenOf(request)?.raw;
    return claims && token ? { token, claims, pairedAccessToken: pairedAccessTokenOf(request, token) } : null;
  }
}
