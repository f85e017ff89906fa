import { describe, expect, it } from 'vitest';
import { BoundedWork, WorkQueueFull } from './bounded-work.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('BoundedWork', () => {
  it('runs at most maxRunning tasks at once, queues up to maxQueued, and refuses the next at once', async () => {
    const work = new BoundedWork(2, 1);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const tasks = gates.map((gate, index) =>
      work.run(async () => {
        started.push(index);
        await gate.promise;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(work.queued).toBe(1);
    expect(work.full).toBe(true);
    await expect(work.run(() => Promise.resolve(99))).rejects.toBeInstanceOf(WorkQueueFull);

    gates[0].resolve();
    await tasks[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    expect(work.active).toBe(2);
    gates[1].resolve();
    gates[2].resolve();
    expect(await Promise.all(tasks)).toEqual([0, 1, 2]);
    expect(work.active).toBe(0);
  });

  it('frees the slot of a task that fails', async () => {
    const work = new BoundedWork(1, 0);
    await expect(work.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await work.run(() => Promise.resolve('next'))).toBe('next');
  });
});
