import { HttpException, HttpStatus } from '@nestjs/common';
import jwt from 'jsonwebtoken';

/** No `Authorization: Bearer` credentials at all. */
export class MissingTokenError extends Error {
  override name = 'MissingTokenError';
}

/** The authorization server (JWKS or introspection) did not give a usable answer in time. */
export class AuthServerUnavailableError extends Error {
  override name = 'AuthServerUnavailableError';
}

/** The signature and claims are fine, but introspection says the token is no longer active (its session ended). */
export class TokenInactiveError extends Error {
  override name = 'TokenInactiveError';
}

const RETRY_AFTER_SECONDS = 5;

/**
 * The HTTP answer for a request that was not admitted, in the authorization server's error shape
 * `{ statusCode, error, code, message }`, with the RFC 6750 challenge: no `error` attribute when there
 * were no credentials, `error="invalid_token"` when they were bad.
 */
export function bearerRefusal(reason: unknown, realm: string): { exception: HttpException; headers: Record<string, string> } {
  if (reason instanceof MissingTokenError) return unauthorized('missing_token', 'An access token is required', `Bearer realm="${realm}"`);
  // Fail closed, but not with 401: the token may be perfectly valid, and a 401 would send every client to
  // refresh or log in again at once, against an authorization server that is already struggling.
  if (reason instanceof AuthServerUnavailableError) {
    const body = {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      code: 'service_unavailable',
      message: 'The access token could not be checked with the authorization server; retry later',
    };
    return { exception: new HttpException(body, body.statusCode), headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } };
  }
  const [code, message] =
    reason instanceof jwt.TokenExpiredError
      ? ['token_expired', 'The access token has expired']
      : reason instanceof TokenInactiveError
        ? ['token_revoked', 'The session of this access token has been ended']
        : ['invalid_token', 'The access token is invalid'];
  return unauthorized(code, message, `Bearer realm="${realm}", error="invalid_token", error_description="${message}"`);
}

function unauthorized(code: string, message: string, challenge: string) {
  const body = { statusCode: HttpStatus.UNAUTHORIZED, error: 'Unauthorized', code, message };
  return { exception: new HttpException(body, body.statusCode), headers: { 'www-authenticate': challenge } };
}
