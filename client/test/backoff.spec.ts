import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY } from '../src/backoff.js';

describe('backoffDelay', () => {
  const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
  const middle = () => 0.5;

  it('doubles from the base delay and stops at the bound', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, options, undefined, middle))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('spreads retries by ±20 % so clients that failed together do not return together', () => {
    expect(backoffDelay(2, options, undefined, () => 0)).toBe(160);
    expect(backoffDelay(2, options, undefined, () => 1)).toBe(240);
  });

  it("waits at least the server's Retry-After, still within the bound", () => {
    expect(backoffDelay(1, options, 0.5, middle)).toBe(500);
    expect(backoffDelay(1, options, 60, middle)).toBe(1000);
    expect(backoffDelay(1, options, Number.NaN, middle)).toBe(100);
  });
});
