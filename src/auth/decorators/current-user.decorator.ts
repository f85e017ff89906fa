import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AccessTokenClaims, PresentedRefreshToken } from '../../tokens/token-claims.js';

type AuthenticatedRequest = FastifyRequest & { user?: unknown };

/** The verified access-token claims of the caller (set by AccessTokenStrategy). */
export const CurrentClaims = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().user as AccessTokenClaims,
);

/** The refresh token that RefreshTokenStrategy verified for this request. */
export const PresentedToken = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().user as PresentedRefreshToken,
);
