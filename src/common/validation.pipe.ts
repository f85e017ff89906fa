import { type ArgumentMetadata, Injectable, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiException, type ErrorDetail } from './api-exception.js';

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
    const isDto = metadata.type === 'body' && typeof metadata.metatype === 'function' && metadata.metatype !== Object;
    // No body at all is an empty object: the DTO's rules decide whether that is enough.
    if (isDto && value === undefined) return super.transform({}, metadata);
    if (isDto && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new ApiException('validation_failed', 'The request body must be a JSON object', [
        { field: '(body)', messages: ['must be a JSON object'] },
      ]);
    }
    return super.transform(value, metadata);
  }
}

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
