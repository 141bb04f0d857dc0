// inspect (the schema tree and its JSON) and types (declarations that compile under tsc --strict
// and accept the file's own records).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, memstore, ROOT } from './run';

const DATASETS = ['cargo.json', 'github_events.json', 'shipments.json', 'small_json.json'];

describe('memstore inspect', () => {
  it('prints every column of the schema with its type and storage', () => {
    const run = memstore('inspect', resolve(EXAMPLES, 'cargo.json'));
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^.*cargo\.json: 6,000 records/);
    for (const path of ['id', 'product.name', 'product.uid', 'quantity.value', 'quantity.id', 'dates.start', 'dates.end']) expect(run.stdout).toMatch(new RegExp(`^\\s*${path.replace('.', '\\.')}\\s`, 'm'));
    expect(run.stdout).toMatch(/product\.name\s+string\s+dict8\s+6,000\s+0\s+0\s+4\s/);
  });

  it('--json: the schema and memory report of the store', () => {
    const report = JSON.parse(memstore('inspect', resolve(EXAMPLES, 'github_events.json'), '--json').stdout);
    expect(report.records).toBe(30);
    expect(report.schema.type).toBe('struct');
    expect(report.schema.fields.map((f: { path: string }) => f.path)).toContain('payload');
    expect(report.memory.totalBytes).toBeGreaterThan(0);
    expect(report.memory.columns.length).toBeGreaterThan(10);
  });
});

describe('memstore types', () => {
  // Inside the repository, so `@memstore/core` resolves from the generated file's folder.
  const dir = mkdtempSync(join(ROOT, 'packages/cli/.types-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('declares types that compile under tsc --strict, accept the records, and type a Store', () => {
    const checks: string[] = [];
    for (const [i, dataset] of DATASETS.entries()) {
      const name = `Rec${i}`;
      const run = memstore('types', resolve(EXAMPLES, dataset), '--name', name);
      expect(run.status).toBe(0);
      writeFileSync(join(dir, `types${i}.ts`), run.stdout);
      const parsed: unknown = JSON.parse(readFileSync(resolve(EXAMPLES, dataset), 'utf8'));
      const records = (Array.isArray(parsed) ? parsed : [parsed]).slice(0, 200);
      checks.push(
        `import type { ${name} } from './types${i}';`,
        `export const records${i}: ${name}[] = ${JSON.stringify(records)};`,
        `export async function open${i}(): Promise<string | undefined> { const store: Store<${name}> = await Store.fromFile<${name}>('x'); return typeof store.at(0) === 'object' ? 'ok' : undefined; }`,
      );
    }
    writeFileSync(join(dir, 'check.ts'), `import { Store } from '@memstore/core';\n${checks.join('\n')}\n`);
    const tsc = resolve(ROOT, 'node_modules/typescript/bin/tsc');
    const args = ['--strict', '--noEmit', '--skipLibCheck', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--types', 'node', join(dir, 'check.ts')];
    expect(() => execFileSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: 'utf8' })).not.toThrow();
  });

  it('writes optional and nullable fields as such', () => {
    const run = memstore('types', resolve(EXAMPLES, 'github_events.json'), '--name', 'Event');
    expect(run.stdout).toMatch(/export interface Event \{/);
    expect(run.stdout).toMatch(/commits\?: EventPayloadCommits\[\];/);
    expect(run.stdout).toMatch(/ref\?: string \| null;/);
  });

  it('refuses a --name that is not an identifier', () => {
    const run = memstore('types', resolve(EXAMPLES, 'cargo.json'), '--name', 'my type');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--name must be a TypeScript identifier');
  });
});
