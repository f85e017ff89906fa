import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../src/config/database.config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { onMysql } from './support/test-app.js';

/** A database of its own, so reverting every migration never disturbs the other suites. */
async function scratchDatabase(): Promise<{ config: DatabaseConfig; drop: () => Promise<void> }> {
  if (!onMysql) {
    const dir = mkdtempSync(join(tmpdir(), 'auth-migrations-'));
    const config: DatabaseConfig = { driver: 'sqlite', file: join(dir, 'auth.sqlite'), migrationsRun: false, logging: false };
    return { config, drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
  }
  const url = new URL(process.env.DATABASE_URL!);
  const name = `${url.pathname.slice(1)}_migrations`;
  const admin = await createConnection({ uri: `${url.protocol}//${url.username}:${url.password}@${url.host}/` });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\``);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { driver: 'mysql', url: url.toString(), migrationsRun: false, logging: false };
  return {
    config,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
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
    // TypeORM misreads MariaDB's default of nullable columns (the string 'NULL') and proposes no-op
    // `CHANGE col col <type> NULL` statements; anything else would be real drift.
    const drift = pending.filter((query) => !/^ALTER TABLE `\w+` CHANGE `(\w+)` `\1` [\w()]+ NULL$/.test(query));
    expect(drift).toEqual([]);
  });
});
