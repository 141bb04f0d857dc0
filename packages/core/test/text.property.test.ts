// Text columns (assembly/text.ts) under random data and random delivery: a string column that
// starts as dictionary codes and turns into text once its strings stop repeating (a review when
// the dictionary doubles past 2,048 entries), or stays codes, or turns mixed when a number
// arrives — loaded through every entry path, in random chunks and random append batches. After
// each load the records are exactly the input and eq / in / ranges (JavaScript's <) / groupBy /
// orderBy / first answer as a plain-JS model does.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prng } from '@memstore/testkit/prng';
import { Store } from '../src/node';
import { exactJson, withStore } from './helpers';

/** Pieces strings are made of: escapes, astral characters, lone surrogates, NUL, the UTF-16 / UTF-8 order split. */
const PIECES = ['a', 'b', 'Z', '0', 'é', '\u0000', '\ue000', '\uffff', '\u{1f600}', '\u{10000}', '\ud800', '\udfff', '"', '\\', '\n', ' '];

interface Shape {
  seed: number;
  rows: number;
  /** Per mille of rows whose string repeats an earlier one (high: the column stays codes). */
  repeats: number;
  /** Per mille of rows that are null / missing. */
  nulls: number;
  missing: number;
  /** Per mille of strings made of pieces only, no row number (short ones repeat: '', 'a', 'é'). */
  bare: number;
  /** Row at which a number arrives (the column turns mixed), or -1. */
  numberAt: number;
}

const shapes: fc.Arbitrary<Shape> = fc.record({
  seed: fc.integer(),
  rows: fc.integer({ min: 2200, max: 4500 }),
  repeats: fc.constantFrom(0, 0, 10, 300, 950),
  nulls: fc.constantFrom(0, 50),
  missing: fc.constantFrom(0, 100),
  bare: fc.constantFrom(0, 0, 100),
  numberAt: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 4400 })),
});

type Row = { id: number; s?: string | number | null };

function rowsOf(shape: Shape): Row[] {
  const random = prng(shape.seed);
  const seen: string[] = [];
  return Array.from({ length: shape.rows }, (_, id) => {
    const row: Row = { id };
    const roll = random() * 1000;
    if (roll < shape.missing) return row;
    if (roll < shape.missing + shape.nulls) {
      row.s = null;
      return row;
    }
    if (id === shape.numberAt) {
      row.s = id % 3 === 0 ? -0 : id % 3 === 1 ? id : -0.5;
      return row;
    }
    if (seen.length > 0 && random() * 1000 < shape.repeats) {
      row.s = seen[Math.floor(random() * seen.length)];
      return row;
    }
    let text = random() * 1000 < shape.bare ? '' : `${id}`;
    for (let k = Math.floor(random() * 5); k > 0; k--) text += PIECES[Math.floor(random() * PIECES.length)];
    seen.push(text);
    row.s = text;
    return row;
  });
}

const ndjsonOf = (rows: readonly Row[]) => rows.map(exactJson).join('\n');

/** `items` cut at `cuts` (positions in [0, length], any order) into consecutive non-empty runs. */
function runs<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((cut) => cut % (items.length + 1)))].filter((cut) => cut > 0 && cut < items.length).sort((a, b) => a - b);
  const out: T[][] = [];
  let start = 0;
  for (const point of [...points, items.length]) {
    out.push(items.slice(start, point));
    start = point;
  }
  return out;
}

type Entry = 'fromJSON(string)' | 'fromJSON(bytes)' | 'fromStream' | 'fromRecords' | 'append(text)' | 'append(records)';
const entries: fc.Arbitrary<Entry> = fc.constantFrom('fromJSON(string)', 'fromJSON(bytes)', 'fromStream', 'fromRecords', 'append(text)', 'append(records)');

async function load(entry: Entry, rows: Row[], cuts: readonly number[]): Promise<Store<Row>> {
  const text = ndjsonOf(rows);
  switch (entry) {
    case 'fromJSON(string)':
      return Store.fromJSON<Row>(text, { format: 'ndjson' });
    case 'fromJSON(bytes)':
      return Store.fromJSON<Row>(new TextEncoder().encode(`[${rows.map(exactJson).join(',')}]`));
    case 'fromStream': {
      const bytes = new TextEncoder().encode(text);
      const chunks = runs(Array.from({ length: bytes.length }, (_, i) => i), cuts.map((cut) => cut * 97)).map((run) => bytes.subarray(run[0], run[run.length - 1] + 1));
      return Store.fromStream<Row>(Readable.from(chunks), { format: 'ndjson' });
    }
    case 'fromRecords':
      return Store.fromRecords<Row>(rows);
    case 'append(text)': {
      const [head, ...rest] = runs(rows, cuts);
      const store = await Store.fromJSON<Row>(ndjsonOf(head), { format: 'ndjson' });
      for (const batch of rest) await store.append(ndjsonOf(batch), { format: 'ndjson' });
      return store;
    }
    case 'append(records)': {
      const [head, ...rest] = runs(rows, cuts);
      const store = await Store.fromRecords<Row>(head);
      for (const batch of rest) await store.append(batch);
      return store;
    }
  }
}

/** Rows (indices) whose value passes `test`. */
const where = (rows: readonly Row[], test: (value: unknown) => boolean) => rows.flatMap((row, i) => (test(row.s) ? [i] : []));
const isString = (value: unknown): value is string => typeof value === 'string';

function checkQueries(store: Store<Row>, rows: Row[], random: () => number): void {
  const strings = rows.map((row) => row.s).filter(isString);
  const pick = () => (strings.length === 0 ? 'none' : strings[Math.floor(random() * strings.length)]);
  for (let k = 0; k < 3; k++) {
    const literal = pick();
    expect(Array.from(store.where('s').eq(literal).indices()), `eq ${JSON.stringify(literal)}`).toEqual(where(rows, (v) => v === literal));
    // Ranges compare strings with strings only, in UTF-16 code-unit order.
    expect(Array.from(store.where('s').gt(literal).indices()), `gt ${JSON.stringify(literal)}`).toEqual(where(rows, (v) => isString(v) && v > literal));
    expect(store.where('s').lte(literal).count(), `lte ${JSON.stringify(literal)}`).toBe(where(rows, (v) => isString(v) && v <= literal).length);
    const firstRow = where(rows, (v) => v === literal)[0];
    expect(store.where('s').eq(literal).first()?.id, 'first').toBe(firstRow === undefined ? undefined : rows[firstRow].id);
  }
  const wanted = [pick(), pick(), 'never there'];
  expect(Array.from(store.where('s').in(wanted).indices()), 'in').toEqual(where(rows, (v) => wanted.includes(v as string)));
  expect(store.where('s').isNull().count(), 'isNull').toBe(where(rows, (v) => v === null).length);
  const groups = new Map<unknown, number>();
  for (const row of rows) groups.set(row.s ?? null, (groups.get(row.s ?? null) ?? 0) + 1);
  expect([...store.groupBy('s').count()], 'groupBy').toEqual([...groups]);
  if (rows.every((row) => typeof row.s !== 'number')) {
    const present = where(rows, isString);
    const absent = where(rows, (v) => !isString(v));
    const order = [...present].sort((a, b) => ((rows[a].s as string) < (rows[b].s as string) ? -1 : (rows[a].s as string) > (rows[b].s as string) ? 1 : a - b));
    expect(Array.from(store.orderBy('s')), 'orderBy').toEqual([...order, ...absent]);
  }
}

describe('text columns: random strings, any entry path, any chunking', () => {
  it('hold the records exactly and answer as a JS model does', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, entries, fc.array(fc.nat(), { maxLength: 6 }), async (shape, entry, cuts) => {
        const rows = rowsOf(shape);
        await withStore(load(entry, rows, cuts), (store) => {
          expect(store.toArray()).toEqual(JSON.parse(`[${rows.map(exactJson).join(',')}]`));
          const values = store.toArray().map((row) => row.s);
          for (let i = 0; i < rows.length; i++) if (Object.is(rows[i].s, -0)) expect(Object.is(values[i], -0)).toBe(true);
          checkQueries(store, rows, prng(shape.seed ^ 0x5bd1e995));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('a column of strings that never repeat ends as text on every entry path; one that repeats stays codes', async () => {
    for (const entry of ['fromJSON(string)', 'fromJSON(bytes)', 'fromStream', 'fromRecords', 'append(text)', 'append(records)'] as const) {
      const unique = rowsOf({ seed: 7, rows: 5000, repeats: 0, nulls: 0, missing: 0, bare: 0, numberAt: -1 });
      await withStore(load(entry, unique, [1234, 2500, 4100]), (store) => {
        expect(store.schema.fields?.find((field) => field.key === 's')?.storage, entry).toBe('text');
      });
      const repeating = rowsOf({ seed: 7, rows: 5000, repeats: 950, nulls: 0, missing: 0, bare: 100, numberAt: -1 });
      await withStore(load(entry, repeating, [1234, 2500, 4100]), (store) => {
        expect(store.schema.fields?.find((field) => field.key === 's')?.storage, entry).not.toBe('text');
      });
    }
  });
});
