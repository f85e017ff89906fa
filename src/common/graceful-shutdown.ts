import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { errorBody } from './error-body.js';
import { ERRORS } from './error-codes.js';
import { InFlightRequests } from './in-flight-requests.js';

type Phase = 'serving' | 'stopping' | 'closing';

/** How long a kept-alive connection may stay idle once closing, in case its client sends one more request. */
const IDLE_CONNECTION_GRACE_MS = 500;
const DRAIN_POLL_MS = 20;

/**
 * The shutdown sequence (SIGTERM/SIGINT, or app.close()), run before Nest closes the HTTP server and then, in
 * onApplicationShutdown, the background jobs, the revocation feed and the database pool:
 * 1. `stopping`: /health/ready answers 503 at once, everything else is served as usual for SHUTDOWN_DELAY_SECONDS,
 *    so that a load balancer notices and sends no more;
 * 2. `closing`: the listening socket closes (new connections are refused); a request arriving on a kept-alive
 *    connection gets `503 shutting_down` with `Connection: close`, and so do answers to requests already accepted,
 *    so clients stop reusing the connection;
 * 3. requests accepted before (and handlers whose client hung up) finish, and connections close, for up to
 *    SHUTDOWN_TIMEOUT_SECONDS; connections idle for 0.5 s are closed; after the timeout the rest are cut.
 * Fastify's own return503OnClosing is off: its body is not our error shape, and it starts only after these steps.
 */
@Injectable()
export class GracefulShutdown implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);
  private phase: Phase = 'serving';
  private connections = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly inFlight: InFlightRequests,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  private readonly answerObservers: Array<(request: FastifyRequest, reply: FastifyReply) => void> = [];

  /**
   * Called from this onSend hook for every answer, before it is written (the response headers, the request metrics):
   * one more hook would cost every request measurably more than one more call in a hook that runs anyway.
   */
  observeAnswers(observer: (request: FastifyRequest, reply: FastifyReply) => void): void {
    this.answerObservers.push(observer);
  }

  /** True from the first moment of shutdown: readiness fails. */
  get stopping(): boolean {
    return this.phase !== 'serving';
  }

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.on('connection', (socket: Socket) => {
      this.connections++;
      socket.once('close', () => this.connections--);
    });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // One hook per phase of a request for everything shutdown needs: the gate, then the count of what to wait for
    // (a request refused at the gate is never counted).
    fastify.addHook('onRequest', (request, reply, done) => {
      if (this.phase === 'closing') {
        const body = errorBody(ERRORS.shutting_down.status, 'shutting_down', ERRORS.shutting_down.message);
        void reply.code(body.statusCode).header('connection', 'close').send(body);
        return;
      }
      this.inFlight.started(request, reply);
      done();
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      this.inFlight.answered(request);
      for (const observe of this.answerObservers) observe(request, reply);
      if (this.phase === 'closing') void reply.header('connection', 'close');
      done(null, payload);
    });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.phase = 'stopping';
    const delaySeconds = this.config.shutdownDelaySeconds;
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}: readiness fails now, requests served for ${delaySeconds} s more`);
    if (delaySeconds > 0) await sleep(delaySeconds * 1000);

    this.phase = 'closing';
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    // Stops listening only. http.Server#close would also close idle kept-alive connections at once, and a client
    // sending on one at that instant gets a reset; left open a moment, its next request gets a clean 503 with
    // Connection: close instead, and the client moves on.
    if (server.listening) NetServer.prototype.close.call(server);
    const startedAt = Date.now();
    const deadline = startedAt + this.config.shutdownTimeoutSeconds * 1000;
    while (Date.now() < deadline) {
      if (this.inFlight.size === 0 && this.inFlight.open === 0 && this.connections === 0) return;
      // Connections that stayed idle through the grace are of clients that send nothing more: close them.
      if (Date.now() - startedAt >= IDLE_CONNECTION_GRACE_MS) server.closeIdleConnections();
      await sleep(DRAIN_POLL_MS);
    }
    this.logger.warn(
      `shutting down with ${this.inFlight.open} response(s) unsent and ${this.inFlight.size} handler(s) running ` +
        `after ${this.config.shutdownTimeoutSeconds} s`,
    );
    server.closeAllConnections();
  }
}
