import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { errorBody } from './error-body.js';
import { ERRORS } from './error-codes.js';
import { InFlightRequests } from './in-flight-requests.js';

type Phase = 'serving' | 'stopping' | 'closing';

/**
 * The shutdown sequence (SIGTERM/SIGINT, or app.close()), run before Nest closes the HTTP server and then, in
 * onApplicationShutdown, the background jobs, the revocation feed and the database pool:
 * 1. `stopping`: /health/ready answers 503 at once, everything else is served as usual for SHUTDOWN_DELAY_SECONDS,
 *    so that a load balancer notices and sends no more;
 * 2. `closing`: the listening socket closes (new connections are refused); a request arriving on a kept-alive
 *    connection gets `503 shutting_down` with `Connection: close`, and so do answers to requests already accepted,
 *    so clients stop reusing the connection;
 * 3. requests accepted before (and handlers whose client hung up) finish, for up to SHUTDOWN_TIMEOUT_SECONDS;
 *    after that the remaining connections are cut.
 * Fastify's own return503OnClosing is off: its body is not our error shape, and it starts only after these steps.
 */
@Injectable()
export class GracefulShutdown implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);
  private phase: Phase = 'serving';

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly inFlight: InFlightRequests,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  /** True from the first moment of shutdown: readiness fails. */
  get stopping(): boolean {
    return this.phase !== 'serving';
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (_request, reply, done) => {
      if (this.phase !== 'closing') return done();
      const body = errorBody(ERRORS.shutting_down.status, 'shutting_down', ERRORS.shutting_down.message);
      void reply.code(body.statusCode).header('connection', 'close').send(body);
    });
    // Registered after the gate above, so a request refused there is never counted as one to wait for.
    this.inFlight.countResponses(fastify);
    fastify.addHook('onSend', (_request, reply, payload, done) => {
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
    // Stops listening only. http.Server#close would also close idle kept-alive connections, and a client sending on
    // one at that instant gets a reset; left open, its next request gets a clean 503 with Connection: close instead.
    // Fastify's close (after this hook) closes whatever is still idle.
    if (server.listening) NetServer.prototype.close.call(server);
    const timeoutMs = this.config.shutdownTimeoutSeconds * 1000;
    if (await this.inFlight.whenIdle(timeoutMs)) return;
    this.logger.warn(
      `shutting down with ${this.inFlight.open} response(s) unsent and ${this.inFlight.size} handler(s) running after ${timeoutMs} ms`,
    );
    server.closeAllConnections();
  }
}
