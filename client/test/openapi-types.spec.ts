import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, renderClientTypes } from '../../test/support/client-types.js';
import { openApiDocument } from '../../test/support/openapi-document.js';

describe('generated API types', () => {
  it(`${CLIENT_TYPES_FILE} matches the OpenAPI document the service serves (run npm run client:generate)`, async () => {
    const expected = await renderClientTypes(await openApiDocument());
    expect(readFileSync(CLIENT_TYPES_FILE, 'utf8') === expected, 'stale: run `npm run client:generate` and commit the result').toBe(true);
  });
});
