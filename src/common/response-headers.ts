import type { SecurityHeadersOptions } from '@nestjs/common';
import { resolveSecurityHeaders } from '@nestjs/core/security/security-headers.js';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Helmet's defaults, except two that only mean something over https and did harm over plain http under a host name
 * other than localhost (a test box, an intranet): `upgrade-insecure-requests` made the browser fetch Swagger UI's CSS
 * and JS over https, so /docs went blank; `Cross-Origin-Opener-Policy` is ignored there and logs a console error.
 * Both are added back when the request reached us over https (directly, or per X-Forwarded-Proto with TRUST_PROXY).
 */
export const SECURITY_HEADERS: SecurityHeadersOptions = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  crossOriginOpenerPolicy: false,
};

/**
 * What every answer carries: `X-Request-Id`, and Nest 12's security headers (resolved once at start-up as
 * `app.useSecurityHeaders(SECURITY_HEADERS)` would, plus the https-only two). Written into Fastify's reply as it is
 * sent (GracefulShutdown's onSend hook calls it), so answers from any path carry them — guards, filters, the 404
 * handler, router rejections of a malformed URL — and Node.js writes them with the reply's own in one `writeHead`,
 * instead of each going through `ServerResponse#setHeader` first.
 */
export function responseHeaders(options: SecurityHeadersOptions = SECURITY_HEADERS): (request: FastifyRequest, reply: FastifyReply) => void {
  const resolved = resolveSecurityHeaders(options);
  // Lower-case, as Fastify keys its reply headers: no name is lower-cased again per request.
  const headers = resolved.headers.map(([name, value]) => [name.toLowerCase(), value] as const);
  const removed = resolved.removeHeaders.map((name) => name.toLowerCase());
  const policy = headers.find(([name]) => name === 'content-security-policy')?.[1];
  const httpsPolicy = policy === undefined ? undefined : `${policy};upgrade-insecure-requests`;
  return (request, reply) => {
    void reply.header('x-request-id', request.id);
    for (const [name, value] of headers) void reply.header(name, value);
    for (const name of removed) void reply.removeHeader(name);
    if (request.protocol === 'https') {
      if (httpsPolicy !== undefined) void reply.header('content-security-policy', httpsPolicy);
      void reply.header('cross-origin-opener-policy', 'same-origin');
    }
  };
}
