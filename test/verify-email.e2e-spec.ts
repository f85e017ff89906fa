import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, createMailingApp, type MailingApp, PUBLIC_BASE_URL, SUBJECTS } from './support/account-mail.js';
import { travel } from './support/clock.js';
import { claimsOf, refreshWithBody, signupAndLogin } from './support/flows.js';
import { extractLink } from './support/smtp.js';
import { newUser } from './support/test-app.js';

/** Email verification over real SMTP, the links taken from the received mails (SQLite, or MariaDB with DATABASE_URL). */
describe('verify email', () => {
  let m: MailingApp;
  beforeAll(async () => {
    m = await createMailingApp();
  });
  afterAll(() => m?.close());
  afterEach(() => vi.useRealTimers());

  const verify = (token: string) => m.t.http().post('/auth/email/verify').send({ token });
  const expectInvalid = async (token: string) => {
    const res = await verify(token);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('link_invalid');
  };

  it('signup mails a link; using it verifies the address, and the next access token says so', async () => {
    const { body, pair, userId } = await signupAndLogin(m.t);
    expect(claimsOf(pair.accessToken).email_verified).toBe(false);
    const mail = await m.latest(body.email, SUBJECTS.verify);
    const { url, token } = extractLink(mail);
    expect(url).toBe(`${PUBLIC_BASE_URL}/account/verify-email#token=${token}`);
    expect(mail.html).toContain(`#token=${token}`);

    await verify(token).expect(204);
    const me = await m.t.http().get('/users/me').set(bearer(pair.accessToken)).expect(200);
    expect(me.body).toMatchObject({ id: userId, emailVerified: true });
    const reissued = await refreshWithBody(m.t, pair.refreshToken).expect(200);
    expect(claimsOf(reissued.body.accessToken as string).email_verified).toBe(true);
    const login = await m.t.http().post('/auth/login').send({ login: body.username, password: body.password }).expect(200);
    expect(claimsOf(login.body.accessToken as string).email_verified).toBe(true);

    await expectInvalid(token); // used
  });

  it('resend (signed in) mails a new link that supersedes the old one; nothing once verified', async () => {
    const { body, pair } = await signupAndLogin(m.t);
    const first = await m.linkToken(body.email, SUBJECTS.verify);
    await m.t.http().post('/auth/email/verification').set(bearer(pair.accessToken)).expect(202);
    const second = await m.linkToken(body.email, SUBJECTS.verify);
    expect(second).not.toBe(first);
    await expectInvalid(first);
    await verify(second).expect(204);

    await m.t.http().post('/auth/email/verification').set(bearer(pair.accessToken)).expect(202);
    await m.deliver();
    expect(m.mails(body.email, SUBJECTS.verify)).toHaveLength(2);
    const anonymous = await m.t.http().post('/auth/email/verification');
    expect(anonymous.status).toBe(401);
  });

  it('the public resend form answers the same for an unverified, a verified and an unknown address; only the first gets a link', async () => {
    const unverified = newUser();
    const verified = newUser();
    for (const user of [unverified, verified]) await m.t.http().post('/auth/signup').send(user).expect(201);
    await verify(await m.linkToken(verified.email, SUBJECTS.verify)).expect(204);
    const unknown = `nobody-${randomUUID().slice(0, 8)}@example.com`;

    const answers = [];
    for (const email of [unverified.email, verified.email, unknown]) {
      answers.push(await m.t.http().post('/auth/email/verification/request').send({ email }));
    }
    expect(answers.map((res) => res.status)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((res) => res.text)).size).toBe(1);
    expect(new Set(answers.map((res) => res.headers['content-length'])).size).toBe(1);

    await m.deliver();
    expect(m.mails(unverified.email, SUBJECTS.verify)).toHaveLength(2);
    expect(m.mails(verified.email, SUBJECTS.verify)).toHaveLength(1);
    expect(m.smtp.sentTo(unknown)).toEqual([]);
    await verify(extractLink(m.mails(unverified.email, SUBJECTS.verify)[1]).token).expect(204);
  });

  it('an unknown, expired or other-purpose token is 400 link_invalid', async () => {
    const { body } = await signupAndLogin(m.t);
    await expectInvalid('not-a-token');
    await expectInvalid(Buffer.alloc(32, 1).toString('base64url'));
    await m.t.http().post('/auth/password/forgot').send({ email: body.email }).expect(202);
    await expectInvalid(await m.linkToken(body.email, SUBJECTS.reset)); // a reset link
    const token = await m.linkToken(body.email, SUBJECTS.verify);
    travel(24 * 3600 + 1); // EMAIL_VERIFICATION_TTL_SECONDS defaults to a day
    await expectInvalid(token);
    vi.useRealTimers();
    const me = await m.t.http().post('/auth/login').send({ login: body.username, password: body.password }).expect(200);
    expect(claimsOf(me.body.accessToken as string).email_verified).toBe(false);
  });

  it('a malformed body is 400 validation_failed', async () => {
    for (const payload of [{}, { token: '' }, { token: 42 }]) {
      const res = await m.t.http().post('/auth/email/verify').send(payload);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });
});

describe('EMAIL_VERIFICATION=off', () => {
  let m: MailingApp;
  beforeAll(async () => {
    m = await createMailingApp({ EMAIL_VERIFICATION: 'off' });
  });
  afterAll(() => m?.close());

  it('signup sends no mail, and login works unverified', async () => {
    const { body, pair } = await signupAndLogin(m.t);
    await m.deliver();
    expect(m.smtp.sentTo(body.email)).toEqual([]);
    expect(claimsOf(pair.accessToken).email_verified).toBe(false);
  });
});

describe('EMAIL_VERIFICATION=required', () => {
  let m: MailingApp;
  beforeAll(async () => {
    m = await createMailingApp({ EMAIL_VERIFICATION: 'required' });
  });
  afterAll(() => m?.close());

  it('the right password to an unverified account is 403 email_not_verified with no tokens; a wrong one stays 401', async () => {
    const user = newUser();
    await m.t.http().post('/auth/signup').send(user).expect(201);

    const right = await m.t.http().post('/auth/login').send({ login: user.username, password: user.password });
    expect(right.status).toBe(403);
    expect(right.body.code).toBe('email_not_verified');
    expect(right.body).not.toHaveProperty('accessToken');
    expect(right.body).not.toHaveProperty('refreshToken');
    expect(right.headers['set-cookie']).toBeUndefined();

    const wrong = await m.t.http().post('/auth/login').send({ login: user.username, password: `wrong-${randomUUID()}` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    const unknown = await m.t.http().post('/auth/login').send({ login: `nobody_${randomUUID().slice(0, 8)}`, password: user.password });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('invalid_credentials');

    await m.t.http().post('/auth/email/verify').send({ token: await m.linkToken(user.email, SUBJECTS.verify) }).expect(204);
    const after = await m.t.http().post('/auth/login').send({ login: user.username, password: user.password }).expect(200);
    expect(claimsOf(after.body.accessToken as string).email_verified).toBe(true);
  });

  it('a password reset proves the address, so the account can log in afterwards', async () => {
    const user = newUser();
    await m.t.http().post('/auth/signup').send(user).expect(201);
    await m.t.http().post('/auth/password/forgot').send({ email: user.email }).expect(202);
    const newPassword = `new-${randomUUID()}`;
    await m.t.http().post('/auth/password/reset').send({ token: await m.linkToken(user.email, SUBJECTS.reset), newPassword }).expect(204);
    await m.t.http().post('/auth/login').send({ login: user.email, password: newPassword }).expect(200);
  });
});
