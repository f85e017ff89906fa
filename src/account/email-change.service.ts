import { Injectable } from '@nestjs/common';
import { PasswordHasher } from '../auth/password-hasher.service.js';
import { ApiException } from '../common/api-exception.js';
import type { ClientContext } from '../common/client-context.js';
import { AtomicWrites } from '../database/atomic-writes.js';
import { SecurityEvents } from '../security-events/security-events.service.js';
import { emailKey } from '../users/identity.js';
import { isUniqueViolation, UsersService } from '../users/users.service.js';
import { AccountMails } from './account-mails.js';
import { AccountMailLimit } from './account-mail-limit.js';
import { LinkTokens } from './link-tokens.service.js';

/** A new address: asked for with the password, confirmed by a link sent to it, announced to the old one. */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly links: LinkTokens,
    private readonly mails: AccountMails,
    private readonly limit: AccountMailLimit,
    private readonly writes: AtomicWrites,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * Answers the same whether or not another account uses the address: that account's existence is told only to
   * the address's mailbox, which gets a note instead of a link.
   */
  async request(userId: string, newEmail: string, password: string, client: ClientContext): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user || !(await this.passwords.verify(user.passwordHash, password))) throw new ApiException('invalid_credentials');
    if (emailKey(newEmail) === user.email) {
      throw new ApiException('validation_failed', 'This is already your address', [{ field: 'newEmail', messages: ['newEmail is your current address'] }]);
    }
    await this.limit.take(newEmail, client);
    const taken = (await this.users.findByEmail(newEmail)) !== null;
    await this.writes.run(taken ? this.mails.emailTaken(user, emailKey(newEmail)) : this.mails.emailChange(user, emailKey(newEmail)));
  }

  /** Switches the address if it is still free (`409 user_exists` otherwise, the link unspent); tells the old one. */
  async confirm(token: string, client: ClientContext): Promise<void> {
    const link = await this.links.redeemable(token, 'change_email');
    const user = link && (await this.users.findById(link.userId));
    if (!link || !user || !link.payload) throw new ApiException('link_invalid');
    let changed: number[] | null;
    try {
      changed = await this.writes.run([
        link.spend,
        this.users.emailChange(user.id, link.payload),
        ...this.mails.emailChanged(user, link.payload),
        this.events.event({ type: 'email_changed', userId: user.id, client }),
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiException('user_exists', 'Another account uses this address now');
      throw error;
    }
    if (!changed) throw new ApiException('link_invalid');
  }
}
