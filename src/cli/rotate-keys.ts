import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '../config/database.config.js';
import { loadEnvFile } from '../config/load-env-file.js';
import { AtomicWrites } from '../database/atomic-writes.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { securityEventInsert } from '../security-events/security-events.service.js';
import { rotateKeysCommand } from '../tokens/keys/rotate-keys.command.js';

// npm run keys:rotate -- [--delay <seconds>] [--compromised] [--status]
loadEnvFile();
const argv = process.argv.slice(2);
const { exitCode, output } = rotateKeysCommand(argv);
(exitCode === 0 ? process.stdout : process.stderr).write(`${output}\n`);
process.exitCode = exitCode;
if (exitCode === 0 && !argv.includes('--status')) await recordRotation(argv.includes('--compromised'));

/** The security trail records every rotation (`access_key_rotated`, actor `cli`); the key set is already written. */
async function recordRotation(compromised: boolean): Promise<void> {
  const dataSource = new DataSource({ ...dataSourceOptions(loadDatabaseConfig()), migrationsRun: false });
  try {
    await dataSource.initialize();
    await new AtomicWrites(dataSource).run([securityEventInsert({ type: 'access_key_rotated', actor: 'cli', detail: { compromised } }, new Date())]);
  } catch (error) {
    process.stderr.write(`warning: the rotation is done, but the security event could not be recorded: ${(error as Error).message}\n`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
