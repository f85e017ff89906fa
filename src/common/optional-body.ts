import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

const OPTIONAL_BODY = 'optionalBody';

/**
 * The route's JSON body may be left out. Zero bytes sent as `Content-Type: application/json` then count as no body
 * (Swagger UI and some HTTP clients send exactly that for an emptied body field) rather than `400 invalid_json`.
 */
export const OptionalBody = () => RouteConfig({ [OPTIONAL_BODY]: true });

/**
 * Replaces Fastify's JSON parser with the same parser (prototype and constructor poisoning refused) that lets an
 * empty body through as absent on @OptionalBody() routes only; everywhere else an empty JSON body stays an error.
 */
export function acceptEmptyJsonOnOptionalBodyRoutes(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '' && config?.[OPTIONAL_BODY] === true) {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
