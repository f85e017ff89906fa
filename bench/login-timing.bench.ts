/**
 * Does the login answer take the same time whether the account exists or not?
 * Starts the built service, then alternates logins with an unknown username and with a known username
 * and a wrong password, and prints the median time of each and their ratio (target 0.9–1.1).
 *
 *   npm run bench:login            # BENCH_LOGINS (default 200) of each kind
 */
import { randomUUID } from 'node:crypto';
import { median, postJson, startService } from './support/service.js';

const rounds = Number(process.env.BENCH_LOGINS ?? 200);

async function main(): Promise<void> {
  // Measure the credential check itself, not the throttles in front of it.
  const service = await startService(Number(process.env.BENCH_PORT ?? 3998), {
    RATE_LIMIT_LOGIN: '1000000',
    LOGIN_PAIR_DELAY_AFTER: '1000',
    LOGIN_PAIR_BLOCK_AFTER: '1000',
    LOGIN_ACCOUNT_DELAY_AFTER: '1000000',
  });
  try {
    const username = `timing_${randomUUID().slice(0, 8)}`;
    await postJson(`${service.base}/auth/signup`, { email: `${username}@example.com`, username, name: 'Timing', password: `pw-${randomUUID()}` });
    const time = async (body: { login: string; password: string }): Promise<number> => {
      const started = process.hrtime.bigint();
      const res = await fetch(`${service.base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      if (res.status !== 401) throw new Error(`expected 401, got ${res.status}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    for (let i = 0; i < 10; i++) await time({ login: `nobody_${i}`, password: 'not-the-password' }); // warm-up
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < rounds; i++) {
      unknown.push(await time({ login: `nobody_${randomUUID().slice(0, 8)}`, password: 'not-the-password' }));
      wrong.push(await time({ login: username, password: 'not-the-password' }));
    }
    const [u, w] = [median(unknown), median(wrong)];
    console.log(`\n${rounds} logins of each kind, argon2id m=${process.env.ARGON2_MEMORY_KIB ?? 19456} KiB t=${process.env.ARGON2_TIME_COST ?? 2}`);
    console.log(`median unknown user:   ${u.toFixed(1)} ms`);
    console.log(`median wrong password: ${w.toFixed(1)} ms`);
    console.log(`ratio unknown ÷ wrong: ${(u / w).toFixed(3)} (target 0.9–1.1)`);
  } finally {
    await service.stop();
  }
}

await main();
