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
import type autocannon from 'autocannon';
import { inRounds, loadKnobs, type Measured, measure, medianOf, roundRatios } from './support/load.js';
import { median, signUp, startService } from './support/service.js';

const { seconds, rounds, connections } = loadKnobs({ seconds: 3, rounds: 7, connections: 50 });
const port = Number(process.env.BENCH_PORT ?? 3999);
const base = `http://127.0.0.1:${port}`;

async function main(): Promise<void> {
  // Measure the routes, not the per-IP throttles in front of them: the rotation run logs in once per connection.
  const service = await startService(port, { RATE_LIMIT_LOGIN: '1000000', RATE_LIMIT_REFRESH: '1000000' });
  try {
    const account = await signUp(base);
    const accessToken = (await account.login()).accessToken;
    const results: Measured[] = [];
    await run('warm-up', { url: `${base}/health`, duration: 3 });
    await run('warm-up', { url: `${base}/auth/whoami`, duration: 3, headers: { authorization: `Bearer ${accessToken}` } });
    // The median of per-round ratios is reported, because this machine's speed drifts within a run.
    const { health, whoami } = await inRounds(rounds, {
      health: () => run('GET /health (public)', { url: `${base}/health` }),
      whoami: () => run('GET /auth/whoami (protected)', { url: `${base}/auth/whoami`, headers: { authorization: `Bearer ${accessToken}` } }),
    });
    results.push(medianOf(health), medianOf(whoami));
    results.push(await reissue(account.login));
    report(results, roundRatios(whoami, health));
  } finally {
    await service.stop();
  }
}

function run(name: string, options: Partial<autocannon.Options> & { url: string }): Promise<Measured> {
  return measure(name, { connections, duration: seconds, ...options });
}

/**
 * One session per connection: a shared pool holds each session's current refresh token; a request takes one
 * out and its response puts the successor back, so every token is spent exactly once.
 * (autocannon resets its per-connection context after every request, so the pool lives here.)
 */
async function reissue(login: () => Promise<{ refreshToken: string }>): Promise<Measured> {
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
