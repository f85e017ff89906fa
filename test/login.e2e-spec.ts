import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../src/auth/password-hasher.service.js';
import { User } from '../src/users/user.entity.js';
import { claimsOf, headerOf, signupAndLogin } from './support/flows.js';
import { createTestApp, newUser, type TestApp } from './support/test-app.js';

describe('login', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('logs in by username and answers a token pair, no-store, and the refresh cookie', async () => {
    const body = newUser();
    await t.http().post('/auth/signup').send(body).expect(201);
    const res = await t.http().post('/auth/login').set('user-agent', 'vitest').send({ login: body.username, password: body.password });

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      tokenType: 'Bearer',
      accessToken: expect.any(String),
      expiresIn: 900,
      refreshToken: expect.any(String),
      refreshExpiresIn: 14 * 24 * 3600,
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`refresh_token=${res.body.refreshToken}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/auth/);
    expect(cookie).toMatch(new RegExp(`Max-Age=${14 * 24 * 3600}`));
  });

  it('logs in by email in any letter case', async () => {
    const body = newUser();
    await t.http().post('/auth/signup').send(body).expect(201);
    const res = await t.http().post('/auth/login').send({ login: body.email.toUpperCase(), password: body.password });
    expect(res.status).toBe(200);
  });

  it('issues an access token with typ at+jwt, a kid and the documented claims', async () => {
    const { pair, userId, body } = await signupAndLogin(t);
    expect(headerOf(pair.accessToken)).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: expect.stringMatching(/^at-/) });
    const claims = claimsOf(pair.accessToken);
    expect(Object.keys(claims).sort()).toEqual(['aud', 'email_verified', 'exp', 'iat', 'iss', 'jti', 'name', 'roles', 'sid', 'sub', 'username']);
    expect(claims).toMatchObject({ sub: userId, username: body.username, name: body.name, roles: ['user'] });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(900);

    expect(headerOf(pair.refreshToken)).toEqual({ alg: 'HS256', typ: 'rt+jwt', kid: expect.stringMatching(/^rt-/) });
    const refresh = claimsOf(pair.refreshToken);
    expect(refresh).toMatchObject({ sub: userId, sid: claims.sid });
    expect(Buffer.from(String(refresh.jti), 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(refresh.aud).not.toBe(claims.aud);
  });

  it('gives two logins in the same second different tokens and sessions', async () => {
    const body = newUser();
    await t.http().post('/auth/signup').send(body).expect(201);
    const [a, b] = await Promise.all([1, 2].map(() => t.http().post('/auth/login').send({ login: body.username, password: body.password })));
    expect(a.body.accessToken).not.toBe(b.body.accessToken);
    expect(a.body.refreshToken).not.toBe(b.body.refreshToken);
    expect(claimsOf(a.body.accessToken).sid).not.toBe(claimsOf(b.body.accessToken).sid);
  });

  it('answers wrong password, unknown user and disabled user with one identical 401', async () => {
    const active = newUser();
    const disabled = newUser();
    await t.http().post('/auth/signup').send(active).expect(201);
    await t.http().post('/auth/signup').send(disabled).expect(201);
    await t.dataSource.getRepository(User).update({ username: disabled.username }, { disabled: true });

    const wrongPassword = await t.http().post('/auth/login').send({ login: active.username, password: 'not-the-password' });
    const unknownUser = await t.http().post('/auth/login').send({ login: 'nobody_here', password: 'whatever-password' });
    const disabledUser = await t.http().post('/auth/login').send({ login: disabled.username, password: disabled.password });

    for (const res of [wrongPassword, unknownUser, disabledUser]) {
      expect(res.status).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(unknownUser.body).toEqual(wrongPassword.body);
    expect(disabledUser.body).toEqual(wrongPassword.body);
    expect(wrongPassword.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'invalid_credentials', message: 'Invalid login or password' });
  });

  it('rehashes the stored password when the argon2 parameters changed', async () => {
    const body = newUser();
    const signup = await t.http().post('/auth/signup').send(body).expect(201);
    const users = t.dataSource.getRepository(User);
    const argon2 = await import('argon2');
    const weaker = await argon2.hash(body.password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 3, parallelism: 1 });
    await users.update({ id: signup.body.id }, { passwordHash: weaker });

    await t.http().post('/auth/login').send({ login: body.username, password: body.password }).expect(200);
    const stored = await users.findOneByOrFail({ id: signup.body.id });
    expect(stored.passwordHash).not.toBe(weaker);
    expect(t.app.get(PasswordHasher).needsRehash(stored.passwordHash)).toBe(false);
  });

  it('refuses a login body with missing fields with 400', async () => {
    const res = await t.http().post('/auth/login').send({ login: 'someone' });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['password']);
  });
});

describe('protected routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /users/me answers the profile for a valid access token', async () => {
    const { pair, userId, body } = await signupAndLogin(t);
    const res = await t.http().get('/users/me').set('authorization', `Bearer ${pair.accessToken}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: userId, username: body.username, email: body.email });
    expect(res.body).not.toHaveProperty('passwordHash');
  });

  it('GET /users/me without a token is 401 missing_token with a bare Bearer challenge', async () => {
    const res = await t.http().get('/users/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('missing_token');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="nest-token-auth"');
  });

  it('GET /auth/whoami answers the verified claims', async () => {
    const { pair, userId } = await signupAndLogin(t);
    const res = await t.http().get('/auth/whoami').set('authorization', `Bearer ${pair.accessToken}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(claimsOf(pair.accessToken));
    expect(res.body.sub).toBe(userId);
  });

  it('answers an expired access token with 401 token_expired and an RFC 6750 challenge', async () => {
    const { pair } = await signupAndLogin(t);
    // Used once while valid, so the guard has it among the tokens it verified before.
    await t.http().get('/users/me').set('authorization', `Bearer ${pair.accessToken}`).expect(200);
    const realNow = Date.now;
    // A fake clock: jsonwebtoken reads Date.now(); sixteen minutes pass in an instant.
    Date.now = () => realNow() + 16 * 60 * 1000;
    try {
      const res = await t.http().get('/users/me').set('authorization', `Bearer ${pair.accessToken}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('token_expired');
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="nest-token-auth", error="invalid_token", error_description="The token has expired"',
      );
    } finally {
      Date.now = realNow;
    }
    await t.http().get('/users/me').set('authorization', `Bearer ${pair.accessToken}`).expect(200);
  });

  it('keeps public routes public', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
  });
});
