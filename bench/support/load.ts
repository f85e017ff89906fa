import autocannon from 'autocannon';
import { median } from './service.js';

/** The knobs every load benchmark honours, each read from its environment variable or the benchmark's default. */
export interface LoadKnobs {
  /** BENCH_SECONDS: length of one measurement. */
  seconds: number;
  /** BENCH_ROUNDS: how many times each route is measured. */
  rounds: number;
  /** BENCH_CONNECTIONS: concurrent connections autocannon keeps open. */
  connections: number;
}

export function loadKnobs(defaults: LoadKnobs): LoadKnobs {
  return {
    seconds: Number(process.env.BENCH_SECONDS ?? defaults.seconds),
    rounds: Number(process.env.BENCH_ROUNDS ?? defaults.rounds),
    connections: Number(process.env.BENCH_CONNECTIONS ?? defaults.connections),
  };
}

export interface Measured {
  name: string;
  rps: number;
  p99: number;
  /** Answers outside 2xx plus socket errors and timeouts. */
  non2xx: number;
}

export async function measure(name: string, options: autocannon.Options): Promise<Measured> {
  const result = await autocannon(options);
  return { name, rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

/**
 * Measures every route once per round, in the given order, and returns each route's samples. Alternating keeps the
 * measurements a ratio compares seconds apart, because this machine's speed drifts within a run.
 */
export async function inRounds<Route extends string, Sample extends Measured = Measured>(
  rounds: number,
  routes: Record<Route, () => Promise<Sample>>,
): Promise<Record<Route, Sample[]>> {
  const names = Object.keys(routes) as Route[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as Sample[]])) as Record<Route, Sample[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) samples[name].push(await routes[name]());
  }
  return samples;
}

/** Each round's req/s of `route` ÷ the baseline's in the same round. */
export function roundRatios(route: Measured[], baseline: Measured[]): number[] {
  return baseline.map((base, round) => route[round].rps / base.rps);
}

/** The sample with the median req/s. */
export function medianOf<Sample extends Measured>(samples: Sample[]): Sample {
  const middle = median(samples.map((sample) => sample.rps));
  return samples.find((sample) => sample.rps === middle)!;
}
