import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidConfigError } from '../config/env.js';
import type { TokensConfig } from '../config/tokens.config.js';
import { ensureDevelopmentKeySet } from './keys/access-key-set-file.js';
import { InvalidKeyError, type KeyMaterial, parsePrivateKey, WrongKeyTypeError } from './keys/key-material.js';

/** Access keys ready to use: one fixed key, or the key set file the ring reloads. */
export type AccessKeySource = { source: 'static'; material: KeyMaterial } | { source: 'keyset'; file: string; reloadSeconds: number };

export interface KeySources {
  access: AccessKeySource;
  refreshSecret: string;
}

/**
 * The key ring's start-up: reads the configured keys, and outside production creates what is missing under
 * DATA_DIR (a refresh secret, a key set), so `npm start` on a fresh clone needs no secrets. Every refusal names
 * the variable to fix, like a config error.
 */
export function loadKeySources(config: TokensConfig, now = new Date()): KeySources {
  return { access: accessKeys(config, now), refreshSecret: config.refreshSecret ?? developmentRefreshSecret(config.dataDir) };
}

function accessKeys(config: TokensConfig, now: Date): AccessKeySource {
  const keys = config.accessKeys;
  if (keys.source === 'secret') return { source: 'static', material: { algorithm: 'HS256', secret: keys.secret } };
  if (keys.source === 'pem') {
    const pem = keys.variable === 'ACCESS_TOKEN_PRIVATE_KEY' ? keys.pem : readPem(keys.path);
    return { source: 'static', material: { algorithm: keys.algorithm, privateKey: parsePem(keys.variable, pem, keys.algorithm) } };
  }
  if (config.production) {
    if (!existsSync(keys.file)) {
      const variable = keys.algorithm === 'HS256' ? 'ACCESS_TOKEN_SECRET' : 'ACCESS_TOKEN_PRIVATE_KEY';
      throw new InvalidConfigError([
        `${variable}: is required in production with ACCESS_TOKEN_ALG=${keys.algorithm} — or create the rotating key set ${keys.file} with \`npm run keys:rotate\``,
      ]);
    }
  } else {
    try {
      ensureDevelopmentKeySet(keys.file, keys.algorithm, { now: Math.floor(now.getTime() / 1000), accessTtlSeconds: config.accessTtlSeconds });
    } catch (error) {
      throw new InvalidConfigError([`ACCESS_TOKEN_KEYSET_FILE: ${(error as Error).message}`]);
    }
  }
  return { source: 'keyset', file: keys.file, reloadSeconds: keys.reloadSeconds };
}

function readPem(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidConfigError([`ACCESS_TOKEN_PRIVATE_KEY_FILE: cannot read ${path} (${(error as Error).message})`]);
  }
}

function parsePem(variable: string, pem: string, algorithm: Parameters<typeof parsePrivateKey>[1]) {
  try {
    return parsePrivateKey(pem, algorithm);
  } catch (error) {
    if (error instanceof WrongKeyTypeError) throw new InvalidConfigError([`${variable}: ACCESS_TOKEN_ALG=${error.message}`]);
    if (error instanceof InvalidKeyError) throw new InvalidConfigError([`${variable}: ${error.message}`]);
    throw error;
  }
}

/** Outside production: generated once and kept under DATA_DIR, so a restart keeps issued tokens valid. */
function developmentRefreshSecret(dataDir: string): string {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { refresh: string }).refresh;
  mkdirSync(dataDir, { recursive: true });
  const refresh = randomBytes(48).toString('base64url');
  writeFileSync(file, JSON.stringify({ refresh }), { mode: 0o600 });
  chmodSync(file, 0o600);
  return refresh;
}
