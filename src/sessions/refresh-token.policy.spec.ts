import { describe, expect, it } from 'vitest';
import { judgeRefreshToken, type RefreshTokenState } from './refresh-token.policy.js';

/** A fake clock: every instant is an explicit offset in seconds from T0. */
const T0 = Date.UTC(2030, 0, 15, 12, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const GRACE = 10;
const TTL = 14 * 24 * 3600;

/** A token issued at T0 and living TTL seconds, unspent and unrevoked unless told otherwise. */
function state(overrides: Partial<RefreshTokenState> = {}): RefreshTokenState {
  return { expiresAt: at(TTL), usedAt: null, revokedAt: null, ...overrides };
}

/** The successor minted when the parent was spent at `spentAt`. */
function successorOf(spentAt: number, overrides: Partial<RefreshTokenState> = {}): RefreshTokenState {
  return state({ expiresAt: at(spentAt + TTL), ...overrides });
}

describe('judgeRefreshToken', () => {
  describe('unspent tokens', () => {
    it.each([0, 1, 3600, TTL - 1])('rotates an unspent, live token (now = T0 + %is)', (now) => {
      expect(judgeRefreshToken(state(), null, at(now), GRACE)).toBe('rotate');
    });

    it('rotates one millisecond before expiresAt', () => {
      expect(judgeRefreshToken(state(), null, new Date(at(TTL).getTime() - 1), GRACE)).toBe('rotate');
    });

    it('ignores a successor argument for an unspent token', () => {
      expect(judgeRefreshToken(state(), successorOf(5, { usedAt: at(6) }), at(10), GRACE)).toBe('rotate');
    });
  });

  describe('expiry', () => {
    it('is expired exactly at expiresAt', () => {
      expect(judgeRefreshToken(state(), null, at(TTL), GRACE)).toBe('expired');
    });

    it.each([0.001, 1, 3600, 365 * 24 * 3600])('is expired %is after expiresAt', (after) => {
      expect(judgeRefreshToken(state(), null, at(TTL + after), GRACE)).toBe('expired');
    });

    it('is expired, not reused, when a spent token comes back after its own expiry', () => {
      const token = state({ expiresAt: at(100), usedAt: at(50) });
      expect(judgeRefreshToken(token, successorOf(50), at(100), GRACE)).toBe('expired');
      expect(judgeRefreshToken(token, successorOf(50, { usedAt: at(60) }), at(200), GRACE)).toBe('expired');
    });

    it('is expired even within grace of being spent, when expiresAt has passed', () => {
      const token = state({ expiresAt: at(100), usedAt: at(98) });
      expect(judgeRefreshToken(token, successorOf(98), at(100), GRACE)).toBe('expired');
    });
  });

  describe('revocation wins over everything', () => {
    const revokedAt = at(30);
    const cases: Array<[string, RefreshTokenState, RefreshTokenState | null, Date]> = [
      ['unspent and live', state({ revokedAt }), null, at(40)],
      ['expired', state({ revokedAt, expiresAt: at(35) }), null, at(40)],
      ['long expired', state({ revokedAt, expiresAt: at(35) }), null, at(TTL * 10)],
      ['spent within grace, successor unspent', state({ revokedAt, usedAt: at(20) }), successorOf(20), at(25)],
      ['spent within grace, successor used', state({ revokedAt, usedAt: at(20) }), successorOf(20, { usedAt: at(22) }), at(25)],
      ['spent after grace', state({ revokedAt, usedAt: at(20) }), successorOf(20), at(20 + GRACE + 60)],
      ['revoked before it was spent', state({ revokedAt: at(10), usedAt: at(20) }), successorOf(20), at(21)],
      ['revoked in the future of the clock', state({ revokedAt: at(1000) }), null, at(10)],
    ];
    it.each(cases)('revoked: %s', (_name, token, successor, now) => {
      expect(judgeRefreshToken(token, successor, now, GRACE)).toBe('revoked');
    });

    it('is revoked with grace 0 and with the maximum grace', () => {
      const token = state({ revokedAt, usedAt: at(20) });
      expect(judgeRefreshToken(token, successorOf(20), at(20), 0)).toBe('revoked');
      expect(judgeRefreshToken(token, successorOf(20), at(20), 300)).toBe('revoked');
    });
  });

  describe('spent tokens', () => {
    const spentAt = 100;
    const spent = state({ usedAt: at(spentAt) });

    it.each([0, 0.5, 1, 5, GRACE - 1])('grants grace %is after spending when the successor is still unspent', (after) => {
      expect(judgeRefreshToken(spent, successorOf(spentAt), at(spentAt + after), GRACE)).toBe('grace');
    });

    it('grants grace when no successor row is found (successor null)', () => {
      expect(judgeRefreshToken(spent, null, at(spentAt + 1), GRACE)).toBe('grace');
    });

    it('is reuse within grace when the successor was already used (an older ancestor)', () => {
      const successor = successorOf(spentAt, { usedAt: at(spentAt + 1) });
      expect(judgeRefreshToken(spent, successor, at(spentAt + 2), GRACE)).toBe('reuse');
    });

    it('is reuse within grace when the successor was used at the same instant', () => {
      const successor = successorOf(spentAt, { usedAt: at(spentAt) });
      expect(judgeRefreshToken(spent, successor, at(spentAt), GRACE)).toBe('reuse');
    });

    it('is reuse within grace when the successor is revoked (the family was ended)', () => {
      const successor = successorOf(spentAt, { revokedAt: at(spentAt + 1) });
      expect(judgeRefreshToken(spent, successor, at(spentAt + 2), GRACE)).toBe('reuse');
    });

    it('is reuse when the successor is both used and revoked', () => {
      const successor = successorOf(spentAt, { usedAt: at(spentAt + 1), revokedAt: at(spentAt + 2) });
      expect(judgeRefreshToken(spent, successor, at(spentAt + 3), GRACE)).toBe('reuse');
    });

    it.each([0.001, 1, 60, 3600, TTL - spentAt - GRACE - 1])('is reuse %is after the grace window, successor unspent', (after) => {
      expect(judgeRefreshToken(spent, successorOf(spentAt), at(spentAt + GRACE + after), GRACE)).toBe('reuse');
    });

    it('is reuse after the grace window with no successor row either', () => {
      expect(judgeRefreshToken(spent, null, at(spentAt + GRACE + 1), GRACE)).toBe('reuse');
    });
  });

  describe('the grace boundary', () => {
    const spentAt = 100;
    const spent = state({ usedAt: at(spentAt) });

    it('still grants grace exactly at usedAt + grace (the window is closed)', () => {
      expect(judgeRefreshToken(spent, successorOf(spentAt), at(spentAt + GRACE), GRACE)).toBe('grace');
    });

    it('is reuse one millisecond after usedAt + grace', () => {
      const now = new Date(at(spentAt + GRACE).getTime() + 1);
      expect(judgeRefreshToken(spent, successorOf(spentAt), now, GRACE)).toBe('reuse');
    });

    it('is reuse exactly at the boundary when the successor is no longer the newest', () => {
      const successor = successorOf(spentAt, { usedAt: at(spentAt + GRACE) });
      expect(judgeRefreshToken(spent, successor, at(spentAt + GRACE), GRACE)).toBe('reuse');
    });

    it.each([1, 30, 300])('follows the configured grace (%is)', (grace) => {
      expect(judgeRefreshToken(spent, successorOf(spentAt), at(spentAt + grace), grace)).toBe('grace');
      expect(judgeRefreshToken(spent, successorOf(spentAt), at(spentAt + grace + 0.001), grace)).toBe('reuse');
    });
  });

  describe('grace 0', () => {
    const spentAt = 100;
    const spent = state({ usedAt: at(spentAt) });

    it('grants a replay only at the very instant of spending', () => {
      expect(judgeRefreshToken(spent, successorOf(spentAt), at(spentAt), 0)).toBe('grace');
    });

    it.each([0.001, 1, 10])('is reuse %is after spending', (after) => {
      expect(judgeRefreshToken(spent, successorOf(spentAt), at(spentAt + after), 0)).toBe('reuse');
    });

    it('is reuse at the instant of spending when the successor was used', () => {
      expect(judgeRefreshToken(spent, successorOf(spentAt, { usedAt: at(spentAt) }), at(spentAt), 0)).toBe('reuse');
    });

    it('still rotates unspent tokens and still reports expiry and revocation', () => {
      expect(judgeRefreshToken(state(), null, at(1), 0)).toBe('rotate');
      expect(judgeRefreshToken(state(), null, at(TTL), 0)).toBe('expired');
      expect(judgeRefreshToken(state({ revokedAt: at(0) }), null, at(1), 0)).toBe('revoked');
    });
  });

  it('is pure: the same inputs give the same verdict and are not mutated', () => {
    const token = state({ usedAt: at(100) });
    const successor = successorOf(100);
    const snapshot = JSON.stringify([token, successor]);
    const verdicts = [1, 2, 3].map(() => judgeRefreshToken(token, successor, at(105), GRACE));
    expect(verdicts).toEqual(['grace', 'grace', 'grace']);
    expect(JSON.stringify([token, successor])).toBe(snapshot);
  });
});
