import { IsString } from 'class-validator';
import { readEnv } from './env.js';

export class DataDirEnv {
  /** Folder for the embedded SQLite file and, outside production, generated keys. Created on first start. */
  @IsString()
  DATA_DIR = './data';
}

/** DATA_DIR without a trailing slash; the one place it is read. */
export function readDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return readEnv(DataDirEnv, env).DATA_DIR.replace(/\/+$/, '') || '.';
}
