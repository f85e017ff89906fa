import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { KeyRing } from '../tokens/key-ring.service.js';
import { accessClaimsOf, type AccessTokenClaims } from '../tokens/token-claims.js';
import { VerifiedTokenCache } from '../tokens/verified-token-cache.js';
import { bearerToken } from './bearer-token.js';

export const ACCESS_TOKEN_STRATEGY = 'access-token';

/** Verifies `Authorization: Bearer <access token>` without touching the database. */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  private readonly verified = new VerifiedTokenCache<AccessTokenClaims>();

  constructor(keys: KeyRing, @Inject(tokensConfig.KEY) config: TokensConfig) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKeyProvider: keys.passportKeyProvider('access'),
      algorithms: keys.algorithms('access'),
      issuer: config.issuer,
      audience: config.audience,
      passReqToCallback: true,
    });
  }

  /** The claims of a bearer token this strategy has already verified (same bytes, not yet expired). */
  verifiedClaims(request: { headers: IncomingHttpHeaders }): AccessTokenClaims | undefined {
    const token = bearerToken(request);
    return token ? this.verified.get(token) : undefined;
  }

  /** Only the documented claims pass on, each of the right type; anything else is an invalid token. */
  validate(request: FastifyRequest, payload: Record<string, unknown>): AccessTokenClaims | null {
    const claims = accessClaimsOf(payload);
    const token = bearerToken(request);
    if (claims && token) this.verified.set(token, claims);
    return claims;
  }
}
