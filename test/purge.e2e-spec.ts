import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PurgeExpiredJob } from '../src/sessions/purge-expired.job.js';
import { Session } from '../src/sessions/session.entity.js';
import { RefreshToken } from '../src/sessions/refresh-token.entity.js';
import { claimsOf, refreshWithBody, signupAndLogin } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DAY = 24 * 3600 * 1000;

describe('purge of ended refresh tokens and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { REFRESH_TOKEN_RETENTION_SECONDS: String(7 * 24 * 3600) } });
  });
  afterAll(() => t.close());

  it('deletes only what ended longer ago than the retention window', async () => {
    const tokens = t.dataSource.getRepository(RefreshToken);
    const sessions = t.dataSource.getRepository(Session);
    const sid = (pair: { refreshToken: string }) => String(claimsOf(pair.refreshToken).sid);

    const live = await signupAndLogin(t); // untouched: stays
    const rotated = await signupAndLogin(t); // its spent parent stays: reuse detection needs it
    await refreshWithBody(t, rotated.pair.refreshToken).expect(200);
    const revokedLongAgo = await signupAndLogin(t);
    const revokedRecently = await signupAndLogin(t);
    const expiredLongAgo = await signupAndLogin(t);

    const now = new Date();
    const longAgo = new Date(now.getTime() - 8 * DAY);
    const recently = new Date(now.getTime() - 6 * DAY);
    await sessions.update({ id: sid(revokedLongAgo.pair) }, { revokedAt: longAgo, revokedReason: 'logout' });
    await tokens.update({ sessionId: sid(revokedLongAgo.pair) }, { revokedAt: longAgo, revokedReason: 'logout' });
    await sessions.update({ id: sid(revokedRecently.pair) }, { revokedAt: recently, revokedReason: 'logout' });
    await tokens.update({ sessionId: sid(revokedRecently.pair) }, { revokedAt: recently, revokedReason: 'logout' });
    await sessions.update({ id: sid(expiredLongAgo.pair) }, { expiresAt: longAgo });
    await tokens.update({ sessionId: sid(expiredLongAgo.pair) }, { expiresAt: longAgo });

    const result = await t.app.get(PurgeExpiredJob).purge(now);

    expect(result).toEqual({ tokens: 2, sessions: 2 });
    const remaining = async (pair: { refreshToken: string }) => [
      await sessions.countBy({ id: sid(pair) }),
      await tokens.countBy({ sessionId: sid(pair) }),
    ];
    expect(await remaining(live.pair)).toEqual([1, 1]);
    expect(await remaining(rotated.pair)).toEqual([1, 2]);
    expect(await remaining(revokedRecently.pair)).toEqual([1, 1]);
    expect(await remaining(revokedLongAgo.pair)).toEqual([0, 0]);
    expect(await remaining(expiredLongAgo.pair)).toEqual([0, 0]);
  });

  it('works through more rows than one batch', async () => {
    const tokens = t.dataSource.getRepository(RefreshToken);
    const { pair, userId } = await signupAndLogin(t);
    const sessionId = String(claimsOf(pair.refreshToken).sid);
    const old = new Date(Date.now() - 30 * DAY);
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      userId,
      sessionId,
      tokenHash: `${String(i).padStart(6, '0')}${'f'.repeat(58)}`,
      parentId: null,
      createdAt: old,
      expiresAt: old,
      usedAt: old,
      revokedAt: null,
      revokedReason: null,
      userAgent: null,
      ip: null,
    }));
    for (let i = 0; i < rows.length; i += 200) await tokens.insert(rows.slice(i, i + 200));

    const result = await t.app.get(PurgeExpiredJob).purge(new Date());
    expect(result.tokens).toBeGreaterThanOrEqual(1200);
    expect(await tokens.countBy({ sessionId })).toBe(1); // the live login token
  });
});
