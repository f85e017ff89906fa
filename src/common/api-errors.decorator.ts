import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody } from './error-body.js';
import { ERRORS, type ErrorCode } from './error-codes.js';

/** Documents the error responses of a route, grouped by status, with the codes each status can carry. */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({ status, type: ErrorBody, description: `code: ${list.map((c) => `\`${c}\``).join(', ')}` }),
    ),
  );
}
