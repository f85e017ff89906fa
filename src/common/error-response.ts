import { HttpException } from '@nestjs/common';
import { ApiException } from './api-exception.js';
import { errorBody, type ErrorBody } from './error-body.js';
import { codeForStatus, ERRORS, type ErrorCode } from './error-codes.js';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableReason } from '../database/database-unavailable.js';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** Whether this is our fault (5xx), worth logging with its stack. */
  unexpected: boolean;
  /** Set when the database is unavailable: the driver's reason, for the outage summary instead of a stack. */
  databaseUnavailable?: string;
}

/** Errors raised by Fastify itself before a route runs (body parsing, content type, size). */
const FASTIFY_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
};

/** Maps anything thrown anywhere to our one error shape; never exposes stacks or SQL. */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof ApiException) {
    return respond(exception.code, exception.message, exception.details, exception.headers);
  }
  if (exception instanceof HttpException && exception.cause !== undefined) {
    // Nest wraps Fastify's own errors (body parsing, size, media type); the cause says which.
    const mapped = fromFastify(exception.cause);
    if (mapped) return mapped;
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    const message = typeof payload === 'string' ? payload : messageOf(payload) ?? ERRORS[codeForStatus(status)].message;
    const details = healthDetails(payload);
    return { ...respond(codeForStatus(status), message, details), status };
  }
  const mapped = fromFastify(exception);
  if (mapped) return mapped;
  const reason = databaseUnavailableReason(exception);
  if (reason) {
    const response = respond('database_unavailable', ERRORS.database_unavailable.message, undefined, {
      'retry-after': String(DATABASE_RETRY_AFTER_SECONDS),
    });
    return { ...response, databaseUnavailable: reason };
  }
  const status = statusOf(exception);
  if (status !== undefined && status >= 400 && status < 500) {
    const code = codeForStatus(status);
    return { ...respond(code, ERRORS[code].message), status };
  }
  return { ...respond('internal_error', ERRORS.internal_error.message), unexpected: true };
}

function respond(code: ErrorCode, message: string, details?: unknown, headers: Record<string, string> = {}): ErrorResponse {
  const status: number = ERRORS[code].status;
  // A 503 (database down, readiness failing, shutting down) is an expected state, logged where its cause is known.
  return { status, body: errorBody(status, code, message, details), headers, unexpected: status >= 500 && status !== 503 };
}

function messageOf(payload: object): string | undefined {
  const message = (payload as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return undefined;
}

/** Terminus answers 503 with a per-check report; keep each check's status, drop driver messages. */
function healthDetails(payload: unknown): Record<string, { status: unknown }> | undefined {
  if (typeof payload !== 'object' || payload === null || !('details' in payload)) return undefined;
  const checks = (payload.details ?? {}) as Record<string, { status?: unknown }>;
  return Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, { status: check.status }]));
}

function fromFastify(exception: unknown): ErrorResponse | undefined {
  const fastifyCode = (exception as { code?: unknown } | null)?.code;
  const code: ErrorCode | undefined =
    typeof fastifyCode === 'string' && fastifyCode in FASTIFY_ERRORS
      ? FASTIFY_ERRORS[fastifyCode]
      : exception instanceof SyntaxError && statusOf(exception) === 400
        ? 'invalid_json'
        : undefined;
  return code ? respond(code, ERRORS[code].message) : undefined;
}

function statusOf(exception: unknown): number | undefined {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
