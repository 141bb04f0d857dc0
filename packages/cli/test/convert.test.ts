// convert: every example dataset through every format and back to JSON, exactly (node's
// deepStrictEqual: -0 is not 0, and a key named "constructor" compares as any other).
import { deepStrictEqual } from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, memstore } from './run';

const dir = mkdtempSync(join(tmpdir(), 'memstore-cli-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Values JSON.stringify and a careless writer get wrong: -0, lone surrogates, odd keys, missing vs null. */
const TRICKY = `[{"id":1,"x":-0,"s":"\\ud800 alone","a b":{"c.d":null},"n":[1,2.5,-0]},{"id":2,"s":"\\udfff","x":1e300,"a b":{},"constructor":"k"},{"id":3,"__proto__":{"p":1}}]`;
writeFileSync(join(dir, 'tricky.json'), TRICKY);

const DATASETS = [...['cargo.json', 'github_events.json', 'shipments.json', 'small_json.json'].map((name) => resolve(EXAMPLES, name)), join(dir, 'tricky.json')];
const FORMATS = ['ndjson', 'jsonl', 'msx', 'arrow', 'parquet', 'json'];

function records(file: string): unknown {
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return Array.isArray(value) ? value : [value];
}

describe('memstore convert', () => {
  for (const input of DATASETS) {
    const name = input.split('/').pop()!.replace(/\.json$/, '');
    it.each(FORMATS)(`${name} → .%s → .json is the input's records`, (format) => {
      const middle = join(dir, `${name}.${format}`);
      const back = join(dir, `${name}.${format}.json`);
      const there = memstore('convert', input, '-o', middle);
      expect(there.stderr).toBe('');
      expect(there.status).toBe(0);
      const again = memstore('convert', middle, '-o', back);
      expect(again.stderr).toBe('');
      expect(again.status).toBe(0);
      deepStrictEqual(JSON.parse(readFileSync(back, 'utf8')), records(input));
    });
  }

  it('writes NDJSON as one record per line', () => {
    const out = join(dir, 'cargo-lines.ndjson');
    expect(memstore('convert', resolve(EXAMPLES, 'cargo.json'), '-o', out).status).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    deepStrictEqual(lines.map((line) => JSON.parse(line)), records(resolve(EXAMPLES, 'cargo.json')));
  });

  it('takes a pointer to the records inside one document', () => {
    const doc = join(dir, 'doc.json');
    writeFileSync(doc, JSON.stringify({ meta: { n: 2 }, data: { items: [{ a: 1 }, { a: 2, b: 'x' }] } }));
    const out = join(dir, 'doc-items.json');
    const run = memstore('convert', doc, '-o', out, '--pointer', '/data/items');
    expect(run.status).toBe(0);
    deepStrictEqual(JSON.parse(readFileSync(out, 'utf8')), [{ a: 1 }, { a: 2, b: 'x' }]);
  });

  it('writes a Hive-partitioned Parquet folder whose parts hold every record once', () => {
    const folder = join(dir, 'by-product');
    const run = memstore('convert', resolve(EXAMPLES, 'cargo.json'), '-o', folder, '--partition-by', 'product.name');
    expect(run.status).toBe(0);
    const parts = readdirSync(folder).sort();
    const names = [...new Set((records(resolve(EXAMPLES, 'cargo.json')) as Array<{ product: { name: string } }>).map((r) => r.product.name))];
    expect(parts).toStrictEqual(names.map((n) => `product.name=${encodeURIComponent(n).replace(/'/g, '%27')}`).sort());
    const all: Array<{ id: number }> = [];
    for (const part of parts) {
      const file = join(folder, part, readdirSync(join(folder, part))[0]);
      const out = join(dir, `${part}.json`);
      expect(memstore('convert', file, '-o', out).status).toBe(0);
      all.push(...(JSON.parse(readFileSync(out, 'utf8')) as Array<{ id: number }>));
    }
    // Ids repeat in cargo: the parts are compared as sorted JSON lines.
    const lines = (list: unknown[]) => list.map((record) => JSON.stringify(record)).sort();
    deepStrictEqual(lines(all), lines(records(resolve(EXAMPLES, 'cargo.json')) as unknown[]));
  });

  it('refuses an output of unknown type with one line and exit 2', () => {
    const run = memstore('convert', resolve(EXAMPLES, 'cargo.json'), '-o', join(dir, 'x.csv'));
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/unknown file type "\.csv"; known: \.json, \.ndjson/);
  });
});
