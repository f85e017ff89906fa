import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefreshToken } from '../src/sessions/refresh-token.entity.js';
import { claimsOf, refreshWithBody, setCookies, signupAndLogin } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('logout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 204, clears the cookie and revokes the session; refresh then fails', async () => {
    const { pair } = await signupAndLogin(t);
    const rotated = await refreshWithBody(t, pair.refreshToken);
    const res = await t.http().post('/auth/logout').send({ refreshToken: rotated.body.refreshToken });
    expect(res.status).toBe(204);
    const cleared = setCookies(res.headers).find((c) => c.startsWith('refresh_token='));
    expect(cleared).toMatch(/refresh_token=;/);
    expect(cleared).toMatch(/Path=\/auth/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);

    const after = await refreshWithBody(t, rotated.body.refreshToken);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('refresh_token_revoked');
    const rows = await t.dataSource.getRepository(RefreshToken).findBy({ sessionId: String(claimsOf(pair.refreshToken).sid) });
    expect(rows.every((row) => row.revokedReason === 'logout' || row.usedAt !== null)).toBe(true);
    expect(rows.every((row) => row.revokedAt !== null)).toBe(true);
  });

  it('works from the cookie alone and is idempotent', async () => {
    const { cookies } = await signupAndLogin(t);
    const cookie = cookies.find((c) => c.startsWith('refresh_token='))!.split(';')[0];
    await t.http().post('/auth/logout').set('cookie', cookie).expect(204);
    const again = await t.http().post('/auth/logout').set('cookie', cookie);
    expect(again.status).toBe(204);
  });

  it('leaves the user’s other sessions alone', async () => {
    const first = await signupAndLogin(t);
    const second = await t.http().post('/auth/login').send({ login: first.body.username, password: first.body.password });
    await t.http().post('/auth/logout').send({ refreshToken: first.pair.refreshToken }).expect(204);
    const res = await refreshWithBody(t, second.body.refreshToken);
    expect(res.status).toBe(200);
  });

  it('answers 401 missing_refresh_token without a token', async () => {
    const res = await t.http().post('/auth/logout');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('missing_refresh_token');
  });
});
