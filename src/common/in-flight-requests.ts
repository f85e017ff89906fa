import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

const COUNTED = Symbol('in-flight');

/**
 * Counts what shutdown must wait for before the database closes, with Fastify hooks (GracefulShutdown installs
 * them) rather than a Nest interceptor, which would cost every request an Observable pipe:
 * - requests whose response has not been sent, from their first byte until the response is sent or the connection
 *   is gone, including those still in guards or body parsing;
 * - requests whose handler has not answered yet: a client that hangs up mid-request (a timeout, a load balancer)
 *   ends its response but leaves its handler running, and without this it would meet a closed pool half-way,
 *   e.g. between spending a refresh token and storing its successor. The handler's answer reaches Fastify's
 *   onSend hook even when the connection is gone, so that is where such a request stops counting.
 */
@Injectable()
export class InFlightRequests {
  private handlers = 0;
  private responses = 0;
  /** One function for every response, not a closure per request. */
  private readonly closed = (): void => {
    this.responses--;
  };

  /** Requests whose handler has not answered yet. */
  get size(): number {
    return this.handlers;
  }

  /** Requests not yet answered. */
  get open(): number {
    return this.responses;
  }

  /** From an onRequest hook: the request counts until it is answered and until its response is gone. */
  started(request: FastifyRequest, reply: FastifyReply): void {
    this.responses++;
    this.handlers++;
    (request as FastifyRequest & { [COUNTED]?: boolean })[COUNTED] = true;
    // A ServerResponse closes once, when it has been sent or when its connection is gone before that (`on`, not
    // `once`: nothing to unwrap or remove on a response that is done).
    reply.raw.on('close', this.closed);
  }

  /** From an onSend hook: the request's answer exists (it may still be on its way, or have nowhere to go). */
  answered(request: FastifyRequest): void {
    const counted = request as FastifyRequest & { [COUNTED]?: boolean };
    // onSend may run twice for one request (an error while sending is answered again), and not at all for one refused
    // before it was counted.
    if (counted[COUNTED] !== true) return;
    counted[COUNTED] = false;
    this.handlers--;
  }
}
