import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../common/clock.js';
import { loadDatabaseConfig } from '../config/database.config.js';
import { loadMailConfig } from '../config/mail.config.js';
import { AtomicWrites } from '../database/atomic-writes.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { MailOutboxMessage } from './mail-outbox-message.entity.js';
import { MailOutbox } from './mail-outbox.service.js';
import { describeError, LEASE_SECONDS, MailSender, RETENTION_SECONDS, retryDelaySeconds } from './mail-sender.service.js';
import { MailTransport, type OutgoingMail } from './mail-transport.js';

class FakeTransport extends MailTransport {
  sent: OutgoingMail[] = [];
  failWith: Error | null = null;
  async send(mail: OutgoingMail): Promise<void> {
    await Promise.resolve();
    if (this.failWith) throw this.failWith;
    this.sent.push(mail);
  }
}

describe('MailSender', () => {
  let dataSource: DataSource;
  let clock: ManualClock;
  let transport: FakeTransport;
  let sut: MailSender;
  const config = loadMailConfig({ NODE_ENV: 'test', MAIL_MAX_ATTEMPTS: '4', MAIL_RETRY_BASE_SECONDS: '30' });
  const rows = () => dataSource.getRepository(MailOutboxMessage);
  const enqueue = async (to = 'ada@example.com') => {
    const message = new MailOutbox(clock).message({ to, subject: 'Reset your password', text: 'secret link', html: '<p>secret link</p>' });
    await new AtomicWrites(dataSource).run([message]);
    return message.id;
  };

  beforeAll(async () => {
    dataSource = new DataSource(
      dataSourceOptions({ ...loadDatabaseConfig({ DATA_DIR: '/nonexistent' }), driver: 'sqlite', file: ':memory:', migrationsRun: true }),
    );
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());
  beforeEach(async () => {
    await rows().clear();
    clock = new ManualClock(new Date('2026-06-01T12:00:00Z'));
    transport = new FakeTransport();
    sut = new MailSender(rows(), transport, clock, config);
  });

  it('doubles the wait after each failure, capped at an hour', () => {
    expect([1, 2, 3, 4, 8, 20].map((failures) => retryDelaySeconds(30, failures))).toEqual([30, 60, 120, 240, 3600, 3600]);
  });

  it('keeps the code and first line of an error, without addresses', () => {
    const refused = Object.assign(new Error('Can\'t send mail - all recipients were rejected: 550 5.1.1 <ada@example.com>: unknown\nbody'), {
      code: 'EENVELOPE',
      responseCode: 550,
    });
    expect(describeError(refused)).toBe("EENVELOPE 550 Can't send mail - all recipients were rejected: 550 5.1.1 <[address]>: unknown");
    expect(describeError('x'.repeat(1000))).toHaveLength(255);
  });

  it('retries on that schedule, then gives up at MAIL_MAX_ATTEMPTS and erases the body', async () => {
    transport.failWith = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25\nmore'), { code: 'ESOCKET' });
    const id = await enqueue();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await sut.drain()).toBe(1);
      const row = await rows().findOneByOrFail({ id });
      expect(row).toMatchObject({ status: 'pending', attempts: attempt, lastError: 'ESOCKET connect ECONNREFUSED 127.0.0.1:25' });
      const wait = (row.nextAttemptAt.getTime() - clock.now().getTime()) / 1000;
      waits.push(wait);
      clock.advance(wait - 1);
      expect(await sut.drain()).toBe(0); // one second early: not due
      clock.advance(1);
    }
    expect(waits).toEqual([30, 60, 120]);
    expect(await sut.drain()).toBe(1);
    expect(await rows().findOneByOrFail({ id })).toMatchObject({ status: 'failed', attempts: 4, text: null, html: null, claimedBy: null });
    clock.advance(24 * 3600);
    transport.failWith = null;
    expect(await sut.drain()).toBe(0);
    expect(transport.sent).toEqual([]);
  });

  it('leaves a message claimed by another sender alone until its lease ends, then takes it over', async () => {
    const id = await enqueue();
    await rows().update({ id }, { claimedBy: 'a-sender-that-died', claimedUntil: new Date(clock.now().getTime() + LEASE_SECONDS * 1000) });
    expect(await sut.drain()).toBe(0);
    clock.advance(LEASE_SECONDS + 1);
    expect(await sut.drain()).toBe(1);
    expect(transport.sent.map((mail) => mail.id)).toEqual([id]);
    expect(await rows().findOneByOrFail({ id })).toMatchObject({ status: 'sent', text: null, html: null, sentAt: clock.now() });
  });

  it('sends in batches until nothing is due, oldest first, from MAIL_FROM', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      ids.push(await enqueue(`user${i}@example.com`));
      clock.advance(1);
    }
    expect(await sut.drain()).toBe(23);
    expect(transport.sent.map((mail) => mail.id)).toEqual(ids);
    expect(new Set(transport.sent.map((mail) => mail.from))).toEqual(new Set(['nest-token-auth <no-reply@localhost>']));
  });

  it('purges finished messages after the retention, never pending ones', async () => {
    await enqueue('sent@example.com');
    await sut.drain();
    transport.failWith = new Error('down');
    const pending = await enqueue('pending@example.com');
    await sut.drain();
    clock.advance(RETENTION_SECONDS);
    expect(await sut.purge()).toBe(0);
    clock.advance(1);
    expect(await sut.purge()).toBe(1);
    expect((await rows().find()).map((row) => row.id)).toEqual([pending]);
  });
});
