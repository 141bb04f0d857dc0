// groupBy by value and by several paths, distinct, countDistinct and orderBy's top-k and mixed
// order, against the plain-JS reference (groupsReference.ts) over `store.toArray()`, on generated
// stores of 2,048 to 2,600 records: columns present in under half of the rows (stored sparse),
// null vs missing, mixed columns (scalars, lists, objects whose keys come in either order), struct
// and list keys, pooled strings (dictionary codes) and strings that never repeat (text). The data
// of a case comes from a seeded PRNG, its shape from fast-check (its seed replays a failure);
// each case is loaded through fromJSON or fromRecords.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prng } from '@memstore/testkit/prng';
import { GroupMap, Store, type Selection } from '../../src/node';
import { keyAt, refCountDistinct, refGrouping, refOrderJson, refSum, sortedJson } from './groupsReference';

const TIMEOUT = 240_000;
const POOL = ['x', 'y', 'z', '', 'é'];

interface Shape {
  seed: number;
  rows: number;
  /** Shares of rows holding the sparse fields `s` (a pooled string) and `n` (a small int). */
  sparseShare: number;
  json: boolean;
}

/** One record per row: each field present, null or missing by the shape's odds. */
function records(shape: Shape): Record<string, unknown>[] {
  const random = prng(shape.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const out: Record<string, unknown>[] = [];
  for (let row = 0; row < shape.rows; row++) {
    const record: Record<string, unknown> = { id: row };
    const roll = random();
    if (roll < 0.8) record.a = pick(POOL);
    else if (roll < 0.9) record.a = null;
    if (random() < 0.9) record.b = random() < 0.1 ? null : random() < 0.5;
    if (random() < shape.sparseShare) record.s = random() < 0.1 ? null : pick(POOL);
    if (random() < shape.sparseShare) record.n = random() < 0.1 ? null : Math.floor(random() * 40) - 5;
    record.f = Math.round(random() * 1000) / 8;
    if (random() < 0.95) record.t = `t${Math.floor(random() * 1e9)}`;
    const kind = random();
    // Mixed: every JSON kind, objects with their keys in either order (deep-equal all the same).
    if (kind < 0.15) record.m = random() < 0.5;
    else if (kind < 0.35) record.m = Math.floor(random() * 6) / 2;
    else if (kind < 0.55) record.m = pick(POOL);
    else if (kind < 0.7) record.m = random() < 0.5 ? [1] : [1, pick(POOL)];
    else if (kind < 0.85) record.m = random() < 0.5 ? { k: 1, v: pick(['p', 'q']) } : { v: pick(['p', 'q']), k: 1 };
    else if (kind < 0.93) record.m = null;
    const struct = random();
    if (struct < 0.7) record.st = random() < 0.3 ? { id: Math.floor(random() * 3) } : { id: Math.floor(random() * 3), n: pick(['a', 'b']) };
    else if (struct < 0.85) record.st = null;
    const list = random();
    if (list < 0.6) record.l = Array.from({ length: Math.floor(random() * 3) }, () => Math.floor(random() * 2));
    else if (list < 0.8) record.l = null;
    out.push(record);
  }
  return out;
}

const shapes: fc.Arbitrary<Shape> = fc.record({
  seed: fc.integer(),
  rows: fc.integer({ min: 2048, max: 2600 }),
  sparseShare: fc.double({ min: 0.05, max: 0.45, noNaN: true }),
  json: fc.boolean(),
});

async function withShape(shape: Shape, body: (store: Store, plain: Record<string, unknown>[]) => void): Promise<void> {
  const generated = records(shape);
  const store: Store = shape.json ? await Store.fromJSON(JSON.stringify(generated)) : await Store.fromRecords<unknown>(generated);
  try {
    const plain = store.toArray() as Record<string, unknown>[];
    expect(plain).toEqual(JSON.parse(JSON.stringify(generated)));
    body(store, plain);
  } finally {
    store.dispose();
  }
}

/** A copy whose objects list their keys in reverse: deep-equal, never the same object. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
  return value;
}

const ONE_KEYS = ['a', 'b', 's', 'n', 'f', 'm', 'st', 'l', 'st.id', 'st.n'];
const KEY_SETS = [['a', 'b'], ['a', 's'], ['s', 'n'], ['a', 'st'], ['m', 'b'], ['l', 'a'], ['a', 'b', 's'], ['t', 'a']];
const DISTINCT_VALUES = ['s', 'n', 'm', 'st', 'l', 'b', 't'];
const ORDER_KEYS = ['f', 'n', 's', 'a', 'b', 'm', 't', 'id'];

type Scope = { label: string; target: Store | Selection; rows: number[] | undefined };

function scopes(store: Store, plain: Record<string, unknown>[]): Scope[] {
  const rows = plain.flatMap((record, row) => ((record.f as number) > 40 ? [row] : []));
  return [{ label: 'store', target: store, rows: undefined }, { label: 'where(f > 40)', target: store.where('f').gt(40), rows }];
}

function checkGroups(store: Store, plain: Record<string, unknown>[]): void {
  for (const { label, target, rows } of scopes(store, plain)) {
    for (const paths of [...ONE_KEYS.map((key) => [key]), ...KEY_SETS]) {
      const what = `${label}: groupBy(${paths.join(', ')})`;
      const ref = refGrouping(plain, paths, rows);
      const grouping = target.groupBy(...paths);
      const counts = grouping.count();
      expect([...counts.keys()], `${what} keys`).toEqual(ref.keys);
      expect([...counts.values()], `${what} counts`).toEqual(ref.rows.map((group) => group.length));
      expect(counts.size, `${what} size`).toBe(ref.keys.length);
      // Scalar keys keep a plain Map; once a key is an object or an array, a GroupMap, where an
      // equal value (a fresh copy, keys reordered) finds its group.
      const objectKeys = ref.keys.some((key) => key !== null && typeof key === 'object');
      expect(Object.getPrototypeOf(counts), `${what} result class`).toBe(objectKeys ? GroupMap.prototype : Map.prototype);
      if (counts instanceof GroupMap) {
        ref.keys.forEach((key, i) => {
          expect(counts.get(reordered(key) as never), `${what} get ${sortedJson(key)}`).toBe(ref.rows[i].length);
        });
      }
      const sums = grouping.sum('f');
      const means = grouping.mean('n');
      ref.keys.forEach((key, i) => {
        expect(sums.get(key as never), `${what}.sum(f)`).toBe(refSum(plain, ref.rows[i], 'f').sum);
        expect(means.get(key as never), `${what}.mean(n)`).toBe(refSum(plain, ref.rows[i], 'n').mean);
      });
      for (const value of DISTINCT_VALUES) {
        const distinct = grouping.countDistinct(value);
        expect([...distinct.keys()], `${what}.countDistinct(${value}) keys`).toEqual(ref.keys);
        expect([...distinct.values()], `${what}.countDistinct(${value})`).toEqual(ref.rows.map((group) => refCountDistinct(plain, group, value)));
      }
    }
    for (const path of [...ONE_KEYS, 't']) {
      const expected = refGrouping(plain, [path], rows).keys;
      expect(target.distinct(path), `${label}: distinct(${path})`).toEqual(expected);
      expect(new Set(expected.map(sortedJson)).size).toBe(expected.length);
    }
  }
}

function checkOrders(store: Store, plain: Record<string, unknown>[]): void {
  for (const { label, target, rows } of scopes(store, plain)) {
    for (const path of ORDER_KEYS) {
      for (const direction of ['asc', 'desc'] as const) {
        const ref = refOrderJson(plain, path, direction, rows);
        const what = `${label}: orderBy(${path}, ${direction})`;
        expect(Array.from(target.orderBy(path, direction)), what).toEqual(ref);
        for (const limit of [0, 1, 10, 100, 400, ref.length + 3]) {
          expect(Array.from(target.orderBy(path, direction, { limit })), `${what}, limit ${limit}`).toEqual(ref.slice(0, limit));
        }
      }
    }
  }
}

describe('groupBy by value, by several paths, distinct and countDistinct agree with plain JS', () => {
  it('count / sum / mean / countDistinct per group and distinct, over the store and a selection', async () => {
    await fc.assert(fc.asyncProperty(shapes, (shape) => withShape(shape, checkGroups)), { numRuns: 12 });
  }, TIMEOUT);

  it('keys read back: a composite key is the array of its paths\' values, first seen', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, (shape) =>
        withShape(shape, (store, plain) => {
          const counts = store.groupBy('a', 'st').count();
          for (const [[a, st], count] of counts as Map<[unknown, unknown], number>) {
            expect(count).toBe(plain.filter((record) => sortedJson(keyAt(record, 'a')) === sortedJson(a) && sortedJson(keyAt(record, 'st')) === sortedJson(st)).length);
          }
        }),
      ),
      { numRuns: 4 },
    );
  }, TIMEOUT);
});

describe('orderBy agrees with a stable plain-JS sort: top-k and the mixed order', () => {
  it('every limit gives the first rows of the full order, on sparse, text, mixed and dense keys', async () => {
    await fc.assert(fc.asyncProperty(shapes, (shape) => withShape(shape, checkOrders)), { numRuns: 12 });
  }, TIMEOUT);
});
