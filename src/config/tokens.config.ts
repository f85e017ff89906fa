import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerAs } from '@nestjs/config';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { EnvBool, EnvInt, InvalidConfigError, isProduction, readEnv } from './env.js';

// No EdDSA yet: jsonwebtoken 9, under both @nestjs/jwt and passport-jwt, cannot sign or verify it.
export const ACCESS_TOKEN_ALGORITHMS = ['HS256', 'ES256', 'RS256'] as const;
export type AccessTokenAlgorithm = (typeof ACCESS_TOKEN_ALGORITHMS)[number];
export type AsymmetricAlgorithm = Exclude<AccessTokenAlgorithm, 'HS256'>;

/**
 * How access tokens are signed. HS256 needs a shared secret on every verifier; the asymmetric ones let other
 * services verify with the public key from /.well-known/jwks.json.
 */
export type AccessKeyConfig =
  | { algorithm: 'HS256'; secret: string }
  | { algorithm: AsymmetricAlgorithm; privateKey: KeyObject };

export class TokensEnv {
  @IsString() @MinLength(1)
  JWT_ISSUER = 'nest-token-auth';

  @IsString() @MinLength(1)
  JWT_AUDIENCE = 'nest-token-auth-api';

  @IsIn(ACCESS_TOKEN_ALGORITHMS)
  ACCESS_TOKEN_ALG: AccessTokenAlgorithm = 'HS256';

  /** HMAC key for access tokens (ACCESS_TOKEN_ALG=HS256 only), ≥ 32 bytes. Generated into DATA_DIR outside production when unset. */
  @IsOptional() @IsString()
  ACCESS_TOKEN_SECRET?: string = undefined;

  /** PEM private key for an asymmetric ACCESS_TOKEN_ALG; `\n` escapes allowed. */
  @IsOptional() @IsString()
  ACCESS_TOKEN_PRIVATE_KEY?: string = undefined;

  /** Path of a PEM private key file, instead of ACCESS_TOKEN_PRIVATE_KEY. */
  @IsOptional() @IsString()
  ACCESS_TOKEN_PRIVATE_KEY_FILE?: string = undefined;

  /**
   * HMAC key for refresh tokens, whatever ACCESS_TOKEN_ALG is; must differ from ACCESS_TOKEN_SECRET. Refresh tokens
   * stay HS256: only this service ever verifies them, and the grace-window successor is derived with an HMAC of this key.
   */
  @IsOptional() @IsString()
  REFRESH_TOKEN_SECRET?: string = undefined;

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
const MIN_SECRET_BYTES = 32;

export const tokensConfig = registerAs('tokens', () => {
  const env = readEnv(TokensEnv);
  const secrets = resolveSecrets(env);
  const accessKey: AccessKeyConfig =
    env.ACCESS_TOKEN_ALG === 'HS256'
      ? { algorithm: 'HS256', secret: secrets.access }
      : { algorithm: env.ACCESS_TOKEN_ALG, privateKey: resolvePrivateKey(env, env.ACCESS_TOKEN_ALG) };
  return {
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    accessKey,
    refreshSecret: secrets.refresh,
    accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    reuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
    requireExpiredAccess: env.REFRESH_REQUIRE_EXPIRED_ACCESS,
    cookieSecure: env.COOKIE_SECURE,
  };
});
export type TokensConfig = ReturnType<typeof tokensConfig>;

function resolveSecrets(env: TokensEnv): { access: string; refresh: string } {
  const production = isProduction();
  const hmacAccess = env.ACCESS_TOKEN_ALG === 'HS256';
  const problems: string[] = [];
  const check = (name: string, value: string | undefined) => {
    if (value === undefined) {
      if (production) problems.push(`${name}: is required in production`);
      return;
    }
    if (Buffer.byteLength(value) < MIN_SECRET_BYTES) problems.push(`${name}: must be at least ${MIN_SECRET_BYTES} bytes`);
    else if (production && PLACEHOLDER.test(value)) problems.push(`${name}: looks like a placeholder; generate one with \`openssl rand -base64 48\``);
  };
  if (hmacAccess) check('ACCESS_TOKEN_SECRET', env.ACCESS_TOKEN_SECRET);
  check('REFRESH_TOKEN_SECRET', env.REFRESH_TOKEN_SECRET);
  if (hmacAccess && env.ACCESS_TOKEN_SECRET && env.ACCESS_TOKEN_SECRET === env.REFRESH_TOKEN_SECRET) {
    problems.push('REFRESH_TOKEN_SECRET: must differ from ACCESS_TOKEN_SECRET');
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);

  if (env.REFRESH_TOKEN_SECRET && (env.ACCESS_TOKEN_SECRET || !hmacAccess)) {
    return { access: env.ACCESS_TOKEN_SECRET ?? '', refresh: env.REFRESH_TOKEN_SECRET };
  }
  const generated = developmentSecrets(env.DATA_DIR);
  return {
    access: env.ACCESS_TOKEN_SECRET ?? generated.access,
    refresh: env.REFRESH_TOKEN_SECRET ?? generated.refresh,
  };
}

/** Outside production: generate once and keep under DATA_DIR, so a restart keeps issued tokens valid. */
function developmentSecrets(dataDir: string): { access: string; refresh: string } {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { access: string; refresh: string };
  mkdirSync(dataDir, { recursive: true });
  const secrets = { access: randomBytes(48).toString('base64url'), refresh: randomBytes(48).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/** What each asymmetric algorithm needs: the key type node reports, and how to make one. */
const KEY_SHAPES: Record<AsymmetricAlgorithm, { type: string; describe: string; generate: () => KeyObject }> = {
  ES256: { type: 'ec', describe: 'an EC P-256 key', generate: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey },
  RS256: { type: 'rsa', describe: 'an RSA key of at least 2048 bits', generate: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
};

function resolvePrivateKey(env: TokensEnv, algorithm: AsymmetricAlgorithm): KeyObject {
  if (env.ACCESS_TOKEN_PRIVATE_KEY && env.ACCESS_TOKEN_PRIVATE_KEY_FILE) {
    throw new InvalidConfigError(['ACCESS_TOKEN_PRIVATE_KEY_FILE: set either it or ACCESS_TOKEN_PRIVATE_KEY, not both']);
  }
  if (env.ACCESS_TOKEN_PRIVATE_KEY) {
    return parsePrivateKey('ACCESS_TOKEN_PRIVATE_KEY', env.ACCESS_TOKEN_PRIVATE_KEY.replace(/\\n/g, '\n'), algorithm);
  }
  if (env.ACCESS_TOKEN_PRIVATE_KEY_FILE) {
    let pem: string;
    try {
      pem = readFileSync(env.ACCESS_TOKEN_PRIVATE_KEY_FILE, 'utf8');
    } catch (error) {
      throw new InvalidConfigError([`ACCESS_TOKEN_PRIVATE_KEY_FILE: cannot read ${env.ACCESS_TOKEN_PRIVATE_KEY_FILE} (${(error as Error).message})`]);
    }
    return parsePrivateKey('ACCESS_TOKEN_PRIVATE_KEY_FILE', pem, algorithm);
  }
  if (isProduction()) {
    throw new InvalidConfigError([`ACCESS_TOKEN_PRIVATE_KEY: is required in production with ACCESS_TOKEN_ALG=${algorithm} (or set ACCESS_TOKEN_PRIVATE_KEY_FILE)`]);
  }
  return developmentPrivateKey(env.DATA_DIR, algorithm);
}

function parsePrivateKey(variable: string, pem: string, algorithm: AsymmetricAlgorithm): KeyObject {
  const shape = KEY_SHAPES[algorithm];
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new InvalidConfigError([`${variable}: not a PEM private key`]);
  }
  const details = key.asymmetricKeyDetails ?? {};
  const fits =
    key.asymmetricKeyType === shape.type &&
    (algorithm !== 'ES256' || details.namedCurve === 'prime256v1') &&
    (algorithm !== 'RS256' || (details.modulusLength ?? 0) >= 2048);
  if (!fits) throw new InvalidConfigError([`${variable}: ACCESS_TOKEN_ALG=${algorithm} needs ${shape.describe}`]);
  return key;
}

/** Outside production: generate the key pair once and keep its private half under DATA_DIR, so a restart keeps tokens valid. */
function developmentPrivateKey(dataDir: string, algorithm: AsymmetricAlgorithm): KeyObject {
  const file = join(dataDir, `access-key-${algorithm.toLowerCase()}.pem`);
  if (existsSync(file)) return parsePrivateKey(file, readFileSync(file, 'utf8'), algorithm);
  mkdirSync(dataDir, { recursive: true });
  const key = KEY_SHAPES[algorithm].generate();
  writeFileSync(file, key.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
