import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';

/**
 * Session ids whose access tokens must be refused at once, held in memory so the access-token check
 * stays free of database reads. An entry lives until the last access token the session could have
 * been issued has expired (revocation time + access-token lifetime), then it is forgotten.
 */
@Injectable()
export class RevokedSessions {
  private readonly until = new Map<string, number>();
  /** How long a revocation matters; also how long revoked sessions must stay in the database (see horizon()). */
  private readonly lifetimeMs: number;

  constructor(
    @Inject(tokensConfig.KEY) config: Pick<TokensConfig, 'accessTtlSeconds'>,
    private readonly clock: Clock,
  ) {
    // One extra second covers tokens issued in the same second the session was revoked.
    this.lifetimeMs = (config.accessTtlSeconds + 1) * 1000;
  }

  has(sessionId: string): boolean {
    const until = this.until.get(sessionId);
    if (until === undefined) return false;
    if (until > this.nowMs()) return true;
    this.until.delete(sessionId);
    return false;
  }

  remember(sessionId: string, revokedAt: Date): void {
    const until = revokedAt.getTime() + this.lifetimeMs;
    if (until > this.nowMs() && until > (this.until.get(sessionId) ?? 0)) this.until.set(sessionId, until);
  }

  /**
   * The moment before which a revocation no longer matters (its access tokens are all expired). Instances rebuild
   * this set from the database, so a revoked session's row must be kept at least until it passes the horizon.
   */
  horizon(now = this.clock.now()): Date {
    return new Date(now.getTime() - this.lifetimeMs);
  }

  /** Drops entries whose access tokens have all expired. */
  sweep(): void {
    const now = this.nowMs();
    for (const [sessionId, until] of this.until) if (until <= now) this.until.delete(sessionId);
  }

  get size(): number {
    return this.until.size;
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }
}
