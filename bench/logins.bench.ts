/**
 * Logins, with the service pinned to one core (BENCH_SERVER_CPU, default 0) and the load on another:
 *   1. login ÷ raw argon2id: successful logins per second against raw argon2id verifications per second on the same
 *      core at the same parameters and concurrency (bench/support/raw-argon2.ts), per round;
 *      also the event loop's CPU and wake-ups per login, and its wake-ups per second while idle (5 s after start);
 *   2. whoami p99 during a login storm ÷ idle: whoami (a new token every request) offered at a fixed rate, alone and
 *      then while BENCH_STORM_CONNECTIONS clients offer BENCH_STORM_RATE logins/s (default 300, about ten times what
 *      argon2 answers on one core); and how much of the offered whoami load was served.
 *
 *   npm run bench:logins     # BENCH_WARM_UP_SECONDS (default 20), BENCH_SECONDS (default 5), BENCH_ROUNDS (default 3), BENCH_WHOAMI_RATE (default 1000 req/s)
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { AccessTokenMinter, distinctTokens } from './support/access-tokens.js';
import { loadKnobs, measure } from './support/load.js';
import { cpuSeconds, range, rangeAndMedian, wakeUps } from './support/proc.js';
import { SERVER_CPU, startService } from './support/service.js';

const { seconds, rounds } = loadKnobs({ seconds: 5, rounds: 3, connections: 0 });
const whoamiRate = Number(process.env.BENCH_WHOAMI_RATE ?? 1000);
const stormConnections = Number(process.env.BENCH_STORM_CONNECTIONS ?? 64);
/** Logins offered per second during the storm: ten times what one core's argon2 can answer. */
const stormRate = Number(process.env.BENCH_STORM_RATE ?? 300);
/** The service's own default on one core (cores − 1, at least 1), unless ARGON2_MAX_CONCURRENCY says otherwise. */
const argon2Concurrency = Number(process.env.ARGON2_MAX_CONCURRENCY || 1);
const port = Number(process.env.BENCH_PORT ?? 3996);
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 20);
/** How long the idle service's event-loop wake-ups are counted for. */
const IDLE_SECONDS = 5;

interface RawArgon2 {
  perSecond: number;
  afterVerifyMicros: number;
  repeatedMicros: number;
  afterSweepMicros: number;
}

function rawArgon2(): RawArgon2 {
  const args = ['--import', 'tsx', 'bench/support/raw-argon2.ts'];
  const output = SERVER_CPU ? execFileSync('taskset', ['-c', SERVER_CPU, process.execPath, ...args], { env: { ...process.env, BENCH_ARGON2_CONCURRENCY: String(argon2Concurrency), BENCH_ARGON2_SECONDS: String(seconds) } }) : execFileSync(process.execPath, args);
  return JSON.parse(output.toString()) as RawArgon2;
}

async function main(): Promise<void> {
  const secret = randomBytes(48).toString('base64url');
  const service = await startService(port, {
    ACCESS_TOKEN_SECRET: secret,
    RATE_LIMIT_LOGIN: '1000000',
    LOGIN_PAIR_DELAY_AFTER: '1000',
    LOGIN_PAIR_BLOCK_AFTER: '1000',
    LOGIN_ACCOUNT_DELAY_AFTER: '1000000',
  });
  try {
    // The event loop of an idle service: what wakes it with no request in sight (timers, pollers).
    const idleBefore = wakeUps(service.pid, service.pid);
    await sleep(IDLE_SECONDS * 1000);
    const idleWakeUpsPerSecond = (wakeUps(service.pid, service.pid) - idleBefore) / IDLE_SECONDS;
    const username = `storm_${randomBytes(4).toString('hex')}`;
    const password = `pw-${randomBytes(12).toString('hex')}`;
    await fetch(`${service.base}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${username}@example.com`, username, name: 'Storm', password }),
    });
    const loginRequest: Partial<autocannon.Options> = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: username, password }),
    };
    const logins = (connections: number, duration: number, overallRate?: number) =>
      measure('POST /auth/login', { url: `${service.base}/auth/login`, connections, duration, overallRate, ...loginRequest });

    // 1. login ÷ raw argon2id. As many clients as argon2 slots plus a few, so a slot never waits for a client.
    // At a few dozen logins a second, the code around argon2 is called far less often than a reissue's: it gets longer to warm.
    await logins(argon2Concurrency + 2, WARM_UP_SECONDS);
    // Per round: logins/s, what the event loop spent per login (reads, writes, signing: on one core, argon2 has that
    // much less), and the raw argon2id baseline measured right after.
    const loginRounds: Array<{ rps: number; eventLoopMs: number; wakeUps: number; raw: RawArgon2 }> = [];
    for (let round = 0; round < rounds; round++) {
      const eventLoopBefore = cpuSeconds(service.pid, service.pid);
      const wakeUpsBefore = wakeUps(service.pid, service.pid);
      const login = await logins(argon2Concurrency + 2, seconds);
      if (login.non2xx > 0) throw new Error(`${login.non2xx} logins failed`);
      const answered = login.rps * seconds;
      const eventLoopMs = ((cpuSeconds(service.pid, service.pid) - eventLoopBefore) * 1000) / answered;
      loginRounds.push({ rps: login.rps, eventLoopMs, wakeUps: (wakeUps(service.pid, service.pid) - wakeUpsBefore) / answered, raw: rawArgon2() });
    }
    const rawFigure = (figure: keyof RawArgon2) => loginRounds.map((r) => r.raw[figure]);

    // 2. whoami p99 idle vs during a login storm, at a fixed offered rate.
    const tokens = distinctTokens(new AccessTokenMinter(secret));
    const whoami = () =>
      measure('GET /auth/whoami', { url: `${service.base}/auth/whoami`, connections: 20, overallRate: whoamiRate, duration: seconds, ...tokens });
    await whoami(); // warm-up
    const idle: Array<{ p99: number; served: number }> = [];
    const storm: Array<{ p99: number; served: number; busy: number; logins: number }> = [];
    for (let round = 0; round < rounds; round++) {
      const alone = await whoami();
      idle.push({ p99: alone.p99, served: (alone.rps * seconds - alone.non2xx) / (whoamiRate * seconds) });
      const [during, stormLogins] = await Promise.all([whoami(), logins(stormConnections, seconds, stormRate)]);
      storm.push({
        p99: during.p99,
        served: (during.rps * seconds - during.non2xx) / (whoamiRate * seconds),
        busy: stormLogins.non2xx,
        logins: stormLogins.rps - stormLogins.non2xx / seconds,
      });
    }

    console.log(`\n${rounds} rounds of ${seconds} s, server on CPU ${SERVER_CPU || 'any'}, ARGON2_MAX_CONCURRENCY=${argon2Concurrency}, node ${process.version}\n`);
    console.log(`logins/s ${range(loginRounds.map((r) => r.rps), 1)}; raw argon2id verifications/s ${range(rawFigure('perSecond'), 1)}`);
    console.log(`login ÷ raw argon2id (per round):            ${rangeAndMedian(loginRounds.map((r) => r.rps / r.raw.perSecond))}   (goal ≥ 0.95)`);
    console.log(`event-loop CPU per login (main thread):      ${range(loginRounds.map((r) => r.eventLoopMs))} ms`);
    console.log(`event-loop wake-ups per login:               ${range(loginRounds.map((r) => r.wakeUps), 1)}; idle, before any request: ${idleWakeUpsPerSecond.toFixed(2)} per second`);
    console.log(`16 random bytes + one HMAC, right after an argon2id verification: ${range(rawFigure('afterVerifyMicros'), 1)} µs; repeated at once: ${range(rawFigure('repeatedMicros'), 1)} µs; right after the event loop itself swept as much memory: ${range(rawFigure('afterSweepMicros'), 1)} µs`);
    console.log(`whoami offered at ${whoamiRate} req/s; login storm offered at ${stormRate} req/s by ${stormConnections} clients`);
    console.log(`whoami p99 idle: ${range(idle.map((s) => s.p99), 0)} ms; during the storm: ${range(storm.map((s) => s.p99), 0)} ms`);
    console.log(`whoami p99 storm ÷ idle (per round):          ${rangeAndMedian(storm.map((s, round) => s.p99 / Math.max(1, idle[round].p99)))}   (goal ≤ 3)`);
    console.log(`offered whoami load served: idle ${range(idle.map((s) => s.served * 100), 0)} %, storm ${range(storm.map((s) => s.served * 100), 0)} %`);
    console.log(`during the storm: ${range(storm.map((s) => s.logins), 1)} logins/s answered 200, ${range(storm.map((s) => s.busy), 0)} answered 503 busy per round (of ${stormRate * seconds} offered)`);
  } finally {
    await service.stop();
  }
}

await main();
