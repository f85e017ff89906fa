import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '../src/config/database.config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { claimsOf } from './support/flows.js';
import { ensureBuilt, freePort, ServiceProcess, serviceEnv } from './support/service-process.js';
import { newUser } from './support/test-app.js';

const CHAINS = 30;

interface Chain {
  /** The newest refresh token this client received an answer for. */
  token: string;
  rotations: number;
}

async function post(url: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

/**
 * kill -9 of the service while 30 clients each refresh in a loop: rotation (spend the token, store its successor,
 * touch the session) commits as one transaction, so after a restart every client carries on from the last token it
 * received — the successor of a rotation whose answer was lost comes back through the grace window — and no token
 * has two successors.
 */
describe('a crash during refresh chains', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-crash-'));
  let service: ServiceProcess | undefined;
  beforeAll(() => ensureBuilt(), 120_000);
  afterAll(async () => {
    await service?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no session: every chain continues after a restart, and no token has two successors', async () => {
    // A restart takes a few seconds: the grace window must outlast it for a lost answer to be replayed, not reused.
    service = new ServiceProcess(await freePort(), serviceEnv(dataDir, { REFRESH_REUSE_GRACE_SECONDS: '60' }));
    await service.start();
    const url = service.url;

    const chains: Chain[] = [];
    for (let i = 0; i < CHAINS; i++) {
      const user = newUser();
      expect((await post(url, '/auth/signup', user)).status).toBe(201);
      const login = await post(url, '/auth/login', { login: user.username, password: user.password });
      expect(login.status).toBe(200);
      chains.push({ token: String(login.body.refreshToken), rotations: 0 });
    }

    let killed = false;
    const refreshUntilKilled = async (chain: Chain) => {
      while (!killed) {
        try {
          const res = await post(url, '/auth/refresh', { refreshToken: chain.token });
          expect(res.status).toBe(200);
          chain.token = String(res.body.refreshToken);
          chain.rotations++;
        } catch (error) {
          if (killed) return; // the connection died with the process
          throw error;
        }
      }
    };
    const load = Promise.all(chains.map(refreshUntilKilled));
    // Kill once every chain has rotated a few times, i.e. mid-load.
    while (chains.some((chain) => chain.rotations < 3)) await new Promise((resolve) => setTimeout(resolve, 20));
    killed = true;
    await service.kill();
    await load;

    await service.start();
    for (const chain of chains) {
      const resumed = await post(url, '/auth/refresh', { refreshToken: chain.token });
      expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
      const next = await post(url, '/auth/refresh', { refreshToken: String(resumed.body.refreshToken) });
      expect(next.status, JSON.stringify(next.body)).toBe(200);
    }
    await service.kill();

    const dataSource = new DataSource({ ...dataSourceOptions(loadDatabaseConfig({ ...process.env, DATA_DIR: dataDir })), migrationsRun: false });
    await dataSource.initialize();
    try {
      const sessionIds = chains.map((chain) => String(claimsOf(chain.token).sid));
      const placeholders = sessionIds.map(() => '?').join(', ');
      const forks: unknown[] = await dataSource.query(
        `SELECT parent_id FROM refresh_tokens WHERE session_id IN (${placeholders}) AND parent_id IS NOT NULL GROUP BY parent_id HAVING COUNT(*) > 1`,
        sessionIds,
      );
      expect(forks).toEqual([]);
      const ended: unknown[] = await dataSource.query(`SELECT id FROM sessions WHERE id IN (${placeholders}) AND revoked_at IS NOT NULL`, sessionIds);
      expect(ended).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
