import { Inject, Injectable } from '@nestjs/common';
import { argon2id, hash, type HashOptions, needsRehash, verify } from 'argon2';
import { passwordConfig, type PasswordConfig } from '../config/password.config.js';
import { Metrics } from '../metrics/metrics.service.js';

/** argon2id with the configured cost; the only place that touches password hashes. */
@Injectable()
export class PasswordHasher {
  private readonly options: HashOptions & { raw: false };

  constructor(
    @Inject(passwordConfig.KEY) config: PasswordConfig,
    private readonly metrics: Metrics,
  ) {
    this.options = { type: argon2id, raw: false, ...config };
  }

  hash(password: string): Promise<string> {
    return this.metrics.passwordHash('hash', () => hash(password, this.options));
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await this.metrics.passwordHash('verify', () => verify(stored, password));
    } catch {
      return false; // a malformed stored hash is a failed login, not a 500
    }
  }

  /** True when the hash was made with other parameters than the configured ones. */
  needsRehash(stored: string): boolean {
    return needsRehash(stored, this.options);
  }
}
