import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestApp, newUser, type TestApp, type TestAppOptions } from '../../test/support/test-app.js';

export interface RunningService {
  t: TestApp;
  baseUrl: string;
  /** Requests that reached the HTTP server, by method and path (counted by the server, not by the client). */
  hits: (method: string, path: string) => number;
  resetHits: () => void;
  close: () => Promise<void>;
}

/** The real service (AppModule, same setup as main.ts) listening on a free port of 127.0.0.1. */
export async function startService(options: TestAppOptions = {}): Promise<RunningService> {
  const t = await createTestApp(options);
  await t.app.listen(0, '127.0.0.1');
  const server = t.app.getHttpServer();
  const counts = new Map<string, number>();
  server.on('request', (request: IncomingMessage) => {
    const key = `${request.method} ${(request.url ?? '').split('?')[0]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const { port } = server.address() as AddressInfo;
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    hits: (method, path) => counts.get(`${method} ${path}`) ?? 0,
    resetHits: () => counts.clear(),
    close: () => t.close(),
  };
}

export { newUser };
