import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';
import passport from 'passport';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { ApiException } from '../../common/api-exception.js';
import { Metrics } from '../../metrics/metrics.service.js';
import { RevokedSessions } from '../../sessions/revoked-sessions.js';
import { ACCESS_TOKEN_STRATEGY, AccessTokenStrategy } from '../strategies/access-token.strategy.js';
import type { AccessTokenClaims } from '../../tokens/token-claims.js';
import { RouteAccessCache } from './route-metadata.js';
import { tokenError } from './token-errors.js';

/** What AuthGuard would hand passport.authenticate (PassportModule's defaults): no session. */
const AUTHENTICATE_OPTIONS = { session: false };

type AuthenticatedRequest = FastifyRequest & { user?: AccessTokenClaims };

/** What passport reported for one request. */
interface Outcome {
  error: unknown;
  claims: AccessTokenClaims | false;
  info: unknown;
}

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

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.routes.of(context).isPublic) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    // A token the strategy has verified before needs no second trip through Passport.
    const claims = this.strategy.verifiedClaims(request);
    if (claims) {
      request.user = this.admit(claims);
      return true;
    }
    return this.authenticate(request, http.getResponse<FastifyReply>());
  }

  /**
   * The strategy through passport.authenticate, as AuthGuard#canActivate runs it, without its per-request option
   * merging and promises: the key provider, the verifier and validate() are synchronous, so passport has answered
   * when the call returns and Nest gets a plain boolean. A strategy that answered later would still be awaited.
   */
  private authenticate(request: AuthenticatedRequest, reply: FastifyReply): boolean | Promise<boolean> {
    let outcome: Outcome | undefined;
    let later: ((outcome: Outcome) => void) | undefined;
    // Passport's callback, and its `next` (which it calls only for a strategy that passes, with no answer).
    const answer = (error: unknown, claims: AccessTokenClaims | false = false, info?: unknown): void => {
      outcome = { error, claims, info };
      later?.(outcome);
    };
    (passport.authenticate(ACCESS_TOKEN_STRATEGY, AUTHENTICATE_OPTIONS, answer) as (req: unknown, res: unknown, next: typeof answer) => void)(
      request,
      reply,
      answer,
    );
    if (outcome) return this.conclude(request, outcome);
    return new Promise<Outcome>((resolve) => (later = resolve)).then((settled) => this.conclude(request, settled));
  }

  private conclude(request: AuthenticatedRequest, { error, claims, info }: Outcome): true {
    request.user = this.handleRequest(error, claims, info);
    return true;
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
