import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { MoreThan, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { databaseUnavailableReason } from '../database/database-unavailable.js';
import { Metrics } from '../metrics/metrics.service.js';
import { redisConfig, type RedisConfig } from '../config/redis.config.js';
import { sessionsConfig, type SessionsConfig } from '../config/sessions.config.js';
import { RevokedSessions } from './revoked-sessions.js';
import { Session } from './session.entity.js';

const CHANNEL = 'auth:sessions-revoked';
/** Revocation times are written by each instance's own clock; re-reading this far back absorbs skew between them. */
const SKEW_ALLOWANCE_MS = 30_000;
const REDIS_SAFETY_POLL_SECONDS = 30;

interface RevocationMessage {
  ids: string[];
  at: number;
}

/**
 * How revocations made by one instance reach the others' RevokedSessions:
 * - by default every instance polls `sessions.revoked_at` each SESSION_REVOCATION_POLL_SECONDS,
 *   so another instance refuses a revoked session's access tokens at most that long (plus one query) later;
 * - with REDIS_URL, revocations are published on a Redis channel and arrive within milliseconds; after a
 *   (re)connection the instance reads the database once, so messages missed while disconnected are not lost,
 *   and it still reads the database every 30 s as a safety net.
 * At boot, each instance rebuilds the set from the database.
 */
@Injectable()
export class RevocationFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationFeed.name);
  private timer?: NodeJS.Timeout;
  private publisher?: Redis;
  private subscriber?: Redis;
  private lastPollAt = 0;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly revoked: RevokedSessions,
    private readonly clock: Clock,
    metrics: Metrics,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
  ) {
    metrics.gauge('auth_revocation_feed_lag_seconds', 'Seconds since this instance last knew every revocation made elsewhere', () =>
      this.subscriber?.status === 'ready' || this.lastPollAt === 0 ? 0 : (this.clock.now().getTime() - this.lastPollAt) / 1000,
    );
    metrics.gauge('auth_revoked_sessions', 'Sessions whose access tokens this instance refuses from memory', () => this.revoked.size);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Subscribe before reading the database, so nothing revoked in between is missed.
    if (this.redis.url) await this.subscribe(this.redis.url);
    await this.catchUp(this.revoked.horizon());
    this.lastPollAt = this.clock.now().getTime();
    // With Redis, polling stays on as a slow safety net (a lost message, a failed publish) and sweeps the set.
    const everyMs = (this.redis.url ? REDIS_SAFETY_POLL_SECONDS : this.config.revocationPollSeconds) * 1000;
    this.timer = setInterval(() => void this.poll(), everyMs).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
    return Promise.resolve();
  }

  /** Tells the other instances (a no-op without Redis: they find it in the database). */
  async publish(sessionIds: string[], at: Date): Promise<void> {
    if (!this.publisher) return;
    const message: RevocationMessage = { ids: sessionIds, at: at.getTime() };
    try {
      await this.publisher.publish(CHANNEL, JSON.stringify(message));
    } catch (error) {
      // The revocation is in the database; other instances read it when their subscription reconnects.
      this.logger.warn({ err: error }, 'could not publish a session revocation');
    }
  }

  /** One polling round; public so tests can run it without waiting for the timer. */
  async poll(): Promise<void> {
    const startedAt = this.clock.now().getTime();
    const since = Math.max(this.lastPollAt - SKEW_ALLOWANCE_MS, this.revoked.horizon().getTime());
    try {
      await this.catchUp(new Date(since));
      // Only a successful read moves the cursor: after an outage the next poll reads the whole gap.
      this.lastPollAt = startedAt;
      this.revoked.sweep();
    } catch (error) {
      // An outage is logged once by DatabaseAvailability, not by every poll; anything else is worth a warning.
      if (databaseUnavailableReason(error) === undefined) this.logger.warn({ err: error }, 'could not read session revocations');
    }
  }

  private async catchUp(since: Date): Promise<void> {
    const rows = await this.sessions.find({ select: { id: true, revokedAt: true }, where: { revokedAt: MoreThan(since) } });
    for (const row of rows) this.revoked.remember(row.id, row.revokedAt!);
  }

  private async subscribe(url: string): Promise<void> {
    this.publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.subscriber = new Redis(url, { lazyConnect: true });
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.warn({ err: error }, 'Redis connection problem; retrying'));
    }
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
    // After a reconnection, messages sent meanwhile are gone: read what the database knows.
    this.subscriber.on('ready', () => void this.poll());
    await this.subscriber.subscribe(CHANNEL);
  }

  private receive(raw: string): void {
    try {
      const message = JSON.parse(raw) as RevocationMessage;
      if (!Array.isArray(message.ids) || typeof message.at !== 'number') return;
      for (const id of message.ids) if (typeof id === 'string') this.revoked.remember(id, new Date(message.at));
    } catch {
      this.logger.warn('ignored a malformed revocation message');
    }
  }
}
