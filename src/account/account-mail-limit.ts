import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { FailureCounter } from '../auth/abuse/failure-counter.js';
import { ApiException } from '../common/api-exception.js';
import { type ClientContext, ipOf } from '../common/client-context.js';
import { securityConfig, type SecurityConfig } from '../config/security.config.js';
import { emailKey } from '../users/identity.js';

/**
 * How often one address, and one client IP, may make us send account mail (forgot password, verification resend,
 * email change): counted in the shared failure counters (database or Redis), so every instance sees the same
 * counts. Known and unknown addresses count alike: the limit tells nothing about accounts.
 */
@Injectable()
export class AccountMailLimit {
  constructor(
    private readonly counter: FailureCounter,
    @Inject(securityConfig.KEY) private readonly config: SecurityConfig,
  ) {}

  /** Counts this request, or refuses it with `429 rate_limited` once the address or the IP has had its share. */
  async take(address: string, client: ClientContext): Promise<void> {
    const { perAddress, perIp, windowSeconds } = this.config.accountMailLimits;
    const keys = [digest(`mail-address|${emailKey(address)}`), digest(`mail-ip|${ipOf(client)}`)];
    const [byAddress, byIp] = await this.counter.read(keys);
    if (byAddress >= perAddress || byIp >= perIp) {
      throw new ApiException('rate_limited', undefined, undefined, { 'retry-after': String(windowSeconds) });
    }
    await this.counter.increment(keys, windowSeconds * 1000);
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
