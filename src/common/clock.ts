/**
 * The current time, injected where a rule depends on it, so tests can move it without faking timers.
 * The default reads `new Date()`, which `travel()` in the e2e support moves too.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
