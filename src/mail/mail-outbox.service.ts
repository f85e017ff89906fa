import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { MailOutboxMessage } from './mail-outbox-message.entity.js';
import type { RenderedMail } from './templates/render.js';

export interface OutboxMessage extends RenderedMail {
  /** One address. */
  to: string;
  /** Not sent after this instant (a link's expiry): a late mail with a dead link only confuses. */
  expiresAt?: Date | null;
}

/**
 * The only way to send mail: a row written with the caller's EntityManager, so the message exists if and only if
 * the change that caused it commits. MailSender delivers it afterwards; SMTP never sits in a request's path.
 */
@Injectable()
export class MailOutbox {
  constructor(private readonly clock: Clock) {}

  /** Returns the message id. */
  async enqueue(manager: EntityManager, message: OutboxMessage): Promise<string> {
    const now = this.clock.now();
    const id = randomUUID();
    await manager.insert(MailOutboxMessage, {
      id,
      recipient: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      claimedBy: null,
      claimedUntil: null,
      createdAt: now,
      expiresAt: message.expiresAt ?? null,
      sentAt: null,
      lastError: null,
    });
    return id;
  }
}
