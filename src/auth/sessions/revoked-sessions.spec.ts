import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokensConfig } from '../../config/tokens.config.js';
import { judgeSession } from '../tokens/refresh-token.policy.js';
import { RevokedSessions } from './revoked-sessions.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describe('RevokedSessions', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const set = () => new RevokedSessions({ accessTtlSeconds: 900 } as TokensConfig);

  it('refuses a revoked session until its last access token has expired, then forgets it', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const revoked = set();
    revoked.remember('s1', at(0));
    expect(revoked.has('s1')).toBe(true);
    expect(revoked.has('s2')).toBe(false);

    vi.setSystemTime(at(900));
    expect(revoked.has('s1')).toBe(true); // a token issued at the very moment of revocation still lives
    vi.setSystemTime(at(901));
    expect(revoked.has('s1')).toBe(false);
    expect(revoked.size).toBe(0);
  });

  it('ignores revocations older than the access-token lifetime and keeps the latest one', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const revoked = set();
    revoked.remember('old', at(-2000));
    expect(revoked.has('old')).toBe(false);
    revoked.remember('s', at(0));
    revoked.remember('s', at(-600)); // an older report of the same session does not shorten it
    vi.setSystemTime(at(600));
    expect(revoked.has('s')).toBe(true);
  });

  it('sweeps entries whose access tokens have all expired', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const revoked = set();
    revoked.remember('a', at(0));
    revoked.remember('b', at(500));
    vi.setSystemTime(at(1000));
    revoked.sweep();
    expect(revoked.size).toBe(1);
    expect(revoked.horizon()).toEqual(at(1000 - 901));
  });
});

describe('judgeSession', () => {
  const session = { lastUsedAt: at(0), expiresAt: at(7200), revokedAt: null };

  it('is live while used within the idle timeout and before its absolute end', () => {
    expect(judgeSession(session, at(3600), 3600)).toBe('live');
  });

  it('expires one instant past the idle timeout', () => {
    expect(judgeSession(session, at(3600.001), 3600)).toBe('expired');
  });

  it('expires at its absolute end however recently it was used', () => {
    expect(judgeSession({ ...session, lastUsedAt: at(7199) }, at(7200), 3600)).toBe('expired');
  });

  it('is revoked before anything else', () => {
    expect(judgeSession({ ...session, revokedAt: at(1) }, at(2), 3600)).toBe('revoked');
  });
});
