import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiException } from './api-exception.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A path id that must be a UUID. Anything else is `404 not_found`, like an unknown id — and never reaches the
 * database, where MySQL would ignore trailing spaces in the comparison.
 */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  constructor(private readonly what = 'resource') {}

  transform(value: string): string {
    if (typeof value === 'string' && UUID.test(value)) return value;
    throw new ApiException('not_found', `No such ${this.what}`);
  }
}
