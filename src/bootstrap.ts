import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { clientErrorHandler } from './common/client-error.js';
import { parseOAuthForm } from './common/form-body.js';
import { createRootLogger, lazyChildLogger, PinoNestLogger, requestId } from './common/logging.js';
import { acceptEmptyJsonOnOptionalBodyRoutes } from './common/optional-body.js';
import { responseHeaders } from './common/response-headers.js';
import { appConfig, type AppConfig } from './config/app.config.js';
import { securityConfig, type SecurityConfig } from './config/security.config.js';
import { GracefulShutdown } from './common/graceful-shutdown.js';
import { Metrics } from './metrics/metrics.service.js';
import { setupSwagger } from './swagger.js';

/**
 * Nest's own body parsers stay off: Fastify's JSON parser (secure-json-parse, prototype poisoning refused)
 * is the only one, so text and (outside /oauth/) form bodies get 415 instead of reaching the DTOs.
 */
export const APP_OPTIONS = { bodyParser: false, bufferLogs: true } as const;

/** X-Request-Id and the security headers (helmet's defaults, the https-only two over https), on every answer. */
const writeResponseHeaders = responseHeaders();

function answerRouterRejection(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  writeResponseHeaders(request, reply);
  void reply.send(error);
}

export function createAdapter(config: AppConfig = appConfig(), logDestination?: DestinationStream): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    loggerInstance: createRootLogger(config.logLevel, logDestination),
    genReqId: requestId,
    // A request's child logger is built only when something at an enabled level is logged through it.
    childLoggerFactory: lazyChildLogger,
    // No Nest middleware is used: without middie, no request runs its hook.
    skipMiddie: true,
    // Off: GracefulShutdown answers 503 shutting_down in our error shape, from the moment the server stops listening.
    return503OnClosing: false,
    trustProxy: config.trustProxy,
    clientErrorHandler,
    // The router refuses a malformed URL (400) or an over-long parameter (414) before any hook runs, and the onSend
    // hooks of its answer are not the application's: the headers are written here for it.
    frameworkErrors: answerRouterRejection,
  });
}

/** Everything main.ts and the e2e tests both need on top of AppModule. */
export function configureApp(
  app: NestFastifyApplication,
  config: AppConfig = appConfig(),
  security: SecurityConfig = securityConfig(),
): void {
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only: any other content type is a 415 rather than a string the DTOs would have to reject.
  fastify.removeContentTypeParser(['text/plain']);
  // Except the OAuth endpoints, which RFC 7009 and 7662 bind to form bodies; the parser refuses them elsewhere.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, parseOAuthForm);
  acceptEmptyJsonOnOptionalBodyRoutes(fastify);
  const shutdown = app.get(GracefulShutdown);
  // Swagger UI loads only same-origin scripts, so the CSP holds.
  shutdown.observeAnswers(writeResponseHeaders);
  recordRequestDurations(shutdown, app.get(Metrics));
  // Browsers may call from the listed origins only, with credentials (the refresh cookie) only for them.
  if (security.corsOrigins.length > 0) {
    const allowed = new Set(security.corsOrigins);
    app.enableCors({
      delegator: (request, decide) => {
        const origin = request.headers.origin;
        decide(null, origin && allowed.has(origin) ? { origin, credentials: true, maxAge: 600 } : { origin: false });
      },
    });
  }
  app.useLogger(new PinoNestLogger(fastify.log));
  app.enableShutdownHooks();
  if (config.swaggerEnabled) setupSwagger(app);
}

/**
 * http_request_duration_seconds by route template (never the raw URL), only when metrics are served at all; timed
 * when the reply is handed over, from the onSend hook GracefulShutdown runs for every request anyway.
 */
function recordRequestDurations(shutdown: GracefulShutdown, metrics: Metrics): void {
  if (!metrics.enabled) return;
  shutdown.observeAnswers((request, reply) =>
    metrics.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000),
  );
}
