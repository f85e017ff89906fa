/**
 * Every machine-readable error code the API can answer with, its HTTP status and default message.
 * Clients switch on `code`; these strings are a public contract and never change meaning.
 */
export const ERRORS = {
  bad_request: { status: 400, message: 'The request is invalid' },
  validation_failed: { status: 400, message: 'Request validation failed' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON' },
  link_invalid: { status: 400, message: 'The link is invalid, expired or already used; ask for a new one' },
  unauthorized: { status: 401, message: 'Authentication is required' },
  invalid_credentials: { status: 401, message: 'Invalid login or password' },
  invalid_client: { status: 401, message: 'Client authentication failed' },
  missing_token: { status: 401, message: 'An access token is required' },
  invalid_token: { status: 401, message: 'The token is invalid' },
  token_expired: { status: 401, message: 'The access token has expired' },
  token_mismatch: { status: 401, message: 'The access token does not belong to this refresh token' },
  premature_refresh: { status: 401, message: 'The access token is still valid; the session has been revoked as a precaution' },
  missing_refresh_token: { status: 401, message: 'A refresh token is required' },
  refresh_token_expired: { status: 401, message: 'The refresh token has expired; log in again' },
  refresh_token_revoked: { status: 401, message: 'The refresh token has been revoked; log in again' },
  session_expired: { status: 401, message: 'The session has expired (idle too long or past its lifetime); log in again' },
  token_revoked: { status: 401, message: 'The session of this access token has been ended' },
  refresh_token_reused: { status: 401, message: 'The refresh token was already used; the session has been revoked' },
  forbidden: { status: 403, message: 'You are not allowed to do this' },
  email_not_verified: { status: 403, message: 'Verify your email address first: follow the link in the mail we sent' },
  not_found: { status: 404, message: 'Resource not found' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  user_exists: { status: 409, message: 'A user with this email or username already exists' },
  request_timeout: { status: 408, message: 'The request took too long to arrive' },
  payload_too_large: { status: 413, message: 'The request body is too large' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json' },
  rate_limited: { status: 429, message: 'Too many requests; retry later' },
  login_blocked: { status: 429, message: 'Too many failed logins from here; retry later' },
  headers_too_large: { status: 431, message: 'The request headers are too large' },
  internal_error: { status: 500, message: 'Internal server error' },
  service_unavailable: { status: 503, message: 'Service unavailable' },
  busy: { status: 503, message: 'Too many password checks are waiting; retry shortly' },
  database_unavailable: { status: 503, message: 'The database is unavailable; retry later' },
  shutting_down: { status: 503, message: 'This instance is shutting down; retry' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The code used when something other than an ApiException produced a given status. */
export function codeForStatus(status: number): ErrorCode {
  const byStatus: Record<number, ErrorCode> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
    503: 'service_unavailable',
  };
  return byStatus[status] ?? (status < 500 ? 'bad_request' : 'internal_error');
}
