import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { onMysql } from './test-app.js';

/**
 * On MariaDB every test app shares one database, so any app's background job (the mail sender) could pick up rows
 * another suite wrote. A suite that counts what those jobs do gets a database of its own here, migrated by its first
 * app at boot; pass `env` to createTestApp and call `drop` at the end. On SQLite each app already has its own file.
 */
export async function scratchDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (!onMysql) return { env: {}, drop: () => Promise.resolve() };
  const url = new URL(process.env.DATABASE_URL!);
  const name = `${url.pathname.slice(1)}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection({ uri: `${url.protocol}//${url.username}:${url.password}@${url.host}/` });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DATABASE_MIGRATIONS_RUN: 'true' },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
