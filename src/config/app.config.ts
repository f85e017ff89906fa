import { registerAs } from '@nestjs/config';
import { IsBoolean, IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { EnvBool, EnvInt, readEnv } from './env.js';

export class AppEnv {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @IsString()
  HOST = '127.0.0.1';

  @EnvInt() @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** Largest accepted request body; bigger bodies get 413 before any parsing. */
  @EnvInt() @IsInt() @Min(1024) @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 16 * 1024;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @EnvBool() @IsBoolean()
  SWAGGER_ENABLED = true;

  /** Believe X-Forwarded-For (client IP for rate limits and sessions) only behind a proxy you run. */
  @EnvBool() @IsBoolean()
  TRUST_PROXY = false;

  /** After SIGTERM, how long requests are still served while readiness fails, so a load balancer stops sending. */
  @EnvInt() @IsInt() @Min(0) @Max(300)
  SHUTDOWN_DELAY_SECONDS = 0;

  /** Then, how long requests already accepted may take to finish before their connections are cut. */
  @EnvInt() @IsInt() @Min(1) @Max(600)
  SHUTDOWN_TIMEOUT_SECONDS = 10;
}

export const appConfig = registerAs('app', () => {
  const env = readEnv(AppEnv);
  return {
    environment: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    logLevel: env.LOG_LEVEL,
    swaggerEnabled: env.SWAGGER_ENABLED,
    trustProxy: env.TRUST_PROXY,
    shutdownDelaySeconds: env.SHUTDOWN_DELAY_SECONDS,
    shutdownTimeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS,
  };
});
export type AppConfig = ReturnType<typeof appConfig>;
