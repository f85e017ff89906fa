import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody, errorBody } from './error-body.js';
import { ERRORS, type ErrorCode } from './error-codes.js';

const DOCUMENTED_CODES = Symbol('api-errors:codes');

/**
 * Documents the error responses of a route, grouped by status, with the codes each status can carry and one
 * example body per code (so a 401 shows `token_expired`, never a 400's `validation_failed`). Several ApiErrors on one
 * route (say @RateLimited's `rate_limited` and the route's own `login_blocked`) add up rather than replace each other.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const decorator = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const host: object = descriptor ? (descriptor.value as object) : target;
    const known = (Reflect.getMetadata(DOCUMENTED_CODES, host) as ErrorCode[] | undefined) ?? [];
    const all = [...new Set([...known, ...codes])];
    Reflect.defineMetadata(DOCUMENTED_CODES, all, host);
    for (const [status, list] of byStatus(all)) {
      ApiResponse(
        {
          status,
          type: ErrorBody,
          description: `code: ${list.map((code) => `\`${code}\``).join(', ')}`,
          examples: Object.fromEntries(
            list.map((code) => [code, { summary: code, value: errorBody(status, code, ERRORS[code].message) }]),
          ),
        },
        { overrideExisting: true },
      )(target, key!, descriptor!);
    }
  };
  return decorator;
}

function byStatus(codes: ErrorCode[]): Map<number, ErrorCode[]> {
  const groups = new Map<number, ErrorCode[]>();
  for (const code of codes) groups.set(ERRORS[code].status, [...(groups.get(ERRORS[code].status) ?? []), code]);
  return groups;
}
