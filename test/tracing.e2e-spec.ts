import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newUser, onMysql } from './support/test-app.js';
import { ensureBuilt, freePort, ServiceProcess, serviceEnv } from './support/service-process.js';
import { REDIS_URL, redisSuitesEnabled } from './support/redis.js';

interface ExportedSpan {
  name: string;
  scope: string;
  attributes: Record<string, unknown>;
}

/** A local OTLP/HTTP receiver: collects the spans the service exports (JSON encoding). */
class OtlpReceiver {
  readonly spans: ExportedSpan[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces') this.collect(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private collect(body: string): void {
    const payload = JSON.parse(body) as {
      resourceSpans: Array<{ scopeSpans: Array<{ scope: { name: string }; spans: Array<{ name: string; attributes: Array<{ key: string; value: Record<string, unknown> }> }> }> }>;
    };
    for (const resource of payload.resourceSpans) {
      for (const scope of resource.scopeSpans) {
        for (const span of scope.spans) {
          const attributes = Object.fromEntries(span.attributes.map(({ key, value }) => [key, Object.values(value)[0]]));
          this.spans.push({ name: span.name, scope: scope.scope.name, attributes });
        }
      }
    }
  }
}

/** With OTEL_EXPORTER_OTLP_ENDPOINT the service exports HTTP, database (MySQL/MariaDB) and Redis spans over OTLP/HTTP. */
describe('tracing', () => {
  const receiver = new OtlpReceiver();
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-tracing-'));
  let service: ServiceProcess;
  const withRedis = redisSuitesEnabled();

  beforeAll(async () => {
    ensureBuilt();
    const endpoint = await receiver.start();
    service = new ServiceProcess(
      await freePort(),
      serviceEnv(dataDir, {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'auth-under-test',
        ...((await withRedis) ? { REDIS_URL } : {}),
      }),
    );
    await service.start();
  }, 120_000);
  afterAll(async () => {
    await service?.kill();
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports a span per request (probes left out), and database and Redis spans', async () => {
    const user = newUser();
    const post = (path: string, body: unknown) =>
      fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/auth/signup', user)).status).toBe(201);
    expect((await post('/auth/login', { login: user.username, password: user.password })).status).toBe(200);

    await vi.waitFor(
      () => {
        const server = receiver.spans.filter((span) => span.scope.includes('instrumentation-http') && span.attributes['http.response.status_code'] !== undefined);
        expect(server.map((span) => `${span.name} ${String(span.attributes['url.path'])} ${String(span.attributes['http.response.status_code'])}`)).toEqual(
          expect.arrayContaining(['POST /auth/signup 201', 'POST /auth/login 200']),
        );
      },
      { timeout: 10_000, interval: 100 },
    );
    // The readiness probes of the start-up wait were left out.
    const paths = receiver.spans.map((span) => span.attributes['url.path']);
    expect(paths.some((path) => typeof path === 'string' && path.startsWith('/health'))).toBe(false);
    if (onMysql) expect(receiver.spans.some((span) => span.scope.includes('mysql2'))).toBe(true);
    if (await withRedis) await vi.waitFor(() => expect(receiver.spans.some((span) => span.scope.includes('ioredis'))).toBe(true), { timeout: 10_000 });
  });
});
