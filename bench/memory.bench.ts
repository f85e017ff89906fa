/**
 * Does memory stay flat when every request brings a token never seen before? Sends BENCH_FIRST (default 100,000)
 * whoami requests, each with a freshly minted access token, reads the server's RSS, sends more up to BENCH_TOTAL
 * (default 1,000,000), reads it again, and prints the ratio. Server pinned to one core, load on the other.
 *
 *   npm run bench:memory
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccessTokenMinter } from './support/access-tokens.js';
import { measure } from './support/load.js';
import { rssMiB } from './support/proc.js';
import { SERVER_CPU, startService } from './support/service.js';

const first = Number(process.env.BENCH_FIRST ?? 100_000);
const total = Number(process.env.BENCH_TOTAL ?? 1_000_000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const port = Number(process.env.BENCH_PORT ?? 3995);

async function main(): Promise<void> {
  const secret = randomBytes(48).toString('base64url');
  const minter = new AccessTokenMinter(secret);
  const service = await startService(port, { ACCESS_TOKEN_SECRET: secret });
  try {
    const send = (amount: number) =>
      measure('GET /auth/whoami', {
        url: `${service.base}/auth/whoami`,
        connections,
        amount,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, headers: { authorization: `Bearer ${minter.next()}` } }) }],
      });
    const startRss = rssMiB(service.pid);
    const firstRun = await send(first);
    await sleep(1000);
    const afterFirst = rssMiB(service.pid);
    const rest = await send(total - first);
    await sleep(1000);
    const afterTotal = rssMiB(service.pid);
    if (firstRun.non2xx + rest.non2xx > 0) throw new Error(`${firstRun.non2xx + rest.non2xx} answers were not 2xx`);
    console.log(`\nserver on CPU ${SERVER_CPU || 'any'}, ${connections} connections, every request a new token, node ${process.version}\n`);
    console.log(`RSS at start ${startRss.toFixed(0)} MiB; after ${first} requests ${afterFirst.toFixed(0)} MiB; after ${total} ${afterTotal.toFixed(0)} MiB`);
    console.log(`RSS after ${total} ÷ after ${first}: ${(afterTotal / afterFirst).toFixed(3)}   (goal ≤ 1.05)`);
  } finally {
    await service.stop();
  }
}

await main();
