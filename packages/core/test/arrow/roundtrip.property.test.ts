// Arrow round trips on generated data: JSON → store → toArrow() (and IPC file, IPC stream) →
// Store.fromArrow / fromArrowIPC → toArray() deep-equals JSON.parse of the input. Two sources:
// any JSON value (awkward keys, -0, ±Infinity, lone surrogates, nested arrays and objects: the
// shared arbitraries), and wide stores of 2,048+ records from a seeded PRNG with every column
// shape the mapping has a rule for — ints past 2^31 and 2^53, -0, dictionary strings and text
// columns (mostly unique strings) with lone surrogates, a sparse column (present in under half
// the rows) holding both nulls and missing rows, nested structs present / null / missing, lists
// of structs, a map (id-like keys), a mixed column. Beside exactness, what another engine reads:
// Arrow's own getters (no memstore code) over the top-level columns equal the records' values in
// plain JS, and the dictionary column's indices are the store's codes, its dictionary the store's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Type } from 'apache-arrow';
import { prng } from '@memstore/testkit/prng';
import { wtf8Decode } from '@memstore/testkit/wtf8';
import { MAX_DEPTH, Store } from '../../src/node';
import { shapedRecord, topLevel } from '../arbitraries';
import { exactJson, withStore } from '../helpers';

/** What a store of `value` gives back (fc.record makes null-prototype objects; exactJson keeps -0 and ±Infinity). */
const expected = (value: unknown) => JSON.parse(exactJson(value));

async function checkRoundTrips(store: Store, want: unknown[]): Promise<void> {
  await withStore(Store.fromArrow(store.toArrow()), (back) => expect(back.toArray()).toEqual(want));
  for (const format of ['file', 'stream'] as const) {
    await withStore(Store.fromArrowIPC(store.toArrowIPC({ format })), (back) => expect(back.toArray()).toEqual(want));
  }
}

describe('Arrow round trips of any JSON', () => {
  it('any top-level JSON value (one record or an array of records)', async () => {
    await fc.assert(
      fc.asyncProperty(topLevel, async (value) => {
        const text = exactJson(value);
        const want = expected(value);
        await withStore(Store.fromJSON(text), (store) => checkRoundTrips(store, Array.isArray(want) ? want : [want]));
      }),
      { numRuns: 150 },
    );
  });

  it('sibling keys Arrow would name alike (lone surrogates are written U+FFFD) get names of their own and come back exact', async () => {
    // Arrow JS's RecordBatch finds a struct's children by name: two fields named alike made toArrow throw.
    const records = [
      { '\ud800': false, '\udbff': null, '\ufffd': 1, '\ufffd (2)': 'x', n: { '\udc00': [1], '\udfff': { a: '\ud800' } } },
      { '\ud800': true, '\udbff': 2, '\ufffd': 3, '\ufffd (2)': 'y', n: { '\udc00': [], '\udfff': null } },
    ];
    const want = expected(records);
    await withStore(Store.fromJSON(exactJson(records)), async (store) => {
      const names = store.toArrow().schema.fields.map((field) => field.name);
      expect(new Set(names).size).toBe(names.length);
      await checkRoundTrips(store, want);
      await withStore(Store.fromParquet(await store.toParquetBytes()), (back) => expect(back.toArray()).toEqual(want));
    });
  });

  it('records of one nested shape: structs, lists of structs and lists, a map, a mixed field, nulls and missing keys', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shapedRecord, { maxLength: 40 }), async (records) => {
        const want = expected(records);
        await withStore(Store.fromRecords(want), (store) => checkRoundTrips(store, want));
      }),
      { numRuns: 60 },
    );
  });
});

interface Plan {
  seed: number;
  rows: number;
  /** Share of rows holding a value at `sparse`. */
  sparseShare: number;
  /** Of the other rows, the share holding null there (the rest lack the key); with the values, under half the rows. */
  sparseNulls: number;
  /** Share of the text column's strings drawn with a lone surrogate. */
  surrogates: number;
}

const POOL = ['Duper', "Elec'sOil", 'Scrap', 'Dupe\ud800', '中文', ''];

/** `plan.rows` records of every column shape (module doc). */
function wideRecords(plan: Plan): Record<string, unknown>[] {
  const random = prng(plan.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const word = (i: number) => `t${i}-${Math.floor(random() * 1e9).toString(36)}${random() < plan.surrogates ? '\udc01' : ''}${random() < 0.1 ? '😀é' : ''}`;
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < plan.rows; i++) {
    const record: Record<string, unknown> = { id: i };
    record.wide = pick([2 ** 40 + Math.floor(random() * 2 ** 32), -(2 ** 33) - i, 2 ** 53, -(2 ** 53), 2 ** 31]);
    // 2^53 + 2 (past every int a double holds exactly) and -0: this column is float64.
    record.float = pick([-0, 0.5, -1.25, 2 ** 53 + 2, 1e300, Infinity, -Infinity, i]);
    record.pooled = pick(POOL);
    record.text = word(i);
    if (random() < plan.sparseShare) record.sparse = random() < 0.5 ? Math.floor(random() * 1000) - 500 : -0.5;
    else if (random() < plan.sparseNulls) record.sparse = null;
    const roll = random();
    if (roll < 0.7) record.sub = { a: Math.floor(random() * 100), t: random() < 0.3 ? word(i) : null, deep: { x: pick([true, false, null]) } };
    else if (roll < 0.85) record.sub = null;
    record.items = Array.from({ length: Math.floor(random() * 3) }, () => (random() < 0.2 ? null : { sku: pick(POOL), qty: random() < 0.5 ? Math.floor(random() * 10) : null }));
    record.attrs = Object.fromEntries(Array.from({ length: 1 + Math.floor(random() * 3) }, () => [`${Math.floor(random() * 100000)}`, Math.floor(random() * 10)]));
    record.mixed = pick<unknown>([1, 'one', true, null, [1, '2'], { k: -0 }, -0]);
    if (random() < 0.9) record.flag = random() < 0.5;
    records.push(record);
  }
  return records;
}

const plans = fc.record({
  seed: fc.integer(),
  rows: fc.integer({ min: 2048, max: 3000 }),
  // Nulls are stored rows too: under 0.2 + 0.8 × 0.3 = 44% of the rows are stored, so the column is sparse.
  sparseShare: fc.double({ min: 0.02, max: 0.2, noNaN: true }),
  sparseNulls: fc.double({ min: 0.05, max: 0.3, noNaN: true }),
  surrogates: fc.constantFrom(0, 0, 0.01, 0.5),
});

describe('Arrow round trips of wide stores (2,048+ records, every column shape)', () => {
  it('exact both ways; Arrow reads the top-level columns as the records hold them; dictionaries are handed over', async () => {
    await fc.assert(
      fc.asyncProperty(plans, async (plan) => {
        const records = wideRecords(plan);
        const text = exactJson(records);
        const want = JSON.parse(text) as Record<string, unknown>[];
        await withStore(Store.fromJSON(text), async (store) => {
          const storage = Object.fromEntries((store.schema.fields ?? []).map((field) => [field.key, field]));
          // The shapes this case is about, as the store holds them.
          expect(storage.text.storage).toBe('text');
          expect(storage.sparse.sparse).toBe(true);
          expect(storage.attrs.type).toBe('map');
          expect(storage.mixed.type).toBe('mixed');
          await checkRoundTrips(store, want);

          const table = store.toArrow();
          for (const key of ['id', 'wide', 'float', 'pooled', 'text', 'sparse', 'flag', 'mixed']) {
            const vector = table.getChild(key)!;
            const binary = vector.type.typeId === Type.Binary || vector.type.typeId === Type.Dictionary && vector.type.dictionary.typeId === Type.Binary;
            for (let row = 0; row < want.length; row++) {
              const plain = want[row][key] ?? null;
              const read = vector.get(row);
              if (key === 'mixed') expect(read === null ? null : JSON.parse(read)).toEqual(plain);
              // Strings with lone surrogates go out as WTF-8 binary (memstore:encoding 'wtf8').
              else if (binary) expect(read === null ? null : wtf8Decode(read)).toEqual(plain);
              else expect(typeof read === 'bigint' ? Number(read) : read).toEqual(plain);
            }
          }
          expect(table.getChild('id')!.type.typeId).toBe(Type.Int);
          expect(table.getChild('wide')!.type.toString()).toBe('Int64');
          expect(table.getChild('float')!.type.toString()).toBe('Float64');
          expect(table.getChild('text')!.type.typeId).toBe(plan.surrogates > 0 && records.some((record) => /\udc01/.test(record.text as string)) ? Type.Binary : Type.Utf8);
          // The dictionary handed over: the store's codes are the indices, its strings the dictionary.
          const pooled = table.getChild('pooled')!.data[0];
          const column = store.column('pooled');
          expect(Array.from(pooled.values as ArrayLike<number>)).toEqual(Array.from(column.codes!));
          const entries = Array.from(pooled.dictionary!.toArray() as (string | Uint8Array)[], (entry) => (typeof entry === 'string' ? entry : wtf8Decode(entry)));
          expect(entries).toEqual(column.dictionary);
        });
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});

describe('Arrow round trips at the depth limit', () => {
  it(`records nested ${MAX_DEPTH} levels deep (deeper than Arrow C++'s default 64), through IPC`, async () => {
    const deep = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { d: deep(depth - 1, leaf), n: depth });
    const listDeep = (depth: number): unknown => (depth === 0 ? 1 : [listDeep(depth - 1)]);
    const records = [deep(MAX_DEPTH - 1, 'leaf'), { d: null }, {}, { list: listDeep(MAX_DEPTH - 1) }];
    const text = JSON.stringify(records);
    await withStore(Store.fromJSON(text), (store) => checkRoundTrips(store, JSON.parse(text)));
  }, 60_000);
});
