import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeyRing } from '../src/tokens/key-ring.service.js';
import { readKeySetFile } from '../src/tokens/keys/access-key-set-file.js';
import { CLOCK_SKEW_SECONDS } from '../src/tokens/keys/access-key-set.js';
import type { AccessTokenAlgorithm } from '../src/tokens/keys/key-material.js';
import { rotateKeysCommand } from '../src/tokens/keys/rotate-keys.command.js';
import { travel } from './support/clock.js';
import { claimsOf, headerOf, signupAndLogin, type TokenPair } from './support/flows.js';
import { signJws } from './support/jws.js';
import { captureLogs, type LogLine } from './support/log-capture.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Rotation without logging anyone out: the new key is published first, signs after the delay, and the old key
 * keeps verifying until the last token it signed has expired — then nothing it signed is accepted any more.
 */

const TTL = 900;
const DELAY = 120;

/** The key set, not a fixed secret: what `npm run keys:rotate` maintains. */
function keySetEnv(algorithm: AccessTokenAlgorithm): Record<string, string> {
  return {
    ACCESS_TOKEN_ALG: algorithm,
    ACCESS_TOKEN_SECRET: '',
    ACCESS_TOKEN_KEYSET_RELOAD_SECONDS: '1',
    ACCESS_TOKEN_TTL_SECONDS: String(TTL),
    ACCESS_KEY_ROTATION_DELAY_SECONDS: String(DELAY),
  };
}

function travelTo(epochSeconds: number) {
  travel(epochSeconds - Date.now() / 1000);
}

const whoami = (t: TestApp, token: string) => t.http().get('/auth/whoami').set('authorization', `Bearer ${token}`);
const jwksKids = async (t: TestApp) => ((await t.http().get('/.well-known/jwks.json')).body.keys as Array<{ kid: string }>).map((key) => key.kid);
const login = async (t: TestApp, body: { username: string; password: string }) =>
  (await t.http().post('/auth/login').send({ login: body.username, password: body.password })).body as TokenPair;

/** Waits for the app's periodic reload to pick up the key set file (real timers: only Date is ever faked). */
async function untilReloaded(t: TestApp, kidCount: number) {
  const keysFile = join(t.dataDir, 'access-keys.json');
  await vi.waitFor(
    () => {
      const signingKids = readKeySetFile(keysFile).map((key) => key.kid);
      expect(t.app.get(KeyRing).accessKeyStates().map((key) => key.kid)).toEqual(signingKids);
      expect(signingKids).toHaveLength(kidCount);
    },
    { timeout: 5000, interval: 100 },
  );
}

describe.each<AccessTokenAlgorithm>(['ES256', 'EdDSA', 'HS256'])('access key rotation with %s', (algorithm) => {
  let t: TestApp;
  let user: { username: string; password: string };
  const rotate = (...argv: string[]) => {
    const result = rotateKeysCommand(argv, { ...keySetEnv(algorithm), DATA_DIR: t.dataDir });
    expect(result.exitCode, result.output).toBe(0);
    return result.output;
  };

  beforeAll(async () => {
    t = await createTestApp({ env: keySetEnv(algorithm) });
    ({ body: user } = await signupAndLogin(t));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps tokens signed before the rotation working until their exp, and retires the old key after that', async () => {
    const before = await login(t, user);
    const oldKid = headerOf(before.accessToken).kid as string;
    const [oldKey] = readKeySetFile(join(t.dataDir, 'access-keys.json'));
    // A token the old key signed that would outlive the key's retirement: it must stop working at retirement.
    const longLived = signJws(
      { alg: algorithm, typ: 'at+jwt', kid: oldKid },
      { ...claimsOf(before.accessToken), exp: claimsOf(before.accessToken).exp as number + 30 * 24 * 3600 },
      oldKey.material.algorithm === 'HS256' ? oldKey.material.secret : oldKey.material.privateKey,
    );
    expect((await whoami(t, longLived)).status).toBe(200);

    expect(rotate()).toMatch(/next/);
    await untilReloaded(t, 2);
    const kids = readKeySetFile(join(t.dataDir, 'access-keys.json')).map((key) => key.kid);
    const newKid = kids.find((kid) => kid !== oldKid) as string;
    if (algorithm !== 'HS256') expect(await jwksKids(t)).toEqual([oldKid, newKid]);
    else expect(await jwksKids(t)).toEqual([]);

    // Published, not yet signing.
    expect(headerOf((await login(t, user)).accessToken).kid).toBe(oldKid);

    travel(DELAY + 1);
    const after = await login(t, user);
    expect(headerOf(after.accessToken).kid).toBe(newKid);
    expect((await whoami(t, after.accessToken)).status).toBe(200);
    expect((await whoami(t, before.accessToken)).status).toBe(200);
    expect((await whoami(t, longLived)).status).toBe(200);

    travelTo(claimsOf(before.accessToken).exp as number);
    expect((await whoami(t, before.accessToken)).body.code).toBe('token_expired');
    expect((await whoami(t, longLived)).status).toBe(200);

    // The old key's last token expires at activation + TTL; the key retires a clock-skew margin after that.
    const stored = readKeySetFile(join(t.dataDir, 'access-keys.json'));
    const retiresAt = stored.find((key) => key.kid === oldKid)?.retiresAt as number;
    expect(retiresAt).toBe((stored.find((key) => key.kid === newKid)?.activatesAt as number) + TTL + CLOCK_SKEW_SECONDS);
    travelTo(retiresAt - 1);
    expect((await whoami(t, longLived)).status).toBe(200);
    travelTo(retiresAt);
    const res = await whoami(t, longLived);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
    if (algorithm !== 'HS256') expect(await jwksKids(t)).toEqual([newKid]);
    expect((await whoami(t, (await login(t, user)).accessToken)).status).toBe(200);
  });

  it('after --compromised, refuses at once what the leaked key signed; sessions carry on through reissue', async () => {
    const before = await login(t, user);
    expect((await whoami(t, before.accessToken)).status).toBe(200);
    rotate('--compromised');
    await untilReloaded(t, 1);
    expect((await whoami(t, before.accessToken)).body.code).toBe('invalid_token');
    const reissued = await t.http().post('/auth/refresh').send({ refreshToken: before.refreshToken });
    expect(reissued.status).toBe(200);
    expect(headerOf(reissued.body.accessToken as string).kid).not.toBe(headerOf(before.accessToken).kid);
    expect((await whoami(t, reissued.body.accessToken as string)).status).toBe(200);
  });

  it('refuses a second rotation while one is pending, and changes nothing', () => {
    rotate('--delay', '3600');
    const file = join(t.dataDir, 'access-keys.json');
    const keys = readKeySetFile(file);
    const refused = rotateKeysCommand([], { ...keySetEnv(algorithm), DATA_DIR: t.dataDir });
    expect(refused).toMatchObject({ exitCode: 1, output: expect.stringMatching(/already waiting/) });
    expect(readKeySetFile(file)).toEqual(keys);
  });
});

describe('npm run keys:rotate', () => {
  it('runs as documented: creates the key set, then lists it with --status', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keys-cli-'));
    const run = (...args: string[]) =>
      promisify(execFile)('node_modules/.bin/tsx', ['src/cli/rotate-keys.ts', ...args], {
        env: { ...process.env, DATA_DIR: dataDir, ACCESS_TOKEN_ALG: 'EdDSA', ACCESS_TOKEN_SECRET: '', NODE_ENV: 'production' },
      });
    expect((await run()).stdout).toMatch(/active\s+EdDSA/);
    expect((await run('--status')).stdout).toMatch(/active\s+EdDSA/);
    await expect(run('--delay', 'soon')).rejects.toMatchObject({ code: 2 });
  });
});

describe('generated keys', () => {
  it('survive a restart: tokens issued before it stay valid', async () => {
    const first = await createTestApp({ env: { ...keySetEnv('ES256'), REFRESH_TOKEN_SECRET: '' } });
    const { pair } = await signupAndLogin(first);
    const dataDir = first.dataDir;
    await first.app.close();
    const second = await createTestApp({ env: { ...keySetEnv('ES256'), REFRESH_TOKEN_SECRET: '' }, dataDir });
    try {
      expect((await whoami(second, pair.accessToken)).status).toBe(200);
      expect((await second.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken })).status).toBe(200);
    } finally {
      await second.close();
      await first.close().catch(() => undefined);
    }
  });
});

describe('refresh secret rotation', () => {
  it('keeps sessions alive across a new REFRESH_TOKEN_SECRET while the old one is listed in REFRESH_TOKEN_PREVIOUS_SECRETS', async () => {
    const [oldSecret, newSecret] = [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];
    const accessSecret = randomBytes(32).toString('base64url');
    const before = await createTestApp({ env: { ACCESS_TOKEN_SECRET: accessSecret, REFRESH_TOKEN_SECRET: oldSecret } });
    const { pair } = await signupAndLogin(before);
    await before.app.close();
    const env = { ACCESS_TOKEN_SECRET: accessSecret, REFRESH_TOKEN_SECRET: newSecret };
    // One app at a time: Passport keeps its strategies in a process-wide registry, so the newest app's would serve all.
    const withoutOld = await createTestApp({ env, dataDir: before.dataDir });
    const refused = await withoutOld.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('invalid_token');
    await withoutOld.close();

    const withOld = await createTestApp({ env: { ...env, REFRESH_TOKEN_PREVIOUS_SECRETS: oldSecret }, dataDir: before.dataDir });
    try {
      const reissued = await withOld.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken });
      expect(reissued.status).toBe(200);
      expect(headerOf(reissued.body.refreshToken as string).kid).not.toBe(headerOf(pair.refreshToken).kid);
      expect(headerOf(reissued.body.refreshToken as string).kid).toBe(headerOf((await signupAndLogin(withOld)).pair.refreshToken).kid);
    } finally {
      await withOld.close();
      await before.close().catch(() => undefined);
    }
  });
});

/** An app on an ES256 key set, with its warnings and errors captured. */
async function appWithLogs(): Promise<{ t: TestApp; logs: LogLine[] }> {
  const { lines, destination } = captureLogs();
  const t = await createTestApp({ env: { ...keySetEnv('ES256'), LOG_LEVEL: 'warn' }, logDestination: destination });
  return { t, logs: lines };
}

/** Waits for the periodic reload to log a line of `level` matching `pattern`. */
function untilLogged(logs: LogLine[], level: number, pattern: RegExp) {
  return vi.waitFor(() => expect(logs.some((line) => line.level === level && pattern.test(line.msg ?? ''))).toBe(true), {
    timeout: 5000,
    interval: 100,
  });
}

describe('a key set file broken at run time', () => {
  it('is logged and ignored: the instance keeps signing and verifying with the keys it has', async () => {
    const { t, logs } = await appWithLogs();
    try {
      const { pair, body } = await signupAndLogin(t);
      writeFileSync(join(t.dataDir, 'access-keys.json'), '{"version":1,"keys":[{"kid":');
      await untilLogged(logs, 50, /Key set not reloaded/);
      expect((await whoami(t, pair.accessToken)).status).toBe(200);
      const again = await login(t, body);
      expect(headerOf(again.accessToken).kid).toBe(headerOf(pair.accessToken).kid);
      expect(await jwksKids(t)).toEqual([headerOf(pair.accessToken).kid]);
    } finally {
      await t.close();
    }
  });
});

describe('a key set file others may read', () => {
  it('is used, with a warning that names the fix', async () => {
    const { t, logs } = await appWithLogs();
    try {
      const file = join(t.dataDir, 'access-keys.json');
      expect(logs.filter((line) => /chmod 600/.test(line.msg ?? ''))).toEqual([]);
      chmodSync(file, 0o644);
      await untilLogged(logs, 40, /access-keys\.json .*chmod 600/);
      expect((await whoami(t, (await signupAndLogin(t)).pair.accessToken)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
