import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * - `pending`: waiting for its next attempt (or being sent by the instance holding its lease);
 * - `sent`: accepted by the SMTP server (or written to the outbox folder);
 * - `failed`: given up after MAIL_MAX_ATTEMPTS;
 * - `expired`: not sent because what it carried (a link) had expired first.
 */
export type MailStatus = 'pending' | 'sent' | 'failed' | 'expired';

/**
 * One message of the durable outbox: written in the transaction of the change that caused it,
 * delivered later by MailSender. Its body is erased once it leaves `pending`: it may hold a link with a token.
 */
@Entity('mail_outbox')
@Index(['status', 'nextAttemptAt'])
export class MailOutboxMessage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  @Column({ type: 'varchar', length: 255 })
  subject: string;

  /** Null once the message is no longer pending. */
  @Column({ type: 'text', nullable: true })
  text: string | null;

  @Column({ type: 'text', nullable: true })
  html: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: MailStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 6 })
  nextAttemptAt: Date;

  /** The claim (one sender round of one instance) that holds the message until claimed_until. */
  @Column({ name: 'claimed_by', type: 'varchar', length: 36, nullable: true })
  claimedBy: string | null;

  /** End of the lease: past it, another instance may claim the message again (its sender died mid-send). */
  @Column({ name: 'claimed_until', type: 'datetime', precision: 6, nullable: true })
  claimedUntil: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  /** When what the message carries stops being useful (a link's expiry): it is then never sent. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 6, nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'sent_at', type: 'datetime', precision: 6, nullable: true })
  sentAt: Date | null;

  /** The last delivery error, shortened; never any part of the body. */
  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError: string | null;
}
