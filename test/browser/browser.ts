/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests need Debian's chromium (Playwright's own download is not reachable here). Without it they skip,
 * loudly, on a developer machine; under CI=true they run anyway, so a missing browser fails the build.
 */
export const browserMissing = !existsSync(CHROMIUM) && !process.env.CI;
if (browserMissing) {
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium, or set CHROMIUM_PATH); CI=true runs them anyway`);
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Compiles client/ to client/dist, which the demo page imports. */
export function buildClient(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'client/tsconfig.build.json'], { stdio: 'inherit' });
}

export interface PageProblems {
  console: string[];
  csp: string[];
}

/** Console errors, uncaught exceptions and CSP violations of a page, collected from its first script on. */
export async function watchProblems(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { console: [], csp: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.console.push(message.text());
  });
  page.on('pageerror', (error) => problems.console.push(`uncaught: ${error.message}`));
  await page.exposeFunction('__reportCsp', (text: string) => problems.csp.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      void (window as unknown as { __reportCsp: (text: string) => Promise<void> }).__reportCsp(
        `${event.violatedDirective} blocked ${event.blockedURI}`,
      );
    });
  });
  return problems;
}
