import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Who called, as the verified access token says. */
export interface AccessTokenPrincipal {
  subject: string;
  session: string;
  roles: string[];
}

/**
 * The principal of a verified payload, or null when a claim this service relies on is missing or mistyped.
 * `exp` is required here because jsonwebtoken accepts a token without one, and such a token would never expire.
 */
export function principalOf(payload: Record<string, unknown>): AccessTokenPrincipal | null {
  const { sub, sid, roles, exp } = payload;
  if (typeof sub !== 'string' || sub === '' || typeof sid !== 'string' || sid === '' || typeof exp !== 'number') return null;
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) return null;
  return { subject: sub, session: sid, roles };
}

/** The principal BearerTokenGuard admitted. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<{ user: AccessTokenPrincipal }>().user,
);
