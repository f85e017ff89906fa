import type { ExecutionContext } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { ApiException } from '../../common/api-exception.js';
import { Public } from '../decorators/public.decorator.js';
import { Roles } from '../decorators/roles.decorator.js';
import type { AccessTokenClaims } from '../../tokens/token-claims.js';
import { RolesGuard } from './roles.guard.js';

@Roles('admin')
class AdminController {
  list() {}

  @Roles('support')
  forSupport() {}

  @Roles()
  forAnyone() {}

  @Public()
  open() {}
}

class PlainController {
  plain() {}

  @Roles('editor', 'admin')
  forEditors() {}
}

function contextOf(controller: new () => object, method: string, roles?: string[]): ExecutionContext {
  const user = roles ? ({ sub: 'user-1', roles } as Partial<AccessTokenClaims>) : undefined;
  const handler = (controller.prototype as Record<string, () => void>)[method];
  return {
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

function verdict(controller: new () => object, method: string, roles?: string[]): string {
  try {
    return new RolesGuard(new Reflector()).canActivate(contextOf(controller, method, roles)) ? 'allowed' : 'refused';
  } catch (error) {
    return error instanceof ApiException ? `${error.getStatus()} ${error.code}` : 'unexpected';
  }
}

describe('RolesGuard', () => {
  it('lets any caller through a route without roles metadata', () => {
    expect(verdict(PlainController, 'plain', ['user'])).toBe('allowed');
    expect(verdict(PlainController, 'plain', [])).toBe('allowed');
  });

  it('applies class-level roles to every method without its own', () => {
    expect(verdict(AdminController, 'list', ['user', 'admin'])).toBe('allowed');
    expect(verdict(AdminController, 'list', ['user'])).toBe('403 forbidden');
  });

  it('lets method-level roles override class-level ones', () => {
    expect(verdict(AdminController, 'forSupport', ['support'])).toBe('allowed');
    expect(verdict(AdminController, 'forSupport', ['admin'])).toBe('403 forbidden');
  });

  it('treats an empty method-level list as lifting the class-level requirement', () => {
    expect(verdict(AdminController, 'forAnyone', ['user'])).toBe('allowed');
  });

  it('needs one of the listed roles, not all of them', () => {
    expect(verdict(PlainController, 'forEditors', ['editor'])).toBe('allowed');
    expect(verdict(PlainController, 'forEditors', ['admin'])).toBe('allowed');
    expect(verdict(PlainController, 'forEditors', ['user'])).toBe('403 forbidden');
  });

  it('lets @Public() routes through even inside a controller with roles', () => {
    expect(verdict(AdminController, 'open')).toBe('allowed');
  });

  it('refuses a route with roles when no verified claims are on the request', () => {
    expect(verdict(AdminController, 'list')).toBe('403 forbidden');
  });

  it('runs only where @Roles is written: the decorator attaches it, routes without roles carry no guard', () => {
    const guardsOf = (target: object) => (Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? [];
    const method = (name: string) => (PlainController.prototype as unknown as Record<string, object>)[name];
    expect(guardsOf(AdminController)).toEqual([RolesGuard]);
    expect(guardsOf(method('forEditors'))).toEqual([RolesGuard]);
    expect(guardsOf(PlainController)).toEqual([]);
    expect(guardsOf(method('plain'))).toEqual([]);
  });
});
