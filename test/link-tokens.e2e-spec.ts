import type { EntityManager } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LinkToken } from '../src/account/link-token.entity.js';
import { LinkTokens } from '../src/account/link-tokens.service.js';
import { Transactions } from '../src/database/transactions.js';
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

  const transaction = <T>(work: (manager: EntityManager) => Promise<T>) => t.app.get(Transactions).run(work);
  const issue = (userId: string, purpose: LinkToken['purpose'], payload: string | null = null) =>
    transaction((manager) => links.issue(manager, userId, purpose, payload));
  const consume = (token: string, purpose: LinkToken['purpose']) => transaction((manager) => links.consume(manager, token, purpose));

  it('of ten concurrent uses of one token, each in its own transaction, exactly one wins', async () => {
    const { userId } = await signupAndLogin(t);
    const token = await issue(userId, 'reset_password');
    const results = await Promise.all(Array.from({ length: 10 }, () => consume(token, 'reset_password')));
    expect(results.filter((result) => result !== null)).toEqual([{ userId, payload: null }]);
  });

  it('of ten concurrent uses outside any transaction, exactly one wins (the UPDATE alone decides)', async () => {
    const { userId } = await signupAndLogin(t);
    const token = await issue(userId, 'verify_email');
    const results = await Promise.all(Array.from({ length: 10 }, () => links.consume(t.dataSource.manager, token, 'verify_email')));
    expect(results.filter((result) => result !== null)).toEqual([{ userId, payload: null }]);
  });

  it('is not spent when the transaction that used it rolls back', async () => {
    const { userId } = await signupAndLogin(t);
    const token = await issue(userId, 'verify_email');
    await expect(
      transaction(async (manager) => {
        expect(await links.consume(manager, token, 'verify_email')).toMatchObject({ userId });
        throw new Error('the change the link was for failed');
      }),
    ).rejects.toThrow(/failed/);
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
