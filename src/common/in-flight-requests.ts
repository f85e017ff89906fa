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
      });
      done();
    });
  }
}
