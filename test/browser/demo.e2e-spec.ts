/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoServer } from '../../examples/web/serve.mjs';
import { newUser, startService, type RunningService } from '../../client/test/service.js';
import { browserMissing, buildClient, launchChromium } from './browser.js';

const ACCESS_TTL_SECONDS = 3;

describe.skipIf(browserMissing)('web demo in Chromium (cookie mode, another origin)', () => {
  let browser: Browser;
  let service: RunningService;
  let demo: Awaited<ReturnType<typeof startDemoServer>>;
  let context: BrowserContext;

  beforeAll(async () => {
    buildClient();
    demo = await startDemoServer();
    service = await startService({ env: { ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_SECONDS), CORS_ORIGINS: demo.url } });
    demo.setApiUrl(service.baseUrl);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await demo?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
  });
  afterEach(() => context.close());

  /** Opens the demo with proactive reissue off, so only `401 token_expired` can trigger one. */
  async function openDemo(): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${demo.url}/?proactive=0`);
    await page.locator('#state:not(:has-text("restoring"))').waitFor();
    return page;
  }

  async function signUpAndLogIn(page: Page) {
    const user = newUser();
    const signup = page.locator('#signup-form');
    for (const field of ['email', 'username', 'name', 'password'] as const) await signup.locator(`[name=${field}]`).fill(user[field]);
    await page.click('#signup');
    await expect.poll(() => page.textContent('#signup-result')).toContain(user.username);
    await page.fill('#login-form [name=login]', user.username);
    await page.fill('#login-form [name=password]', user.password);
    await page.click('#login');
    await page.locator('#state[data-state=signed-in]').waitFor();
    return user;
  }

  /** Clicks "GET /users/me" and waits for that click's answer. */
  async function callMe(page: Page): Promise<void> {
    const before = Number(await page.textContent('#calls'));
    await page.click('#me');
    await page.waitForFunction((n) => Number(document.getElementById('calls')!.textContent) > n, before);
  }

  const pastAccessTtl = () => new Promise((resolve) => setTimeout(resolve, ACCESS_TTL_SECONDS * 1000 + 600));

  it('login → protected call → past the access TTL the next call succeeds through exactly one reissue; no token in reach of scripts', async () => {
    const page = await openDemo();
    const user = await signUpAndLogIn(page);
    await callMe(page);
    expect(await page.textContent('#me-result')).toContain(user.username);
    expect(await page.textContent('#reissues')).toBe('0');

    await pastAccessTtl();
    service.resetHits();
    await page.fill('#me-result', '').catch(() => undefined);
    await callMe(page);
    expect(await page.textContent('#error')).toBe('');
    expect(await page.textContent('#me-result')).toContain(user.username);
    expect(await page.textContent('#reissues')).toBe('1');
    expect(service.hits('POST', '/auth/refresh')).toBe(1);
    expect(service.hits('GET', '/users/me')).toBe(2); // the 401 token_expired, then the retry

    const exposed = await page.evaluate(() => ({
      cookie: document.cookie,
      local: Object.entries(localStorage),
      session: Object.entries(sessionStorage),
    }));
    expect(exposed.cookie).not.toContain('refresh_token');
    for (const [key, value] of [...exposed.local, ...exposed.session]) {
      expect(key).not.toMatch(/token|jwt|auth/i);
      expect(value).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    }
    // The cookie exists all the same: HttpOnly, on the service's origin, where the reissue used it.
    const cookies = await context.cookies(service.baseUrl + '/auth/refresh');
    expect(cookies.find((cookie) => cookie.name === 'refresh_token')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('two tabs whose access tokens expire together both call at once: both succeed with one /auth/refresh, the session survives', async () => {
    const first = await openDemo();
    await signUpAndLogIn(first);
    service.resetHits();
    // The second tab picks the access token up from the first over BroadcastChannel: same token, same expiry.
    const second = await openDemo();
    await second.locator('#state[data-state=signed-in]').waitFor();
    expect(service.hits('POST', '/auth/refresh')).toBe(0);

    await pastAccessTtl();
    service.resetHits();
    await Promise.all([callMe(first), callMe(second)]);
    for (const tab of [first, second]) {
      expect(await tab.textContent('#error')).toBe('');
      expect(await tab.textContent('#session-end')).toBe('');
      expect(await tab.textContent('#me-result')).toContain('"username"');
      expect(await tab.textContent('#reissues')).toBe('1');
    }
    expect(service.hits('POST', '/auth/refresh')).toBe(1);
    const sources = await Promise.all([first, second].map((tab) => tab.getAttribute('#reissues', 'data-last-source')));
    expect(sources.sort()).toEqual(['peer', 'server']);

    // No refresh_token_reused: the session is still there and still the only one.
    await second.click('#list-sessions');
    await second.locator('#sessions li').first().waitFor();
    expect(await second.locator('#sessions li').count()).toBe(1);
    expect(await second.textContent('#sessions li')).toContain('(this one)');
    await callMe(first);
    expect(await first.textContent('#error')).toBe('');
  });

  it('logout in one tab: the other tab’s next call ends in onSessionEnd with the server’s code', async () => {
    const first = await openDemo();
    await signUpAndLogIn(first);
    const second = await openDemo();
    await second.locator('#state[data-state=signed-in]').waitFor();

    await first.click('#logout');
    await first.locator('#state[data-state=signed-out]').waitFor();
    expect(await second.getAttribute('#state', 'data-state')).toBe('signed-in');

    await callMe(second);
    await second.locator('#state[data-state=signed-out]').waitFor();
    expect(await second.getAttribute('#session-end', 'data-reason')).toBe('token_revoked');
  });
});
