/**
 * Does the login answer take the same time whether the account exists or not?
 * Starts the built service, then alternates logins with an unknown username and with a known username
 * and a wrong password, and prints the median time of each and their ratio (target 0.9–1.1).
 *
 *   npm run bench:login            # BENCH_LOGINS (default 200) of each kind
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const rounds = Number(process.env.BENCH_LOGINS ?? 200);
const port = Number(process.env.BENCH_PORT ?? 3998);
const base = `http://127.0.0.1:${port}`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-bench-login-'));
  const server = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ACCESS_TOKEN_SECRET: randomBytes(48).toString('base64url'),
      REFRESH_TOKEN_SECRET: randomBytes(48).toString('base64url'),
      // Measure the credential check itself, not the throttles in front of it.
      RATE_LIMIT_LOGIN: '1000000',
      LOGIN_PAIR_DELAY_AFTER: '1000',
      LOGIN_PAIR_BLOCK_AFTER: '1000',
      LOGIN_ACCOUNT_DELAY_AFTER: '1000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitForHealth();
    const username = `timing_${randomUUID().slice(0, 8)}`;
    await post('/auth/signup', { email: `${username}@example.com`, username, name: 'Timing', password: `pw-${randomUUID()}` });
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 10; i++) await time({ login: `nobody_${i}`, password: 'not-the-password' }); // warm-up
    for (let i = 0; i < rounds; i++) {
      unknown.push(await time({ login: `nobody_${randomUUID().slice(0, 8)}`, password: 'not-the-password' }));
      wrong.push(await time({ login: username, password: 'not-the-password' }));
    }
    const [u, w] = [median(unknown), median(wrong)];
    console.log(`\n${rounds} logins of each kind, argon2id m=${process.env.ARGON2_MEMORY_KIB ?? 19456} KiB t=${process.env.ARGON2_TIME_COST ?? 2}`);
    console.log(`median unknown user:   ${u.toFixed(1)} ms`);
    console.log(`median wrong password: ${w.toFixed(1)} ms`);
    console.log(`ratio unknown ÷ wrong: ${(u / w).toFixed(3)} (target 0.9–1.1)`);
  } finally {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function time(body: { login: string; password: string }): Promise<number> {
  const started = process.hrtime.bigint();
  const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  if (res.status !== 401) throw new Error(`expected 401, got ${res.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
}

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the service did not start');
}

await main();
