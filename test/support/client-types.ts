import type { OpenAPIObject } from '@nestjs/swagger';
import openapiTS, { astToString } from 'openapi-typescript';

export const CLIENT_TYPES_FILE = 'client/src/openapi.ts';

const HEADER =
  '/**\n' +
  " * Generated from the service's OpenAPI document by `npm run client:generate` (openapi-typescript).\n" +
  ' * Do not edit: client/test/openapi-types.spec.ts fails when this file and the document disagree.\n' +
  ' */\n\n';

/** The TypeScript declarations of every path, operation and schema of `document`. */
export async function renderClientTypes(document: OpenAPIObject): Promise<string> {
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], { silent: true });
  return HEADER + astToString(ast);
}
