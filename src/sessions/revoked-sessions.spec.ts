import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/clock.js';
import { RevokedSessions } from './revoked-sessions.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describe('RevokedSessions', () => {
  const clock = new ManualClock(at(0));
  const set = () => {
    clock.set(at(0));
    return new RevokedSessions({ accessTtlSeconds: 900 }, clock);
  };

  it('refuses a revoked session until its last access token has expired, then forgets it', () => {
    const revoked = set();
    revoked.remember('s1', at(0));
    expect(revoked.has('s1')).toBe(true);
    expect(revoked.has('s2')).toBe(false);

    clock.set(at(900));
    expect(revoked.has('s1')).toBe(true); // a token issued at the very moment of revocation still lives
    clock.set(at(901));
    expect(revoked.has('s1')).toBe(false);
    expect(revoked.size).toBe(0);
  });

  it('ignores revocations older than the access-token lifetime and keeps the latest one', () => {
    const revoked = set();
    revoked.remember('old', at(-2000));
    expect(revoked.has('old')).toBe(false);
    revoked.remember('s', at(0));
    revoked.remember('s', at(-600)); // an older report of the same session does not shorten it
    clock.set(at(600));
    expect(revoked.has('s')).toBe(true);
  });

  it('sweeps entries whose access tokens have all expired', () => {
    const revoked = set();
    revoked.remember('a', at(0));
    revoked.remember('b', at(500));
    clock.set(at(1000));
    revoked.sweep();
    expect(revoked.size).toBe(1);
    expect(revoked.horizon()).toEqual(at(1000 - 901));
  });
});
