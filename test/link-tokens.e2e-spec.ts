import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LinkToken } from '../src/account/link-token.entity.js';
import { LinkTokens } from '../src/account/link-tokens.service.js';
import { AtomicWrites } from '../src/database/atomic-writes.js';
import { User } from '../src/users/user.entity.js';
import { travel } from './support/clock.js';
import { signupAndLogin } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** The link-token rules on the real database (SQLite, or MariaDB with DATABASE_URL), in real transactions. */
describe('link tokens', () => {
  let t: TestApp;
  let links: LinkTokens;
  beforeAll(async () => {
    t = await createTestApp({ env: { PASSWORD_RESET_TTL_SECONDS: '1800' } });
    links = t.app.get(LinkTokens);
  });
  afterAll(() => t.close());
  afterEach(() => vi.useRealTimers());

  const writes = () => t.app.get(AtomicWrites);
  const issue = async (userId: string, purpose: LinkToken['purpose'], payload: string | null = null) => {
    const link = links.issue(userId, purpose, payload);
    await writes().run(link.statements);
    return link.token;
  };
  /** Spends the token in a transaction of its own: what it was for, or null when it was not live or lost a race. */
  const consume = async (token: string, purpose: LinkToken['purpose']) => {
    const link = await links.redeemable(token, purpose);
    if (!link || !(await writes().run([link.spend]))) return null;
    return { userId: link.userId, payload: link.payload };
  };

  it('of ten concurrent uses of one token, each in its own transaction, exactly one wins (the conditional UPDATE decides)', async () => {
    const { userId } = await signupAndLogin(t);
    const token = await issue(userId, 'reset_password');
    const results = await Promise.all(Array.from({ length: 10 }, () => consume(token, 'reset_password')));
    expect(results.filter((result) => result !== null)).toEqual([{ userId, payload: null }]);
  });

  it('is not spent when the transaction that used it rolls back', async () => {
    const { userId } = await signupAndLogin(t);
    const token = await issue(userId, 'verify_email');
    const link = await links.redeemable(token, 'verify_email');
    expect(link).toMatchObject({ userId });
    // The change the link was for fails inside the same transaction.
    await expect(writes().run([link!.spend, { sql: 'INSERT INTO no_such_table (id) VALUES (1)', params: [] }])).rejects.toThrow();
    expect(await consume(token, 'verify_email')).toMatchObject({ userId });
  });

  it('expires after the purpose lifetime (and a newer link replaces an older one)', async () => {
    const { userId } = await signupAndLogin(t);
    const older = await issue(userId, 'reset_password');
    const newer = await issue(userId, 'reset_password');
    expect(await consume(older, 'reset_password')).toBeNull();
    travel(1801);
    expect(await consume(newer, 'reset_password')).toBeNull();
  });

  it('carries the payload, and is deleted with its user', async () => {
    const { userId } = await signupAndLogin(t);
    const used = await issue(userId, 'change_email', 'next@example.com');
    expect(await consume(used, 'change_email')).toEqual({ userId, payload: 'next@example.com' });
    const live = await issue(userId, 'change_email', 'other@example.com');
    await t.dataSource.getRepository(User).delete({ id: userId });
    expect(await t.dataSource.getRepository(LinkToken).countBy({ userId })).toBe(0);
    expect(await consume(live, 'change_email')).toBeNull();
  });
});
