import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningService {
  base: string;
  stop: () => void;
}

/**
 * Starts the built service (dist/main.js) in its own process, so the load generator does not share its
 * event loop, on a fresh SQLite folder (or DATABASE_URL), and waits until /health answers.
 */
export async function startService(port: number, env: Record<string, string> = {}): Promise<RunningService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-bench-'));
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
      // Production needs an SMTP server; a bench that does not look at mail gives one that refuses (mail just waits).
      MAIL_URL: 'smtp://127.0.0.1:9',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () => {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base);
  } catch (error) {
    stop();
    throw error;
  }
  return { base, stop };
}

export async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** A fresh account on the service; each `login()` opens one more session. */
export async function signUp(base: string): Promise<{ login: () => Promise<TokenPair> }> {
  const username = `bench_${randomUUID().slice(0, 8)}`;
  const password = `bench-${randomUUID()}`;
  await postJson(`${base}/auth/signup`, { email: `${username}@example.com`, username, name: 'Bench', password });
  return { login: async () => (await postJson(`${base}/auth/login`, { login: username, password })) as TokenPair };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function waitForHealth(base: string): Promise<void> {
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
