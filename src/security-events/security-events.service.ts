import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { ApiException } from '../common/api-exception.js';
import { Clock } from '../common/clock.js';
import { uuidV7 } from '../common/uuid-v7.js';
import { securityEventsConfig, type SecurityEventsConfig } from '../config/security-events.config.js';
import { sessionsConfig, type SessionsConfig } from '../config/sessions.config.js';
import { AtomicWrites, type Statement } from '../database/atomic-writes.js';
import { SecurityEvent, type SecurityEventType } from './security-event.entity.js';

/** Who caused an event: the user themselves, an administrator (by id), the service itself, or the command line. */
export type Actor = 'user' | 'system' | 'cli' | `admin:${string}`;

export interface SecurityEventInput {
  type: SecurityEventType;
  userId?: string | null;
  sessionId?: string | null;
  actor?: Actor;
  client?: { ip?: string; userAgent?: string };
  /** Non-secret facts only: never a token, a password, an attempted password or a link. */
  detail?: Record<string, string | number | boolean | string[]>;
}

export interface SecurityEventFilter {
  userId?: string;
  type?: SecurityEventType;
  from?: Date;
  to?: Date;
}

export interface SecurityEventPage {
  items: SecurityEvent[];
  /** Pass back as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

const COLUMNS = 'id, occurred_at, type, user_id, session_id, actor, ip, user_agent, detail';

/**
 * The one owner of `security_events`: the trail users and administrators read. An event is written in the same
 * transaction as the change it records (the caller adds `event(…)` to its statements), and once that commits it is
 * also one structured log line (`event: "<type>"`), so a log pipeline sees every event without reading the table.
 */
@Injectable()
export class SecurityEvents implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SecurityEvents');
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(SecurityEvent) private readonly events: Repository<SecurityEvent>,
    private readonly writes: AtomicWrites,
    private readonly clock: Clock,
    @Inject(securityEventsConfig.KEY) private readonly config: SecurityEventsConfig,
    @Inject(sessionsConfig.KEY) private readonly housekeeping: Pick<SessionsConfig, 'purgeIntervalSeconds'>,
  ) {}

  /** The insert that records the event, to run with the change it records; logged once that commits. */
  event(input: SecurityEventInput, now = this.clock.now()): Statement {
    return { ...securityEventInsert(input, now), afterCommit: () => this.log(input) };
  }

  /**
   * The insert that records the end of a session, if this transaction is the one that ended it (the session row then
   * carries this `revokedAt` and reason): ending an ended session records nothing. The user id comes from the row.
   */
  sessionEnded(sessionId: string, revokedAt: Date, reason: string, actor: Actor): Statement {
    const [id, occurredAt, type, , , , ip, userAgent, detail] = eventRow({ type: 'session_ended', actor, detail: { reason } }, revokedAt);
    return {
      sql:
        `INSERT INTO security_events (${COLUMNS}) SELECT ?, ?, ?, user_id, id, ?, ?, ?, ? FROM sessions ` +
        'WHERE id = ? AND revoked_at = ? AND revoked_reason = ?',
      params: [id, occurredAt, type, actor, ip, userAgent, detail, sessionId, revokedAt, reason],
      afterCommit: (changed) => {
        if (changed === 1) this.log({ type: 'session_ended', sessionId, actor, detail: { reason } });
      },
    };
  }

  /** Records an event that goes with no other write. */
  async record(input: SecurityEventInput): Promise<void> {
    await this.writes.run([this.event(input)]);
  }

  /** Newest first, `limit` at a time; `cursor` continues after the last page's oldest event. */
  async page(filter: SecurityEventFilter, limit: number, cursor?: string): Promise<SecurityEventPage> {
    const query = this.events.createQueryBuilder('e').orderBy('e.occurredAt', 'DESC').addOrderBy('e.id', 'DESC').take(limit + 1);
    if (filter.userId) query.andWhere('e.userId = :userId', { userId: filter.userId });
    if (filter.type) query.andWhere('e.type = :type', { type: filter.type });
    if (filter.from) query.andWhere('e.occurredAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('e.occurredAt < :to', { to: filter.to });
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (after) {
      query.andWhere(
        new Brackets((older) =>
          older.where('e.occurredAt < :at', { at: after.at }).orWhere('e.occurredAt = :at AND e.id < :id', { at: after.at, id: after.id }),
        ),
      );
    }
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return rows.length > limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
  }

  /** Deletes events older than SECURITY_EVENT_RETENTION_DAYS; returns how many. */
  async purge(now = this.clock.now()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.retentionDays * 24 * 3600 * 1000);
    const result = await this.events.createQueryBuilder().delete().where('occurred_at < :cutoff', { cutoff }).execute();
    return result.affected ?? 0;
  }

  onApplicationBootstrap(): void {
    const purge = () => this.purge().catch((error: unknown) => this.logger.warn({ err: error }, 'could not purge old security events'));
    this.purgeTimer = setInterval(() => void purge(), this.housekeeping.purgeIntervalSeconds * 1000).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
  }

  /** Ids and the IP only: no email, name or user agent in the log line. */
  private log(input: SecurityEventInput): void {
    this.logger.log(
      { event: input.type, userId: input.userId ?? undefined, sessionId: input.sessionId ?? undefined, actor: input.actor ?? 'user', ip: input.client?.ip },
      `security event ${input.type}`,
    );
  }
}

/** The insert of one event, for callers outside the application (the key-rotation command). */
export function securityEventInsert(input: SecurityEventInput, now: Date): Statement {
  return { sql: `INSERT INTO security_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, params: eventRow(input, now) };
}

function eventRow(input: SecurityEventInput, now: Date): unknown[] {
  return [
    // Time-ordered: events of one instant (a reuse, then the session end it causes) list in the order they happened.
    uuidV7(),
    now,
    input.type,
    input.userId ?? null,
    input.sessionId ?? null,
    input.actor ?? 'user',
    input.client?.ip?.slice(0, 45) ?? null,
    input.client?.userAgent?.slice(0, 255) ?? null,
    input.detail ? JSON.stringify(input.detail).slice(0, 1024) : null,
  ];
}

function encodeCursor(event: SecurityEvent): string {
  return Buffer.from(`${event.occurredAt.toISOString()}|${event.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const when = new Date(at ?? '');
  if (!id || Number.isNaN(when.getTime())) {
    throw new ApiException('validation_failed', 'The cursor is not one this API gave out', [{ field: 'cursor', messages: ['cursor is invalid'] }]);
  }
  return { at: when, id };
}
