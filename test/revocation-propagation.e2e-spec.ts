import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signupAndLogin, type TokenPair } from './support/flows.js';
import { REDIS_URL, redisSuitesEnabled } from './support/redis.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const withRedis = await redisSuitesEnabled();

/** Two instances of the service must share keys and a database; this is what an operator configures. */
function sharedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ACCESS_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    ...extra,
  };
}

const meWith = (app: TestApp, pair: TokenPair) => app.http().get('/users/me').set('authorization', `Bearer ${pair.accessToken}`);

/** Repeats `call` until it is refused, up to `deadlineMs`; returns the last status and code. */
async function refusedWithin(
  call: () => ReturnType<typeof meWith>,
  deadlineMs: number,
): Promise<{ status: number; code?: string }> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const res = await call();
    if (res.status === 401 || Date.now() > end) return { status: res.status, code: res.body.code };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('revocation across instances sharing one database (polling)', () => {
  const POLL_SECONDS = 1;
  let a: TestApp;
  let b: TestApp;
  let env: Record<string, string>;
  beforeAll(async () => {
    env = sharedEnv({ SESSION_REVOCATION_POLL_SECONDS: String(POLL_SECONDS) });
    a = await createTestApp({ env });
    b = await createTestApp({ env, dataDir: a.dataDir });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('refuses on instance B, within the poll interval, a session revoked through instance A', async () => {
    const { pair } = await signupAndLogin(a);
    expect((await meWith(b, pair)).status).toBe(200); // B knows the token and has verified it once

    await a.http().post('/auth/logout-all').set('authorization', `Bearer ${pair.accessToken}`).expect(204);
    expect((await meWith(a, pair)).body.code).toBe('token_revoked'); // A at once

    // Documented bound: SESSION_REVOCATION_POLL_SECONDS plus one query; the test allows one extra interval.
    const seenByB = await refusedWithin(() => meWith(b, pair), 2 * POLL_SECONDS * 1000 + 1000);
    expect(seenByB).toEqual({ status: 401, code: 'token_revoked' });
  });

  it('refuses on instance B the access token of an account deleted through instance A', async () => {
    const { pair, body } = await signupAndLogin(a);
    expect((await meWith(b, pair)).status).toBe(200);
    await a.http().delete('/users/me').set('authorization', `Bearer ${pair.accessToken}`).send({ password: body.password }).expect(204);
    // /auth/whoami reads no database, so only the revocation set can refuse it.
    const whoami = () => b.http().get('/auth/whoami').set('authorization', `Bearer ${pair.accessToken}`);
    expect(await refusedWithin(whoami, 2 * POLL_SECONDS * 1000 + 1000)).toEqual({ status: 401, code: 'token_revoked' });
  });

  it('rebuilds the set from the database on start: a new instance refuses a session revoked before it started', async () => {
    const { pair } = await signupAndLogin(a);
    await a.http().post('/auth/logout-all').set('authorization', `Bearer ${pair.accessToken}`).expect(204);
    // Polling every five minutes: only the rebuild at start can know about it.
    const c = await createTestApp({ env: { ...env, SESSION_REVOCATION_POLL_SECONDS: '300' }, dataDir: a.dataDir });
    try {
      const res = await meWith(c, pair);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('token_revoked');
    } finally {
      await c.close();
    }
  });
});

describe.runIf(withRedis)('revocation across instances through Redis pub/sub', () => {
  let a: TestApp;
  let b: TestApp;
  let env: Record<string, string>;
  beforeAll(async () => {
    // Polling is set to five minutes, so only Redis can deliver within the deadline below.
    env = sharedEnv({ REDIS_URL, SESSION_REVOCATION_POLL_SECONDS: '300' });
    a = await createTestApp({ env });
    b = await createTestApp({ env, dataDir: a.dataDir });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('refuses on instance B within two seconds a session revoked through instance A (polling is at five minutes)', async () => {
    const { pair } = await signupAndLogin(a);
    expect((await meWith(b, pair)).status).toBe(200);
    await a.http().post('/auth/logout-all').set('authorization', `Bearer ${pair.accessToken}`).expect(204);
    expect(await refusedWithin(() => meWith(b, pair), 2000)).toEqual({ status: 401, code: 'token_revoked' });
  });

  it('rebuilds the set from the database on start', async () => {
    const { pair } = await signupAndLogin(a);
    await a.http().post('/auth/logout-all').set('authorization', `Bearer ${pair.accessToken}`).expect(204);
    const c = await createTestApp({ env, dataDir: a.dataDir });
    try {
      const res = await meWith(c, pair);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('token_revoked');
    } finally {
      await c.close();
    }
  });
});
