import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthApiError, AuthUnavailableError, createAuthClient, memoryStorage, type AuthClient } from '../src/index.js';
import { newUser, startService, type RunningService } from './service.js';

/**
 * The suite's access-token lifetime. With `exp` in whole seconds a token issued late in a second lives up to a second
 * less than this, so it stays long enough for the reissued token to outlive the retries under CI load (with 1 s, a
 * reissue near the end of a second handed out a token that had expired before the nine retries reached the server).
 */
const ACCESS_TTL_SECONDS = 3;
/** Waits until an access token issued now has surely expired. */
const pastTtl = () => new Promise((resolve) => setTimeout(resolve, ACCESS_TTL_SECONDS * 1000 + 100));

export async function loggedIn(service: RunningService, options: Partial<Parameters<typeof createAuthClient>[0]> = {}) {
  const storage = memoryStorage();
  const client = createAuthClient({ baseUrl: service.baseUrl, mode: 'token', storage, refreshAheadSeconds: 0, ...options });
  const user = newUser();
  await client.signup(user);
  await client.login({ login: user.username, password: user.password });
  const ends: string[] = [];
  const reissues: string[] = [];
  client.onSessionEnd((reason) => ends.push(reason));
  client.onReissue((event) => reissues.push(event.source));
  return { client, storage, user, ends, reissues };
}

describe('auth client (token mode) against the real service', () => {
  let service: RunningService;
  const clients: AuthClient[] = [];
  beforeAll(async () => {
    service = await startService({ env: { ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_SECONDS), REFRESH_REUSE_GRACE_SECONDS: '0' } });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await service.close();
  });

  it('signs up, logs in and calls me, whoami and sessions with the bearer token; the refresh token sits in storage', async () => {
    const { client, storage, user } = await loggedIn(service);
    clients.push(client);
    expect(client.authenticated).toBe(true);
    expect(await storage.get()).toMatch(/^ey/);
    expect(await client.me()).toMatchObject({ username: user.username, email: user.email });
    expect(await client.whoami()).toMatchObject({ username: user.username });
    const sessions = await client.sessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0].current).toBe(true);
    const signupAgain = await client.signup(user).catch((error: unknown) => error);
    expect(signupAgain).toBeInstanceOf(AuthApiError);
    expect(signupAgain).toMatchObject({ status: 409, code: 'user_exists' });
  });

  it('ten concurrent calls that meet an expired token cause exactly one /auth/refresh and all succeed', async () => {
    const { client, storage, ends, reissues } = await loggedIn(service);
    clients.push(client);
    const before = await storage.get();
    await pastTtl();
    service.resetHits();
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.fetch('/users/me')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(service.hits('POST', '/auth/refresh')).toBe(1);
    // Each call went out once with the expired token and once more after the reissue.
    expect(service.hits('GET', '/users/me')).toBe(20);
    expect(reissues).toEqual(['server']);
    expect(ends).toEqual([]);
    expect(await storage.get()).not.toBe(before);
  });

  it('a refresh token someone else already used ends the session with refresh_token_reused, once, without loops', async () => {
    const { client, storage, ends } = await loggedIn(service);
    clients.push(client);
    // A thief rotates the stolen refresh token first.
    const stolen = (await storage.get())!;
    const thief = await fetch(`${service.baseUrl}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: stolen }),
    });
    expect(thief.status).toBe(200);
    await pastTtl();
    service.resetHits();
    const answers = await Promise.all([client.fetch('/users/me'), client.fetch('/auth/sessions')]);
    expect(answers.map((answer) => answer.status)).toEqual([401, 401]);
    expect(service.hits('POST', '/auth/refresh')).toBe(1);
    expect(ends).toEqual(['refresh_token_reused']);
    expect(await storage.get()).toBeFalsy();
    // Later calls go out without a token and do not try again.
    expect((await client.fetch('/users/me')).status).toBe(401);
    expect(service.hits('POST', '/auth/refresh')).toBe(1);
  });

  it('network errors during a reissue are retried with backoff and never end the session', async () => {
    let failuresLeft = 2;
    const flaky: typeof fetch = (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      if (target.endsWith('/auth/refresh') && failuresLeft > 0) {
        failuresLeft -= 1;
        return Promise.reject(new TypeError('fetch failed'));
      }
      return fetch(input, init);
    };
    const { client, ends, reissues } = await loggedIn(service, { fetch: flaky, retry: { attempts: 4, baseDelayMs: 20 } });
    clients.push(client);
    await pastTtl();
    service.resetHits();
    expect((await client.fetch('/users/me')).status).toBe(200);
    expect(failuresLeft).toBe(0);
    expect(service.hits('POST', '/auth/refresh')).toBe(1);
    expect(ends).toEqual([]);
    expect(reissues).toEqual(['server']);
  });

  it('when the service stays unreachable the reissue gives up after the bounded attempts and keeps the session', async () => {
    let offline = false;
    let refreshAttempts = 0;
    const cable: typeof fetch = (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      if (target.endsWith('/auth/refresh')) refreshAttempts += 1;
      return offline && target.endsWith('/auth/refresh') ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    };
    const { client, ends } = await loggedIn(service, { fetch: cable, retry: { attempts: 3, baseDelayMs: 10 } });
    clients.push(client);
    await pastTtl();
    offline = true;
    const failure = await client.fetch('/users/me').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthUnavailableError);
    expect(refreshAttempts).toBe(3);
    expect(ends).toEqual([]);
    offline = false;
    expect((await client.fetch('/users/me')).status).toBe(200);
    expect(ends).toEqual([]);
  });

  it('logout ends the session on the server and clears the storage; logoutAll ends every session', async () => {
    const { client, storage, user } = await loggedIn(service);
    clients.push(client);
    const refreshToken = (await storage.get())!;
    await client.logout();
    expect(await storage.get()).toBeFalsy();
    const replay = await fetch(`${service.baseUrl}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    expect(replay.status).toBe(401);
    await client.login({ login: user.username, password: user.password });
    const second = createAuthClient({ baseUrl: service.baseUrl, mode: 'token' });
    clients.push(second);
    await second.login({ login: user.username, password: user.password });
    expect(await client.sessions()).toHaveLength(2);
    await client.logoutAll('others');
    expect(await client.sessions()).toHaveLength(1);
    await client.logoutAll();
    expect(client.authenticated).toBe(false);
  });
});

// Its own service: with the 1 s access tokens above, a slow machine could let the token expire before the call and
// turn the answer into token_expired, which is the other branch of the client.
describe('auth client (token mode) with access tokens that outlive the test', () => {
  let service: RunningService;
  const clients: AuthClient[] = [];
  beforeAll(async () => {
    service = await startService({ env: { ACCESS_TOKEN_TTL_SECONDS: '600' } });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await service.close();
  });

  it('a 401 other than token_expired ends the session at once: no reissue, onSessionEnd with the server code', async () => {
    const { client, ends } = await loggedIn(service);
    clients.push(client);
    // Another device of the same user ends every session, this one included.
    const other = createAuthClient({ baseUrl: service.baseUrl, mode: 'token' });
    clients.push(other);
    const sessions = await client.sessions();
    await client.endSession(sessions[0].id);
    service.resetHits();
    const answer = await client.fetch('/users/me');
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { code: string }).code).toBe('token_revoked');
    expect(service.hits('POST', '/auth/refresh')).toBe(0);
    expect(ends).toEqual(['token_revoked']);
    expect(client.authenticated).toBe(false);
  });
});
