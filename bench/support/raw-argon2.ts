/**
 * Raw argon2id verifications, `BENCH_ARGON2_CONCURRENCY` at a time for `BENCH_ARGON2_SECONDS`, at the service's
 * parameters (ARGON2_* or their defaults); prints the verifications per second as JSON. Run pinned to the server core.
 *
 * Then what a small piece of event-loop work (16 random bytes and an HMAC-SHA256, as a token signature needs)
 * costs right after a verification, when argon2id has just filled its memory on this core, against the same work
 * repeated at once, and against the same work right after the event loop itself has written one byte per cache line of
 * as much memory as argon2id fills (cold caches, without a thread pool between): the median microseconds of each
 * (`afterVerifyMicros`, `repeatedMicros`, `afterSweepMicros`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { argon2id, hash, type HashOptions, verify } from 'argon2';
import { median } from './service.js';

const concurrency = Number(process.env.BENCH_ARGON2_CONCURRENCY ?? 1);
const seconds = Number(process.env.BENCH_ARGON2_SECONDS ?? 5);
const memoryKiB = Number(process.env.ARGON2_MEMORY_KIB ?? 19456);
const options: HashOptions = {
  type: argon2id,
  memoryCost: memoryKiB,
  timeCost: Number(process.env.ARGON2_TIME_COST ?? 2),
  parallelism: Number(process.env.ARGON2_PARALLELISM ?? 1),
};
const stored = await hash('correct horse battery staple', options);
for (let i = 0; i < 3; i++) await verify(stored, 'correct horse battery staple'); // warm-up
let done = 0;
const deadline = Date.now() + seconds * 1000;
const started = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline) {
      if (!(await verify(stored, 'correct horse battery staple'))) throw new Error('verification failed');
      done++;
    }
  }),
);
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;

const smallWork = (): number => {
  const start = process.hrtime.bigint();
  createHmac('sha256', randomBytes(16)).update('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0').digest();
  return Number(process.hrtime.bigint() - start) / 1000;
};
const afterVerify: number[] = [];
const repeated: number[] = [];
const afterSweep: number[] = [];
const swept = Buffer.alloc(memoryKiB * 1024);
const CACHE_LINE = 64;
for (let i = 0; i < 50; i++) {
  await verify(stored, 'correct horse battery staple');
  afterVerify.push(smallWork());
  smallWork();
  repeated.push(smallWork());
  for (let at = 0; at < swept.length; at += CACHE_LINE) swept[at]++;
  afterSweep.push(smallWork());
}
console.log(
  JSON.stringify({ perSecond: done / elapsed, afterVerifyMicros: median(afterVerify), repeatedMicros: median(repeated), afterSweepMicros: median(afterSweep) }),
);
