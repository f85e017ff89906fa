/**
 * What metrics cost on the protected route: two services started side by side, one with metrics served
 * (METRICS_PORT: every request is recorded in http_request_duration_seconds, every token check counted) and one
 * without, measured in alternating rounds (the order flips each round); prints GET /auth/whoami req/s of each and the
 * median per-round ratio on ÷ off (the goal is ≥ 0.95). BENCH_AA=1 runs both without metrics, to see the noise floor.
 *
 *   npm run bench:metrics
 *
 * BENCH_SECONDS (default 3), BENCH_ROUNDS (default 7), BENCH_CONNECTIONS (default 50) tune the load.
 */
import { loadKnobs, type Measured, measure, medianOf, roundRatios } from './support/load.js';
import { median, signUp, startService } from './support/service.js';

const { seconds, rounds, connections } = loadKnobs({ seconds: 3, rounds: 7, connections: 50 });

async function main(): Promise<void> {
  const limits = { RATE_LIMIT_LOGIN: '1000000', RATE_LIMIT_REFRESH: '1000000' };
  const on = await startService(3997, process.env.BENCH_AA ? limits : { ...limits, METRICS_PORT: '3995' });
  const off = await startService(3998, limits);
  try {
    const tokenOn = (await (await signUp(on.base)).login()).accessToken;
    const tokenOff = (await (await signUp(off.base)).login()).accessToken;
    const whoami = (base: string, token: string) => () =>
      measure(`${base} GET /auth/whoami`, { url: `${base}/auth/whoami`, headers: { authorization: `Bearer ${token}` }, duration: seconds, connections });
    await whoami(on.base, tokenOn)();
    await whoami(off.base, tokenOff)();
    // Even rounds measure `on` first, odd rounds `off` first: whichever runs second in a round is otherwise favoured
    // (an A/A run of two identical services gave 0.96 with a fixed order).
    const samples = { on: [] as Measured[], off: [] as Measured[] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const which of order) samples[which].push(await (which === 'on' ? whoami(on.base, tokenOn) : whoami(off.base, tokenOff))());
    }
    const ratio = median(roundRatios(samples.on, samples.off));
    console.log(`metrics on : ${medianOf(samples.on).rps.toFixed(0)} req/s (median of ${rounds} rounds)`);
    console.log(`metrics off: ${medianOf(samples.off).rps.toFixed(0)} req/s`);
    console.log(`on ÷ off (median of per-round ratios): ${ratio.toFixed(3)}`);
    if (!process.env.BENCH_AA && !(await fetch('http://127.0.0.1:3995/metrics')).ok) throw new Error('the metrics listener did not answer');
  } finally {
    await on.stop();
    await off.stop();
  }
}

await main();
