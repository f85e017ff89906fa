import { registerAs } from '@nestjs/config';
import { IsBoolean, IsOptional, Matches } from 'class-validator';
import { readDataDir } from './data-dir.js';
import { EnvBool, readEnv } from './env.js';

export class DatabaseEnv {
  /** mysql://user:pass@host:3306/db for MySQL/MariaDB; unset for the embedded SQLite file. */
  @IsOptional()
  @Matches(/^(mysql|mariadb):\/\/.+\/[^/?]+/, { message: 'must look like mysql://user:pass@host:3306/db' })
  DATABASE_URL?: string = undefined;

  @EnvBool() @IsBoolean()
  DATABASE_MIGRATIONS_RUN = true;

  @EnvBool() @IsBoolean()
  DATABASE_LOGGING = false;
}

export type DatabaseConfig =
  | { driver: 'sqlite'; file: string; migrationsRun: boolean; logging: boolean }
  | { driver: 'mysql'; url: string; migrationsRun: boolean; logging: boolean };

export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const parsed = readEnv(DatabaseEnv, env);
  const common = { migrationsRun: parsed.DATABASE_MIGRATIONS_RUN, logging: parsed.DATABASE_LOGGING };
  if (parsed.DATABASE_URL) {
    return { driver: 'mysql', url: parsed.DATABASE_URL.replace(/^mariadb:/, 'mysql:'), ...common };
  }
  return { driver: 'sqlite', file: `${readDataDir(env)}/auth.sqlite`, ...common };
}

export const databaseConfig = registerAs('database', () => loadDatabaseConfig());
