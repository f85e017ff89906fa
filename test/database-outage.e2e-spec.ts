import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signupAndLogin, type TokenPair } from './support/flows.js';
import { captureLogs } from './support/log-capture.js';
import { PrivateMariadb, privateMariadbAvailable } from './support/private-mariadb.js';
import { createTestApp, onMysql, type TestApp } from './support/test-app.js';

/** Short deadlines keep the suite quick; the bounds below are stated in terms of them. */
const QUERY_TIMEOUT_MS = 1000;
const POOL_SIZE = 5;
/** The bound: a DB-backed request answers within the query timeout plus half a second while the database hangs. */
const HANG_BOUND_MS = QUERY_TIMEOUT_MS + 500;
/** ...and "at once" when the server is gone and connections are refused. */
const REFUSED_BOUND_MS = 300;
/** Requests succeed again within this long after the database is back. */
const RECOVERY_BOUND_MS = 1000;

interface Timed {
  status: number;
  ms: number;
  code?: string;
  retryAfter?: string;
}

/**
 * A private MariaDB frozen (SIGSTOP) and killed (SIGKILL) under the app. Runs in the SQLite run of `npm test`
 * (the suite brings its own server); skipped in the MariaDB run, where it would only repeat itself.
 */
describe.skipIf(onMysql || !privateMariadbAvailable())('database outage (private MariaDB)', () => {
  let db: PrivateMariadb;
  let t: TestApp;
  let pair: TokenPair;
  const { lines: logs, destination } = captureLogs();
  const latencies: Record<string, number[]> = { hang: [], refused: [] };

  beforeAll(async () => {
    db = await PrivateMariadb.start();
    t = await createTestApp({
      logDestination: destination,
      env: {
        LOG_LEVEL: 'info',
        DATABASE_URL: db.url,
        DATABASE_MIGRATIONS_RUN: 'true',
        DATABASE_CONNECT_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
        DATABASE_ACQUIRE_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
        DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
        DATABASE_POOL_SIZE: String(POOL_SIZE),
      },
    });
    await t.app.listen(0, '127.0.0.1');
    ({ pair } = await signupAndLogin(t));
  });

  afterAll(async () => {
    db?.thaw();
    await t?.close();
    await db?.stop();
    console.log(`latency while hung (ms): ${summary(latencies.hang)}; while refused: ${summary(latencies.refused)}`);
  });

  const bearer = () => ({ authorization: `Bearer ${pair.accessToken}` });

  async function timed(path: string, method: 'get' | 'post' = 'get', body?: object): Promise<Timed> {
    const started = performance.now();
    const request = t.http()[method](path).set(bearer());
    const res = await (body ? request.send(body) : request);
    return { status: res.status, ms: performance.now() - started, code: res.body?.code, retryAfter: res.headers['retry-after'] };
  }

  /** Every kind of database-backed request: a read, a login (lookup), a reissue (lookup first), readiness. */
  const databaseRoutes = () => [
    timed('/users/me'),
    timed('/auth/sessions'),
    timed('/auth/refresh', 'post', { refreshToken: pair.refreshToken }),
    timed('/auth/login', 'post', { login: 'nobody_here', password: 'not-the-password-1' }),
  ];
  const statelessRoutes = () => [
    timed('/auth/whoami'),
    timed('/health'),
    timed('/.well-known/jwks.json'),
    timed('/.well-known/oauth-authorization-server'),
  ];

  async function counts(): Promise<Record<string, number>> {
    const [row] = await db.query<Record<string, number | string>>(
      'SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM sessions) AS sessions, ' +
        '(SELECT COUNT(*) FROM refresh_tokens) AS tokens, (SELECT COUNT(*) FROM refresh_tokens WHERE used_at IS NOT NULL) AS spent',
    );
    return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
  }

  /** Polls a read until it succeeds; returns how long that took. */
  async function timeToRecovery(): Promise<number> {
    const started = performance.now();
    for (;;) {
      const res = await timed('/users/me');
      if (res.status === 200) return performance.now() - started;
      expect(res.code).toBe('database_unavailable');
      if (performance.now() - started > 10_000) throw new Error('no recovery within 10 s');
      await sleep(20);
    }
  }

  /** Load after recovery: every request succeeds, and the pool holds no more connections than its size. */
  async function loadSucceeds(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all([...Array.from({ length: 20 }, () => timed('/users/me')), timed('/auth/sessions')]);
      expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    }
    const [{ n }] = await db.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = '${db.database}' AND ID <> CONNECTION_ID()`,
    );
    expect(Number(n)).toBeLessThanOrEqual(POOL_SIZE);
  }

  it('while the database hangs: DB routes 503 database_unavailable within the bound, stateless routes 200', async () => {
    const before = await counts();
    db.freeze();
    try {
      // Waves over 2.5 s, longer than the query timeout: the first meets idle connections that hang, the later
      // ones an open circuit (and one trial per 0.5 s that hangs until the deadline).
      for (let wave = 0; wave < 6; wave++) {
        const [fromDatabase, stateless, ready] = await Promise.all([
          Promise.all(databaseRoutes()),
          Promise.all(statelessRoutes()),
          timed('/health/ready'),
        ]);
        for (const res of fromDatabase) {
          expect(res).toMatchObject({ status: 503, code: 'database_unavailable', retryAfter: '1' });
          expect(res.ms).toBeLessThan(HANG_BOUND_MS);
          latencies.hang.push(res.ms);
        }
        expect(stateless.map((r) => r.status)).toEqual([200, 200, 200, 200]);
        expect(ready.status).toBe(503);
        expect(ready.ms).toBeLessThan(HANG_BOUND_MS);
        await sleep(200);
      }
    } finally {
      db.thaw();
    }
    const recoveryMs = await timeToRecovery();
    console.log(`recovery after SIGCONT: ${recoveryMs.toFixed(0)} ms`);
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(await counts()).toEqual(before);
    await loadSucceeds();
  });

  it('while the server is dead: DB routes 503 at once; after a restart they recover without restarting the app', async () => {
    const before = await counts();
    await db.kill();
    for (let wave = 0; wave < 4; wave++) {
      const [fromDatabase, stateless] = await Promise.all([Promise.all(databaseRoutes()), Promise.all(statelessRoutes())]);
      for (const res of fromDatabase) {
        expect(res).toMatchObject({ status: 503, code: 'database_unavailable' });
        expect(res.ms).toBeLessThan(REFUSED_BOUND_MS);
        latencies.refused.push(res.ms);
      }
      expect(stateless.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect((await timed('/health/ready')).status).toBe(503);
      await sleep(200);
    }
    await db.launch(); // resolves once the server accepts queries again
    const recoveryMs = await timeToRecovery();
    console.log(`recovery after restart: ${recoveryMs.toFixed(0)} ms`);
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(await counts()).toEqual(before);
    await loadSucceeds();
    // The session outlived the outage: its refresh token still rotates.
    const refreshed = await timed('/auth/refresh', 'post', { refreshToken: pair.refreshToken });
    expect(refreshed.status).toBe(200);
  });

  it('logs one line per transition and a summary, never a stack per request', () => {
    const messages = logs.map((line) => line.msg ?? '');
    expect(messages.filter((m) => m.startsWith('database unavailable: '))).toHaveLength(2);
    expect(messages.filter((m) => m.startsWith('database back after '))).toHaveLength(2);
    expect(messages.filter((m) => /^database unavailable \(.+\): \d+ request\(s\) answered 503/.test(m)).length).toBeGreaterThan(0);
    expect(logs.filter((line) => line.level >= 50)).toEqual([]);
  });
});

/** Another process (here: another connection) holds SQLite's write lock longer than busy_timeout. */
describe.skipIf(onMysql)('database locked (SQLite)', () => {
  it('answers a write 503 database_unavailable after busy_timeout, and succeeds once the lock is released', async () => {
    const { lines: logs, destination } = captureLogs();
    const t = await createTestApp({ logDestination: destination, env: { LOG_LEVEL: 'info', DATABASE_ACQUIRE_TIMEOUT_MS: '200' } });
    const { body: user } = await signupAndLogin(t);
    const other = await new DataSource({ type: 'better-sqlite3', database: join(t.dataDir, 'auth.sqlite') }).initialize();
    try {
      await other.query('BEGIN IMMEDIATE'); // the write lock, held until ROLLBACK
      const started = performance.now();
      const login = await t.http().post('/auth/login').send({ login: user.username, password: user.password });
      expect(login.status).toBe(503);
      expect(login.body.code).toBe('database_unavailable');
      expect(login.headers['retry-after']).toBe('1');
      expect(performance.now() - started).toBeLessThan(2000);
      await t.http().get('/health').expect(200);
      await other.query('ROLLBACK');
      await t.http().post('/auth/login').send({ login: user.username, password: user.password }).expect(200);
    } finally {
      await other.destroy();
      await t.close();
    }
    expect(logs.some((line) => /^database unavailable \(SQLITE_BUSY\): 1 request\(s\) answered 503/.test(line.msg ?? ''))).toBe(true);
    expect(logs.filter((line) => line.level >= 50)).toEqual([]);
  });
});

function summary(values: number[]): string {
  if (values.length === 0) return 'none';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(0);
  return `n=${sorted.length} median=${at(0.5)} p95=${at(0.95)} max=${sorted.at(-1)!.toFixed(0)}`;
}
