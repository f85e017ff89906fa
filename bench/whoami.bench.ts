/**
 * A protected call with a different valid token on every request, against our /health and against a bare Fastify
 * server doing the same HS256 check with node:crypto (bench/bare-server.ts). Both servers run pinned to one core
 * (BENCH_SERVER_CPU, default 0); run this process on another (`npm run bench:whoami` does `taskset -c 1`).
 * Prints req/s of each route, median of BENCH_ROUNDS rounds, and the ratios of issue 13, per round.
 *
 *   npm run bench:whoami        # BENCH_SECONDS (default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 50)
 */
import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { AccessTokenMinter, distinctTokens } from './support/access-tokens.js';
import { inRounds, loadKnobs, type Measured, measure, medianOf } from './support/load.js';
import { range } from './support/proc.js';
import { pinnedNode, startService, waitForHealth } from './support/service.js';

const { seconds, rounds, connections } = loadKnobs({ seconds: 5, rounds: 3, connections: 50 });
const ourPort = Number(process.env.BENCH_PORT ?? 3999);
const barePort = ourPort - 2;

async function main(): Promise<void> {
  const secret = randomBytes(48).toString('base64url');
  const minter = new AccessTokenMinter(secret);
  const service = await startService(ourPort, { ACCESS_TOKEN_SECRET: secret });
  const bare = pinnedNode(['--import', 'tsx', 'bench/bare-server.ts'], { ...process.env, ACCESS_TOKEN_SECRET: secret, PORT: String(barePort) });
  try {
    const ours = `http://127.0.0.1:${ourPort}`;
    const theirs = `http://127.0.0.1:${barePort}`;
    await waitForHealth(theirs);
    const run = (name: string, url: string, extra: Partial<autocannon.Options> = {}): Promise<Measured> =>
      measure(name, { url, connections, duration: seconds, ...extra }).then((measured) => {
        if (measured.non2xx > 0) throw new Error(`${name}: ${measured.non2xx} answers were not 2xx`);
        return measured;
      });
    const tokens = distinctTokens(minter);
    for (const base of [ours, theirs]) {
      await run('warm-up', `${base}/health`, { duration: 2 });
      await run('warm-up', `${base}/auth/whoami`, { duration: 2, ...tokens });
    }
    const samples = await inRounds(rounds, {
      whoami: () => run('our whoami (distinct tokens)', `${ours}/auth/whoami`, tokens),
      health: () => run('our /health', `${ours}/health`),
      bareWhoami: () => run('bare whoami (distinct tokens)', `${theirs}/auth/whoami`, tokens),
      bareHealth: () => run('bare /health', `${theirs}/health`),
    });
    const ratio = (a: Measured[], b: Measured[]) => a.map((sample, round) => sample.rps / b[round].rps);
    const whoamiVsBare = ratio(samples.whoami, samples.bareWhoami);
    const healthVsBare = ratio(samples.health, samples.bareHealth);
    const whoamiVsHealth = ratio(samples.whoami, samples.health);
    const bareWhoamiVsHealth = ratio(samples.bareWhoami, samples.bareHealth);
    console.log(`\n${connections} connections, ${rounds} rounds of ${seconds} s, server on CPU ${process.env.BENCH_SERVER_CPU ?? '0'}, node ${process.version}\n`);
    for (const [name, list] of Object.entries(samples)) {
      const median = medianOf(list);
      console.log(`${name.padEnd(12)} ${median.rps.toFixed(0).padStart(7)} req/s (rounds ${range(list.map((s) => s.rps), 0)})  p99 ${median.p99} ms`);
    }
    console.log('\nratios per round (min–max):');
    console.log(`whoami ÷ bare whoami:                 ${range(whoamiVsBare)}   (goal ≥ 0.6)`);
    console.log(`our /health ÷ bare /health:           ${range(healthVsBare)}   (goal ≥ 0.7)`);
    console.log(`whoami ÷ our /health:                 ${range(whoamiVsHealth)}`);
    console.log(`bare whoami ÷ bare /health:           ${range(bareWhoamiVsHealth)}`);
    const relative = whoamiVsHealth.map((value, round) => value / bareWhoamiVsHealth[round]);
    console.log(`(whoami ÷ health) ÷ (bare's):         ${range(relative)}   (goal ≥ 0.9)`);
  } finally {
    bare.kill('SIGTERM');
    await service.stop();
  }
}

await main();
