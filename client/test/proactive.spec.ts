import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthClient, memoryStorage } from '../src/index.js';
import { newUser, startService, type RunningService } from './service.js';

// Its own file, so its own process: passport keeps strategies in a process-wide registry, and a second app with
// other secrets in the same process would replace the first one's.
describe('proactive reissue against the real service', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService({ env: { ACCESS_TOKEN_TTL_SECONDS: '2' } });
  });
  afterAll(() => service.close());

  it('reissues shortly before expiry with no call pending, timed from expiresIn (not the local clock against exp)', async () => {
    const client = createAuthClient({ baseUrl: service.baseUrl, mode: 'token', storage: memoryStorage(), refreshAheadSeconds: 30 });
    const reissues: string[] = [];
    client.onReissue((event) => reissues.push(event.source));
    const user = newUser();
    await client.signup(user);
    await client.login({ login: user.username, password: user.password });
    service.resetHits();
    // Lead = min(30 s, a quarter of the 2 s lifetime): the timer fires about 1.5 s after login.
    await vi.waitFor(() => expect(reissues).toEqual(['server']), { timeout: 4000, interval: 50 });
    expect(service.hits('POST', '/auth/refresh')).toBe(1);
    expect((await client.fetch('/users/me')).status).toBe(200);
    expect(service.hits('GET', '/users/me')).toBe(1);
    client.close();
  });
});
