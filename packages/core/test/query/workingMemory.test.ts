// The query working memory (src/query/workspace.ts): made by the first query (or column()), its
// room held under the memory cap by every load and append until then and re-sized by every append
// after, so a store that holds its data answers its queries — under a memory cap too, and after an
// append that hit it — and sized by the rows and keys, not a fixed amount.
import { describe, expect, it } from 'vitest';
import { MemstoreCapacityError, MemstoreParseError, Store } from '../../src/node';
import { caught, withStore } from '../helpers';

interface Item {
  id: number;
  sku: string;
  cat: string;
  qty: number;
  price: number;
  ok: boolean;
}

const CATS = ['tools', 'toys', 'food', 'books'];
// 6,000 of these are 198 KB as store.memory() counts them (the store: 174 KB). Prices are
// quarters, so sums are exact and compare with toBe.
const item = (i: number): Item => ({ id: i, sku: `sku-${(i * 7) % 2000}`, cat: CATS[i % 4], qty: i % 10, price: (i % 100) / 4, ok: i % 3 === 0 });
const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => item(from + i));

/** Counts per key in first-seen order, as groupBy gives them. */
function groupCounts<K>(model: readonly Item[], key: (item: Item) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const it of model) counts.set(key(it), (counts.get(key(it)) ?? 0) + 1);
  return counts;
}

function groupSums<K>(model: readonly Item[], key: (item: Item) => K, value: (item: Item) => number): Map<K, number> {
  const sums = new Map<K, number>();
  for (const it of model) sums.set(key(it), (sums.get(key(it)) ?? 0) + value(it));
  return sums;
}

/**
 * Every kind of query against a plain-JS model of the records. Also checks that none of them
 * grew memory (reservedBytes is the memory's size) and that a column() view taken first is
 * still attached at the end: once column() has handed out views (it makes the working memory
 * first), queries never replace memory.buffer.
 */
function expectAnswers(store: Store<Item>, model: readonly Item[]): void {
  const qty = store.column('qty');
  const reserved = store.memory().reservedBytes;
  expect(store.length).toBe(model.length);
  expect(store.where('qty').gt(4).count()).toBe(model.filter((it) => it.qty > 4).length);
  expect(store.where('cat').eq('toys').and('ok').eq(true).count()).toBe(model.filter((it) => it.cat === 'toys' && it.ok).length);
  // A string range: a lookup table over the dictionary.
  expect(store.where('sku').gte('sku-5').count()).toBe(model.filter((it) => it.sku >= 'sku-5').length);
  expect(store.where('cat').in(['food', 'books']).count()).toBe(model.filter((it) => it.cat === 'food' || it.cat === 'books').length);
  expect(store.sum('price')).toBe(model.reduce((sum, it) => sum + it.price, 0));
  expect(store.where('ok').eq(true).sum('qty')).toBe(model.filter((it) => it.ok).reduce((sum, it) => sum + it.qty, 0));
  expect(store.groupBy('cat').count()).toEqual(groupCounts(model, (it) => it.cat));
  expect(store.groupBy('qty').sum('price')).toEqual(groupSums(model, (it) => it.qty, (it) => it.price));
  expect(store.groupBy('ok').count()).toEqual(groupCounts(model, (it) => it.ok));
  // As many groups as records: WASM tables when they fit, else the JS fallback; the same answer.
  expect(store.groupBy('id').count()).toEqual(groupCounts(model, (it) => it.id));
  expect(store.where('qty').lt(3).groupBy('sku').count()).toEqual(groupCounts(model.filter((it) => it.qty < 3), (it) => it.sku));
  const last = model[model.length - 1];
  expect(store.where('id').eq(last.id).first()?.toJSON()).toEqual(last);
  expect(store.where('sku').eq('sku-7').and('qty').eq(1).first()?.toJSON()).toEqual(model.find((it) => it.sku === 'sku-7' && it.qty === 1));
  const byPrice = model.map((_, i) => i).sort((a, b) => model[b].price - model[a].price || a - b);
  expect(Array.from(store.orderBy('price', 'desc'))).toEqual(byPrice);
  const cat = store.column('cat');
  expect(Array.from(cat.codes!, (code) => cat.dictionary![code])).toEqual(model.map((it) => it.cat));
  expect(store.toArray()).toEqual(model);
  expect(store.memory().reservedBytes).toBe(reserved);
  expect(qty.deltas!.length).toBe(model.length);
  expect(Array.from(qty.deltas as Uint8Array, (delta) => qty.base! + delta)).toEqual(model.map((it) => it.qty));
}

type Route = 'records' | 'json';
const appendBatch = (store: Store<Item>, batch: Item[], route: Route) => store.append(route === 'records' ? batch : JSON.stringify(batch));

describe('a store under a memory cap answers its queries', () => {
  for (const route of ['records', 'json'] as const) {
    it(`1 MiB, 6,000 records appended 500 at a time (${route}) with queries after each append; then appends until one hits the cap`, async () => {
      // The scenario: the 12th query threw MemstoreCapacityError (working memory for
      // queries), and after an append hit the cap count, sum, groupBy and column() all threw.
      await withStore(Store.fromRecords<Item>([], { maxMemoryBytes: 2 ** 20 }), async (store) => {
        const model: Item[] = [];
        for (let from = 0; from < 6000; from += 500) {
          const batch = items(from, 500);
          await appendBatch(store, batch, route);
          model.push(...batch);
          expectAnswers(store, model);
        }
        let error: unknown = null;
        for (let from = 6000; error === null && from < 200_000; from += 500) {
          const batch = items(from, 500);
          try {
            await appendBatch(store, batch, route);
            model.push(...batch);
            expect(store.where('qty').gt(4).count()).toBe(model.filter((it) => it.qty > 4).length);
          } catch (thrown) {
            error = thrown;
          }
        }
        expect(error).toBeInstanceOf(MemstoreCapacityError);
        expect(store.memory().reservedBytes).toBeLessThanOrEqual(2 ** 20);
        // The failed append is rolled back, and every query answers on the store as it was.
        expectAnswers(store, model);
      });
    });
  }

  it('an append that fails after adding dictionary entries (the rollback keeps them) leaves string queries right', async () => {
    // 20 distinct skus: the workspace's lookup table is sized for 20 entries. The failed append
    // leaves 20,000 more in the dictionary (while the rollback keeps dictionary entries), with
    // no stored row using them; a range test's table covers them all, and only the workspace's
    // part of it is copied in (the rest would have overwritten memory past the workspace).
    const model = Array.from({ length: 100 }, (_, i) => ({ ...item(i), sku: `sku-${i % 20}` }));
    await withStore(Store.fromRecords<Item>(model), async (store) => {
      const failing = JSON.stringify(items(100, 20_000).map((it) => ({ ...it, sku: `new-${it.id}` }))).replace(/\]$/, ',{"id":@}]');
      expect(await caught(() => store.append(failing))).toBeInstanceOf(MemstoreParseError);
      expect(store.where('sku').gte('sku-15').count()).toBe(model.filter((it) => it.sku >= 'sku-15').length);
      expect(store.where('sku').in(['sku-3', 'new-1000', 'sku-4']).count()).toBe(10);
      expect(store.groupBy('sku').count()).toEqual(groupCounts(model, (it) => it.sku));
      expect(store.toArray()).toEqual(model);
    });
  });
});

/** The workspace's bytes once a query has made it (every store here has a `cat`). */
function madeBytes(store: Store<any>): number {
  store.where('cat').eq('toys').count();
  return store.memory().workspaceBytes;
}

describe('the working memory is made on first use', () => {
  it('a load holds its room but does not make it; the first query does, once; column() makes it before its views', async () => {
    await withStore(Store.fromRecords<Item>(items(0, 5000)), (store) => {
      expect(store.memory().workspaceBytes).toBe(0);
      const before = store.memory().reservedBytes;
      expect(store.where('qty').gt(4).count()).toBe(2500);
      const made = store.memory();
      expect(made.workspaceBytes).toBeGreaterThan(5000);
      expect(made.reservedBytes).toBeGreaterThanOrEqual(before);
      store.groupBy('cat').count();
      store.where('sku').gte('sku-1').count();
      expect(store.memory().reservedBytes).toBe(made.reservedBytes);
    });
    await withStore(Store.fromRecords<Item>(items(0, 5000)), (store) => {
      const qty = store.column('qty');
      expect(store.memory().workspaceBytes).toBeGreaterThan(5000);
      store.groupBy('id').count();
      expect([0, 1, 2].map((row) => qty.base! + Number(qty.deltas![row]))).toEqual([0, 1, 2]);
    });
  });

  it('under a cap, a load that leaves no room for it fails, as when it was made at once', async () => {
    // 64,000 records of 6 columns fit 1 MiB (66,000 do not); their workspace (about 0.1 MiB of
    // bitmaps and ids) does not, beside them.
    const error = await caught(() => Store.fromRecords(items(0, 64_000), { maxMemoryBytes: 2 ** 20 }));
    expect(error).toBeInstanceOf(MemstoreCapacityError);
    expect((error as Error).message).toContain('working memory for queries');
    await withStore(Store.fromRecords<Item>(items(0, 45_000), { maxMemoryBytes: 2 ** 20 }), (store) => {
      expect(store.groupBy('cat').count()).toEqual(groupCounts(items(0, 45_000), (it) => it.cat));
      expect(store.memory().reservedBytes).toBeLessThanOrEqual(2 ** 20);
    });
  });
});

describe('the working memory follows the rows and the keys', () => {
  it('a 100-row store needs a few KB (store.memory().workspaceBytes)', async () => {
    await withStore(Store.fromRecords(items(0, 100)), (store) => {
      store.where('qty').gt(4).count();
      const report = store.memory();
      // 8 bitmaps of 16 bytes, a 4 KiB key buffer, ids for 128 rows, tables for 101 groups (ids).
      expect(report.workspaceBytes).toBeGreaterThan(4096);
      expect(report.workspaceBytes).toBeLessThan(16 * 1024);
      expect(report.reservedBytes).toBeGreaterThanOrEqual(report.totalBytes + report.workspaceBytes);
    });
  });

  it('bitmaps grow with the rows up to a block; group tables with the distinct values a key can have, up to 4,096 groups', async () => {
    const rows = 50_000;
    // Keys of few values: 4 strings, a bool, ints 0-9 (one byte each).
    const few = Array.from({ length: rows }, (_, i) => ({ cat: CATS[i % 4], ok: i % 2 === 0, qty: i % 10 }));
    const fewBytes = await withStore(Store.fromRecords(few), madeBytes);
    // 8 bitmaps of rows/8 bytes (50,000 rows < a block of 65,536) and 4-byte group ids for a
    // group block of 16,384 rows, plus small tables: not the ~160 KB of tables for 4,096 groups
    // the store's row count alone would allow.
    expect(fewBytes).toBeGreaterThan(rows + 16384 * 4);
    expect(fewBytes).toBeLessThan(rows + 16384 * 4 + 32 * 1024);
    // An id per row: its tables reach the 4,096-group cap (24 B per group for counts, first rows
    // and sums; an 8 B hash slot, two slots per group), not 50,000 groups.
    const withIds = few.map((record, i) => ({ ...record, id: i }));
    const idBytes = await withStore(Store.fromRecords(withIds), madeBytes);
    expect(idBytes - fewBytes).toBeGreaterThan(4096 * 32);
    expect(idBytes - fewBytes).toBeLessThan(4096 * 40 + 8192);
    // Twice the rows: bitmaps of a whole block (65,536 rows), the same ids and tables…
    const doubled = await withStore(Store.fromRecords([...few, ...few]), madeBytes);
    expect(doubled - fewBytes).toBe((65536 - Math.ceil(rows / 64) * 64) / 8 * 8);
    // …and past a block, nothing more: queries go a block at a time.
    const fourfold = await withStore(Store.fromRecords([...few, ...few, ...few, ...few]), async (store) => {
      // The 200,000 rows answer across their blocks (counts through the bitmap kept in JS, too).
      const selection = store.where('qty').gte(5);
      expect(selection.count()).toBe(4 * rows / 2);
      expect(selection.sum('qty')).toBe(4 * (rows / 10) * (5 + 6 + 7 + 8 + 9));
      expect(selection.indices().length).toBe(4 * rows / 2);
      expect(selection.count()).toBe(4 * rows / 2);
      return store.memory().workspaceBytes;
    });
    expect(fourfold).toBe(doubled);
  });

  it('bitmaps hold the list elements of a block when they are more than its rows', async () => {
    // 1,000 records of 200 tags: 200,000 elements in the one block.
    const records = Array.from({ length: 1000 }, (_, i) => ({ tags: Array.from({ length: 200 }, (_, k) => ({ v: (i + k) % 7 })) }));
    await withStore(Store.fromRecords(records), (store) => {
      const selection = store.where('tags.v').any().eq(3);
      expect(selection.count()).toBe(1000);
      expect(store.memory().workspaceBytes).toBeGreaterThan(8 * (200_000 / 8));
      expect(store.where('tags.v').any().gt(5).count()).toBe(1000);
      expect(store.where('tags.v').any().gt(6).count()).toBe(0);
      const allTags = records.reduce((sum, record) => sum + record.tags.reduce((a, tag) => a + tag.v, 0), 0);
      expect(selection.sum('tags.v')).toBe(allTags);
    });
  });

  it('once made, an append re-sizes it as part of the append: queries afterwards do not reserve memory', async () => {
    await withStore(Store.fromRecords<Item>(items(0, 100)), async (store) => {
      const small = madeBytes(store);
      await store.append(items(100, 20_000));
      const report = store.memory();
      expect(report.workspaceBytes).toBeGreaterThan(small + 20_000);
      store.groupBy('id').count();
      store.where('sku').gte('sku-1').count();
      expect(store.memory().reservedBytes).toBe(report.reservedBytes);
    });
  });
});

describe('the workspace of a store of one block, sized without opening its list columns', () => {
  it('answers over lists (a sparse field in their elements), nested lists and maps', async () => {
    // 1,000 records (one block), 10 list elements each, 9 of them empty objects: the elements' field turns sparse.
    const records = Array.from({ length: 1_000 }, (_, i) => ({
      l: Array.from({ length: 10 }, (_, k) => (k === 9 ? { a: i } : {})),
      ll: [[i], [i, i + 1]],
      m: { [`id-${i}`]: i, [`id-${i + 1000}`]: -i },
    }));
    await withStore(Store.fromRecords(records), (store) => {
      expect(store.schema.fields?.find((f) => f.key === 'l')?.element?.fields?.[0].sparse).toBe(true);
      expect(store.where('l[].a').any().eq(500).count()).toBe(1);
      expect(store.where('l[].a').any().gte(0).count()).toBe(1_000);
      expect(store.sum('l[].a')).toBe((999 * 1000) / 2);
      expect(store.sum('ll[][]')).toBe(records.reduce((s, _r, i) => s + 3 * i + 1, 0));
      expect(store.where('m{}').any().lt(-990).count()).toBe(9);
    });
  });
});
