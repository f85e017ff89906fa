import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import passport from 'passport';
import type { AccessTokenPrincipal } from './access-token-principal.js';
import { bearerRefusal, MissingTokenError } from './bearer-refusal.js';
import { bearerToken, JwksAccessTokenStrategy } from './jwks-access-token.strategy.js';
import { RESOURCE_SERVER_CONFIG, type ResourceServerConfig } from './resource-server.config.js';

/** Admits a request with a valid access token of the authorization server; answers 401 (or 503) otherwise. */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly realm: string;

  constructor(
    @Inject(JwksAccessTokenStrategy) private readonly strategy: JwksAccessTokenStrategy,
    @Inject(RESOURCE_SERVER_CONFIG) config: ResourceServerConfig,
  ) {
    this.realm = config.audience;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AccessTokenPrincipal }>();
    const outcome = bearerToken(request) ? await this.authenticate(request) : { reason: new MissingTokenError() };
    if ('principal' in outcome) {
      request.user = outcome.principal;
      return true;
    }
    const { exception, headers } = bearerRefusal(outcome.reason, this.realm);
    void context.switchToHttp().getResponse<FastifyReply>().headers(headers);
    throw exception;
  }

  /**
   * Runs this module's strategy instance rather than looking one up by name (what AuthGuard does): passport's
   * registry is process-wide, so two resource servers in one process (as in the e2e test) would otherwise both
   * use whichever registered last. A fresh object per request, as passport makes for named strategies, because
   * passport attaches the request's callbacks to it.
   */
  private authenticate(request: FastifyRequest): Promise<{ principal: AccessTokenPrincipal } | { reason: unknown }> {
    return new Promise((resolve) => {
      const strategy = Object.create(this.strategy) as JwksAccessTokenStrategy;
      const middleware = passport.authenticate(strategy, { session: false }, (error: unknown, principal: AccessTokenPrincipal | false, info: unknown) =>
        resolve(principal ? { principal } : { reason: error ?? info }),
      ) as (request: unknown, response: unknown, next: (error?: unknown) => void) => void;
      middleware(request, undefined, (error) => resolve({ reason: error }));
    });
  }
}
