/**
 * Does a forgot-password request take the same time whether an account uses the address or not?
 * Starts the built service (pinned to one core with taskset when it exists), signs up BENCH_FORGOT (default 300)
 * accounts, then alternates forgot requests for a new unknown address and for a not-yet-asked known one (each
 * address once, so the per-address limit never applies), and prints the median of each and their ratio (target
 * 0.9–1.1). The service mails through an SMTP sink in this process, as in production.
 *
 *   npm run bench:forgot            # BENCH_FORGOT requests of each kind; BENCH_SERVER_CPU=0, BENCH_LOAD_CPU=1
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { median, postJson, startService } from './support/service.js';

const count = Number(process.env.BENCH_FORGOT ?? 300);
const serverCpu = process.env.BENCH_SERVER_CPU ?? '0';
const loadCpu = process.env.BENCH_LOAD_CPU ?? '1';
const port = Number(process.env.BENCH_PORT ?? 3997);

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** An SMTP server that accepts and discards every message: delivery costs the service what it costs in production. */
async function smtpSink(): Promise<{ url: string; received: () => number; stop: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      stream.resume();
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  const listener = server.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  return {
    url: `smtp://127.0.0.1:${(listener.address() as AddressInfo).port}`,
    received: () => received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Pins this process, every thread of it, to one core; processes it spawns afterwards inherit that core. */
function pinTo(cpu: string): void {
  if (hasTaskset && cpu) execFileSync('taskset', ['-a', '-p', '-c', cpu, String(process.pid)], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  const smtp = await smtpSink();
  // The service inherits the server core; then this process (load and SMTP sink) moves to the other one.
  pinTo(serverCpu);
  const service = await startService(port, {
    MAIL_URL: smtp.url,
    // Measure the work of the request itself, not the limits in front of it.
    RATE_LIMIT_SIGNUP: '1000000',
    ACCOUNT_MAIL_LIMIT_PER_ADDRESS: '1000',
    ACCOUNT_MAIL_LIMIT_PER_IP: '1000000',
    ACCOUNT_MAIL_LIMIT_WINDOW_SECONDS: '3600',
    // Signup mails nothing: the outbox holds only what the measured requests write.
    EMAIL_VERIFICATION: 'off',
  });
  pinTo(loadCpu);
  try {
    const known: string[] = [];
    for (let i = 0; i < count + 20; i++) {
      const username = `forgot_${randomUUID().slice(0, 8)}`;
      await postJson(`${service.base}/auth/signup`, { email: `${username}@example.com`, username, name: 'Forgot', password: `pw-${randomUUID()}` });
      known.push(`${username}@example.com`);
    }
    const time = async (email: string): Promise<number> => {
      const started = process.hrtime.bigint();
      const res = await fetch(`${service.base}/auth/password/forgot`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`expected 202, got ${res.status}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const unknownAddress = () => `nobody_${randomUUID().slice(0, 8)}@example.com`;
    for (let i = 0; i < 20; i++) {
      await time(unknownAddress()); // warm-up
      await time(known.pop()!);
    }
    const unknown: number[] = [];
    const knownTimes: number[] = [];
    for (let i = 0; i < count; i++) {
      // Alternate which kind goes first, so neither always follows the other.
      if (i % 2 === 0) {
        unknown.push(await time(unknownAddress()));
        knownTimes.push(await time(known.pop()!));
      } else {
        knownTimes.push(await time(known.pop()!));
        unknown.push(await time(unknownAddress()));
      }
    }
    const [u, k] = [median(unknown), median(knownTimes)];
    const pinning = hasTaskset ? `server on CPU ${serverCpu || 'any'}, load on CPU ${loadCpu || 'any'}` : 'unpinned (no taskset)';
    console.log(`\n${count} forgot-password requests of each kind, interleaved (${pinning}; ${process.env.DATABASE_URL ? 'MariaDB' : 'SQLite'})`);
    console.log(`median unknown address: ${u.toFixed(2)} ms`);
    console.log(`median known address:   ${k.toFixed(2)} ms`);
    console.log(`ratio unknown ÷ known:  ${(u / k).toFixed(3)} (target 0.9–1.1)`);
    console.log(`mails accepted by the SMTP sink meanwhile: ${smtp.received()}`);
  } finally {
    await service.stop();
    await smtp.stop();
  }
}

await main();
