/**
 * Raw argon2id verifications, `BENCH_ARGON2_CONCURRENCY` at a time for `BENCH_ARGON2_SECONDS`, at the service's
 * parameters (ARGON2_* or their defaults); prints the verifications per second as JSON. Run pinned to the server core.
 */
import { argon2id, hash, type HashOptions, verify } from 'argon2';

const concurrency = Number(process.env.BENCH_ARGON2_CONCURRENCY ?? 1);
const seconds = Number(process.env.BENCH_ARGON2_SECONDS ?? 5);
const options: HashOptions = {
  type: argon2id,
  memoryCost: Number(process.env.ARGON2_MEMORY_KIB ?? 19456),
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
console.log(JSON.stringify({ perSecond: done / elapsed }));
