import { applyDecorators, Inject, Injectable, UseGuards, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SkipThrottle, ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { ApiException } from '../../common/api-exception.js';
import { ApiErrors } from '../../common/api-errors.decorator.js';
import type { SecurityConfig } from '../../config/security.config.js';
import { Metrics } from '../../metrics/metrics.service.js';

export const RATE_LIMITED_ROUTES = ['login', 'signup', 'refresh'] as const;
export type RateLimitedRoute = (typeof RATE_LIMITED_ROUTES)[number];

/** One fixed-window limit per route and client IP (the IP Fastify resolved, honouring TRUST_PROXY). */
export function throttlerOptions(config: SecurityConfig): ThrottlerModuleOptions {
  return {
    throttlers: RATE_LIMITED_ROUTES.map((name) => ({ name, ttl: config.rateLimitWindowSeconds * 1000, limit: config.rateLimits[name] })),
    setHeaders: false, // the throttler would name its header Retry-After-<name>; we send the standard one
  };
}

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  @Inject(Metrics) private readonly metrics!: Metrics;

  protected override throwThrottlingException(context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    if (context.switchToHttp().getRequest<FastifyRequest>().routeOptions.url === '/auth/login') this.metrics.login('rate_limited');
    throw new ApiException('rate_limited', undefined, undefined, { 'retry-after': String(Math.max(1, Math.ceil(limit.timeToBlockExpire))) });
  }
}

/** Applies the route's own per-IP limit (and only that one), documented in Swagger as 429 rate_limited. */
export function RateLimited(route: RateLimitedRoute) {
  const others = Object.fromEntries(RATE_LIMITED_ROUTES.filter((name) => name !== route).map((name) => [name, true]));
  return applyDecorators(SkipThrottle(others), UseGuards(RateLimitGuard), ApiErrors('rate_limited'));
}
