import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The time, injected: every rule that depends on it (expiry, idle timeout, grace window, retention) reads
 * this rather than `Date`, so a spec can hand the service a clock it controls. The e2e suites fake `Date`
 * itself, which the system clock follows.
 */
export abstract class Clock {
  abstract now(): Date;

  /** Whole seconds since the epoch, as JWTs count them. */
  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that moves only when told to, for specs. */
export class ManualClock extends Clock {
  constructor(private current = new Date('2026-01-01T00:00:00Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(moment: Date): void {
    this.current = new Date(moment);
  }

  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
