import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { deprioritizeBackgroundThreads } from './thread-priority.js';

const onLinux = process.platform === 'linux';

/** The nice value of one thread of this process (field 19 of /proc/self/task/<tid>/stat). */
function niceOf(tid: string): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe.runIf(onLinux)('deprioritizeBackgroundThreads', () => {
  it('gives every thread but the main one the lowest priority, and leaves the event loop alone', () => {
    const before = getPriority();
    expect(deprioritizeBackgroundThreads()).toBeGreaterThan(0);
    expect(getPriority()).toBe(before);
    const others = readdirSync('/proc/self/task').filter((tid) => Number(tid) !== process.pid);
    expect(others.map(niceOf).every((nice) => nice === 19)).toBe(true);
  });
});
