import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { signupAndLogin, type TokenPair } from './support/flows.js';
import { captureLogs } from './support/log-capture.js';
import { createTestApp } from './support/test-app.js';

const DELAY_SECONDS = 1;
const WORKERS = 8;

interface Outcome {
  sentAt: number;
  status?: number;
  code?: string;
  connection?: string;
  /** Set when no response came: ECONNREFUSED (allowed once closing), anything else is a failure. */
  error?: string;
  /** True when the connection broke after the response had started. */
  midResponse?: boolean;
}

/** One request on a worker's own kept-alive connection. */
function send(port: number, agent: Agent, method: string, path: string, headers: Record<string, string>, body?: object): Promise<Outcome> {
  const sentAt = performance.now();
  return new Promise((resolve) => {
    let started = false;
    const req = request({ port, host: '127.0.0.1', method, path, agent, headers: { ...headers, 'content-type': 'application/json' } }, (res) => {
      started = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ sentAt, error: error.code ?? error.message, midResponse: true }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const parsed = text.startsWith('{') ? (JSON.parse(text) as { code?: string }) : {};
        resolve({ sentAt, status: res.statusCode, code: parsed.code, connection: res.headers.connection });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ sentAt, error: error.code ?? error.message, midResponse: started }));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/**
 * SIGTERM under continuous load (app.close() is what Nest's signal handler runs): requests accepted before the close
 * succeed, later ones get 503 shutting_down or a refused connection, and nothing is reset or answered 500.
 */
describe('shutdown under load', () => {
  it('drains: readiness 503 at once, served through the delay, then 503 shutting_down / refused, no reset, no 500', async () => {
    const { lines: logs, destination } = captureLogs();
    const t = await createTestApp({
      logDestination: destination,
      env: { LOG_LEVEL: 'warn', SHUTDOWN_DELAY_SECONDS: String(DELAY_SECONDS), SHUTDOWN_TIMEOUT_SECONDS: '10' },
    });
    const pairs: TokenPair[] = [];
    for (let i = 0; i < WORKERS; i++) pairs.push((await signupAndLogin(t)).pair);
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;

    const outcomes: Outcome[] = [];
    let stop = false;
    // Each worker alternates a refresh (reads and writes) and a read, on one kept-alive connection, until refused.
    const workers = pairs.map(async (pair) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      let tokens = pair;
      while (!stop) {
        const refreshed = await send(port, agent, 'POST', '/auth/refresh', {}, { refreshToken: tokens.refreshToken });
        outcomes.push(refreshed);
        if (refreshed.status === 200) tokens = (await send(port, agent, 'GET', '/auth/whoami', { authorization: `Bearer ${tokens.accessToken}` }), tokens);
        const me = await send(port, agent, 'GET', '/users/me', { authorization: `Bearer ${tokens.accessToken}` });
        outcomes.push(me);
        if (refreshed.error === 'ECONNREFUSED' || me.error === 'ECONNREFUSED') break;
      }
      agent.destroy();
    });

    await sleep(500);
    const closeStartedAt = performance.now();
    const closed = t.close();
    const ready = await send(port, new Agent(), 'GET', '/health/ready', {});
    await closed;
    const closedAt = performance.now();
    stop = true;
    await Promise.all(workers);

    const closingAt = closeStartedAt + DELAY_SECONDS * 1000;
    const acceptedBefore = outcomes.filter((o) => o.sentAt < closingAt - 100);
    const afterClosing = outcomes.filter((o) => o.sentAt >= closingAt);
    const summary = {
      total: outcomes.length,
      ok: outcomes.filter((o) => o.status !== undefined && o.status < 300).length,
      okDuringDelay: outcomes.filter((o) => o.sentAt >= closeStartedAt && o.sentAt < closingAt && o.status === 200).length,
      shuttingDown: outcomes.filter((o) => o.code === 'shutting_down').length,
      refused: outcomes.filter((o) => o.error === 'ECONNREFUSED').length,
      other: outcomes.filter((o) => !(o.status !== undefined && o.status < 300) && o.code !== 'shutting_down' && o.error !== 'ECONNREFUSED'),
      closeTookMs: Math.round(closedAt - closeStartedAt),
    };
    console.log(`shutdown under load: ${JSON.stringify(summary)}`);

    expect(ready).toMatchObject({ status: 503, code: 'shutting_down' });
    expect(summary.other).toEqual([]);
    expect(acceptedBefore.every((o) => o.status === 200)).toBe(true);
    expect(summary.okDuringDelay).toBeGreaterThan(0); // the delay keeps serving while the load balancer notices
    expect(afterClosing.length).toBeGreaterThan(0);
    for (const o of afterClosing) {
      if (o.error) expect(o.error).toBe('ECONNREFUSED');
      else if (o.code === 'shutting_down') expect(o).toMatchObject({ status: 503, connection: 'close' });
      else expect(o.status).toBe(200); // accepted a moment before the switch
    }
    expect(summary.shuttingDown + summary.refused).toBeGreaterThan(0);
    expect(logs.filter((line) => line.level >= 50)).toEqual([]);
  });
});
