// The Store's Parquet: JSON → store → Parquet → store → JSON exact (toParquet / fromFile,
// toParquetBytes / fromParquet) on generated records (missing vs null, -0, mixed, maps, sparse and
// text columns, ints past 2^53) and every example dataset; writeDataset's Hive folder read by
// DuckDB as one table with memstore's own count, sum and group-by; a corrupt file and parse
// options on a .parquet refused. Records are compared with node's deepStrictEqual: vitest's
// toStrictEqual compares `a.constructor === b.constructor`, which fails for a key named "constructor".
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemstoreFormatError, MemstoreInputError, Store } from '../../src/node';
import { json, shapedRecord } from '../arbitraries';
import { example, exactJson, withStore } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'memstore-store-parquet-'));
let connection: DuckDBConnection;
beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => {
  connection.closeSync();
  rmSync(dir, { recursive: true, force: true });
});
const rowsOf = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson();

const DATASETS = [
  ...readdirSync(join(example('cargo.json'), '..')).filter((name) => name.endsWith('.json')).map((name) => example(name)),
  ...readdirSync('/work/shared/data').filter((name) => name.endsWith('.json')).map((name) => join('/work/shared/data', name)),
].filter((path, i, all) => all.indexOf(path) === i);

describe('JSON → store → Parquet → store → JSON', () => {
  it.each(DATASETS)('is exact on %s, through a file and through bytes', async (file) => {
    await withStore(Store.fromFile(file), async (store) => {
      const plain = store.toArray();
      const path = join(dir, 'dataset.parquet');
      await store.toParquet(path, { compression: 'zstd', rowGroupSize: 100 });
      await withStore(Store.fromFile(path), (back) => expect(back.toArray()).toStrictEqual(plain));
      await withStore(Store.fromParquet(await store.toParquetBytes()), (back) => expect(back.toArray()).toStrictEqual(plain));
    });
  });

  it('is exact on generated records: nested, lists, maps, mixed, missing vs null, -0, ints past 2^53', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(shapedRecord, json), { minLength: 1, maxLength: 30 }), async (generated) => {
        const records = JSON.parse(exactJson(generated)) as unknown[];
        await withStore(Store.fromJSON(exactJson(records)), async (store) => {
          await withStore(Store.fromParquet(await store.toParquetBytes({ compression: 'snappy' })), (back) => assert.deepStrictEqual(back.toArray(), store.toArray()));
        });
      }),
      { numRuns: 40 },
    );
  });

  it('keeps records that are all empty objects (a Parquet file of no columns keeps no rows: they go as one value column)', async () => {
    for (const records of [[{}], [{}, {}, {}], Array.from({ length: 3000 }, () => ({}))]) {
      await withStore(Store.fromRecords(records), async (store) => {
        await withStore(Store.fromParquet(await store.toParquetBytes()), (back) => expect(back.toArray()).toStrictEqual(records));
        const path = join(dir, 'empty-objects.parquet');
        await store.toParquet(path, { rowGroupSize: 1000 });
        await withStore(Store.fromFile(path), (back) => expect(back.toArray()).toStrictEqual(records));
      });
    }
  });

  it('is exact on sparse and text columns (2,100 records, fields in under half of them, unique strings)', async () => {
    const records = Array.from({ length: 2100 }, (_, i) => ({
      id: 2 ** 53 - i,
      text: `unique text ${i * 7919}`,
      ...(i % 9 === 0 ? { rare: { n: i % 4 === 0 ? null : -0, s: i % 2 === 0 ? 'a' : 'b' } } : {}),
      ...(i % 3 === 0 ? { maybe: null } : {}),
    }));
    await withStore(Store.fromRecords(records), async (store) => {
      expect(store.schema.fields!.find((field) => field.key === 'rare')!.fields!.find((field) => field.key === 's')!.sparse).toBe(true);
      const path = join(dir, 'sparse.parquet');
      await store.toParquet(path);
      await withStore(Store.fromFile(path), (back) => expect(back.toArray()).toStrictEqual(JSON.parse(exactJson(records))));
    });
  });
});

describe('store.writeDataset', () => {
  const NAMES = ['Duper', "Elec'sOil", 'a/b=c', null];
  const records = Array.from({ length: 2000 }, (_, i) => ({
    id: i,
    product: NAMES[i % 4] === null && i % 8 === 3 ? {} : { name: NAMES[i % 4], uid: `u${i % 7}` },
    quantity: { value: 1000 + ((i * 37) % 1450) },
  }));

  it('writes a Hive folder DuckDB reads as one table, with memstore\'s count, sum and group-by', async () => {
    await withStore(Store.fromRecords(records), async (store) => {
      const root = join(dir, 'by-name');
      const files = await store.writeDataset(root, { partitionBy: ['product.name'], compression: 'zstd' });
      expect(files.map((file) => file.slice(root.length + 1)).sort()).toEqual(
        ['product.name=Duper', 'product.name=Elec%27sOil', 'product.name=a%2Fb%3Dc', 'product.name=__HIVE_DEFAULT_PARTITION__'].map((folder) => `${folder}/part-0.parquet`).sort(),
      );
      const source = `read_parquet('${root}/**/*.parquet', hive_partitioning = true)`;
      const [totals] = await rowsOf(`SELECT count(*)::INTEGER AS c, sum(quantity.value)::DOUBLE AS s FROM ${source}`);
      expect(totals).toEqual({ c: store.length, s: store.sum('quantity.value') });
      const groups = await rowsOf(`SELECT "product.name" AS k, count(*)::INTEGER AS c FROM ${source} GROUP BY ALL`);
      const expected = [...store.groupBy('product.name').count()].map(([k, c]) => ({ k, c }));
      const order = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.k).localeCompare(String(b.k));
      expect(groups.sort(order)).toEqual(expected.sort(order));
      // Every file holds the store's one schema, so the folder reads back as the store's records (in partition order).
      const back: unknown[] = [];
      for (const file of files) await withStore(Store.fromFile(file), (part) => back.push(...part.toArray()));
      const byId = (a: unknown, b: unknown) => (a as { id: number }).id - (b as { id: number }).id;
      expect(back.sort(byId)).toStrictEqual(store.toArray());
    });
  });

  it('partitions by several paths, and refuses paths that hold objects or lists, and other formats', async () => {
    await withStore(Store.fromRecords(records), async (store) => {
      const root = join(dir, 'by-two');
      const files = await store.writeDataset(root, { partitionBy: ['product.name', 'product.uid'] });
      expect(files.length).toBe(store.groupBy('product.name', 'product.uid').count().size);
      await expect(store.writeDataset(join(dir, 'bad'), { partitionBy: ['quantity'] })).rejects.toThrow(MemstoreInputError);
      await expect(store.writeDataset(join(dir, 'bad'), { partitionBy: [] })).rejects.toThrow(MemstoreInputError);
      await expect(store.writeDataset(join(dir, 'bad'), { partitionBy: ['id'], format: 'csv' as 'parquet' })).rejects.toThrow(MemstoreInputError);
    });
  });
});

describe('Parquet files that are not what they say', () => {
  it('a corrupt .parquet is a MemstoreFormatError; parse options and format "parquet" on JSON are MemstoreInputErrors', async () => {
    const path = join(dir, 'corrupt.parquet');
    writeFileSync(path, '{"not": "parquet"}');
    await expect(Store.fromFile(path)).rejects.toThrow(MemstoreFormatError);
    await expect(Store.fromParquet(new Uint8Array([80, 65, 82, 49, 0, 80, 65, 82, 49]))).rejects.toThrow(MemstoreFormatError);
    await expect(Store.fromFile(path, { pointer: '/a' })).rejects.toThrow(MemstoreInputError);
    await expect(Store.fromJSON('[]', { format: 'parquet' as 'json' })).rejects.toThrow(/Store.fromParquet/);
  });
});
