import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshWithBody, signupAndLogin } from './support/flows.js';
import { listen, rawHttp, rawRequest } from './support/hostile.js';
import { REDIS_URL, redisSuitesEnabled } from './support/redis.js';
import { createTestApp, newUser, type TestApp } from './support/test-app.js';

const withRedis = await redisSuitesEnabled();

const login = (t: TestApp, body: { login: string; password: string }, ip?: string) => {
  const req = t.http().post('/auth/login');
  if (ip) void req.set('x-forwarded-for', ip);
  return req.send(body);
};

describe('rate limits per client IP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_LOGIN: '3', RATE_LIMIT_SIGNUP: '2', RATE_LIMIT_REFRESH: '3', RATE_LIMIT_WINDOW_SECONDS: '60' } });
  });
  afterAll(() => t.close());

  it('answers the login past the limit with 429 rate_limited and Retry-After, and leaves other routes alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(t, { login: 'nobody_at_all', password: 'whatever-it-is' })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await login(t, { login: 'nobody_at_all', password: 'whatever-it-is' });
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    await t.http().get('/health').expect(200);
  });

  it('limits signups separately', async () => {
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await t.http().post('/auth/signup').send(newUser())).status);
    expect(results).toEqual([201, 201, 429]);
  });

  it('counts garbage refresh tokens against the refresh limit', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await refreshWithBody(t, `garbage.${i}.token`)).status);
    expect(results).toEqual([401, 401, 401, 429]);
  });

  it('does not believe X-Forwarded-For unless TRUST_PROXY is on', async () => {
    const res = await login(t, { login: 'someone_else', password: 'whatever-it-is' }, '203.0.113.99');
    expect(res.status).toBe(429); // same socket IP, same exhausted bucket
  });
});

describe('failed-login throttling per (account, IP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { TRUST_PROXY: 'true', LOGIN_PAIR_DELAY_AFTER: '2', LOGIN_PAIR_BLOCK_AFTER: '4', LOGIN_MAX_DELAY_MS: '50', LOGIN_ACCOUNT_DELAY_AFTER: '10' },
    });
  });
  afterAll(() => t.close());

  it('blocks the attacking IP for that account while the owner logs in from elsewhere', async () => {
    const victim = await signupAndLogin(t);
    const attacker = '198.51.100.7';
    for (let i = 0; i < 4; i++) {
      const res = await login(t, { login: victim.body.username, password: `guess-${i}-wrong` }, attacker);
      expect(res.status).toBe(401);
    }
    const blocked = await login(t, { login: victim.body.username, password: victim.body.password }, attacker);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('login_blocked');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);

    const owner = await login(t, { login: victim.body.username, password: victim.body.password }, '192.0.2.10');
    expect(owner.status).toBe(200);
    // the same attacker can still log in to another account: the block is per pair
    const other = await signupAndLogin(t);
    expect((await login(t, { login: other.body.username, password: other.body.password }, attacker)).status).toBe(200);
  });

  it('treats an unknown account exactly like an existing one', async () => {
    const ip = '198.51.100.8';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(t, { login: `ghost_${randomBytes(4).toString('hex')}`, password: 'x-wrong-x' }, ip)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]); // different accounts: no pair reaches the limit
    const ghost = 'ghost_fixed_name';
    const same: number[] = [];
    for (let i = 0; i < 5; i++) same.push((await login(t, { login: ghost, password: 'x-wrong-x' }, ip)).status);
    expect(same).toEqual([401, 401, 401, 401, 429]);
  });

  it('only slows, never blocks, an account attacked from many IPs', async () => {
    const victim = await signupAndLogin(t);
    for (let i = 0; i < 12; i++) {
      await login(t, { login: victim.body.email, password: 'wrong-password' }, `203.0.113.${i + 1}`).expect(401);
    }
    const owner = await login(t, { login: victim.body.email, password: victim.body.password }, '192.0.2.77');
    expect(owner.status).toBe(200);
  });

  it('clears the pair on a correct password', async () => {
    const user = await signupAndLogin(t);
    const ip = '198.51.100.9';
    for (let i = 0; i < 3; i++) await login(t, { login: user.body.username, password: 'wrong-password' }, ip).expect(401);
    await login(t, { login: user.body.username, password: user.body.password }, ip).expect(200);
    for (let i = 0; i < 3; i++) await login(t, { login: user.body.username, password: 'wrong-password' }, ip).expect(401);
    expect((await login(t, { login: user.body.username, password: user.body.password }, ip)).status).toBe(200);
  });
});

describe('failed-login counters are shared between instances', () => {
  const shared = () => ({
    ACCESS_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    TRUST_PROXY: 'true',
    LOGIN_PAIR_DELAY_AFTER: '2',
    LOGIN_PAIR_BLOCK_AFTER: '3',
    LOGIN_MAX_DELAY_MS: '10',
  });

  for (const backend of withRedis ? (['database', 'redis'] as const) : (['database'] as const)) {
    it(`blocks on instance B after failures on instance A (${backend})`, async () => {
      const env = { ...shared(), ...(backend === 'redis' ? { REDIS_URL } : {}) };
      const a = await createTestApp({ env });
      const b = await createTestApp({ env, dataDir: a.dataDir });
      try {
        const user = await signupAndLogin(a);
        const ip = `198.51.100.${backend === 'redis' ? 201 : 200}`;
        for (let i = 0; i < 3; i++) await login(a, { login: user.body.username, password: 'wrong-password' }, ip).expect(401);
        const res = await login(b, { login: user.body.username, password: user.body.password }, ip);
        expect(res.status).toBe(429);
        expect(res.body.code).toBe('login_blocked');
      } finally {
        await b.close();
        await a.close();
      }
    });
  }
});

describe('password rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each(['password1', 'Password1', 'qwertyuiop', '1234567890'])('refuses the common password %s with 400', async (password) => {
    const res = await t.http().post('/auth/signup').send(newUser({ password }));
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'password', messages: ['password is one of the most common passwords'] }]);
  });

  it('refuses a password equal to the username or the email', async () => {
    const byName = newUser();
    const res1 = await t.http().post('/auth/signup').send({ ...byName, password: byName.username.toUpperCase() });
    expect(res1.status).toBe(400);
    const byEmail = newUser();
    const res2 = await t.http().post('/auth/signup').send({ ...byEmail, password: byEmail.email });
    expect(res2.status).toBe(400);
    expect(res2.body.details[0].field).toBe('password');
  });

  it('accepts a long passphrase with spaces and Unicode, used exactly as typed', async () => {
    const password = `  Ünïcödé pässphrase ${'x'.repeat(80)} `;
    const body = newUser({ password });
    await t.http().post('/auth/signup').send(body).expect(201);
    await t.http().post('/auth/login').send({ login: body.username, password }).expect(200);
    expect((await t.http().post('/auth/login').send({ login: body.username, password: password.trim() })).status).toBe(401);
  });

  it('applies the same rules to a new password', async () => {
    const { pair, body } = await signupAndLogin(t);
    const res = await t.http()
      .patch('/users/me/password')
      .set('authorization', `Bearer ${pair.accessToken}`)
      .send({ currentPassword: body.password, newPassword: 'iloveyou123' });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('newPassword');
  });
});

describe('security headers and CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => t.close());

  it('sends security headers and no X-Powered-By', async () => {
    const res = await t.http().get('/health');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('sends them on every kind of answer: success, guard refusal, validation error, 404, router rejections', async () => {
    const port = await listen(t);
    const raw = async (target: string) => (await rawHttp(port, rawRequest('GET', target, [['Connection', 'close']]))).responses[0];
    const answers = {
      'a success': await t.http().get('/health'),
      'a guard refusal': await t.http().get('/auth/whoami'),
      'a validation error': await t.http().post('/auth/login').send({ nope: 1 }),
      'an unknown route': await t.http().get('/no/such/route'),
      'a malformed URL (the router refuses it)': await raw('/users/%zz'),
      'a target no route can match (answered by the 404 handler before the other hooks)': await raw('*health'),
    };
    for (const [label, answer] of Object.entries(answers)) {
      expect(answer.status, label).toBeGreaterThanOrEqual(label === 'a success' ? 200 : 400);
      expect(answer.headers['x-content-type-options'], label).toBe('nosniff');
      expect(answer.headers['content-security-policy'], label).toContain("default-src 'self'");
      expect(answer.headers['x-frame-options'], label).toBe('SAMEORIGIN');
      expect(answer.headers['x-request-id'], label).toMatch(/^[\w.-]{1,64}$/);
    }
  });

  it('keeps Swagger UI working under the CSP: only same-origin scripts, no inline ones', async () => {
    const res = await t.http().get('/docs').redirects(1);
    expect(res.status).toBe(200);
    const scripts = [...res.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\.?\/?[^":]+"/);
      expect(body.trim()).toBe('');
    }
  });

  it('allows listed origins with credentials and nobody else', async () => {
    const allowed = await t.http().options('/auth/refresh').set('origin', 'https://app.example.com').set('access-control-request-method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const denied = await t.http().options('/auth/refresh').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    expect(denied.headers['access-control-allow-credentials']).not.toBe('true');
  });
});
