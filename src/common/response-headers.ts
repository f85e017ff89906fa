import { resolveSecurityHeaders } from '@nestjs/core/security/security-headers.js';
import type { FastifyRequest } from 'fastify';

/** What the hook writes to: the Node.js response (Fastify merges its headers into every reply). */
interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
}

/**
 * The headers every response carries, written by one request hook: `X-Request-Id`, and Nest 12's security headers
 * (helmet's defaults, resolved once at start-up as `app.useSecurityHeaders()` would). Installed in the adapter's
 * security-hook slot, which Fastify runs for every request — router rejections (a malformed URL) included — so
 * those answers carry them too, at the cost of one hook instead of two.
 */
export function responseHeadersHook(): (request: FastifyRequest, response: HeaderTarget) => undefined {
  const { headers, removeHeaders } = resolveSecurityHeaders();
  return (request, response) => {
    response.setHeader('x-request-id', request.id);
    for (const [name, value] of headers) response.setHeader(name, value);
    for (const name of removeHeaders) response.removeHeader(name);
    return undefined;
  };
}
