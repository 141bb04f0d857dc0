// A store larger than one block (200,003 rows > 65,536; not a multiple of 64): first() across
// its growing blocks, queries over the workspace's 65,536-row blocks (a selection copied in a block
// at a time, list elements of a block), groupBy across its 16,384-row blocks, the SIMD small-dictionary scan on
// u8 codes (with its tail), the scalar lookup table (> 16 strings), u16 codes, and the JS
// fallbacks of groupBy (> 4,096 distinct ints or strings).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/node';
import { prng } from '@memstore/testkit/prng';
import {
  buildSelection, describe as show, expectClose, expectSameMap, expectSameNumber, listPath, refGroups, refIndices, refOrder, refTotals,
  scalarPath, type Expr, type Leaf, type Op,
} from './reference';

const ROWS = 200_003;

/** Rows where a scan's chunks start: the first of `first` rows at `from`, each `growth` times the last, up to 65,536. */
function chunkStarts(from: number, first: number, growth: number): number[] {
  const starts: number[] = [from];
  for (let start = from, size = first; start < ROWS; start += size, size = Math.min(size * growth, 65536)) starts.push(start);
  return starts;
}

/**
 * Each side of every chunk edge, and the last row: first() tests 8 rows in JS, then a column test
 * scans in WASM from row 8 in chunks of 64 rows doubling; compound expressions go by blocks ending
 * at 64, 256, 1,024, … 65,536 rows, then every 65,536 (the workspace's blocks, which every other
 * query also goes by); groupBy maps rows to group ids in 16,384-row blocks.
 */
const FIRST_BLOCK_ENDS = [64, 256, 1024, 4096, 16384];
const GROUP_BLOCKS = Array.from({ length: Math.floor(ROWS / 16384) }, (_, i) => (i + 1) * 16384);
const BOUNDARIES = [...new Set([...chunkStarts(8, 64, 2), ...FIRST_BLOCK_ENDS, ...GROUP_BLOCKS].flatMap((start) => [start - 1, start]).concat(ROWS - 1))]
  .filter((row) => row >= 0)
  .sort((a, b) => a - b);
/** Boundary rows are marked in columns of at most 15 distinct strings (u8 codes: the SIMD scan). */
const MARKERS_PER_COLUMN = 15;
const markerColumn = (boundary: number) => `marker${Math.floor(boundary / MARKERS_PER_COLUMN)}`;

interface Row {
  id: number;
  cat?: string | null;
  big: string;
  uuid: string;
  k: number;
  tiny: number;
  small?: number | null;
  val?: number | null;
  flag: boolean;
  [marker: `marker${number}`]: string | undefined;
  tags?: string[] | null;
  wide?: string | null;
}

function generate(): Row[] {
  const random = prng(20260101);
  const int = (n: number) => Math.floor(random() * n);
  const rows: Row[] = [];
  for (let i = 0; i < ROWS; i++) {
    const row: Row = {
      id: i,
      big: `b${int(40)}`,
      uuid: `u${int(20000).toString(16).padStart(5, '0')}`,
      k: int(30000) - 15000,
      tiny: int(256) - 128,
      flag: random() < 0.3,
    };
    // More than 65,536 distinct strings: u32 codes; every third row null. Half the rows repeat one
    // string, so the column stays a dictionary (strings that are all new would become text).
    if (i % 3 !== 0) row.wide = i % 2 === 0 ? `w${i >> 1}` : 'w-common';
    else row.wide = null;
    const roll = random();
    // c8 and c9 first appear in the second and third group block.
    if (roll >= 0.05) row.cat = roll < 0.1 ? null : `c${int(i < 100_000 ? 8 : i < 140_000 ? 9 : 10)}`;
    const small = random();
    if (small >= 0.02) row.small = small < 0.04 ? null : i >= 150_000 && small > 0.99 ? 99 : int(99);
    const val = random();
    if (val >= 0.01) row.val = val < 0.03 ? null : Math.round((random() - 0.3) * 1e6) / 1000;
    const boundary = BOUNDARIES.indexOf(i);
    if (boundary >= 0) row[markerColumn(boundary) as `marker${number}`] = `m${boundary}`;
    const tags = random();
    if (tags < 0.9) row.tags = tags < 0.05 ? null : Array.from({ length: int(4) }, () => `c${int(10)}`);
    rows.push(row);
  }
  return rows;
}

const leaf = (path: string, op: Op, mode: Leaf['mode'] = 'value'): Leaf => ({ kind: 'leaf', spec: mode === 'value' ? scalarPath(path) : listPath(path), mode, op });
const and = (left: Expr, right: Expr, viaPath = false): Expr => ({ kind: 'and', left, right, viaPath });
const or = (left: Expr, right: Expr, viaPath = false): Expr => ({ kind: 'or', left, right, viaPath });
const not = (inner: Expr): Expr => ({ kind: 'not', inner });

describe(`a store of ${ROWS} rows`, () => {
  let store: Store<Row>;
  let plain: Row[];

  beforeAll(async () => {
    const records = generate();
    store = await Store.fromRecords(records);
    plain = store.toArray();
    expect(plain.length).toBe(ROWS);
    expect(plain[123456]).toEqual(records[123456]);
  });
  afterAll(() => store.dispose());

  it('stores the columns the test means to exercise', () => {
    expect(store.column('cat').codes).toBeInstanceOf(Uint8Array);
    expect(store.column('cat').dictionary!.length).toBeLessThanOrEqual(16);
    for (let boundary = 0; boundary < BOUNDARIES.length; boundary += MARKERS_PER_COLUMN) {
      const column = store.column(markerColumn(boundary));
      expect(column.codes).toBeInstanceOf(Uint8Array);
      expect(column.dictionary!.length).toBeLessThanOrEqual(16);
    }
    expect(store.column('big').dictionary!.length).toBeGreaterThan(16);
    expect(store.column('uuid').codes).toBeInstanceOf(Uint16Array);
    expect(store.column('wide').codes).toBeInstanceOf(Uint32Array);
    expect(store.column('uuid').dictionary!.length).toBeGreaterThan(16384);
    expect(new Set(plain.map((r) => r.k)).size).toBeGreaterThan(16384);
  });

  it('first() finds matches on each side of every block boundary', () => {
    BOUNDARIES.forEach((row, boundary) => {
      const marker: Expr = leaf(markerColumn(boundary), { op: 'eq', value: `m${boundary}` });
      for (const expr of [leaf('id', { op: 'eq', value: row }), marker, not(leaf('id', { op: 'lt', value: row })), and(marker, leaf('flag', { op: 'in', values: [true, false] }), true)]) {
        expect(buildSelection(store, expr).first()?.id, show(expr)).toBe(row);
        expect(buildSelection(store, expr).count(), show(expr)).toBe(refIndices(plain, expr).length);
      }
    });
    expect(store.where('id').gt(ROWS).first()).toBeUndefined();
    expect(store.where('marker0').isMissing().not().and(store.where('marker1').isMissing().not()).first()).toBeUndefined();
    expect(BOUNDARIES.length).toBeGreaterThan(2 * MARKERS_PER_COLUMN);
  });

  it('predicates: count, indices and first() equal the reference', () => {
    const late = plain[150_000].uuid;
    const exprs: Expr[] = [
      leaf('cat', { op: 'eq', value: 'c3' }),
      leaf('cat', { op: 'eq', value: 'c9' }),
      leaf('cat', { op: 'in', values: ['c1', 'c7', 'zz'] }),
      leaf('cat', { op: 'gt', value: 'c5' }),
      leaf('cat', { op: 'isNull' }),
      leaf('cat', { op: 'isMissing' }),
      not(leaf('cat', { op: 'eq', value: 'c0' })),
      leaf('big', { op: 'eq', value: 'b17' }),
      leaf('big', { op: 'in', values: ['b1', 'b39'] }),
      leaf('big', { op: 'lt', value: 'b2' }),
      leaf('uuid', { op: 'eq', value: late }),
      leaf('wide', { op: 'eq', value: 'w5' }),
      leaf('wide', { op: 'eq', value: 'w69998' }),
      leaf('wide', { op: 'eq', value: 'w0' }), // row 0 is null: the first match is row 70,000
      leaf('wide', { op: 'in', values: ['w7', 'w69999', 'nope'] }),
      not(leaf('wide', { op: 'eq', value: 'w1' })),
      leaf('uuid', { op: 'between', lo: 'u0a000', hi: 'u0a0ff' }),
      leaf('k', { op: 'in', values: Array.from({ length: 30 }, (_, i) => i * 7 - 100) }),
      leaf('k', { op: 'between', lo: -10.5, hi: 10.5 }),
      leaf('small', { op: 'eq', value: 99 }),
      leaf('val', { op: 'gt', value: 600 }),
      and(leaf('id', { op: 'gte', value: 199_990 }), leaf('cat', { op: 'eq', value: 'c9' }), true),
      and(leaf('tags', { op: 'eq', value: 'c2' }, 'any'), leaf('id', { op: 'gt', value: 131_000 })),
      leaf('tags', { op: 'eq', value: 3 }, 'length'),
      or(and(leaf('flag', { op: 'eq', value: true }), leaf('small', { op: 'between', lo: 10, hi: 20 }), true), leaf('val', { op: 'gt', value: 699.9 }), true),
      not(or(leaf('cat', { op: 'isNull' }), leaf('tags', { op: 'eq', value: 'c1' }, 'any'))),
    ];
    for (const expr of exprs) {
      const what = show(expr);
      const rows = refIndices(plain, expr);
      expect(buildSelection(store, expr).first()?.id, `${what} first()`).toBe(rows.length > 0 ? rows[0] : undefined);
      const selection = buildSelection(store, expr);
      expect(selection.count(), `${what} count()`).toBe(rows.length);
      expect(Array.from(selection.indices()), `${what} indices()`).toEqual(rows);
      expect(selection.first()?.id, `${what} first() after count()`).toBe(rows.length > 0 ? rows[0] : undefined);
    }
  });

  it('sums, min/max and means equal JS loops, over the store and a selection', () => {
    const selection = store.where('cat').in(['c2', 'c9']).or('id').gt(190_000);
    const rows = refIndices(plain, or(leaf('cat', { op: 'in', values: ['c2', 'c9'] }), leaf('id', { op: 'gt', value: 190_000 })));
    // Dense int columns (no absent rows) of each width take the SIMD sum/min/max pass over the store.
    expect(store.column('tiny').deltas).toBeInstanceOf(Uint8Array);
    expect(store.column('k').deltas).toBeInstanceOf(Uint16Array);
    expect(store.column('id').deltas).toBeInstanceOf(Uint32Array);
    for (const path of ['val', 'small', 'k', 'id', 'tiny']) {
      for (const [scope, target, scopeRows] of [['store', store, undefined], ['selection', selection, rows]] as const) {
        const ref = refTotals(plain, scalarPath(path), scopeRows);
        expectClose(target.sum(path), ref.sum, `${scope} sum(${path})`);
        expectSameNumber(target.min(path), ref.min, `${scope} min(${path})`);
        expectSameNumber(target.max(path), ref.max, `${scope} max(${path})`);
        expectClose(target.mean(path), ref.mean, `${scope} mean(${path})`);
      }
    }
  });

  it('groupBy over several blocks, WASM tables and JS fallbacks, over the store and a selection', () => {
    const selection = store.where('id').gte(70_000).and('flag').eq(false);
    const rows = refIndices(plain, and(leaf('id', { op: 'gte', value: 70_000 }), leaf('flag', { op: 'eq', value: false })));
    for (const key of ['cat', 'big', 'small', 'flag', 'k', 'uuid', 'tiny']) {
      for (const [scope, target, scopeRows] of [['store', store, undefined], ['selection', selection, rows]] as const) {
        const what = `${scope} groupBy(${key})`;
        const grouping = target.groupBy(key);
        expectSameMap(grouping.count(), refGroups(plain, key, null, scopeRows).count, `${what}.count()`, true);
        expectSameMap(grouping.sum('val'), refGroups(plain, key, 'val', scopeRows).sum, `${what}.sum(val)`);
        expectSameMap(grouping.mean('small'), refGroups(plain, key, 'small', scopeRows).mean, `${what}.mean(small)`);
      }
    }
    // The late keys come last, in first-seen order.
    expect([...store.groupBy('cat').count().keys()].slice(-2)).toEqual(['c8', 'c9']);
    expect([...store.groupBy('small').count().keys()].at(-1)).toBe(99);
  });

  it('orderBy equals a stable JS sort', () => {
    for (const [path, direction] of [['small', 'desc'], ['cat', 'asc'], ['val', 'asc'], ['k', 'desc']] as const) {
      expect(Array.from(store.orderBy(path, direction)), `${path} ${direction}`).toEqual(refOrder(plain, path, direction));
    }
  });
});
