import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseConfig, loadDatabaseConfig } from '../src/config/database.config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { onMysql } from './support/test-app.js';

/** The default timeouts and pool size, whatever the environment says. */
const limits = loadDatabaseConfig({}).limits;

/** A database of its own, so reverting every migration never disturbs the other suites. */
async function scratchDatabase(): Promise<{ config: DatabaseConfig; drop: () => Promise<void> }> {
  if (!onMysql) {
    const dir = mkdtempSync(join(tmpdir(), 'auth-migrations-'));
    const config: DatabaseConfig = { driver: 'sqlite', file: join(dir, 'auth.sqlite'), migrationsRun: false, logging: false, limits };
    return { config, drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
  }
  const url = new URL(process.env.DATABASE_URL!);
  const name = `${url.pathname.slice(1)}_migrations`;
  const admin = await createConnection({ uri: `${url.protocol}//${url.username}:${url.password}@${url.host}/` });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\``);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { driver: 'mysql', url: url.toString(), migrationsRun: false, logging: false, limits };
  return {
    config,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

/**
 * TypeORM misreads MariaDB's default of nullable columns (the string 'NULL') and proposes no-op
 * `CHANGE col col <type> NULL` statements, plus dropping and re-adding any foreign key or index on such a column.
 * Those are left out when the foreign key or index in the database is already what is proposed; anything else is drift.
 */
async function realDrift(dataSource: DataSource, queries: string[]): Promise<string[]> {
  if (dataSource.options.type !== 'mysql') return queries;
  const rules: Array<{ name: string; onDelete: string; onUpdate: string }> = await dataSource.query(
    'SELECT CONSTRAINT_NAME AS name, DELETE_RULE AS onDelete, UPDATE_RULE AS onUpdate FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()',
  );
  const indexColumns: Array<{ name: string; columns: string }> = await dataSource.query(
    "SELECT INDEX_NAME AS name, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ',') AS columns FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() GROUP BY TABLE_NAME, INDEX_NAME",
  );
  const unchanged = new Set(
    queries.flatMap((query) => {
      const added = /ADD CONSTRAINT `(\w+)` FOREIGN KEY .* ON DELETE ([A-Z ]+) ON UPDATE ([A-Z ]+)$/.exec(query);
      const sameKey = added && rules.some((rule) => rule.name === added[1] && rule.onDelete === added[2] && rule.onUpdate === added[3]);
      const index = /^CREATE INDEX `(\w+)` ON `\w+` \((.+)\)$/.exec(query);
      const sameIndex = index && indexColumns.some((existing) => existing.name === index[1] && existing.columns === index[2].replace(/[`\s]/g, ''));
      return sameKey ? [added[1]] : sameIndex ? [index[1]] : [];
    }),
  );
  return queries.filter(
    (query) =>
      !/^ALTER TABLE `\w+` CHANGE `(\w+)` `\1` [\w()]+ NULL$/.test(query) &&
      ![...unchanged].some(
        (name) =>
          query.includes(`DROP FOREIGN KEY \`${name}\``) ||
          query.includes(`ADD CONSTRAINT \`${name}\``) ||
          query.startsWith(`DROP INDEX \`${name}\``) ||
          query.startsWith(`CREATE INDEX \`${name}\``),
      ),
  );
}

describe('migrations', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const scratch = await scratchDatabase();
    drop = scratch.drop;
    dataSource = new DataSource(dataSourceOptions(scratch.config));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await drop();
  });

  /** The entity tables that exist right now. */
  const tables = async () => {
    const runner = dataSource.createQueryRunner();
    const present: string[] = [];
    for (const { tableName } of dataSource.entityMetadatas) if (await runner.hasTable(tableName)) present.push(tableName);
    await runner.release();
    return present.sort();
  };

  it('run up, down to nothing, and up again, leaving the schema the entities describe', async () => {
    const applied = await dataSource.runMigrations();
    expect(applied.length).toBe(dataSource.migrations.length);
    expect(await tables()).toEqual(dataSource.entityMetadatas.map((entity) => entity.tableName).sort());

    for (let i = 0; i < applied.length; i++) await dataSource.undoLastMigration();
    expect(await tables()).toEqual([]);

    await dataSource.runMigrations();
    expect(await dataSource.showMigrations()).toBe(false); // nothing pending

    const pending = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query);
    expect(await realDrift(dataSource, pending)).toEqual([]);
  });

  it('keeps the refresh tokens already stored when it re-keys them by (created_at, token_hash), both ways', async () => {
    const executed = async () => (await dataSource.query('SELECT name FROM migrations')).map((row: { name: string }) => row.name);
    const rekey = 'KeyRefreshTokensByIssueTime1796190000000';
    if ((await executed()).length === 0) await dataSource.runMigrations();
    while ((await executed()).includes(rekey)) await dataSource.undoLastMigration();
    const at = '2030-01-15 12:00:00.000';
    await dataSource.query(
      'INSERT INTO users (id, email, username, username_key, name, password_hash, roles, disabled, created_at, updated_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)',
      ['u-1', 'ada@example.com', 'ada', 'ada', 'Ada', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', '["user"]', at, at, at],
    );
    await dataSource.query(
      'INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      ['s-1', 'u-1', at, at, '2030-02-15 12:00:00.000'],
    );
    await dataSource.query(
      'INSERT INTO refresh_tokens (id, user_id, session_id, token_hash, parent_id, created_at, expires_at) VALUES (?, ?, ?, ?, NULL, ?, ?)',
      ['t-1', 'u-1', 's-1', 'a'.repeat(64), at, '2030-02-15 12:00:00.000'],
    );
    const found = async () =>
      (await dataSource.query('SELECT id FROM refresh_tokens WHERE created_at = ? AND token_hash = ?', [at, 'a'.repeat(64)])).map((row: { id: string }) => row.id);

    await dataSource.runMigrations();
    expect(await found()).toEqual(['t-1']);
    await dataSource.undoLastMigration();
    expect(await found()).toEqual(['t-1']);
    await dataSource.runMigrations();
    expect(await found()).toEqual(['t-1']);
  });
});
