import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCookies, type TokenPair } from './support/flows.js';
import { createTestApp, newUser, type TestApp } from './support/test-app.js';

/**
 * Everything the app logs at the most verbose level, across a full session's life and a few failures,
 * must never contain a password, a token (or its signature), a cookie or an Authorization header value.
 */

interface LogEntry {
  level: number;
  reqId?: string;
  req?: { method?: string; path?: string; url?: string };
  res?: { statusCode?: number };
  msg?: string;
}

describe('logs never carry secrets', () => {
  const chunks: string[] = [];
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'trace' },
      logDestination: { write: (chunk: string) => void chunks.push(String(chunk)) },
    });
  });
  afterAll(() => t?.close());

  /** Every secret sent or received, with a label for the failure message. */
  const secrets: Array<[label: string, value: string]> = [];
  const remember = (label: string, value: string) => secrets.push([label, value]);
  const rememberPair = (label: string, pair: TokenPair) => {
    remember(`${label} access token`, pair.accessToken);
    remember(`${label} refresh token`, pair.refreshToken);
    remember(`${label} access token signature`, pair.accessToken.split('.')[2]);
    remember(`${label} refresh token signature`, pair.refreshToken.split('.')[2]);
  };
  const auth = (label: string, token: string) => {
    const value = `Bearer ${token}`;
    remember(`${label} authorization header`, value);
    return { authorization: value };
  };
  const cookie = (label: string, token: string) => {
    const value = `refresh_token=${token}`;
    remember(`${label} cookie header`, value);
    return { cookie: value };
  };

  it('logs the requests (with their request id) of a full session and its failures, and none of the secrets', async () => {
    const body = newUser();
    remember('signup password', body.password);
    await t.http().post('/auth/signup').set('x-request-id', 'logs-signup').send(body).expect(201);

    const login = await t.http().post('/auth/login').set('x-request-id', 'logs-login').send({ login: body.username, password: body.password }).expect(200);
    const first = login.body as TokenPair;
    rememberPair('login', first);
    for (const setCookie of setCookies(login.headers)) remember('login set-cookie', setCookie.split(';')[0]);

    await t.http().get('/auth/whoami').set(auth('whoami', first.accessToken)).expect(200);
    await t.http().get('/users/me').set(auth('users/me', first.accessToken)).expect(200);
    await t.http().get('/auth/sessions').set(auth('sessions', first.accessToken)).expect(200);

    const byBody = await t.http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
    const second = byBody.body as TokenPair;
    rememberPair('refresh (body)', second);

    const byCookie = await t.http().post('/auth/refresh').set(cookie('refresh', second.refreshToken)).expect(200);
    const third = byCookie.body as TokenPair;
    rememberPair('refresh (cookie)', third);

    const newPassword = `new-${randomUUID()}`;
    remember('new password', newPassword);
    await t
      .http()
      .patch('/users/me/password')
      .set(auth('password change', third.accessToken))
      .send({ currentPassword: body.password, newPassword })
      .expect(204);

    // Failures: wrong password, unknown user, wrong current password, a reused refresh token, malformed JSON holding a password.
    const wrong = `wrong-${randomUUID()}`;
    remember('wrong password', wrong);
    await t.http().post('/auth/login').send({ login: body.username, password: wrong }).expect(401);
    await t.http().post('/auth/login').send({ login: body.email, password: wrong }).expect(401);
    const unknownPassword = `unknown-${randomUUID()}`;
    remember('unknown user password', unknownPassword);
    await t.http().post('/auth/login').send({ login: `nobody-${randomUUID()}`, password: unknownPassword }).expect(401);
    const wrongCurrent = `wrong-current-${randomUUID()}`;
    remember('wrong current password', wrongCurrent);
    await t
      .http()
      .patch('/users/me/password')
      .set(auth('password change (wrong)', third.accessToken))
      .send({ currentPassword: wrongCurrent, newPassword: `x-${randomUUID()}` })
      .expect(401);
    const inMalformed = `malformed-${randomUUID()}`;
    remember('password in malformed JSON', inMalformed);
    await t.http().post('/auth/login').set('content-type', 'application/json').send(`{"login":"${body.username}","password":"${inMalformed}"x}`).expect(400);
    const inInvalid = `invalid-${randomUUID()}`;
    remember('password in an invalid body', inInvalid);
    await t.http().post('/auth/signup').send({ ...newUser(), password: inInvalid, roles: ['admin'] }).expect(400);

    // A body that takes the unexpected-error path (logged with its stack) must not bring its password along.
    const inCrash = `crash-${randomUUID()}`;
    remember('password in a body that fails unexpectedly', inCrash);
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const crash = await t.http().post('/auth/login').set('content-type', 'application/json').send(`{"login":${deep},"password":"${inCrash}"}`);
    expect(crash.status).toBeGreaterThanOrEqual(400);

    // Invalid tokens: garbage, a forged signature, an access token where a refresh token goes.
    const garbage = `garbage-${randomUUID()}`;
    await t.http().get('/auth/whoami').set(auth('garbage token', garbage)).expect(401);
    remember('garbage token', garbage);
    const [header, payload, signature] = third.accessToken.split('.');
    const forged = `${header}.${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    remember('forged token', forged);
    await t.http().get('/auth/whoami').set(auth('forged token', forged)).expect(401);
    await t.http().post('/auth/refresh').set(auth('access as refresh', third.accessToken)).expect(401);
    await t.http().post('/auth/refresh').set(cookie('garbage cookie', garbage)).expect(401);

    // Tokens in query strings (where they never belong, but clients do it).
    const inQuery = `query-${randomUUID()}`;
    remember('query token', inQuery);
    await t.http().get(`/health?token=${inQuery}`).set('x-request-id', 'logs-query').expect(200);
    await t.http().get(`/auth/whoami?access_token=${third.accessToken}&token=${inQuery}`).set(auth('whoami with query', third.accessToken)).expect(200);
    await t.http().post(`/auth/refresh?refresh_token=${third.refreshToken}`).expect(401);
    await t.http().get(`/no/such/route?token=${inQuery}&password=${body.password}`).expect(404);

    // And the end of the session.
    await t.http().post('/auth/logout').set('x-request-id', 'logs-logout').set(cookie('logout', third.refreshToken)).expect(204);

    // Give the logger a moment: pino writes synchronously to a plain object, but be safe with late lines.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = chunks.join('');

    // There are logs, with request lines carrying the request id: the test can fail for the right reason.
    expect(text.length).toBeGreaterThan(0);
    const entries = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogEntry);
    const requestLines = entries.filter((entry) => entry.reqId && entry.req);
    expect(requestLines.length).toBeGreaterThan(20);
    for (const [id, method, path] of [
      ['logs-signup', 'POST', '/auth/signup'],
      ['logs-login', 'POST', '/auth/login'],
      ['logs-query', 'GET', '/health'],
      ['logs-logout', 'POST', '/auth/logout'],
    ]) {
      expect(requestLines.some((e) => e.reqId === id && e.req?.method === method && e.req?.path === path), `a request line for ${id}`).toBe(true);
      expect(entries.some((e) => e.reqId === id && e.res?.statusCode !== undefined), `a response line for ${id}`).toBe(true);
    }

    // None of the secrets, in any line.
    expect(secrets.length).toBeGreaterThan(20);
    const leaked = secrets.filter(([, value]) => text.includes(value)).map(([label]) => label);
    expect(leaked, 'secrets found in the logs').toEqual([]);
    // Nor anything that looks like a JWT or a bearer credential.
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    expect(text).not.toMatch(/Bearer [\w.-]{8,}/i);
    expect(text).not.toMatch(/refresh_token=[\w.-]{8,}/);
  });
});
