import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import type { Clock } from '../../common/clock.js';

interface Window {
  hits: number;
  /** When this window's count starts again from zero (ms since the epoch). */
  endsAt: number;
  /** Until when the key is refused, once it went past the limit; 0 when it is not. */
  blockedUntil: number;
}

/** A blocked key is over when its block is; any other when its window is. */
function isOver(window: Window, now: number): boolean {
  return window.blockedUntil !== 0 ? now >= window.blockedUntil : now >= window.endsAt;
}

/**
 * The per-IP route limits (@RateLimited) as fixed windows in this process: one counter per key, so a request costs
 * the same whatever the limit. @nestjs/throttler's own in-memory store keeps a timestamp per hit and filters them all
 * on every request, so under a high limit (a NAT, a backend for frontends, the reissue benchmark) each request costs
 * more the more requests came before it in the window.
 *
 * Past `limit` hits in a window the key is blocked for `blockDuration` (the throttler's default: the window's length),
 * blocked requests are not counted, and once the block is over the key starts a new window, as the throttler's store
 * does. Keys that are over are swept at most once per window length.
 */
export class FixedWindowStore implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  constructor(private readonly clock: Clock) {}

  /** Keys held (for specs: swept keys are gone). */
  get size(): number {
    return this.windows.size;
  }

  increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = this.clock.now().getTime();
    if (now >= this.nextSweepAt) this.sweep(now, ttl);
    let window = this.windows.get(key);
    if (!window || isOver(window, now)) {
      window = { hits: 0, endsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(key, window);
    }
    if (window.blockedUntil === 0) {
      window.hits++;
      if (window.hits > limit) window.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
    }
    const blocked = window.blockedUntil !== 0;
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire: Math.max(0, Math.ceil((window.endsAt - now) / 1000)),
      isBlocked: blocked,
      timeToBlockExpire: blocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    });
  }

  private sweep(now: number, ttl: number): void {
    for (const [key, window] of this.windows) {
      if (isOver(window, now)) this.windows.delete(key);
    }
    this.nextSweepAt = now + ttl;
  }
}
