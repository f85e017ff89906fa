import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { SessionsService } from '../auth/sessions/sessions.service.js';
import { ApiException } from '../common/api-exception.js';
import type { User } from '../users/user.entity.js';
import { type UserAccess, UsersService } from '../users/users.service.js';
import { ADMIN_ROLE } from './admin-role.js';
import { AdminUserPageView } from './dto/admin-user-page.view.js';
import { AdminUserView } from './dto/admin-user.view.js';

/** What administrators may do to user accounts, and the rule that keeps them from locking themselves out. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  async list(page: number, limit: number): Promise<AdminUserPageView> {
    const [users, total] = await this.users.listPage(page, limit);
    return { items: users.map((user) => AdminUserView.from(user)), page, limit, total };
  }

  async update(adminId: string, id: string, changes: UserAccess): Promise<AdminUserView> {
    const target = await this.existing(id);
    if (target.id === adminId) refuseSelfLockout(changes);
    const updated = await this.users.updateAccess(target.id, changes);
    if (!updated) throw new ApiException('not_found', 'No such user');
    // Login already refuses a disabled user; ending the sessions also stops the access tokens already out there.
    if (changes.disabled === true) await this.sessions.revokeAllOf(updated.id, 'user_disabled');
    return AdminUserView.from(updated);
  }

  async endSessions(id: string): Promise<void> {
    const target = await this.existing(id);
    await this.sessions.revokeAllOf(target.id, 'logout_all');
  }

  private async existing(id: string): Promise<User> {
    // Only a well-formed id reaches the database: MySQL ignores trailing spaces in comparisons.
    const user = isUUID(id) ? await this.users.findById(id) : null;
    if (!user) throw new ApiException('not_found', 'No such user');
    return user;
  }
}

/** An administrator cannot take away their own admin role or disable themselves, so the last one cannot lock everyone out. */
function refuseSelfLockout(changes: UserAccess): void {
  const details = [
    ...(changes.roles && !changes.roles.includes(ADMIN_ROLE) ? [{ field: 'roles', messages: [`you cannot remove your own ${ADMIN_ROLE} role`] }] : []),
    ...(changes.disabled === true ? [{ field: 'disabled', messages: ['you cannot disable yourself'] }] : []),
  ];
  if (details.length > 0) throw new ApiException('validation_failed', 'An administrator cannot lock themselves out', details);
}
