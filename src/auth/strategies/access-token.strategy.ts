import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { installEdDsaVerifier } from '../../tokens/eddsa-jws.js';
import { decodeHeader } from '../../tokens/jose-header.js';
import { KeyRing } from '../../tokens/key-ring.service.js';
import { accessClaimsOf, type AccessTokenClaims } from '../../tokens/token-claims.js';
import { VerifiedTokenCache } from '../../tokens/verified-token-cache.js';
import { bearerToken } from './bearer-token.js';

export const ACCESS_TOKEN_STRATEGY = 'access-token';

// jsonwebtoken, under passport-jwt, cannot verify EdDSA: tokens whose kid names an Ed25519 key go to node:crypto.
installEdDsaVerifier();

/** Verifies `Authorization: Bearer <access token>` without touching the database. */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  private readonly verified = new VerifiedTokenCache<{ exp: number; kid: string; claims: AccessTokenClaims }>();

  constructor(
    private readonly keys: KeyRing,
    @Inject(tokensConfig.KEY) config: TokensConfig,
  ) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKeyProvider: keys.passportKeyProvider('access'),
      algorithms: keys.passportAlgorithms('access'),
      issuer: config.issuer,
      audience: config.audience,
      passReqToCallback: true,
    });
  }

  /** The claims of a bearer token this strategy has already verified (same bytes, not expired, its key not retired). */
  verifiedClaims(request: { headers: IncomingHttpHeaders }): AccessTokenClaims | undefined {
    const token = bearerToken(request);
    const entry = token ? this.verified.get(token) : undefined;
    return entry && this.keys.isLiveAccessKey(entry.kid) ? entry.claims : undefined;
  }

  /** Only the documented claims pass on, each of the right type; anything else is an invalid token. */
  validate(request: FastifyRequest, payload: Record<string, unknown>): AccessTokenClaims | null {
    const claims = accessClaimsOf(payload);
    const token = bearerToken(request);
    const kid = token ? decodeHeader(token)?.kid : undefined;
    if (claims && token && typeof kid === 'string') this.verified.set(token, { exp: claims.exp, kid, claims });
    return claims;
  }
}
