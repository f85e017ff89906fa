/**
 * Measures, in one run against a freshly started service:
 *   - GET /health       (public, no I/O)            — the baseline
 *   - GET /auth/whoami  (access token verified, no DB) — the protected route
 *   - POST /auth/refresh (rotation: two reads, one compare-and-swap, one insert)
 * and prints req/s, p99 latency and the ratio protected ÷ public.
 *
 *   npm run bench                                   # embedded SQLite
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/bench npm run bench   # MariaDB
 *
 * BENCH_SECONDS (default 3 per round), BENCH_ROUNDS (default 7) and BENCH_CONNECTIONS (default 50) tune the load.
 * The service runs in its own process so autocannon does not steal its event loop.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { median, postJson, startService } from './support/service.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const port = Number(process.env.BENCH_PORT ?? 3999);
const base = `http://127.0.0.1:${port}`;

interface Measured {
  name: string;
  rps: number;
  p99: number;
  non2xx: number;
}

async function main(): Promise<void> {
  const service = await startService(port);
  try {
    const accessToken = (await login()).accessToken;
    const results: Measured[] = [];
    await run('warm-up', { url: `${base}/health`, duration: 3 });
    await run('warm-up', { url: `${base}/auth/whoami`, duration: 3, headers: { authorization: `Bearer ${accessToken}` } });
    // Rounds alternate between the two routes; each round's ratio compares measurements taken seconds apart,
    // and the median of those ratios is reported, because this machine's speed drifts within a run.
    const health: Measured[] = [];
    const whoami: Measured[] = [];
    for (let round = 0; round < rounds; round++) {
      health.push(await run('GET /health (public)', { url: `${base}/health` }));
      whoami.push(await run('GET /auth/whoami (protected)', { url: `${base}/auth/whoami`, headers: { authorization: `Bearer ${accessToken}` } }));
    }
    results.push(medianOf(health), medianOf(whoami));
    results.push(await reissue());
    report(results, health.map((h, i) => whoami[i].rps / h.rps));
  } finally {
    service.stop();
  }
}

async function run(name: string, options: Partial<autocannon.Options> & { url: string }): Promise<Measured> {
  const result = await autocannon({ connections, duration: seconds, ...options });
  return { name, rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

/**
 * One session per connection: a shared pool holds each session's current refresh token; a request takes one
 * out and its response puts the successor back, so every token is spent exactly once.
 * (autocannon resets its per-connection context after every request, so the pool lives here.)
 */
async function reissue(): Promise<Measured> {
  const pool: string[] = [];
  for (let i = 0; i < connections; i++) pool.push((await login()).refreshToken);
  const statuses = new Map<number, number>();
  const measured = await run('POST /auth/refresh (rotation)', {
    url: `${base}/auth/refresh`,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: pool.shift() }),
        }),
        onResponse: (status, body) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 200) pool.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
        },
      },
    ],
  });
  console.log('reissue statuses:', Object.fromEntries(statuses));
  return measured;
}

let userCount = 0;
const password = `bench-${randomUUID()}`;
const username = `bench_${randomUUID().slice(0, 8)}`;

async function login(): Promise<{ accessToken: string; refreshToken: string }> {
  if (userCount++ === 0) {
    await postJson(`${base}/auth/signup`, { email: `${username}@example.com`, username, name: 'Bench', password });
  }
  return (await postJson(`${base}/auth/login`, { login: username, password })) as { accessToken: string; refreshToken: string };
}




function medianOf(samples: Measured[]): Measured {
  const middle = median(samples.map((sample) => sample.rps));
  return samples.find((sample) => sample.rps === middle)!;
}

function report(results: Measured[], ratios: number[]): void {
  const driver = process.env.DATABASE_URL ? 'MariaDB/MySQL' : 'SQLite';
  console.log(`\n${connections} connections, median of ${rounds} rounds of ${seconds} s, database: ${driver}, node ${process.version}\n`);
  console.log('route                               req/s      p99 ms   non-2xx');
  for (const r of results) {
    console.log(`${r.name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} ${r.p99.toFixed(1).padStart(10)} ${String(r.non2xx).padStart(9)}`);
  }
  console.log(`\nratio protected ÷ public, per round: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
  console.log(`ratio protected ÷ public (median): ${median(ratios).toFixed(2)} (target ≥ 0.70)`);
}

await main();
