/**
 * A protected call with a different valid token on every request, against our /health, against a bare Fastify
 * server doing the same HS256 check with node:crypto (bench/bare-server.ts), and against the smallest NestJS +
 * Passport application with the same routes (bench/nest-floor-server.ts: the floor the fixed design sets). All three
 * servers run pinned to one core
 * (BENCH_SERVER_CPU, default 0); the load is wrk (Debian's package, `apt-get install -y wrk`), run from this process
 * on another core (`npm run bench:whoami` does `taskset -c 1`). Prints req/s of each route, median of BENCH_ROUNDS
 * rounds, the server's CPU per request, and the ratios of issue 13, per round — of req/s, and of the CPU per request
 * (which a neighbour's load on the machine moves less).
 *
 *   npm run bench:whoami        # BENCH_SECONDS (default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 50)
 */
import { randomBytes } from 'node:crypto';
import { AccessTokenMinter } from './support/access-tokens.js';
import { inRounds, loadKnobs, medianOf, roundRatios } from './support/load.js';
import { range, rangeAndMedian } from './support/proc.js';
import { pinnedNode, startService, waitForHealth } from './support/service.js';
import { measureWrk, requireWrk, tokensFile, type WrkMeasured } from './support/wrk.js';

const { seconds, rounds, connections } = loadKnobs({ seconds: 5, rounds: 3, connections: 50 });
const ourPort = Number(process.env.BENCH_PORT ?? 3999);
const barePort = ourPort - 2;
const floorPort = ourPort - 3;

/** Far more than the verified-token memo holds, so it never hits. */
const DISTINCT_TOKENS = 200_000;
const WARM_UP_SECONDS = 5;

async function main(): Promise<void> {
  requireWrk();
  const secret = randomBytes(48).toString('base64url');
  const minter = new AccessTokenMinter(secret);
  const service = await startService(ourPort, { ACCESS_TOKEN_SECRET: secret });
  const referenceEnv = { ...process.env, ACCESS_TOKEN_SECRET: secret };
  const bare = pinnedNode(['--import', 'tsx', 'bench/bare-server.ts'], { ...referenceEnv, PORT: String(barePort) });
  const floor = pinnedNode(['--import', 'tsx', 'bench/nest-floor-server.ts'], { ...referenceEnv, PORT: String(floorPort) });
  try {
    const ours = { base: `http://127.0.0.1:${ourPort}`, pid: service.pid };
    const theirs = { base: `http://127.0.0.1:${barePort}`, pid: bare.pid! };
    const floors = { base: `http://127.0.0.1:${floorPort}`, pid: floor.pid! };
    await waitForHealth(theirs.base);
    await waitForHealth(floors.base);
    const tokens = tokensFile(Array.from({ length: DISTINCT_TOKENS }, () => minter.next()));
    // A warm-up may time out a request or two while the server's code is still cold; a measurement may not.
    const run = async (name: string, server: { base: string; pid: number }, path: string, warmUp = false): Promise<WrkMeasured> => {
      const measured = await measureWrk(name, `${server.base}${path}`, {
        seconds: warmUp ? WARM_UP_SECONDS : seconds,
        connections,
        pid: server.pid,
        tokensFile: path === '/auth/whoami' ? tokens : undefined,
      });
      if (measured.non2xx > 0 && !warmUp) throw new Error(`${name}: ${measured.non2xx} answers were not 2xx`);
      return measured;
    };
    for (const server of [ours, theirs, floors]) {
      await run('warm-up', server, '/health', true);
      await run('warm-up', server, '/auth/whoami', true);
    }
    const samples = await inRounds(rounds, {
      whoami: () => run('our whoami (distinct tokens)', ours, '/auth/whoami'),
      health: () => run('our /health', ours, '/health'),
      bareWhoami: () => run('bare whoami (distinct tokens)', theirs, '/auth/whoami'),
      bareHealth: () => run('bare /health', theirs, '/health'),
      floorWhoami: () => run('Nest floor whoami (distinct tokens)', floors, '/auth/whoami'),
      floorHealth: () => run('Nest floor /health', floors, '/health'),
    });
    // The ratio of CPU per request: b's CPU per request ÷ a's (higher is better, like req/s).
    const cpuRatio = (a: WrkMeasured[], b: WrkMeasured[]) => a.map((sample, round) => b[round].cpuMicros / sample.cpuMicros);
    console.log(`\n${connections} connections, ${rounds} rounds of ${seconds} s, server on CPU ${process.env.BENCH_SERVER_CPU ?? '0'}, node ${process.version}\n`);
    for (const [name, list] of Object.entries(samples)) {
      const median = medianOf(list);
      console.log(
        `${name.padEnd(12)} ${median.rps.toFixed(0).padStart(7)} req/s (rounds ${range(list.map((s) => s.rps), 0)})  p99 ${median.p99.toFixed(1)} ms` +
          `  CPU per request ${range(list.map((s) => s.cpuMicros), 1)} µs`,
      );
    }
    const figures: Array<[string, (a: WrkMeasured[], b: WrkMeasured[]) => number[]]> = [
      ['ratios of req/s per round (min–max)', roundRatios],
      ["the same ratios of CPU per request (the baseline's ÷ ours)", cpuRatio],
    ];
    for (const [title, of] of figures) {
      const whoamiVsHealth = of(samples.whoami, samples.health);
      const bareWhoamiVsHealth = of(samples.bareWhoami, samples.bareHealth);
      console.log(`\n${title}:`);
      console.log(`whoami ÷ bare whoami:                 ${rangeAndMedian(of(samples.whoami, samples.bareWhoami))}   (goal ≥ 0.6)`);
      console.log(`our /health ÷ bare /health:           ${rangeAndMedian(of(samples.health, samples.bareHealth))}   (goal ≥ 0.7)`);
      console.log(`whoami ÷ our /health:                 ${rangeAndMedian(whoamiVsHealth)}`);
      console.log(`bare whoami ÷ bare /health:           ${rangeAndMedian(bareWhoamiVsHealth)}`);
      console.log(`(whoami ÷ health) ÷ (bare's):         ${rangeAndMedian(whoamiVsHealth.map((value, round) => value / bareWhoamiVsHealth[round]))}   (goal ≥ 0.9)`);
      console.log(`Nest floor whoami ÷ bare whoami:      ${rangeAndMedian(of(samples.floorWhoami, samples.bareWhoami))}   (the stock NestJS + Passport app)`);
      console.log(`Nest floor /health ÷ bare /health:    ${rangeAndMedian(of(samples.floorHealth, samples.bareHealth))}`);
      console.log(`whoami ÷ Nest floor whoami:           ${rangeAndMedian(of(samples.whoami, samples.floorWhoami))}   (what our features cost above it)`);
      console.log(`our /health ÷ Nest floor /health:     ${rangeAndMedian(of(samples.health, samples.floorHealth))}`);
    }
  } finally {
    bare.kill('SIGTERM');
    floor.kill('SIGTERM');
    await service.stop();
  }
}

await main();
