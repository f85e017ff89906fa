import type { SecurityHeadersOptions } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/**
 * Helmet's defaults, except `upgrade-insecure-requests`: sent over plain http (a host name other than localhost in a
 * test or an intranet), it made the browser fetch Swagger UI's CSS and JS over https, and /docs went blank.
 */
export const SECURITY_HEADERS: SecurityHeadersOptions = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
};

/** Adds `upgrade-insecure-requests` back when the request reached us over https (directly or per X-Forwarded-Proto with TRUST_PROXY). */
export function upgradeInsecureRequestsOverHttps(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.protocol === 'https') {
      const policy = reply.raw.getHeader('content-security-policy');
      if (typeof policy === 'string') reply.raw.setHeader('content-security-policy', `${policy};upgrade-insecure-requests`);
    }
    done();
  });
}
