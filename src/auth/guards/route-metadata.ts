import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

/** The metadata keys of @Public() and @Roles(), here beside the one reader of both. */
export const IS_PUBLIC = 'auth:isPublic';
export const ROLES = 'auth:roles';

/** What AccessTokenGuard and RolesGuard need to know about a route, read from its decorators once. */
export interface RouteAccess {
  isPublic: boolean;
  /** The roles of which the caller needs one; null when the route names none. */
  roles: readonly string[] | null;
}

/**
 * A route's metadata never changes after start-up, so the Reflector lookups (two per guard, handler then class)
 * run once per handler instead of once per request. Keyed by the handler function, so a class inheriting a
 * handler with other class-level metadata gets its own entry per class.
 */
export class RouteAccessCache {
  private readonly byHandler = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(private readonly reflector: Reflector) {}

  of(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byClass = this.byHandler.get(handler);
    if (!byClass) this.byHandler.set(handler, (byClass = new WeakMap()));
    let access = byClass.get(controller);
    if (!access) byClass.set(controller, (access = this.read(handler, controller)));
    return access;
  }

  private read(handler: object, controller: object): RouteAccess {
    const targets = [handler as () => void, controller as new () => unknown];
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
    return {
      isPublic: this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true,
      roles: roles && roles.length > 0 ? roles : null,
    };
  }
}
