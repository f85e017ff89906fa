import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS } from './error-codes.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'auth-flows.md');

describe('documented error codes', () => {
  it('the error-code tables of docs/auth-flows.md list every code with its status, and nothing else', () => {
    const text = readFileSync(docs, 'utf8');
    const section = text.slice(text.indexOf('## 11. Error codes')).split('\n## ')[0];
    const documented = Object.fromEntries(
      [...section.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((match) => [match[1], Number(match[2])]),
    );
    const inCode = Object.fromEntries(Object.entries(ERRORS).map(([code, { status }]) => [code, status]));
    expect(documented).toEqual(inCode);
  });
});
