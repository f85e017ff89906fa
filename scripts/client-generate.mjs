// Regenerates client/src/openapi.ts from the OpenAPI document the app serves (the real AppModule, built the way
// the e2e tests build it). Vite's module runner loads the TypeScript sources as vitest does.
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { runnerImport } from 'vite';

const { module: documents } = await runnerImport('./test/support/openapi-document.ts');
const { module: types } = await runnerImport('./test/support/client-types.ts');
const source = await types.renderClientTypes(await documents.openApiDocument());
writeFileSync(types.CLIENT_TYPES_FILE, source);
process.stdout.write(`wrote ${types.CLIENT_TYPES_FILE}\n`);
