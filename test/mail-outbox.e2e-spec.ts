import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SystemClock } from '../src/common/clock.js';
import { AtomicWrites } from '../src/database/atomic-writes.js';
import { mailConfig, type MailConfig } from '../src/config/mail.config.js';
import { MailOutboxMessage } from '../src/mail/mail-outbox-message.entity.js';
import { MailOutbox } from '../src/mail/mail-outbox.service.js';
import { MailSender } from '../src/mail/mail-sender.service.js';
import { MailTransport } from '../src/mail/mail-transport.js';
import { passwordResetMail } from '../src/mail/templates/index.js';
import { travel } from './support/clock.js';
import { captureLogs } from './support/log-capture.js';
import { scratchDatabase } from './support/scratch-database.js';
import { extractLink, TestSmtpServer } from './support/smtp.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** A reset mail whose link carries a token no other test uses, so logs and files can be searched for it. */
function resetMessage(to = `mail-${randomUUID().slice(0, 8)}@example.com`) {
  const token = randomUUID().replaceAll('-', '');
  const link = `https://auth.example.test/account/reset-password#token=${token}`;
  return { to, token, ...passwordResetMail({ name: 'Ada', link, expiresInSeconds: 1800 }) };
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('mail outbox', () => {
  let smtp: TestSmtpServer;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;

  // The timer is slowed right down: the tests drive the sender with drain(), one round at a time.
  const env = (extra: Record<string, string> = {}) => ({
    ...database.env,
    MAIL_URL: smtp.url,
    MAIL_POLL_INTERVAL_SECONDS: '3600',
    MAIL_RETRY_BASE_SECONDS: '60',
    ...extra,
  });
  const row = (t: TestApp, id: string) => t.dataSource.getRepository(MailOutboxMessage).findOneByOrFail({ id });
  const enqueue = async (t: TestApp, message: ReturnType<typeof resetMessage>) => {
    const insert = t.app.get(MailOutbox).message(message);
    await t.app.get(AtomicWrites).run([insert]);
    return insert.id;
  };

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    database = await scratchDatabase();
  });
  afterAll(async () => {
    await smtp.stop();
    await database.drop();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await smtp.start(); // after a test that stopped it
  });

  describe('on one instance', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: env() });
    });
    afterAll(() => t.close());

    it('sends a committed message with its text and HTML parts, then erases its body', async () => {
      const message = resetMessage();
      const id = await enqueue(t, message);
      expect(await t.app.get(MailSender).drain()).toBe(1);
      const mail = await smtp.waitFor(message.to);
      expect(mail.subject).toBe('Reset your password');
      expect(extractLink(mail).token).toBe(message.token);
      expect(mail.html).toContain(`#token=${message.token}`);
      expect(mail.messageId).toBe(`<${id}@localhost>`);
      expect(await row(t, id)).toMatchObject({ status: 'sent', attempts: 1, text: null, html: null, claimedBy: null, sentAt: expect.any(Date) });
    });

    it('never sends a message whose transaction rolled back', async () => {
      const lost = resetMessage();
      const kept = resetMessage();
      // The change that caused the mail fails in the same transaction.
      const failing = { sql: 'INSERT INTO no_such_table (id) VALUES (1)', params: [] };
      await expect(t.app.get(AtomicWrites).run([t.app.get(MailOutbox).message(lost), failing])).rejects.toThrow();
      await enqueue(t, kept);
      await t.app.get(MailSender).drain();
      await smtp.waitFor(kept.to);
      expect(smtp.sentTo(lost.to)).toEqual([]);
      expect(await t.dataSource.getRepository(MailOutboxMessage).countBy({ recipient: lost.to })).toBe(0);
    });

    it('keeps a message while SMTP is down, retries after the backoff, and sends it once SMTP is back', async () => {
      const message = resetMessage();
      await smtp.stop();
      const id = await enqueue(t, message);
      const sender = t.app.get(MailSender);
      const before = Date.now();
      await sender.drain();
      const failed = await row(t, id);
      expect(failed).toMatchObject({ status: 'pending', attempts: 1, claimedBy: null, text: message.text });
      expect(failed.lastError).toMatch(/ECONNREFUSED/);
      expect(failed.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 60_000);

      await smtp.start();
      expect(await sender.drain()).toBe(0); // not due before the backoff has passed
      travel(61);
      expect(await sender.drain()).toBe(1);
      await smtp.waitFor(message.to);
      expect(await row(t, id)).toMatchObject({ status: 'sent', attempts: 2, text: null, html: null });
    });

    it('does not send a message past its expiry, and erases it', async () => {
      const message = resetMessage();
      const id = await enqueue(t, { ...message, expiresAt: new Date(Date.now() - 1000) } as typeof message);
      await t.app.get(MailSender).drain();
      expect(await row(t, id)).toMatchObject({ status: 'expired', attempts: 0, text: null, html: null });
      expect(smtp.sentTo(message.to)).toEqual([]);
    });
  });

  it('gives up after MAIL_MAX_ATTEMPTS with a warning that holds no body, and erases the body', async () => {
    const logs = captureLogs();
    const t = await createTestApp({ env: env({ MAIL_MAX_ATTEMPTS: '3', LOG_LEVEL: 'info' }), logDestination: logs.destination });
    try {
      const message = resetMessage();
      await smtp.stop();
      const id = await enqueue(t, message);
      const sender = t.app.get(MailSender);
      await sender.drain();
      travel(60);
      await sender.drain();
      expect(await row(t, id)).toMatchObject({ status: 'pending', attempts: 2 });
      travel(120); // the second retry waits twice as long
      await sender.drain();
      expect(await row(t, id)).toMatchObject({ status: 'failed', attempts: 3, text: null, html: null, lastError: expect.stringMatching(/ECONNREFUSED/) });

      const warnings = logs.lines.filter((line) => line.level === 40 && line.msg === 'gave up sending a mail');
      expect(warnings).toEqual([expect.objectContaining({ messageId: id, attempts: 3 })]);
      const logged = JSON.stringify(logs.lines);
      expect(logged).not.toContain(message.token);
      expect(logged).not.toContain(message.to);

      await smtp.start();
      travel(3600);
      expect(await sender.drain()).toBe(0);
      expect(smtp.sentTo(message.to)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('on its own timer, sends what was enqueued while SMTP was down once it is back', async () => {
    const t = await createTestApp({ env: env({ MAIL_POLL_INTERVAL_SECONDS: '1', MAIL_RETRY_BASE_SECONDS: '1' }) });
    try {
      const message = resetMessage();
      await smtp.stop();
      const id = await enqueue(t, message);
      await vi.waitFor(async () => expect((await row(t, id)).attempts).toBeGreaterThan(0), { timeout: 5000, interval: 100 });
      await smtp.start();
      await smtp.waitFor(message.to, { timeoutMs: 10_000 });
      expect(smtp.sentTo(message.to)).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('two instances sharing the database send each message once', async () => {
    const first = await createTestApp({ env: env() });
    const second = await createTestApp({ env: env(), dataDir: first.dataDir });
    try {
      const messages = Array.from({ length: 25 }, () => resetMessage());
      for (const message of messages) await enqueue(first, message);
      const senders = [first, second].map((t) => t.app.get(MailSender));
      const attempts = await Promise.all(senders.map((sender) => sender.drain()));
      expect(attempts.reduce((sum, n) => sum + n, 0)).toBe(messages.length);
      expect(Math.min(...attempts)).toBeGreaterThan(0); // both took part
      for (const message of messages) expect(smtp.sentTo(message.to)).toHaveLength(1);
      const rows = await first.dataSource.getRepository(MailOutboxMessage).findBy({ subject: 'Reset your password', status: 'sent' });
      expect(rows.filter((r) => messages.some((m) => m.to === r.recipient))).toHaveLength(messages.length);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('two instances that read the same due rows before either claims them still send each message once', async () => {
    const first = await createTestApp({ env: env() });
    const second = await createTestApp({ env: env(), dataDir: first.dataDir });
    try {
      // The worst interleaving, every time: both read the same due rows; `a` claims them and reads back its claim;
      // only then does `b` try to claim the same rows.
      const done = { aClaimRead: signal(), bDueRead: signal() };
      const racingSender = (t: TestApp, name: 'a' | 'b') => {
        const repository = t.dataSource.getRepository(MailOutboxMessage);
        let finds = 0;
        let updates = 0;
        const gated = new Proxy(repository, {
          get: (target, property, receiver) => {
            const value: unknown = Reflect.get(target, property, receiver);
            if (typeof value !== 'function' || (property !== 'find' && property !== 'update')) return value;
            return async (...args: unknown[]) => {
              if (property === 'update' && ++updates === 1) await (name === 'a' ? done.bDueRead : done.aClaimRead).promise;
              const result: unknown = await value.apply(target, args);
              if (property === 'find') {
                finds += 1;
                if (name === 'b' && finds === 1) done.bDueRead.resolve();
                if (name === 'a' && finds === 2) done.aClaimRead.resolve();
              }
              return result;
            };
          },
        });
        return new MailSender(gated, t.app.get(MailTransport), new SystemClock(), t.app.get<MailConfig>(mailConfig.KEY));
      };
      const messages = Array.from({ length: 5 }, () => resetMessage());
      for (const message of messages) await enqueue(first, message);
      await Promise.all([racingSender(first, 'a').drain(), racingSender(second, 'b').drain()]);
      for (const message of messages) expect(smtp.sentTo(message.to)).toHaveLength(1);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('without MAIL_URL (outside production), writes one .eml per message to DATA_DIR/mail and logs the file name only', async () => {
    const logs = captureLogs();
    const t = await createTestApp({ env: { ...database.env, LOG_LEVEL: 'info', MAIL_POLL_INTERVAL_SECONDS: '3600' }, logDestination: logs.destination });
    try {
      const message = resetMessage();
      const id = await enqueue(t, message);
      await t.app.get(MailSender).drain();
      const folder = join(t.dataDir, 'mail');
      const files = readdirSync(folder).filter((name) => name.includes(id));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      const file = join(folder, files[0]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const parsed = await simpleParser(readFileSync(file));
      expect(parsed.subject).toBe('Reset your password');
      expect(extractLink({ text: parsed.text ?? '' }).token).toBe(message.token);
      expect(parsed.html).toContain(message.token);

      const lines = logs.lines.filter((line) => line.msg === 'mail written to the outbox folder');
      expect(lines).toEqual([expect.objectContaining({ level: 30, file })]);
      expect(JSON.stringify(logs.lines)).not.toContain(message.token);
      expect(await row(t, id)).toMatchObject({ status: 'sent', text: null, html: null });
    } finally {
      await t.close();
    }
  });
});
