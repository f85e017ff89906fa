import { registerAs } from '@nestjs/config';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { readDataDir } from './data-dir.js';
import { EnvBool, EnvInt, readEnv } from './env.js';

export class DatabaseEnv {
  /** mysql://user:pass@host:3306/db for MySQL/MariaDB; unset for the embedded SQLite file. */
  @IsOptional()
  @Matches(/^(mysql|mariadb):\/\/.+\/[^/?]+/, { message: 'must look like mysql://user:pass@host:3306/db' })
  DATABASE_URL?: string = undefined;

  @EnvBool() @IsBoolean()
  DATABASE_MIGRATIONS_RUN = true;

  @EnvBool() @IsBoolean()
  DATABASE_LOGGING = false;

  /** MySQL: longest wait for a new connection's handshake (a hung server accepts TCP but never greets). */
  @EnvInt() @IsInt() @Min(100) @Max(60_000)
  DATABASE_CONNECT_TIMEOUT_MS = 2000;

  /** MySQL: longest wait for a pooled connection; SQLite: longest wait for a lock (busy_timeout). */
  @EnvInt() @IsInt() @Min(100) @Max(60_000)
  DATABASE_ACQUIRE_TIMEOUT_MS = 2000;

  /** MySQL: longest wait for one statement's answer; the connection is then discarded, never reused. */
  @EnvInt() @IsInt() @Min(100) @Max(600_000)
  DATABASE_QUERY_TIMEOUT_MS = 3000;

  /** MySQL: connections in the pool. */
  @EnvInt() @IsInt() @Min(1) @Max(1000)
  DATABASE_POOL_SIZE = 10;
}

export interface DatabaseLimits {
  connectTimeoutMs: number;
  acquireTimeoutMs: number;
  queryTimeoutMs: number;
  poolSize: number;
}

interface DatabaseCommon {
  migrationsRun: boolean;
  logging: boolean;
  limits: DatabaseLimits;
}

export type DatabaseConfig =
  | ({ driver: 'sqlite'; file: string } & DatabaseCommon)
  | ({ driver: 'mysql'; url: string } & DatabaseCommon);

export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const parsed = readEnv(DatabaseEnv, env);
  const common: DatabaseCommon = {
    migrationsRun: parsed.DATABASE_MIGRATIONS_RUN,
    logging: parsed.DATABASE_LOGGING,
    limits: {
      connectTimeoutMs: parsed.DATABASE_CONNECT_TIMEOUT_MS,
      acquireTimeoutMs: parsed.DATABASE_ACQUIRE_TIMEOUT_MS,
      queryTimeoutMs: parsed.DATABASE_QUERY_TIMEOUT_MS,
      poolSize: parsed.DATABASE_POOL_SIZE,
    },
  };
  if (parsed.DATABASE_URL) {
    return { driver: 'mysql', url: parsed.DATABASE_URL.replace(/^mariadb:/, 'mysql:'), ...common };
  }
  return { driver: 'sqlite', file: `${readDataDir(env)}/auth.sqlite`, ...common };
}

export const databaseConfig = registerAs('database', () => loadDatabaseConfig());
