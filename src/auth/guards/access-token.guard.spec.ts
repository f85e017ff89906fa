import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import passport from 'passport';
import { Strategy as PassportStrategyBase } from 'passport-strategy';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiException } from '../../common/api-exception.js';
import { ManualClock } from '../../common/clock.js';
import type { TokensConfig } from '../../config/tokens.config.js';
import { Metrics } from '../../metrics/metrics.service.js';
import { RevokedSessions } from '../../sessions/revoked-sessions.js';
import type { AccessTokenClaims } from '../../tokens/token-claims.js';
import { ACCESS_TOKEN_STRATEGY, type AccessTokenStrategy } from '../strategies/access-token.strategy.js';
import { AccessTokenGuard } from './access-token.guard.js';

class ProtectedController {
  route() {}
}

const CLAIMS = { sub: 'user-1', sid: 'session-1', roles: ['user'] } as unknown as AccessTokenClaims;

/** A strategy under the access-token name that answers when told to: at once, or on a later tick. */
class ScriptedStrategy extends PassportStrategyBase {
  constructor(private readonly answer: 'now' | 'later', private readonly result: 'claims' | 'refusal') {
    super();
  }

  override authenticate(): void {
    const settle = () => (this.result === 'claims' ? this.success(CLAIMS) : this.fail('nope', 401));
    if (this.answer === 'now') settle();
    else setTimeout(settle, 5);
  }
}

function guardAndContext() {
  const config = { issuer: 'test-issuer', accessTtlSeconds: 900 } as TokensConfig;
  // No memo hit: every request goes through passport.
  const strategy = { verifiedClaims: () => undefined } as unknown as AccessTokenStrategy;
  const revoked = new RevokedSessions(config, new ManualClock());
  const guard = new AccessTokenGuard(new Reflector(), strategy, revoked, new Metrics({ port: undefined, token: undefined } as never), config);
  const request: { headers: Record<string, string>; user?: AccessTokenClaims } = { headers: {} };
  const context = {
    getHandler: () => (ProtectedController.prototype as unknown as Record<string, object>).route,
    getClass: () => ProtectedController,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
  return { guard, request, context };
}

describe('AccessTokenGuard', () => {
  afterEach(() => passport.unuse(ACCESS_TOKEN_STRATEGY));

  it('answers without a promise when the strategy answers synchronously (as ours does)', () => {
    passport.use(ACCESS_TOKEN_STRATEGY, new ScriptedStrategy('now', 'claims'));
    const { guard, request, context } = guardAndContext();
    expect(guard.canActivate(context)).toBe(true);
    expect(request.user).toBe(CLAIMS);
  });

  it('still awaits a strategy that answers later, and puts its claims on the request', async () => {
    passport.use(ACCESS_TOKEN_STRATEGY, new ScriptedStrategy('later', 'claims'));
    const { guard, request, context } = guardAndContext();
    const answer = guard.canActivate(context);
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).resolves.toBe(true);
    expect(request.user).toBe(CLAIMS);
  });

  it('refuses with 401 invalid_token whether the refusal comes at once or later', async () => {
    for (const timing of ['now', 'later'] as const) {
      passport.use(ACCESS_TOKEN_STRATEGY, new ScriptedStrategy(timing, 'refusal'));
      const { guard, request, context } = guardAndContext();
      const refusal = await Promise.resolve()
        .then(() => guard.canActivate(context))
        .catch((error: unknown) => error);
      expect(refusal, timing).toBeInstanceOf(ApiException);
      expect((refusal as ApiException).code, timing).toBe('invalid_token');
      expect(request.user, timing).toBeUndefined();
    }
  });
});
