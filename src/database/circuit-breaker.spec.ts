import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

function breakerAt(start = 1_000) {
  const clock = { now: start };
  return { clock, breaker: new CircuitBreaker(500, () => clock.now) };
}

describe('CircuitBreaker', () => {
  it('lets everything through while closed', () => {
    const { breaker } = breakerAt();
    expect([breaker.allow(), breaker.allow(), breaker.allow()]).toEqual([true, true, true]);
    expect(breaker.isOpen).toBe(false);
  });

  it('opens on the first failure and reports the transition once', () => {
    const { breaker } = breakerAt();
    expect(breaker.failure('ECONNREFUSED')).toEqual({ opened: 'ECONNREFUSED' });
    expect(breaker.failure('ECONNREFUSED')).toBeUndefined();
    expect(breaker.isOpen).toBe(true);
    expect(breaker.allow()).toBe(false);
  });

  it('lets one trial through per interval while open, counted from the last failure', () => {
    const { clock, breaker } = breakerAt();
    breaker.failure('PROTOCOL_SEQUENCE_TIMEOUT');
    clock.now += 499;
    expect(breaker.allow()).toBe(false);
    clock.now += 1;
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false); // the others still fail fast
    clock.now += 500;
    expect(breaker.allow()).toBe(true); // the first trial may still hang: a second one goes anyway
    breaker.failure('PROTOCOL_SEQUENCE_TIMEOUT');
    clock.now += 400;
    expect(breaker.allow()).toBe(false);
  });

  it('closes on any success and reports how long it was open', () => {
    const { clock, breaker } = breakerAt();
    expect(breaker.success()).toBeUndefined();
    breaker.failure('ECONNRESET');
    clock.now += 3_250;
    expect(breaker.success()).toEqual({ closedAfterMs: 3_250, reason: 'ECONNRESET' });
    expect(breaker.isOpen).toBe(false);
    expect(breaker.allow()).toBe(true);
    expect(breaker.success()).toBeUndefined();
  });
});
