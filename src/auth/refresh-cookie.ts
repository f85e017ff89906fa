import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const REFRESH_COOKIE = 'refresh_token';

const REFRESH_COOKIE_ATTRIBUTES = { httpOnly: true, sameSite: 'strict', path: '/auth' } as const;

/** The refresh token travels to browsers only as an HttpOnly, SameSite=Strict cookie scoped to /auth. */
export function setRefreshCookie(reply: FastifyReply, token: string, maxAgeSeconds: number, secure: boolean): void {
  void reply.header('set-cookie', stringifySetCookie({ name: REFRESH_COOKIE, value: token, ...REFRESH_COOKIE_ATTRIBUTES, maxAge: maxAgeSeconds, secure }));
}

export function clearRefreshCookie(reply: FastifyReply, secure: boolean): void {
  void reply.header(
    'set-cookie',
    stringifySetCookie({ name: REFRESH_COOKIE, value: '', ...REFRESH_COOKIE_ATTRIBUTES, expires: new Date(0), maxAge: 0, secure }),
  );
}

/** The refresh cookie of a request, parsed only here: no other route reads a cookie, so no request pays for it. */
export function refreshCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[REFRESH_COOKIE] : undefined;
}
