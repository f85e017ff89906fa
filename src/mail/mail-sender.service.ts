import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, LessThanOrEqual, Not, Or, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { mailConfig, type MailConfig } from '../config/mail.config.js';
import { MailOutboxMessage, type MailStatus } from './mail-outbox-message.entity.js';
import { MailTransport } from './mail-transport.js';

/** Messages claimed per round. */
const BATCH_SIZE = 10;
/** How long a claim holds its messages: far above the SMTP timeouts, so only a dead sender's claim ever lapses. */
export const LEASE_SECONDS = 5 * 60;
/** Longest wait between two attempts, however many failed before. */
const MAX_RETRY_DELAY_SECONDS = 3600;
/** Finished messages (sent, failed, expired) are deleted this long after they were written; only pending ones stay. */
export const RETENTION_SECONDS = 7 * 24 * 3600;
const PURGE_EVERY_MS = 3600_000;
/** How long shutdown waits for a send in progress; an unfinished one is retried by any instance once its lease ends. */
const SHUTDOWN_GRACE_MS = 5_000;

/** Delay before attempt `failures + 1`: base, 2·base, 4·base, … capped at an hour. */
export function retryDelaySeconds(baseSeconds: number, failures: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, failures - 1), MAX_RETRY_DELAY_SECONDS);
}

/**
 * Delivers the outbox in the background, on every instance. A round claims due messages with one conditional
 * UPDATE (free, or whose lease has lapsed) stamped with a fresh claim id, then sends only the rows carrying that id:
 * instances sharing the database never send one message twice unless a sender dies between the SMTP server's
 * acceptance and its own write. Failures are retried with exponential backoff up to MAIL_MAX_ATTEMPTS; after that,
 * a warning without the body. The body is erased as soon as the message is sent, given up or expired.
 */
@Injectable()
export class MailSender implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MailSender.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private lastPurgeAt = 0;

  constructor(
    @InjectRepository(MailOutboxMessage) private readonly outbox: Repository<MailOutboxMessage>,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.pollIntervalSeconds * 1000).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (this.running) await Promise.race([this.running.catch(() => 0), sleep(SHUTDOWN_GRACE_MS, 0, { ref: false })]);
    this.transport.close();
  }

  private async tick(): Promise<void> {
    await this.drain();
    if (Date.now() - this.lastPurgeAt < PURGE_EVERY_MS) return;
    this.lastPurgeAt = Date.now();
    try {
      await this.purge();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not purge the mail outbox; retrying in an hour');
    }
  }

  /** Deletes finished messages older than RETENTION_SECONDS: a recipient address is not kept longer than useful. */
  async purge(now = this.clock.now()): Promise<number> {
    const deleted = await this.outbox.delete({
      status: Not('pending'),
      createdAt: LessThan(new Date(now.getTime() - RETENTION_SECONDS * 1000)),
    });
    return deleted.affected ?? 0;
  }

  /**
   * Sends every message due now, round after round, and resolves with how many attempts it made. A call while a
   * drain runs joins it rather than starting another. Public so tests can run it without waiting for the timer.
   */
  drain(): Promise<number> {
    this.running ??= this.drainRounds().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drainRounds(): Promise<number> {
    let attempts = 0;
    try {
      for (;;) {
        const { due, claimed } = await this.claim();
        for (const message of claimed) await this.deliver(message);
        attempts += claimed.length;
        // A full batch found means there may be more, even when another instance won every row of this one.
        if (due < BATCH_SIZE) return attempts;
      }
    } catch (error) {
      // The database is unreachable: nothing is lost, the next tick tries again.
      this.logger.warn({ err: error }, 'mail outbox round failed; retrying at the next poll');
      return attempts;
    }
  }

  /** How many due messages this round saw, and those it won. */
  private async claim(): Promise<{ due: number; claimed: MailOutboxMessage[] }> {
    const now = this.clock.now();
    const due = { status: 'pending' as MailStatus, nextAttemptAt: LessThanOrEqual(now), claimedUntil: Or(IsNull(), LessThan(now)) };
    const candidates = await this.outbox.find({ select: { id: true }, where: due, order: { nextAttemptAt: 'ASC' }, take: BATCH_SIZE });
    if (candidates.length === 0) return { due: 0, claimed: [] };
    const claimId = randomUUID();
    // The same conditions again in the UPDATE: of two instances that picked the same rows, each row goes to one.
    await this.outbox.update(
      { id: In(candidates.map((row) => row.id)), ...due },
      { claimedBy: claimId, claimedUntil: new Date(now.getTime() + LEASE_SECONDS * 1000) },
    );
    const claimed = await this.outbox.find({ where: { claimedBy: claimId }, order: { nextAttemptAt: 'ASC' } });
    return { due: candidates.length, claimed };
  }

  private async deliver(message: MailOutboxMessage): Promise<void> {
    if (message.expiresAt && message.expiresAt <= this.clock.now()) {
      await this.finish(message, 'expired', {});
      return;
    }
    const attempts = message.attempts + 1;
    try {
      await this.transport.send({
        id: message.id,
        from: this.config.from,
        to: message.recipient,
        subject: message.subject,
        text: message.text ?? '',
        html: message.html,
      });
    } catch (error) {
      await this.failed(message, attempts, describeError(error));
      return;
    }
    await this.finish(message, 'sent', { attempts, sentAt: this.clock.now(), lastError: null });
  }

  private async failed(message: MailOutboxMessage, attempts: number, lastError: string): Promise<void> {
    if (attempts >= this.config.maxAttempts) {
      // The recipient is not logged either: an address is personal data, and the id finds the row.
      this.logger.warn({ messageId: message.id, subject: message.subject, attempts, lastError }, 'gave up sending a mail');
      await this.finish(message, 'failed', { attempts, lastError });
      return;
    }
    const delay = retryDelaySeconds(this.config.retryBaseSeconds, attempts);
    await this.outbox.update(
      { id: message.id, claimedBy: message.claimedBy! },
      { attempts, lastError, nextAttemptAt: new Date(this.clock.now().getTime() + delay * 1000), claimedBy: null, claimedUntil: null },
    );
  }

  /** Leaves `pending` for good; the body, which may hold a live link, goes with it. */
  private async finish(message: MailOutboxMessage, status: Exclude<MailStatus, 'pending'>, changes: Partial<MailOutboxMessage>): Promise<void> {
    await this.outbox.update(
      { id: message.id, claimedBy: message.claimedBy! },
      { ...changes, status, text: null, html: null, claimedBy: null, claimedUntil: null },
    );
  }
}

/**
 * The error's code and first line, short. SMTP replies name the problem, never the message body, but may quote the
 * recipient ("550 <ada@example.com>: unknown"): addresses are masked, since this text reaches the logs.
 */
export function describeError(error: unknown): string {
  const { code, responseCode, message } = error as { code?: string; responseCode?: number; message?: string };
  const parts = [code, responseCode, String(message ?? error).split('\n')[0]].filter((part) => part !== undefined && part !== '');
  return parts
    .join(' ')
    .replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '[address]')
    .slice(0, 255);
}
