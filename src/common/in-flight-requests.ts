import { type BeforeApplicationShutdown, type CallHandler, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';

/** How long shutdown waits for handlers still running; a deploy's grace period is usually longer. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Counts route handlers that are still running, so that shutdown closes the database only after them.
 * Fastify's close waits for open connections, not for handlers: a client that hangs up mid-request (a timeout,
 * a load balancer) leaves its handler running, and without this it would meet a closed pool half-way through,
 * e.g. between spending a refresh token and storing its successor. New requests get 503 meanwhile.
 */
@Injectable()
export class InFlightRequests implements NestInterceptor, BeforeApplicationShutdown {
  private readonly logger = new Logger(InFlightRequests.name);
  private running = 0;
  private drained?: () => void;

  get size(): number {
    return this.running;
  }

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    this.running++;
    return next.handle().pipe(
      finalize(() => {
        if (--this.running === 0) this.drained?.();
      }),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.running === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const drained = new Promise<boolean>((resolve) => (this.drained = () => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DRAIN_TIMEOUT_MS)));
    const complete = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    if (!complete) this.logger.warn(`shutting down with ${this.running} request(s) still running after ${DRAIN_TIMEOUT_MS} ms`);
  }
}
