import type { SecurityHeadersOptions } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/**
 * Helmet's defaults, except two that only mean something over https and did harm over plain http under a host name
 * other than localhost (a test box, an intranet): `upgrade-insecure-requests` made the browser fetch Swagger UI's CSS
 * and JS over https, so /docs went blank; `Cross-Origin-Opener-Policy` is ignored there and logs a console error.
 */
export const SECURITY_HEADERS: SecurityHeadersOptions = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  crossOriginOpenerPolicy: false,
};

/** Adds both back when the request reached us over https (directly, or per X-Forwarded-Proto with TRUST_PROXY). */
export function httpsOnlySecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.protocol === 'https') {
      const policy = reply.raw.getHeader('content-security-policy');
      if (typeof policy === 'string') reply.raw.setHeader('content-security-policy', `${policy};upgrade-insecure-requests`);
      reply.raw.setHeader('cross-origin-opener-policy', 'same-origin');
    }
    done();
  });
}
