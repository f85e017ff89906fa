import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config.js';
import { LinkToken } from '../account/link-token.entity.js';
import { LoginFailure } from '../auth/abuse/login-failure.entity.js';
import { Session } from '../auth/sessions/session.entity.js';
import { RefreshToken } from '../auth/tokens/refresh-token.entity.js';
import { MailOutboxMessage } from '../mail/mail-outbox-message.entity.js';
import { User } from '../users/user.entity.js';
import { MYSQL_MIGRATIONS } from './migrations/mysql/index.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite/index.js';

export const ENTITIES = [User, Session, RefreshToken, LoginFailure, LinkToken, MailOutboxMessage];

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
    },
    migrations: SQLITE_MIGRATIONS,
  };
}
