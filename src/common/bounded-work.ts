/** Thrown when a BoundedWork queue is full: the caller answers 503 busy rather than wait without bound. */
export class WorkQueueFull extends Error {
  constructor() {
    super('the work queue is full');
    this.name = 'WorkQueueFull';
  }
}

/**
 * At most `maxRunning` tasks at once, at most `maxQueued` waiting (first come, first served); past that, `run`
 * refuses at once. For CPU-heavy work on the thread pool (argon2): without a cap a burst of logins takes every
 * core and latency grows for every other request; with an unbounded queue it grows for the logins instead.
 */
export class BoundedWork {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxQueued: number,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Whether `run` would refuse a task now. */
  get full(): boolean {
    return this.running >= this.maxRunning && this.waiting.length >= this.maxQueued;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxQueued) throw new WorkQueueFull();
      // The slot is handed over by the task that finishes, so `running` never drops below the cap in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
