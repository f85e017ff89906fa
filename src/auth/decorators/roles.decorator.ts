import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { RolesGuard } from '../guards/roles.guard.js';
import { ROLES } from '../guards/route-metadata.js';

/**
 * The caller needs at least one of these roles (RolesGuard reads them from the access token). The guard comes with
 * the decorator, so routes without roles never run it. On a method it replaces the controller's list; `@Roles()` with
 * no role there lifts the class-level requirement.
 */
export const Roles = (...roles: string[]) => applyDecorators(SetMetadata(ROLES, roles), UseGuards(RolesGuard));
