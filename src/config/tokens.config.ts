import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerAs } from '@nestjs/config';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { EnvBool, EnvInt, InvalidConfigError, isProduction, readEnv } from './env.js';

export class TokensEnv {
  @IsString() @MinLength(1)
  JWT_ISSUER = 'nest-token-auth';

  @IsString() @MinLength(1)
  JWT_AUDIENCE = 'nest-token-auth-api';

  /** HMAC key for access tokens, ≥ 32 bytes. Generated into DATA_DIR outside production when unset. */
  @IsOptional() @IsString()
  ACCESS_TOKEN_SECRET?: string = undefined;

  /** HMAC key for refresh tokens; must differ from ACCESS_TOKEN_SECRET. */
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
  return {
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    accessSecret: secrets.access,
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
  const problems: string[] = [];
  const check = (name: string, value: string | undefined) => {
    if (value === undefined) {
      if (production) problems.push(`${name}: is required in production`);
      return;
    }
    if (Buffer.byteLength(value) < MIN_SECRET_BYTES) problems.push(`${name}: must be at least ${MIN_SECRET_BYTES} bytes`);
    else if (production && PLACEHOLDER.test(value)) problems.push(`${name}: looks like a placeholder; generate one with \`openssl rand -base64 48\``);
  };
  check('ACCESS_TOKEN_SECRET', env.ACCESS_TOKEN_SECRET);
  check('REFRESH_TOKEN_SECRET', env.REFRESH_TOKEN_SECRET);
  if (env.ACCESS_TOKEN_SECRET && env.ACCESS_TOKEN_SECRET === env.REFRESH_TOKEN_SECRET) {
    problems.push('REFRESH_TOKEN_SECRET: must differ from ACCESS_TOKEN_SECRET');
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);

  if (env.ACCESS_TOKEN_SECRET && env.REFRESH_TOKEN_SECRET) {
    return { access: env.ACCESS_TOKEN_SECRET, refresh: env.REFRESH_TOKEN_SECRET };
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
