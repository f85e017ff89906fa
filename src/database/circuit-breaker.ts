export type BreakerTransition = { opened: string } | { closedAfterMs: number; reason: string } | undefined;

/**
 * Fails fast while the database is known to be down: after one failure the circuit opens, and only one attempt per
 * `retryEveryMs` goes through to find out whether it is back (a trial). Any success closes it. Trials are spaced
 * rather than one-at-a-time, so a trial stuck on a hung server never keeps the circuit open after it recovers:
 * recovery is seen at most `retryEveryMs` (plus one round trip) after the database answers again.
 */
export class CircuitBreaker {
  private openedAt?: number;
  private reason = '';
  private nextTrialAt = 0;

  constructor(
    private readonly retryEveryMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get isOpen(): boolean {
    return this.openedAt !== undefined;
  }

  /** Whether an attempt may go to the database now: always while closed, one per retryEveryMs while open. */
  allow(): boolean {
    if (this.openedAt === undefined) return true;
    const now = this.now();
    if (now < this.nextTrialAt) return false;
    this.nextTrialAt = now + this.retryEveryMs;
    return true;
  }

  /** Returns the transition, if this failure opened the circuit. */
  failure(reason: string): BreakerTransition {
    const now = this.now();
    this.nextTrialAt = now + this.retryEveryMs;
    if (this.openedAt !== undefined) return undefined;
    this.openedAt = now;
    this.reason = reason;
    return { opened: reason };
  }

  /** Returns the transition, if this success closed the circuit. */
  success(): BreakerTransition {
    if (this.openedAt === undefined) return undefined;
    const closedAfterMs = this.now() - this.openedAt;
    this.openedAt = undefined;
    return { closedAfterMs, reason: this.reason };
  }
}
