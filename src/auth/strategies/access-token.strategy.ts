import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { KeyRing } from '../tokens/key-ring.service.js';
import { accessClaimsOf, type AccessTokenClaims } from '../tokens/token-claims.js';

export const ACCESS_TOKEN_STRATEGY = 'access-token';

/** Verifies `Authorization: Bearer <access token>` without touching the database. */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  constructor(keys: KeyRing, @Inject(tokensConfig.KEY) config: TokensConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request: FastifyRequest, rawToken: string, done: (error: Error | null, key?: Buffer | string) => void) => {
        const key = keys.keyFor('access', rawToken);
        // passport-jwt's types say string | Buffer; jsonwebtoken takes the KeyObject (the fast path).
        if (key) done(null, key.key as unknown as Buffer);
        else done(new Error('not an access token of ours'));
      },
      algorithms: keys.algorithms('access'),
      issuer: config.issuer,
      audience: config.audience,
    });
  }

  /** Only the documented claims pass on, each of the right type; anything else is an invalid token. */
  validate(payload: Record<string, unknown>): AccessTokenClaims | null {
    return accessClaimsOf(payload);
  }
}
