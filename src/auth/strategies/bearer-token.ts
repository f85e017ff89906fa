import type { IncomingHttpHeaders } from 'node:http';

const BEARER = /^Bearer +(\S+)$/i;

const EXTRACTED = Symbol('bearer-token');

type Request = { headers: IncomingHttpHeaders; [EXTRACTED]?: string | null };

/**
 * The credentials of `Authorization: Bearer <token>` (RFC 6750), or null. Read once per request: the guard, the
 * strategy and the refresh-token locator all ask, and the answer is kept on the request.
 */
export function bearerToken(request: { headers: IncomingHttpHeaders }): string | null {
  const carrier = request as Request;
  const known = carrier[EXTRACTED];
  if (known !== undefined) return known;
  const header = request.headers.authorization;
  return (carrier[EXTRACTED] = typeof header === 'string' ? (BEARER.exec(header)?.[1] ?? null) : null);
}
