import 'reflect-metadata';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../common/clock.js';
import { loadMailConfig } from '../config/mail.config.js';
import { AtomicWrites } from '../database/atomic-writes.js';
import { loadDatabaseConfig } from '../config/database.config.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { User } from '../users/user.entity.js';
import { LinkToken } from './link-token.entity.js';
import { LinkTokens } from './link-tokens.service.js';

/** Every instant is an explicit offset in seconds from T0: the service reads no clock of its own. */
const T0 = new Date('2026-06-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('LinkTokens', () => {
  let dataSource: DataSource;
  let sut: LinkTokens;
  let userId: string;
  let writes: AtomicWrites;
  const issue = async (purpose: LinkToken['purpose'], payload: string | null, now: Date) => {
    const link = sut.issue(userId, purpose, payload, now);
    await writes.run(link.statements);
    return link.token;
  };
  const consume = async (token: string, purpose: LinkToken['purpose'], now: Date) => {
    const link = await sut.redeemable(token, purpose, now);
    if (!link || !(await writes.run([link.spend]))) return null;
    return { userId: link.userId, payload: link.payload };
  };

  beforeAll(async () => {
    dataSource = new DataSource(
      dataSourceOptions({ ...loadDatabaseConfig({ DATA_DIR: '/nonexistent' }), driver: 'sqlite', file: ':memory:', migrationsRun: true }),
    );
    await dataSource.initialize();
    writes = new AtomicWrites(dataSource);
    sut = new LinkTokens(
      dataSource.getRepository(LinkToken),
      new ManualClock(T0),
      loadMailConfig({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'https://auth.example.test', PASSWORD_RESET_TTL_SECONDS: '1800' }),
    );
  });
  afterAll(() => dataSource.destroy());
  beforeEach(async () => {
    userId = randomUUID();
    const tag = userId.slice(0, 8);
    await dataSource.manager.insert(User, {
      id: userId,
      email: `${tag}@example.com`,
      username: `u_${tag}`,
      usernameKey: `u_${tag}`,
      name: 'Ada',
      passwordHash: 'x',
      roles: ['user'],
      passwordChangedAt: T0,
    });
  });

  it('issues 256 random bits, base64url, and stores only their SHA-256', async () => {
    const token = await issue('reset_password', null, T0);
    expect(token).toMatch(/^[\w-]{43}$/);
    const rows = await dataSource.getRepository(LinkToken).findBy({ userId });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0].expiresAt).toEqual(at(1800));
  });

  it('gives the user and payload once, then null', async () => {
    const token = await issue('change_email', 'new@example.com', T0);
    expect(await consume(token, 'change_email', at(10))).toEqual({ userId, payload: 'new@example.com' });
    expect(await consume(token, 'change_email', at(11))).toBeNull();
  });

  it('works until the purpose lifetime ends, and not from that instant on', async () => {
    const first = await issue('reset_password', null, T0);
    expect(await consume(first, 'reset_password', at(1800))).toBeNull();
    const second = await issue('reset_password', null, T0);
    expect(await consume(second, 'reset_password', at(1799.999))).toMatchObject({ userId });
  });

  it('refuses a token of another purpose without spending it', async () => {
    const token = await issue('verify_email', null, T0);
    expect(await consume(token, 'reset_password', at(1))).toBeNull();
    expect(await consume(token, 'verify_email', at(2))).toMatchObject({ userId });
  });

  it('lets only the newest link of a purpose work; other purposes are untouched', async () => {
    const verify = await issue('verify_email', null, T0);
    const older = await issue('reset_password', null, T0);
    const newer = await issue('reset_password', null, at(5));
    expect(await consume(older, 'reset_password', at(6))).toBeNull();
    expect(await consume(newer, 'reset_password', at(6))).toMatchObject({ userId });
    expect(await consume(verify, 'verify_email', at(6))).toMatchObject({ userId });
  });

  it('revokeAll kills the unused links of one purpose', async () => {
    const reset = await issue('reset_password', null, T0);
    const verify = await issue('verify_email', null, T0);
    await writes.run([sut.revocation(userId, 'reset_password', at(1))]);
    expect(await consume(reset, 'reset_password', at(2))).toBeNull();
    expect(await consume(verify, 'verify_email', at(2))).toMatchObject({ userId });
  });

  it('refuses unknown and malformed tokens', async () => {
    await issue('reset_password', null, T0);
    for (const token of ['', 'x', 'A'.repeat(43), '%00', 'a'.repeat(5000)]) {
      expect(await consume(token, 'reset_password', at(1))).toBeNull();
    }
  });

  it('builds links with the token in the fragment, one page per purpose', () => {
    expect(sut.url('reset_password', 'abc_-1')).toBe('https://auth.example.test/account/reset-password#token=abc_-1');
    expect(sut.url('verify_email', 't')).toBe('https://auth.example.test/account/verify-email#token=t');
    expect(sut.url('change_email', 't')).toBe('https://auth.example.test/account/confirm-email-change#token=t');
    expect(sut.ttlSeconds('reset_password')).toBe(1800);
  });
});
