import { STATUS_CODES } from 'node:http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** The single JSON shape of every error response. */
export class ErrorBody {
  @ApiProperty({ type: 'integer', example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request', description: 'HTTP reason phrase' })
  error: string;

  @ApiProperty({ enum: ERROR_CODES, example: 'validation_failed', description: 'Stable machine-readable code' })
  code: ErrorCode;

  @ApiProperty({ example: 'Request validation failed' })
  message: string;

  @ApiPropertyOptional({
    description: 'For `validation_failed`: one entry per invalid field; for a failing readiness check: each check\'s status',
    oneOf: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: { field: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } },
        },
      },
      { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string' } } } },
    ],
    example: [{ field: 'email', messages: ['email must be an email'] }],
  })
  details?: unknown;
}

export function errorBody(statusCode: number, code: ErrorCode, message: string, details?: unknown): ErrorBody {
  const body: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message };
  if (details !== undefined) body.details = details;
  return body;
}
