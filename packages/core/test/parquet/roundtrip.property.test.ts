// Property: for generated records (nested structs, lists of structs and of lists, nulls vs
// missing, a mixed field, a map-like field of many rare keys, int64 values, and at 2,048+ rows a
// sparse column present in under half of them), the Arrow table read back from writeParquet
// equals the plain-JS model of the records (tables.ts) — schema, metadata and every value —
// with snappy and zstd, in any row-group size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readParquet, writeParquet } from '../../src/node';
import { shapedRecord } from '../arbitraries';
import { plainRows, recordsToTable, schemaOf } from './tables';

// Arrow JS's row objects answer `toJSON` and `get` themselves (a field of that name is not reachable
// through them); its Utf8 vectors store strings as UTF-8, where a lone surrogate becomes U+FFFD;
// and its UTF-8 decoder drops a leading U+FEFF (a BOM): all three are Arrow JS's, not Parquet's
// (the Arrow mapping has to deal with them), and are left out here. Every leading U+FEFF goes: with
// one stripped, "\ufeff\ufeff" was written as "\ufeff" and read back as "" (seed 1505066054).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const wellFormed = (text: string) => text.replace(LONE_SURROGATE, '\ufffd').replace(/^\ufeff+/, '');

function arrowSafe(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.map(arrowSafe);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).flatMap(([key, child]) => (key === 'toJSON' || key === 'get' ? [] : [[wellFormed(key), arrowSafe(child)]])));
  }
  return value;
}

const dataset = fc.record({
  shaped: fc.array(shapedRecord, { minLength: 1, maxLength: 30 }),
  size: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2048, max: 2200 })),
  sparseEvery: fc.integer({ min: 3, max: 40 }),
  big: fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: 1, maxLength: 8 }),
  rowGroupSize: fc.integer({ min: 1, max: 5000 }),
  compression: fc.constantFrom('snappy' as const, 'zstd' as const),
});

describe('writeParquet → readParquet', () => {
  it('gives back the plain-JS model of generated records, dense and sparse', async () => {
    await fc.assert(
      fc.asyncProperty(dataset, async ({ shaped, size, sparseEvery, big, rowGroupSize, compression }) => {
        const records = Array.from({ length: size }, (_, i) => {
          const record = arrowSafe(shaped[i % shaped.length]) as Record<string, unknown>;
          // A column present in one row of sparseEvery (under half of them), null in some of those.
          if (i % sparseEvery === 0) record.rare = i % (2 * sparseEvery) === 0 ? null : { at: i, label: `r${i % 5}` };
          record.big = big[i % big.length];
          return record;
        });
        const { table, model } = recordsToTable(records);
        const back = await readParquet(await writeParquet(table, { compression, rowGroupSize: Math.min(rowGroupSize, size) }));
        expect(schemaOf(back.schema)).toEqual(schemaOf(table.schema));
        expect(back.numRows).toBe(size);
        expect(plainRows(back)).toEqual(model);
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
