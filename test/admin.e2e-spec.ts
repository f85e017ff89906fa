import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promoteUser } from '../src/admin/promote-user.js';
import { User } from '../src/users/user.entity.js';
import { claimsOf, refreshWithBody, signupAndLogin } from './support/flows.js';
import { createTestApp, onMysql, type TestApp } from './support/test-app.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A fresh user made administrator through the CLI's core, then logged in again so the token carries the role. */
async function signupAdmin(t: TestApp) {
  const admin = await signupAndLogin(t);
  await promoteUser(t.dataSource, admin.body.email);
  const login = await t.http().post('/auth/login').send({ login: admin.body.username, password: admin.body.password }).expect(200);
  return { ...admin, token: login.body.accessToken as string };
}

const VIEW_KEYS = ['createdAt', 'disabled', 'email', 'emailVerified', 'id', 'name', 'roles', 'updatedAt', 'username'];

describe('admin routes: who may call them', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signupAdmin>>;
  let someone: Awaited<ReturnType<typeof signupAndLogin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await signupAdmin(t);
    someone = await signupAndLogin(t);
  });
  afterAll(() => t.close());

  const routes = () => [
    { method: 'get', path: '/admin/users', body: undefined },
    { method: 'patch', path: `/admin/users/${admin.userId}`, body: { roles: ['user'] } },
    { method: 'delete', path: `/admin/users/${admin.userId}/sessions`, body: undefined },
  ] as const;

  it('refuses a caller without the admin role with 403 forbidden, and changes nothing', async () => {
    for (const route of routes()) {
      const res = await t.http()[route.method](route.path).set(bearer(someone.pair.accessToken)).send(route.body);
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
      expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', code: 'forbidden', message: 'You are not allowed to do this' });
    }
    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ id: admin.userId });
    expect(stored.roles).toEqual(['user', 'admin']);
    await t.http().get('/users/me').set(bearer(admin.token)).expect(200);
  });

  it('refuses a caller without a token with 401 missing_token, before any role check', async () => {
    for (const route of routes()) {
      const res = await t.http()[route.method](route.path).send(route.body);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
      expect(res.body.code).toBe('missing_token');
    }
  });

  it('refuses a forged token with 401 invalid_token', async () => {
    const [header, , signature] = someone.pair.accessToken.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claimsOf(someone.pair.accessToken), roles: ['admin'] })).toString('base64url');
    const res = await t.http().get('/admin/users').set(bearer(`${header}.${payload}.${signature}`));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('needs a new access token after a promotion: the old one still carries the old roles', async () => {
    const promoted = await signupAndLogin(t);
    await promoteUser(t.dataSource, promoted.body.email);
    await t.http().get('/admin/users').set(bearer(promoted.pair.accessToken)).expect(403);
    const reissued = await refreshWithBody(t, promoted.pair.refreshToken).expect(200);
    expect(claimsOf(reissued.body.accessToken).roles).toEqual(['user', 'admin']);
    await t.http().get('/admin/users').set(bearer(reissued.body.accessToken)).expect(200);
  });

  it('keeps @Authenticated() routes (no roles) open to every authenticated user', async () => {
    await t.http().get('/auth/whoami').set(bearer(someone.pair.accessToken)).expect(200);
  });

  it('documents the admin routes with the bearer scheme, 403 and the codes each route can answer', async () => {
    const { body } = await t.http().get('/docs-json').expect(200);
    const list = body.paths['/admin/users'].get;
    const update = body.paths['/admin/users/{id}'].patch;
    const end = body.paths['/admin/users/{id}/sessions'].delete;
    for (const operation of [list, update, end]) {
      expect(operation.tags).toEqual(['admin']);
      expect(operation.security).toEqual([{ accessToken: [] }]);
      expect(operation.responses['401'].description).toContain('token_revoked');
      expect(operation.responses['403'].description).toContain('forbidden');
    }
    expect(list.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/AdminUserPageView');
    expect(list.responses['400'].description).toContain('validation_failed');
    expect(update.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/AdminUserView');
    expect(update.responses['404'].description).toContain('not_found');
    expect(end.responses).toHaveProperty('204');
    expect(end.responses['404'].description).toContain('not_found');
    expect(Object.keys(body.components.schemas.AdminUserView.properties).sort()).toEqual(VIEW_KEYS);
    expect(body.paths['/users/me'].get.responses).not.toHaveProperty('403');
  });
});

describe('GET /admin/users', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signupAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await signupAdmin(t);
    for (let i = 0; i < 4; i++) await signupAndLogin(t);
  });
  afterAll(() => t.close());

  it('answers one page in creation order, with page, limit and total, and never a password hash', async () => {
    const users = t.dataSource.getRepository(User);
    const before = await users.count();
    const res = await t.http().get('/admin/users?page=2&limit=2').set(bearer(admin.token));
    const after = await users.count();

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: expect.any(Array), page: 2, limit: 2, total: expect.any(Number) });
    // Other test files may add users to a shared MariaDB database meanwhile; they only ever append.
    expect(res.body.total).toBeGreaterThanOrEqual(before);
    expect(res.body.total).toBeLessThanOrEqual(after);
    const expected = await users.find({ order: { createdAt: 'ASC', id: 'ASC' }, skip: 2, take: 2 });
    expect(res.body.items.map((item: { id: string }) => item.id)).toEqual(expected.map((user) => user.id));
    for (const item of res.body.items) expect(Object.keys(item).sort()).toEqual(VIEW_KEYS);
    expect(JSON.stringify(res.body)).not.toContain('$argon2');
    expect(JSON.stringify(res.body)).not.toContain('passwordHash');
  });

  it('pages without overlap', async () => {
    const first = await t.http().get('/admin/users?page=1&limit=2').set(bearer(admin.token)).expect(200);
    const second = await t.http().get('/admin/users?page=2&limit=2').set(bearer(admin.token)).expect(200);
    const ids = [...first.body.items, ...second.body.items].map((item: { id: string }) => item.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('defaults to page 1 and 20 per page', async () => {
    const res = await t.http().get('/admin/users').set(bearer(admin.token)).expect(200);
    expect(res.body).toMatchObject({ page: 1, limit: 20 });
    expect(res.body.items.length).toBe(Math.min(20, res.body.total));
    expect(JSON.stringify(res.body)).not.toContain('$argon2');
  });

  it('answers a page past the end with no items', async () => {
    const res = await t.http().get('/admin/users?page=90000000000000&limit=100').set(bearer(admin.token)).expect(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.total).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['page=', 'page'],
    ['page=1e20', 'page'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['page=1&page=2', 'page'],
    ['sort=email', 'sort'],
  ])('refuses ?%s with 400 validation_failed on %s', async (query, field) => {
    const res = await t.http().get(`/admin/users?${query}`).set(bearer(admin.token));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details.map((detail: { field: string }) => detail.field)).toEqual([field]);
  });
});

describe('PATCH /admin/users/:id', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signupAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await signupAdmin(t);
  });
  afterAll(() => t.close());

  it('sets the roles; the target’s next reissued access token carries them', async () => {
    const target = await signupAndLogin(t);
    const res = await t.http().patch(`/admin/users/${target.userId}`).set(bearer(admin.token)).send({ roles: ['user', 'editor'] });

    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(VIEW_KEYS);
    expect(res.body).toMatchObject({ id: target.userId, email: target.body.email, roles: ['user', 'editor'], disabled: false });
    expect(JSON.stringify(res.body)).not.toContain('$argon2');
    expect(claimsOf(target.pair.accessToken).roles).toEqual(['user']);
    const reissued = await refreshWithBody(t, target.pair.refreshToken).expect(200);
    expect(claimsOf(reissued.body.accessToken).roles).toEqual(['user', 'editor']);
  });

  it('disabling ends the target’s sessions at once: access token, refresh token and login all fail', async () => {
    const target = await signupAndLogin(t);
    await t.http().get('/users/me').set(bearer(target.pair.accessToken)).expect(200);

    const res = await t.http().patch(`/admin/users/${target.userId}`).set(bearer(admin.token)).send({ disabled: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: target.userId, disabled: true, roles: ['user'] });

    const me = await t.http().get('/users/me').set(bearer(target.pair.accessToken));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('token_revoked');
    const refresh = await refreshWithBody(t, target.pair.refreshToken);
    expect(refresh.status).toBe(401);
    expect(refresh.body.code).toBe('refresh_token_revoked');
    const login = await t.http().post('/auth/login').send({ login: target.body.username, password: target.body.password });
    expect(login.status).toBe(401);
    expect(login.body.code).toBe('invalid_credentials');
  });

  it('enabling a disabled user lets them log in again', async () => {
    const target = await signupAndLogin(t);
    await t.http().patch(`/admin/users/${target.userId}`).set(bearer(admin.token)).send({ disabled: true }).expect(200);
    const res = await t.http().patch(`/admin/users/${target.userId}`).set(bearer(admin.token)).send({ disabled: false });
    expect(res.body).toMatchObject({ disabled: false });
    await t.http().post('/auth/login').send({ login: target.body.username, password: target.body.password }).expect(200);
  });

  it('changes roles and disabled together', async () => {
    const target = await signupAndLogin(t);
    const res = await t.http().patch(`/admin/users/${target.userId}`).set(bearer(admin.token)).send({ roles: ['auditor'], disabled: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ roles: ['auditor'], disabled: true });
    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ id: target.userId });
    expect(stored).toMatchObject({ roles: ['auditor'], disabled: true });
  });

  it('answers 404 not_found for an unknown or malformed id', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', `${admin.userId}%20`]) {
      const res = await t.http().patch(`/admin/users/${id}`).set(bearer(admin.token)).send({ disabled: true });
      expect(res.status, id).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });

  it('refuses an administrator removing their own admin role or disabling themselves with 400 validation_failed', async () => {
    const demote = await t.http().patch(`/admin/users/${admin.userId}`).set(bearer(admin.token)).send({ roles: ['user'] });
    expect(demote.status).toBe(400);
    expect(demote.body).toMatchObject({
      code: 'validation_failed',
      message: 'An administrator cannot lock themselves out',
      details: [{ field: 'roles', messages: ['you cannot remove your own admin role'] }],
    });
    const disable = await t.http().patch(`/admin/users/${admin.userId}`).set(bearer(admin.token)).send({ disabled: true });
    expect(disable.status).toBe(400);
    expect(disable.body.details).toEqual([{ field: 'disabled', messages: ['you cannot disable yourself'] }]);

    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ id: admin.userId });
    expect(stored).toMatchObject({ roles: ['user', 'admin'], disabled: false });
    await t.http().get('/admin/users').set(bearer(admin.token)).expect(200);
  });

  it('lets an administrator change their own roles while keeping admin', async () => {
    const res = await t.http().patch(`/admin/users/${admin.userId}`).set(bearer(admin.token)).send({ roles: ['admin', 'user', 'support'] });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['admin', 'user', 'support']);
  });

  it('lets an administrator demote another administrator', async () => {
    const other = await signupAdmin(t);
    const res = await t.http().patch(`/admin/users/${other.userId}`).set(bearer(admin.token)).send({ roles: ['user'] });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['user']);
  });

  it.each([
    [{}, 'disabled', 'give roles, disabled or both'],
    [{ roles: [] }, 'roles', 'roles must contain at least 1 elements'],
    [{ roles: null }, 'roles', 'roles must be an array'],
    [{ roles: 'admin' }, 'roles', 'roles must be an array'],
    [{ roles: ['Admin'] }, 'roles', 'each role must be 1-32 characters: a lower-case letter, then a-z, 0-9, _ or -'],
    [{ roles: ['1st'] }, 'roles', 'each role must be 1-32 characters: a lower-case letter, then a-z, 0-9, _ or -'],
    [{ roles: [`r${'x'.repeat(32)}`] }, 'roles', 'each role must be 1-32 characters: a lower-case letter, then a-z, 0-9, _ or -'],
    [{ roles: Array.from({ length: 21 }, (_, i) => `role${i}`) }, 'roles', 'roles must contain no more than 20 elements'],
    [{ roles: ['user', 'user'] }, 'roles', "All roles's elements must be unique"],
    [{ disabled: 'yes' }, 'disabled', 'disabled must be a boolean value'],
    [{ disabled: null }, 'disabled', 'disabled must be a boolean value'],
    [{ disabled: false, password: 'x' }, 'password', 'property password should not exist'],
  ])('refuses %j with 400 validation_failed on %s', async (body, field, message) => {
    const target = await signupAndLogin(t);
    const res = await t.http().patch(`/admin/users/${target.userId}`).set(bearer(admin.token)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details).toContainEqual({ field, messages: expect.arrayContaining([message]) });
    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ id: target.userId });
    expect(stored).toMatchObject({ roles: ['user'], disabled: false });
  });

  it('accepts 20 distinct roles of 32 characters', async () => {
    const target = await signupAndLogin(t);
    const roles = Array.from({ length: 20 }, (_, i) => `r${String(i).padStart(2, '0')}${'_'.repeat(29)}`);
    const res = await t.http().patch(`/admin/users/${target.userId}`).set(bearer(admin.token)).send({ roles });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(roles);
  });
});

describe('DELETE /admin/users/:id/sessions', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signupAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await signupAdmin(t);
  });
  afterAll(() => t.close());

  it('answers 204 and ends every session of the user: their access and refresh tokens stop working', async () => {
    const target = await signupAndLogin(t);
    const second = await t.http().post('/auth/login').send({ login: target.body.username, password: target.body.password }).expect(200);
    const bystander = await signupAndLogin(t);

    const res = await t.http().delete(`/admin/users/${target.userId}/sessions`).set(bearer(admin.token));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');

    for (const pair of [target.pair, second.body]) {
      const me = await t.http().get('/users/me').set(bearer(pair.accessToken));
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('token_revoked');
      const refresh = await refreshWithBody(t, pair.refreshToken);
      expect(refresh.status).toBe(401);
      expect(refresh.body.code).toBe('refresh_token_revoked');
    }
    // Recorded as an administrator's doing, not as the user's own logout-all.
    const reasons: Array<{ revoked_reason: string }> = await t.dataSource.query('SELECT revoked_reason FROM sessions WHERE user_id = ?', [target.userId]);
    expect(reasons.map((row) => row.revoked_reason)).toEqual(['ended_by_admin', 'ended_by_admin']);
    // Not disabled: the user may log in again, and nobody else was touched.
    await t.http().post('/auth/login').send({ login: target.body.username, password: target.body.password }).expect(200);
    await t.http().get('/users/me').set(bearer(bystander.pair.accessToken)).expect(200);
    await t.http().get('/admin/users').set(bearer(admin.token)).expect(200);
  });

  it('answers 404 not_found for an unknown or malformed id', async () => {
    for (const id of [randomUUID(), 'nope']) {
      const res = await t.http().delete(`/admin/users/${id}/sessions`).set(bearer(admin.token));
      expect(res.status, id).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });
});

describe('promoting the first administrator (npm run user:promote)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('adds the admin role by normalised email, once; the next login carries it', async () => {
    const user = await signupAndLogin(t);
    const first = await promoteUser(t.dataSource, `  ${user.body.email.toUpperCase()} `);
    expect(first).toMatchObject({ changed: true, user: { id: user.userId, roles: ['user', 'admin'] } });
    const again = await promoteUser(t.dataSource, user.body.email);
    expect(again).toMatchObject({ changed: false, user: { roles: ['user', 'admin'] } });
    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ id: user.userId });
    expect(stored.roles).toEqual(['user', 'admin']);

    const login = await t.http().post('/auth/login').send({ login: user.body.username, password: user.body.password }).expect(200);
    expect(claimsOf(login.body.accessToken).roles).toEqual(['user', 'admin']);
  });

  it('answers null for an unknown email and changes nothing', async () => {
    const users = t.dataSource.getRepository(User);
    const before = await users.count();
    expect(await promoteUser(t.dataSource, `nobody-${randomUUID()}@example.com`)).toBeNull();
    expect(await users.count()).toBe(before);
  });

  it('the script prints one line and exits 0, or exits 1 with a message on stderr for an unknown email', async () => {
    const user = await signupAndLogin(t);
    const root = resolve(import.meta.dirname, '..');
    const database = String(t.dataSource.options.database);
    // Run from an empty folder so no .env there can point the script at another database.
    const env = { ...process.env, ...(onMysql ? {} : { DATA_DIR: dirname(database) }) };
    const run = (email: string) =>
      spawnSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', resolve(root, 'tsconfig.json'), resolve(root, 'src/cli/promote-user.ts'), email], {
        cwd: dirname(database),
        env,
        encoding: 'utf8',
      });

    const promoted = run(user.body.email);
    expect(promoted.stderr).toBe('');
    expect(promoted.status).toBe(0);
    expect(promoted.stdout.trim().split('\n')).toEqual([expect.stringContaining(`${user.body.email} is now an administrator`)]);
    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ id: user.userId });
    expect(stored.roles).toEqual(['user', 'admin']);

    const unknown = run(`nobody-${randomUUID()}@example.com`);
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('No user with the email');
  });
});
