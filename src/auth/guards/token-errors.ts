import jwt from 'jsonwebtoken';
import { ApiException } from '../../common/api-exception.js';
import type { ErrorCode } from '../../common/error-codes.js';

const NO_TOKEN = 'No auth token';

/**
 * Turns whatever passport-jwt reported into our error, with the RFC 6750 WWW-Authenticate challenge:
 * no error attribute when credentials are missing, `error="invalid_token"` when they are bad.
 */
export function tokenError(reason: unknown, codes: { missing: ErrorCode; expired: ErrorCode }, realm: string): ApiException {
  if (reason instanceof ApiException) return reason;
  if (reason instanceof Error && reason.message === NO_TOKEN) {
    return new ApiException(codes.missing, undefined, undefined, { 'www-authenticate': `Bearer realm="${realm}"` });
  }
  const expired = reason instanceof jwt.TokenExpiredError;
  const code = expired ? codes.expired : 'invalid_token';
  const description = expired ? 'The token has expired' : 'The token is invalid';
  return new ApiException(code, undefined, undefined, {
    'www-authenticate': `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`,
  });
}
