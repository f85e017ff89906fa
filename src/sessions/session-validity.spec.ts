import { describe, expect, it } from 'vitest';
import { judgeSession } from './session-validity.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

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
