import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../src/users/user.entity.js';
import { createTestApp, newUser, type TestApp } from './support/test-app.js';

describe('signup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates the user, answers 201 with its public fields and stores only an argon2id hash', async () => {
    const body = newUser();
    body.email = `  ${body.email.replace('user', 'Mixed.User')} `;
    const res = await t.http().post('/auth/signup').send(body).expect(201);

    expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'email', 'emailVerified', 'id', 'name', 'roles', 'username']);
    expect(res.body.email).toBe(body.email.trim().toLowerCase());
    expect(res.body.username).toBe(body.username);
    expect(res.body.roles).toEqual(['user']);
    expect(JSON.stringify(res.body)).not.toContain(body.password);

    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ id: res.body.id });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(stored.passwordHash).not.toContain(body.password);
    expect(stored.disabled).toBe(false);
  });

  it('keeps the password exactly as typed: leading and trailing spaces count', async () => {
    const body = newUser({ password: '  spaced out  ' });
    const res = await t.http().post('/auth/signup').send(body).expect(201);
    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ id: res.body.id });
    const argon2 = await import('argon2');
    expect(await argon2.verify(stored.passwordHash, '  spaced out  ')).toBe(true);
    expect(await argon2.verify(stored.passwordHash, 'spaced out')).toBe(false);
  });

  it('refuses the same email in another letter case with 409 user_exists', async () => {
    const first = newUser();
    await t.http().post('/auth/signup').send(first).expect(201);
    const res = await t.http().post('/auth/signup').send(newUser({ email: first.email.toUpperCase() })).expect(409);
    expect(res.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'user_exists',
      message: expect.any(String),
    });
  });

  it('refuses the same username in another letter case with 409 user_exists', async () => {
    const first = newUser();
    await t.http().post('/auth/signup').send(first).expect(201);
    const res = await t.http().post('/auth/signup').send(newUser({ username: first.username.toUpperCase() })).expect(409);
    expect(res.body.code).toBe('user_exists');
  });

  it('lets exactly one of two simultaneous identical signups win', async () => {
    const body = newUser();
    const results = await Promise.all([1, 2, 3].map(() => t.http().post('/auth/signup').send(body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await t.dataSource.getRepository(User).countBy({ username: body.username })).toBe(1);
  });

  const invalid: Array<[string, Record<string, unknown>]> = [
    ['email', { email: 'not-an-email' }],
    ['email', { email: `${'a'.repeat(250)}@example.com` }],
    ['email', { email: 42 }],
    ['username', { username: 'ab' }],
    ['username', { username: 'a'.repeat(33) }],
    ['username', { username: 'has space' }],
    ['username', { username: 'émile' }],
    ['name', { name: '' }],
    ['name', { name: 'n'.repeat(101) }],
    ['name', { name: 'bell\u0007' }],
    ['password', { password: 'short' }],
    ['password', { password: 'p'.repeat(129) }],
    ['password', { password: 12345678 }],
  ];
  it.each(invalid)('answers 400 validation_failed naming the field %s', async (field, override) => {
    const body = { ...newUser(), ...override };
    const res = await t.http().post('/auth/signup').send(body).expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
    expect(await t.dataSource.getRepository(User).countBy({ username: body.username })).toBe(0);
  });

  it('reports every missing field at once', async () => {
    const res = await t.http().post('/auth/signup').send({}).expect(400);
    const fields = res.body.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['email', 'name', 'password', 'username']);
  });

  it('refuses unknown fields (no mass assignment of roles)', async () => {
    const body = { ...newUser(), roles: ['admin'] };
    const res = await t.http().post('/auth/signup').send(body).expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details).toEqual([{ field: 'roles', messages: ['property roles should not exist'] }]);
    expect(await t.dataSource.getRepository(User).countBy({ username: body.username })).toBe(0);
  });

  it('accepts a 128-character password and a 64-character one', async () => {
    const long = await t.http().post('/auth/signup').send(newUser({ password: 'x'.repeat(128) }));
    const medium = await t.http().post('/auth/signup').send(newUser({ password: 'y'.repeat(64) }));
    expect([long.status, medium.status]).toEqual([201, 201]);
  });
});
