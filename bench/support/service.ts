import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningService {
  base: string;
  /** The server process (for its CPU time and RSS under /proc). */
  pid: number;
  /** The folder of its SQLite file. */
  dataDir: string;
  /** Stops the server; resolves once it has exited. */
  stop: () => Promise<void>;
}

/** BENCH_SERVER_CPU (default 0): the one core the server is pinned to with taskset; empty to leave it unpinned. */
export const SERVER_CPU = process.env.BENCH_SERVER_CPU ?? '0';

/**
 * BENCH_NODE_FLAGS: extra flags for every node pinned to the server core (the service, bench/bare-server.ts), e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`, which NODE_OPTIONS refuses.
 */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/** `node <args>`, pinned to the server core (taskset execs node, so the pid is node's). */
export function pinnedNode(args: string[], env: NodeJS.ProcessEnv, stdio: 'inherit' | 'pipe' = 'inherit') {
  const node = [process.execPath, ...NODE_FLAGS, ...args];
  const [command, argv] = SERVER_CPU ? ['taskset', ['-c', SERVER_CPU, ...node]] : [node[0], node.slice(1)];
  return spawn(command, argv, { env, stdio: ['ignore', stdio, 'inherit'] });
}

/**
 * Starts the built service (dist/main.js) in its own process, so the load generator does not share its
 * event loop, on a fresh SQLite folder (or DATABASE_URL), and waits until /health answers.
 */
export async function startService(port: number, env: Record<string, string> = {}, keepDataDir?: string): Promise<RunningService> {
  const dataDir = keepDataDir ?? mkdtempSync(join(tmpdir(), 'auth-bench-'));
  const server = pinnedNode(['dist/main.js'], {
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
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async () => {
    server.kill('SIGTERM');
    await exited;
    if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, pid: server.pid!, dataDir, stop };
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

export async function waitForHealth(base: string): Promise<void> {
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
