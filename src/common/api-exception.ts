import { HttpException } from '@nestjs/common';
import { ERRORS, type ErrorCode } from './error-codes.js';

export interface ErrorDetail {
  field: string;
  messages: string[];
}

/** The one exception the application throws: a stable code, an HTTP status derived from it, optional headers. */
export class ApiException extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message, ERRORS[code].status);
  }
}
