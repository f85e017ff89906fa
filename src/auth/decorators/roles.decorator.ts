import { SetMetadata } from '@nestjs/common';

export const ROLES = 'auth:roles';

/**
 * The caller needs at least one of these roles (RolesGuard reads them from the access token).
 * On a method it replaces the controller's list; `@Roles()` with no role there lifts the class-level requirement.
 */
export const Roles = (...roles: string[]) => SetMetadata(ROLES, roles);
