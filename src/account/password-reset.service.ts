import { Injectable } from '@nestjs/common';
import { LoginThrottle } from '../auth/abuse/login-throttle.service.js';
import { PasswordHasher } from '../auth/password-hasher.service.js';
import { PasswordPolicy } from '../auth/password-policy.js';
import { ApiException } from '../common/api-exception.js';
import { type ClientContext, ipOf } from '../common/client-context.js';
import { AtomicWrites } from '../database/atomic-writes.js';
import { SecurityEvents } from '../security-events/security-events.service.js';
import { ended, SessionsService } from '../sessions/sessions.service.js';
import { UsersService } from '../users/users.service.js';
import { AccountMails } from './account-mails.js';
import { AccountMailLimit } from './account-mail-limit.js';
import { LinkTokens } from './link-tokens.service.js';

/** Forgotten password: a link by mail, then a new password that ends every session. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly passwordPolicy: PasswordPolicy,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly links: LinkTokens,
    private readonly mails: AccountMails,
    private readonly limit: AccountMailLimit,
    private readonly writes: AtomicWrites,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * Always the same answer. An unknown address gets a mail saying no account uses it, written the same way as a
   * reset link, so neither the answer nor its timing tells whether the account exists.
   */
  async forgot(email: string, client: ClientContext): Promise<void> {
    await this.limit.take(email, client);
    const user = await this.users.findByEmail(email);
    await this.writes.run([
      ...(user ? this.mails.passwordReset(user) : this.mails.passwordResetWithoutAccount(email)),
      this.events.event({ type: 'password_reset_requested', userId: user?.id ?? null, client }),
    ]);
  }

  /**
   * In one transaction: the link is spent, the password replaced (the address counts as proved), every reset link
   * and every session of the user ended, and a notice queued. Then the account's failed-login counters start again.
   */
  async reset(token: string, newPassword: string, client: ClientContext): Promise<void> {
    const link = await this.links.redeemable(token, 'reset_password');
    const user = link && (await this.users.findById(link.userId));
    if (!link || !user) throw new ApiException('link_invalid');
    this.passwordPolicy.check(newPassword, user, 'newPassword');
    const passwordHash = await this.passwords.hash(newPassword);
    const ending = await this.sessions.plan({ userId: user.id }, 'password_reset');
    const changed = await this.writes.run([
      ...ending.statements,
      link.spend,
      this.users.passwordChange(user.id, passwordHash, { provesEmail: true }),
      this.links.revocation(user.id, 'reset_password'),
      ...this.mails.passwordChanged(user),
      this.events.event({ type: 'password_reset_completed', userId: user.id, client }),
    ]);
    if (!changed) throw new ApiException('link_invalid'); // another reset with this link won the race
    await this.sessions.announce(ended(ending, changed));
    await this.throttle.clearAccount([user.email, user.username], ipOf(client));
  }
}
