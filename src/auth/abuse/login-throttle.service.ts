import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { ApiException } from '../../common/api-exception.js';
import { securityConfig, type SecurityConfig } from '../../config/security.config.js';
import { loginKey } from '../../users/identity.js';
import { FailureCounter } from './failure-counter.js';

/**
 * Brute force against one account is slowed, then stopped, per (account, IP) pair — never for the whole
 * account, so an attacker hammering someone's account cannot lock its owner out. Across all IPs the
 * account is only slowed, and only at a much higher count. Counters are keyed by the login as typed
 * (normalised), so an unknown account behaves exactly like an existing one.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly counter: FailureCounter,
    @Inject(securityConfig.KEY) private readonly config: SecurityConfig,
  ) {}

  /**
   * Waits as long as the failures so far require, or refuses when this pair is blocked. Resolves to the pair's
   * failures so far, for recordSuccess.
   */
  async beforeAttempt(login: string, ip: string): Promise<number> {
    const [pair, account] = await this.counter.read(this.keys(login, ip));
    if (pair >= this.config.loginPairBlockAfter) {
      throw new ApiException('login_blocked', undefined, undefined, { 'retry-after': String(this.config.loginFailureWindowSeconds) });
    }
    const delay = Math.max(this.pairDelay(pair), account >= this.config.loginAccountDelayAfter ? this.config.loginMaxDelayMs : 0);
    if (delay > 0) await sleep(delay);
    return pair;
  }

  recordFailure(login: string, ip: string): Promise<void> {
    return this.counter.increment(this.keys(login, ip), this.config.loginFailureWindowSeconds * 1000);
  }

  /**
   * A correct password clears this pair's failures (not the account's: that would let an attacker reset it), when
   * beforeAttempt saw any: most logins have none, and a failure counted in between only keeps the pair slowed longer.
   */
  async recordSuccess(login: string, ip: string, pairFailures: number): Promise<void> {
    if (pairFailures > 0) await this.counter.reset(this.keys(login, ip)[0]);
  }

  /**
   * After the owner proved control of the account another way (a password reset by mail): its counters — the
   * account-wide ones under both of its names, and this IP's pairs — start again.
   */
  async clearAccount(names: string[], ip: string): Promise<void> {
    for (const name of names) for (const key of this.keys(name, ip)) await this.counter.reset(key);
  }

  /** 250 ms, doubling with each failure past the threshold, capped. */
  private pairDelay(failures: number): number {
    if (failures < this.config.loginPairDelayAfter) return 0;
    return Math.min(this.config.loginMaxDelayMs, 250 * 2 ** (failures - this.config.loginPairDelayAfter));
  }

  private keys(login: string, ip: string): [pair: string, account: string] {
    const account = loginKey(login).key;
    return [digest(`pair|${account}|${ip}`), digest(`account|${account}`)];
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
