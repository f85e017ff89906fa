import { MailSender } from '../../src/mail/mail-sender.service.js';
import { scratchDatabase } from './scratch-database.js';
import { extractLink, type ReceivedMail, TestSmtpServer } from './smtp.js';
import { createTestApp, type TestApp } from './test-app.js';

/** Where the mailing apps say they live: links default to this + /account. */
export const PUBLIC_BASE_URL = 'https://auth.example.test';

export const SUBJECTS = {
  verify: 'Confirm your email address',
  reset: 'Reset your password',
  noAccount: 'No account uses this address',
  passwordChanged: 'Your password was changed',
  emailChange: 'Confirm your new email address',
  emailTaken: 'This address already has an account',
  emailChanged: 'Your email address was changed',
  reuse: 'A session of your account was ended for safety',
} as const;

/**
 * An app that mails through a real SMTP server in this process. Its own timer is slowed right down: `deliver()`
 * runs the outbox sender once, so after it every committed mail has been accepted (and parsed) by the server.
 * On MariaDB the app gets a scratch database, so no other suite's sender takes its mail.
 */
export interface MailingApp {
  t: TestApp;
  smtp: TestSmtpServer;
  deliver: () => Promise<number>;
  /** Mails received so far for the address with this subject, oldest first. */
  mails: (address: string, subject: string) => ReceivedMail[];
  /** Delivers, then the newest mail with this subject to the address; fails when there is none. */
  latest: (address: string, subject: string) => Promise<ReceivedMail>;
  /** Delivers, then the token of the newest link mail with this subject to the address. */
  linkToken: (address: string, subject: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function createMailingApp(env: Record<string, string> = {}, options: Parameters<typeof createTestApp>[0] = {}): Promise<MailingApp> {
  const smtp = await TestSmtpServer.start();
  const database = await scratchDatabase();
  const t = await createTestApp({
    ...options,
    env: { ...database.env, PUBLIC_BASE_URL: PUBLIC_BASE_URL, MAIL_URL: smtp.url, MAIL_POLL_INTERVAL_SECONDS: '3600', MAIL_RETRY_BASE_SECONDS: '60', ...env },
  });
  const deliver = () => t.app.get(MailSender).drain();
  const mails = (address: string, subject: string) => smtp.sentTo(address).filter((mail) => mail.subject === subject);
  const latest = async (address: string, subject: string) => {
    await deliver();
    const found = mails(address, subject).at(-1);
    if (!found) throw new Error(`no mail "${subject}" to ${address}; received: ${smtp.sentTo(address).map((m) => m.subject).join(', ') || 'none'}`);
    return found;
  };
  return {
    t,
    smtp,
    deliver,
    mails,
    latest,
    linkToken: async (address, subject) => extractLink(await latest(address, subject)).token,
    close: async () => {
      await t.close();
      await smtp.stop();
      await database.drop();
    },
  };
}

export const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });
