import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiException } from '../../common/api-exception.js';
import type { AccessTokenClaims } from '../../tokens/token-claims.js';
import { RouteAccessCache } from './route-metadata.js';

/**
 * On the routes marked @Roles(...) (the decorator attaches it), after the global AccessTokenGuard: such a route needs
 * one of its roles in the verified access token.
 * Roles are read from the token, not the database, so a role change reaches the user with their next access token.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly routes: RouteAccessCache;

  constructor(reflector: Reflector) {
    this.routes = new RouteAccessCache(reflector);
  }

  canActivate(context: ExecutionContext): boolean {
    // A method's `@Roles()` lifts its class's roles: one cached lookup, and nothing else happens.
    const { isPublic, roles: required } = this.routes.of(context);
    if (isPublic || required === null) return true;
    const claims = context.switchToHttp().getRequest<{ user?: AccessTokenClaims }>().user;
    if (claims?.roles.some((role) => required.includes(role))) return true;
    throw new ApiException('forbidden');
  }
}
