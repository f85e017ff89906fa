import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiException } from '../../common/api-exception.js';
import { IS_PUBLIC } from '../decorators/public.decorator.js';
import { ROLES } from '../decorators/roles.decorator.js';
import type { AccessTokenClaims } from '../../tokens/token-claims.js';

/**
 * Global, after AccessTokenGuard: a route marked @Roles(...) needs one of its roles in the verified access token.
 * Roles are read from the token, not the database, so a role change reaches the user with their next access token.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const required = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
    if (!required || required.length === 0) return true;
    const claims = context.switchToHttp().getRequest<{ user?: AccessTokenClaims }>().user;
    if (claims?.roles.some((role) => required.includes(role))) return true;
    throw new ApiException('forbidden');
  }
}
