import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ACCESS_TOKEN_ALGORITHMS, type AccessTokenAlgorithm, generateKeyMaterial, parseKeyMaterial, serializeKeyMaterial } from './key-material.js';
import { activeKey, rotate, type RotationOptions, type ScheduledKey } from './access-key-set.js';
import { tokenKey } from './token-key.js';

/**
 * The key set on disk: JSON, mode 0600, written whole and renamed into place so a reader never sees half a
 * file. Every instance reads the same file (a shared volume or a mounted secret) and reloads it when it changes.
 */
interface KeySetDocument {
  version: 1;
  keys: Array<{ kid: string; alg: AccessTokenAlgorithm; key: string; createdAt: string; activatesAt: string; retiresAt?: string }>;
}

export class KeySetFileError extends Error {}

const toIso = (seconds: number) => new Date(seconds * 1000).toISOString();

function toSeconds(value: unknown, field: string): number {
  const millis = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(millis)) throw new KeySetFileError(`${field} is not an ISO 8601 time`);
  return Math.floor(millis / 1000);
}

/**
 * What the periodic reload looks at, from one stat: the file's identity (reloading is skipped while it stays the
 * same; the mode is part of it so a chmod is re-checked) and whether users other than the owner may read it.
 */
export function keySetFileStatus(path: string): { version: string; readableByOthers: boolean } | undefined {
  try {
    const stats = statSync(path);
    return { version: `${stats.mtimeMs}:${stats.size}:${stats.ino}:${stats.mode}`, readableByOthers: (stats.mode & 0o077) !== 0 };
  } catch {
    return undefined;
  }
}

export function readKeySetFile(path: string): ScheduledKey[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeySetFileError(`cannot read ${path} (${(error as Error).message})`);
  }
  let document: KeySetDocument;
  try {
    document = JSON.parse(text) as KeySetDocument;
  } catch {
    // Not the parser's message: it quotes the text around the error, which here is private key material.
    throw new KeySetFileError(`${path} is not valid JSON`);
  }
  if (document?.version !== 1 || !Array.isArray(document.keys)) throw new KeySetFileError(`${path} is not a version 1 key set`);
  return document.keys.map((entry, index) => {
    const where = `${path}, key ${index + 1}`;
    if (!ACCESS_TOKEN_ALGORITHMS.includes(entry.alg)) throw new KeySetFileError(`${where}: unknown alg ${JSON.stringify(entry.alg)}`);
    let material;
    try {
      material = parseKeyMaterial(entry.alg, String(entry.key));
    } catch (error) {
      throw new KeySetFileError(`${where}: ${(error as Error).message}`);
    }
    // The kid follows from the key; one that does not match means the file was edited by hand and is wrong.
    const kid = tokenKey('access', material).kid;
    if (entry.kid !== kid) throw new KeySetFileError(`${where}: kid ${JSON.stringify(entry.kid)} does not belong to its key (expected ${kid})`);
    return {
      kid,
      material,
      createdAt: toSeconds(entry.createdAt, `${where}: createdAt`),
      activatesAt: toSeconds(entry.activatesAt, `${where}: activatesAt`),
      ...(entry.retiresAt === undefined ? {} : { retiresAt: toSeconds(entry.retiresAt, `${where}: retiresAt`) }),
    };
  });
}

export function writeKeySetFile(path: string, keys: readonly ScheduledKey[]): void {
  const document: KeySetDocument = {
    version: 1,
    keys: keys.map((key) => ({
      kid: key.kid,
      alg: key.material.algorithm,
      key: serializeKeyMaterial(key.material),
      createdAt: toIso(key.createdAt),
      activatesAt: toIso(key.activatesAt),
      ...(key.retiresAt === undefined ? {} : { retiresAt: toIso(key.retiresAt) }),
    })),
  };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** Adds a new key of `algorithm` to the key set file (creating the file, active at once, when there is none). */
export function rotateKeySetFile(path: string, algorithm: AccessTokenAlgorithm, options: RotationOptions): ScheduledKey[] {
  const existing = existsSync(path) ? readKeySetFile(path) : [];
  const material = generateKeyMaterial(algorithm);
  const fresh = { kid: tokenKey('access', material).kid, material };
  const first = existing.length === 0 || !activeKey(existing, options.now);
  const keys = rotate(existing, fresh, first ? { ...options, delaySeconds: 0 } : options);
  writeKeySetFile(path, keys);
  return keys;
}

/**
 * Outside production: makes sure the key set exists and signs (or is about to sign) with the configured
 * algorithm, rotating at once when ACCESS_TOKEN_ALG was changed, so switching algorithms needs no extra step.
 */
export function ensureDevelopmentKeySet(path: string, algorithm: AccessTokenAlgorithm, options: Omit<RotationOptions, 'delaySeconds'>): void {
  const keys = existsSync(path) ? readKeySetFile(path) : [];
  const current = activeKey(keys, options.now);
  const upcoming = keys.filter((key) => key.activatesAt > options.now);
  if (current?.material.algorithm === algorithm || upcoming.some((key) => key.material.algorithm === algorithm)) return;
  rotateKeySetFile(path, algorithm, { ...options, delaySeconds: 0 });
}
