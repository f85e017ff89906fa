import { Inject, Injectable } from '@nestjs/common';
import { PasswordHasher } from '../auth/password-hasher.service.js';
import { PasswordPolicy } from '../auth/password-policy.js';
import { ApiException } from '../common/api-exception.js';
import type { ClientContext } from '../common/client-context.js';
import { mailConfig, type MailConfig } from '../config/mail.config.js';
import { AtomicWrites } from '../database/atomic-writes.js';
import { SecurityEvents } from '../security-events/security-events.service.js';
import { emailKey } from '../users/identity.js';
import type { User } from '../users/user.entity.js';
import { isUniqueViolation, UsersService } from '../users/users.service.js';
import { AccountMails } from './account-mails.js';
import { AccountMailLimit } from './account-mail-limit.js';
import { LinkTokens } from './link-tokens.service.js';
import { signedInUser } from './signed-in-user.js';

export interface Signup {
  email: string;
  username: string;
  name: string;
  password: string;
}

/** Signup and the proof that an address belongs to its user. */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly passwordPolicy: PasswordPolicy,
    private readonly links: LinkTokens,
    private readonly mails: AccountMails,
    private readonly limit: AccountMailLimit,
    private readonly writes: AtomicWrites,
    private readonly events: SecurityEvents,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  /** The user and, unless EMAIL_VERIFICATION=off, the verification mail: one transaction. */
  async signup(input: Signup): Promise<User> {
    this.passwordPolicy.check(input.password, input);
    // Cheap check first so a taken name does not cost an argon2 hash; the unique index still decides races.
    if (await this.users.exists(input.email, input.username)) throw new ApiException('user_exists');
    const passwordHash = await this.passwords.hash(input.password);
    const creation = this.users.creation({ email: input.email, username: input.username, name: input.name, passwordHash });
    const created = { id: creation.id, name: input.name, email: emailKey(input.email) };
    const mail = this.config.emailVerification === 'off' ? [] : this.mails.verifyEmail(created);
    try {
      await this.writes.run([creation, ...mail]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiException('user_exists');
      throw error;
    }
    return (await this.users.findById(creation.id))!;
  }

  /** Spends a verification link: the address it was sent to is proved, if it is still the user's. */
  async verify(token: string, client: ClientContext): Promise<void> {
    const link = await this.links.redeemable(token, 'verify_email');
    const verified =
      link &&
      (await this.writes.run([
        link.spend,
        this.users.emailVerification(link.userId, link.payload ?? ''),
        this.events.event({ type: 'email_verified', userId: link.userId, client }),
      ]));
    if (!verified) throw new ApiException('link_invalid');
  }

  /** A new link for the signed-in user; nothing to send once the address is proved. */
  async resendTo(userId: string, client: ClientContext): Promise<void> {
    const user = await signedInUser(this.users, userId);
    await this.limit.take(user.email, client);
    if (!user.emailVerifiedAt) await this.writes.run(this.mails.verifyEmail(user));
  }

  /** The public form: the same answer whatever the address; only an unverified account's address gets a link. */
  async resendToAddress(email: string, client: ClientContext): Promise<void> {
    await this.limit.take(email, client);
    const user = await this.users.findByEmail(email);
    if (user && !user.emailVerifiedAt && !user.disabled) await this.writes.run(this.mails.verifyEmail(user));
  }
}
