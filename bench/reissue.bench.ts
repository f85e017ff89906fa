/**
 * POST /auth/refresh: CPU per reissue and throughput, with 1k and with 1M refresh tokens stored, in one run.
 * Two services run pinned to one core (BENCH_SERVER_CPU, default 0), one per table size, seeded by
 * bench/seed-refresh-tokens.ts; rounds alternate between them, so the ratio compares measurements seconds apart.
 * CPU per reissue is the server process's user + system time (/proc) ÷ the reissues it answered.
 *
 *   npm run bench:reissue                                                  # SQLite
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/bench npm run bench:reissue   # MariaDB (databases <name>_1000, <name>_1000000)
 *
 * BENCH_VERBOSE=1 also prints each round's CPU per reissue.
 * BENCH_SIZES (default 1000,1000000), BENCH_WARM_UP_SECONDS (default 15, per service), BENCH_SECONDS (default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 20).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { loadKnobs, type Measured, measure } from './support/load.js';
import { cpuSeconds, range } from './support/proc.js';
import { type RunningService, signUp, startService } from './support/service.js';
import { seedRefreshTokens } from './seed-refresh-tokens.js';

const { seconds, rounds, connections } = loadKnobs({ seconds: 5, rounds: 3, connections: 20 });
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 15);
const sizes = (process.env.BENCH_SIZES ?? '1000,1000000').split(',').map(Number);
const mysqlUrl = process.env.DATABASE_URL;
const firstPort = Number(process.env.BENCH_PORT ?? 3990);
const THROTTLES_OFF = {
  RATE_LIMIT_LOGIN: '1000000',
  RATE_LIMIT_REFRESH: '1000000',
  LOGIN_PAIR_DELAY_AFTER: '1000',
  LOGIN_PAIR_BLOCK_AFTER: '1000',
  LOGIN_ACCOUNT_DELAY_AFTER: '1000000',
};

interface Sized {
  size: number;
  service: RunningService;
  pool: string[];
  login: () => Promise<{ refreshToken: string }>;
}

/** A migrated, seeded database of `size` tokens and a service on it. */
async function prepare(size: number, port: number): Promise<Sized> {
  const started = Date.now();
  let env: Record<string, string> = { ...THROTTLES_OFF };
  if (mysqlUrl) {
    const url = new URL(mysqlUrl);
    const name = `${url.pathname.slice(1)}_${size}`;
    const admin = await mysql.createConnection({ uri: `${url.protocol}//${url.username}${url.password ? `:${url.password}` : ''}@${url.host}/` });
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    url.pathname = `/${name}`;
    env = { ...env, DATABASE_URL: url.toString() };
  }
  // First start: migrations run; then the service stops while the rows go in, and starts again on them.
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-bench-reissue-'));
  await (await startService(port, env, dataDir)).stop();
  await seedRefreshTokens(size, env.DATABASE_URL ?? join(dataDir, 'auth.sqlite'));
  const service = await startService(port, env, dataDir);
  console.log(`${size} tokens seeded and service started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // One live session per connection: a request spends its session's current token, the response brings the next.
  const account = await signUp(service.base);
  return { size, service, pool: [], login: account.login };
}

/**
 * Statements the MariaDB/MySQL server has run so far (its `Questions` counter, which counts every client's, this
 * query included): the difference across a round ÷ its reissues is the statements of one reissue.
 */
async function statementsSoFar(): Promise<number | undefined> {
  if (!mysqlUrl) return undefined;
  const connection = await mysql.createConnection({ uri: mysqlUrl.replace(/\/[^/]*$/, '/') });
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Questions'");
    return Number(rows[0].Value);
  } finally {
    await connection.end();
  }
}

type Reissued = Measured & { cpuMsPerRequest: number; statementsPerRequest?: number };

async function reissue({ service, pool, login }: Sized, duration: number): Promise<Reissued> {
  // Requests in flight when a run stops take their session's token with them: open sessions for the missing ones.
  while (pool.length < connections) pool.push((await login()).refreshToken);
  const statuses = new Map<number, number>();
  const statementsBefore = await statementsSoFar();
  const cpuBefore = cpuSeconds(service.pid);
  const measured = await measure('POST /auth/refresh', {
    url: `${service.base}/auth/refresh`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({ ...request, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: pool.shift() }) }),
        onResponse: (status, body) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 200) pool.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
        },
      },
    ],
  });
  const cpu = cpuSeconds(service.pid) - cpuBefore;
  const statementsAfter = await statementsSoFar();
  const ok = statuses.get(200) ?? 0;
  if (ok === 0 || measured.non2xx > 0) throw new Error(`reissue answers: ${JSON.stringify(Object.fromEntries(statuses))}`);
  // Less the SHOW that read the counter before.
  const statements = statementsBefore === undefined || statementsAfter === undefined ? undefined : statementsAfter - statementsBefore - 1;
  return { ...measured, cpuMsPerRequest: (cpu * 1000) / ok, statementsPerRequest: statements === undefined ? undefined : statements / ok };
}

async function main(): Promise<void> {
  const prepared: Sized[] = [];
  try {
    for (const [index, size] of sizes.entries()) prepared.push(await prepare(size, firstPort + index));
    // The first seconds of traffic cost up to twice what the code costs once V8 has optimised it.
    for (const sized of prepared) await reissue(sized, WARM_UP_SECONDS);
    const samples = new Map<number, Reissued[]>(sizes.map((size) => [size, []]));
    for (let round = 0; round < rounds; round++) {
      for (const sized of prepared) samples.get(sized.size)!.push(await reissue(sized, seconds));
    }
    if (process.env.BENCH_VERBOSE) {
      for (const [size, list] of samples) console.log(`${size} tokens stored, CPU per reissue by round: ${list.map((s) => s.cpuMsPerRequest.toFixed(3)).join(', ')} ms`);
    }
    const driver = mysqlUrl ? 'MariaDB/MySQL' : 'SQLite';
    console.log(`\n${connections} connections, ${rounds} rounds of ${seconds} s, ${driver}, server on CPU ${process.env.BENCH_SERVER_CPU ?? '0'}, node ${process.version}\n`);
    for (const [size, list] of samples) {
      console.log(
        `${String(size).padStart(8)} tokens stored: ${range(list.map((s) => s.rps), 0)} req/s, ` +
          `CPU ${range(list.map((s) => s.cpuMsPerRequest), 3)} ms per reissue (≈ ${range(list.map((s) => 1000 / s.cpuMsPerRequest), 0)} req/s per core), p99 ${range(list.map((s) => s.p99), 0)} ms` +
          (mysqlUrl ? `, ${range(list.map((s) => s.statementsPerRequest ?? NaN), 2)} statements per reissue` : ''),
      );
    }
    if (sizes.length === 2) {
      const [small, large] = sizes.map((size) => samples.get(size)!);
      console.log(`\nreissue/s with ${sizes[1]} ÷ with ${sizes[0]} (per round): ${range(large.map((s, round) => s.rps / small[round].rps))}   (goal ≥ 0.95)`);
    }
  } finally {
    for (const sized of prepared) {
      await sized.service.stop();
      rmSync(sized.service.dataDir, { recursive: true, force: true });
    }
  }
}

await main();
