import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { inspectedTokenOf, installInspectedTokenVerifier } from '../../tokens/inspected-token.js';
import { KeyRing } from '../../tokens/key-ring.service.js';
import { accessClaimsOf, type AccessTokenClaims } from '../../tokens/token-claims.js';
import { VerifiedTokenCache } from '../../tokens/verified-token-cache.js';
import { bearerToken } from './bearer-token.js';

export const ACCESS_TOKEN_STRATEGY = 'access-token';

// passport-jwt verifies what KeyRing inspected: HS256 in one pass, EdDSA with node:crypto (jsonwebtoken has none),
// the other algorithms with jsonwebtoken.
installInspectedTokenVerifier();

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
    // The token and header KeyRing inspected for this very request: nothing is extracted or decoded again.
    const inspected = inspectedTokenOf(request);
    if (claims && inspected && inspected.signature.length >= 4) {
      this.verified.verified(inspected.raw, inspected.signature.readUInt32LE(0), { exp: claims.exp, kid: inspected.kid, claims });
    }
    return claims;
  }
}
