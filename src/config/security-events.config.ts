import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { EnvInt, readEnv } from './env.js';

export class SecurityEventsEnv {
  /** Security events older than this many days are deleted (by each instance, every PURGE_INTERVAL_SECONDS). */
  @EnvInt() @IsInt() @Min(1) @Max(3650)
  SECURITY_EVENT_RETENTION_DAYS = 90;
}

export const securityEventsConfig = registerAs('securityEvents', () => ({ retentionDays: readEnv(SecurityEventsEnv).SECURITY_EVENT_RETENTION_DAYS }));
export type SecurityEventsConfig = ReturnType<typeof securityEventsConfig>;
