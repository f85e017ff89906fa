import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/common/error-codes.js';
import { signupAndLogin, type TokenPair } from './support/flows.js';
import { listen } from './support/hostile.js';
import { createTestApp, newUser, type TestApp } from './support/test-app.js';

/**
 * A bounded, seeded fuzz of the auth routes: valid requests mutated at the byte, value, key and header level,
 * sent 20 at a time. Nothing may answer 5xx, and every 4xx must be in the one error shape.
 * Reproduce a run with FUZZ_SEED=<seed printed below> (tokens differ from run to run; the mutations do not).
 */

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2400);
const BATCH = 200;
const CONCURRENCY = 20;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 32) >>> 0;

/** mulberry32: a tiny, fast, seedable PRNG with a 2^32 period; plenty for picking mutations. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/** JSON text emitted verbatim (numbers JSON.stringify cannot write, deep nesting). */
class Raw {
  constructor(readonly text: string) {}
}
/** An object as a list of entries, so keys can repeat. */
class Entries {
  constructor(readonly entries: Array<[string, unknown]>) {}
}

function serialize(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Entries) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${serialize(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (value !== null && typeof value === 'object') return serialize(new Entries(Object.entries(value)));
  return JSON.stringify(value) ?? 'null';
}

interface FuzzRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  body?: Entries | Buffer | string;
  /** What was done to it, for the report. */
  ops: string[];
}

interface Context {
  user: { username: string; email: string; password: string };
  pairs: TokenPair[];
  pwUser: { password: string };
  pwPair: TokenPair;
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/json, text/plain',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'json',
  ' ',
  'application/json; charset="',
  'application/json; boundary=' + 'b'.repeat(200),
];

const UNKNOWN_KEYS = ['__proto__', 'constructor', 'prototype', 'roles', 'isAdmin', 'id', 'toString', '', ' ', '\u0000', 'a'.repeat(300)];

const HUGE_NUMBERS = ['1e999', '-1e999', '1E+400', '123456789012345678901234567890', '-0', '0.0000000000000000000000000001', '9007199254740993', '1e-400', '-1.7976931348623157e308'];

const GARBAGE_CHARS = [
  '\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u00a0', '\u00ad', '\u200b', '\u200d', '\u202e', '\u2028', '\ufeff', '\uffff', '\ufffd',
  '\ud800', '\udfff', '\u0301', '\u{1f600}', '\u{10ffff}', '\u{e0041}', 'İ', 'ß', 'ﬁ', 'Ａ', '＠', '"', '\\', '\'', '<', '%', '%00', '${', '{{',
];

function garbageString(rng: Rng): string {
  const length = rng.pick([1, 2, 5, 20, 100, 300]);
  let text = '';
  for (let i = 0; i < length; i++) {
    text += rng.chance(0.6) ? rng.pick(GARBAGE_CHARS) : String.fromCodePoint(rng.chance(0.8) ? rng.int(0x20, 0xffff) : rng.int(0x10000, 0x10ffff));
  }
  return text;
}

function nested(rng: Rng): Raw {
  const depth = rng.pick([10, 100, 1000, 1000, 2500, 5000, 7000]);
  if (rng.chance(0.5)) return new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`);
  const objectDepth = Math.min(depth, 2600);
  return new Raw(`${'{"a":'.repeat(objectDepth)}1${'}'.repeat(objectDepth)}`);
}

function otherValue(rng: Rng, original: unknown): unknown {
  const choices: Array<() => unknown> = [
    () => rng.int(-1000, 1000),
    () => new Raw(rng.pick(HUGE_NUMBERS)),
    () => rng.chance(0.5),
    () => null,
    () => [],
    () => ({}),
    () => [original],
    () => ({ value: original }),
    () => '',
    () => ' '.repeat(rng.int(1, 10)),
    () => 'x'.repeat(rng.pick([129, 255, 4097, 10 * 1024, 15 * 1024])),
    () => garbageString(rng),
    () => (typeof original === 'string' ? `${original}${garbageString(rng)}` : garbageString(rng)),
    () => nested(rng),
    () => ({ $ne: null }),
    () => ({ $gt: '' }),
  ];
  return rng.pick(choices)();
}

/** Flips characters of a token: inside the signature, the payload, or a dot. */
function mutateToken(rng: Rng, token: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
  switch (rng.int(0, 6)) {
    case 0: {
      const i = rng.int(0, token.length - 1);
      return `${token.slice(0, i)}${rng.pick([...alphabet])}${token.slice(i + 1)}`;
    }
    case 1:
      return token.slice(0, rng.int(0, token.length - 1));
    case 2:
      return `${token}${rng.pick(['.', '..', 'x', '=', '.e30'])}`;
    case 3: {
      const [header, payload] = token.split('.');
      return `${header}.${payload}.`;
    }
    case 4: {
      const parts = token.split('.');
      return [parts[0], parts[1], rng.pick(['', 'AAAA', parts[2]?.split('').reverse().join('') ?? ''])].join('.');
    }
    case 5:
      return 'eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.' + token.split('.')[1] + '.';
    default:
      return token;
  }
}

function authorizationValue(rng: Rng, token: string): string | undefined {
  switch (rng.int(0, 9)) {
    case 0:
      return undefined;
    case 1:
      return `Bearer ${mutateToken(rng, token)}`;
    case 2:
      return `bearer  ${token}`;
    case 3:
      return `Basic ${Buffer.from('a:b').toString('base64')}`;
    case 4:
      return `Bearer ${token} ${token}`;
    case 5:
      return 'Bearer ' + 'A'.repeat(rng.pick([10, 1000, 8000]));
    case 6:
      return rng.pick(['Bearer', 'Bearer ', '', ' ', 'Token', 'Bearer null', 'Bearer undefined', 'Bearer {}']);
    default:
      return `Bearer ${rng.chance(0.6) ? token : mutateToken(rng, token)}`;
  }
}

function cookieValue(rng: Rng, token: string): string | undefined {
  switch (rng.int(0, 6)) {
    case 0:
      return undefined;
    case 1:
      return `refresh_token=${mutateToken(rng, token)}`;
    case 2:
      return `refresh_token=${token}; refresh_token=${mutateToken(rng, token)}`;
    case 3:
      return rng.pick(['refresh_token=', 'refresh_token=%E0%A4%A', 'refresh_token="', '=;=;', ';;;', 'a=b'.repeat(200), 'refresh_token=%00']);
    case 4:
      return `refresh_token=${encodeURIComponent(sendable(mutateToken(rng, token)))}; other=${'x'.repeat(rng.int(0, 3000))}`;
    default:
      return `refresh_token=${token}`;
  }
}

/** The valid request a mutation starts from. */
function baseRequest(rng: Rng, ctx: Context): FuzzRequest {
  const pair = rng.pick(ctx.pairs);
  const json = { 'content-type': 'application/json' };
  const route = rng.pick(['signup', 'signup', 'login', 'refresh', 'refresh', 'logout', 'whoami', 'whoami', 'sessions', 'sessions', 'password'] as const);
  switch (route) {
    case 'signup': {
      // Mostly the existing user's email and username: answered 409 before any argon2 hash unless a mutation breaks it first.
      const fresh = rng.chance(0.08);
      const tag = randomUUID().slice(0, 8);
      const body = fresh
        ? { email: `fz-${tag}@example.com`, username: `fz_${tag}`, name: `Fuzz ${tag}`, password: `pw-${randomUUID()}` }
        : { email: ctx.user.email, username: ctx.user.username, name: 'Fuzz', password: `pw-${randomUUID()}` };
      return { method: 'POST', path: '/auth/signup', headers: json, body: new Entries(Object.entries(body)), ops: [fresh ? 'signup(fresh)' : 'signup(taken)'] };
    }
    case 'login': {
      const login = rng.chance(0.5) ? ctx.user.username : ctx.user.email;
      const password = rng.chance(0.3) ? ctx.user.password : `wrong-${rng.int(0, 1e6)}`;
      return { method: 'POST', path: '/auth/login', headers: json, body: new Entries([['login', login], ['password', password]]), ops: ['login'] };
    }
    case 'refresh':
    case 'logout': {
      const path = `/auth/${route}`;
      const where = rng.int(0, 2);
      if (where === 0) return { method: 'POST', path, headers: json, body: new Entries([['refreshToken', pair.refreshToken]]), ops: [`${route}(body)`] };
      if (where === 1) return { method: 'POST', path, headers: { cookie: `refresh_token=${pair.refreshToken}` }, ops: [`${route}(cookie)`] };
      return { method: 'POST', path, headers: { authorization: `Bearer ${pair.refreshToken}` }, ops: [`${route}(bearer)`] };
    }
    case 'whoami':
    case 'sessions':
      return { method: 'GET', path: `/auth/${route}`, headers: { authorization: `Bearer ${pair.accessToken}` }, ops: [route] };
    case 'password':
      return {
        method: 'PATCH',
        path: '/users/me/password',
        headers: { ...json, authorization: `Bearer ${ctx.pwPair.accessToken}` },
        body: new Entries([
          ['currentPassword', rng.chance(0.5) ? ctx.pwUser.password : 'not-the-password'],
          ['newPassword', ctx.pwUser.password],
        ]),
        ops: ['password'],
      };
  }
}

/** One to three mutations of the request: body bytes, values, keys, headers. */
function mutate(rng: Rng, request: FuzzRequest): FuzzRequest {
  const headers = { ...request.headers };
  let body = request.body;
  const ops = [...request.ops];
  const count = rng.chance(0.04) ? 0 : rng.int(1, 3);
  for (let n = 0; n < count; n++) {
    const op = rng.int(0, 13);
    const entries = body instanceof Entries ? body.entries.map(([k, v]): [string, unknown] => [k, v]) : undefined;
    switch (op) {
      case 0:
      case 1: {
        // Byte level: flip, insert, delete, truncate.
        if (body === undefined && rng.chance(0.8)) headers['content-type'] = 'application/json';
        const bytes = Buffer.from(body instanceof Entries ? serialize(body) : (body ?? '{}'));
        const i = bytes.length ? rng.int(0, bytes.length - 1) : 0;
        const kind = rng.int(0, 3);
        if (kind === 0 && bytes.length) bytes[i] ^= 1 << rng.int(0, 7);
        const insert = Buffer.from([rng.pick([0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0xff, 0xc0, 0xed, 0x80, rng.int(0, 255)])]);
        body =
          kind === 0 ? bytes
          : kind === 1 ? Buffer.concat([bytes.subarray(0, i), insert, bytes.subarray(i)])
          : kind === 2 ? Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + rng.int(1, 4))])
          : bytes.subarray(0, i);
        ops.push(['flip', 'insert', 'delete', 'truncate'][kind] + `@${i}`);
        break;
      }
      case 2:
      case 3:
        if (entries?.length) {
          const i = rng.int(0, entries.length - 1);
          entries[i] = [entries[i][0], otherValue(rng, entries[i][1])];
          body = new Entries(entries);
          ops.push(`swap:${entries[i][0]}`);
        }
        break;
      case 4:
        if (entries?.length) {
          const [dropped] = entries.splice(rng.int(0, entries.length - 1), 1);
          body = new Entries(entries);
          ops.push(`drop:${dropped[0]}`);
        }
        break;
      case 5:
        if (entries?.length) {
          const [key, value] = rng.pick(entries);
          entries.splice(rng.int(0, entries.length), 0, [key, rng.chance(0.5) ? value : otherValue(rng, value)]);
          body = new Entries(entries);
          ops.push(`dup:${key}`);
        }
        break;
      case 6:
        if (entries) {
          const key = rng.pick(UNKNOWN_KEYS);
          entries.push([key, rng.chance(0.5) ? { roles: ['admin'] } : otherValue(rng, 'x')]);
          body = new Entries(entries);
          ops.push(`extra-key:${JSON.stringify(key).slice(0, 20)}`);
        }
        break;
      case 7:
        if (entries?.length) {
          const i = rng.int(0, entries.length - 1);
          entries[i] = [entries[i][0], nested(rng)];
          body = new Entries(entries);
          ops.push(`nest:${entries[i][0]}`);
        } else {
          if (body === undefined) headers["content-type"] = "application/json";
          body = serialize(nested(rng));
          ops.push('nest:body');
        }
        break;
      case 8:
        if (body === undefined && rng.chance(0.8)) headers['content-type'] = 'application/json';
        body = rng.pick(['[]', '"x"', '42', 'null', 'true', '{}', '[{}]', '', ' ', '\u0000', serialize(nested(rng)), rng.pick(HUGE_NUMBERS)]);
        ops.push('body-type');
        break;
      case 9:
        headers['content-type'] = rng.pick(CONTENT_TYPES);
        ops.push(`ct:${headers['content-type'].slice(0, 30)}`);
        break;
      case 10: {
        const token = headers.authorization?.replace(/^Bearer /, '') ?? 'x.y.z';
        const value = authorizationValue(rng, token);
        if (value === undefined) delete headers.authorization;
        else headers.authorization = value;
        ops.push('authz');
        break;
      }
      case 11: {
        const current = /refresh_token=([^;]*)/.exec(headers.cookie ?? '')?.[1] ?? (entries?.find(([k]) => k === 'refreshToken')?.[1] as string | undefined) ?? 'x.y.z';
        const value = cookieValue(rng, typeof current === 'string' ? current : 'x.y.z');
        if (value === undefined) delete headers.cookie;
        else headers.cookie = value;
        ops.push('cookie');
        break;
      }
      case 12:
        if (entries?.length) {
          const i = rng.int(0, entries.length - 1);
          const value = entries[i][1];
          entries[i] = [entries[i][0], typeof value === 'string' ? `${value}${garbageString(rng)}` : garbageString(rng)];
          body = new Entries(entries);
          ops.push(`unicode:${entries[i][0]}`);
        }
        break;
      default:
        if (request.method === 'GET') {
          body = serialize(new Entries([['x', otherValue(rng, 'y')]]));
          headers['content-type'] = 'application/json';
          ops.push('get-body');
        } else {
          delete headers['content-type'];
          ops.push('no-ct');
        }
    }
  }
  return { ...request, headers, body, ops };
}

/** Header values Node would refuse to send are made printable: the fuzz is about the server, not the client. */
function sendable(value: string): string {
  return value.replace(/[^\t\x20-\x7e]/g, '?');
}

interface Outcome {
  status: number;
  text: string;
  request: FuzzRequest;
}

function send(port: number, agent: Agent, request: FuzzRequest): Promise<Outcome> {
  const body = request.body instanceof Entries ? Buffer.from(serialize(request.body)) : request.body === undefined ? undefined : Buffer.from(request.body);
  const headers: Record<string, string> = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, sendable(v)]));
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), request }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

async function pool<T, R>(items: T[], limit: number, worker: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await worker(items[i]);
      }
    }),
  );
  return results;
}

function describeRequest(request: FuzzRequest): string {
  const body = request.body instanceof Entries ? serialize(request.body) : typeof request.body === 'string' ? request.body : request.body?.toString('latin1');
  return `${request.method} ${request.path} [${request.ops.join(', ')}] headers=${JSON.stringify(request.headers).slice(0, 200)} body=${JSON.stringify(body?.slice(0, 200))}`;
}

describe('fuzz: mutated requests to the auth routes', () => {
  let t: TestApp;
  let port: number;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const errorLogs: string[] = [];

  beforeAll(async () => {
    // Error-level logs only: the stack of each unexpected (5xx) error, for the report.
    t = await createTestApp({
      env: { ARGON2_MEMORY_KIB: '19456', ARGON2_TIME_COST: '2', LOG_LEVEL: 'error' },
      logDestination: { write: (line: string) => void errorLogs.push(line) },
    });
    port = await listen(t);
  });
  afterAll(async () => {
    agent.destroy();
    await t?.close();
  });

  it(`answers ${REQUESTS} mutated requests without a 5xx, every 4xx in the error shape, and keeps working`, { timeout: 180_000 }, async () => {
    console.log(`fuzz seed=${SEED} requests=${REQUESTS} (reproduce with FUZZ_SEED=${SEED})`);
    const rng = new Rng(mulberry32(SEED));
    const main = await signupAndLogin(t);
    let pw = await signupAndLogin(t);
    const statuses = new Map<string, number>();
    const serverErrors: Outcome[] = [];
    const badShapes: Array<{ outcome: Outcome; problem: string }> = [];
    const networkErrors: Array<{ request: FuzzRequest; error: string }> = [];
    const started = Date.now();

    for (let sent = 0; sent < REQUESTS; sent += BATCH) {
      // Fresh sessions each batch: earlier mutations may have rotated, reused (and so revoked) or logged out the old ones.
      const logins = await Promise.all(
        [0, 1, 2].map(() => t.http().post('/auth/login').send({ login: main.body.username, password: main.body.password })),
      );
      const pairs = logins.filter((res) => res.status === 200).map((res) => res.body as TokenPair);
      expect(pairs.length, 'the main user can still log in').toBeGreaterThan(0);
      let pwLogin = await t.http().post('/auth/login').send({ login: pw.body.username, password: pw.body.password });
      if (pwLogin.status !== 200) {
        // A mutated password change went through (a valid new password): carry on with a new account.
        pw = await signupAndLogin(t);
        pwLogin = await t.http().post('/auth/login').send({ login: pw.body.username, password: pw.body.password });
      }
      const ctx: Context = { user: main.body, pairs, pwUser: pw.body, pwPair: pwLogin.body as TokenPair };
      const requests = Array.from({ length: Math.min(BATCH, REQUESTS - sent) }, () => mutate(rng, baseRequest(rng, ctx)));

      await pool(requests, CONCURRENCY, async (request) => {
        let outcome: Outcome;
        try {
          outcome = await send(port, agent, request);
        } catch (error) {
          networkErrors.push({ request, error: String(error) });
          statuses.set('network error', (statuses.get('network error') ?? 0) + 1);
          return;
        }
        const key = `${outcome.status}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (outcome.status >= 500) serverErrors.push(outcome);
        else if (outcome.status >= 400) {
          const problem = shapeProblem(outcome);
          if (problem) badShapes.push({ outcome, problem });
        }
      });
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const distribution = [...statuses.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `${status}: ${n}`).join(', ');
    console.log(`fuzz seed=${SEED}: ${REQUESTS} requests in ${seconds}s; status codes: ${distribution}`);
    for (const outcome of serverErrors.slice(0, 10)) console.log(`5xx ${outcome.status} ${outcome.text} <- ${describeRequest(outcome.request)}`);
    for (const { outcome, problem } of badShapes.slice(0, 10)) console.log(`bad shape (${problem}) ${outcome.status} ${outcome.text.slice(0, 200)} <- ${describeRequest(outcome.request)}`);
    for (const [cause, n] of causes(errorLogs)) console.log(`server error logged ${n}x: ${cause}`);
    for (const { request, error } of networkErrors.slice(0, 10)) console.log(`network error ${error} <- ${describeRequest(request)}`);

    if (statuses.has('429')) console.warn(`fuzz: ${statuses.get('429')} answers were 429 (rate limit or login block) despite the test app's generous limits`);
    expect(serverErrors.map((o) => `${o.status} <- ${o.request.ops.join(', ')}`), `seed ${SEED}: 5xx answers`).toEqual([]);
    expect(badShapes.map((b) => `${b.problem} <- ${b.outcome.request.ops.join(', ')}`), `seed ${SEED}: 4xx bodies not in the error shape`).toEqual([]);
    expect(networkErrors.map((n) => n.error), `seed ${SEED}: requests without an answer`).toEqual([]);

    // Still healthy, and the normal flow still works.
    await t.http().get('/health').expect(200);
    const fresh = await signupAndLogin(t, newUser());
    await t.http().get('/auth/whoami').set('authorization', `Bearer ${fresh.pair.accessToken}`).expect(200);
  });
});

function shapeProblem(outcome: Outcome): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return 'not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'not an object';
  const { statusCode, error, code, message, ...rest } = body as Record<string, unknown>;
  if (statusCode !== outcome.status) return `statusCode ${String(statusCode)}`;
  if (typeof error !== 'string') return 'error not a string';
  if (typeof code !== 'string') return 'code not a string';
  if (!(ERROR_CODES as string[]).includes(code)) return `unknown code ${code}`;
  if (typeof message !== 'string') return 'message not a string';
  const extra = Object.keys(rest).filter((key) => key !== 'details');
  return extra.length ? `extra keys ${extra.join(',')}` : undefined;
}

/** Distinct causes of the errors the app logged: type, message and the first stack frame outside node internals. */
function causes(lines: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    let entry: { err?: { type?: string; message?: string; stack?: string } };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (!entry.err) continue;
    const frame = entry.err.stack?.split('\n').find((l) => l.includes('node_modules') || l.includes('/src/'))?.trim() ?? '';
    const cause = `${entry.err.type}: ${entry.err.message} ${frame}`;
    counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  return counts;
}
