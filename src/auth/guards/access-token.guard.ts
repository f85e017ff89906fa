import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { ApiException } from '../../common/api-exception.js';
import { Metrics } from '../../metrics/metrics.service.js';
import { RevokedSessions } from '../../sessions/revoked-sessions.js';
import { ACCESS_TOKEN_STRATEGY, AccessTokenStrategy } from '../strategies/access-token.strategy.js';
import type { AccessTokenClaims } from '../../tokens/token-claims.js';
import { RouteAccessCache } from './route-metadata.js';
import { tokenError } from './token-errors.js';

/** Global: every route needs a valid access token unless it is marked @Public(). */
@Injectable()
export class AccessTokenGuard extends AuthGuard(ACCESS_TOKEN_STRATEGY) {
  private readonly routes: RouteAccessCache;

  constructor(
    reflector: Reflector,
    private readonly strategy: AccessTokenStrategy,
    private readonly revoked: RevokedSessions,
    private readonly metrics: Metrics,
    @Inject(tokensConfig.KEY) private readonly config: TokensConfig,
  ) {
    super();
    this.routes = new RouteAccessCache(reflector);
  }

  override canActivate(context: ExecutionContext) {
    if (this.routes.of(context).isPublic) return true;
    // A token the strategy has verified before needs no second trip through Passport.
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AccessTokenClaims }>();
    const claims = this.strategy.verifiedClaims(request);
    if (claims) {
      request.user = this.admit(claims);
      return true;
    }
    return super.canActivate(context);
  }

  override handleRequest<T = AccessTokenClaims>(error: unknown, claims: T | false, info: unknown): T {
    if (claims) return this.admit(claims as unknown as AccessTokenClaims) as T;
    const refusal = tokenError(error ?? info, { missing: 'missing_token', expired: 'token_expired' }, this.config.issuer);
    this.metrics.accessToken(refusal.code === 'missing_token' ? 'missing' : refusal.code === 'token_expired' ? 'expired' : 'invalid');
    throw refusal;
  }

  /** A valid token of a session that has been ended is refused at once (in-memory check, no database read). */
  private admit(claims: AccessTokenClaims): AccessTokenClaims {
    if (!this.revoked.has(claims.sid)) {
      this.metrics.accessToken('valid');
      return claims;
    }
    this.metrics.accessToken('revoked');
    throw new ApiException('token_revoked', undefined, undefined, {
      'www-authenticate': `Bearer realm="${this.config.issuer}", error="invalid_token", error_description="The session has been ended"`,
    });
  }
}
