import { Inject, Injectable } from '@nestjs/common';
import { argon2id, hash, type HashOptions, needsRehash, verify } from 'argon2';
import { ApiException } from '../common/api-exception.js';
import { BoundedWork, WorkQueueFull } from '../common/bounded-work.js';
import { deprioritizeBackgroundThreads } from '../common/thread-priority.js';
import { passwordConfig, type PasswordConfig } from '../config/password.config.js';
import { Metrics } from '../metrics/metrics.service.js';

/** `Retry-After` of a 503 busy: one argon2 operation takes tens of milliseconds, a queue drains within a second or so. */
const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * argon2id with the configured cost; the only place that touches password hashes. At most ARGON2_MAX_CONCURRENCY
 * hashes run at once and ARGON2_MAX_QUEUED wait, so a storm of logins cannot take every core from the other
 * requests; past that, 503 busy with Retry-After.
 */
@Injectable()
export class PasswordHasher {
  private readonly options: HashOptions & { raw: false };
  private readonly work: BoundedWork;

  private threadsDeprioritized = false;

  constructor(
    @Inject(passwordConfig.KEY) config: PasswordConfig,
    private readonly metrics: Metrics,
  ) {
    const { memoryCost, timeCost, parallelism, maxConcurrency, maxQueued } = config;
    this.options = { type: argon2id, raw: false, memoryCost, timeCost, parallelism };
    this.work = new BoundedWork(maxConcurrency, maxQueued);
  }

  async hash(password: string): Promise<string> {
    const hashed = await this.limited(() => this.metrics.passwordHash('hash', () => hash(password, this.options)));
    // The first hash (AuthService's dummy, at start-up) has started libuv's thread pool: from now on argon2 runs
    // there below the event loop's priority, so on a busy core it takes only the time requests leave over.
    if (!this.threadsDeprioritized) {
      this.threadsDeprioritized = true;
      deprioritizeBackgroundThreads();
    }
    return hashed;
  }

  verify(stored: string, password: string): Promise<boolean> {
    return this.limited(async () => {
      try {
        return await this.metrics.passwordHash('verify', () => verify(stored, password));
      } catch {
        return false; // a malformed stored hash is a failed login, not a 500
      }
    });
  }

  /**
   * Refuses at once (503 busy) when a verification would be refused anyway, so a storm of logins is turned away
   * before it costs database reads; verify() still decides for the ones let through.
   */
  refuseWhenFull(): void {
    if (this.work.full) throw busy();
  }

  /** True when the hash was made with other parameters than the configured ones. */
  needsRehash(stored: string): boolean {
    return needsRehash(stored, this.options);
  }

  private async limited<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.work.run(task);
    } catch (error) {
      throw error instanceof WorkQueueFull ? busy() : error;
    }
  }
}

function busy(): ApiException {
  return new ApiException('busy', undefined, undefined, { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) });
}
