import { vi } from 'vitest';

/**
 * Moves the app's clock forward: Date and Date.now (which jsonwebtoken and the services read) are faked,
 * timers keep real time. Undo with `vi.useRealTimers()` in an afterEach.
 */
export function travel(seconds: number): void {
  const target = Date.now() + seconds * 1000;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(target);
}
