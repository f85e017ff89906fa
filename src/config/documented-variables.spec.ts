import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** Every variable the code reads: the properties of each `*Env` class exported from src/config. */
async function variablesInCode(): Promise<string[]> {
  const names = new Set<string>();
  for (const file of readdirSync(here).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))) {
    const exports = (await import(join(here, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === 'function' && name.endsWith('Env') && /^class\b/.test(String(value))) {
        for (const key of Object.keys(new (value as new () => object)())) names.add(key);
      }
    }
  }
  return [...names].sort();
}

/** The variables named in the first column of README's configuration table (`A` / `B` rows name several). */
function variablesInReadme(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration')).split('\n## ')[0];
  const rows = table.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1])).sort();
}

function variablesInEnvExample(): string[] {
  const example = readFileSync(join(root, '.env.example'), 'utf8');
  return [...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]).sort();
}

describe('documented configuration', () => {
  it("README's configuration table lists exactly the variables the code reads", async () => {
    expect(variablesInReadme()).toEqual(await variablesInCode());
  });

  it('.env.example sets exactly the variables the code reads', async () => {
    expect(variablesInEnvExample()).toEqual(await variablesInCode());
  });
});
