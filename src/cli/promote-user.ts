import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { promoteUser } from '../admin/promote-user.js';
import { loadDatabaseConfig } from '../config/database.config.js';
import { loadEnvFile } from '../config/load-env-file.js';
import { dataSourceOptions } from '../database/data-source-options.js';

// npm run user:promote -- <email>: grants the admin role; it appears in the user's next access token (login or reissue).
loadEnvFile();

const email = process.argv[2];
if (!email) {
  console.error('Usage: npm run user:promote -- <email>');
  process.exit(1);
}

const dataSource = new DataSource({ ...dataSourceOptions(loadDatabaseConfig()), migrationsRun: true });
await dataSource.initialize();
try {
  const promotion = await promoteUser(dataSource, email);
  if (!promotion) {
    console.error(`No user with the email ${email}`);
    process.exitCode = 1;
  } else {
    const { user, changed } = promotion;
    process.stdout.write(
      `${user.email} ${changed ? 'is now' : 'was already'} an administrator (roles: ${user.roles.join(', ')}); ` +
        'the role takes effect with their next login or token reissue\n',
    );
  }
} finally {
  await dataSource.destroy();
}
