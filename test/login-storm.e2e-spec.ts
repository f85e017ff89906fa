import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signupAndLogin } from './support/flows.js';
import { createTestApp, newUser, type TestApp } from './support/test-app.js';

describe('logins cannot starve the rest: a bounded argon2 queue', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ARGON2_MAX_CONCURRENCY: '1', ARGON2_MAX_QUEUED: '2', RATE_LIMIT_LOGIN: '1000' } });
  });
  afterAll(() => t.close());

  it('answers logins past the queue with 503 busy and Retry-After, serves the rest, and recovers', async () => {
    const user = newUser();
    const { pair } = await signupAndLogin(t, { username: user.username, email: user.email, password: user.password });
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () => t.http().post('/auth/login').send({ login: user.username, password: user.password })),
    );
    const statuses = attempts.map((response) => response.status);
    // One running and two waiting at most while they arrive together: some are refused rather than queued.
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    const busy = attempts.find((response) => response.status === 503)!;
    expect(busy.body).toMatchObject({ statusCode: 503, code: 'busy' });
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);

    // A busy answer is not a failed login: nothing is counted against the account or the address.
    await t.http().get('/auth/whoami').set('authorization', `Bearer ${pair.accessToken}`).expect(200);
    await t.http().post('/auth/login').send({ login: user.username, password: user.password }).expect(200);
  });
});
