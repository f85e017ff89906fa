import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccountMails } from '../src/account/account-mails.js';
import { LinkToken } from '../src/account/link-token.entity.js';
import { bearer, createMailingApp, type MailingApp, SUBJECTS } from './support/account-mail.js';
import { travel } from './support/clock.js';
import { refreshWithBody, signupAndLogin } from './support/flows.js';
import { extractLink } from './support/smtp.js';
import { newUser } from './support/test-app.js';

/** Forgotten password over real SMTP, the links taken from the received mails (SQLite, or MariaDB with DATABASE_URL). */
describe('password reset', () => {
  let m: MailingApp;
  beforeAll(async () => {
    m = await createMailingApp({ LOGIN_PAIR_DELAY_AFTER: '3', LOGIN_PAIR_BLOCK_AFTER: '3' });
  });
  afterAll(() => m?.close());
  afterEach(async () => {
    vi.useRealTimers();
    await m.smtp.start(); // after the test that stops it
  });

  const forgot = (email: string) => m.t.http().post('/auth/password/forgot').send({ email });
  const reset = (token: string, newPassword = `new-${randomUUID()}`) => m.t.http().post('/auth/password/reset').send({ token, newPassword });
  const login = (username: string, password: string) => m.t.http().post('/auth/login').send({ login: username, password });
  const resetLink = async (email: string) => {
    await forgot(email).expect(202);
    return m.linkToken(email, SUBJECTS.reset);
  };

  it('mails a link for a known address and a "no account" note for an unknown one, with identical answers', async () => {
    const { body } = await signupAndLogin(m.t);
    const unknown = `nobody-${randomUUID().slice(0, 8)}@example.com`;
    const known = await forgot(body.email);
    const other = await forgot(unknown);
    expect([known.status, other.status]).toEqual([202, 202]);
    expect(other.text).toBe(known.text);
    expect(other.headers['content-type']).toBe(known.headers['content-type']);
    expect(other.headers['content-length']).toBe(known.headers['content-length']);

    const mail = await m.latest(body.email, SUBJECTS.reset);
    expect(extractLink(mail).url).toMatch(/^https:\/\/auth\.example\.test\/account\/reset-password#token=[\w-]{43}$/);
    const note = await m.latest(unknown, SUBJECTS.noAccount);
    expect(note.text).not.toMatch(/#token=/);
    expect(m.mails(unknown, SUBJECTS.reset)).toEqual([]);
  });

  it('an unknown address costs the same work as a known one: the same statements, and no link token is stored', async () => {
    const { body, userId } = await signupAndLogin(m.t);
    const mails = m.t.app.get(AccountMails);
    const known = mails.passwordReset({ id: userId, name: body.name, email: body.email });
    const unknown = mails.passwordResetWithoutAccount(`nobody-${randomUUID().slice(0, 8)}@example.com`);
    expect(unknown.map((statement) => statement.sql)).toEqual(known.map((statement) => statement.sql));
    expect(unknown.map((statement) => statement.params.length)).toEqual(known.map((statement) => statement.params.length));

    const links = m.t.dataSource.getRepository(LinkToken);
    const before = await links.count();
    await forgot(`nobody-${randomUUID().slice(0, 8)}@example.com`).expect(202);
    expect(await links.count()).toBe(before);
    await forgot(body.email).expect(202);
    expect(await links.count()).toBe(before + 1);
  });

  it('a reset ends every session at once, proves the address, and only the new password logs in; a notice goes out', async () => {
    const first = await signupAndLogin(m.t);
    const { body, userId } = first;
    const second = await login(body.username, body.password).expect(200);
    expect((await m.t.http().get('/users/me').set(bearer(first.pair.accessToken)).expect(200)).body.emailVerified).toBe(false);

    const token = await resetLink(body.email);
    const newPassword = `new-${randomUUID()}`;
    await reset(token, newPassword).expect(204);

    for (const accessToken of [first.pair.accessToken, second.body.accessToken as string]) {
      const me = await m.t.http().get('/users/me').set(bearer(accessToken));
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('token_revoked');
    }
    for (const refreshToken of [first.pair.refreshToken, second.body.refreshToken as string]) {
      const refreshed = await refreshWithBody(m.t, refreshToken);
      expect(refreshed.status).toBe(401);
      expect(refreshed.body.code).toBe('refresh_token_revoked');
    }
    const old = await login(body.username, body.password);
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('invalid_credentials');
    const fresh = await login(body.username, newPassword).expect(200);
    const me = await m.t.http().get('/users/me').set(bearer(fresh.body.accessToken)).expect(200);
    expect(me.body).toMatchObject({ id: userId, emailVerified: true });

    const notice = await m.latest(body.email, SUBJECTS.passwordChanged);
    expect(notice.text).not.toContain(newPassword);
  });

  it('clears the failed-login counters of the account', async () => {
    const { body } = await signupAndLogin(m.t);
    for (let i = 0; i < 3; i++) await login(body.username, `wrong-${i}-${randomUUID()}`).expect(401);
    const blocked = await login(body.username, body.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('login_blocked');

    const newPassword = `new-${randomUUID()}`;
    await reset(await resetLink(body.email), newPassword).expect(204);
    await login(body.username, newPassword).expect(200);
  });

  it('a used, expired, superseded, unknown or other-purpose token is 400 link_invalid, and changes nothing', async () => {
    const { body } = await signupAndLogin(m.t);
    const expectInvalid = async (token: string) => {
      const res = await reset(token);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('link_invalid');
    };
    // Unknown: well-formed, never issued.
    await expectInvalid(Buffer.alloc(32, 7).toString('base64url'));
    // Other purpose: the verification link from the signup mail.
    await expectInvalid(await m.linkToken(body.email, SUBJECTS.verify));
    // Superseded: a newer forgot request.
    const older = await resetLink(body.email);
    const newer = await resetLink(body.email);
    expect(newer).not.toBe(older);
    await expectInvalid(older);
    // Used.
    const newPassword = `new-${randomUUID()}`;
    await reset(newer, newPassword).expect(204);
    await expectInvalid(newer);
    await login(body.username, newPassword).expect(200);
    // Expired: PASSWORD_RESET_TTL_SECONDS is 1800 by default.
    const late = await resetLink(body.email);
    travel(1801);
    await expectInvalid(late);
    vi.useRealTimers();
    await login(body.username, newPassword).expect(200);
  });

  it('the reset-password token does not verify an address, nor confirm an email change', async () => {
    const { body } = await signupAndLogin(m.t);
    const token = await resetLink(body.email);
    for (const path of ['/auth/email/verify', '/auth/email/change']) {
      const res = await m.t.http().post(path).send({ token });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('link_invalid');
    }
    await reset(token).expect(204); // still live: the wrong routes did not spend it
  });

  it('of two concurrent resets with one token, exactly one succeeds', async () => {
    const { body } = await signupAndLogin(m.t);
    const token = await resetLink(body.email);
    const passwords = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    const results = await Promise.all(passwords.map((password) => reset(token, password)));
    expect(results.map((res) => res.status).sort()).toEqual([204, 400]);
    const loser = results.find((res) => res.status === 400)!;
    expect(loser.body.code).toBe('link_invalid');
    const winner = passwords[results.findIndex((res) => res.status === 204)];
    const other = passwords.find((password) => password !== winner)!;
    await login(body.username, winner).expect(200);
    await login(body.username, other).expect(401);
    expect(m.mails(body.email, SUBJECTS.passwordChanged)).toHaveLength(0);
    await m.deliver();
    expect(m.mails(body.email, SUBJECTS.passwordChanged)).toHaveLength(1);
  });

  it('the password policy applies to the new password, and a refused one leaves the link live', async () => {
    const { body } = await signupAndLogin(m.t);
    const token = await resetLink(body.email);
    const weak = await reset(token, body.username);
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('validation_failed');
    await reset(token).expect(204);
  });

  it('a password change by PATCH /users/me/password kills an outstanding reset link and sends a notice', async () => {
    const { body, pair } = await signupAndLogin(m.t);
    const token = await resetLink(body.email);
    await m.t
      .http()
      .patch('/users/me/password')
      .set(bearer(pair.accessToken))
      .send({ currentPassword: body.password, newPassword: `changed-${randomUUID()}` })
      .expect(204);
    const res = await reset(token);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('link_invalid');
    await m.latest(body.email, SUBJECTS.passwordChanged);
  });

  it('with SMTP down, a forgot request answers 202 at once and the mail arrives once SMTP is back', async () => {
    const { body } = await signupAndLogin(m.t);
    await m.smtp.stop();
    await forgot(body.email).expect(202);
    await m.deliver(); // fails: connection refused, the row stays pending
    expect(m.mails(body.email, SUBJECTS.reset)).toEqual([]);
    await m.smtp.start();
    travel(61); // past the first retry's backoff (MAIL_RETRY_BASE_SECONDS=60)
    const token = extractLink(await m.latest(body.email, SUBJECTS.reset)).token;
    vi.useRealTimers();
    await reset(token).expect(204);
  });

  it('a refresh-token reuse sends a notice to the account address', async () => {
    const { body, pair } = await signupAndLogin(m.t);
    const first = await refreshWithBody(m.t, pair.refreshToken).expect(200);
    await refreshWithBody(m.t, first.body.refreshToken as string).expect(200);
    const replay = await refreshWithBody(m.t, pair.refreshToken);
    expect(replay.body.code).toBe('refresh_token_reused');
    const notice = await m.latest(body.email, SUBJECTS.reuse);
    expect(notice.text).toMatch(/change your password/i);
  });
});

describe('account mail limits', () => {
  let m: MailingApp;
  beforeAll(async () => {
    m = await createMailingApp({ ACCOUNT_MAIL_LIMIT_PER_ADDRESS: '2', ACCOUNT_MAIL_LIMIT_WINDOW_SECONDS: '600' });
  });
  afterAll(() => m?.close());
  afterEach(() => vi.useRealTimers());

  it('refuses a third request for one address with 429 rate_limited and Retry-After, known or not, until the window ends', async () => {
    const known = newUser();
    await m.t.http().post('/auth/signup').send(known).expect(201);
    for (const email of [known.email, `nobody-${randomUUID().slice(0, 8)}@example.com`]) {
      await m.t.http().post('/auth/password/forgot').send({ email }).expect(202);
      await m.t.http().post('/auth/email/verification/request').send({ email }).expect(202);
      const refused = await m.t.http().post('/auth/password/forgot').send({ email: email.toUpperCase() });
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('rate_limited');
      expect(refused.headers['retry-after']).toBe('600');
    }
    // Another address from the same client is not affected by the per-address limit.
    await m.t.http().post('/auth/password/forgot').send({ email: `other-${randomUUID().slice(0, 8)}@example.com` }).expect(202);
    travel(601);
    await m.t.http().post('/auth/password/forgot').send({ email: known.email }).expect(202);
    expect(m.mails(known.email, SUBJECTS.reset)).toHaveLength(0);
    await m.deliver();
    expect(m.mails(known.email, SUBJECTS.reset)).toHaveLength(2);
  });
});
