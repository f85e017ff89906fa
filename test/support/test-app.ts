import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { APP_OPTIONS, configureApp, createAdapter } from '../../src/bootstrap.js';

export interface TestApp {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  driver: 'sqlite' | 'mysql';
  dataDir: string;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  logDestination?: DestinationStream;
  /** Another app's data folder: both instances then share one SQLite file (and keys, via env). */
  dataDir?: string;
}

/** True when the suite runs against MySQL/MariaDB (DATABASE_URL set), false on the embedded SQLite. */
export const onMysql = Boolean(process.env.DATABASE_URL);

/** What every test instance runs with: fresh secrets, and generous limits (the suites that test them set their own). */
export function testEnv(dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    ACCESS_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    COOKIE_SECURE: 'false',
    RATE_LIMIT_LOGIN: '100000',
    RATE_LIMIT_SIGNUP: '100000',
    RATE_LIMIT_REFRESH: '100000',
    LOGIN_PAIR_DELAY_AFTER: '1000',
    LOGIN_PAIR_BLOCK_AFTER: '1000',
    LOGIN_ACCOUNT_DELAY_AFTER: '100000',
    ACCOUNT_MAIL_LIMIT_PER_ADDRESS: '1000',
    ACCOUNT_MAIL_LIMIT_PER_IP: '100000',
  };
}

/**
 * Builds the real AppModule through Test.createTestingModule, on a fresh SQLite file
 * (or the shared MariaDB database when DATABASE_URL is set), with the same setup as main.ts.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'auth-test-'));
  const env: Record<string, string> = {
    ...testEnv(dataDir),
    ...(onMysql ? { DATABASE_MIGRATIONS_RUN: 'false' } : {}),
    ...options.env,
  };
  const restore = setEnv(env);
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(
      createAdapter(undefined, options.logDestination),
      APP_OPTIONS,
    );
    configureApp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const dataSource = app.get(DataSource);
    return {
      app,
      http: () => request(app.getHttpServer()),
      dataSource,
      driver: onMysql ? 'mysql' : 'sqlite',
      dataDir,
      close: async () => {
        await app.close();
        if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } finally {
    restore();
  }
}

function setEnv(values: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** A signup body no other test uses. */
export function newUser(overrides: Partial<Record<'email' | 'username' | 'name' | 'password', string>> = {}) {
  const tag = randomUUID().slice(0, 8);
  return {
    email: `user-${tag}@example.com`,
    username: `user_${tag}`,
    name: `Test User ${tag}`,
    password: `pw-${randomUUID()}`,
    ...overrides,
  };
}
