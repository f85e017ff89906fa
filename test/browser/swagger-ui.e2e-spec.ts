/// <reference lib="dom" />
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, startService, type RunningService } from '../../client/test/service.js';
import { browserMissing, launchChromium, watchProblems } from './browser.js';

/** Swagger UI driven the way a person uses it: expand, "Try it out", type, "Execute", read the answer. */
describe.skipIf(browserMissing)('Swagger UI in Chromium', () => {
  let browser: Browser;
  let service: RunningService;

  beforeAll(async () => {
    service = await startService();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function open(page: Page, tag: string, operationId: string): Promise<Locator> {
    const operation = page.locator(`#operations-${tag}-${operationId}`);
    if (!(await operation.locator('.opblock-body').isVisible())) await operation.locator('.opblock-summary').first().click();
    const tryOut = operation.locator('button.try-out__btn');
    if ((await tryOut.textContent())?.includes('Try it out')) await tryOut.click();
    return operation;
  }

  async function typeBody(operation: Locator, body: string): Promise<void> {
    const textarea = operation.locator('textarea.body-param__text');
    await textarea.fill(body);
  }

  /** Clicks Execute and answers the live response's status and body text. */
  async function execute(operation: Locator): Promise<{ status: number; body: string }> {
    const live = operation.locator('.live-responses-table .response .response-col_status');
    await operation.locator('button.execute').click();
    await live.first().waitFor();
    const status = Number((await live.first().textContent())?.trim());
    const pre = operation.locator('.live-responses-table .response .highlight-code pre');
    const body = (await pre.count()) > 0 ? ((await pre.first().textContent()) ?? '') : '';
    await operation.locator('button.btn-clear').click();
    await live.first().waitFor({ state: 'detached' });
    return { status, body };
  }

  it('signup, login, Authorize, whoami, users/me, reissue by cookie and by body, logout: no console errors, no CSP violations', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(`${service.baseUrl}/docs`);
    await page.locator('#operations-auth-signup').waitFor();
    // auth comes first
    expect(await page.locator('.opblock-tag').first().getAttribute('data-tag')).toBe('auth');

    const user = newUser();
    const signup = await open(page, 'auth', 'signup');
    await typeBody(signup, JSON.stringify(user));
    expect((await execute(signup)).status).toBe(201);

    const login = await open(page, 'auth', 'login');
    await typeBody(login, JSON.stringify({ login: user.username, password: user.password }));
    const loggedIn = await execute(login);
    expect(loggedIn.status).toBe(200);
    const pair = JSON.parse(loggedIn.body) as { accessToken: string; refreshToken: string };

    await page.locator('.auth-wrapper button.authorize').click();
    const scheme = page.locator('.modal-ux .auth-container').filter({ hasText: 'accessToken' });
    await scheme.locator('input').fill(pair.accessToken);
    await scheme.locator('button.authorize').click();
    await scheme.locator('button.btn-done').click();
    await page.locator('.modal-ux').waitFor({ state: 'detached' });

    const whoami = await open(page, 'auth', 'whoami');
    const claims = await execute(whoami);
    expect(claims.status).toBe(200);
    expect(claims.body).toContain(user.username);

    const me = await open(page, 'users', 'getMe');
    const profile = await execute(me);
    expect(profile.status).toBe(200);
    expect(profile.body).toContain(user.email);

    // Cookie flow: the prefilled example is `{}`, and an emptied body is absent too; the HttpOnly cookie decides.
    const refresh = await open(page, 'auth', 'refresh');
    expect(JSON.parse(await refresh.locator('textarea.body-param__text').inputValue())).toEqual({});
    const byCookie = await execute(refresh);
    expect(byCookie.status).toBe(200);
    await typeBody(refresh, '');
    const byEmptyBody = await execute(refresh);
    expect(byEmptyBody.status, byEmptyBody.body).toBe(200);
    // Body flow: the refresh token from the last answer, pasted into the body.
    const latest = JSON.parse(byEmptyBody.body) as { refreshToken: string };
    await typeBody(refresh, JSON.stringify({ refreshToken: latest.refreshToken }));
    const byBody = await execute(refresh);
    expect(byBody.status, byBody.body).toBe(200);

    const logout = await open(page, 'auth', 'logout');
    await typeBody(logout, '');
    expect((await execute(logout)).status).toBe(204);

    // The session is over: the cookie is gone and the access token is refused.
    const after = await execute(me);
    expect(after.status).toBe(401);
    expect(after.body).toContain('token_revoked');

    expect(await page.evaluate(() => document.cookie)).not.toContain('refresh_token');
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    // Chromium reports each 4xx fetch as "Failed to load resource"; the 401 above is the one we asked for.
    expect(problems.console.filter((text) => !text.includes('status of 401'))).toEqual([]);
    expect(problems.csp).toEqual([]);
    await context.close();
  });

  it('loads under a host name other than localhost over plain http (no upgrade-insecure-requests)', async () => {
    // A real-looking host name mapped to the loopback address: Chromium never upgrades localhost or *.localhost.
    const named = await launchChromium(['--host-resolver-rules=MAP auth.example.test 127.0.0.1']);
    const context = await named.newContext();
    const page = await context.newPage();
    const problems = await watchProblems(page);
    const port = new URL(service.baseUrl).port;
    await page.goto(`http://auth.example.test:${port}/docs`);
    await page.locator('#operations-auth-signup').waitFor({ timeout: 10_000 });
    expect(await page.locator('.swagger-ui .info .title').textContent()).toContain('Token authentication service');
    expect(problems.csp).toEqual([]);
    expect(problems.console).toEqual([]);
    await named.close();
  });
});
