import { join, resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { readDataDir } from './data-dir.js';
import { EnvBool, EnvInt, EnvList, InvalidConfigError, isProduction, readEnv } from './env.js';

export const ACCESS_TOKEN_ALGORITHMS = ['HS256', 'ES256', 'EdDSA', 'RS256'] as const;
export type AccessTokenAlgorithm = (typeof ACCESS_TOKEN_ALGORITHMS)[number];
export type AsymmetricAlgorithm = Exclude<AccessTokenAlgorithm, 'HS256'>;

/** The shortest HMAC secret we accept (RFC 7518 3.2: at least the hash size). */
export const MIN_SECRET_BYTES = 32;

/**
 * Where access-token keys come from, as configured; the key ring reads and checks the keys themselves at start-up.
 * `secret` / `pem`: one fixed key (ACCESS_TOKEN_SECRET, ACCESS_TOKEN_PRIVATE_KEY(_FILE)), replaced by redeploying.
 * `keyset`: the rotating key set file that `npm run keys:rotate` maintains.
 */
export type AccessKeyConfig =
  | { source: 'secret'; algorithm: 'HS256'; secret: string }
  | { source: 'pem'; algorithm: AsymmetricAlgorithm; variable: 'ACCESS_TOKEN_PRIVATE_KEY'; pem: string }
  | { source: 'pem'; algorithm: AsymmetricAlgorithm; variable: 'ACCESS_TOKEN_PRIVATE_KEY_FILE'; path: string }
  | { source: 'keyset'; algorithm: AccessTokenAlgorithm; file: string; reloadSeconds: number };

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

  /** Down to 1 s so the browser tests can watch a token expire; production wants minutes. */
  @EnvInt() @IsInt() @Min(1) @Max(24 * 3600)
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
}

const PLACEHOLDER = /change|secret|example|placeholder|default|xxxx|todo/i;

/** Where the rotating key set lives: ACCESS_TOKEN_KEYSET_FILE, or access-keys.json under DATA_DIR. */
export function keySetFilePath(env: TokensEnv, dataDir: string): string {
  return resolve(env.ACCESS_TOKEN_KEYSET_FILE ?? join(dataDir, 'access-keys.json'));
}

/** The variable that holds a fixed key for ACCESS_TOKEN_ALG, and whether it (or its _FILE form) is set. */
export function fixedAccessKey(env: TokensEnv): { variable: 'ACCESS_TOKEN_SECRET' | 'ACCESS_TOKEN_PRIVATE_KEY'; set: boolean } {
  return env.ACCESS_TOKEN_ALG === 'HS256'
    ? { variable: 'ACCESS_TOKEN_SECRET', set: env.ACCESS_TOKEN_SECRET !== undefined }
    : { variable: 'ACCESS_TOKEN_PRIVATE_KEY', set: Boolean(env.ACCESS_TOKEN_PRIVATE_KEY || env.ACCESS_TOKEN_PRIVATE_KEY_FILE) };
}

export const tokensConfig = registerAs('tokens', () => {
  const env = readEnv(TokensEnv);
  checkSecrets(env);
  return {
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    accessKeys: accessKeyConfig(env),
    /** Unset outside production: the key ring generates one under dataDir at start-up. */
    refreshSecret: env.REFRESH_TOKEN_SECRET,
    previousRefreshSecrets: env.REFRESH_TOKEN_PREVIOUS_SECRETS,
    accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    reuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
    requireExpiredAccess: env.REFRESH_REQUIRE_EXPIRED_ACCESS,
    cookieSecure: env.COOKIE_SECURE,
    dataDir: readDataDir(),
    production: isProduction(),
  };
});
export type TokensConfig = ReturnType<typeof tokensConfig>;

function checkSecrets(env: TokensEnv): void {
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
  check('REFRESH_TOKEN_SECRET', env.REFRESH_TOKEN_SECRET);
  env.REFRESH_TOKEN_PREVIOUS_SECRETS.forEach((secret, index) => check(`REFRESH_TOKEN_PREVIOUS_SECRETS (entry ${index + 1})`, secret));
  if (staticHmacAccess && env.ACCESS_TOKEN_SECRET === env.REFRESH_TOKEN_SECRET) {
    problems.push('REFRESH_TOKEN_SECRET: must differ from ACCESS_TOKEN_SECRET');
  }
  if (env.ACCESS_TOKEN_PRIVATE_KEY && env.ACCESS_TOKEN_PRIVATE_KEY_FILE) {
    problems.push('ACCESS_TOKEN_PRIVATE_KEY_FILE: set either it or ACCESS_TOKEN_PRIVATE_KEY, not both');
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
}

function accessKeyConfig(env: TokensEnv): AccessKeyConfig {
  const algorithm = env.ACCESS_TOKEN_ALG;
  if (algorithm === 'HS256' && env.ACCESS_TOKEN_SECRET !== undefined) return { source: 'secret', algorithm, secret: env.ACCESS_TOKEN_SECRET };
  if (algorithm !== 'HS256' && env.ACCESS_TOKEN_PRIVATE_KEY) {
    return { source: 'pem', algorithm, variable: 'ACCESS_TOKEN_PRIVATE_KEY', pem: env.ACCESS_TOKEN_PRIVATE_KEY.replace(/\\n/g, '\n') };
  }
  if (algorithm !== 'HS256' && env.ACCESS_TOKEN_PRIVATE_KEY_FILE) {
    return { source: 'pem', algorithm, variable: 'ACCESS_TOKEN_PRIVATE_KEY_FILE', path: env.ACCESS_TOKEN_PRIVATE_KEY_FILE };
  }
  return { source: 'keyset', algorithm, file: keySetFilePath(env, readDataDir()), reloadSeconds: env.ACCESS_TOKEN_KEYSET_RELOAD_SECONDS };
}
