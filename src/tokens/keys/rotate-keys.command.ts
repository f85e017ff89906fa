import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readDataDir } from '../../config/data-dir.js';
import { readEnv } from '../../config/env.js';
import { fixedAccessKey, keySetFilePath, TokensEnv } from '../../config/tokens.config.js';
import { keyState, RotationRefusedError, type ScheduledKey } from './access-key-set.js';
import { KeySetFileError, readKeySetFile, rotateKeySetFile } from './access-key-set-file.js';

const USAGE = `Usage: npm run keys:rotate -- [--delay <seconds>] [--compromised] [--status]
  (no option)    add a new ACCESS_TOKEN_ALG key: published now, signing after ACCESS_KEY_ROTATION_DELAY_SECONDS,
                 the old key verifying until its last token has expired
  --delay N      publish the new key N seconds before it signs
  --compromised  the current key leaked: sign with a new key at once and drop the old ones (their tokens stop working)
  --status       only list the keys and their state`;

export interface CommandResult {
  exitCode: number;
  output: string;
}

/** `npm run keys:rotate`: maintains the access-token key set file every instance reads. */
export function rotateKeysCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, now = Math.floor(Date.now() / 1000)): CommandResult {
  let options: { delay?: string; compromised?: boolean; status?: boolean; help?: boolean };
  try {
    ({ values: options } = parseArgs({
      args: argv,
      options: { delay: { type: 'string' }, compromised: { type: 'boolean' }, status: { type: 'boolean' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    return { exitCode: 2, output: `${(error as Error).message}\n${USAGE}` };
  }
  if (options.help) return { exitCode: 0, output: USAGE };
  const delaySeconds = options.delay === undefined ? undefined : Number(options.delay);
  if (delaySeconds !== undefined && !(Number.isInteger(delaySeconds) && delaySeconds >= 0)) {
    return { exitCode: 2, output: `--delay must be a whole number of seconds\n${USAGE}` };
  }

  const config = readEnv(TokensEnv, env);
  const file = keySetFilePath(config, readDataDir(env));
  const fixed = fixedAccessKey(config);
  const notice = fixed.set ? `Note: a fixed key is configured (${fixed.variable}), so the service ignores this key set until it is unset.\n` : '';
  try {
    if (options.status) {
      if (!existsSync(file)) return { exitCode: 1, output: `${notice}No key set at ${file}; \`npm run keys:rotate\` creates it.` };
      return { exitCode: 0, output: `${notice}${describeKeySet(file, readKeySetFile(file), now)}` };
    }
    const keys = rotateKeySetFile(file, config.ACCESS_TOKEN_ALG, {
      now,
      delaySeconds: delaySeconds ?? config.ACCESS_KEY_ROTATION_DELAY_SECONDS,
      accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      compromised: options.compromised ?? false,
    });
    return { exitCode: 0, output: `${notice}${describeKeySet(file, keys, now)}` };
  } catch (error) {
    if (error instanceof RotationRefusedError || error instanceof KeySetFileError) {
      return { exitCode: 1, output: `Not rotated: ${error.message}` };
    }
    throw error;
  }
}

function describeKeySet(file: string, keys: ScheduledKey[], now: number): string {
  const time = (seconds?: number) => (seconds === undefined ? '-' : new Date(seconds * 1000).toISOString());
  const rows = keys.map(
    (key) => `  ${keyState(key, keys, now).padEnd(8)} ${key.material.algorithm.padEnd(5)} ${key.kid.padEnd(43)} signs from ${time(key.activatesAt)}  retires ${time(key.retiresAt)}`,
  );
  return [`Key set ${file} (every instance reloads it within ACCESS_TOKEN_KEYSET_RELOAD_SECONDS):`, ...rows].join('\n');
}
