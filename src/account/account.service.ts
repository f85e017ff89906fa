import { Injectable } from '@nestjs/common';
import { PasswordHasher } from '../auth/password-hasher.service.js';
import { PasswordPolicy } from '../auth/password-policy.js';
import { ApiException } from '../common/api-exception.js';
import type { ClientContext } from '../common/client-context.js';
import { AtomicWrites } from '../database/atomic-writes.js';
import { SecurityEvents } from '../security-events/security-events.service.js';
import { ended, SessionsService } from '../sessions/sessions.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AccountMails } from './account-mails.js';
import { LinkTokens } from './link-tokens.service.js';
import { signedInUser } from './signed-in-user.js';

/** Changes a signed-in user makes to their own account, each confirmed by the current password. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly passwordPolicy: PasswordPolicy,
    private readonly writes: AtomicWrites,
    private readonly links: LinkTokens,
    private readonly mails: AccountMails,
    private readonly events: SecurityEvents,
  ) {}

  async profile(userId: string): Promise<User> {
    return signedInUser(this.users, userId);
  }

  /** The new name and username reach the access token at its next issue (login or reissue). */
  async updateProfile(userId: string, changes: { name?: string; username?: string }): Promise<User> {
    await this.users.updateProfile(userId, changes);
    return signedInUser(this.users, userId);
  }

  /**
   * A new password ends every other session and every outstanding reset link, and a notice goes out, in the same
   * transaction; the session that changed it stays signed in.
   */
  async changePassword(userId: string, currentSessionId: string, currentPassword: string, newPassword: string, client: ClientContext): Promise<void> {
    const user = await this.confirm(userId, currentPassword);
    this.passwordPolicy.check(newPassword, user, 'newPassword');
    const passwordHash = await this.passwords.hash(newPassword);
    const ending = await this.sessions.plan({ userId, except: currentSessionId }, 'password_changed');
    const changed = await this.writes.run([
      ...ending.statements,
      this.users.passwordChange(userId, passwordHash),
      this.links.revocation(userId, 'reset_password'),
      ...this.mails.passwordChanged(user),
      this.events.event({ type: 'password_changed', userId, sessionId: currentSessionId, client }),
    ]);
    await this.sessions.announce(ended(ending, changed ?? []));
  }

  /** The account and the end of all its sessions commit together; the revocations reach every instance. */
  async deleteAccount(userId: string, password: string, client: ClientContext): Promise<void> {
    await this.confirm(userId, password);
    const ending = await this.sessions.plan({ userId }, 'user_deleted');
    const changed = await this.writes.run([
      ...ending.statements,
      this.users.deletion(userId),
      this.events.event({ type: 'account_deleted', userId, client }),
    ]);
    await this.sessions.announce(ended(ending, changed ?? []));
  }

  private async confirm(userId: string, password: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user || !(await this.passwords.verify(user.passwordHash, password))) throw new ApiException('invalid_credentials');
    return user;
  }
}
