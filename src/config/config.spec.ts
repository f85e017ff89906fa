import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appConfig } from './app.config.js';
import { loadDatabaseConfig } from './database.config.js';
import { InvalidConfigError } from './env.js';
import { passwordConfig } from './password.config.js';
import { tokensConfig } from './tokens.config.js';

const saved = { ...process.env };
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
      expect(() => tokensConfig()).toThrow(/ACCESS_TOKEN_SECRET: is required in production/);
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
      expect(tokensConfig()).toMatchObject({ accessKey: { algorithm: 'HS256', secret: strong('a') }, refreshSecret: strong('r') });
    });
  });

  it('outside production, generates secrets once under DATA_DIR and reuses them', () => {
    process.env.NODE_ENV = 'development';
    delete process.env.ACCESS_TOKEN_SECRET;
    delete process.env.REFRESH_TOKEN_SECRET;
    process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'auth-config-'));
    const first = tokensConfig();
    const second = tokensConfig();
    const accessSecret = first.accessKey.algorithm === 'HS256' ? first.accessKey.secret : '';
    expect(accessSecret).toHaveLength(64);
    expect(second).toMatchObject({ accessKey: { secret: accessSecret }, refreshSecret: first.refreshSecret });
    expect(accessSecret).not.toBe(first.refreshSecret);
    const file = join(process.env.DATA_DIR, 'dev-secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(accessSecret);
  });

  describe('asymmetric access keys', () => {
    it('in production, stops the boot naming the missing key variable and needs no ACCESS_TOKEN_SECRET', () => {
      process.env.NODE_ENV = 'production';
      process.env.ACCESS_TOKEN_ALG = 'ES256';
      delete process.env.ACCESS_TOKEN_SECRET;
      delete process.env.ACCESS_TOKEN_PRIVATE_KEY;
      delete process.env.ACCESS_TOKEN_PRIVATE_KEY_FILE;
      process.env.REFRESH_TOKEN_SECRET = strong('r');
      expect(() => tokensConfig()).toThrow(/ACCESS_TOKEN_PRIVATE_KEY: is required in production/);
    });

    it('reads a PEM with escaped newlines and refuses a key of the wrong type', () => {
      process.env.NODE_ENV = 'production';
      process.env.REFRESH_TOKEN_SECRET = strong('r');
      process.env.ACCESS_TOKEN_ALG = 'RS256';
      const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      process.env.ACCESS_TOKEN_PRIVATE_KEY = pem.replace(/\n/g, '\\n');
      expect(tokensConfig().accessKey.algorithm).toBe('RS256');
      process.env.ACCESS_TOKEN_ALG = 'ES256';
      expect(() => tokensConfig()).toThrow(/ACCESS_TOKEN_PRIVATE_KEY: ACCESS_TOKEN_ALG=ES256 needs an EC P-256 key/);
      process.env.ACCESS_TOKEN_ALG = 'EdDSA'; // not yet: jsonwebtoken 9 has no EdDSA
      expect(() => tokensConfig()).toThrow(/ACCESS_TOKEN_ALG/);
    });

    it('outside production, generates the key once under DATA_DIR with mode 0600', () => {
      process.env.NODE_ENV = 'development';
      process.env.ACCESS_TOKEN_ALG = 'RS256';
      delete process.env.ACCESS_TOKEN_PRIVATE_KEY;
      delete process.env.ACCESS_TOKEN_PRIVATE_KEY_FILE;
      process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'auth-config-'));
      const first = tokensConfig().accessKey;
      const second = tokensConfig().accessKey;
      if (first.algorithm === 'HS256' || second.algorithm === 'HS256') throw new Error('expected an RS256 key');
      expect(first.privateKey.equals(second.privateKey)).toBe(true);
      expect(statSync(join(process.env.DATA_DIR, 'access-key-rs256.pem')).mode & 0o777).toBe(0o600);
    });
  });
});
