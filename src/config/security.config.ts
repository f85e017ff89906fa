import { registerAs } from '@nestjs/config';
import { IsArray, IsInt, IsString, Max, Min } from 'class-validator';
import { EnvInt, EnvList, readEnv } from './env.js';

export class SecurityEnv {
  /** Origins allowed to call the API from a browser (comma-separated); none by default. */
  @EnvList() @IsArray() @IsString({ each: true })
  CORS_ORIGINS: string[] = [];

  /** Per client IP and window: attempts at /auth/login, /auth/signup and /auth/refresh. */
  @EnvInt() @IsInt() @Min(1) @Max(3600)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  @EnvInt() @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_LOGIN = 10;

  @EnvInt() @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_SIGNUP = 5;

  @EnvInt() @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_REFRESH = 60;

  /** Failed logins are counted over this window, per account and per (account, IP). */
  @EnvInt() @IsInt() @Min(60) @Max(24 * 3600)
  LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;

  /** Failures of one (account, IP) pair after which each further attempt is delayed. */
  @EnvInt() @IsInt() @Min(1) @Max(1000)
  LOGIN_PAIR_DELAY_AFTER = 3;

  /** Failures of one (account, IP) pair after which that pair is blocked for the rest of the window. */
  @EnvInt() @IsInt() @Min(2) @Max(1000)
  LOGIN_PAIR_BLOCK_AFTER = 10;

  /** Failures of one account from all IPs after which every attempt is delayed (never blocked). */
  @EnvInt() @IsInt() @Min(10) @Max(1_000_000)
  LOGIN_ACCOUNT_DELAY_AFTER = 100;

  /**
   * Requests that send account mail (forgot password, verification resend, email change) per address and per client
   * IP in ACCOUNT_MAIL_LIMIT_WINDOW_SECONDS; shared by all instances like the failed-login counters.
   */
  @EnvInt() @IsInt() @Min(1) @Max(1000)
  ACCOUNT_MAIL_LIMIT_PER_ADDRESS = 3;

  @EnvInt() @IsInt() @Min(1) @Max(1_000_000)
  ACCOUNT_MAIL_LIMIT_PER_IP = 20;

  @EnvInt() @IsInt() @Min(60) @Max(24 * 3600)
  ACCOUNT_MAIL_LIMIT_WINDOW_SECONDS = 3600;

  /** Longest delay a login can be held for, in milliseconds. */
  @EnvInt() @IsInt() @Min(0) @Max(10_000)
  LOGIN_MAX_DELAY_MS = 2000;
}

export const securityConfig = registerAs('security', () => {
  const env = readEnv(SecurityEnv);
  return {
    corsOrigins: env.CORS_ORIGINS,
    rateLimitWindowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
    rateLimits: { login: env.RATE_LIMIT_LOGIN, signup: env.RATE_LIMIT_SIGNUP, refresh: env.RATE_LIMIT_REFRESH },
    loginFailureWindowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
    loginPairDelayAfter: env.LOGIN_PAIR_DELAY_AFTER,
    loginPairBlockAfter: env.LOGIN_PAIR_BLOCK_AFTER,
    loginAccountDelayAfter: env.LOGIN_ACCOUNT_DELAY_AFTER,
    loginMaxDelayMs: env.LOGIN_MAX_DELAY_MS,
    accountMailLimits: {
      perAddress: env.ACCOUNT_MAIL_LIMIT_PER_ADDRESS,
      perIp: env.ACCOUNT_MAIL_LIMIT_PER_IP,
      windowSeconds: env.ACCOUNT_MAIL_LIMIT_WINDOW_SECONDS,
    },
  };
});
export type SecurityConfig = ReturnType<typeof securityConfig>;
