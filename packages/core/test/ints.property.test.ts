// Property: ints past int32 stay ints. A field of integers near and beyond ±2^31 and ±2^53, ids
// around 2^40, small ints, mixed with -0, fractions, ints past 2^53, nulls and missing keys, is
// loaded by fromJSON (a string, UTF-8 bytes), fromStream (random chunks) or fromRecords, then
// appended to the same four ways. After every step toArray() deep-equals JSON.parse (Object.is:
// -0 too), the field is an int column exactly when every value is an integer of magnitude ≤ 2^53
// (not -0), at the narrowest width its spread needs, and queries agree with a plain-JS model:
// eq, gt/gte/lt/lte/between ranges, sum / min / max / mean (an int column's sum exact, rounded
// once), groupBy count and sum, orderBy, column() and record views.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Store } from '../src/node';
import { exactJson, intAt, withStore } from './helpers';

const LIMIT = 2 ** 53;

/** An integer an int column holds. */
const isInt = (value: number) => Number.isInteger(value) && Math.abs(value) <= LIMIT && !Object.is(value, -0);

/** Where the integers come from: each run draws its values from a few of these. */
const SOURCES: Record<string, fc.Arbitrary<number>> = {
  tiny: fc.integer({ min: -100, max: 100 }),
  small: fc.integer({ min: -20_000, max: 20_000 }),
  int32Edge: fc.oneof(fc.integer({ min: 2 ** 31 - 300, max: 2 ** 31 + 300 }), fc.integer({ min: -(2 ** 31) - 300, max: -(2 ** 31) + 300 })),
  ids40: fc.integer({ min: 2 ** 40, max: 2 ** 40 + 2 ** 32 - 1 }),
  narrowIds40: fc.integer({ min: 2 ** 40, max: 2 ** 40 + 100_000 }),
  int53Edge: fc.oneof(fc.integer({ min: LIMIT - 300, max: LIMIT }), fc.integer({ min: -LIMIT, max: -LIMIT + 300 })),
  anyInt: fc.integer({ min: -LIMIT, max: LIMIT }),
  constant: fc.constant(2 ** 45 + 3),
};
/** Numbers that are no int: the field turns float64. */
const NOT_INTS = fc.constantFrom(-0, 0.5, -1.25, 2 ** 52 + 0.5, LIMIT + 2, -LIMIT - 2, 2 ** 60, 1e300);

type Cell = number | null | undefined; // undefined: the key is absent
interface Row { id: number; k: number; v?: number | null }

/** A run's values: integers from one to three sources, with nulls, missing keys and (sometimes) non-ints. */
const cellsArb: fc.Arbitrary<Cell[]> = fc
  .record({
    // Mostly one source (each width in turn), sometimes a mix (wide spreads: 8-byte deltas).
    sources: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...Object.keys(SOURCES)).map((name) => [name]) },
      { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...Object.keys(SOURCES)), { minLength: 2, maxLength: 3 }) },
    ),
    absent: fc.constantFrom(0, 0.1, 0.4),
    notInts: fc.constantFrom(0, 0, 0.05),
    count: fc.integer({ min: 1, max: 120 }),
    order: fc.constantFrom('random', 'rising', 'falling'),
  })
  .chain(({ sources, absent, notInts, count, order }) => {
    const integer = fc.oneof(...sources.map((name) => SOURCES[name]));
    const cell: fc.Arbitrary<Cell> = fc.double({ min: 0, max: 1, noNaN: true }).chain((roll) =>
      roll < absent / 2 ? fc.constant(null) : roll < absent ? fc.constant(undefined) : roll < absent + notInts ? NOT_INTS : integer,
    );
    return fc.array(cell, { minLength: count, maxLength: count }).map((cells) => {
      if (order === 'random') return cells;
      // Rising or falling runs: the frame rebases as values keep leaving it on one side.
      const numbers = cells.filter((cell): cell is number => typeof cell === 'number').sort((a, b) => (order === 'rising' ? a - b : b - a));
      let next = 0;
      return cells.map((cell) => (typeof cell === 'number' ? numbers[next++] : cell));
    });
  });

const rowsOf = (cells: readonly Cell[], from: number): Row[] =>
  cells.map((v, i) => (v === undefined ? { id: from + i, k: (from + i) % 5 } : { id: from + i, k: (from + i) % 5, v }));

type How = 'string' | 'bytes' | 'stream' | 'records';
const howArb = fc.constantFrom<How>('string', 'bytes', 'stream', 'records');

/** `text`'s UTF-8 bytes cut at `cuts` (chunks a stream yields). */
function chunks(text: string, cuts: readonly number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...points, bytes.length].map((point, i, all) => bytes.slice(i === 0 ? 0 : all[i - 1], point));
}

function load(rows: Row[], how: How, cuts: number[]): Promise<Store<Row>> {
  const text = exactJson(rows);
  if (how === 'records') return Store.fromRecords<Row>(JSON.parse(text));
  if (how === 'stream') return Store.fromStream<Row>(chunks(text, cuts));
  return Store.fromJSON<Row>(how === 'string' ? text : new TextEncoder().encode(text));
}

async function append(store: Store<Row>, rows: Row[], how: How, cuts: number[]): Promise<void> {
  const text = exactJson(rows);
  if (how === 'records') await store.append(JSON.parse(text) as Row[]);
  else if (how === 'stream') await store.append(chunks(text, cuts));
  else await store.append(how === 'string' ? text : new TextEncoder().encode(text));
}

const widthOf = (spread: number) => (spread === 0 ? 'constant' : spread <= 0xff ? 'uint8 + base' : spread <= 0xffff ? 'uint16 + base' : spread <= 0xffffffff ? 'uint32 + base' : 'uint64 + base');

/** The sum of `values` as the store gives it: exact then rounded once for an int column, row order for float64. */
function modelSum(values: readonly number[], intColumn: boolean): number {
  return intColumn ? Number(values.reduce((sum, value) => sum + BigInt(value), 0n)) : values.reduce((sum, value) => sum + value, 0);
}

/** The store answers as the model (the rows written so far) does. */
function check(store: Store<Row>, model: Row[], probes: readonly number[]): void {
  const expected = JSON.parse(exactJson(model)) as Row[];
  assert.deepStrictEqual(store.toArray(), expected);
  const cells: Cell[] = model.map((row) => row.v);
  const numbers = cells.filter((cell): cell is number => typeof cell === 'number');
  const field = store.schema.fields!.find((f) => f.key === 'v');
  if (numbers.length === 0) return; // only nulls or missing keys: no number to ask about
  const intColumn = numbers.every(isInt);
  expect(field!.type).toBe(intColumn ? 'int' : 'float');
  if (intColumn) expect(field!.storage).toBe(widthOf(Math.max(...numbers) - Math.min(...numbers)));

  // Record views and column().
  for (let row = 0; row < model.length; row += Math.max(1, model.length >> 4)) {
    const view = store.at(row) as unknown as Row;
    expect(Object.is(view.v, cells[row] === undefined ? undefined : cells[row]), `at(${row}).v`).toBe(true);
  }
  const column = store.column('v');
  expect(column.toArray()).toEqual(cells);
  if (intColumn) cells.forEach((cell, row) => { if (typeof cell === 'number') expect(intAt(column, row), `deltas[${row}]`).toBe(cell); });

  // eq, ranges: indices against the model, bounds at, around and between the values, and past ±2^53.
  const rowsWhere = (test: (value: number) => boolean) => cells.flatMap((cell, row) => (typeof cell === 'number' && test(cell) ? [row] : []));
  for (const probe of probes) {
    expect(Array.from(store.where('v').eq(probe).indices()), `eq(${probe})`).toEqual(rowsWhere((v) => v === probe));
    expect(store.where('v').gt(probe).count(), `gt(${probe})`).toBe(rowsWhere((v) => v > probe).length);
    expect(Array.from(store.where('v').lte(probe).indices()), `lte(${probe})`).toEqual(rowsWhere((v) => v <= probe));
    expect(store.where('v').gte(probe).first()?.id, `gte(${probe}).first()`).toBe(rowsWhere((v) => v >= probe)[0]);
    expect(store.where('v').lt(probe).count(), `lt(${probe})`).toBe(rowsWhere((v) => v < probe).length);
  }
  const [lo, hi] = [probes[0], probes[1]].sort((a, b) => a - b);
  expect(Array.from(store.where('v').between(lo, hi).indices()), `between(${lo}, ${hi})`).toEqual(rowsWhere((v) => v >= lo && v <= hi));
  expect(store.where('v').in(probes.slice(0, 3)).count()).toBe(rowsWhere((v) => probes.slice(0, 3).includes(v)).length);

  // Aggregates: over the store and over a selection.
  expect(store.sum('v'), 'sum').toBe(modelSum(numbers, intColumn));
  // The first of equal values, as `<` keeps it (Math.min would give -0 for [0, -0]).
  const firstBy = (wins: (value: number, kept: number) => boolean) => numbers.reduce((kept, value) => (wins(value, kept) ? value : kept));
  expect(store.min('v')).toBe(firstBy((value, kept) => value < kept));
  expect(store.max('v')).toBe(firstBy((value, kept) => value > kept));
  expect(store.mean('v')).toBe(modelSum(numbers, intColumn) / numbers.length);
  const evenKeys = model.flatMap((row) => (row.k % 2 === 0 && typeof row.v === 'number' ? [row.v] : []));
  expect(store.where('k').in([0, 2, 4]).sum('v'), 'selected sum').toBe(modelSum(evenKeys, intColumn));

  // groupBy: by a small int key (sums per group), and by the values themselves (hashed int keys).
  const groups = new Map<number, number[]>();
  for (const row of model) {
    if (!groups.has(row.k)) groups.set(row.k, []);
    if (typeof row.v === 'number') groups.get(row.k)!.push(row.v);
  }
  expect(store.groupBy('k').sum('v')).toEqual(new Map([...groups].map(([key, values]) => [key, modelSum(values, intColumn)])));
  const counts = new Map<number | null, number>();
  for (const cell of cells) {
    const key = cell === undefined ? null : cell;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  expect(store.groupBy('v').count()).toEqual(counts);

  // orderBy: stable, nulls and missing last.
  const present = cells.flatMap((cell, row) => (typeof cell === 'number' ? [row] : []));
  const absent = cells.flatMap((cell, row) => (typeof cell === 'number' ? [] : [row]));
  const ascending = [...present].sort((a, b) => (cells[a]! < cells[b]! ? -1 : cells[a]! > cells[b]! ? 1 : a - b));
  const descending = [...present].sort((a, b) => (cells[a]! > cells[b]! ? -1 : cells[a]! < cells[b]! ? 1 : a - b));
  expect(Array.from(store.orderBy('v'))).toEqual([...ascending, ...absent]);
  expect(Array.from(store.orderBy('v', 'desc'))).toEqual([...descending, ...absent]);
}

/** Bounds to probe: values of the field, their neighbours, fractions between, and the edges of what an int column holds. */
function probesOf(cells: readonly Cell[], picks: readonly number[]): number[] {
  const numbers = cells.filter((cell): cell is number => typeof cell === 'number' && Number.isFinite(cell));
  const probes = [0, LIMIT, -LIMIT, LIMIT + 2, 2 ** 31, -(2 ** 31) - 1, 2 ** 40 + 0.5];
  for (const pick of picks) {
    if (numbers.length === 0) break;
    const value = numbers[pick % numbers.length];
    probes.unshift(value, value + 1, value - 1, value + 0.5);
  }
  return probes;
}

describe('ints past int32 stay ints, through every route, against a plain-JS model', () => {
  it('loads and appends in random chunkings: values, storage and queries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(cellsArb, howArb, fc.array(fc.nat(), { maxLength: 4 })), { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { minLength: 2, maxLength: 4 }),
        async (batches, picks) => {
          const [[firstCells, firstHow, firstCuts], ...rest] = batches;
          let model = rowsOf(firstCells, 0);
          await withStore(load(model, firstHow, firstCuts), async (store) => {
            check(store, model, probesOf(firstCells, picks));
            for (const [cells, how, cuts] of rest) {
              const rows = rowsOf(cells, model.length);
              await append(store, rows, how, cuts);
              model = [...model, ...rows];
              check(store, model, probesOf(model.map((row) => row.v), picks));
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
