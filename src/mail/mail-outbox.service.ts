import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import type { Statement } from '../database/atomic-writes.js';
import type { RenderedMail } from './templates/render.js';

export interface OutboxMessage extends RenderedMail {
  /** One address. */
  to: string;
  /** Not sent after this instant (a link's expiry): a late mail with a dead link only confuses. */
  expiresAt?: Date | null;
}

/**
 * The only way to send mail: a row in `mail_outbox`, written by the caller together with the change that caused it
 * (AtomicWrites), so the message exists if and only if that change commits. MailSender delivers it afterwards;
 * SMTP never sits in a request's path.
 */
@Injectable()
export class MailOutbox {
  constructor(private readonly clock: Clock) {}

  /** The insert of one message; its id is the mail's Message-ID. */
  message(message: OutboxMessage): Statement & { id: string } {
    const now = this.clock.now();
    const id = randomUUID();
    return {
      id,
      sql:
        'INSERT INTO mail_outbox (id, recipient, subject, text, html, status, attempts, next_attempt_at, claimed_by, claimed_until, created_at, expires_at, sent_at, last_error) ' +
        "VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, ?, ?, NULL, NULL)",
      params: [id, message.to, message.subject, message.text, message.html, now, now, message.expiresAt ?? null],
    };
  }
}
