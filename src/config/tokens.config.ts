import { type KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { ensureDevelopmentKeySet } from '../auth/tokens/keys/access-key-set-file.js';
import {
  ACCESS_TOKEN_ALGORITHMS,
  type AccessTokenAlgorithm,
  type AsymmetricAlgorithm,
  InvalidKeyError,
  type KeyMaterial,
  MIN_SECRET_BYTES,
  parsePrivateKey,
  WrongKeyTypeError,
} from '../auth/tokens/keys/key-material.js';
import { EnvBool, EnvInt, EnvList, InvalidConfigError, isProduction, readEnv } from './env.js';

/**
 * Where access-token keys come from. `static`: one key from ACCESS_TOKEN_SECRET or ACCESS_TOKEN_PRIVATE_KEY(_FILE),
 * replaced by redeploying. `keyset`: the rotating key set file that `npm run keys:rotate` maintains.
 */
export type AccessKeySource =
  | { source: 'static'; material: KeyMaterial }
  | { source: 'keyset'; file: string; reloadSeconds: number };

export class TokensEnv {
  @IsString() @MinLength(1)
  JWT_ISSUER = 'nest-token-auth';

  @IsString() @MinLength(1)
  JWT_AUDIENCE = 'nest-token-auth-api';

  @IsIn(ACCESS_TOKEN_ALGORITHMS)
  ACCESS_TOKEN_ALG: AccessTokenAlgorithm = 'HS256';

  /** A fixed HMAC key for access tokens (ACCESS_TOKEN_ALG=HS256 only), ≥ 32 bytes; unset = the rotating key set. */
  @IsOptional() @IsString()
  ACCESS_TOKEN_SECRET?: string = undefined;

  /** A fixed PEM private key for an asymmetric ACCESS_TOKEN_ALG; `\n` escapes allowed; unset = the rotating key set. */
  @IsOptional() @IsString()
  ACCESS_TOKEN_PRIVATE_KEY?: string = undefined;

  /** Path of a PEM private key file, instead of ACCESS_TOKEN_PRIVATE_KEY. */
  @IsOptional() @IsString()
  ACCESS_TOKEN_PRIVATE_KEY_FILE?: string = undefined;

  /** The rotating key set `npm run keys:rotate` maintains; default DATA_DIR/access-keys.json. */
  @IsOptional() @IsString()
  ACCESS_TOKEN_KEYSET_FILE?: string = undefined;

  /** How often each instance looks for a changed key set file. */
  @EnvInt() @IsInt() @Min(1) @Max(3600)
  ACCESS_TOKEN_KEYSET_RELOAD_SECONDS = 30;

  /**
   * How long `npm run keys:rotate` publishes a new key before it signs. Longer than the JWKS max-age (300 s)
   * plus the reload interval, so every verifier has the key before the first token it signs.
   */
  @EnvInt() @IsInt() @Min(0) @Max(30 * 24 * 3600)
  ACCESS_KEY_ROTATION_DELAY_SECONDS = 900;

  /**
   * HMAC key for refresh tokens, whatever ACCESS_TOKEN_ALG is; must differ from ACCESS_TOKEN_SECRET. Refresh tokens
   * stay HS256: only this service ever verifies them, and the grace-window successor is derived with an HMAC of this key.
   */
  @IsOptional() @IsString()
  REFRESH_TOKEN_SECRET?: string = undefined;

  /**
   * Earlier REFRESH_TOKEN_SECRETs, comma-separated, that still verify (never sign) refresh tokens: changing the
   * secret then ends no session. Drop an entry once REFRESH_TOKEN_TTL_SECONDS have passed since it was replaced.
   */
  @EnvList() @IsArray() @IsString({ each: true })
  REFRESH_TOKEN_PREVIOUS_SECRETS: string[] = [];

  @EnvInt() @IsInt() @Min(10) @Max(24 * 3600)
  ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

  @EnvInt() @IsInt() @Min(60) @Max(365 * 24 * 3600)
  REFRESH_TOKEN_TTL_SECONDS = 14 * 24 * 3600;

  /** How long after rotation the previous refresh token may still be replayed (honest races). */
  @EnvInt() @IsInt() @Min(0) @Max(300)
  REFRESH_REUSE_GRACE_SECONDS = 10;

  /** Refuse a reissue whose paired access token has not expired yet (off by default). */
  @EnvBool() @IsBoolean()
  REFRESH_REQUIRE_EXPIRED_ACCESS = false;

  /** `Secure` flag on the refresh cookie; turn off only for local plain-http development. */
  @EnvBool() @IsBoolean()
  COOKIE_SECURE = true;

  @IsString()
  DATA_DIR = './data';
}

const PLACEHOLDER = /change|secret|example|placeholder|default|xxxx|todo/i;

/** Where the rotating key set lives: ACCESS_TOKEN_KEYSET_FILE, or access-keys.json under DATA_DIR. */
export function keySetFilePath(env: TokensEnv): string {
  return resolve(env.ACCESS_TOKEN_KEYSET_FILE ?? join(env.DATA_DIR, 'access-keys.json'));
}

/** The variable that holds a fixed key for ACCESS_TOKEN_ALG, and whether it (or its _FILE form) is set. */
export function fixedAccessKey(env: TokensEnv): { variable: 'ACCESS_TOKEN_SECRET' | 'ACCESS_TOKEN_PRIVATE_KEY'; set: boolean } {
  return env.ACCESS_TOKEN_ALG === 'HS256'
    ? { variable: 'ACCESS_TOKEN_SECRET', set: env.ACCESS_TOKEN_SECRET !== undefined }
    : { variable: 'ACCESS_TOKEN_PRIVATE_KEY', set: Boolean(env.ACCESS_TOKEN_PRIVATE_KEY || env.ACCESS_TOKEN_PRIVATE_KEY_FILE) };
}

export const tokensConfig = registerAs('tokens', () => {
  const env = readEnv(TokensEnv);
  const keySetFile = keySetFilePath(env);
  const secrets = resolveSecrets(env, keySetFile);
  return {
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    accessKeys: resolveAccessKeys(env, secrets.access, keySetFile),
    refreshSecret: secrets.refresh,
    previousRefreshSecrets: env.REFRESH_TOKEN_PREVIOUS_SECRETS,
    accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    reuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
    requireExpiredAccess: env.REFRESH_REQUIRE_EXPIRED_ACCESS,
    cookieSecure: env.COOKIE_SECURE,
  };
});
export type TokensConfig = ReturnType<typeof tokensConfig>;

function resolveSecrets(env: TokensEnv, keySetFile: string): { access?: string; refresh: string } {
  const production = isProduction();
  const fixed = fixedAccessKey(env);
  const staticHmacAccess = fixed.variable === 'ACCESS_TOKEN_SECRET' && fixed.set;
  const problems: string[] = [];
  const check = (name: string, value: string | undefined) => {
    if (value === undefined) {
      if (production) problems.push(`${name}: is required in production`);
      return;
    }
    if (Buffer.byteLength(value) < MIN_SECRET_BYTES) problems.push(`${name}: must be at least ${MIN_SECRET_BYTES} bytes`);
    else if (production && PLACEHOLDER.test(value)) problems.push(`${name}: looks like a placeholder; generate one with \`openssl rand -base64 48\``);
  };
  if (staticHmacAccess) check('ACCESS_TOKEN_SECRET', env.ACCESS_TOKEN_SECRET);
  else if (production && !fixed.set && !existsSync(keySetFile)) {
    problems.push(
      `${fixed.variable}: is required in production with ACCESS_TOKEN_ALG=${env.ACCESS_TOKEN_ALG} — or create the rotating key set ${keySetFile} with \`npm run keys:rotate\``,
    );
  }
  check('REFRESH_TOKEN_SECRET', env.REFRESH_TOKEN_SECRET);
  env.REFRESH_TOKEN_PREVIOUS_SECRETS.forEach((secret, index) => check(`REFRESH_TOKEN_PREVIOUS_SECRETS (entry ${index + 1})`, secret));
  if (staticHmacAccess && env.ACCESS_TOKEN_SECRET === env.REFRESH_TOKEN_SECRET) {
    problems.push('REFRESH_TOKEN_SECRET: must differ from ACCESS_TOKEN_SECRET');
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  const access = staticHmacAccess ? env.ACCESS_TOKEN_SECRET : undefined;
  return { access, refresh: env.REFRESH_TOKEN_SECRET ?? developmentRefreshSecret(env.DATA_DIR) };
}

/** Outside production: generate once and keep under DATA_DIR, so a restart keeps issued tokens valid. */
function developmentRefreshSecret(dataDir: string): string {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { refresh: string }).refresh;
  mkdirSync(dataDir, { recursive: true });
  const refresh = randomBytes(48).toString('base64url');
  writeFileSync(file, JSON.stringify({ refresh }), { mode: 0o600 });
  chmodSync(file, 0o600);
  return refresh;
}

function resolveAccessKeys(env: TokensEnv, staticSecret: string | undefined, file: string): AccessKeySource {
  const algorithm = env.ACCESS_TOKEN_ALG;
  if (algorithm === 'HS256' && staticSecret !== undefined) return { source: 'static', material: { algorithm, secret: staticSecret } };
  if (algorithm !== 'HS256') {
    const privateKey = staticPrivateKey(env, algorithm);
    if (privateKey) return { source: 'static', material: { algorithm, privateKey } };
  }

  // In production the key set must already exist (resolveSecrets checked); elsewhere it is made on first boot.
  if (!isProduction()) {
    try {
      ensureDevelopmentKeySet(file, algorithm, { now: Math.floor(Date.now() / 1000), accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS });
    } catch (error) {
      throw new InvalidConfigError([`ACCESS_TOKEN_KEYSET_FILE: ${(error as Error).message}`]);
    }
  }
  return { source: 'keyset', file, reloadSeconds: env.ACCESS_TOKEN_KEYSET_RELOAD_SECONDS };
}

function staticPrivateKey(env: TokensEnv, algorithm: AsymmetricAlgorithm): KeyObject | undefined {
  const fromVariable = (variable: string, pem: string) => {
    try {
      return parsePrivateKey(pem, algorithm);
    } catch (error) {
      if (error instanceof WrongKeyTypeError) throw new InvalidConfigError([`${variable}: ACCESS_TOKEN_ALG=${error.message}`]);
      if (error instanceof InvalidKeyError) throw new InvalidConfigError([`${variable}: ${error.message}`]);
      throw error;
    }
  };
  if (env.ACCESS_TOKEN_PRIVATE_KEY && env.ACCESS_TOKEN_PRIVATE_KEY_FILE) {
    throw new InvalidConfigError(['ACCESS_TOKEN_PRIVATE_KEY_FILE: set either it or ACCESS_TOKEN_PRIVATE_KEY, not both']);
  }
  if (env.ACCESS_TOKEN_PRIVATE_KEY) return fromVariable('ACCESS_TOKEN_PRIVATE_KEY', env.ACCESS_TOKEN_PRIVATE_KEY.replace(/\\n/g, '\n'));
  if (env.ACCESS_TOKEN_PRIVATE_KEY_FILE) {
    let pem: string;
    try {
      pem = readFileSync(env.ACCESS_TOKEN_PRIVATE_KEY_FILE, 'utf8');
    } catch (error) {
      throw new InvalidConfigError([`ACCESS_TOKEN_PRIVATE_KEY_FILE: cannot read ${env.ACCESS_TOKEN_PRIVATE_KEY_FILE} (${(error as Error).message})`]);
    }
    return fromVariable('ACCESS_TOKEN_PRIVATE_KEY_FILE', pem);
  }
  return undefined;
}
