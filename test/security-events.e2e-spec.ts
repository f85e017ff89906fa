import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promoteUser } from '../src/admin/promote-user.js';
import { SecurityEvents } from '../src/security-events/security-events.service.js';
import { claimsOf, refreshWithBody, signupAndLogin } from './support/flows.js';
import { captureLogs } from './support/log-capture.js';
import { createTestApp, newUser, type TestApp } from './support/test-app.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface EventView {
  id: string;
  type: string;
  occurredAt: string;
  sessionId: string | null;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown> | null;
  userId?: string | null;
}

describe('security events', () => {
  const { lines: logs, destination } = captureLogs();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'info', REFRESH_REUSE_GRACE_SECONDS: '0' }, logDestination: destination });
  });
  afterAll(() => t.close());

  async function myEvents(accessToken: string, query = ''): Promise<{ items: EventView[]; nextCursor?: string }> {
    const res = await t.http().get(`/users/me/security-events${query}`).set(bearer(accessToken));
    expect(res.status).toBe(200);
    return res.body;
  }

  async function signupAdmin() {
    const admin = await signupAndLogin(t);
    await promoteUser(t.dataSource, admin.body.email);
    const login = await t.http().post('/auth/login').send({ login: admin.body.username, password: admin.body.password }).expect(200);
    return { ...admin, token: login.body.accessToken as string };
  }

  it('records a scripted session with the right actors, newest first, and no secret anywhere', async () => {
    const user = newUser();
    await t.http().post('/auth/signup').set('user-agent', 'phone/1.0').send(user).expect(201);
    await t.http().post('/auth/login').send({ login: user.username, password: 'wrong password here' }).expect(401);
    const login = await t.http().post('/auth/login').set('user-agent', 'phone/1.0').send({ login: user.username, password: user.password }).expect(200);
    const first = login.body as { accessToken: string; refreshToken: string };
    const rotated = await refreshWithBody(t, first.refreshToken).expect(200);
    // Reuse of the spent token (grace 0): the session ends, by the system.
    await refreshWithBody(t, first.refreshToken).expect(401);
    const again = await t.http().post('/auth/login').send({ login: user.email, password: user.password }).expect(200);
    await t.http().post('/auth/logout').send({ refreshToken: again.body.refreshToken }).expect(204);
    const third = await t.http().post('/auth/login').send({ login: user.email, password: user.password }).expect(200);

    const { items } = await myEvents(third.body.accessToken);
    const firstSid = String(claimsOf(first.accessToken).sid);
    const secondSid = String(claimsOf(again.body.accessToken).sid);
    expect(items.map((event) => [event.type, event.actor, event.sessionId, event.detail])).toEqual([
      ['login_succeeded', 'user', String(claimsOf(third.body.accessToken).sid), null],
      ['session_ended', 'user', secondSid, { reason: 'logout' }],
      ['login_succeeded', 'user', secondSid, null],
      ['session_ended', 'system', firstSid, { reason: 'reuse' }],
      ['refresh_reuse_detected', 'system', firstSid, null],
      ['login_succeeded', 'user', firstSid, null],
      ['login_failed', 'user', null, { reason: 'wrong_password' }],
    ]);
    expect(items[5]).toMatchObject({ ip: expect.any(String), userAgent: 'phone/1.0' });
    expect(items[0]).not.toHaveProperty('userId');

    const secrets = [user.password, 'wrong password here', first.refreshToken, first.accessToken, rotated.body.refreshToken];
    const rows: unknown[] = await t.dataSource.query('SELECT * FROM security_events');
    for (const secret of secrets) {
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(JSON.stringify(logs)).not.toContain(secret);
    }
    // Each event is also one structured log line.
    const lines = logs.filter((line) => line.event === 'refresh_reuse_detected' && line.sessionId === firstSid);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ actor: 'system', ip: expect.any(String) });
    expect(JSON.stringify(lines[0])).not.toContain(user.email);
  });

  it('records a failed login for an unknown name without a user, and one for a known name with its user', async () => {
    const { body, userId } = await signupAndLogin(t);
    const unknown = `nobody-${Date.now()}`;
    await t.http().post('/auth/login').send({ login: unknown, password: 'whatever-password' }).expect(401);
    await t.http().post('/auth/login').send({ login: body.username, password: 'whatever-password' }).expect(401);
    const rows: Array<{ user_id: string | null; detail: string }> = await t.dataSource.query(
      "SELECT user_id, detail FROM security_events WHERE type = 'login_failed' AND (user_id = ? OR detail LIKE '%unknown_login%') ORDER BY occurred_at",
      [userId],
    );
    expect(rows.at(-2)).toMatchObject({ user_id: null, detail: JSON.stringify({ reason: 'unknown_login' }) });
    expect(rows.at(-1)).toMatchObject({ user_id: userId, detail: JSON.stringify({ reason: 'wrong_password' }) });
    expect(JSON.stringify(rows)).not.toContain(unknown); // not even the name that was tried
  });

  it('pages newest first with a cursor, without overlap or gap, and refuses a forged cursor', async () => {
    const { body, pair } = await signupAndLogin(t);
    for (let i = 0; i < 4; i++) await t.http().post('/auth/login').send({ login: body.username, password: body.password }).expect(200);
    const all = (await myEvents(pair.accessToken, '?limit=100')).items;
    expect(all).toHaveLength(5);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await myEvents(pair.accessToken, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((event) => event.id));
    const forged = await t.http().get('/users/me/security-events?cursor=bm90LWEtY3Vyc29y').set(bearer(pair.accessToken));
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('validation_failed');
  });

  it('shows a user only their own events', async () => {
    const alice = await signupAndLogin(t);
    const bob = await signupAndLogin(t);
    const { items } = await myEvents(bob.pair.accessToken, '?limit=100');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((event) => event.sessionId === null || event.sessionId === claimsOf(bob.pair.accessToken).sid)).toBe(true);
    expect(JSON.stringify(items)).not.toContain(String(claimsOf(alice.pair.accessToken).sid));
  });

  it('lets an admin filter by user, type and time, and records what an admin did, by whom', async () => {
    const admin = await signupAdmin();
    const target = await signupAndLogin(t);
    const before = new Date(Date.now() - 1000).toISOString();
    await t.http().patch(`/admin/users/${target.userId}`).set(bearer(admin.token)).send({ disabled: true, roles: ['user', 'auditor'] }).expect(200);
    await t.http().patch(`/admin/users/${target.userId}`).set(bearer(admin.token)).send({ disabled: false }).expect(200);

    const res = await t.http().get(`/admin/security-events?userId=${target.userId}&from=${before}&limit=100`).set(bearer(admin.token)).expect(200);
    const byType = (type: string) => (res.body.items as EventView[]).filter((event) => event.type === type);
    expect(byType('user_disabled')).toEqual([expect.objectContaining({ actor: `admin:${admin.userId}`, userId: target.userId })]);
    expect(byType('user_enabled')).toHaveLength(1);
    expect(byType('roles_changed')[0].detail).toEqual({ from: ['user'], to: ['user', 'auditor'] });
    expect(byType('session_ended')[0]).toMatchObject({ actor: `admin:${admin.userId}`, detail: { reason: 'user_disabled' } });

    const onlyLogins = await t.http().get(`/admin/security-events?userId=${target.userId}&type=login_succeeded`).set(bearer(admin.token)).expect(200);
    expect((onlyLogins.body.items as EventView[]).map((event) => event.type)).toEqual(['login_succeeded']);
    const future = await t.http().get(`/admin/security-events?userId=${target.userId}&from=2999-01-01T00:00:00Z`).set(bearer(admin.token)).expect(200);
    expect(future.body.items).toEqual([]);
    await t.http().get('/admin/security-events?type=not_a_type').set(bearer(admin.token)).expect(400);
    await t.http().get('/admin/security-events').set(bearer(target.pair.accessToken)).expect(401); // its session was ended
  });

  it('keeps the trail of a deleted account', async () => {
    const { body, userId, pair } = await signupAndLogin(t);
    await t.http().delete('/users/me').set(bearer(pair.accessToken)).send({ password: body.password }).expect(204);
    const rows: Array<{ type: string }> = await t.dataSource.query('SELECT type FROM security_events WHERE user_id = ? ORDER BY occurred_at', [userId]);
    expect(rows.map((row) => row.type)).toEqual(expect.arrayContaining(['login_succeeded', 'session_ended', 'account_deleted']));
  });

  it('purges events older than the retention', async () => {
    const { userId } = await signupAndLogin(t);
    const old = new Date(Date.now() - 91 * 24 * 3600 * 1000);
    await t.dataSource.query('UPDATE security_events SET occurred_at = ? WHERE user_id = ?', [
      t.driver === 'mysql' ? old : old.toISOString().replace('T', ' ').replace('Z', ''),
      userId,
    ]);
    expect(await t.app.get(SecurityEvents).purge()).toBeGreaterThanOrEqual(1);
    const left: unknown[] = await t.dataSource.query('SELECT id FROM security_events WHERE user_id = ?', [userId]);
    expect(left).toEqual([]);
  });
});
