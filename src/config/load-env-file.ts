import { existsSync } from 'node:fs';

/** Loads `.env` from the working directory, if there is one, before any configuration is read. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
