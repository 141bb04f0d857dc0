// Stores larger than one record batch (BATCH_ROWS records): IPC and writeArrow write a batch at a
// time — every batch sharing the one dictionary of each dictionary column, list and map elements
// and sparse columns cut at batch edges — and each reads back exactly, by fromArrowIPC and by
// fromFile of a written .arrow file and .arrows stream.
import { deepStrictEqual } from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/node';
import { withStore } from '../helpers';

const scratch = mkdtempSync(join(tmpdir(), 'memstore-arrow-batches-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ROWS = 140_000;
const records = Array.from({ length: ROWS }, (_, i) => ({
  id: i,
  name: ['Duper', 'Super', 'Scrap'][i % 3],
  text: `row ${i} ${(i * 2654435761) % 1000003}`,
  ...(i % 7 === 0 ? { rare: i % 2 === 0 ? null : i } : {}),
  tags: Array.from({ length: i % 4 }, (_, k) => `t${(i + k) % 5}`),
}));

describe('stores of several record batches', () => {
  it('IPC (file and stream) and writeArrow → fromFile are exact; batches share each dictionary', async () => {
    await withStore(Store.fromRecords(records), async (store) => {
      expect(store.schema.fields!.find((field) => field.key === 'rare')!.sparse).toBe(true);
      for (const format of ['file', 'stream'] as const) {
        const bytes = store.toArrowIPC({ format });
        const table = tableFromIPC(bytes);
        expect(table.batches.length).toBe(3);
        expect(new Set(table.batches.map((batch) => batch.getChild('name')!.data[0].dictionary)).size).toBe(1);
        await withStore(Store.fromArrowIPC(bytes), (back) => expect(back.toArray()).toEqual(records));
      }
      for (const file of ['big.arrow', 'big.arrows']) {
        await store.writeArrow(join(scratch, file));
        await withStore(Store.fromFile(join(scratch, file)), (back) => expect(back.toArray()).toEqual(records));
      }
    });
  }, 120_000);

  it('a store built batch by batch from a table reads as the records, when later batches hold what the first did not', async () => {
    // fromArrow makes the store of the first batch and appends the others: what only later
    // batches hold (values of a field all null before, ints past 2^40 after small ones, strings
    // that stop repeating, lists that stop being empty) must come out as the records went in.
    const changing = Array.from({ length: 150_000 }, (_, i) => {
      const late = i >= 70_000;
      return {
        n: late ? 2 ** 40 + i : i % 100,
        s: late ? `unique ${i}` : ['a', 'b'][i % 2],
        z: late ? { v: i, w: [i, -0] } : null,
        list: late ? [i % 3, `x${i % 5}`] : [],
        ...(i % 3 === 0 && late ? { sometimes: i % 2 === 0 } : {}),
      };
    });
    await withStore(Store.fromRecords(changing), async (store) => {
      const bytes = store.toArrowIPC();
      expect(tableFromIPC(bytes).batches.length).toBe(3);
      await withStore(Store.fromArrowIPC(bytes), (back) => {
        deepStrictEqual(back.toArray(), changing);
        expect(back.schema.fields!.map((field) => [field.key, field.type])).toStrictEqual(store.schema.fields!.map((field) => [field.key, field.type]));
      });
      await withStore(Store.fromArrow(tableFromIPC(bytes)), (back) => deepStrictEqual(back.toArray(), changing));
    });
  }, 120_000);
});
