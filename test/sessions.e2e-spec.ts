import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RevocationFeed } from '../src/sessions/revocation-feed.js';
import { User } from '../src/users/user.entity.js';
import { claimsOf, refreshWithBody, signupAndLogin, type TokenPair } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { travel } from './support/clock.js';

const bearer = (pair: TokenPair) => `Bearer ${pair.accessToken}`;

describe('sessions and account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  async function secondLogin(body: { username: string; password: string }, userAgent = 'second-device'): Promise<TokenPair> {
    const res = await t.http().post('/auth/login').set('user-agent', userAgent).send({ login: body.username, password: body.password });
    expect(res.status).toBe(200);
    return res.body as TokenPair;
  }

  it('lists both sessions of two logins and marks the current one', async () => {
    const first = await signupAndLogin(t);
    const second = await secondLogin(first.body);

    const res = await t.http().get('/auth/sessions').set('authorization', bearer(second));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    const current = res.body.find((s: { current: boolean }) => s.current);
    expect(current.id).toBe(claimsOf(second.accessToken).sid);
    expect(current.userAgent).toBe('second-device');
    expect(res.body.find((s: { current: boolean }) => !s.current).id).toBe(claimsOf(first.pair.accessToken).sid);
    for (const session of res.body) expect(Object.keys(session).sort()).toEqual(['createdAt', 'current', 'id', 'ip', 'lastUsedAt', 'userAgent']);
  });

  it('announces each ended session once: ending it again by any route broadcasts nothing more', async () => {
    const publish = vi.spyOn(t.app.get(RevocationFeed), 'publish');
    try {
      const first = await signupAndLogin(t);
      const sid = String(claimsOf(first.pair.accessToken).sid);
      await t.http().post('/auth/logout').send({ refreshToken: first.pair.refreshToken }).expect(204);
      await t.http().post('/auth/logout').send({ refreshToken: first.pair.refreshToken }).expect(204);
      const second = await secondLogin(first.body);
      await t.http().post('/oauth/revoke').type('form').send({ token: first.pair.accessToken }).expect(200);
      await t.http().post('/auth/logout-all').set('authorization', bearer(second)).send({ scope: 'all' }).expect(204);
      const announced = publish.mock.calls.map(([ids]) => ids);
      expect(announced).toEqual([[sid], [String(claimsOf(second.accessToken).sid)]]);
    } finally {
      publish.mockRestore();
    }
  });

  it('records a logout-all as the user\'s own doing', async () => {
    const first = await signupAndLogin(t);
    await t.http().post('/auth/logout-all').set('authorization', bearer(first.pair)).send({ scope: 'all' }).expect(204);
    const [row]: Array<{ revoked_reason: string }> = await t.dataSource.query('SELECT revoked_reason FROM sessions WHERE id = ?', [
      claimsOf(first.pair.accessToken).sid,
    ]);
    expect(row.revoked_reason).toBe('logout_all');
  });

  it('ends a deleted session at once: its refresh token and its live access token both fail', async () => {
    const first = await signupAndLogin(t);
    const second = await secondLogin(first.body);
    await t.http().get('/users/me').set('authorization', bearer(first.pair)).expect(200);

    const sid = claimsOf(first.pair.accessToken).sid;
    await t.http().delete(`/auth/sessions/${String(sid)}`).set('authorization', bearer(second)).expect(204);

    const access = await t.http().get('/users/me').set('authorization', bearer(first.pair));
    expect(access.status).toBe(401);
    expect(access.body.code).toBe('token_revoked');
    expect(access.headers['www-authenticate']).toContain('error="invalid_token"');
    const refresh = await refreshWithBody(t, first.pair.refreshToken);
    expect(refresh.status).toBe(401);
    expect(refresh.body.code).toBe('refresh_token_revoked');

    const listed = await t.http().get('/auth/sessions').set('authorization', bearer(second));
    expect(listed.body.map((s: { id: string }) => s.id)).toEqual([claimsOf(second.accessToken).sid]);
    await t.http().get('/users/me').set('authorization', bearer(second)).expect(200);
  });

  it("answers another user's session id, and a malformed one, with 404", async () => {
    const mine = await signupAndLogin(t);
    const theirs = await signupAndLogin(t);
    const res = await t.http().delete(`/auth/sessions/${String(claimsOf(theirs.pair.accessToken).sid)}`).set('authorization', bearer(mine.pair));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    await t.http().get('/users/me').set('authorization', bearer(theirs.pair)).expect(200);
    const malformed = await t.http().delete('/auth/sessions/not-a-uuid').set('authorization', bearer(mine.pair));
    expect(malformed.status).toBe(404);
  });

  it('logout-all with scope "others" keeps the caller and ends the rest', async () => {
    const first = await signupAndLogin(t);
    const second = await secondLogin(first.body);
    const res = await t.http().post('/auth/logout-all').set('authorization', bearer(second)).send({ scope: 'others' });
    expect(res.status).toBe(204);
    expect((await t.http().get('/users/me').set('authorization', bearer(first.pair))).body.code).toBe('token_revoked');
    await t.http().get('/users/me').set('authorization', bearer(second)).expect(200);
    await refreshWithBody(t, second.refreshToken).expect(200);
  });

  it('logout-all by default ends every session, the caller’s too, and clears the cookie', async () => {
    const first = await signupAndLogin(t);
    const second = await secondLogin(first.body);
    const res = await t.http().post('/auth/logout-all').set('authorization', bearer(second));
    expect(res.status).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/refresh_token=;/);
    for (const pair of [first.pair, second]) {
      expect((await t.http().get('/users/me').set('authorization', bearer(pair))).body.code).toBe('token_revoked');
      expect((await refreshWithBody(t, pair.refreshToken)).status).toBe(401);
    }
  });

  it('refuses an invalid logout-all scope with 400', async () => {
    const { pair } = await signupAndLogin(t);
    const res = await t.http().post('/auth/logout-all').set('authorization', bearer(pair)).send({ scope: 'everything' });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('scope');
  });

  describe('password change', () => {
    it('ends every other session, keeps the current one, and swaps the password', async () => {
      const first = await signupAndLogin(t);
      const second = await secondLogin(first.body);
      const before = await t.dataSource.getRepository(User).findOneByOrFail({ id: first.userId });

      const res = await t.http()
        .patch('/users/me/password')
        .set('authorization', bearer(second))
        .send({ currentPassword: first.body.password, newPassword: 'a brand new passphrase' });
      expect(res.status).toBe(204);

      expect((await t.http().get('/users/me').set('authorization', bearer(first.pair))).body.code).toBe('token_revoked');
      expect((await refreshWithBody(t, first.pair.refreshToken)).status).toBe(401);
      await t.http().get('/users/me').set('authorization', bearer(second)).expect(200);
      await refreshWithBody(t, second.refreshToken).expect(200);

      const old = await t.http().post('/auth/login').send({ login: first.body.username, password: first.body.password });
      expect(old.status).toBe(401);
      await t.http().post('/auth/login').send({ login: first.body.username, password: 'a brand new passphrase' }).expect(200);
      const after = await t.dataSource.getRepository(User).findOneByOrFail({ id: first.userId });
      expect(after.passwordChangedAt.getTime()).toBeGreaterThanOrEqual(before.passwordChangedAt.getTime());
      expect(after.passwordHash).not.toBe(before.passwordHash);
    });

    it('refuses a wrong current password with 401 invalid_credentials and changes nothing', async () => {
      const first = await signupAndLogin(t);
      const res = await t.http()
        .patch('/users/me/password')
        .set('authorization', bearer(first.pair))
        .send({ currentPassword: 'not it at all', newPassword: 'another passphrase' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_credentials');
      await t.http().post('/auth/login').send({ login: first.body.username, password: first.body.password }).expect(200);
    });

    it('refuses a too-short new password with 400', async () => {
      const first = await signupAndLogin(t);
      const res = await t.http()
        .patch('/users/me/password')
        .set('authorization', bearer(first.pair))
        .send({ currentPassword: first.body.password, newPassword: 'short' });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['newPassword']);
    });
  });

  describe('account deletion', () => {
    it('deletes the user and all its sessions; its access tokens fail at once', async () => {
      const first = await signupAndLogin(t);
      const second = await secondLogin(first.body);
      const res = await t.http().delete('/users/me').set('authorization', bearer(first.pair)).send({ password: first.body.password });
      expect(res.status).toBe(204);

      for (const pair of [first.pair, second]) {
        expect((await t.http().get('/users/me').set('authorization', bearer(pair))).body.code).toBe('token_revoked');
        expect((await refreshWithBody(t, pair.refreshToken)).status).toBe(401);
      }
      expect(await t.dataSource.getRepository(User).countBy({ id: first.userId })).toBe(0);
      // Its sessions stay, revoked and detached from the deleted user, until purged: polling instances learn of them.
      const sessionIds = [first.pair, second].map((pair) => String(claimsOf(pair.refreshToken).sid));
      const placeholders = sessionIds.map(() => '?').join(', ');
      const rows: Array<{ user_id: string | null; revoked_at: unknown; revoked_reason: string }> = await t.dataSource.query(
        `SELECT user_id, revoked_at, revoked_reason FROM sessions WHERE id IN (${placeholders})`,
        sessionIds,
      );
      expect(rows).toHaveLength(2);
      expect(rows.every((row) => row.user_id === null && row.revoked_at !== null && row.revoked_reason === 'user_deleted')).toBe(true);
      const tokens: unknown[] = await t.dataSource.query(`SELECT id FROM refresh_tokens WHERE session_id IN (${placeholders})`, sessionIds);
      expect(tokens).toEqual([]);
      expect((await t.http().post('/auth/login').send({ login: first.body.username, password: first.body.password })).status).toBe(401);
    });

    it('refuses a wrong password with 401 and keeps the account', async () => {
      const first = await signupAndLogin(t);
      const res = await t.http().delete('/users/me').set('authorization', bearer(first.pair)).send({ password: 'wrong password' });
      expect(res.status).toBe(401);
      await t.http().get('/users/me').set('authorization', bearer(first.pair)).expect(200);
    });
  });
});

describe('session timeouts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_IDLE_TIMEOUT_SECONDS: '3600', SESSION_MAX_LIFETIME_SECONDS: '7200' } });
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses to refresh a session idle longer than SESSION_IDLE_TIMEOUT_SECONDS', async () => {
    const { pair } = await signupAndLogin(t);
    travel(3601);
    const res = await refreshWithBody(t, pair.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('session_expired');
  });

  it('keeps an active session alive within the idle timeout', async () => {
    const { pair } = await signupAndLogin(t);
    travel(3000);
    const res = await refreshWithBody(t, pair.refreshToken);
    expect(res.status).toBe(200);
  });

  it('never lets rotation stretch a session past SESSION_MAX_LIFETIME_SECONDS', async () => {
    const start = Date.now();
    const { pair } = await signupAndLogin(t);
    let refreshToken = pair.refreshToken;
    for (const elapsed of [3000, 6000]) {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(start + elapsed * 1000);
      const res = await refreshWithBody(t, refreshToken);
      expect(res.status).toBe(200);
      refreshToken = res.body.refreshToken;
      // every refresh token ends with the session at the latest
      expect(Number(claimsOf(refreshToken).exp)).toBeLessThanOrEqual(Math.ceil(start / 1000) + 7200);
      expect(res.body.refreshExpiresIn).toBeLessThanOrEqual(7200 - elapsed + 1);
    }
    vi.setSystemTime(start + 7201 * 1000);
    const late = await refreshWithBody(t, refreshToken);
    expect(late.status).toBe(401);
    expect(['session_expired', 'refresh_token_expired']).toContain(late.body.code);
  });
});
