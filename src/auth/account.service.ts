import { Injectable } from '@nestjs/common';
import { ApiException } from '../common/api-exception.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { PasswordPolicy } from './password-policy.js';
import { SessionsService } from './sessions/sessions.service.js';

/** Changes a signed-in user makes to their own account, each confirmed by the current password. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly passwordPolicy: PasswordPolicy,
  ) {}

  /** A new password ends every other session; the one that changed it stays signed in. */
  async changePassword(userId: string, currentSessionId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.confirm(userId, currentPassword);
    this.passwordPolicy.check(newPassword, user, 'newPassword');
    await this.users.changePassword(userId, await this.passwords.hash(newPassword));
    await this.sessions.revokeAllOf(userId, 'password_changed', currentSessionId);
  }

  async deleteAccount(userId: string, password: string): Promise<void> {
    await this.confirm(userId, password);
    // Revoked first, so the access tokens of every session are refused at once, on every instance.
    await this.sessions.revokeAllOf(userId, 'user_deleted');
    await this.users.delete(userId);
  }

  private async confirm(userId: string, password: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user || !(await this.passwords.verify(user.passwordHash, password))) throw new ApiException('invalid_credentials');
    return user;
  }
}
