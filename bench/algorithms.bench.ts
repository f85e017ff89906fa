/**
 * What each access-token algorithm costs a protected route, in one run. For HS256, ES256, EdDSA and RS256 in turn
 * the built service is started with a freshly generated fixed key, and autocannon measures in alternating rounds:
 *   - GET /health                                    — the baseline
 *   - GET /auth/whoami, the same token every time     — verified once, then served from the strategy's memo
 *   - GET /auth/whoami, another valid token each time — BENCH_TOKENS (default 12,000, more than the memo's 10,000)
 *     tokens signed here with the service's key, sent round-robin, so every request pays a full verification.
 * All three send the same kind of request (a bearer header set per request; /health ignores it), so the load
 * generator does the same work for each and only the service's differs.
 * Then, without HTTP, µs per signature and per verification with src's own signers and verifiers.
 *
 *   npm run bench:algorithms
 *   BENCH_ALGS=HS256,EdDSA npm run bench:algorithms
 *
 * BENCH_SECONDS (default 2 per round), BENCH_ROUNDS (default 5) and BENCH_CONNECTIONS (default 50) tune the load.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { signEdDsa, verifyEdDsa } from '../src/tokens/eddsa-jws.js';
import { ACCESS_TOKEN_ALGORITHMS, type AccessTokenAlgorithm, generateKeyMaterial, serializeKeyMaterial } from '../src/tokens/keys/key-material.js';
import { type TokenKey, tokenKey } from '../src/tokens/keys/token-key.js';
import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from '../src/tokens/token-claims.js';
import { VerifiedTokenCache } from '../src/tokens/verified-token-cache.js';
import { inRounds, loadKnobs, type Measured, measure, medianOf, roundRatios } from './support/load.js';
import { median, signUp, startService } from './support/service.js';

const { seconds, rounds, connections } = loadKnobs({ seconds: 2, rounds: 5, connections: 50 });
const tokenCount = Number(process.env.BENCH_TOKENS ?? 12_000);
/** Each algorithm's service gets its own port: a stopped one may still be closing while the next starts. */
const firstPort = Number(process.env.BENCH_PORT ?? 3990);
const algorithms = selectedAlgorithms(process.env.BENCH_ALGS);
/** Per round and algorithm, in the in-process figures. */
const SIGNATURES = 500;
const VERIFICATIONS = 2_000;

/** One algorithm's key and the distinct tokens signed with it. */
interface Signer {
  algorithm: AccessTokenAlgorithm;
  key: TokenKey;
  tokens: string[];
  claims: AccessTokenClaims;
}

interface ServiceFigures {
  /** Not reported, but their non-2xx answers count too. */
  warmUp: Measured[];
  health: Measured[];
  same: Measured[];
  fresh: Measured[];
}

interface MicroFigures {
  signMicros: number;
  verifyMicros: number;
}

async function main(): Promise<void> {
  checkEveryRequestMisses();
  const measured: Array<Signer & ServiceFigures> = [];
  for (const [index, algorithm] of algorithms.entries()) measured.push(await measureService(algorithm, firstPort + index));
  // "÷ HS256" needs HS256's in-process figures even when BENCH_ALGS leaves its service out.
  const signers: Signer[] = measured.some((run) => run.algorithm === 'HS256') ? measured : [...measured, signer(generatedKey('HS256'), measured[0].claims)];
  report(measured, measureInProcess(signers));
}

async function measureService(algorithm: AccessTokenAlgorithm, port: number): Promise<Signer & ServiceFigures> {
  const material = generateKeyMaterial(algorithm);
  // An empty variable counts as unset: an asymmetric algorithm gets its private key and no HMAC secret.
  const keyEnv: Record<string, string> =
    material.algorithm === 'HS256'
      ? { ACCESS_TOKEN_SECRET: material.secret }
      : { ACCESS_TOKEN_SECRET: '', ACCESS_TOKEN_PRIVATE_KEY: serializeKeyMaterial(material) };
  // A long TTL keeps the minted tokens valid however long BENCH_SECONDS × BENCH_ROUNDS makes the run.
  const service = await startService(port, { ACCESS_TOKEN_ALG: algorithm, ACCESS_TOKEN_TTL_SECONDS: '86400', ...keyEnv });
  try {
    const { accessToken } = await (await signUp(service.base)).login();
    const started = performance.now();
    const minted = signer(tokenKey('access', material), claimsOf(accessToken));
    console.log(`${algorithm}: ${minted.tokens.length} tokens signed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (headerOf(accessToken).kid !== minted.key.kid) throw new Error(`${algorithm}: the service does not sign with the key it was given`);
    await expectAccepted(service.base, minted.tokens);

    const whoami = `${service.base}/auth/whoami`;
    const same = bearerRequests([accessToken]);
    const fresh = bearerRequests(minted.tokens);
    const run = (name: string, url: string, requests: autocannon.Request[]) => measure(name, { url, requests, connections, duration: seconds });
    const warmUp = [await run('warm-up', `${service.base}/health`, same), await run('warm-up', whoami, same), await run('warm-up', whoami, fresh)];
    const figures = await inRounds(rounds, {
      health: () => run('GET /health', `${service.base}/health`, same),
      same: () => run('GET /auth/whoami, same token', whoami, same),
      fresh: () => run('GET /auth/whoami, fresh tokens', whoami, fresh),
    });
    return { ...minted, warmUp, ...figures };
  } finally {
    await service.stop();
  }
}

/** One request definition that sends the next token of `tokens` on every request, round-robin across connections. */
function bearerRequests(tokens: string[]): autocannon.Request[] {
  let next = 0;
  return [{ method: 'GET', setupRequest: (request) => ({ ...request, headers: { authorization: `Bearer ${tokens[next++ % tokens.length]}` } }) }];
}

/** The login token's claims, re-signed `tokenCount` times with a fresh `jti` each: distinct tokens the service accepts. */
function signer(key: TokenKey, claims: AccessTokenClaims): Signer {
  const tokens = Array.from({ length: tokenCount }, () => sign(key, { ...claims, jti: randomBytes(16).toString('base64url') }));
  return { algorithm: key.algorithm, key, tokens, claims };
}

/** As TokenSigner signs: jsonwebtoken with the KeyObject, or node:crypto for EdDSA. */
function sign(key: TokenKey, claims: AccessTokenClaims): string {
  if (key.algorithm === 'EdDSA') return signEdDsa(claims, { typ: ACCESS_TOKEN_TYPE, kid: key.kid }, key.signKey);
  return jwt.sign(claims, key.signKey, { algorithm: key.algorithm, header: { alg: key.algorithm, typ: ACCESS_TOKEN_TYPE, kid: key.kid } });
}

/** As TokenSigner verifies: signature, issuer, audience and expiry, with the public KeyObject (the secret for HS256). */
function verify(key: TokenKey, token: string, claims: AccessTokenClaims): void {
  const checks = { issuer: claims.iss, audience: claims.aud };
  if (key.algorithm === 'EdDSA') verifyEdDsa(token, key.verifyKey, { ...checks, algorithms: ['EdDSA'] });
  else jwt.verify(token, key.verifyKey, { ...checks, algorithms: [key.algorithm] });
}

/** µs per signature and per verification, algorithms alternating within each round; the median round of each. */
function measureInProcess(signers: Signer[]): Map<AccessTokenAlgorithm, MicroFigures> {
  const micros = (operations: number, work: () => void): number => {
    const started = performance.now();
    work();
    return ((performance.now() - started) * 1000) / operations;
  };
  const samples = new Map(signers.map((s) => [s.algorithm, { sign: [] as number[], verify: [] as number[] }]));
  for (let round = -1; round < rounds; round++) {
    for (const { algorithm, key, tokens, claims } of signers) {
      // Round -1 warms up; the others verify tokens none of them verified before.
      const first = ((round + 1) * VERIFICATIONS) % tokens.length;
      const batch = tokens.slice(first, first + VERIFICATIONS);
      const signMicros = micros(SIGNATURES, () => {
        for (let i = 0; i < SIGNATURES; i++) sign(key, { ...claims, jti: randomBytes(16).toString('base64url') });
      });
      const verifyMicros = micros(batch.length, () => {
        for (const token of batch) verify(key, token, claims);
      });
      if (round < 0) continue;
      samples.get(algorithm)!.sign.push(signMicros);
      samples.get(algorithm)!.verify.push(verifyMicros);
    }
  }
  return new Map([...samples].map(([algorithm, s]) => [algorithm, { signMicros: median(s.sign), verifyMicros: median(s.verify) }]));
}

/** A sample of the minted tokens, spread over the whole list, must be accepted before any of them is measured. */
async function expectAccepted(base: string, tokens: string[]): Promise<void> {
  const step = Math.floor(tokens.length / 20);
  for (let i = 0; i < tokens.length; i += step) {
    const res = await fetch(`${base}/auth/whoami`, { headers: { authorization: `Bearer ${tokens[i]}` } });
    if (res.status !== 200) throw new Error(`minted token ${i} answered ${res.status}: ${await res.text()}`);
  }
}

/**
 * The strategy keeps verified tokens in a VerifiedTokenCache of the default size, evicting the oldest first: cycling
 * through more distinct tokens than it holds evicts each one before its turn comes again, so every request misses.
 */
function checkEveryRequestMisses(): void {
  const memo = new VerifiedTokenCache<{ exp: number }>();
  for (let i = 0; i < tokenCount; i++) memo.set(String(i), { exp: Number.MAX_SAFE_INTEGER });
  if (memo.get('0')) throw new Error(`BENCH_TOKENS=${tokenCount} fits in the verified-token memo: tokens would be served from it`);
}

function claimsOf(token: string): AccessTokenClaims {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as AccessTokenClaims;
}

function headerOf(token: string): { kid?: string } {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { kid?: string };
}

function generatedKey(algorithm: AccessTokenAlgorithm): TokenKey {
  return tokenKey('access', generateKeyMaterial(algorithm));
}

function selectedAlgorithms(list: string | undefined): AccessTokenAlgorithm[] {
  if (!list) return [...ACCESS_TOKEN_ALGORITHMS];
  const names = list.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(ACCESS_TOKEN_ALGORITHMS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_ALGS: unknown ${unknown.join(', ')}; choose from ${ACCESS_TOKEN_ALGORITHMS.join(', ')}`);
  return names as AccessTokenAlgorithm[];
}

function report(measured: Array<Signer & ServiceFigures>, micro: Map<AccessTokenAlgorithm, MicroFigures>): void {
  const reference = micro.get('HS256')!.verifyMicros;
  console.log(
    `\n${connections} connections, median of ${rounds} rounds of ${seconds} s, ${tokenCount} distinct tokens per algorithm,` +
      ` node ${process.version}, ${availableParallelism()} CPUs\n`,
  );
  console.log('algorithm   whoami same token ÷ health   whoami fresh token ÷ health   µs/verify   µs/sign   verify cost ÷ HS256');
  for (const run of measured) {
    const { signMicros, verifyMicros } = micro.get(run.algorithm)!;
    const same = median(roundRatios(run.same, run.health));
    const fresh = median(roundRatios(run.fresh, run.health));
    console.log(
      `${run.algorithm.padEnd(9)} ${same.toFixed(2).padStart(26)} ${fresh.toFixed(2).padStart(29)} ${verifyMicros.toFixed(1).padStart(11)}` +
        ` ${signMicros.toFixed(1).padStart(9)} ${(verifyMicros / reference).toFixed(2).padStart(21)}`,
    );
  }

  console.log('\nmedian req/s (p99 ms)   health          same token      fresh tokens    non-2xx');
  let failures = 0;
  for (const run of measured) {
    const cells = [run.health, run.same, run.fresh].map((samples) => {
      const m = medianOf(samples);
      return `${m.rps.toFixed(0).padStart(6)} (${m.p99.toFixed(1)})`.padEnd(15);
    });
    const non2xx = [...run.warmUp, ...run.health, ...run.same, ...run.fresh].reduce((sum, sample) => sum + sample.non2xx, 0);
    failures += non2xx;
    console.log(`${run.algorithm.padEnd(23)} ${cells.join(' ')} ${String(non2xx).padStart(7)}`);
  }
  for (const run of measured) {
    const perRound = (samples: Measured[]) => roundRatios(samples, run.health).map((ratio) => ratio.toFixed(2)).join(' ');
    console.log(`${run.algorithm} ratios per round — same: ${perRound(run.same)}; fresh: ${perRound(run.fresh)}`);
  }
  // A ratio's reciprocal is a request's cost in /health requests, so their difference is what a memo miss adds:
  // the verification itself plus the Passport path a hit skips.
  const missCosts = new Map(
    measured.map((run) => {
      const same = roundRatios(run.same, run.health);
      return [run.algorithm, median(roundRatios(run.fresh, run.health).map((fresh, round) => 1 / fresh - 1 / same[round]))];
    }),
  );
  const hs256 = missCosts.get('HS256');
  const missCells = [...missCosts].map(([algorithm, cost]) => `${algorithm} ${cost.toFixed(2)}${hs256 ? ` (÷ HS256 ${(cost / hs256).toFixed(1)})` : ''}`);
  console.log(`
a memo miss adds, in /health requests (median of rounds): ${missCells.join(', ')}`);
  if (failures > 0) {
    console.error(`\n${failures} requests were not answered 2xx: the figures above are not valid`);
    process.exitCode = 1;
  }
}

await main();
