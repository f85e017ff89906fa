import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, createMailingApp, type MailingApp, PUBLIC_BASE_URL, SUBJECTS } from './support/account-mail.js';
import { travel } from './support/clock.js';
import { claimsOf, signupAndLogin } from './support/flows.js';
import { extractLink } from './support/smtp.js';
import { newUser } from './support/test-app.js';

const address = () => `next-${randomUUID().slice(0, 8)}@example.com`;

/** Email change and profile edits over real SMTP (SQLite, or MariaDB with DATABASE_URL). */
describe('email change', () => {
  let m: MailingApp;
  beforeAll(async () => {
    m = await createMailingApp();
  });
  afterAll(() => m?.close());
  afterEach(() => vi.useRealTimers());

  const request = (accessToken: string, newEmail: string, password: string) =>
    m.t.http().post('/users/me/email').set(bearer(accessToken)).send({ newEmail, password });
  const confirm = (token: string) => m.t.http().post('/auth/email/change').send({ token });

  it('a link goes to the new address; using it switches and verifies the address, and the old address hears of it', async () => {
    const { body, pair, userId } = await signupAndLogin(m.t);
    const next = address();
    await request(pair.accessToken, next.toUpperCase(), body.password).expect(202);
    const mail = await m.latest(next, SUBJECTS.emailChange);
    const { url, token } = extractLink(mail);
    expect(url).toBe(`${PUBLIC_BASE_URL}/account/confirm-email-change#token=${token}`);
    expect(m.smtp.sentTo(body.email).filter((received) => received.subject === SUBJECTS.emailChange)).toEqual([]);
    // Nothing changes before the link is used.
    expect((await m.t.http().get('/users/me').set(bearer(pair.accessToken)).expect(200)).body.email).toBe(body.email);

    await confirm(token).expect(204);
    const me = await m.t.http().get('/users/me').set(bearer(pair.accessToken)).expect(200);
    expect(me.body).toMatchObject({ id: userId, email: next, emailVerified: true });
    const notice = await m.latest(body.email, SUBJECTS.emailChanged);
    expect(notice.text).toContain(next);
    expect(notice.text).not.toMatch(/#token=/);

    const login = await m.t.http().post('/auth/login').send({ login: next, password: body.password }).expect(200);
    expect(claimsOf(login.body.accessToken as string).email_verified).toBe(true);
    await m.t.http().post('/auth/login').send({ login: body.email, password: body.password }).expect(401);

    const again = await confirm(token);
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('link_invalid');
  });

  it('the verification link of the old address verifies nothing after the change', async () => {
    const { body, pair } = await signupAndLogin(m.t);
    const verifyOld = await m.linkToken(body.email, SUBJECTS.verify);
    const next = address();
    await request(pair.accessToken, next, body.password).expect(202);
    await confirm(await m.linkToken(next, SUBJECTS.emailChange)).expect(204);
    // The link is bound to the address it was sent to, which the account no longer has.
    const res = await m.t.http().post('/auth/email/verify').send({ token: verifyOld });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('link_invalid');
  });

  it('wrong password is 401 invalid_credentials and sends nothing; the current address is 400', async () => {
    const { body, pair } = await signupAndLogin(m.t);
    const next = address();
    const wrong = await request(pair.accessToken, next, `wrong-${randomUUID()}`);
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    const same = await request(pair.accessToken, body.email, body.password);
    expect(same.status).toBe(400);
    expect(same.body.code).toBe('validation_failed');
    await m.deliver();
    expect(m.smtp.sentTo(next)).toEqual([]);
    expect((await m.t.http().post('/users/me/email').send({ newEmail: next, password: body.password })).status).toBe(401);
  });

  it('an address another account uses: the same 202, and that address gets a note instead of a link', async () => {
    const owner = newUser();
    await m.t.http().post('/auth/signup').send(owner).expect(201);
    const { body, pair } = await signupAndLogin(m.t);
    const free = await request(pair.accessToken, address(), body.password);
    const taken = await request(pair.accessToken, owner.email, body.password);
    expect(taken.status).toBe(202);
    expect(taken.text).toBe(free.text);
    const note = await m.latest(owner.email, SUBJECTS.emailTaken);
    expect(note.text).not.toMatch(/#token=/);
    expect(m.mails(owner.email, SUBJECTS.emailChange)).toEqual([]);
  });

  it('409 user_exists when another account took the address meanwhile, and the address stays', async () => {
    const { body, pair } = await signupAndLogin(m.t);
    const next = address();
    await request(pair.accessToken, next, body.password).expect(202);
    const token = await m.linkToken(next, SUBJECTS.emailChange);
    await m.t.http().post('/auth/signup').send(newUser({ email: next })).expect(201);
    const res = await confirm(token);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('user_exists');
    expect((await m.t.http().get('/users/me').set(bearer(pair.accessToken)).expect(200)).body.email).toBe(body.email);
    await m.deliver();
    expect(m.mails(body.email, SUBJECTS.emailChanged)).toEqual([]);
  });

  it('an expired, superseded or other-purpose token is 400 link_invalid', async () => {
    const { body, pair } = await signupAndLogin(m.t);
    const expectInvalid = async (token: string) => {
      const res = await confirm(token);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('link_invalid');
    };
    await expectInvalid(await m.linkToken(body.email, SUBJECTS.verify));
    const first = address();
    const second = address();
    await request(pair.accessToken, first, body.password).expect(202);
    const older = await m.linkToken(first, SUBJECTS.emailChange);
    await request(pair.accessToken, second, body.password).expect(202);
    const newer = await m.linkToken(second, SUBJECTS.emailChange);
    await expectInvalid(older);
    const reset = await m.t.http().post('/auth/password/reset').send({ token: newer, newPassword: `new-${randomUUID()}` });
    expect(reset.body.code).toBe('link_invalid');
    travel(24 * 3600 + 1); // EMAIL_CHANGE_TTL_SECONDS defaults to a day
    await expectInvalid(newer);
  });
});

describe('PATCH /users/me', () => {
  let m: MailingApp;
  beforeAll(async () => {
    m = await createMailingApp();
  });
  afterAll(() => m?.close());

  const patch = (accessToken: string, changes: Record<string, unknown>) => m.t.http().patch('/users/me').set(bearer(accessToken)).send(changes);

  it('changes the name and the username; the next access token carries them, and the new username logs in', async () => {
    const { body, pair, userId } = await signupAndLogin(m.t);
    const username = `renamed_${randomUUID().slice(0, 8)}`;
    const res = await patch(pair.accessToken, { name: 'Ada Lovelace', username }).expect(200);
    expect(res.body).toMatchObject({ id: userId, name: 'Ada Lovelace', username, email: body.email });
    expect(res.body).not.toHaveProperty('passwordHash');
    const onlyName = await patch(pair.accessToken, { name: 'Ada King' }).expect(200);
    expect(onlyName.body).toMatchObject({ name: 'Ada King', username });
    const login = await m.t.http().post('/auth/login').send({ login: username, password: body.password }).expect(200);
    expect(claimsOf(login.body.accessToken as string)).toMatchObject({ username, name: 'Ada King' });
    await m.t.http().post('/auth/login').send({ login: body.username, password: body.password }).expect(401);
  });

  it('409 user_exists for a username another account has (in any case), 400 for an invalid one, 401 without a token', async () => {
    const other = newUser();
    await m.t.http().post('/auth/signup').send(other).expect(201);
    const { pair } = await signupAndLogin(m.t);
    const taken = await patch(pair.accessToken, { username: other.username.toUpperCase() });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('user_exists');
    for (const changes of [{ username: 'x' }, { username: 'has space' }, { name: 42 }, { roles: ['admin'] }]) {
      const res = await patch(pair.accessToken, changes);
      expect(res.status, JSON.stringify(changes)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await m.t.http().patch('/users/me').send({ name: 'Nobody' })).status).toBe(401);
  });
});
