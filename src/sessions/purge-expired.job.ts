import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { type FindOptionsSelect, type FindOptionsWhere, LessThan, Repository } from 'typeorm';
import { sessionsConfig, type SessionsConfig } from '../config/sessions.config.js';
import { Clock } from '../common/clock.js';
import { RefreshToken } from './refresh-token.entity.js';
import { RevokedSessions } from './revoked-sessions.js';
import { Session } from './session.entity.js';

const BATCH_SIZE = 500;

export interface PurgeResult {
  tokens: number;
  sessions: number;
}

/**
 * Deletes refresh tokens and sessions that ended (expired or revoked) more than REFRESH_TOKEN_RETENTION_SECONDS ago, every PURGE_INTERVAL_SECONDS. Spent tokens of a live session are
 * kept until they expire: reuse detection needs them. Deletes go in batches of 500 with a turn of the
 * event loop between them, so requests are never held up behind one long statement.
 */
@Injectable()
export class PurgeExpiredJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(PurgeExpiredJob.name);
  private running = false;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly revoked: RevokedSessions,
    private readonly clock: Clock,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.run(), this.config.purgeIntervalSeconds * 1000);
    timer.unref();
    this.scheduler.addInterval(PurgeExpiredJob.name, timer);
  }

  async run(): Promise<PurgeResult | undefined> {
    if (this.running) return undefined; // a slow run is never overlapped by the next one
    this.running = true;
    try {
      const result = await this.purge();
      if (result.tokens + result.sessions > 0) this.logger.log({ ...result }, 'purged ended refresh tokens and sessions');
      return result;
    } catch (error) {
      this.logger.warn({ err: error }, 'purge failed; it runs again at the next interval');
      return undefined;
    } finally {
      this.running = false;
    }
  }

  async purge(now = this.clock.now()): Promise<PurgeResult> {
    // Revoked sessions must outlive their access tokens: instances rebuild the revoked set from these rows.
    const retained = new Date(now.getTime() - this.config.retentionSeconds * 1000);
    const cutoff = LessThan(new Date(Math.min(retained.getTime(), this.revoked.horizon(now).getTime())));
    const ended = [{ expiresAt: cutoff }, { revokedAt: cutoff }];
    const tokens = await this.deleteInBatches<RefreshToken>(this.tokens, ended);
    const sessions = await this.deleteInBatches<Session>(this.sessions, ended);
    return { tokens, sessions };
  }

  private async deleteInBatches<T extends { id: string }>(repository: Repository<T>, where: FindOptionsWhere<T>[]): Promise<number> {
    let deleted = 0;
    for (;;) {
      const batch = await repository.find({ select: { id: true } as FindOptionsSelect<T>, where, take: BATCH_SIZE });
      if (batch.length === 0) return deleted;
      await repository.delete(batch.map((row) => row.id));
      deleted += batch.length;
      await yieldToRequests();
    }
  }
}
