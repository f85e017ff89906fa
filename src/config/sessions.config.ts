import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { EnvInt, readEnv } from './env.js';

export class SessionsEnv {
  /** A session not refreshed for this long cannot be refreshed any more. */
  @EnvInt() @IsInt() @Min(60) @Max(365 * 24 * 3600)
  SESSION_IDLE_TIMEOUT_SECONDS = 14 * 24 * 3600;

  /** No session lives longer than this after login, however often it is refreshed. */
  @EnvInt() @IsInt() @Min(60) @Max(5 * 365 * 24 * 3600)
  SESSION_MAX_LIFETIME_SECONDS = 90 * 24 * 3600;

  /** How often each instance reads revocations made by other instances from the database (without Redis). */
  @EnvInt() @IsInt() @Min(1) @Max(300)
  SESSION_REVOCATION_POLL_SECONDS = 2;

  /** Expired or revoked refresh tokens and sessions are deleted this long after they ended. */
  @EnvInt() @IsInt() @Min(0) @Max(365 * 24 * 3600)
  REFRESH_TOKEN_RETENTION_SECONDS = 7 * 24 * 3600;

  /** How often the purge job runs. */
  @EnvInt() @IsInt() @Min(10) @Max(7 * 24 * 3600)
  PURGE_INTERVAL_SECONDS = 3600;
}

export const sessionsConfig = registerAs('sessions', () => {
  const env = readEnv(SessionsEnv);
  return {
    idleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
    maxLifetimeSeconds: env.SESSION_MAX_LIFETIME_SECONDS,
    revocationPollSeconds: env.SESSION_REVOCATION_POLL_SECONDS,
    retentionSeconds: env.REFRESH_TOKEN_RETENTION_SECONDS,
    purgeIntervalSeconds: env.PURGE_INTERVAL_SECONDS,
  };
});
export type SessionsConfig = ReturnType<typeof sessionsConfig>;
