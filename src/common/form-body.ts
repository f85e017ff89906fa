import { errorCodes, type FastifyRequest } from 'fastify';

/** The only routes that take form bodies: RFC 7009 and RFC 7662 require application/x-www-form-urlencoded. */
const FORM_ROUTE_PREFIX = '/oauth/';

/**
 * Fastify content-type parser for application/x-www-form-urlencoded. It answers 415 on every route outside
 * /oauth/, judged by the matched route (not the raw URL, which could say `/oauth/../auth/signup`), so the rest
 * of the API stays JSON-only.
 */
export function parseOAuthForm(
  request: FastifyRequest,
  body: string,
  done: (error: Error | null, body?: Record<string, string | string[]>) => void,
): void {
  if (!request.routeOptions.url?.startsWith(FORM_ROUTE_PREFIX)) {
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(String(request.headers['content-type'])));
    return;
  }
  done(null, formFields(body));
}

/**
 * The fields as a plain object. A repeated field becomes an array, which the DTOs refuse (RFC 6749 §3.2: no
 * parameter twice). Object.fromEntries defines own properties, so a field named `__proto__` cannot reach the
 * prototype; the validation pipe then refuses it as unknown.
 */
export function formFields(body: string): Record<string, string | string[]> {
  const fields = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = fields.get(name);
    fields.set(name, seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]);
  }
  return Object.fromEntries(fields);
}
