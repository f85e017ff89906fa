// Writes the OpenAPI document the app serves to a file (default dist/openapi.json), for `npm run lint:openapi`.
// Vite's module runner loads the TypeScript sources the way vitest does (decorator metadata included).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import process from 'node:process';
import { runnerImport } from 'vite';

const out = resolve(process.argv[2] ?? 'dist/openapi.json');
const { module } = await runnerImport('./test/support/openapi-document.ts');
const document = await module.openApiDocument();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
process.stdout.write(`wrote ${out}\n`);
