import { readFileSync } from 'node:fs';
import { median } from './service.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; with `thread`, one of its threads
 * (the main thread, the event loop, has the process's own id).
 */
export function cpuSeconds(pid: number, thread?: number): number {
  const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * How many times a thread has gone to sleep and been woken (voluntary context switches, /proc/<pid>/task/<tid>/status):
 * for the event loop (the main thread, tid = pid), each is an epoll wait that ended because something had to run.
 */
export function wakeUps(pid: number, thread: number): number {
  const match = /^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${thread}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

/** Resident set size of a process in MiB, from /proc/<pid>/status. */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** `min–max` of a few figures, for the ranges the README reports. */
export function range(values: number[], digits = 2): string {
  const sorted = [...values].sort((a, b) => a - b);
  const [low, high] = [sorted[0].toFixed(digits), sorted.at(-1)!.toFixed(digits)];
  return low === high ? low : `${low}–${high}`;
}

/** The range and the median of per-round ratios: they swing with the host, and the median is the steadier figure. */
export function rangeAndMedian(values: number[], digits = 2): string {
  return `${range(values, digits)}   median ${median(values).toFixed(digits)}`;
}
