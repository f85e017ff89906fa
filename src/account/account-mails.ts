import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import type { Statement } from '../database/atomic-writes.js';
import { MailOutbox } from '../mail/mail-outbox.service.js';
import {
  emailChangedMail,
  emailChangeMail,
  emailTakenMail,
  noAccountMail,
  passwordChangedMail,
  passwordResetMail,
  verifyEmailMail,
} from '../mail/templates/index.js';
import type { User } from '../users/user.entity.js';
import { LinkTokens } from './link-tokens.service.js';

type Recipient = Pick<User, 'id' | 'name' | 'email'>;

/** A user id no account has (ids are UUIDs): statements bound to it change nothing. */
const NO_ACCOUNT = 'no-account';

/**
 * The account mails, each as the writes that send it: a link token where the mail carries one, and the outbox row.
 * Callers run them with AtomicWrites together with the change that caused them, so a mail exists if and only if
 * its change committed.
 */
@Injectable()
export class AccountMails {
  constructor(
    private readonly links: LinkTokens,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
  ) {}

  /** The address is bound into the link: verifying it after an email change proves nothing. */
  verifyEmail(user: Recipient): Statement[] {
    const link = this.links.issue(user.id, 'verify_email', user.email);
    const mail = verifyEmailMail({ name: user.name, link: link.url, expiresInSeconds: this.links.ttlSeconds('verify_email') });
    return [...link.statements, this.outbox.message({ to: user.email, ...mail, expiresAt: link.expiresAt })];
  }

  passwordReset(user: Recipient): Statement[] {
    const link = this.links.issue(user.id, 'reset_password');
    const mail = passwordResetMail({ name: user.name, link: link.url, expiresInSeconds: this.links.ttlSeconds('reset_password') });
    return [...link.statements, this.outbox.message({ to: user.email, ...mail, expiresAt: link.expiresAt })];
  }

  /**
   * What a reset asked for an address without an account does: the work of passwordReset — a token drawn and
   * hashed, the same statements (the link-token INSERT finds no user and stores nothing), the reset mail rendered —
   * but the mail queued says that no account uses the address. Neither the answer nor its timing tells them apart.
   */
  passwordResetWithoutAccount(email: string): Statement[] {
    const link = this.links.issue(NO_ACCOUNT, 'reset_password');
    passwordResetMail({ name: '', link: link.url, expiresInSeconds: this.links.ttlSeconds('reset_password') }); // for its cost only
    return [...link.statements, this.outbox.message({ to: email, ...noAccountMail({ request: 'reset a password' }) })];
  }

  /** The confirmation link goes to the new address; the address is the link's payload. */
  emailChange(user: Recipient, newEmail: string): Statement[] {
    const link = this.links.issue(user.id, 'change_email', newEmail);
    const mail = emailChangeMail({ name: user.name, newEmail, link: link.url, expiresInSeconds: this.links.ttlSeconds('change_email') });
    return [...link.statements, this.outbox.message({ to: newEmail, ...mail, expiresAt: link.expiresAt })];
  }

  /** An email change towards an address another account uses: the new address learns it, the requester does not. */
  emailTaken(user: Recipient, newEmail: string): Statement[] {
    return [this.outbox.message({ to: newEmail, ...emailTakenMail({ name: user.name }) })];
  }

  /** To the address the account had: if the change was not its owner's doing, they hear of it. */
  emailChanged(user: Recipient, newEmail: string): Statement[] {
    const mail = emailChangedMail({ name: user.name, oldEmail: user.email, newEmail, at: this.clock.now() });
    return [this.outbox.message({ to: user.email, ...mail })];
  }

  passwordChanged(user: Recipient): Statement[] {
    return [this.outbox.message({ to: user.email, ...passwordChangedMail({ name: user.name, at: this.clock.now() }) })];
  }
}
