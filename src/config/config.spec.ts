import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appConfig } from './app.config.js';
import { loadDatabaseConfig } from './database.config.js';
import { InvalidConfigError } from './env.js';
import { loadMailConfig } from './mail.config.js';
import { passwordConfig } from './password.config.js';
import { rotateKeySetFile } from '../tokens/keys/access-key-set-file.js';
import { KeyRing } from '../tokens/key-ring.service.js';
import { loadKeySources } from '../tokens/key-sources.js';
import { SystemClock } from '../common/clock.js';
import { tokensConfig } from './tokens.config.js';

/** The key ring's start-up on the configuration: where key files are read, made and checked. */
const keySources = () => loadKeySources(tokensConfig());

const saved = { ...process.env };
beforeEach(() => {
  // Never the checkout's ./data: a key set there would change what production boot finds.
  process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'auth-config-'));
});
afterEach(() => {
  process.env = { ...saved };
});

const strong = (seed: string) => `${seed}-${'k'.repeat(40)}`;

describe('configuration', () => {
  it('fails fast naming the bad variable', () => {
    process.env.PORT = 'eighty';
    expect(() => appConfig()).toThrow(/PORT/);
    process.env.PORT = '70000';
    expect(() => appConfig()).toThrow(InvalidConfigError);
  });

  it('reads booleans strictly', () => {
    process.env.SWAGGER_ENABLED = 'false';
    expect(appConfig().swaggerEnabled).toBe(false);
    process.env.SWAGGER_ENABLED = 'nope';
    expect(() => appConfig()).toThrow(/SWAGGER_ENABLED/);
  });

  it('treats an empty variable as unset', () => {
    process.env.PORT = '';
    process.env.DATABASE_URL = '';
    expect(appConfig().port).toBe(3000);
    expect(loadDatabaseConfig().driver).toBe('sqlite');
  });

  it('chooses SQLite under DATA_DIR by default and MySQL when DATABASE_URL is set', () => {
    delete process.env.DATABASE_URL;
    process.env.DATA_DIR = '/var/lib/auth/';
    expect(loadDatabaseConfig()).toMatchObject({ driver: 'sqlite', file: '/var/lib/auth/auth.sqlite' });
    process.env.DATABASE_URL = 'mariadb://u:p@db:3306/auth';
    expect(loadDatabaseConfig()).toMatchObject({ driver: 'mysql', url: 'mysql://u:p@db:3306/auth' });
    process.env.DATABASE_URL = 'postgres://u:p@db/auth';
    expect(() => loadDatabaseConfig()).toThrow(/DATABASE_URL/);
  });

  it('reads the database deadlines in milliseconds, with the documented defaults and bounds', () => {
    expect(loadDatabaseConfig().limits).toEqual({ connectTimeoutMs: 2000, acquireTimeoutMs: 2000, queryTimeoutMs: 3000, poolSize: 10 });
    process.env.DATABASE_QUERY_TIMEOUT_MS = '1000';
    expect(loadDatabaseConfig().limits.queryTimeoutMs).toBe(1000);
    process.env.DATABASE_QUERY_TIMEOUT_MS = '0';
    expect(() => loadDatabaseConfig()).toThrow(/DATABASE_QUERY_TIMEOUT_MS/);
    delete process.env.DATABASE_QUERY_TIMEOUT_MS;
    process.env.DATABASE_POOL_SIZE = 'ten';
    expect(() => loadDatabaseConfig()).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('reads the shutdown delay and timeout in seconds', () => {
    expect(appConfig()).toMatchObject({ shutdownDelaySeconds: 0, shutdownTimeoutSeconds: 10 });
    process.env.SHUTDOWN_DELAY_SECONDS = '5';
    expect(appConfig().shutdownDelaySeconds).toBe(5);
    process.env.SHUTDOWN_TIMEOUT_SECONDS = '0';
    expect(() => appConfig()).toThrow(/SHUTDOWN_TIMEOUT_SECONDS/);
  });

  it('refuses argon2 parameters below the OWASP minimum', () => {
    process.env.ARGON2_MEMORY_KIB = '4096';
    expect(() => passwordConfig()).toThrow(/ARGON2_MEMORY_KIB/);
    process.env.ARGON2_MEMORY_KIB = '65536';
    process.env.ARGON2_TIME_COST = '1';
    expect(() => passwordConfig()).toThrow(/ARGON2_TIME_COST/);
  });

  describe('secrets in production', () => {
    it('refuses missing secrets', () => {
      process.env.NODE_ENV = 'production';
      delete process.env.ACCESS_TOKEN_SECRET;
      delete process.env.REFRESH_TOKEN_SECRET;
      expect(() => tokensConfig()).toThrow(/REFRESH_TOKEN_SECRET: is required in production/);
      process.env.REFRESH_TOKEN_SECRET = strong('r');
      expect(() => keySources()).toThrow(/ACCESS_TOKEN_SECRET: is required in production/);
    });

    it('needs no ACCESS_TOKEN_SECRET when a key set made by keys:rotate exists', () => {
      process.env.REFRESH_TOKEN_SECRET = strong('r');
      const file = join(process.env.DATA_DIR as string, 'access-keys.json');
      rotateKeySetFile(file, 'ES256', { now: Math.floor(Date.now() / 1000), delaySeconds: 900, accessTtlSeconds: 900 });
      process.env.NODE_ENV = 'production';
      process.env.ACCESS_TOKEN_ALG = 'ES256';
      delete process.env.ACCESS_TOKEN_SECRET;
      expect(keySources().access).toEqual({ source: 'keyset', file, reloadSeconds: 30 });
    });

    it('refuses short secrets', () => {
      process.env.NODE_ENV = 'production';
      process.env.ACCESS_TOKEN_SECRET = 'too-short';
      process.env.REFRESH_TOKEN_SECRET = strong('r');
      expect(() => tokensConfig()).toThrow(/ACCESS_TOKEN_SECRET: must be at least 32 bytes/);
    });

    it('refuses placeholders', () => {
      process.env.NODE_ENV = 'production';
      process.env.ACCESS_TOKEN_SECRET = 'change-me-change-me-change-me-change-me';
      process.env.REFRESH_TOKEN_SECRET = strong('r');
      expect(() => tokensConfig()).toThrow(/placeholder/);
    });

    it('refuses one secret for both token kinds', () => {
      process.env.NODE_ENV = 'production';
      process.env.ACCESS_TOKEN_SECRET = strong('same');
      process.env.REFRESH_TOKEN_SECRET = strong('same');
      expect(() => tokensConfig()).toThrow(/must differ/);
    });

    it('accepts two strong distinct secrets', () => {
      process.env.NODE_ENV = 'production';
      process.env.ACCESS_TOKEN_SECRET = strong('a');
      process.env.REFRESH_TOKEN_SECRET = strong('r');
      expect(keySources()).toMatchObject({
        access: { source: 'static', material: { algorithm: 'HS256', secret: strong('a') } },
        refreshSecret: strong('r'),
      });
    });
  });

  it('only parses: reading the configuration creates no file, even where start-up will', () => {
    process.env.NODE_ENV = 'development';
    delete process.env.ACCESS_TOKEN_SECRET;
    delete process.env.REFRESH_TOKEN_SECRET;
    tokensConfig();
    expect(readdirSync(process.env.DATA_DIR as string)).toEqual([]);
  });

  it('refuses at start-up a hand-edited key set whose newest key would retire, naming the file', () => {
    process.env.NODE_ENV = 'development';
    delete process.env.ACCESS_TOKEN_SECRET;
    const file = join(process.env.DATA_DIR as string, 'access-keys.json');
    rotateKeySetFile(file, 'HS256', { now: Math.floor(Date.now() / 1000), delaySeconds: 0, accessTtlSeconds: 900 });
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { keys: Array<{ retiresAt?: string }> };
    stored.keys[0].retiresAt = new Date(Date.now() + 3600_000).toISOString();
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
    expect(() => new KeyRing(tokensConfig(), new SystemClock())).toThrow(/ACCESS_TOKEN_KEYSET_FILE: .*is the newest key but has a retiresAt/);
  });

  it('outside production, generates the refresh secret and a key set once under DATA_DIR, mode 0600, and reuses them', () => {
    process.env.NODE_ENV = 'development';
    delete process.env.ACCESS_TOKEN_SECRET;
    delete process.env.REFRESH_TOKEN_SECRET;
    const first = keySources();
    const keySet = readFileSync(join(process.env.DATA_DIR as string, 'access-keys.json'), 'utf8');
    const second = keySources();
    expect(first.refreshSecret).toHaveLength(64);
    expect(second.refreshSecret).toBe(first.refreshSecret);
    expect(first.access).toMatchObject({ source: 'keyset' });
    expect(readFileSync(join(process.env.DATA_DIR as string, 'access-keys.json'), 'utf8')).toBe(keySet);
    expect(keySet).not.toContain(first.refreshSecret);
    for (const file of ['dev-secrets.json', 'access-keys.json']) {
      expect(statSync(join(process.env.DATA_DIR as string, file)).mode & 0o777).toBe(0o600);
    }
  });

  it('outside production, rotates the key set at once when ACCESS_TOKEN_ALG changes', () => {
    process.env.NODE_ENV = 'development';
    delete process.env.ACCESS_TOKEN_SECRET;
    const file = join(process.env.DATA_DIR as string, 'access-keys.json');
    keySources();
    process.env.ACCESS_TOKEN_ALG = 'EdDSA';
    keySources();
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { keys: Array<{ alg: string; retiresAt?: string }> };
    expect(stored.keys.map((key) => key.alg)).toEqual(['HS256', 'EdDSA']);
    expect(stored.keys[0].retiresAt).toBeDefined();
    expect(stored.keys[1].retiresAt).toBeUndefined();
  });

  describe('asymmetric access keys', () => {
    it('in production, stops the boot naming the missing key variable and needs no ACCESS_TOKEN_SECRET', () => {
      process.env.NODE_ENV = 'production';
      process.env.ACCESS_TOKEN_ALG = 'ES256';
      delete process.env.ACCESS_TOKEN_SECRET;
      delete process.env.ACCESS_TOKEN_PRIVATE_KEY;
      delete process.env.ACCESS_TOKEN_PRIVATE_KEY_FILE;
      process.env.REFRESH_TOKEN_SECRET = strong('r');
      expect(() => keySources()).toThrow(/ACCESS_TOKEN_PRIVATE_KEY: is required in production/);
    });

    it('reads a PEM with escaped newlines and refuses a key of the wrong type', () => {
      process.env.NODE_ENV = 'production';
      process.env.REFRESH_TOKEN_SECRET = strong('r');
      process.env.ACCESS_TOKEN_ALG = 'RS256';
      const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      process.env.ACCESS_TOKEN_PRIVATE_KEY = pem.replace(/\n/g, '\\n');
      expect(keySources().access).toMatchObject({ source: 'static', material: { algorithm: 'RS256' } });
      process.env.ACCESS_TOKEN_ALG = 'ES256';
      expect(() => keySources()).toThrow(/ACCESS_TOKEN_PRIVATE_KEY: ACCESS_TOKEN_ALG=ES256 needs an EC P-256 key/);
      process.env.ACCESS_TOKEN_ALG = 'PS256';
      expect(() => tokensConfig()).toThrow(/ACCESS_TOKEN_ALG/);
    });
  });

  describe('mail', () => {
    it('writes to the outbox folder under DATA_DIR when MAIL_URL is unset outside production', () => {
      delete process.env.MAIL_URL;
      process.env.DATA_DIR = '/var/lib/auth/';
      expect(loadMailConfig()).toMatchObject({
        transport: { kind: 'folder', directory: '/var/lib/auth/mail' },
        from: 'nest-token-auth <no-reply@localhost>',
        maxAttempts: 8,
        emailVerification: 'optional',
        linkTtlSeconds: { verify_email: 86400, reset_password: 1800, change_email: 86400 },
      });
    });

    it('in production, stops the boot naming MAIL_URL when it is unset', () => {
      process.env.NODE_ENV = 'production';
      delete process.env.MAIL_URL;
      expect(() => loadMailConfig()).toThrow(/MAIL_URL: is required in production/);
      process.env.MAIL_URL = 'smtps://user:pass@mail.example.com:465';
      expect(loadMailConfig().transport).toEqual({ kind: 'smtp', url: 'smtps://user:pass@mail.example.com:465' });
    });

    it('accepts only smtp:// and smtps:// URLs and the three verification modes', () => {
      process.env.MAIL_URL = 'http://mail.example.com';
      expect(() => loadMailConfig()).toThrow(/MAIL_URL/);
      process.env.MAIL_URL = 'smtp://mail.example.com:587';
      process.env.EMAIL_VERIFICATION = 'sometimes';
      expect(() => loadMailConfig()).toThrow(/EMAIL_VERIFICATION/);
      process.env.EMAIL_VERIFICATION = 'required';
      expect(loadMailConfig().emailVerification).toBe('required');
    });

    it('builds account links on PUBLIC_BASE_URL unless ACCOUNT_LINK_BASE_URL is set', () => {
      delete process.env.ACCOUNT_LINK_BASE_URL;
      process.env.PUBLIC_BASE_URL = 'https://auth.example.com/';
      expect(loadMailConfig().accountLinkBaseUrl).toBe('https://auth.example.com/account');
      delete process.env.PUBLIC_BASE_URL;
      process.env.PORT = '4000';
      expect(loadMailConfig().accountLinkBaseUrl).toBe('http://127.0.0.1:4000/account');
      process.env.ACCOUNT_LINK_BASE_URL = 'https://app.example.com/me/';
      expect(loadMailConfig().accountLinkBaseUrl).toBe('https://app.example.com/me');
      process.env.ACCOUNT_LINK_BASE_URL = 'javascript:alert(1)';
      expect(() => loadMailConfig()).toThrow(/ACCOUNT_LINK_BASE_URL/);
    });

    it('refuses a password-reset link living longer than a day', () => {
      process.env.PASSWORD_RESET_TTL_SECONDS = String(2 * 24 * 3600);
      expect(() => loadMailConfig()).toThrow(/PASSWORD_RESET_TTL_SECONDS/);
    });
  });
});
