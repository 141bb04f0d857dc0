// Int columns as a frame of reference (assembly/numbers.ts) through the ABI: each widening step
// of the deltas (constant → u8 → u16 → u32 → u64), rebasing when a value falls below the base
// (how far the base moves, how often falling values rebase), the limits (±2^53 are ints; -0,
// fractions and anything past 2^53 turn the column float64), the planned base of columnCreate,
// and the way back from float64 when an append is undone.
import { describe, expect, it } from 'vitest';
import { ColumnType, FeedResult, Status } from '../assembly/abi';
import { baseOf, deltaAt, descriptor, instance, intAt, nodeFields, type Wasm } from './harness';
import { column, load } from './parsed';
import { prng } from '@memstore/testkit/prng';

/** The column of the records' first field. */
const fieldColumn = (wasm: Wasm) => column(wasm, nodeFields(wasm, wasm.schemaRoot())[0]);

/** Every row of an int column (or a float64 one) as numbers. */
const valuesOf = (wasm: Wasm, handle: number) => Array.from({ length: descriptor(wasm, handle).length }, (_, row) => intAt(wasm, handle, row));

describe('int columns widen in place and never change a value', () => {
  it('goes constant → u8 → u16 → u32 → u64 as the spread grows', () => {
    const wasm = instance();
    const handle = wasm.columnCreate(ColumnType.Int, 4, 0, 0, 0);
    const big = 2 ** 40;
    const values = [big, big, big, big + 200, big + 300, big + 70_000, big + 2 ** 32, 2 ** 53];
    const widths = [0, 0, 0, 1, 2, 4, 8, 8];
    values.forEach((value, row) => {
      expect(wasm.appendInt(handle, value)).toBe(Status.Ok);
      expect(descriptor(wasm, handle).width, `after ${value}`).toBe(widths[row]);
      expect(baseOf(wasm, handle)).toBeLessThanOrEqual(big);
      expect(valuesOf(wasm, handle)).toEqual(values.slice(0, row + 1));
    });
    expect(descriptor(wasm, handle).capacity).toBeGreaterThanOrEqual(values.length);
  });

  it('ends at the narrowest width holding the spread, in any order (the width fromRecords plans)', () => {
    const random = prng(0x1f0);
    const narrowest = (spread: number) => (spread === 0 ? 0 : spread <= 0xff ? 1 : spread <= 0xffff ? 2 : spread <= 0xffffffff ? 4 : 8);
    for (let round = 0; round < 200; round++) {
      const wasm = instance();
      const handle = wasm.columnCreate(ColumnType.Int, 16, 0, 0, 0);
      const center = Math.floor((random() - 0.5) * 2 ** 50);
      const span = 2 ** Math.floor(random() * 40);
      const values = Array.from({ length: 1 + Math.floor(random() * 300) }, () => center + Math.floor((random() - 0.5) * span));
      if (random() < 0.3) values.sort((a, b) => (round % 2 === 0 ? a - b : b - a));
      for (const value of values) expect(wasm.appendInt(handle, value)).toBe(Status.Ok);
      expect(descriptor(wasm, handle).width, `${values.length} values over ${span}`).toBe(narrowest(Math.max(...values) - Math.min(...values)));
      expect(valuesOf(wasm, handle)).toEqual(values);
    }
  });

  it('rising values rebase a logarithmic number of times too', () => {
    const wasm = instance();
    const handle = wasm.columnCreate(ColumnType.Int, 16, 0, 0, 0);
    let rebases = 0;
    let base = Number.NaN;
    for (let row = 0; row < 100_000; row++) {
      expect(wasm.appendInt(handle, 2 ** 40 + row)).toBe(Status.Ok);
      if (baseOf(wasm, handle) !== base) rebases++;
      base = baseOf(wasm, handle);
    }
    expect(rebases).toBeLessThan(40);
    expect(descriptor(wasm, handle).width).toBe(4);
  });

  it('a value below the base rebases: every delta grows by the shift, widened as the spread needs', () => {
    const wasm = instance();
    const handle = wasm.columnCreate(ColumnType.Int, 16, 0, 0, 0);
    for (const value of [1000, 1000]) wasm.appendInt(handle, value);
    expect(wasm.appendInt(handle, 990)).toBe(Status.Ok);
    // Spread 10 fits u8; half the 245 spare goes below 990: base 990 - 122.
    expect([descriptor(wasm, handle).width, baseOf(wasm, handle)]).toEqual([1, 868]);
    expect([0, 1, 2].map((row) => deltaAt(wasm, handle, row))).toEqual([132n, 132n, 122n]);
    expect(wasm.appendInt(handle, 868)).toBe(Status.Ok); // room below: no rebase
    expect(baseOf(wasm, handle)).toBe(868);
    expect(wasm.appendInt(handle, 0)).toBe(Status.Ok); // spread 1000: u16, base below 0 by half the spare
    expect([descriptor(wasm, handle).width, baseOf(wasm, handle)]).toEqual([2, -Math.floor((65535 - 1000) / 2)]);
    expect(wasm.appendInt(handle, -(2 ** 53))).toBe(Status.Ok); // spread past 2^32: u64, base at -2^53 (no value below it)
    expect([descriptor(wasm, handle).width, baseOf(wasm, handle)]).toEqual([8, -(2 ** 53)]);
    expect(valuesOf(wasm, handle)).toEqual([1000, 1000, 990, 868, 0, -(2 ** 53)]);
  });

  it('falling values rebase a logarithmic number of times, not once per row', () => {
    const wasm = instance();
    const handle = wasm.columnCreate(ColumnType.Int, 16, 0, 0, 0);
    const rows = 20_000;
    let rebases = 0;
    let base = Number.NaN;
    for (let row = 0; row < rows; row++) {
      expect(wasm.appendInt(handle, 2 ** 40 - row * 3)).toBe(Status.Ok);
      if (baseOf(wasm, handle) !== base) rebases++;
      base = baseOf(wasm, handle);
    }
    // One base per width step (u8, u16) and a halving of the room below at most ~log2(max delta) times each.
    expect(rebases).toBeLessThan(40);
    expect(descriptor(wasm, handle).width).toBe(2);
    const values = valuesOf(wasm, handle);
    expect(values.every((value, row) => value === 2 ** 40 - row * 3)).toBe(true);
  });

  it('keeps nulls and missing rows apart from values across widening and rebasing', () => {
    const wasm = instance();
    const handle = wasm.columnCreate(ColumnType.Int, 2, 0, 0, 0);
    expect(wasm.appendNull(handle)).toBe(Status.Ok);
    expect(wasm.appendInt(handle, 5)).toBe(Status.Ok);
    expect(wasm.appendMissing(handle)).toBe(Status.Ok);
    expect(wasm.appendInt(handle, 1000)).toBe(Status.Ok);
    expect(wasm.appendInt(handle, -3)).toBe(Status.Ok);
    const d = descriptor(wasm, handle);
    expect([d.length, d.nullCount, d.missingCount, d.width]).toEqual([5, 1, 1, 2]);
    expect(new Uint8Array(wasm.memory.buffer, d.nulls, 1)[0]).toBe(0b0001);
    expect(new Uint8Array(wasm.memory.buffer, d.missing, 1)[0]).toBe(0b0100);
    expect([1, 3, 4].map((row) => intAt(wasm, handle, row))).toEqual([5, 1000, -3]);
  });

  it('takes the first value of an empty constant column as its base, and a planned base and width as given', () => {
    const wasm = instance();
    const empty = wasm.columnCreate(ColumnType.Int, 4, 0, 0, 0);
    wasm.appendNull(empty);
    wasm.appendInt(empty, -(2 ** 45));
    expect([descriptor(wasm, empty).width, baseOf(wasm, empty)]).toEqual([0, -(2 ** 45)]);
    // Planned from a first pass (fromRecords): smallest 2^50 - 9, spread < 256.
    const planned = wasm.columnCreate(ColumnType.Int, 4, 1, 0, 2 ** 50 - 9);
    for (const value of [2 ** 50, 2 ** 50 - 9, 2 ** 50 + 200]) expect(wasm.appendInt(planned, value)).toBe(Status.Ok);
    expect([descriptor(wasm, planned).width, baseOf(wasm, planned)]).toEqual([1, 2 ** 50 - 9]);
    expect(valuesOf(wasm, planned)).toEqual([2 ** 50, 2 ** 50 - 9, 2 ** 50 + 200]);
  });
});

describe('what an int column holds, and what turns it float64', () => {
  it('holds ±2^53 and every integer between; -0, fractions, ±Infinity and 2^53 + 2 turn it float64, exactly', () => {
    for (const other of [-0, 0.5, 2 ** 53 + 2, -(2 ** 53) - 2, Infinity, -Infinity, 1e300]) {
      const wasm = instance();
      const handle = wasm.columnCreate(ColumnType.Int, 4, 0, 0, 0);
      for (const value of [2 ** 53, -(2 ** 53), 0]) expect(wasm.appendInt(handle, value)).toBe(Status.Ok);
      expect(descriptor(wasm, handle).type).toBe(ColumnType.Int);
      expect(wasm.appendInt(handle, other)).toBe(Status.Ok);
      const d = descriptor(wasm, handle);
      expect(d.type, String(other)).toBe(ColumnType.Float64);
      const values = Array.from(new Float64Array(wasm.memory.buffer, d.data, d.length));
      expect(values).toEqual([2 ** 53, -(2 ** 53), 0, other]);
      expect(Object.is(values[3], other)).toBe(true);
    }
  });

  it('converts to float64 exactly from every width, -0 and fractions included', () => {
    const wasm = instance();
    const handle = wasm.columnCreate(ColumnType.Int, 8, 1, 0, 0);
    for (const value of [1, -2, 127, 2 ** 52 + 1]) wasm.appendInt(handle, value);
    expect(descriptor(wasm, handle).width).toBe(8);
    expect(wasm.appendFloat64(handle, -0)).toBe(Status.Ok);
    expect(wasm.appendFloat64(handle, 1.5)).toBe(Status.Ok);
    expect(wasm.appendInt(handle, 3)).toBe(Status.Ok);
    const d = descriptor(wasm, handle);
    expect(d.type).toBe(ColumnType.Float64);
    const values = Array.from(new Float64Array(wasm.memory.buffer, d.data, d.length));
    expect(values).toEqual([1, -2, 127, 2 ** 52 + 1, -0, 1.5, 3]);
    expect(Object.is(values[4], -0)).toBe(true);
  });

  it('parses integers up to 2^53 as ints (1e15 and 2.0 too), -0 and 2^53 + 2 as doubles', () => {
    const wasm = instance();
    const ints = [9007199254740992, -9007199254740992, 4294967296, 1e15, 2, -1];
    expect(load(wasm, '[{"a":9007199254740992},{"a":-9007199254740992},{"a":4294967296},{"a":1e15},{"a":2.0},{"a":-1}]')).toBe(FeedResult.Done);
    const field = fieldColumn(wasm);
    expect(descriptor(wasm, field).type).toBe(ColumnType.Int);
    expect(valuesOf(wasm, field)).toEqual(ints);
    for (const text of ['-0', '9007199254740994', '0.5']) {
      const other = instance();
      expect(load(other, `[{"a":1},{"a":${text}}]`)).toBe(FeedResult.Done);
      const handle = fieldColumn(other);
      expect(descriptor(other, handle).type, text).toBe(ColumnType.Float64);
      expect(Object.is(valuesOf(other, handle)[1], JSON.parse(text)), text).toBe(true);
    }
  });

  it('an undone append turns a float64 column back into the int column it was: its base and width', () => {
    const wasm = instance();
    expect(load(wasm, '[{"a":1099511627776},{"a":1099511627700}]')).toBe(FeedResult.Done);
    const field = fieldColumn(wasm);
    const before = { width: descriptor(wasm, field).width, base: baseOf(wasm, field) };
    wasm.transactionBegin();
    // A rebase (stays: no value changes), then a double: float64, then undone.
    expect(load(wasm, '[{"a":-5},{"a":0.25}]')).toBe(FeedResult.Done);
    expect(descriptor(wasm, field).type).toBe(ColumnType.Float64);
    wasm.transactionEnd(0, 2);
    const after = descriptor(wasm, field);
    expect(after.type).toBe(ColumnType.Int);
    expect(after.width).toBeGreaterThanOrEqual(before.width);
    expect(valuesOf(wasm, field)).toEqual([1099511627776, 1099511627700]);
    expect(load(wasm, '[{"a":7}]')).toBe(FeedResult.Done);
    expect(valuesOf(wasm, field)).toEqual([1099511627776, 1099511627700, 7]);
  });
});
