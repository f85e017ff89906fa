import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value given to the process's other threads: the lowest priority Linux has. */
const BACKGROUND_NICE = 19;

/**
 * Lowers the scheduling priority of every thread of this process but the main one (the event loop): libuv's thread
 * pool, where argon2 runs, and V8's helpers. On a saturated core the scheduler then runs the event loop as soon as it
 * has work, and argon2 in the time left over, so a storm of logins slows other logins, not every request. Where cores
 * are idle nothing changes: a low-priority thread runs at full speed on a core nobody else wants.
 *
 * Linux only (threads are listed under /proc/self/task and Linux applies setpriority to a single thread); elsewhere,
 * or when the system refuses, it does nothing. Threads started afterwards keep the default priority: call it once the
 * thread pool has started (after the first argon2 operation). Returns how many threads it changed.
 */
export function deprioritizeBackgroundThreads(): number {
  let changed = 0;
  try {
    for (const entry of readdirSync('/proc/self/task')) {
      const tid = Number(entry);
      if (tid === process.pid) continue;
      try {
        setPriority(tid, BACKGROUND_NICE);
        changed++;
      } catch {
        // the thread has ended, or the system refuses: leave it
      }
    }
  } catch {
    // not Linux
  }
  return changed;
}
