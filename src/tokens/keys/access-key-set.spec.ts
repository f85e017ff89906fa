import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeKey, CLOCK_SKEW_SECONDS, keyState, rotate, RotationRefusedError, type ScheduledKey } from './access-key-set.js';
import { readKeySetFile, rotateKeySetFile } from './access-key-set-file.js';
import { type AccessTokenAlgorithm, generateKeyMaterial } from './key-material.js';
import { tokenKey } from './token-key.js';

const TTL = 900;
const DELAY = 600;
const T0 = 1_800_000_000;

function fresh(algorithm: AccessTokenAlgorithm = 'ES256') {
  const material = generateKeyMaterial(algorithm);
  return { kid: tokenKey('access', material).kid, material };
}

function firstKey(): ScheduledKey[] {
  return rotate([], fresh(), { now: T0, delaySeconds: 0, accessTtlSeconds: TTL });
}

const states = (keys: ScheduledKey[], now: number) => keys.map((key) => keyState(key, keys, now));

describe('access key rotation', () => {
  it('publishes the new key as next, switches signing at the activation instant, retires the old key after its last token expired', () => {
    const before = firstKey();
    const after = rotate(before, fresh(), { now: T0 + 100, delaySeconds: DELAY, accessTtlSeconds: TTL });
    const activation = T0 + 100 + DELAY;
    const retirement = activation + TTL + CLOCK_SKEW_SECONDS;

    expect(states(after, T0 + 100)).toEqual(['active', 'next']);
    expect(activeKey(after, activation - 1)?.kid).toBe(before[0].kid);
    expect(states(after, activation)).toEqual(['previous', 'active']);
    expect(activeKey(after, activation)?.kid).toBe(after[1].kid);
    expect(states(after, retirement - 1)).toEqual(['previous', 'active']);
    expect(states(after, retirement)).toEqual(['retired', 'active']);
  });

  it('keeps a token signed by the old key at the last instant verifiable until it expires', () => {
    const after = rotate(firstKey(), fresh(), { now: T0, delaySeconds: DELAY, accessTtlSeconds: TTL });
    const lastSignedByOld = T0 + DELAY - 1;
    const itsExpiry = lastSignedByOld + TTL;
    expect(keyState(after[0], after, itsExpiry)).toBe('previous');
  });

  it('refuses a second rotation while a key is still waiting to become active', () => {
    const after = rotate(firstKey(), fresh(), { now: T0, delaySeconds: DELAY, accessTtlSeconds: TTL });
    expect(() => rotate(after, fresh(), { now: T0 + 10, delaySeconds: DELAY, accessTtlSeconds: TTL })).toThrow(RotationRefusedError);
    expect(() => rotate(after, fresh(), { now: T0 + DELAY, delaySeconds: DELAY, accessTtlSeconds: TTL })).not.toThrow();
  });

  it('drops retired keys at the next rotation', () => {
    let keys = rotate(firstKey(), fresh(), { now: T0, delaySeconds: 0, accessTtlSeconds: TTL });
    const later = T0 + TTL + CLOCK_SKEW_SECONDS + 1;
    keys = rotate(keys, fresh(), { now: later, delaySeconds: DELAY, accessTtlSeconds: TTL });
    expect(keys).toHaveLength(2);
    expect(states(keys, later)).toEqual(['active', 'next']);
  });

  it('after a compromise, signs with the new key at once and forgets every old one', () => {
    const pending = rotate(firstKey(), fresh(), { now: T0, delaySeconds: DELAY, accessTtlSeconds: TTL });
    const replacement = fresh();
    const keys = rotate(pending, replacement, { now: T0 + 5, delaySeconds: DELAY, accessTtlSeconds: TTL, compromised: true });
    expect(keys.map((key) => key.kid)).toEqual([replacement.kid]);
    expect(activeKey(keys, T0 + 5)?.kid).toBe(replacement.kid);
  });

  it('can change the algorithm: each key keeps its own', () => {
    const keys = rotate(firstKey(), fresh('EdDSA'), { now: T0, delaySeconds: 0, accessTtlSeconds: TTL });
    expect(keys.map((key) => key.material.algorithm)).toEqual(['ES256', 'EdDSA']);
    expect(activeKey(keys, T0)?.material.algorithm).toBe('EdDSA');
  });
});

describe('the key set file', () => {
  const newFile = () => join(mkdtempSync(join(tmpdir(), 'keyset-')), 'access-keys.json');

  it('is created with one key active at once, mode 0600, and round-trips every algorithm', () => {
    const file = newFile();
    const now = Math.floor(Date.now() / 1000);
    rotateKeySetFile(file, 'HS256', { now, delaySeconds: DELAY, accessTtlSeconds: TTL });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const algorithm of ['ES256', 'EdDSA', 'RS256'] as const) {
      rotateKeySetFile(file, algorithm, { now: now + 1 + readKeySetFile(file).length * DELAY, delaySeconds: DELAY, accessTtlSeconds: TTL });
    }
    const keys = readKeySetFile(file);
    expect(keys.map((key) => key.material.algorithm)).toEqual(['HS256', 'ES256', 'EdDSA', 'RS256']);
    expect(keys[0].activatesAt).toBe(now);
    expect(keys.slice(1).every((key, index) => key.activatesAt > keys[index].activatesAt)).toBe(true);
  });

  it('names the file and the key when it was edited into nonsense', () => {
    const file = newFile();
    writeFileSync(file, JSON.stringify({ version: 1, keys: [{ kid: 'x', alg: 'HS256', key: 'short' }] }));
    expect(() => readKeySetFile(file)).toThrow(/access-keys\.json, key 1: an HS256 secret must be at least 32 bytes/);
    writeFileSync(file, '{"version":1,"keys":[{"key":"-----BEGIN PRIVATE KEY-----MIGHAgEAMBMGByqGSM49 oops');
    expect(() => readKeySetFile(file)).toThrow(/access-keys\.json is not valid JSON$/);
    expect(() => readKeySetFile(`${file}.missing`)).toThrow(/cannot read .*ENOENT/);
  });

  it('refuses a kid that does not belong to its key', () => {
    const file = newFile();
    rotateKeySetFile(file, 'ES256', { now: T0, delaySeconds: 0, accessTtlSeconds: TTL });
    const document = JSON.parse(readFileSync(file, 'utf8')) as { keys: Array<{ kid: string }> };
    document.keys[0].kid = 'someone-elses-kid';
    writeFileSync(file, JSON.stringify(document));
    expect(() => readKeySetFile(file)).toThrow(/does not belong to its key/);
  });
});
