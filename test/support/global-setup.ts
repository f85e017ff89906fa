import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '../../src/config/database.config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';

/**
 * On MySQL/MariaDB every test app shares one database: migrate it once here, so parallel apps
 * never race each other running migrations. (On SQLite each app has its own file and migrates at boot.)
 */
export default async function setup(): Promise<void> {
  const config = loadDatabaseConfig();
  if (config.driver !== 'mysql') return;
  const dataSource = new DataSource({ ...dataSourceOptions(config), migrationsRun: false });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
}
