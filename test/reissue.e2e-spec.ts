import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RefreshToken } from '../src/sessions/refresh-token.entity.js';
import { User } from '../src/users/user.entity.js';
import { claimsOf, refreshWithBody, setCookies, signupAndLogin } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { travel } from './support/clock.js';

describe('reissue (POST /auth/refresh)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const sessionRows = (sessionId: unknown) =>
    t.dataSource.getRepository(RefreshToken).find({ where: { sessionId: String(sessionId) }, order: { createdAt: 'ASC' } });

  it('rotates a refresh token sent in the JSON body', async () => {
    const { pair } = await signupAndLogin(t);
    const res = await refreshWithBody(t, pair.refreshToken);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.refreshToken).not.toBe(pair.refreshToken);
    expect(res.body.accessToken).not.toBe(pair.accessToken);
    expect(claimsOf(res.body.accessToken).sid).toBe(claimsOf(pair.accessToken).sid);
    expect(setCookies(res.headers).join()).toContain(`refresh_token=${res.body.refreshToken}`);
    const protectedRes = await t.http().get('/users/me').set('authorization', `Bearer ${res.body.accessToken}`);
    expect(protectedRes.status).toBe(200);
  });

  it('rotates a refresh token sent as the cookie (browser flow)', async () => {
    const { pair, cookies } = await signupAndLogin(t);
    const cookie = cookies.find((c) => c.startsWith('refresh_token='))!.split(';')[0];
    const res = await t.http().post('/auth/refresh').set('cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).not.toBe(pair.refreshToken);
  });

  it('rotates a refresh token sent as Authorization: Bearer', async () => {
    const { pair } = await signupAndLogin(t);
    const res = await t.http().post('/auth/refresh').set('authorization', `Bearer ${pair.refreshToken}`);
    expect(res.status).toBe(200);
  });

  it('answers 401 missing_refresh_token when no refresh token is sent', async () => {
    const res = await t.http().post('/auth/refresh').send({});
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('missing_refresh_token');
  });

  it('hands the same successor back to a replay within the grace window', async () => {
    const { pair } = await signupAndLogin(t);
    const first = await refreshWithBody(t, pair.refreshToken);
    travel(5);
    const replay = await refreshWithBody(t, pair.refreshToken);
    expect(replay.status).toBe(200);
    expect(replay.body.refreshToken).toBe(first.body.refreshToken);
    expect(replay.body.accessToken).not.toBe(first.body.accessToken);
    // and the lineage continues normally from that successor
    const next = await refreshWithBody(t, first.body.refreshToken);
    expect(next.status).toBe(200);
  });

  it('treats a replay after the grace window as theft: 401 refresh_token_reused and the whole session dies', async () => {
    const { pair } = await signupAndLogin(t);
    const first = await refreshWithBody(t, pair.refreshToken);
    const second = await refreshWithBody(t, first.body.refreshToken);
    expect(second.status).toBe(200);

    travel(11);
    const replay = await refreshWithBody(t, pair.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('refresh_token_reused');

    const newest = await refreshWithBody(t, second.body.refreshToken);
    expect(newest.status).toBe(401);
    expect(newest.body.code).toBe('refresh_token_revoked');
    const rows = await sessionRows(claimsOf(pair.refreshToken).sid);
    expect(rows.every((row) => row.revokedAt !== null && row.revokedReason === 'reuse')).toBe(true);
  });

  it('treats an older ancestor as theft at once, even within the grace window', async () => {
    const { pair } = await signupAndLogin(t);
    const first = await refreshWithBody(t, pair.refreshToken);
    await refreshWithBody(t, first.body.refreshToken).expect(200);
    const replay = await refreshWithBody(t, pair.refreshToken); // grandparent, seconds later
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('refresh_token_reused');
  });

  it('never revives a session revoked for reuse, not even through the grace path', async () => {
    const { pair } = await signupAndLogin(t);
    const first = await refreshWithBody(t, pair.refreshToken);
    await refreshWithBody(t, first.body.refreshToken).expect(200);
    await refreshWithBody(t, pair.refreshToken).expect(401); // breach: session revoked
    const graceReplay = await refreshWithBody(t, first.body.refreshToken);
    expect(graceReplay.status).toBe(401);
    expect(graceReplay.body.code).toBe('refresh_token_revoked');
  });

  it('ends 20 concurrent reissues with one token in exactly one lineage, without a 5xx', async () => {
    const { pair } = await signupAndLogin(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => refreshWithBody(t, pair.refreshToken)));
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    const successors = new Set(results.map((r) => r.body.refreshToken));
    expect(successors.size).toBe(1);

    const rows = await sessionRows(claimsOf(pair.refreshToken).sid);
    expect(rows).toHaveLength(2);
    const root = rows.find((row) => row.parentId === null)!;
    expect(rows.find((row) => row !== root)!.parentId).toBe(root.id);
    const [successor] = successors;
    await refreshWithBody(t, successor).expect(200);
  });

  it('answers an expired refresh token with 401 refresh_token_expired', async () => {
    const { pair } = await signupAndLogin(t);
    travel(14 * 24 * 3600 + 1);
    const res = await refreshWithBody(t, pair.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('refresh_token_expired');
  });

  it('puts the user’s current roles and name into the reissued access token', async () => {
    const { pair, userId } = await signupAndLogin(t);
    await t.dataSource.getRepository(User).update({ id: userId }, { roles: ['user', 'admin'], name: 'Renamed' });
    const res = await refreshWithBody(t, pair.refreshToken);
    expect(claimsOf(res.body.accessToken)).toMatchObject({ roles: ['user', 'admin'], name: 'Renamed' });
  });

  it('refuses reissue for a disabled user and ends the session', async () => {
    const { pair, userId } = await signupAndLogin(t);
    await t.dataSource.getRepository(User).update({ id: userId }, { disabled: true });
    const res = await refreshWithBody(t, pair.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('refresh_token_revoked');
    const [session]: Array<{ revoked_at: unknown; revoked_reason: string }> = await t.dataSource.query(
      'SELECT revoked_at, revoked_reason FROM sessions WHERE id = ?',
      [claimsOf(pair.refreshToken).sid],
    );
    expect(session.revoked_at).not.toBeNull();
    expect(session.revoked_reason).toBe('user_disabled');
    // Enabled again, the user still cannot use the ended session.
    await t.dataSource.getRepository(User).update({ id: userId }, { disabled: false });
    expect((await refreshWithBody(t, pair.refreshToken)).body.code).toBe('refresh_token_revoked');
  });

  it('stores only SHA-256 hashes: no column of any row holds a raw refresh token', async () => {
    const { pair } = await signupAndLogin(t);
    const rotated = await refreshWithBody(t, pair.refreshToken);
    const rows: Record<string, unknown>[] = await t.dataSource.query('SELECT * FROM refresh_tokens');
    const dump = JSON.stringify(rows);
    for (const token of [pair.refreshToken, rotated.body.refreshToken]) {
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(token.split('.')[2]); // not even the signature
    }
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(String(row.token_hash)))).toBe(true);
  });

  it("keys each row by its token's iat and hash, and finds the token by that pair alone", async () => {
    const { pair } = await signupAndLogin(t);
    const repository = t.dataSource.getRepository(RefreshToken);
    const { sid, iat } = claimsOf(pair.refreshToken) as { sid: string; iat: number };
    const [row] = await repository.findBy({ sessionId: sid });
    expect(row.createdAt.getTime()).toBe(iat * 1000);
    // Moved one second off its token's iat, the row is no longer the token's: the reissue is refused.
    await repository.update({ id: row.id }, { createdAt: new Date(row.createdAt.getTime() + 1000) });
    expect((await refreshWithBody(t, pair.refreshToken)).body.code).toBe('refresh_token_revoked');
    await repository.update({ id: row.id }, { createdAt: row.createdAt });
    expect((await refreshWithBody(t, pair.refreshToken)).status).toBe(200);
  });

  describe('pair check', () => {
    it('accepts an (expired) access token of the same session alongside the refresh token', async () => {
      const { pair } = await signupAndLogin(t);
      travel(16 * 60);
      const res = await t.http().post('/auth/refresh').set('authorization', `Bearer ${pair.accessToken}`).send({ refreshToken: pair.refreshToken });
      expect(res.status).toBe(200);
    });

    it('refuses an access token of another session with 401 token_mismatch', async () => {
      const a = await signupAndLogin(t);
      const b = await signupAndLogin(t);
      const res = await t.http().post('/auth/refresh').set('authorization', `Bearer ${b.pair.accessToken}`).send({ refreshToken: a.pair.refreshToken });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('token_mismatch');
      // the refresh token was not spent by the refused attempt
      await refreshWithBody(t, a.pair.refreshToken).expect(200);
    });
  });
});

describe('reissue with REFRESH_REQUIRE_EXPIRED_ACCESS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { REFRESH_REQUIRE_EXPIRED_ACCESS: 'true' } });
  });
  afterAll(() => t.close());

  it('refuses reissue while the paired access token is still valid and revokes the session', async () => {
    const { pair } = await signupAndLogin(t);
    const res = await t.http().post('/auth/refresh').set('authorization', `Bearer ${pair.accessToken}`).send({ refreshToken: pair.refreshToken });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('premature_refresh');
    const after = await refreshWithBody(t, pair.refreshToken);
    expect(after.body.code).toBe('refresh_token_revoked');
  });
});
