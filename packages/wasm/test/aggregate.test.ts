// Aggregates and groups through the ABI: aggregate (an AggregateResult block) over int columns
// of every width (SIMD dense path, constant, 8-byte deltas, with absent rows, over a selection
// and a row range), float columns (row-order sums, -0), exact int sums past 2^53 and past 2^64
// (128-bit sums of deltas, plus count × base); groupIds / groupCount / groupSum /
// groupCountCodes / groupCombine against a JS reference, null and missing keys (Sentinel.NullGroup),
// GroupResult.Overflow and GroupResult.WrongType.
import { describe, expect, it } from 'vitest';
import { AggregateResult, ColumnType, GroupResult, GroupSum, Sentinel, Status } from '../assembly/abi';
import { baseOf, descriptor, instance, internText, writeBits, type Wasm } from './harness';
import { prng } from '@memstore/testkit/prng';

type State = 'present' | 'null' | 'missing';
interface Cell { state: State; value: number }

const random = prng(0xa66);
const randomInt = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

function cells(count: number, value: () => number, absent: boolean): Cell[] {
  return Array.from({ length: count }, () => {
    const roll = random();
    return { state: !absent || roll >= 0.2 ? 'present' : roll < 0.1 ? 'null' : 'missing', value: value() };
  });
}

function build(wasm: Wasm, type: ColumnType, data: Cell[], append: (column: number, value: number) => number): number {
  const column = wasm.columnCreate(type, data.length, 0, 0, 0);
  for (const cell of data) {
    expect(cell.state === 'null' ? wasm.appendNull(column) : cell.state === 'missing' ? wasm.appendMissing(column) : append(column, cell.value)).toBe(Status.Ok);
  }
  return column;
}

/** A zero-filled block (0xFF-filled when `fill`). */
function block(wasm: Wasm, bytes: number, fill = 0): number {
  const pointer = wasm.arenaAllocate(Math.max(8, bytes));
  expect(pointer).not.toBe(0);
  new Uint8Array(wasm.memory.buffer, pointer, Math.max(8, bytes)).fill(fill);
  return pointer;
}

/** An int sum as the module leaves it (a u128 of deltas at `at`) plus count × base, rounded once. */
function intSum(wasm: Wasm, column: number, at: number, count: number): number {
  const [low, high] = new BigUint64Array(wasm.memory.buffer, at, 2);
  return Number((high << 64n) + low + BigInt(count) * BigInt(baseOf(wasm, column)));
}

/** aggregate() as { sum, count, min, max }, or its status when not Ok. */
function totals(wasm: Wasm, column: number, selection: number, start: number, end: number) {
  const result = block(wasm, AggregateResult.Bytes);
  const status = wasm.aggregate(column, selection, start, end, result);
  if (status !== Status.Ok) return status;
  const f64 = (offset: number) => new Float64Array(wasm.memory.buffer, result + offset, 1)[0];
  const count = f64(AggregateResult.Count);
  const sum = descriptor(wasm, column).type === ColumnType.Int ? intSum(wasm, column, result + AggregateResult.DeltaSumLow, count) : f64(AggregateResult.Sum);
  return { sum, count, min: f64(AggregateResult.Min), max: f64(AggregateResult.Max) };
}

/**
 * The JS reference: a loop in row order (ints: the exact sum, rounded once); min / max keep the
 * first of equal values (as `<` / `>` do).
 */
function reference(data: Cell[], start: number, end: number, selected: (i: number) => boolean = () => true, exact = true) {
  let sum = 0, count = 0, min = 0, max = 0;
  let exactSum = 0n;
  for (let row = start; row < end; row++) {
    const cell = data[row];
    if (cell.state !== 'present' || !selected(row - start)) continue;
    sum += cell.value;
    if (exact) exactSum += BigInt(cell.value);
    if (count === 0 || cell.value < min) min = cell.value;
    if (count === 0 || cell.value > max) max = cell.value;
    count++;
  }
  if (exact) sum = Number(exactSum);
  return count === 0 ? { sum, count } : { sum, count, min, max };
}

/** Drops min / max when nothing was counted: their values are unspecified then. */
const comparable = (t: ReturnType<typeof totals>) => (typeof t === 'number' || t.count > 0 ? t : { sum: t.sum, count: t.count });

const RANGES: [number, number][] = [[0, 1013], [3, 1008], [17, 33], [5, 9], [64, 640], [10, 10]];

describe('aggregate over int columns', () => {
  // [width, smallest value, a value]: the smallest first makes it the base, and the spread picks the width.
  const widths: [number, number, () => number][] = [
    [0, -9, () => -9], [1, -128, () => randomInt(-128, 127)], [2, -32768, () => randomInt(-32768, 32767)],
    [4, -(2 ** 31), () => randomInt(-(2 ** 31), 2 ** 31 - 1)], [8, -(2 ** 53), () => randomInt(-(2 ** 53), 2 ** 53)],
  ];
  for (const [width, smallest, value] of widths) {
    it(`sums width ${width} exactly, dense (SIMD), with absent rows, and over a selection`, () => {
      const wasm = instance();
      for (const absent of [false, true]) {
        const data = cells(1013, value, absent);
        data[0] = { state: 'present', value: smallest };
        const column = build(wasm, ColumnType.Int, data, wasm.appendInt);
        expect(descriptor(wasm, column).width).toBe(width);
        for (const [start, end] of RANGES) {
          expect(comparable(totals(wasm, column, 0, start, end)), `[${start}, ${end})`).toEqual(reference(data, start, end));
          const chosen = Array.from({ length: end - start }, () => random() < 0.6);
          const selection = block(wasm, Math.ceil((end - start) / 64) * 8);
          writeBits(wasm, selection, chosen);
          expect(comparable(totals(wasm, column, selection, start, end)), `selected [${start}, ${end})`)
            .toEqual(reference(data, start, end, (i) => chosen[i]));
        }
      }
    });
  }

  it('widens SIMD lane sums before they overflow (long runs of the extreme values)', () => {
    const wasm = instance();
    for (const [low, high] of [[-128, 127], [-32768, 32767], [-(2 ** 31), 2 ** 31 - 1]]) {
      const rows = 300_000;
      const column = wasm.columnCreate(ColumnType.Int, rows, 0, 0, 0);
      for (let row = 0; row < rows; row++) wasm.appendInt(column, row < 1000 || row >= 200_000 ? high : low);
      const expected = { sum: 101_000 * high + 199_000 * low, count: rows, min: low, max: high };
      expect(totals(wasm, column, 0, 0, rows)).toEqual(expected);
      expect(totals(wasm, column, 0, 1000, 200_000)).toEqual({ sum: 199_000 * low, count: 199_000, min: low, max: low });
    }
  });

  it('sums exactly past 2^64: 128-bit sums of 8-byte deltas, count × base added after', () => {
    const wasm = instance();
    const rows = 3000;
    const column = wasm.columnCreate(ColumnType.Int, rows, 0, 0, 0);
    const constant = wasm.columnCreate(ColumnType.Int, rows, 0, 0, 0);
    for (let row = 0; row < rows; row++) {
      wasm.appendInt(column, row % 2 === 0 ? -(2 ** 53) : 2 ** 53 - (row % 5));
      wasm.appendInt(constant, 2 ** 53);
    }
    expect([descriptor(wasm, column).width, descriptor(wasm, constant).width]).toEqual([8, 0]);
    let exact = 0n;
    for (let row = 0; row < rows; row++) exact += row % 2 === 0 ? -(2n ** 53n) : 2n ** 53n - BigInt(row % 5);
    // The deltas' sum passes 2^64 (1,500 deltas of about 2^54): its high word carries.
    expect(totals(wasm, column, 0, 0, rows)).toEqual({ sum: Number(exact), count: rows, min: -(2 ** 53), max: 2 ** 53 });
    expect(totals(wasm, constant, 0, 0, rows)).toEqual({ sum: Number(BigInt(rows) * 2n ** 53n), count: rows, min: 2 ** 53, max: 2 ** 53 });
  });

  it('sums in i64 past 2^53: one rounding at the end, not one per row (SIMD, constant and selected paths)', () => {
    const wasm = instance();
    const rows = 4_500_000;
    const top = 2 ** 31 - 1;
    const varying = wasm.columnCreate(ColumnType.Int, rows, 4, 0, 0);
    const constant = wasm.columnCreate(ColumnType.Int, rows, 0, 0, 0);
    for (let row = 0; row < rows; row++) {
      wasm.appendInt(varying, row === 0 ? 0 : top);
      wasm.appendInt(constant, top);
    }
    expect([descriptor(wasm, varying).width, descriptor(wasm, constant).width]).toEqual([4, 0]);
    let naive = 0;
    for (let row = 1; row < rows; row++) naive += top;
    const exact = Number(BigInt(rows - 1) * BigInt(top));
    expect(naive).not.toBe(exact); // the test can tell an f64 running sum from an exact one
    expect(totals(wasm, varying, 0, 0, rows)).toEqual({ sum: exact, count: rows, min: 0, max: top });
    expect(totals(wasm, constant, 0, 1, rows)).toEqual({ sum: exact, count: rows - 1, min: top, max: top });
    const all = block(wasm, Math.ceil(rows / 64) * 8, 0xff);
    expect(totals(wasm, varying, all, 0, rows)).toEqual({ sum: exact, count: rows, min: 0, max: top });
  });
});

describe('aggregate over float columns, and other types', () => {
  it('sums in row order as a JS loop does, over a selection and a range', () => {
    const wasm = instance();
    const pool = [0.1, 0.2, 0.3, 1e16, -1e16, 1, -0, 0, 2.5e-8, -3.75, 1e300, -1e300];
    const data = cells(700, () => pool[randomInt(0, pool.length - 1)], true);
    const column = build(wasm, ColumnType.Float64, data, wasm.appendFloat64);
    const dense = build(wasm, ColumnType.Float64, data.map((cell): Cell => ({ state: 'present', value: cell.value })), wasm.appendFloat64);
    for (const [start, end] of [[0, 700], [13, 600], [64, 65], [100, 100]]) {
      expect(comparable(totals(wasm, column, 0, start, end))).toEqual(reference(data, start, end, undefined, false));
      expect(comparable(totals(wasm, dense, 0, start, end))).toEqual(reference(data.map((cell) => ({ ...cell, state: 'present' })), start, end, undefined, false));
      const chosen = Array.from({ length: end - start }, () => random() < 0.5);
      const selection = block(wasm, Math.ceil((end - start) / 64) * 8);
      writeBits(wasm, selection, chosen);
      expect(comparable(totals(wasm, column, selection, start, end))).toEqual(reference(data, start, end, (i) => chosen[i], false));
    }
  });

  it('keeps -0: the sum starts at +0, min and max keep the first of -0 and 0 (not Math.min / Math.max)', () => {
    const wasm = instance();
    const of = (values: number[]) => build(wasm, ColumnType.Float64, values.map((value): Cell => ({ state: 'present', value })), wasm.appendFloat64);
    const check = (values: number[], sum: number, min: number, max: number) => {
      const t = totals(wasm, of(values), 0, 0, values.length) as { sum: number; min: number; max: number };
      expect([Object.is(t.sum, sum), Object.is(t.min, min), Object.is(t.max, max)], JSON.stringify(values)).toEqual([true, true, true]);
    };
    check([-0], 0, -0, -0);
    check([-0, -0], 0, -0, -0);
    check([-0, 0], 0, -0, -0);
    check([0, -0], 0, 0, 0);
    check([-0, 1, -2], -1, -2, 1);
  });

  it('counts nothing for an empty range or only absent rows, and refuses bool and string columns', () => {
    const wasm = instance();
    const ints = build(wasm, ColumnType.Int, [{ state: 'null', value: 0 }, { state: 'missing', value: 0 }], wasm.appendInt);
    const floats = build(wasm, ColumnType.Float64, [{ state: 'null', value: 0 }], wasm.appendFloat64);
    for (const [column, end] of [[ints, 2], [floats, 1], [ints, 0]]) expect(comparable(totals(wasm, column, 0, 0, end))).toEqual({ sum: 0, count: 0 });
    const bools = build(wasm, ColumnType.Bool, [{ state: 'present', value: 1 }], wasm.appendBool);
    const strings = build(wasm, ColumnType.String, [{ state: 'present', value: internText(wasm, 'a') }], wasm.appendString);
    expect([totals(wasm, bools, 0, 0, 1), totals(wasm, strings, 0, 0, 1)]).toEqual([Status.WrongType, Status.WrongType]);
  });
});

/** groupIds into fresh buffers: { groups, ids }. */
function groupIds(wasm: Wasm, key: number, start: number, end: number, table = { pointer: block(wasm, 256 * 8), capacity: 256, state: block(wasm, 8) }) {
  const ids = block(wasm, (end - start) * 4);
  const groups = wasm.groupIds(key, start, end, ids, table.pointer, table.capacity, table.state);
  return { groups, ids: Array.from(new Uint32Array(wasm.memory.buffer, ids, end - start)), pointer: ids, table };
}

/** A string column of `size` strings: cell values are string indices, codes their first-seen order. */
function stringColumn(wasm: Wasm, size: number, data: Cell[]) {
  const names = Array.from({ length: size }, (_, i) => internText(wasm, `g${i}`));
  const codes = new Map<number, number>();
  for (const cell of data) if (cell.state === 'present' && !codes.has(cell.value)) codes.set(cell.value, codes.size);
  return { column: build(wasm, ColumnType.String, data, (column, index) => wasm.appendString(column, names[index])), codes };
}

describe('groupCombine', () => {
  it('folds string and bool keys into one id per row: id × bound + (0 absent, else code or bit + 1)', () => {
    const wasm = instance();
    // Absent rows in one key (the per-row path), none in the other (the u8 fast path), and bools.
    const names = cells(300, () => randomInt(0, 4), true);
    const dense = cells(300, () => randomInt(0, 2), false);
    const bits = cells(300, () => randomInt(0, 1), true);
    const first = stringColumn(wasm, 5, names);
    const second = stringColumn(wasm, 3, dense);
    const bools = build(wasm, ColumnType.Bool, bits, wasm.appendBool);
    const [start, end] = [7, 290];
    const ids = block(wasm, (end - start) * 4);
    const digit = (cell: Cell, code: (value: number) => number) => (cell.state === 'present' ? code(cell.value) + 1 : 0);
    const keys = [
      { column: first.column, bound: 6, digit: (row: number) => digit(names[row], (value) => first.codes.get(value)!) },
      { column: second.column, bound: 4, digit: (row: number) => digit(dense[row], (value) => second.codes.get(value)!) },
      { column: bools, bound: 3, digit: (row: number) => digit(bits[row], (value) => value) },
    ];
    for (const key of keys) expect(wasm.groupCombine(ids, key.column, start, end, key.bound)).toBe(Status.Ok);
    const expected = Array.from({ length: end - start }, (_, i) => keys.reduce((id, key) => id * key.bound + key.digit(start + i), 0));
    expect(Array.from(new Uint32Array(wasm.memory.buffer, ids, end - start))).toEqual(expected);
    const ints = build(wasm, ColumnType.Int, cells(4, () => 1, false), wasm.appendInt);
    expect(wasm.groupCombine(ids, ints, 0, 4, 2)).toBe(Status.WrongType);
  });
});

describe('groupIds', () => {
  it('gives string rows their code, bool rows 0 / 1, and null or missing rows Sentinel.NullGroup', () => {
    const wasm = instance();
    const data = cells(300, () => randomInt(0, 4), true);
    const { column, codes } = stringColumn(wasm, 5, data);
    const { groups, ids } = groupIds(wasm, column, 3, 203);
    expect(groups).toBe(codes.size);
    expect(ids).toEqual(data.slice(3, 203).map((cell) => (cell.state === 'present' ? codes.get(cell.value) : Sentinel.NullGroup)));
    const bits = cells(300, () => randomInt(0, 1), true);
    const bools = build(wasm, ColumnType.Bool, bits, wasm.appendBool);
    const result = groupIds(wasm, bools, 70, 300);
    expect(result.groups).toBe(2);
    expect(result.ids).toEqual(bits.slice(70).map((cell) => (cell.state === 'present' ? cell.value : Sentinel.NullGroup)));
    const nulls = build(wasm, ColumnType.Null, [{ state: 'null', value: 0 }, { state: 'missing', value: 0 }], wasm.appendInt);
    expect(groupIds(wasm, nulls, 0, 2)).toMatchObject({ groups: 0, ids: [Sentinel.NullGroup, Sentinel.NullGroup] });
  });

  for (const [what, spread] of [['1-4 byte deltas', 2 ** 31], ['8-byte deltas', 2 ** 52]] as const) it(`numbers int keys in order of first appearance across blocks sharing one table (${what})`, () => {
    const wasm = instance();
    const keys = Array.from({ length: 50 }, () => randomInt(-spread, spread - 1));
    const data = cells(400, () => keys[randomInt(0, 49)], false);
    const column = build(wasm, ColumnType.Int, data, wasm.appendInt);
    const order = new Map<number, number>();
    for (const cell of data) if (!order.has(cell.value)) order.set(cell.value, order.size);
    const first = groupIds(wasm, column, 0, 150);
    const second = groupIds(wasm, column, 150, 400, first.table);
    expect(second.groups).toBe(order.size);
    expect([...first.ids, ...second.ids]).toEqual(data.map((cell) => order.get(cell.value)));
    // Slots of (key, id + 1): 1-4 byte deltas hold the delta (key = base + it), 8-byte ones the group's first row.
    const entries = new Uint32Array(wasm.memory.buffer, first.table.pointer, 2 * 256);
    const wide = descriptor(wasm, column).width === 8;
    expect(wide).toBe(spread > 2 ** 32);
    const keyOf = (held: number) => (wide ? data[held].value : baseOf(wasm, column) + held);
    const decoded = new Map<number, number>();
    for (let slot = 0; slot < 256; slot++) if (entries[2 * slot + 1] !== 0) decoded.set(entries[2 * slot + 1] - 1, keyOf(entries[2 * slot]));
    expect([...decoded.entries()].sort((a, b) => a[0] - b[0]).map(([, key]) => key)).toEqual([...order.keys()]);
  });

  it('gives equal int keys one id and null or missing keys Sentinel.NullGroup', () => {
    const wasm = instance();
    const data = cells(300, () => randomInt(-3, 3) * 1000, true);
    const column = build(wasm, ColumnType.Int, data, wasm.appendInt);
    const { groups, ids } = groupIds(wasm, column, 0, 300);
    const idOf = new Map<number, number>();
    data.forEach((cell, row) => {
      if (cell.state !== 'present') { expect(ids[row]).toBe(Sentinel.NullGroup); return; }
      if (!idOf.has(cell.value)) idOf.set(cell.value, ids[row]);
      expect(ids[row]).toBe(idOf.get(cell.value));
    });
    // Absent rows found no group: ids follow the first present row of each value.
    expect([...idOf.values()]).toEqual([...idOf.keys()].map((_, i) => i));
    expect(groups).toBe(idOf.size);
  });

  it('returns GroupResult.Overflow past half the table, and GroupResult.WrongType for keys it cannot group', () => {
    const wasm = instance();
    const table = () => ({ pointer: block(wasm, 8 * 8), capacity: 8, state: block(wasm, 8) });
    const ints = (count: number) => build(wasm, ColumnType.Int, Array.from({ length: count }, (_, i): Cell => ({ state: 'present', value: i * 7 })), wasm.appendInt);
    expect(groupIds(wasm, ints(4), 0, 4, table()).groups).toBe(4);
    expect(groupIds(wasm, ints(5), 0, 5, table()).groups).toBe(GroupResult.Overflow);
    const float = build(wasm, ColumnType.Float64, [{ state: 'present', value: 1.5 }], wasm.appendFloat64);
    const list = build(wasm, ColumnType.List, [{ state: 'present', value: 2 }], wasm.appendList);
    const mixed = wasm.columnCreate(ColumnType.Mixed, 4, 0, 0, 0);
    const struct = wasm.columnCreate(ColumnType.Struct, 4, 0, 0, 0);
    expect([float, list, mixed, struct].map((key) => groupIds(wasm, key, 0, 1).groups)).toEqual(Array(4).fill(GroupResult.WrongType));
  });
});

/** groupSum's sums and counts per group (GroupSum): f64 sums of float64 values; for ints the u128 delta sums plus count × base. */
function groupSums(wasm: Wasm, value: number, sums: number, counts: number, groups: number): { sums: number[]; counts: number[] } {
  const isInt = descriptor(wasm, value).type === ColumnType.Int;
  const words = new Uint32Array(wasm.memory.buffer, counts, groups * 2);
  const countOf = (group: number) => words[group * 2 + GroupSum.Count / 4];
  return {
    counts: Array.from({ length: groups }, (_, group) => countOf(group)),
    sums: Array.from({ length: groups }, (_, group) => {
      if (!isInt) return new Float64Array(wasm.memory.buffer, sums, groups)[group];
      const low = new BigUint64Array(wasm.memory.buffer, sums, groups)[group];
      const high = BigInt(words[group * 2 + GroupSum.High / 4]);
      return Number((high << 64n) + low + BigInt(countOf(group)) * BigInt(baseOf(wasm, value)));
    }),
  };
}

describe('grouped counts and sums', () => {
  /** Per group (null group at `nullIndex`): counts, first rows, sums and value counts of the reference. */
  function referenceGroups(groupOf: (row: number) => number, value: Cell[] | null, start: number, end: number, selected: (i: number) => boolean, size: number) {
    const counts = Array(size).fill(0), firstRows = Array(size).fill(0xffffffff), sums = Array(size).fill(0), valueCounts = Array(size).fill(0);
    for (let row = start; row < end; row++) {
      if (!selected(row - start)) continue;
      const group = groupOf(row);
      counts[group]++;
      if (firstRows[group] === 0xffffffff) firstRows[group] = row;
      if (value !== null && value[row].state === 'present') {
        sums[group] += value[row].value;
        valueCounts[group]++;
      }
    }
    return { counts, firstRows, sums, valueCounts };
  }

  it('groupCount, groupSum and groupCountCodes agree with a JS reference over a selection', () => {
    for (const [size, absent] of [[1, false], [6, false], [6, true], [300, true]] as const) {
      const wasm = instance();
      const rows = 700;
      const data = cells(rows, () => randomInt(0, size - 1), absent);
      const { column, codes } = stringColumn(wasm, size, data);
      const ints = cells(rows, () => randomInt(-1000, 1000), true);
      const floats = cells(rows, () => randomInt(-1000, 1000) / 8, true);
      const values = [[ints, build(wasm, ColumnType.Int, ints, wasm.appendInt)], [floats, build(wasm, ColumnType.Float64, floats, wasm.appendFloat64)]] as const;
      const nullIndex = size; // the null group after the codes
      for (const [start, end] of [[0, rows], [37, 650]]) {
        for (const withSelection of [false, true]) {
          const chosen = Array.from({ length: end - start }, () => !withSelection || random() < 0.5);
          const selection = withSelection ? block(wasm, Math.ceil((end - start) / 64) * 8) : 0;
          if (withSelection) writeBits(wasm, selection, chosen);
          const groupOf = (row: number) => (data[row].state === 'present' ? codes.get(data[row].value)! : nullIndex);
          const label = `${size} strings, [${start}, ${end})${withSelection ? ', selected' : ''}`;
          const { pointer: ids } = groupIds(wasm, column, start, end);
          const counts = block(wasm, (size + 1) * 4), firstRows = block(wasm, (size + 1) * 4, 0xff);
          wasm.groupCount(ids, selection, start, end, nullIndex, counts, firstRows);
          const expected = referenceGroups(groupOf, null, start, end, (i) => chosen[i], size + 1);
          expect(Array.from(new Uint32Array(wasm.memory.buffer, counts, size + 1)), label).toEqual(expected.counts);
          expect(Array.from(new Uint32Array(wasm.memory.buffer, firstRows, size + 1)), label).toEqual(expected.firstRows);
          const codeCounts = block(wasm, (size + 1) * 4), codeFirstRows = block(wasm, (size + 1) * 4, 0xff);
          expect(wasm.groupCountCodes(column, selection, start, end, nullIndex, codeCounts, codeFirstRows)).toBe(Status.Ok);
          expect(Array.from(new Uint32Array(wasm.memory.buffer, codeCounts, size + 1)), label).toEqual(expected.counts);
          expect(Array.from(new Uint32Array(wasm.memory.buffer, codeFirstRows, size + 1)), label).toEqual(expected.firstRows);
          for (const [cellsOfValue, valueColumn] of values) {
            const sums = block(wasm, (size + 1) * 8), sumCounts = block(wasm, (size + 1) * GroupSum.Bytes);
            expect(wasm.groupSum(ids, valueColumn, selection, start, end, nullIndex, sums, sumCounts)).toBe(Status.Ok);
            const want = referenceGroups(groupOf, cellsOfValue, start, end, (i) => chosen[i], size + 1);
            expect(groupSums(wasm, valueColumn, sums, sumCounts, size + 1), label).toEqual({ sums: want.sums, counts: want.valueCounts });
          }
        }
      }
    }
  });

  it('groupSum sums 8-byte deltas exactly past 2^64 per group: the carry goes to the high word beside the count', () => {
    const wasm = instance();
    const rows = 6000;
    const keys = build(wasm, ColumnType.Bool, Array.from({ length: rows }, (_, row): Cell => ({ state: 'present', value: row % 3 === 0 ? 1 : 0 })), wasm.appendBool);
    const values = Array.from({ length: rows }, (_, row) => (row % 2 === 0 ? 2 ** 53 - row : -(2 ** 53)));
    const column = build(wasm, ColumnType.Int, values.map((value): Cell => ({ state: 'present', value })), wasm.appendInt);
    expect(descriptor(wasm, column).width).toBe(8);
    const { pointer: ids } = groupIds(wasm, keys, 0, rows);
    const sums = block(wasm, 3 * 8), counts = block(wasm, 3 * GroupSum.Bytes);
    expect(wasm.groupSum(ids, column, 0, 0, rows, 2, sums, counts)).toBe(Status.Ok);
    const exact = [0n, 0n];
    values.forEach((value, row) => { exact[row % 3 === 0 ? 1 : 0] += BigInt(value); });
    expect(new Uint32Array(wasm.memory.buffer, counts, 6)[GroupSum.High / 4]).toBeGreaterThan(0); // group 0 carried
    expect(groupSums(wasm, column, sums, counts, 3)).toEqual({ sums: [Number(exact[0]), Number(exact[1]), 0], counts: [4000, 2000, 0] });
  });

  it('groupSum reads constant int columns, and refuses non-numeric values; groupCountCodes refuses non-string keys', () => {
    const wasm = instance();
    const keys = build(wasm, ColumnType.Bool, [1, 0, 1, 1].map((value): Cell => ({ state: 'present', value })), wasm.appendBool);
    const { pointer: ids } = groupIds(wasm, keys, 0, 4);
    const constant = build(wasm, ColumnType.Int, [{ state: 'present', value: 5 }, { state: 'null', value: 0 }, { state: 'present', value: 5 }, { state: 'present', value: 5 }], wasm.appendInt);
    expect(descriptor(wasm, constant).width).toBe(0);
    const sums = block(wasm, 3 * 8), counts = block(wasm, 3 * GroupSum.Bytes);
    expect(wasm.groupSum(ids, constant, 0, 0, 4, 2, sums, counts)).toBe(Status.Ok);
    expect(groupSums(wasm, constant, sums, counts, 3)).toEqual({ sums: [0, 15, 0], counts: [0, 3, 0] });
    expect(wasm.groupSum(ids, keys, 0, 0, 4, 2, sums, counts)).toBe(Status.WrongType);
    expect(wasm.groupCountCodes(constant, 0, 0, 4, 2, sums, counts)).toBe(Status.WrongType);
  });
});
