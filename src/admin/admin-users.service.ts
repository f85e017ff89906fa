import { Injectable } from '@nestjs/common';
import { ApiException } from '../common/api-exception.js';
import { AtomicWrites, type Statement } from '../database/atomic-writes.js';
import { type Actor, SecurityEvents } from '../security-events/security-events.service.js';
import { ended, SessionsService } from '../sessions/sessions.service.js';
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
    private readonly writes: AtomicWrites,
    private readonly events: SecurityEvents,
  ) {}

  async list(page: number, limit: number): Promise<AdminUserPageView> {
    const [users, total] = await this.users.listPage(page, limit);
    return { items: users.map((user) => AdminUserView.from(user)), page, limit, total };
  }

  async update(adminId: string, id: string, changes: UserAccess): Promise<AdminUserView> {
    const target = await this.existing(id);
    if (target.id === adminId) refuseSelfLockout(changes);
    // Login already refuses a disabled user; ending the sessions, in the same transaction, also stops the access tokens out there.
    const actor = `admin:${adminId}` as const;
    const ending = changes.disabled === true ? await this.sessions.plan({ userId: target.id }, 'user_disabled', actor) : undefined;
    const changed = await this.writes.run([
      this.users.accessChange(target.id, changes),
      ...(ending?.statements ?? []),
      ...this.accessEvents(target, changes, actor),
    ]);
    if (ending) await this.sessions.announce(ended(ending, changed?.slice(1) ?? []));
    return AdminUserView.from(await this.existing(target.id));
  }

  async endSessions(adminId: string, id: string): Promise<void> {
    const target = await this.existing(id);
    await this.sessions.end({ userId: target.id }, 'ended_by_admin', { actor: `admin:${adminId}` });
  }

  /** What changed, as security events: who now may log in, which roles they now hold. */
  private accessEvents(target: User, changes: UserAccess, actor: Actor): Statement[] {
    const events: Statement[] = [];
    if (changes.disabled !== undefined && changes.disabled !== target.disabled) {
      events.push(this.events.event({ type: changes.disabled ? 'user_disabled' : 'user_enabled', userId: target.id, actor }));
    }
    const roles = changes.roles;
    if (roles && [...roles].sort().join() !== [...target.roles].sort().join()) {
      events.push(this.events.event({ type: 'roles_changed', userId: target.id, actor, detail: { from: target.roles, to: roles } }));
    }
    return events;
  }

  private async existing(id: string): Promise<User> {
    const user = await this.users.findById(id);
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
