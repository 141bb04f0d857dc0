// Column against column (assembly/compare.ts) through the ABI: scanColumns over any row range,
// each column dense or sparse (so the two columns' stored rows fall at different places), ints
// of each width against ints and float64s, dictionary strings in UTF-16 order, against a JS
// reference over the rows as a model (a value, null or missing).
import { describe, expect, it } from 'vitest';
import { prng } from '@memstore/testkit/prng';
import { ColumnType, Descriptor, Order, Status } from '../assembly/abi';
import { field, instance, internText, setBits, type Wasm } from './harness';

type Row = number | string | null | undefined;

/** Appends `rows` (missing rows as runs, as the parser writes them) to a column of `type`. */
function column(wasm: Wasm, type: ColumnType, rows: readonly Row[]): number {
  const handle = wasm.columnCreate(type, 16, 0, 0, 0);
  let missing = 0;
  for (const row of rows) {
    if (row === undefined) {
      missing++;
      continue;
    }
    expect(wasm.appendMissingRun(handle, missing)).toBe(Status.Ok);
    missing = 0;
    let status: Status;
    if (row === null) status = wasm.appendNull(handle);
    else if (typeof row === 'string') status = wasm.appendString(handle, internText(wasm, row));
    else status = type === ColumnType.Float64 ? wasm.appendFloat64(handle, row) : wasm.appendInt(handle, row);
    expect(status).toBe(Status.Ok);
  }
  expect(wasm.appendMissingRun(handle, missing)).toBe(Status.Ok);
  return handle;
}

/** `count` rows of `value()`, stored (a value or null) with probability `stored`. */
function rows(random: () => number, count: number, stored: number, value: () => number | string): Row[] {
  return Array.from({ length: count }, () => (random() >= stored ? undefined : random() < 0.1 ? null : value()));
}

const ORDERS = [Order.Less, Order.Equal, Order.Greater, Order.Less | Order.Equal, Order.Greater | Order.Equal];

function passes(a: Row, b: Row, orders: number): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  const order = a < b ? Order.Less : a === b ? Order.Equal : Order.Greater;
  return (order & orders) !== 0;
}

function checkScans(wasm: Wasm, left: number, right: number, a: readonly Row[], b: readonly Row[], random: () => number): void {
  const out = wasm.arenaAllocate(Math.ceil(a.length / 64) * 8 + 8) >>> 0;
  for (let trial = 0; trial < 5; trial++) {
    // Any start and end: a block of the facade starts at a multiple of 64, a test may not.
    const start = trial === 0 ? 0 : Math.floor(random() * a.length);
    const end = trial === 0 ? a.length : start + Math.floor(random() * (a.length - start + 1));
    for (const orders of ORDERS) {
      expect(wasm.scanColumns(left, right, orders, start, end, out)).toBe(Status.Ok);
      const want: number[] = [];
      for (let row = start; row < end; row++) if (passes(a[row], b[row], orders)) want.push(row - start);
      expect(setBits(wasm, out, end - start), `[${start}, ${end}) orders ${orders}`).toEqual(want);
    }
  }
}

describe('scanColumns', () => {
  it('ints of each width and float64s, dense or sparse on either side, over any row range', () => {
    const random = prng(7);
    const values: Array<[ColumnType, () => number]> = [
      [ColumnType.Int, () => Math.floor(random() * 9) - 4], // 1-byte deltas
      [ColumnType.Int, () => Math.floor(random() * 60_000)], // 2
      [ColumnType.Int, () => 2 ** 40 + Math.floor(random() * 2 ** 33)], // 8
      [ColumnType.Int, () => 2 ** 53 - Math.floor(random() * 3)],
      [ColumnType.Float64, () => [0.5, -0, 0, 2 ** 53 + 2, -3, 2 ** 53, 1e300][Math.floor(random() * 7)]],
    ];
    for (const [leftType, leftValue] of values) {
      for (const [rightType, rightValue] of values) {
        for (const [leftStored, rightStored] of [[1, 1], [0.3, 1], [1, 0.2], [0.3, 0.4]]) {
          const wasm = instance();
          const a = rows(random, 3000, leftStored, leftValue);
          const b = rows(random, 3000, rightStored, rightValue);
          const left = column(wasm, leftType, a);
          const right = column(wasm, rightType, b);
          expect(field(wasm, left, Descriptor.Sparse) !== 0).toBe(leftStored < 0.5);
          expect(field(wasm, right, Descriptor.Sparse) !== 0).toBe(rightStored < 0.5);
          checkScans(wasm, left, right, a, b, random);
        }
      }
    }
  }, 300_000); // seeded and exhaustive: ~20 s alone, 86 s on two busy cores (the 60 s default failed a CI run)

  it('dictionary strings in UTF-16 order (an astral character below U+E000), and WrongType for types that do not compare', () => {
    const random = prng(8);
    const pool = ['', 'a', 'ab', 'b', '\uE000', '😀', 'é', 'B'];
    const wasm = instance();
    const a = rows(random, 2500, 0.35, () => pool[Math.floor(random() * pool.length)]);
    const b = rows(random, 2500, 1, () => pool[Math.floor(random() * pool.length)]);
    const left = column(wasm, ColumnType.String, a);
    const right = column(wasm, ColumnType.String, b);
    expect(field(wasm, left, Descriptor.Sparse)).not.toBe(0);
    checkScans(wasm, left, right, a, b, random);
    const ints = column(wasm, ColumnType.Int, [1, 2]);
    expect(wasm.scanColumns(ints, left, Order.Equal, 0, 2, wasm.arenaAllocate(8))).toBe(Status.WrongType);
  });
});
