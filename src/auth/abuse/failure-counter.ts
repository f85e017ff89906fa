import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { RawReads } from '../../database/raw-reads.js';
import { redisConfig, type RedisConfig } from '../../config/redis.config.js';
import { sessionsConfig, type SessionsConfig } from '../../config/sessions.config.js';

/**
 * Counts failures per key in fixed windows, where every instance sees the same counts:
 * in Redis when REDIS_URL is set (INCR + PEXPIRE), otherwise in the `login_failures` table
 * with one atomic upsert per failure, whose expired rows it deletes every PURGE_INTERVAL_SECONDS.
 */
@Injectable()
export class FailureCounter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FailureCounter.name);
  private readonly redis?: Redis;
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly raw: RawReads,
    private readonly clock: Clock,
    @Inject(redisConfig.KEY) redis: RedisConfig,
    @Inject(sessionsConfig.KEY) private readonly housekeeping: Pick<SessionsConfig, 'purgeIntervalSeconds'>,
  ) {
    if (redis.url) this.redis = new Redis(redis.url, { maxRetriesPerRequest: 2, keyPrefix: 'auth:login-failures:' });
  }

  onApplicationBootstrap(): void {
    if (this.redis) return; // Redis expires the keys itself
    const purge = () =>
      this.purge().catch((error: unknown) => this.logger.warn({ err: error }, 'could not purge expired failed-login counters'));
    this.purgeTimer = setInterval(() => void purge(), this.housekeeping.purgeIntervalSeconds * 1000).unref();
  }

  /** Current counts of the keys (0 when absent or the window has passed). */
  async read(keys: string[], now = this.clock.now().getTime()): Promise<number[]> {
    if (this.redis) return (await this.redis.mget(...keys)).map((value) => Number(value ?? 0));
    const placeholders = keys.map(() => '?').join(', ');
    // Every login reads its counters: raw, and prepared once on SQLite.
    const rows = (await this.raw.all(
      `SELECT ${this.q('key')}, failures, window_ends_at FROM login_failures WHERE ${this.q('key')} IN (${placeholders})`,
      keys,
    )) as Array<{ key: string; failures: number | string; window_ends_at: number | string }>;
    return keys.map((key) => {
      const row = rows.find((r) => r.key === key);
      return row && Number(row.window_ends_at) > now ? Number(row.failures) : 0;
    });
  }

  /** Adds one failure to each key; a key whose window has passed starts again at 1. */
  async increment(keys: string[], windowMs: number, now = this.clock.now().getTime()): Promise<void> {
    if (this.redis) {
      const pipeline = this.redis.multi();
      for (const key of keys) pipeline.incr(key).pexpire(key, windowMs, 'NX');
      await pipeline.exec();
      return;
    }
    const ends = now + windowMs;
    for (const key of keys) {
      if (this.dataSource.options.type === 'mysql') {
        await this.dataSource.query(
          'INSERT INTO login_failures (`key`, failures, window_ends_at) VALUES (?, 1, ?) ' +
            'ON DUPLICATE KEY UPDATE failures = IF(window_ends_at <= ?, 1, failures + 1), window_ends_at = IF(window_ends_at <= ?, ?, window_ends_at)',
          [key, ends, now, now, ends],
        );
      } else {
        await this.dataSource.query(
          'INSERT INTO login_failures ("key", failures, window_ends_at) VALUES (?, 1, ?) ' +
            'ON CONFLICT ("key") DO UPDATE SET failures = CASE WHEN window_ends_at <= ? THEN 1 ELSE failures + 1 END, ' +
            'window_ends_at = CASE WHEN window_ends_at <= ? THEN excluded.window_ends_at ELSE window_ends_at END',
          [key, ends, now, now],
        );
      }
    }
  }

  async reset(key: string): Promise<void> {
    if (this.redis) await this.redis.del(key);
    else await this.dataSource.query(`DELETE FROM login_failures WHERE ${this.q('key')} = ?`, [key]);
  }

  /** Deletes counters whose window has passed (database only; Redis expires them itself). */
  async purge(now = this.clock.now().getTime()): Promise<void> {
    if (!this.redis) await this.dataSource.query('DELETE FROM login_failures WHERE window_ends_at <= ?', [now]);
  }

  onApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
    this.redis?.disconnect();
  }

  private q(column: string): string {
    return this.dataSource.options.type === 'mysql' ? `\`${column}\`` : `"${column}"`;
  }
}
