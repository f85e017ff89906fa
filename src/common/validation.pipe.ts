import { type ArgumentMetadata, Injectable, ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { ApiException, type ErrorDetail } from './api-exception.js';

/** Our DTOs are flat; anything nested deeper than this is an attack on the validator's recursion. */
const MAX_DEPTH = 32;

/**
 * Whitelisting validation that answers `400 validation_failed` with one entry per field,
 * and refuses bodies that are not a JSON object (arrays, strings, numbers, null) before they reach a DTO.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ApiException('validation_failed', undefined, flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = (metadata.type === 'body' || metadata.type === 'query') && typeof metadata.metatype === 'function' && metadata.metatype !== Object
      ? metadata.metatype
      : undefined;
    if (!dto) return super.transform(value, metadata);
    // No body at all is an empty object: the DTO's rules decide whether that is enough.
    if (value === undefined) return super.transform({}, metadata);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ApiException('validation_failed', 'The request body must be a JSON object', [
        { field: '(body)', messages: ['must be a JSON object'] },
      ]);
    }
    refuseHostileShapes(value as Record<string, unknown>, dto);
    return super.transform(value, metadata);
  }
}

/**
 * Checks class-transformer and class-validator cannot be trusted with: keys named like Object.prototype
 * members (class-transformer silently drops them, so "unknown field" would never fire), nesting deep enough
 * to overflow their recursion, and strings with lone surrogates (validator.js throws on them).
 */
function refuseHostileShapes(value: Record<string, unknown>, dto: new (...args: never[]) => unknown): void {
  const declared = declaredProperties(dto);
  const unknown = Object.keys(value).filter((key) => !declared.has(key));
  if (unknown.length > 0) {
    throw new ApiException('validation_failed', undefined, unknown.map((field) => ({ field, messages: [`property ${field} should not exist`] })));
  }
  const pending: Array<[unknown, number, string]> = Object.entries(value).map(([key, item]) => [item, 1, key]);
  while (pending.length > 0) {
    const [item, depth, field] = pending.pop()!;
    if (typeof item === 'string' && !item.isWellFormed()) {
      throw new ApiException('validation_failed', undefined, [{ field, messages: [`${field} is not well-formed Unicode`] }]);
    }
    if (typeof item === 'object' && item !== null) {
      if (depth > MAX_DEPTH) throw new ApiException('validation_failed', undefined, [{ field, messages: [`${field} is nested too deeply`] }]);
      for (const child of Object.values(item)) pending.push([child, depth + 1, field]);
    }
  }
}

/** A DTO's decorators never change after start-up: its property names are read from class-validator once. */
const declaredByDto = new WeakMap<object, ReadonlySet<string>>();

function declaredProperties(dto: new (...args: never[]) => unknown): ReadonlySet<string> {
  let declared = declaredByDto.get(dto);
  if (!declared) {
    declared = new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName));
    declaredByDto.set(dto, declared);
  }
  return declared;
}

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
