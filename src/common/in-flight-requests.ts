import { type CallHandler, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { finalize, type Observable } from 'rxjs';

/**
 * Counts what shutdown must wait for before the database closes:
 * - requests whose response has not been sent (Fastify hooks), including those still in guards or body parsing;
 * - route handlers still running (an interceptor): a client that hangs up mid-request (a timeout, a load balancer)
 *   ends its response but leaves its handler running, and without this it would meet a closed pool half-way,
 *   e.g. between spending a refresh token and storing its successor.
 */
@Injectable()
export class InFlightRequests implements NestInterceptor {
  private handlers = 0;
  private responses = 0;
  private idle?: () => void;

  /** Route handlers still running. */
  get size(): number {
    return this.handlers;
  }

  /** Requests not yet answered. */
  get open(): number {
    return this.responses;
  }

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    this.handlers++;
    return next.handle().pipe(
      finalize(() => {
        this.handlers--;
        this.checkIdle();
      }),
    );
  }

  /** Counts every request from its first byte until its response is sent or its connection is gone. */
  countResponses(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (_request, reply, done) => {
      this.responses++;
      // A ServerResponse closes once it has been sent, or when its connection is gone before that.
      reply.raw.once('close', () => {
        this.responses--;
        this.checkIdle();
      });
      done();
    });
  }

  /** Resolves true once nothing is running, or false after timeoutMs. */
  async whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.handlers === 0 && this.responses === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => (this.idle = () => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const result = await Promise.race([idle, timedOut]);
    clearTimeout(timer);
    this.idle = undefined;
    return result;
  }

  private checkIdle(): void {
    if (this.handlers === 0 && this.responses <= 0) this.idle?.();
  }
}
