import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createMailingApp, type MailingApp, SUBJECTS } from './support/account-mail.js';
import { signupAndLogin } from './support/flows.js';
import { captureLogs } from './support/log-capture.js';
import { extractLink } from './support/smtp.js';

/**
 * The account flows at LOG_LEVEL info, SMTP delivery included: the logs name requests and mails, but never a link's
 * token, a link, or a password (the signup one, a new one, or a wrong one).
 */
describe('account flows keep secrets out of the logs', () => {
  const logs = captureLogs();
  let m: MailingApp;
  beforeAll(async () => {
    m = await createMailingApp({ LOG_LEVEL: 'info' }, { logDestination: logs.destination });
  });
  afterAll(() => m?.close());

  it('logs the requests of verify, forgot, reset and email change, and none of their secrets', async () => {
    const secrets: Array<[label: string, value: string]> = [];
    const remember = (label: string, value: string) => secrets.push([label, value]);
    const fromMail = async (label: string, address: string, subject: string) => {
      const link = extractLink(await m.latest(address, subject));
      remember(`${label} link`, link.url);
      remember(`${label} token`, link.token);
      return link.token;
    };

    const { body, pair } = await signupAndLogin(m.t);
    remember('signup password', body.password);
    await m.t.http().post('/auth/email/verify').set('x-request-id', 'logs-verify').send({ token: await fromMail('verify', body.email, SUBJECTS.verify) }).expect(204);
    await m.t.http().post('/auth/email/verification/request').send({ email: body.email }).expect(202);

    await m.t.http().post('/auth/password/forgot').set('x-request-id', 'logs-forgot').send({ email: body.email }).expect(202);
    await m.t.http().post('/auth/password/forgot').send({ email: `nobody-${randomUUID().slice(0, 8)}@example.com` }).expect(202);
    const older = await fromMail('superseded reset', body.email, SUBJECTS.reset);
    await m.t.http().post('/auth/password/forgot').send({ email: body.email }).expect(202);
    const resetToken = await fromMail('reset', body.email, SUBJECTS.reset);
    const refusedPassword = `refused-${randomUUID()}`;
    remember('password sent with a superseded link', refusedPassword);
    await m.t.http().post('/auth/password/reset').send({ token: older, newPassword: refusedPassword }).expect(400);
    const newPassword = `new-${randomUUID()}`;
    remember('new password', newPassword);
    await m.t.http().post('/auth/password/reset').set('x-request-id', 'logs-reset').send({ token: resetToken, newPassword }).expect(204);
    await m.t.http().post('/auth/password/reset').send({ token: resetToken, newPassword }).expect(400);
    await m.t.http().get('/users/me').set(bearer(pair.accessToken)).expect(401);

    const login = await m.t.http().post('/auth/login').send({ login: body.username, password: newPassword }).expect(200);
    const wrongPassword = `wrong-${randomUUID()}`;
    remember('wrong password for an email change', wrongPassword);
    const next = `next-${randomUUID().slice(0, 8)}@example.com`;
    await m.t.http().post('/users/me/email').set(bearer(login.body.accessToken as string)).send({ newEmail: next, password: wrongPassword }).expect(401);
    await m.t.http().post('/users/me/email').set(bearer(login.body.accessToken as string)).send({ newEmail: next, password: newPassword }).expect(202);
    await m.t.http().post('/auth/email/change').set('x-request-id', 'logs-change').send({ token: await fromMail('email change', next, SUBJECTS.emailChange) }).expect(204);
    await m.latest(body.email, SUBJECTS.emailChanged);

    // A token sent where a path or a query string would log it.
    const stray = `stray-${randomUUID()}`;
    remember('token in a query string', stray);
    await m.t.http().get(`/account/reset-password?token=${stray}`).expect(200);

    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = logs.lines.map((line) => JSON.stringify(line)).join('\n');
    // There are logs of these requests: the test can fail for the right reason.
    const entries = logs.lines as Array<{ reqId?: string; req?: { path?: string } }>;
    for (const [id, path] of [
      ['logs-verify', '/auth/email/verify'],
      ['logs-forgot', '/auth/password/forgot'],
      ['logs-reset', '/auth/password/reset'],
      ['logs-change', '/auth/email/change'],
    ]) {
      expect(entries.some((entry) => entry.reqId === id && entry.req?.path === path), `a request line for ${id}`).toBe(true);
    }
    expect(secrets.length).toBe(13);
    const leaked = secrets.filter(([, value]) => text.includes(value)).map(([label]) => label);
    expect(leaked, 'secrets found in the logs').toEqual([]);
    expect(text).not.toMatch(/token=/);
    expect(text).not.toMatch(/\/account\/(verify-email|reset-password|confirm-email-change)#/);
  });
});
