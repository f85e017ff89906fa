import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import type { ClientContext } from '../common/client-context.js';
import { Clock } from '../common/clock.js';
import { sessionsConfig, type SessionsConfig } from '../config/sessions.config.js';
import { AtomicWrites, type Statement } from '../database/atomic-writes.js';
import { Metrics } from '../metrics/metrics.service.js';
import { type Actor, SecurityEvents } from '../security-events/security-events.service.js';
import { RevocationFeed } from './revocation-feed.js';
import { RevokedSessions } from './revoked-sessions.js';
import { type RevocationReason, Session } from './session.entity.js';

export type { ClientContext } from '../common/client-context.js';

/** Which sessions to end: some by id, or every live one of a user (but `except`). */
export type SessionSelection = { ids: string[] } | { userId: string; except?: string };

export interface EndOptions {
  /** Who ends them (default: the user). */
  actor?: Actor;
  /** Writes that commit in the same transaction. */
  alongside?: Statement[];
}

/** Sessions an ending changed, to announce once the transaction that ended them has committed. */
export interface EndedSessions {
  ids: string[];
  at: Date;
  reason: RevocationReason;
}

/** Sessions planned to end, as statements to run together with other writes (see AtomicWrites). */
export interface SessionEnding {
  statements: Statement[];
  /** The sessions to end; `statements[0]` revokes their tokens, `statements[1 + i]` ends `ids[i]`, then their events. */
  ids: string[];
  at: Date;
  reason: RevocationReason;
}

/**
 * The one owner of the sessions table, and the one place that ends sessions: end() writes the session and its
 * refresh tokens, remembers the session so this instance refuses its access tokens at once, and tells the other
 * instances — for sessions this call ended only, so ending an ended session is silent.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly writes: AtomicWrites,
    private readonly revoked: RevokedSessions,
    private readonly feed: RevocationFeed,
    private readonly events: SecurityEvents,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {}

  /** A new session's row; the caller inserts it with the session's first refresh token. */
  open(sessionId: string, userId: string, client: ClientContext, now = this.clock.now()): Session {
    return this.sessions.create({
      id: sessionId,
      userId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + this.config.maxLifetimeSeconds * 1000),
      revokedAt: null,
      revokedReason: null,
      userAgent: client.userAgent?.slice(0, 255) ?? null,
      ip: client.ip?.slice(0, 45) ?? null,
    });
  }

  insertion(session: Session): Statement {
    return {
      sql: 'INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, revoked_at, revoked_reason, user_agent, ip) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?)',
      params: [session.id, session.userId, session.createdAt, session.lastUsedAt, session.expiresAt, session.userAgent, session.ip],
    };
  }

  /** Marks the session used now (the idle timeout counts from here), from where the client was last seen. */
  touch(sessionId: string, now: Date, client: ClientContext): Statement {
    return client.ip
      ? { sql: 'UPDATE sessions SET last_used_at = ?, ip = ? WHERE id = ?', params: [now, client.ip.slice(0, 45), sessionId] }
      : { sql: 'UPDATE sessions SET last_used_at = ? WHERE id = ?', params: [now, sessionId] };
  }

  find(sessionId: string): Promise<Session | null> {
    return this.sessions.findOneBy({ id: sessionId });
  }

  /** Sessions a user can still use: not revoked, not past their absolute end, not idle too long. */
  listActive(userId: string, now = this.clock.now()): Promise<Session[]> {
    return this.sessions.find({
      where: {
        userId,
        revokedAt: IsNull(),
        expiresAt: MoreThan(now),
        lastUsedAt: MoreThan(new Date(now.getTime() - this.config.idleTimeoutSeconds * 1000)),
      },
      order: { lastUsedAt: 'DESC' },
    });
  }

  /** The user's own session, or null: another user's session id is indistinguishable from an unknown one. */
  findOwn(userId: string, sessionId: string): Promise<Session | null> {
    return this.sessions.findOneBy({ id: sessionId, userId });
  }

  /**
   * Ends the selected sessions now; returns the ids this call ended (not those already ended). `alongside` commits
   * in the same transaction (a notice mail about it, say). Each ended session is a `session_ended` security event.
   */
  async end(selection: SessionSelection, reason: RevocationReason, options: EndOptions = {}): Promise<string[]> {
    const ending = await this.plan(selection, reason, options.actor);
    const alongside = options.alongside ?? [];
    if (ending.ids.length === 0) return [];
    const changed = await this.writes.run([...ending.statements, ...alongside]);
    return this.announce(ended(ending, changed ?? []));
  }

  /**
   * The statements that end the selected sessions, for a caller that must commit them together with its own
   * writes (a password change, an account deletion). After the commit, pass `ended(ending, changed)` to announce().
   */
  async plan(selection: SessionSelection, reason: RevocationReason, actor: Actor = 'user'): Promise<SessionEnding> {
    const at = this.clock.now();
    const ids = 'ids' in selection ? [...new Set(selection.ids)] : await this.liveIdsOf(selection.userId, selection.except);
    if (ids.length === 0) return { statements: [], ids, at, reason };
    // Tokens before sessions, the order rotation locks them in, so the two never wait on each other in a cycle.
    const statements: Statement[] = [
      {
        sql: `UPDATE refresh_tokens SET revoked_at = ?, revoked_reason = ? WHERE session_id IN (${ids.map(() => '?').join(', ')}) AND revoked_at IS NULL`,
        params: [at, reason, ...ids],
      },
      ...ids.map((id) => ({
        sql: 'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
        params: [at, reason, id],
      })),
      ...ids.map((id) => this.events.sessionEnded(id, at, reason, actor)),
    ];
    return { statements, ids, at, reason };
  }

  /** This instance refuses the ended sessions' access tokens at once; the feed tells the others. */
  async announce(sessions: EndedSessions): Promise<string[]> {
    if (sessions.ids.length === 0) return [];
    this.metrics.sessionEnded(sessions.reason, sessions.ids.length);
    for (const id of sessions.ids) this.revoked.remember(id, sessions.at);
    await this.feed.publish(sessions.ids, sessions.at);
    return sessions.ids;
  }

  private async liveIdsOf(userId: string, except?: string): Promise<string[]> {
    const live = await this.sessions.find({ select: { id: true }, where: { userId, revokedAt: IsNull() } });
    return live.map((session) => session.id).filter((id) => id !== except);
  }
}

/** The sessions of a plan that its statements actually ended, given how many rows each statement changed. */
export function ended(ending: SessionEnding, changed: number[]): EndedSessions {
  return { ids: ending.ids.filter((_id, index) => changed[index + 1] === 1), at: ending.at, reason: ending.reason };
}
