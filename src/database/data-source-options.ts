import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config.js';
import { LinkToken } from '../account/link-token.entity.js';
import { LoginFailure } from '../auth/abuse/login-failure.entity.js';
import { Session } from '../sessions/session.entity.js';
import { RefreshToken } from '../sessions/refresh-token.entity.js';
import { MailOutboxMessage } from '../mail/mail-outbox-message.entity.js';
import { SecurityEvent } from '../security-events/security-event.entity.js';
import { User } from '../users/user.entity.js';
import { MYSQL_MIGRATIONS } from './migrations/mysql/index.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite/index.js';

export const ENTITIES = [User, Session, RefreshToken, LoginFailure, LinkToken, MailOutboxMessage, SecurityEvent];

/** SQLite's page cache per connection, in KiB. */
const SQLITE_CACHE_KIB = 64 * 1024;

/** The one description of the database, shared by the app and the TypeORM CLI (ormconfig.ts). */
export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    synchronize: false,
    migrationsRun: config.migrationsRun,
    migrationsTableName: 'migrations',
    logging: config.logging,
  } as const;
  if (config.driver === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: config.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      connectTimeout: config.limits.connectTimeoutMs,
      poolSize: config.limits.poolSize,
      // mysql2 otherwise captures a stack trace on every query, for the frames of an error that almost never comes
      // (it stood out in CPU profiles of reissues on MariaDB). Errors keep their message and code.
      extra: { trace: false },
      // The acquire and per-statement deadlines are set by guardMysqlPool: mysql2 has no acquire timeout, and
      // TypeORM's enableQueryTimeout would also print a "query is slow" console line per timed-out statement.
      migrations: MYSQL_MIGRATIONS,
    };
  }
  if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.file,
    enableWAL: config.file !== ':memory:',
    // WAL + synchronous=NORMAL: commits survive a process crash and skip an fsync each (SQLite's advice for WAL).
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('synchronous = NORMAL');
      // A writer waits this long for another process's lock, then fails with SQLITE_BUSY (answered 503). The wait
      // blocks the event loop (better-sqlite3 is synchronous), so it stays short.
      db.pragma(`busy_timeout = ${config.limits.acquireTimeoutMs}`);
      // SQLite's default page cache is 2 MiB: with a million refresh tokens, the recent ends of refresh_tokens' B-trees
      // (the rows and four indexes, all time-ordered) that reissues read and extend would not all stay in it. 64 MiB does.
      db.pragma(`cache_size = ${-SQLITE_CACHE_KIB}`);
    },
    migrations: SQLITE_MIGRATIONS,
  };
}
