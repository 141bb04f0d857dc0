// The scans through the ABI: value predicates (scanIntRange / scanFloatRange / scanCodes /
// scanCodeEquals / scanBool / scanListLength), presence (scanPresence / maskPresent), bitmap
// algebra, first-match searches (first*) and list reduce / expand, each checked bit by bit
// against a JS reference over columns with null and missing rows, at ranges that do not start
// at 0 and cross 64-row words.
import { describe, expect, it } from 'vitest';
import { ColumnType, FirstResult, Status } from '../assembly/abi';
import { codeAt, descriptor, instance, internText, listOffsets, setBits, writeBits, type Wasm } from './harness';
import { prng } from '@memstore/testkit/prng';

type State = 'present' | 'null' | 'missing';
interface Cell { state: State; value: number }

const random = prng(0x5ca9);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
const randomInt = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

/** `count` cells: about 1 in 8 null and 1 in 8 missing when `absent`. */
function cells(count: number, value: () => number, absent = true): Cell[] {
  return Array.from({ length: count }, () => {
    const roll = random();
    return { state: !absent || roll >= 0.25 ? 'present' : roll < 0.125 ? 'null' : 'missing', value: value() };
  });
}

/** A column of `type` holding `data` (values through `append`). */
function build(wasm: Wasm, type: ColumnType, data: Cell[], append: (column: number, value: number) => number): number {
  const column = wasm.columnCreate(type, 8, 0, 0, 0);
  for (const cell of data) {
    const status = cell.state === 'null' ? wasm.appendNull(column) : cell.state === 'missing' ? wasm.appendMissing(column) : append(column, cell.value);
    expect(status).toBe(Status.Ok);
  }
  return column;
}

/** A workspace bitmap for `bits` rows, filled with garbage so a scan must write every word. */
function workspace(wasm: Wasm, bits: number): number {
  const pointer = wasm.arenaAllocate(Math.max(8, Math.ceil(bits / 64) * 8));
  expect(pointer).not.toBe(0);
  new Uint8Array(wasm.memory.buffer, pointer, Math.ceil(bits / 64) * 8).fill(0xff);
  return pointer;
}

/** The bits a scan wrote over whole words (so tails must be clear) against `expected` rows of the range. */
function expectBits(wasm: Wasm, out: number, start: number, end: number, expected: (row: number) => boolean, label: string): void {
  const want: number[] = [];
  for (let row = start; row < end; row++) if (expected(row)) want.push(row - start);
  expect(setBits(wasm, out, Math.ceil((end - start) / 64) * 64), label).toEqual(want);
}

const RANGES: [number, number][] = [[0, 300], [1, 299], [63, 193], [64, 128], [100, 101], [5, 204], [130, 130], [0, 64], [7, 71]];
const present = (cell: Cell) => cell.state === 'present';

/** Scan, then drop absent rows: what a query's leaf computes. */
function scanMasked(wasm: Wasm, column: number, start: number, end: number, scan: (out: number) => number): number {
  const out = workspace(wasm, end - start);
  expect(scan(out)).toBe(Status.Ok);
  wasm.maskPresent(column, start, end, out);
  return out;
}

describe('int range scans', () => {
  // [width, what, the extremes first (the smallest becomes the base, the spread picks the width), a value]
  const widths: [number, string, number[], () => number][] = [
    [0, '42', [], () => 42],
    [1, 'int8 range', [-128, 127], () => randomInt(-128, 127)],
    [2, 'int16 range', [-32768, 32767, 200], () => randomInt(-32768, 32767)],
    [4, 'int32 range', [-(2 ** 31), 2 ** 31 - 1, 70000], () => randomInt(-(2 ** 31), 2 ** 31 - 1)],
    [4, 'ids around 2^40', [2 ** 40, 2 ** 40 + 2 ** 32 - 1], () => 2 ** 40 + randomInt(0, 2 ** 32 - 1)],
    [8, '±2^53', [-(2 ** 53), 2 ** 53, 0], () => randomInt(-(2 ** 53), 2 ** 53)],
  ];
  for (const [width, what, extremes, value] of widths) {
    it(`matches [lo, hi] on width ${width} (${what}), with clamped, empty, fractional and NaN bounds, dense or after maskPresent`, () => {
      const wasm = instance();
      const values = [...extremes, ...Array.from({ length: 300 - extremes.length }, value)];
      const dense = values.map((v) => ({ state: 'present' as State, value: v }));
      const sparse = cells(300, value);
      sparse[0] = { state: 'present', value: values[0] };
      for (const data of [dense, sparse]) {
        const column = build(wasm, ColumnType.Int, data, wasm.appendInt);
        expect(descriptor(wasm, column).width).toBe(width);
        const sample = () => pick(data).value;
        const bounds: [number, number][] = [
          [-(2 ** 31), 2 ** 31 - 1], [5, 4], [-1000, -129], [128, 1000], [-200, 0], [0, 200], [-40000, -32769], [32768, 40000],
          [-(2 ** 53), 2 ** 53], [2 ** 53 + 2, Infinity], [-Infinity, -(2 ** 53) - 2], [-Infinity, Infinity], [NaN, 0], [0, NaN],
          [0.5, 0.5], [-1.5, 2.5], [2 ** 40, 2 ** 40 + 2 ** 31], [2 ** 40 + 2 ** 32, 2 ** 41], [-(2 ** 60), 2 ** 40 - 1],
          ...Array.from({ length: 12 }, () => { const v = sample(); return [v, v] as [number, number]; }),
          ...Array.from({ length: 12 }, () => { const a = sample(), b = sample(); return [Math.min(a, b), Math.max(a, b)] as [number, number]; }),
        ];
        for (const [start, end] of RANGES) {
          for (const [lo, hi] of bounds) {
            const test = (row: number) => data[row].value >= lo && data[row].value <= hi;
            const label = `width ${width} [${start}, ${end}) in [${lo}, ${hi}]`;
            if (data === dense) {
              const out = workspace(wasm, end - start);
              expect(wasm.scanIntRange(column, lo, hi, start, end, out)).toBe(Status.Ok);
              expectBits(wasm, out, start, end, test, label);
            }
            const out = scanMasked(wasm, column, start, end, (o) => wasm.scanIntRange(column, lo, hi, start, end, o));
            expectBits(wasm, out, start, end, (row) => present(data[row]) && test(row), label);
          }
        }
      }
    });
  }
});

describe('float range scans', () => {
  it('matches bounds with each open / closed flag; -0 equals 0, NaN matches nothing', () => {
    const wasm = instance();
    const pool = [-Infinity, -1e300, -2.5, -0, 0, 1e-300, 0.1, 2.5, 3, 1e300, Infinity, NaN];
    const data = cells(300, () => pick(pool));
    const column = build(wasm, ColumnType.Float64, data, wasm.appendFloat64);
    const bounds = pool.filter((v) => !Number.isNaN(v));
    for (const [start, end] of RANGES) {
      for (let k = 0; k < 20; k++) {
        const lo = pick(bounds), hi = pick(bounds), flags = randomInt(0, 3);
        const test = (v: number) => ((flags & 1) ? v > lo : v >= lo) && ((flags & 2) ? v < hi : v <= hi);
        const out = scanMasked(wasm, column, start, end, (o) => wasm.scanFloatRange(column, lo, hi, flags, start, end, o));
        expectBits(wasm, out, start, end, (row) => present(data[row]) && test(data[row].value), `[${lo}, ${hi}] flags ${flags}`);
      }
    }
    const zeros = build(wasm, ColumnType.Float64, [-0, 0, 1].map((value): Cell => ({ state: 'present', value })), wasm.appendFloat64);
    const out = workspace(wasm, 3);
    expect(wasm.scanFloatRange(zeros, 0, 0, 0, 0, 3, out)).toBe(Status.Ok);
    expect(setBits(wasm, out, 64)).toEqual([0, 1]);
  });
});

describe('string scans', () => {
  // Dictionary sizes: constant (width 0), ≤ 16 (SIMD swizzle), > 16, codes ≥ 128 in u8, u16 codes.
  for (const size of [1, 5, 40, 200, 300]) {
    it(`scanCodes and scanCodeEquals over a dictionary of ${size}`, () => {
      const wasm = instance();
      const ids = Array.from({ length: size }, (_, i) => internText(wasm, `v${i}`));
      const data = cells(600, () => randomInt(0, size - 1));
      for (let code = 0; code < size; code++) data[code] = { state: 'present', value: code }; // codes in first-seen order
      const column = build(wasm, ColumnType.String, data, (c, code) => wasm.appendString(c, ids[code]));
      const d = descriptor(wasm, column);
      expect([d.width, d.dictLength]).toEqual([size === 1 ? 0 : size <= 256 ? 1 : 2, size]);
      data.forEach((cell, row) => { if (present(cell)) expect(codeAt(wasm, column, row)).toBe(cell.value); });
      const lut = wasm.arenaAllocate(Math.max(16, size));
      for (const [start, end] of [...RANGES, [250, 600] as [number, number]]) {
        const marks = Array.from({ length: Math.max(16, size) }, () => (random() < 0.3 ? randomInt(1, 255) : 0));
        new Uint8Array(wasm.memory.buffer, lut, marks.length).set(marks);
        let out = scanMasked(wasm, column, start, end, (o) => wasm.scanCodes(column, lut, start, end, o));
        expectBits(wasm, out, start, end, (row) => present(data[row]) && marks[data[row].value] !== 0, `lut [${start}, ${end})`);
        for (const code of [0, size - 1, randomInt(0, size - 1), size]) {
          out = scanMasked(wasm, column, start, end, (o) => wasm.scanCodeEquals(column, code, start, end, o));
          expectBits(wasm, out, start, end, (row) => present(data[row]) && data[row].value === code, `code ${code} [${start}, ${end})`);
          const first = data.findIndex((cell, row) => row >= start && row < end && present(cell) && cell.value === code);
          expect(wasm.firstCodeEquals(column, code, start, end, out)).toBe(first);
        }
      }
    });
  }

  it('compares u16 codes past 32767 (the signed edge) directly', () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.String, 66_100, 0, 0, 0);
    // Every other row repeats code 0, so the column stays a dictionary (all-new strings would become text).
    const first = internText(wasm, 's0');
    for (let i = 0; i < 33_000; i++) {
      wasm.appendString(column, internText(wasm, `s${i}`));
      wasm.appendString(column, first);
    }
    expect(descriptor(wasm, column)).toMatchObject({ type: ColumnType.String, width: 2 });
    for (const code of [32_767, 32_768, 32_999]) {
      const out = workspace(wasm, 66_000);
      expect(wasm.scanCodeEquals(column, code, 0, 66_000, out)).toBe(Status.Ok);
      expect(setBits(wasm, out, 66_048)).toEqual([2 * code]);
      expect(wasm.firstCodeEquals(column, code, 1000, 66_000, out)).toBe(2 * code);
    }
  });
});

describe('bool, list length and presence scans', () => {
  it('scanBool matches each wanted value on present rows', () => {
    const wasm = instance();
    const data = cells(300, () => (random() < 0.5 ? 1 : 0));
    const column = build(wasm, ColumnType.Bool, data, wasm.appendBool);
    for (const [start, end] of RANGES) {
      for (const wanted of [0, 1]) {
        const out = scanMasked(wasm, column, start, end, (o) => wasm.scanBool(column, wanted, start, end, o));
        expectBits(wasm, out, start, end, (row) => present(data[row]) && data[row].value === wanted, `bool ${wanted} [${start}, ${end})`);
      }
    }
  });

  it('scanListLength matches lengths in [lo, hi]; null and missing lists have none', () => {
    const wasm = instance();
    const data = cells(300, () => randomInt(0, 5));
    const column = build(wasm, ColumnType.List, data, wasm.appendList);
    for (const [start, end] of RANGES) {
      for (const [lo, hi] of [[0, 0], [1, 3], [2, 2], [4, 100], [3, 1]]) {
        let out = workspace(wasm, end - start);
        expect(wasm.scanListLength(column, lo, hi, start, end, out)).toBe(Status.Ok);
        expectBits(wasm, out, start, end, (row) => { const n = present(data[row]) ? data[row].value : 0; return n >= lo && n <= hi; }, `length [${lo}, ${hi}]`);
        out = scanMasked(wasm, column, start, end, (o) => wasm.scanListLength(column, lo, hi, start, end, o));
        expectBits(wasm, out, start, end, (row) => present(data[row]) && data[row].value >= lo && data[row].value <= hi, `present length [${lo}, ${hi}]`);
      }
    }
  });

  it('scanPresence reads the absolute null / missing bitmaps; a null-typed column is null unless missing', () => {
    const wasm = instance();
    const data = cells(300, () => 1);
    const column = build(wasm, ColumnType.Int, data, wasm.appendInt);
    const nothing = build(wasm, ColumnType.Int, cells(300, () => 1, false), wasm.appendInt);
    const nullData = data.map((cell): Cell => (cell.state === 'missing' ? cell : { state: 'null', value: 0 }));
    const nulls = build(wasm, ColumnType.Null, nullData, () => Status.WrongType);
    expect(descriptor(wasm, nulls).nullCount).toBe(data.filter((cell) => cell.state !== 'missing').length);
    for (const [start, end] of RANGES) {
      for (const [which, state] of [[0, 'null'], [1, 'missing']] as const) {
        let out = workspace(wasm, end - start);
        wasm.scanPresence(column, which, start, end, out);
        expectBits(wasm, out, start, end, (row) => data[row].state === state, `${state} [${start}, ${end})`);
        out = workspace(wasm, end - start);
        wasm.scanPresence(nothing, which, start, end, out);
        expectBits(wasm, out, start, end, () => false, 'no bitmaps');
        out = workspace(wasm, end - start);
        wasm.scanPresence(nulls, which, start, end, out);
        expectBits(wasm, out, start, end, (row) => (data[row].state === 'missing') === (which === 1), `null column ${state}`);
      }
      const out = workspace(wasm, end - start);
      wasm.fillRange(out, end - start, 1);
      wasm.maskPresent(nulls, start, end, out);
      expectBits(wasm, out, start, end, () => false, 'maskPresent on a null column');
    }
  });
});

describe('bitmap algebra', () => {
  it('fillRange / bitmapAnd / Or / Not / Count / First agree with JS and keep tails clear', () => {
    const wasm = instance();
    for (const bits of [1, 63, 64, 65, 130, 200, 257]) {
      const a = Array.from({ length: bits }, () => random() < 0.4);
      const b = Array.from({ length: bits }, () => random() < 0.4);
      const span = Math.ceil(bits / 64) * 64;
      const indices = (flags: boolean[]) => flags.flatMap((flag, i) => (flag ? [i] : []));
      const fresh = (flags: boolean[]) => { const p = workspace(wasm, bits); writeBits(wasm, p, flags); return p; };
      const other = fresh(b);
      let out = fresh(a);
      wasm.bitmapAnd(out, other, bits);
      expect(setBits(wasm, out, span)).toEqual(indices(a.map((x, i) => x && b[i])));
      out = fresh(a);
      wasm.bitmapOr(out, other, bits);
      expect(setBits(wasm, out, span)).toEqual(indices(a.map((x, i) => x || b[i])));
      out = fresh(a);
      wasm.bitmapNot(out, bits);
      expect(setBits(wasm, out, span)).toEqual(indices(a.map((x) => !x)));
      expect(wasm.bitmapCount(fresh(a), bits)).toBe(indices(a).length);
      expect(wasm.bitmapFirst(fresh(a), bits)).toBe(a.indexOf(true));
      out = workspace(wasm, bits);
      wasm.fillRange(out, bits, 1);
      expect(setBits(wasm, out, span)).toEqual(indices(a.map(() => true)));
      wasm.fillRange(out, bits, 0);
      expect(setBits(wasm, out, span)).toEqual([]);
      expect(wasm.bitmapFirst(out, bits)).toBe(FirstResult.NotFound);
    }
  });
});

describe('first-match searches', () => {
  it('equal the first set bit of the masked scan, over random columns, ranges and tests', () => {
    const wasm = instance();
    const rows = 3000;
    const ints = [1, 2, 4, 8].map((width) => {
      const span = width === 1 ? 100 : width === 2 ? 30000 : width === 4 ? 2 ** 30 : 2 ** 52;
      const offset = width === 4 ? 2 ** 45 : 0; // a base far from 0
      const data = cells(rows, () => offset + randomInt(-span, span));
      return { data, column: build(wasm, ColumnType.Int, data, wasm.appendInt) };
    });
    const floats = cells(rows, () => randomInt(-500, 500) / 4);
    const floatColumn = build(wasm, ColumnType.Float64, floats, wasm.appendFloat64);
    const bools = cells(rows, () => (random() < 0.02 ? 1 : 0));
    const boolColumn = build(wasm, ColumnType.Bool, bools, wasm.appendBool);
    const strings = [8, 100].map((size) => {
      const ids = Array.from({ length: size }, (_, i) => internText(wasm, `k${i}`));
      const data = cells(rows, () => randomInt(0, size - 1));
      const codes = new Map<number, number>(); // string index → dictionary code, in first-seen order
      for (const cell of data) if (present(cell) && !codes.has(cell.value)) codes.set(cell.value, codes.size);
      return { size, data, codes, column: build(wasm, ColumnType.String, data, (c, index) => wasm.appendString(c, ids[index])) };
    });
    const lut = wasm.arenaAllocate(128);
    const scratch = workspace(wasm, rows);
    for (let round = 0; round < 400; round++) {
      const start = randomInt(0, rows - 1);
      const end = randomInt(start, rows);
      const kind = randomInt(0, 3);
      let expected: (cell: Cell) => boolean;
      let first: number;
      let scanned: number;
      if (kind === 0) {
        const { data, column } = pick(ints);
        const v = data[randomInt(0, rows - 1)].value;
        const [lo, hi] = random() < 0.5 ? [v, v] : [v, v + Math.floor(Math.abs(v) / 64)];
        expected = (cell) => cell.value >= lo && cell.value <= hi;
        first = wasm.firstIntRange(column, lo, hi, start, end, scratch);
        scanned = scanMasked(wasm, column, start, end, (o) => wasm.scanIntRange(column, lo, hi, start, end, o));
        expect(first, `int [${lo}, ${hi}]`).toBe(firstRow(data, start, end, expected));
      } else if (kind === 1) {
        const lo = randomInt(-500, 500) / 4, flags = randomInt(0, 3);
        const hi = lo + randomInt(0, 2) / 4;
        expected = (cell) => ((flags & 1) ? cell.value > lo : cell.value >= lo) && ((flags & 2) ? cell.value < hi : cell.value <= hi);
        first = wasm.firstFloatRange(floatColumn, lo, hi, flags, start, end, scratch);
        scanned = scanMasked(wasm, floatColumn, start, end, (o) => wasm.scanFloatRange(floatColumn, lo, hi, flags, start, end, o));
        expect(first, `float [${lo}, ${hi}] flags ${flags}`).toBe(firstRow(floats, start, end, expected));
      } else if (kind === 2) {
        const wanted = random() < 0.8 ? 1 : 0;
        expected = (cell) => cell.value === wanted;
        first = wasm.firstBool(boolColumn, wanted, start, end, scratch);
        scanned = scanMasked(wasm, boolColumn, start, end, (o) => wasm.scanBool(boolColumn, wanted, start, end, o));
        expect(first, `bool ${wanted}`).toBe(firstRow(bools, start, end, expected));
      } else {
        const { size, data, codes, column } = pick(strings);
        const marks = Array.from({ length: 128 }, (_, code) => (code < size && random() < 1.5 / size ? 1 : 0));
        new Uint8Array(wasm.memory.buffer, lut, 128).set(marks);
        expected = (cell) => marks[codes.get(cell.value)!] !== 0;
        first = wasm.firstCodes(column, lut, start, end, scratch);
        scanned = scanMasked(wasm, column, start, end, (o) => wasm.scanCodes(column, lut, start, end, o));
        expect(first, `codes of ${size}`).toBe(firstRow(data, start, end, expected));
      }
      const bit = wasm.bitmapFirst(scanned, end - start);
      expect(first).toBe(bit < 0 ? FirstResult.NotFound : start + bit);
    }
  });

  it('skip absent rows whose slot holds a matching value, and find a lone match far into a long column', () => {
    const wasm = instance();
    const ints = wasm.columnCreate(ColumnType.Int, 4, 0, 0, 0);
    [() => wasm.appendInt(ints, 5), () => wasm.appendNull(ints), () => wasm.appendMissing(ints), () => wasm.appendInt(ints, 0)].forEach((append) => { append(); });
    expect(wasm.firstIntRange(ints, 0, 0, 0, 4, 0)).toBe(3);
    const rows = 200_000;
    const floats = wasm.columnCreate(ColumnType.Float64, rows, 0, 0, 0);
    const bools = wasm.columnCreate(ColumnType.Bool, rows, 0, 0, 0);
    for (let row = 0; row < rows; row++) {
      if (row < 100) { wasm.appendNull(floats); wasm.appendNull(bools); continue; } // slots hold 0 / false
      wasm.appendFloat64(floats, row === 150_001 ? 1 : 0.5);
      wasm.appendBool(bools, row === 199_999 ? 1 : 0);
    }
    const scratch = workspace(wasm, rows);
    expect(wasm.firstFloatRange(floats, 1, 1, 0, 0, rows, scratch)).toBe(150_001);
    expect(wasm.firstFloatRange(floats, 0, 0, 0, 0, rows, scratch)).toBe(FirstResult.NotFound);
    expect(wasm.firstFloatRange(floats, 1, 1, 0, 0, 150_001, scratch)).toBe(FirstResult.NotFound);
    expect(wasm.firstBool(bools, 1, 0, rows, scratch)).toBe(199_999);
    expect(wasm.firstBool(bools, 0, 0, rows, scratch)).toBe(100);
  });

  it('return FirstResult.WrongType, and scans Status.WrongType, for a column of another type', () => {
    const wasm = instance();
    const int = wasm.columnCreate(ColumnType.Int, 4, 0, 0, 0);
    const text = wasm.columnCreate(ColumnType.String, 4, 0, 0, 0);
    const float = wasm.columnCreate(ColumnType.Float64, 4, 0, 0, 0);
    wasm.appendInt(int, 1);
    wasm.appendString(text, internText(wasm, 'a'));
    wasm.appendFloat64(float, 1);
    const out = workspace(wasm, 64);
    expect([
      wasm.firstIntRange(text, 0, 1, 0, 1, out), wasm.firstFloatRange(int, 0, 1, 0, 0, 1, out), wasm.firstCodes(int, out, 0, 1, out),
      wasm.firstCodeEquals(float, 0, 0, 1, out), wasm.firstBool(text, 1, 0, 1, out), wasm.firstIntRange(float, 0, 1, 0, 1, out),
    ]).toEqual(Array(6).fill(FirstResult.WrongType));
    expect([
      wasm.scanIntRange(float, 0, 1, 0, 1, out), wasm.scanFloatRange(int, 0, 1, 0, 0, 1, out), wasm.scanCodes(int, out, 0, 1, out),
      wasm.scanCodeEquals(float, 0, 0, 1, out), wasm.scanBool(int, 1, 0, 1, out), wasm.scanListLength(int, 0, 1, 0, 1, out),
    ]).toEqual(Array(6).fill(Status.WrongType));
  });
});

describe('lists', () => {
  it('reduceAny sets a row when any element is set; expandToElements sets every element of a selected row', () => {
    const wasm = instance();
    const data = cells(150, () => randomInt(0, 4));
    const list = build(wasm, ColumnType.List, data, wasm.appendList);
    const offsets = listOffsets(wasm, list);
    const values = Array.from({ length: offsets[150] }, () => randomInt(0, 9));
    const element = wasm.columnCreate(ColumnType.Int, 8, 0, 0, 0);
    values.forEach((value) => { wasm.appendInt(element, value); });
    for (const [start, end] of [[0, 150], [37, 140], [64, 129], [10, 11], [90, 90]]) {
      const from = offsets[start], to = offsets[end];
      const matches = workspace(wasm, to - from);
      expect(wasm.scanIntRange(element, 7, 9, from, to, matches)).toBe(Status.Ok);
      const out = workspace(wasm, end - start);
      wasm.reduceAny(list, start, end, matches, out);
      expectBits(wasm, out, start, end, (row) => values.slice(offsets[row], offsets[row + 1]).some((v) => v >= 7), `reduceAny [${start}, ${end})`);
      const selected = Array.from({ length: end - start }, () => random() < 0.5);
      const rows = workspace(wasm, end - start);
      writeBits(wasm, rows, selected);
      const elements = workspace(wasm, to - from);
      wasm.expandToElements(list, start, end, rows, elements);
      const owner = (e: number) => offsets.findIndex((offset, row) => row < 150 && e >= offset && e < offsets[row + 1]);
      expectBits(wasm, elements, from, to, (e) => selected[owner(e) - start], `expandToElements [${start}, ${end})`);
    }
  });
});

/** The first row of [start, end) that is present and passes `test`, or FirstResult.NotFound. */
function firstRow(data: Cell[], start: number, end: number, test: (cell: Cell) => boolean): number {
  for (let row = start; row < end; row++) if (present(data[row]) && test(data[row])) return row;
  return FirstResult.NotFound;
}
