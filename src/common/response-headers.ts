import type { SecurityHeadersOptions } from '@nestjs/common';
import { resolveSecurityHeaders } from '@nestjs/core/security/security-headers.js';
import type { FastifyRequest } from 'fastify';

/**
 * Helmet's defaults, except two that only mean something over https and did harm over plain http under a host name
 * other than localhost (a test box, an intranet): `upgrade-insecure-requests` made the browser fetch Swagger UI's CSS
 * and JS over https, so /docs went blank; `Cross-Origin-Opener-Policy` is ignored there and logs a console error.
 * The hook adds both back when the request reached us over https (directly, or per X-Forwarded-Proto with TRUST_PROXY).
 */
export const SECURITY_HEADERS: SecurityHeadersOptions = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  crossOriginOpenerPolicy: false,
};

/** What the hook writes to: the Node.js response (Fastify merges its headers into every reply). */
interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
}

/**
 * The headers every response carries, written by one request hook: `X-Request-Id`, and Nest 12's security headers
 * (resolved once at start-up as `app.useSecurityHeaders(SECURITY_HEADERS)` would, plus the https-only two). Installed
 * in the adapter's security-hook slot, which Fastify runs for every request — router rejections (a malformed URL)
 * included — so those answers carry them too, at the cost of one hook instead of three.
 */
export function responseHeadersHook(options: SecurityHeadersOptions = SECURITY_HEADERS): (request: FastifyRequest, response: HeaderTarget) => undefined {
  const { headers, removeHeaders } = resolveSecurityHeaders(options);
  const policy = headers.find(([name]) => name.toLowerCase() === 'content-security-policy')?.[1];
  return (request, response) => {
    response.setHeader('x-request-id', request.id);
    for (const [name, value] of headers) response.setHeader(name, value);
    for (const name of removeHeaders) response.removeHeader(name);
    if (request.protocol === 'https') {
      if (policy !== undefined) response.setHeader('content-security-policy', `${policy};upgrade-insecure-requests`);
      response.setHeader('cross-origin-opener-policy', 'same-origin');
    }
    return undefined;
  };
}
