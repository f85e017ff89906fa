import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, MoreThan, Repository } from 'typeorm';
import { sessionsConfig, type SessionsConfig } from '../../config/sessions.config.js';
import { RefreshToken } from '../tokens/refresh-token.entity.js';
import { RevocationFeed } from './revocation-feed.js';
import { RevokedSessions } from './revoked-sessions.js';
import { type RevocationReason, Session } from './session.entity.js';

export interface ClientContext {
  userAgent?: string;
  ip?: string;
}

/** The seam to the sessions table, and the one place that revokes sessions. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
    private readonly revoked: RevokedSessions,
    private readonly feed: RevocationFeed,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {}

  async start(sessionId: string, userId: string, client: ClientContext, now = new Date()): Promise<Session> {
    const session = this.sessions.create({
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
    await this.sessions.insert(session);
    return session;
  }

  find(sessionId: string): Promise<Session | null> {
    return this.sessions.findOneBy({ id: sessionId });
  }

  async touch(sessionId: string, now: Date, client: ClientContext): Promise<void> {
    const seen = { lastUsedAt: now, ...(client.ip ? { ip: client.ip.slice(0, 45) } : {}) };
    await this.sessions.update({ id: sessionId }, seen);
  }

  /** Sessions a user can still use: not revoked, not past their absolute end, not idle too long. */
  listActive(userId: string, now = new Date()): Promise<Session[]> {
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

  async revoke(sessionId: string, reason: RevocationReason): Promise<void> {
    await this.revokeWhere([sessionId], reason);
  }

  /** Ends every live session of a user, or every one but `keep`. */
  async revokeAllOf(userId: string, reason: RevocationReason, keep?: string): Promise<void> {
    const live = await this.sessions.find({ select: { id: true }, where: { userId, revokedAt: IsNull() } });
    await this.revokeWhere(
      live.map((session) => session.id).filter((id) => id !== keep),
      reason,
    );
  }

  private async revokeWhere(sessionIds: string[], reason: RevocationReason): Promise<void> {
    if (sessionIds.length === 0) return;
    const now = new Date();
    await this.sessions.update({ id: In(sessionIds), revokedAt: IsNull() }, { revokedAt: now, revokedReason: reason });
    await this.tokens.update({ sessionId: In(sessionIds), revokedAt: IsNull() }, { revokedAt: now, revokedReason: reason });
    // This instance refuses the access tokens at once; the feed tells the others.
    for (const id of sessionIds) this.revoked.remember(id, now);
    await this.feed.publish(sessionIds, now);
  }
}
