import { Injectable } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import { ApiException } from '../common/api-exception.js';
import { emailKey, usernameKey } from '../users/identity.js';

/** The ~49,000 most common passwords, as maintained by zxcvbn-ts; compared without letter case. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set((dictionary['passwords-common']).map((p) => p.toLowerCase()));

/**
 * ASVS 2.1: length is checked by the DTOs (8–128, never truncated); here, what a length rule cannot see:
 * a password from the common-password list, or one equal to the user's own username or email.
 */
@Injectable()
export class PasswordPolicy {
  check(password: string, identity: { username: string; email: string }, field = 'password'): void {
    const problem = COMMON_PASSWORDS.has(password.toLowerCase())
      ? 'is one of the most common passwords'
      : usernameKey(password) === usernameKey(identity.username) || emailKey(password) === emailKey(identity.email)
        ? 'must not be your username or email'
        : undefined;
    if (problem) {
      throw new ApiException('validation_failed', `The password ${problem}`, [{ field, messages: [`${field} ${problem}`] }]);
    }
  }
}
