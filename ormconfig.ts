import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from './src/config/database.config.js';
import { dataSourceOptions } from './src/database/data-source-options.js';
import { loadEnvFile } from './src/config/load-env-file.js';

loadEnvFile();

/** The DataSource the TypeORM CLI uses (`npm run migration:*`); same options as the app. */
export default new DataSource({ ...dataSourceOptions(loadDatabaseConfig()), migrationsRun: false });
