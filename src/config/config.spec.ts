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
      expect(tokensConfig()).toMatchObject({ accessSecret: strong('a'), refreshSecret: strong('r') });
    });
  });

  it('outside production, generates secrets once under DATA_DIR and reuses them', () => {
    process.env.NODE_ENV = 'development';
    delete process.env.ACCESS_TOKEN_SECRET;
    delete process.env.REFRESH_TOKEN_SECRET;
    process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'auth-config-'));
    const first = tokensConfig();
    const second = tokensConfig();
    expect(first.accessSecret).toHaveLength(64);
    expect(second).toMatchObject({ accessSecret: first.accessSecret, refreshSecret: first.refreshSecret });
    expect(first.accessSecret).not.toBe(first.refreshSecret);
    const file = join(process.env.DATA_DIR, 'dev-secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(first.accessSecret);
  });
});
