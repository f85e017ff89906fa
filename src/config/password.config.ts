import { availableParallelism } from 'node:os';
import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { EnvInt, readEnv } from './env.js';

/** argon2id cost; the floors are OWASP's minimum (m=19 MiB, t=2, p=1). */
export class PasswordEnv {
  @EnvInt() @IsInt() @Min(19456) @Max(4 * 1024 * 1024)
  ARGON2_MEMORY_KIB = 19456;

  @EnvInt() @IsInt() @Min(2) @Max(20)
  ARGON2_TIME_COST = 2;

  @EnvInt() @IsInt() @Min(1) @Max(16)
  ARGON2_PARALLELISM = 1;

  /** argon2 operations running at once; by default one core fewer than the process may use (at least one). */
  @EnvInt() @IsInt() @Min(1) @Max(256)
  ARGON2_MAX_CONCURRENCY = Math.max(1, availableParallelism() - 1);

  /** argon2 operations waiting for a slot; one more is answered 503 busy. */
  @EnvInt() @IsInt() @Min(0) @Max(100_000)
  ARGON2_MAX_QUEUED = 32;
}

export const passwordConfig = registerAs('password', () => {
  const env = readEnv(PasswordEnv);
  return {
    memoryCost: env.ARGON2_MEMORY_KIB,
    timeCost: env.ARGON2_TIME_COST,
    parallelism: env.ARGON2_PARALLELISM,
    maxConcurrency: env.ARGON2_MAX_CONCURRENCY,
    maxQueued: env.ARGON2_MAX_QUEUED,
  };
});
export type PasswordConfig = ReturnType<typeof passwordConfig>;
