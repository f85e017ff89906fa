import { connect } from 'node:net';

/** Where the Redis suites find Redis (not REDIS_URL: that would switch every test app to Redis). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the Redis suites run: always in CI (where a missing Redis must fail them), elsewhere only when
 * one answers, so `npm test` on a fresh machine needs nothing but Node.
 */
export async function redisSuitesEnabled(): Promise<boolean> {
  if (process.env.CI) return true;
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
