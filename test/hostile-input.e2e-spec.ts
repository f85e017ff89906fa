import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../src/users/user.entity.js';
import { signupAndLogin, type TokenPair } from './support/flows.js';
import {
  dbSnapshot,
  expectClientError,
  expectNoServerError,
  fullwidth,
  listen,
  newPrefix,
  prefixedUser,
  rawHttp,
  rawRequest,
  type DbSnapshot,
} from './support/hostile.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Hostile bodies, headers and HTTP framing at every route that takes input. Each case must get a 4xx in the one
 * error shape (never a 5xx) and write nothing: the users, sessions and refresh_tokens rows are the same afterwards.
 */

type Method = 'post' | 'patch' | 'delete';

interface JsonRoute {
  method: Method;
  path: string;
  /** Whatever lets the request past the guards, so the body reaches the validation pipe. */
  headers: Record<string, string>;
  /** A body the route would accept. */
  valid: Record<string, unknown>;
}

const ROUTE_NAMES = ['signup', 'login', 'refresh', 'logout', 'logout-all', 'password change', 'delete account', 'admin patch'] as const;
type RouteName = (typeof ROUTE_NAMES)[number];

/** Not JSON at all, or JSON with a syntax error, or JSON the parser refuses (prototype poisoning). */
const MALFORMED: string[] = [
  '{',
  '}',
  '{"a":',
  '{"a": "b", ',
  '[1, 2',
  '{"a": 1}}',
  '{a: 1}',
  "{'a': 'b'}",
  'nul',
  'tru',
  '{"a": "\\x"}',
  '{"a": "unterminated',
  '{"a": 1,}',
  '{"a": NaN}',
  '{"a": Infinity}',
  '{"a": 01}',
  '{"a": undefined}',
  '{"a": "b"}garbage',
  '{}{}',
  '"\\ud800',
  '\u0000',
  '{"a":"\u0000"',
  '{"__proto__": {"roles": ["admin"]}}',
  '{"constructor": {"prototype": {"roles": ["admin"]}}}',
];

/** JSON that parses, but is not an object. */
const WRONG_TYPE = ['[]', '[{}]', '"a string"', '""', '42', '0', '-1.5e300', 'null', 'true', 'false'];

/** Strings where numbers, booleans or arrays go, and the other way round, per route. */
const TYPE_CONFUSION: Record<RouteName, (valid: Record<string, unknown>) => Array<Record<string, unknown>>> = {
  signup: (v) => [
    { ...v, email: [v.email] },
    { ...v, email: { $ne: null } },
    { ...v, username: ['a', 'b', 'c'] },
    { ...v, username: true },
    { ...v, username: 12345 },
    { ...v, name: {} },
    { ...v, name: 1.5 },
    { ...v, password: null },
    { ...v, password: [v.password] },
    { ...v, password: 123456789 },
  ],
  login: (v) => [
    { login: 123, password: [] },
    { login: [v.login], password: v.password },
    { login: v.login, password: [v.password] },
    { login: { $ne: null }, password: { $ne: null } },
    { login: v.login, password: true },
    { login: v.login, password: 12345678 },
    { login: null, password: null },
    { login: true, password: v.password },
  ],
  refresh: (v) => [{ refreshToken: 123 }, { refreshToken: [v.refreshToken] }, { refreshToken: {} }, { refreshToken: true }],
  logout: (v) => [{ refreshToken: 1 }, { refreshToken: [v.refreshToken] }, { refreshToken: false }, { refreshToken: { token: v.refreshToken } }],
  'logout-all': () => [{ scope: 1 }, { scope: ['others'] }, { scope: true }, { scope: {} }, { scope: 'ALL' }, { scope: 'others ' }],
  'password change': (v) => [
    { currentPassword: [v.currentPassword], newPassword: v.newPassword },
    { currentPassword: v.currentPassword, newPassword: 123456789 },
    { currentPassword: v.currentPassword, newPassword: ['a', 'b'] },
    { currentPassword: v.currentPassword, newPassword: { length: 10 } },
    { currentPassword: true, newPassword: v.newPassword },
    { currentPassword: v.currentPassword, newPassword: null },
  ],
  'delete account': (v) => [{ password: [v.password] }, { password: { toString: v.password } }, { password: 1 }, { password: true }, { password: null }],
  'admin patch': () => [
    { disabled: 'yes' },
    { disabled: 'true' },
    { disabled: 1 },
    { disabled: 0 },
    { disabled: [true] },
    { disabled: null },
    { roles: 'admin' },
    { roles: 'user,admin' },
    { roles: [1] },
    { roles: [['admin']] },
    { roles: { 0: 'admin' } },
    { roles: null },
    { roles: [] },
    { roles: ['admin', 'admin'] },
    { roles: ['user', 'admin'], disabled: 'no' },
  ],
};

const TEN_KB = 10 * 1024;
const big = (fill = 'x') => fill.repeat(TEN_KB);

/** Every field of every route, 10 KB long (one field at a time: the body stays under the 16 KiB limit). */
const OVERSIZED: Record<RouteName, (valid: Record<string, unknown>) => Array<[field: string, body: Record<string, unknown>]>> = {
  signup: (v) => [
    ['email', { ...v, email: `${big('a')}@example.com` }],
    ['username', { ...v, username: big('u') }],
    ['name', { ...v, name: big('n') }],
    ['password', { ...v, password: big('p') }],
  ],
  login: (v) => [
    ['login', { ...v, login: big('l') }],
    ['login', { ...v, login: `${big('l')}@example.com` }],
    ['password', { ...v, password: big('p') }],
  ],
  refresh: () => [['refreshToken', { refreshToken: big('r') }]],
  logout: () => [['refreshToken', { refreshToken: big('r') }]],
  'logout-all': () => [['scope', { scope: big('s') }]],
  'password change': (v) => [
    ['currentPassword', { ...v, currentPassword: big('c') }],
    ['newPassword', { ...v, newPassword: big('n') }],
  ],
  'delete account': () => [['password', { password: big('p') }]],
  'admin patch': () => [
    ['roles', { roles: [big('r')] }],
    ['roles', { roles: Array.from({ length: 1000 }, (_, i) => `r${i}`) }],
    ['disabled', { disabled: big('d') }],
  ],
};

/** C0 and C1 control characters, and DEL. */
const CONTROL_CHARS = ['\u0000', '\u0001', '\u0008', '\u0009', '\u000a', '\u000d', '\u001b', '\u007f', '\u0085', '\u009f'];
/** Those that String.prototype.trim() leaves in place (trimming surrounding whitespace is documented for the email). */
const UNTRIMMED_CONTROL_CHARS = CONTROL_CHARS.filter((c) => c.trim() === c);
const show = (c: string) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const insertMiddle = (value: string, c: string) => `${value.slice(0, Math.floor(value.length / 2))}${c}${value.slice(Math.floor(value.length / 2))}`;
const insertBeforeAt = (email: string, c: string) => email.replace('@', `${c}@`);

describe('hostile input', () => {
  const prefix = newPrefix();
  let t: TestApp;
  let port: number;
  /** The caller of the routes that need a token. */
  let user: Awaited<ReturnType<typeof signupAndLogin>>;
  /** The account whose login gets the hostile login bodies (failed logins count against it). */
  let loginTarget: Awaited<ReturnType<typeof signupAndLogin>>;
  /** The user the admin PATCHes. */
  let victim: Awaited<ReturnType<typeof signupAndLogin>>;
  let adminToken: string;
  let routes: Record<RouteName, JsonRoute>;

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const snapshot = () => dbSnapshot(t, prefix);

  async function expectUnchanged(before: DbSnapshot, label: string): Promise<void> {
    const after = await snapshot();
    expect(after.counts, `${label}: row counts`).toEqual(before.counts);
    expect(after.rows, `${label}: rows`).toEqual(before.rows);
  }

  function send(route: JsonRoute, body: string | Buffer, contentType = 'application/json') {
    return t.http()[route.method](route.path).set(route.headers).set('content-type', contentType).send(body);
  }

  beforeAll(async () => {
    t = await createTestApp();
    port = await listen(t);
    user = await signupAndLogin(t, prefixedUser(prefix));
    loginTarget = await signupAndLogin(t, prefixedUser(prefix));
    victim = await signupAndLogin(t, prefixedUser(prefix));
    const admin = await signupAndLogin(t, prefixedUser(prefix));
    await t.dataSource.getRepository(User).update({ id: admin.userId }, { roles: ['user', 'admin'] });
    const relogin = await t.http().post('/auth/login').send({ login: admin.body.username, password: admin.body.password }).expect(200);
    adminToken = (relogin.body as TokenPair).accessToken;

    const cookie = { cookie: `refresh_token=${user.pair.refreshToken}` };
    routes = {
      signup: { method: 'post', path: '/auth/signup', headers: {}, valid: prefixedUser(prefix) },
      login: { method: 'post', path: '/auth/login', headers: {}, valid: { login: loginTarget.body.username, password: loginTarget.body.password } },
      refresh: { method: 'post', path: '/auth/refresh', headers: cookie, valid: { refreshToken: user.pair.refreshToken } },
      logout: { method: 'post', path: '/auth/logout', headers: cookie, valid: { refreshToken: user.pair.refreshToken } },
      'logout-all': { method: 'post', path: '/auth/logout-all', headers: bearer(user.pair.accessToken), valid: { scope: 'others' } },
      'password change': {
        method: 'patch',
        path: '/users/me/password',
        headers: bearer(user.pair.accessToken),
        valid: { currentPassword: user.body.password, newPassword: `${user.body.password}-new` },
      },
      'delete account': { method: 'delete', path: '/users/me', headers: bearer(user.pair.accessToken), valid: { password: user.body.password } },
      'admin patch': { method: 'patch', path: `/admin/users/${victim.userId}`, headers: bearer(adminToken), valid: { disabled: true } },
    };
  });
  afterAll(() => t?.close());

  describe('malformed and truncated JSON', () => {
    it.each(ROUTE_NAMES)('%s: 400 invalid_json for every malformed body, nothing written', async (name) => {
      const route = routes[name];
      const before = await snapshot();
      const text = JSON.stringify(route.valid);
      const truncated = [1, 2, Math.floor(text.length / 2), text.length - 2, text.length - 1].map((n) => text.slice(0, n));
      for (const body of [...MALFORMED, ...truncated]) {
        const res = await send(route, body);
        expectClientError(res, `${name} ${JSON.stringify(body)}`);
        expect(res.body.code, `${name} ${JSON.stringify(body)}`).toBe('invalid_json');
      }
      // Bytes that are not UTF-8, outside any string (raw: supertest would JSON-encode a Buffer).
      const headers: Array<[string, string]> = [...Object.entries(route.headers), ['Content-Type', 'application/json'], ['Connection', 'close']];
      const result = await rawHttp(port, rawRequest(route.method.toUpperCase(), route.path, headers, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
      expect(result.responses).toHaveLength(1);
      expectClientError(result.responses[0], `${name} invalid UTF-8`);
      expect((result.responses[0].body as { code: string }).code).toBe('invalid_json');
      await expectUnchanged(before, name);
    });
  });

  describe('JSON of the wrong type', () => {
    it.each(ROUTE_NAMES)('%s: a body that is not a JSON object gets 400 validation_failed, nothing written', async (name) => {
      const route = routes[name];
      const before = await snapshot();
      for (const body of [...WRONG_TYPE, `[${JSON.stringify(route.valid)}]`]) {
        const res = await send(route, body);
        expectClientError(res, `${name} ${body.slice(0, 40)}`);
        expect(res.status, `${name} ${body.slice(0, 40)}`).toBe(400);
        expect(res.body.code, `${name} ${body.slice(0, 40)}`).toBe('validation_failed');
      }
      await expectUnchanged(before, name);
    });

    it.each(ROUTE_NAMES)('%s: fields of the wrong type get 400 validation_failed, nothing written', async (name) => {
      const route = routes[name];
      const before = await snapshot();
      for (const body of TYPE_CONFUSION[name](route.valid)) {
        const label = `${name} ${JSON.stringify(body).slice(0, 120)}`;
        const res = await send(route, JSON.stringify(body));
        expectClientError(res, label);
        expect(res.status, label).toBe(400);
        expect(res.body.code, label).toBe('validation_failed');
        expect(res.body.details, label).toEqual(expect.any(Array));
      }
      await expectUnchanged(before, name);
    });

    it('refuses unknown keys named after Object.prototype members like any other unknown key', async () => {
      // Silently dropping them would be harmless today, but "unknown fields are refused" must not have exceptions.
      for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
        const before = await snapshot();
        const res = await t.http().post('/auth/login').send({ ...routes.login.valid, [key]: 1 });
        expectClientError(res, `login with ${key}`);
        expect(res.status, `login with ${key}`).toBe(400);
        expect(res.body.details, `login with ${key}`).toEqual([{ field: key, messages: [`property ${key} should not exist`] }]);
        await expectUnchanged(before, `login with ${key}`);
      }
    });

    it('the admin PATCH target is untouched by all of it', async () => {
      const stored = await t.dataSource.getRepository(User).findOneByOrFail({ id: victim.userId });
      expect(stored.roles).toEqual(['user']);
      expect(stored.disabled).toBe(false);
      await t.http().get('/auth/whoami').set(bearer(victim.pair.accessToken)).expect(200);
    });
  });

  describe('10 KB strings', () => {
    it.each(ROUTE_NAMES)('%s: a 10 KB value in any one field gets 400 validation_failed, not 413 or 500', async (name) => {
      const route = routes[name];
      const before = await snapshot();
      for (const [field, body] of OVERSIZED[name](route.valid)) {
        const label = `${name}.${field}`;
        const res = await send(route, JSON.stringify(body));
        expectClientError(res, label);
        if (field === 'refreshToken') {
          // The refresh-token guard reads the token (body first) before the body is validated: refusing the token is right too.
          expect([400, 401], label).toContain(res.status);
          expect(['validation_failed', 'invalid_token'], label).toContain(res.body.code);
        } else {
          expect(res.status, label).toBe(400);
          expect(res.body.code, label).toBe('validation_failed');
          expect(res.body.details.map((d: { field: string }) => d.field), label).toContain(field);
        }
      }
      // And a 10 KB unknown key.
      const res = await send(route, JSON.stringify({ ...route.valid, [big('k')]: 1 }));
      expectClientError(res, `${name} 10 KB key`);
      expect(res.status).toBe(400);
      await expectUnchanged(before, name);
    });
  });

  describe('deep nesting', () => {
    // As deep as fits under the 16 KiB body limit: the parser copes, the DTO transform must not recurse itself to death.
    const depths = [1000, 3000, 7000];
    it.each(ROUTE_NAMES)('%s: arrays and objects nested 1000-7000 deep in a field get 4xx, not 500', async (name) => {
      const route = routes[name];
      const field = Object.keys(route.valid)[0];
      const marker = 'NESTED-VALUE-MARKER';
      const template = JSON.stringify({ ...route.valid, [field]: marker });
      const before = await snapshot();
      for (const depth of depths) {
        const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
        // Objects take 6 bytes a level: 2,500 levels is what fits under the body limit.
        const objectDepth = Math.min(depth, 2500);
        const objects = `${'{"a":'.repeat(objectDepth)}1${'}'.repeat(objectDepth)}`;
        for (const [kind, nested] of [['arrays', arrays], ['objects', objects]]) {
          const res = await send(route, template.replace(`"${marker}"`, nested));
          expectClientError(res, `${name}.${field}: ${kind} nested ${kind === 'arrays' ? depth : objectDepth} deep`);
        }
      }
      await expectUnchanged(before, name);
    });
  });

  describe('control characters', () => {
    const signupCases: Array<[string, string, string]> = [];
    for (const field of ['email', 'username', 'name', 'password']) {
      for (const c of CONTROL_CHARS) signupCases.push([field, 'inside', c]);
      for (const c of UNTRIMMED_CONTROL_CHARS) signupCases.push([field, 'at the end', c]);
    }

    it.each(signupCases.map(([field, where, c]) => [field, where, show(c), c]))(
      'signup refuses %s with %s %s: 400 validation_failed, no account',
      async (field, where, _shown, c) => {
        const before = await snapshot();
        const body: Record<string, string> = prefixedUser(prefix);
        const value = body[field];
        body[field] =
          where === 'at the end' ? `${value}${c}` : field === 'email' ? insertBeforeAt(value, c) : insertMiddle(value, c);
        const res = await t.http().post('/auth/signup').send(body);
        expectClientError(res, `${field} ${show(c)}`);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('validation_failed');
        expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
        await expectUnchanged(before, `${field} ${show(c)}`);
      },
    );

    // A "\ud800" escape in JSON yields a string that is not well-formed UTF-16 (a lone surrogate): it cannot be
    // stored as it was sent (UTF-8 turns it into U+FFFD), so two different passwords or names would become one.
    const surrogates = ['\ud800', '\udfff'];
    it.each(['email', 'username', 'name', 'password'].flatMap((field) => surrogates.map((c) => [field, show(c), c])))(
      'signup refuses a lone surrogate in %s (%s): 400 validation_failed, never 5xx, no account',
      async (field, shown, c) => {
        const before = await snapshot();
        const body: Record<string, string> = prefixedUser(prefix);
        body[field] = field === 'email' ? insertBeforeAt(body[field], c) : insertMiddle(body[field], c);
        const res = await t.http().post('/auth/signup').send(body);
        expectClientError(res, `signup ${field} ${shown}`);
        expect(res.status, `signup ${field} ${shown}`).toBe(400);
        expect(res.body.details.map((d: { field: string }) => d.field), `signup ${field} ${shown}`).toEqual([field]);
        await expectUnchanged(before, `signup ${field} ${shown}`);
      },
    );

    it('login with a lone surrogate in either field answers 400 or 401 (never 5xx) and starts no session', async () => {
      const before = await snapshot();
      const { username, email, password } = loginTarget.body;
      for (const c of surrogates) {
        for (const body of [
          { login: insertMiddle(username, c), password },
          { login: insertBeforeAt(email, c), password },
          { login: username, password: `${password}${c}` },
        ]) {
          const res = await t.http().post('/auth/login').send(body);
          expectClientError(res, `login ${JSON.stringify(body)}`);
          expect([400, 401]).toContain(res.status);
        }
      }
      await expectUnchanged(before, 'login with lone surrogates');
    });

    it('login with control characters in either field answers 400 or 401 (never 5xx) and starts no session', async () => {
      const before = await snapshot();
      const { username, password } = loginTarget.body;
      for (const c of CONTROL_CHARS) {
        for (const body of [
          { login: insertMiddle(username, c), password },
          { login: `${username}${c}`, password },
          { login: `${c}${username}`, password },
          { login: username, password: insertMiddle(password, c) },
          { login: username, password: `${password}${c}` },
        ]) {
          const label = `login ${JSON.stringify(body)}`;
          const res = await t.http().post('/auth/login').send(body);
          expectClientError(res, label);
          expect([400, 401], label).toContain(res.status);
        }
      }
      await expectUnchanged(before, 'login with control characters');
      // The account itself still works.
      await t.http().post('/auth/login').send({ login: username, password }).expect(200);
    });
  });

  describe('one account per email and username, whatever the letter case or Unicode form', () => {
    /** Signs `variant` up and expects 409 user_exists (or 400 if validation refuses the form), with still one account. */
    async function expectNoSecondAccount(variant: Record<string, string>, label: string, original: { email: string }) {
      const before = await snapshot();
      const res = await t.http().post('/auth/signup').send(variant);
      expectClientError(res, label);
      expect([400, 409], `${label}: ${JSON.stringify(res.body)}`).toContain(res.status);
      expect(res.body.code, label).toBe(res.status === 409 ? 'user_exists' : 'validation_failed');
      await expectUnchanged(before, label);
      expect(await t.dataSource.getRepository(User).countBy({ email: original.email.toLowerCase() }), label).toBe(1);
    }

    it('refuses an email differing only in case or compatibility form (fullwidth, ligature, Kelvin sign)', async () => {
      const tag = Math.random().toString(36).slice(2, 8);
      const original = prefixedUser(prefix, { email: `${prefix}-fik-${tag}@example.com` });
      await t.http().post('/auth/signup').send(original).expect(201);
      const [local, domain] = original.email.split('@');
      const variants: Array<[string, string]> = [
        ['upper case', original.email.toUpperCase()],
        ['fullwidth local part', `${fullwidth(local)}@${domain}`],
        ['fullwidth domain', `${local}@${fullwidth(domain)}`],
        ['fullwidth everything', fullwidth(original.email)],
        ['fullwidth upper case', `${fullwidth(local.toUpperCase())}@${domain}`],
        ['fi ligature', original.email.replace('fi', '\ufb01')],
        ['Kelvin sign', original.email.replace('k', '\u212a')],
        ['mathematical bold', original.email.replace(prefix, [...prefix].map((c) => (c === 'h' ? '\u{1d421}' : c)).join(''))],
        ['surrounding spaces', `  ${original.email.toUpperCase()}  `],
      ];
      for (const [label, email] of variants) {
        await expectNoSecondAccount(prefixedUser(prefix, { email }), label, original);
      }
    });

    it("refuses the fullwidth 'Ａｄａ' form of an existing username (usernames are ASCII only)", async () => {
      const tag = Math.random().toString(36).slice(2, 8);
      const original = prefixedUser(prefix, { username: `Ada${prefix}${tag}` });
      await t.http().post('/auth/signup').send(original).expect(201);
      for (const username of [fullwidth(original.username), fullwidth(original.username.toLowerCase()), original.username.replace('A', '\uff21')]) {
        const before = await snapshot();
        const res = await t.http().post('/auth/signup').send(prefixedUser(prefix, { username }));
        expectClientError(res, username);
        expect(res.status).toBe(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['username']);
        await expectUnchanged(before, username);
      }
      expect(await t.dataSource.getRepository(User).countBy({ usernameKey: original.username.toLowerCase() })).toBe(1);
    });
  });

  describe('hostile headers', () => {
    it('answers a 20 KB Cookie header with 431 headers_too_large in the error shape, at any route', async () => {
      const before = await snapshot();
      const cookie = `refresh_token=${user.pair.refreshToken}; pad=${'c'.repeat(20 * 1024)}`;
      for (const [method, path] of [['post', '/auth/refresh'], ['post', '/auth/login'], ['get', '/auth/whoami'], ['post', '/auth/logout']] as const) {
        const res = await t.http()[method](path).set('cookie', cookie).send(method === 'post' ? routes.login.valid : undefined);
        expect(res.status, path).toBe(431);
        expect(res.body).toEqual({ statusCode: 431, error: 'Request Header Fields Too Large', code: 'headers_too_large', message: expect.any(String) });
      }
      await expectUnchanged(before, 'oversized cookie');
    });

    it('answers hostile Authorization values with 401 in the error shape', async () => {
      const token = user.pair.accessToken;
      const values = [
        'Bearer',
        'Bearer ',
        'Bearer    ',
        'Basic dXNlcjpwYXNz',
        `Basic ${token}`,
        `Token ${token}`,
        'Bearer a.b.c',
        'Bearer ...',
        `Bearer ${token}x`,
        `Bearer ${token.slice(0, -1)}`,
        `Bearer ${token.slice(0, token.lastIndexOf('.') + 1)}`,
        `Bearer ${token} ${token}`,
        `Bearer ${token},Bearer ${token}`,
        `Bearer ${user.pair.refreshToken}`,
        'Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.e30.',
        `Bearer ${'A'.repeat(15 * 1024)}`,
        'Bearer \u00ff\u00fe\u00fd',
      ];
      for (const value of values) {
        const res = await t.http().get('/auth/whoami').set('authorization', value);
        expectClientError(res, value.slice(0, 60));
        expect(res.status, value.slice(0, 60)).toBe(401);
      }
    });

    it('answers hostile refresh_token cookies with 401 in the error shape, nothing written', async () => {
      const before = await snapshot();
      const token = user.pair.refreshToken;
      const values = [
        'refresh_token=',
        'refresh_token=%E0%A4%A',
        'refresh_token=%',
        'refresh_token="',
        'refresh_token="unterminated',
        `refresh_token=${token.slice(0, -2)}`,
        `refresh_token=${token}%00`,
        '=;=;=',
        ';'.repeat(1000),
        Array.from({ length: 500 }, (_, i) => `c${i}=${i}`).join('; '),
        'refresh_token=a; refresh_token=b',
        `refresh_token=${user.pair.accessToken}`,
      ];
      for (const value of values) {
        for (const path of ['/auth/refresh', '/auth/logout']) {
          const res = await t.http().post(path).set('cookie', value);
          expectClientError(res, `${path} ${value.slice(0, 60)}`);
          expect(res.status, `${path} ${value.slice(0, 60)}`).toBe(401);
        }
      }
      await expectUnchanged(before, 'hostile cookies');
    });

    it('answers two Authorization headers with 4xx or the right user, never 5xx', async () => {
      const valid: [string, string] = ['Authorization', `Bearer ${user.pair.accessToken}`];
      const other: [string, string] = ['Authorization', `Bearer ${victim.pair.accessToken}`];
      const garbage: [string, string] = ['Authorization', 'Bearer garbage'];
      for (const [first, second] of [[valid, garbage], [garbage, valid], [valid, other], [other, valid], [valid, valid]]) {
        const label = `${first[1].slice(0, 20)} + ${second[1].slice(0, 20)}`;
        const result = await rawHttp(port, rawRequest('GET', '/auth/whoami', [first, second, ['Connection', 'close']]));
        expectNoServerError(result, label);
        expect(result.responses, label).toHaveLength(1);
        const [res] = result.responses;
        if (res.status === 200) {
          // Node keeps the first Authorization header: a 200 must be about that token's user, never the other one's.
          const firstUser = first === valid ? user.userId : first === other ? victim.userId : 'nobody (garbage token)';
          expect((res.body as { sub: string }).sub, label).toBe(firstUser);
        } else {
          expectClientError(res, label);
        }
      }
    });

    it('answers two Content-Type headers with 4xx or a correct login, never 5xx', async () => {
      const body = JSON.stringify(routes.login.valid);
      for (const types of [['text/plain', 'application/json'], ['application/json', 'text/plain'], ['application/json', 'application/json']]) {
        const before = await snapshot();
        const headers = types.map((type): [string, string] => ['Content-Type', type]);
        const result = await rawHttp(port, rawRequest('POST', '/auth/login', [...headers, ['Connection', 'close']], body));
        expectNoServerError(result, types.join(' + '));
        expect(result.responses).toHaveLength(1);
        const [res] = result.responses;
        if (res.status === 200) expect((res.body as TokenPair).accessToken).toEqual(expect.any(String));
        else {
          expectClientError(res, types.join(' + '));
          await expectUnchanged(before, types.join(' + '));
        }
      }
    });

    it('answers two Cookie headers with 4xx or a correct refresh, never 5xx', async () => {
      // A session of its own: a correct answer rotates its refresh token.
      const login = await t.http().post('/auth/login').send({ login: user.body.username, password: user.body.password }).expect(200);
      const token = (login.body as TokenPair).refreshToken;
      for (const cookies of [
        [`refresh_token=garbage`, `refresh_token=${token}`],
        [`other=1`, `refresh_token=garbage`],
        [`refresh_token=`, `refresh_token=`],
      ]) {
        const before = await snapshot();
        const headers = cookies.map((cookie): [string, string] => ['Cookie', cookie]);
        const result = await rawHttp(port, rawRequest('POST', '/auth/refresh', [...headers, ['Connection', 'close']]));
        expectNoServerError(result, cookies.join(' + '));
        expect(result.responses).toHaveLength(1);
        const [res] = result.responses;
        if (res.status !== 200) {
          expectClientError(res, cookies.join(' + '));
          await expectUnchanged(before, cookies.join(' + '));
        }
      }
    });

    it('answers two Host headers without a 5xx', async () => {
      const result = await rawHttp(port, rawRequest('GET', '/health', [['Host', 'evil.example'], ['Connection', 'close']]));
      expectNoServerError(result, 'two Host headers');
      expect(result.responses).toHaveLength(1);
      if (result.responses[0].status >= 400) expectClientError(result.responses[0], 'two Host headers');
    });
  });

  describe('Content-Length that lies', () => {
    const signupBody = () => JSON.stringify(prefixedUser(prefix));
    const json: [string, string] = ['Content-Type', 'application/json'];

    const lies: Array<[string, (body: string) => Array<[string, string]>, { halfClose?: boolean }]> = [
      ['shorter than the body', () => [json, ['Content-Length', '10']], {}],
      ['zero, with a body', () => [json, ['Content-Length', '0']], {}],
      ['longer than the body, then EOF', (body) => [json, ['Content-Length', String(Buffer.byteLength(body) + 50)]], { halfClose: true }],
      ['not a number', () => [json, ['Content-Length', 'abc']], {}],
      ['negative', () => [json, ['Content-Length', '-1']], {}],
      ['with an exponent', () => [json, ['Content-Length', '1e2']], {}],
      ['given twice, differently', (body) => [json, ['Content-Length', String(Buffer.byteLength(body))], ['Content-Length', '5']], {}],
      ['alongside Transfer-Encoding: chunked', (body) => [json, ['Content-Length', String(Buffer.byteLength(body))], ['Transfer-Encoding', 'chunked']], {}],
      ['huge', () => [json, ['Content-Length', '99999999999999999999']], {}],
    ];

    it.each(lies.map(([label, headers, options]) => [label, headers, options] as const))(
      'Content-Length %s: 4xx in the error shape, never 5xx, nothing written',
      async (label, headers, options) => {
        const before = await snapshot();
        const body = signupBody();
        const result = await rawHttp(port, rawRequest('POST', '/auth/signup', headers(body), body), options);
        expectNoServerError(result, label);
        expect(result.responses.length, `${label}: ${result.raw}`).toBeGreaterThan(0);
        for (const res of result.responses) expectClientError(res, label);
        await expectUnchanged(before, label);
      },
    );

    it('Content-Length longer than the body, connection left open: no answer yet, nothing written, server fine', async () => {
      const before = await snapshot();
      const body = signupBody();
      const result = await rawHttp(
        port,
        rawRequest('POST', '/auth/signup', [json, ['Content-Length', String(Buffer.byteLength(body) + 50)]], body),
        { waitMs: 1000 },
      );
      expectNoServerError(result, 'waiting for the rest');
      for (const res of result.responses) expectClientError(res, 'waiting for the rest');
      await expectUnchanged(before, 'waiting for the rest');
      await t.http().get('/health').expect(200);
    });
  });

  describe('methods and bodies where they do not belong', () => {
    it('answers a GET with a body (valid or not) like a GET, never 5xx', async () => {
      for (const body of ['{"x": 1}', '{bad json', '[]']) {
        const res = await t.http().get('/auth/whoami').set(bearer(user.pair.accessToken)).set('content-type', 'application/json').send(body);
        if (res.status === 200) expect(res.body.sub).toBe(user.userId);
        else expectClientError(res, `GET whoami with ${body}`);
        const sessions = await t.http().get('/auth/sessions').set(bearer(user.pair.accessToken)).set('content-type', 'application/json').send(body);
        if (sessions.status === 200) expect(sessions.body).toEqual(expect.any(Array));
        else expectClientError(sessions, `GET sessions with ${body}`);
      }
      const raw = await rawHttp(
        port,
        rawRequest('GET', '/auth/whoami', [['Authorization', `Bearer ${user.pair.accessToken}`], ['Content-Type', 'application/json'], ['Connection', 'close']], '{"a":1}'),
      );
      expectNoServerError(raw, 'raw GET with a body');
      expect(raw.responses.map((r) => r.status)).toEqual([200]);
    });

    it('answers a DELETE of a session with a malformed body in the error shape, nothing written', async () => {
      const before = await snapshot();
      const res = await t
        .http()
        .delete('/auth/sessions/00000000-0000-4000-8000-000000000000')
        .set(bearer(user.pair.accessToken))
        .set('content-type', 'application/json')
        .send('{bad');
      expectClientError(res, 'DELETE with a malformed body');
      await expectUnchanged(before, 'DELETE with a malformed body');
    });

    it.each([
      ['put', '/auth/login'],
      ['put', '/auth/signup'],
      ['delete', '/auth/login'],
      ['get', '/auth/logout'],
      ['patch', '/auth/whoami'],
      ['post', '/auth/whoami'],
      ['put', '/users/me/password'],
      ['post', '/users/me'],
      ['put', '/admin/users'],
    ] as const)('answers %s %s (no such route) with 404/405 in the error shape', async (method, path) => {
      const res = await t.http()[method](path).set(bearer(user.pair.accessToken)).send({});
      expectClientError(res, `${method} ${path}`);
      expect([404, 405]).toContain(res.status);
    });

    it.each(['PROPFIND', 'TRACE', 'SEARCH', 'MKCOL', 'BREW', 'GETT'])(
      'answers the method %s on /auth/login with 4xx in the error shape',
      async (method) => {
        const result = await rawHttp(port, rawRequest(method, '/auth/login', [['Connection', 'close']]));
        expectNoServerError(result, method);
        expect(result.responses).toHaveLength(1);
        expectClientError(result.responses[0], method);
        // Methods Node knows reach the router (404/405); others are refused while parsing (400) or not implemented (501).
        expect([400, 404, 405, 501]).toContain(result.responses[0].status);
      },
    );
  });

  describe('hostile query strings on /admin/users', () => {
    const queries = [
      '?page[]=1&limit=abc',
      '?page=1&page=2',
      '?page[a]=1',
      '?page[]=1',
      '?limit=abc',
      '?limit=1e3',
      '?limit=101',
      '?limit=0',
      '?page=-1',
      '?page=0',
      '?page=1.5',
      '?page=',
      '?page=%00',
      '?page=NaN',
      '?page=Infinity',
      '?page=99999999999999999999999',
      '?page=1&limit=10&limit=',
      '?__proto__[x]=1',
      '?__proto__=1',
      '?constructor=1',
      '?constructor[prototype][x]=1',
      '?toString=1',
      '?hasOwnProperty=1',
      `?${'a=1&'.repeat(1000)}`,
      `?page=${'9'.repeat(5000)}`,
      '?page=%E0%A4%A',
    ];

    it.each(queries.map((q) => [q.slice(0, 50), q]))('admin: %s gets 400 validation_failed', async (_label, query) => {
      const before = await snapshot();
      const res = await t.http().get(`/admin/users${query}`).set(bearer(adminToken));
      expectClientError(res, query.slice(0, 50));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      await expectUnchanged(before, query.slice(0, 50));
    });

    it('answers the same queries with 403 for a non-admin and 401 without a token', async () => {
      for (const query of queries) {
        const asUser = await t.http().get(`/admin/users${query}`).set(bearer(user.pair.accessToken));
        expectClientError(asUser, query.slice(0, 50));
        expect(asUser.status).toBe(403);
        const anonymous = await t.http().get(`/admin/users${query}`);
        expectClientError(anonymous, query.slice(0, 50));
        expect(anonymous.status).toBe(401);
      }
    });
  });

  it('still works normally afterwards: the caller is signed in, the health check answers', async () => {
    await t.http().get('/health').expect(200);
    const me = await t.http().get('/users/me').set(bearer(user.pair.accessToken)).expect(200);
    expect(me.body.id).toBe(user.userId);
    const refreshed = await t.http().post('/auth/refresh').send({ refreshToken: user.pair.refreshToken });
    expect(refreshed.status).toBe(200);
  });
});
