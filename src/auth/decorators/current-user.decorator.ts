import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AccessTokenClaims, PresentedRefreshToken } from '../../tokens/token-claims.js';

type AuthenticatedRequest = FastifyRequest & { user?: unknown };

/** The verified access-token claims of the caller (set by AccessTokenGuard). */
export const CurrentClaims = createParamDecorator((_data: unknown, ctx: ExecutionContext) => claimsOf(ctx.switchToHttp().getRequest()));

/**
 * The same, read from the request: for a route as cheap as whoami, where Nest's handling of a custom parameter (the
 * global validation pipe runs on it, through promises, though it validates nothing there) is a share of the request.
 */
export function claimsOf(request: unknown): AccessTokenClaims {
  return (request as AuthenticatedRequest).user as AccessTokenClaims;
}

/** The refresh token that RefreshTokenStrategy verified for this request. */
export const PresentedToken = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().user as PresentedRefreshToken,
);
