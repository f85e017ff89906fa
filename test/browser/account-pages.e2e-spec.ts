import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createMailingApp, type MailingApp, SUBJECTS } from '../support/account-mail.js';
import { freePort } from '../support/service-process.js';
import { extractLink } from '../support/smtp.js';
import { newUser } from '../support/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const required = Boolean(process.env.CI);
const available = existsSync(CHROMIUM);
if (!available && !required) console.warn(`account pages in Chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install chromium; with CI set, this test fails instead)`);

/** What a page did that it should not: console errors, uncaught exceptions, CSP violations. */
interface PageTrouble {
  console: string[];
  errors: string[];
  csp: string[];
}

/**
 * The pages account mails link to, in Debian's headless Chromium driven by playwright-core, against the app
 * listening on a real port: the links in the received mails point at it (PUBLIC_BASE_URL).
 */
describe.skipIf(!available && !required)('account pages in Chromium', () => {
  let m: MailingApp;
  let context: BrowserContext;
  let profile: string;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    m = await createMailingApp({ PUBLIC_BASE_URL: origin });
    await m.t.app.listen(port, '127.0.0.1');
    profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // Every document reports its CSP violations where the test can read them.
    // (Strings, not functions: this project compiles without the DOM library.)
    await context.addInitScript({
      content: `window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
    });
  });
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await m?.close();
  });

  /** Opens a link from a mail; checks the answer's headers and that the token left the address bar. */
  const open = async (url: string, token: string): Promise<{ page: Page; trouble: PageTrouble }> => {
    const page = await context.newPage();
    const trouble: PageTrouble = { console: [], errors: [], csp: [] };
    page.on('console', (message) => {
      if (message.type() === 'error') trouble.console.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => trouble.errors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) trouble.console.push(`${response.status()} ${response.url()}`);
    });
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['referrer-policy']).toBe('no-referrer');
    expect(response?.headers()['content-security-policy']).toBeTruthy();
    const href = await page.evaluate<string>('location.href');
    expect(href).not.toContain(token);
    expect(href).not.toContain('#');
    expect(href).toBe(url.split('#')[0]);
    return { page, trouble };
  };
  const cleanly = async (page: Page, trouble: PageTrouble) => {
    trouble.csp = await page.evaluate<string[]>('window.cspViolations');
    expect(trouble).toEqual({ console: [], errors: [], csp: [] });
  };

  it('reset: open the mailed link, set a new password, see it confirmed; only the new password logs in', async () => {
    const user = newUser();
    await m.t.http().post('/auth/signup').send(user).expect(201);
    await m.t.http().post('/auth/password/forgot').send({ email: user.email }).expect(202);
    const { url, token } = extractLink(await m.latest(user.email, SUBJECTS.reset));
    expect(url).toBe(`${origin}/account/reset-password#token=${token}`);

    const { page, trouble } = await open(url, token);
    const newPassword = `browser-${randomUUID()}`;
    await page.fill('#new-password', newPassword);
    await page.fill('#repeat-password', newPassword);
    await page.click('button[type="submit"]');
    const status = page.locator('[role="status"][data-outcome="done"]');
    await status.waitFor({ timeout: 10_000 });
    expect(await status.textContent()).toContain('Your password is changed');
    expect(await page.locator('form').isHidden()).toBe(true);
    await cleanly(page, trouble);
    await page.close();

    await m.t.http().post('/auth/login').send({ login: user.username, password: newPassword }).expect(200);
    const old = await m.t.http().post('/auth/login').send({ login: user.username, password: user.password });
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('invalid_credentials');

    // The same link a second time: the page says it is used up.
    const again = await open(url, token);
    await again.page.fill('#new-password', `again-${randomUUID()}`);
    await again.page.fill('#repeat-password', await again.page.inputValue('#new-password'));
    await again.page.click('button[type="submit"]');
    const refused = again.page.locator('[role="status"][data-outcome="error"]');
    await refused.waitFor({ timeout: 10_000 });
    expect(await refused.textContent()).toContain('invalid, used or expired');
    expect(again.trouble.errors).toEqual([]);
    await again.page.close();
  });

  it('verify email: open the mailed link, press the button, and the account is verified', async () => {
    const user = newUser();
    await m.t.http().post('/auth/signup').send(user).expect(201);
    const { url, token } = extractLink(await m.latest(user.email, SUBJECTS.verify));
    expect(new URL(url).pathname).toBe('/account/verify-email');

    const { page, trouble } = await open(url, token);
    await page.click('button[type="submit"]');
    const status = page.locator('[role="status"][data-outcome="done"]');
    await status.waitFor({ timeout: 10_000 });
    expect(await status.textContent()).toContain('Your email address is verified');
    await cleanly(page, trouble);
    await page.close();

    const login = await m.t.http().post('/auth/login').send({ login: user.username, password: user.password }).expect(200);
    const me = await m.t.http().get('/users/me').set(bearer(login.body.accessToken as string)).expect(200);
    expect(me.body.emailVerified).toBe(true);
  });

  it('confirm email change: open the link mailed to the new address, press the button, and the address changes', async () => {
    const user = newUser();
    await m.t.http().post('/auth/signup').send(user).expect(201);
    const login = await m.t.http().post('/auth/login').send({ login: user.username, password: user.password }).expect(200);
    const next = `browser-${randomUUID().slice(0, 8)}@example.com`;
    await m.t.http().post('/users/me/email').set(bearer(login.body.accessToken as string)).send({ newEmail: next, password: user.password }).expect(202);
    const { url, token } = extractLink(await m.latest(next, SUBJECTS.emailChange));

    const { page, trouble } = await open(url, token);
    await page.click('button[type="submit"]');
    await page.locator('[role="status"][data-outcome="done"]').waitFor({ timeout: 10_000 });
    await cleanly(page, trouble);
    await page.close();
    const me = await m.t.http().get('/users/me').set(bearer(login.body.accessToken as string)).expect(200);
    expect(me.body).toMatchObject({ email: next, emailVerified: true });
  });
});
