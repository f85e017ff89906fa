import type { FastifyReply } from 'fastify';
import { REFRESH_COOKIE } from './strategies/refresh-token.strategy.js';

/** The refresh token travels to browsers only as an HttpOnly, SameSite=Strict cookie scoped to /auth. */
export function setRefreshCookie(reply: FastifyReply, token: string, maxAgeSeconds: number, secure: boolean): void {
  void reply.setCookie(REFRESH_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/auth', maxAge: maxAgeSeconds, secure });
}

export function clearRefreshCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/auth', secure });
}
