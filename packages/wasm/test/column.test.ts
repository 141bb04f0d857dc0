import { describe, expect, it } from 'vitest';
import { ColumnType, Descriptor, RecordKind, Status } from '../assembly/abi';
import { codeAt, descriptor, instance, internText } from './harness';

describe('string columns', () => {
  it('widen dictionary codes u8 → u16 → u32 by cardinality, keeping every code', () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.String, 16, 0, 0, 0);
    const ids: number[] = [];
    const widthAt = new Map([[1, 0], [2, 1], [256, 1], [257, 2], [65_536, 2], [65_537, 4]]);
    // Every other row repeats the first string: a column of only new strings would turn into text (text.test.ts).
    for (let i = 0; i < 65_537; i++) {
      const id = internText(wasm, `value-${i}`);
      ids.push(id);
      expect(wasm.appendString(column, id)).toBe(Status.Ok);
      expect(wasm.appendString(column, ids[0])).toBe(Status.Ok);
      const expected = widthAt.get(i + 1);
      if (expected !== undefined) expect(descriptor(wasm, column).width).toBe(expected);
    }
    expect(descriptor(wasm, column).type).toBe(ColumnType.String);
    for (const code of [0, 1, 255, 256, 65_535, 65_536]) expect(codeAt(wasm, column, 2 * code)).toBe(code);
    const d = descriptor(wasm, column);
    const dictionary = new Uint32Array(wasm.memory.buffer, d.dict, d.dictLength);
    expect(dictionary[65_536]).toBe(ids[65_536]);
  });

  it('gives a repeated string the same code, and a constant column no data bytes', () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.String, 1000, 0, 1, 0);
    const id = internText(wasm, 'mt');
    for (let i = 0; i < 1000; i++) wasm.appendString(column, id);
    const d = descriptor(wasm, column);
    expect([d.width, d.dictLength, d.length]).toEqual([0, 1, 1000]);
    expect(wasm.columnBytes(column)).toBeLessThan(200);
  });
});

describe('string table', () => {
  it('interns each distinct string once, whichever column holds it', () => {
    const wasm = instance();
    const a = internText(wasm, 'mt');
    const b = internText(wasm, 'kg');
    expect(internText(wasm, 'mt')).toBe(a);
    expect(b).not.toBe(a);
    for (let i = 0; i < 5000; i++) internText(wasm, `s${i}`);
    expect(internText(wasm, 's4999')).toBe(internText(wasm, 's4999'));
    expect(wasm.stringCount()).toBe(5002);
  });
});

describe('memory cap', () => {
  it('returns Status.OutOfMemory instead of trapping, and the instance stays usable', () => {
    const wasm = instance(4); // 256 KiB
    const column = wasm.columnCreate(ColumnType.Float64, 16, 8, 0, 0);
    let status: number = Status.Ok;
    let appended = 0;
    while (status === Status.Ok) {
      status = wasm.appendFloat64(column, appended);
      if (status === Status.Ok) appended++;
    }
    expect(status).toBe(Status.OutOfMemory);
    expect(wasm.memory.buffer.byteLength).toBeLessThanOrEqual(4 * 65536);
    const d = descriptor(wasm, column);
    expect(d.length).toBe(appended);
    expect(new Float64Array(wasm.memory.buffer, d.data, d.length)[appended - 1]).toBe(appended - 1);
    expect(wasm.columnCreate(ColumnType.Int, 1 << 30, 4, 0, 0)).toBe(0);
  });

  it('reserve grows memory exactly once, without doubling', () => {
    const wasm = instance();
    const before = wasm.memory.buffer.byteLength;
    expect(wasm.reserve(10_000_000)).toBeTruthy();
    const after = wasm.memory.buffer.byteLength;
    expect(after - before).toBeGreaterThanOrEqual(10_000_000 - 65536);
    expect(after - before).toBeLessThan(10_000_000 + 2 * 65536);
    const column = wasm.columnCreate(ColumnType.Int, 2_000_000, 4, 0, 0);
    expect(column).not.toBe(0);
    expect(wasm.memory.buffer.byteLength).toBe(after);
  });
});

describe('arena', () => {
  it('keeps the largest released blocks when more are released than its free list holds (512)', () => {
    const wasm = instance();
    // 800 columns side by side, each of its own capacity; each grows once, releasing its first
    // buffer (8 bytes a row) between live blocks: 800 releases of 800 sizes.
    const columns = Array.from({ length: 800 }, (_, i) => wasm.columnCreate(ColumnType.Float64, 16 + i, 8, 0, 0));
    let failed = 0;
    columns.forEach((column, i) => {
      for (let row = 0; row <= 16 + i; row++) if (wasm.appendFloat64(column, row) !== Status.Ok) failed++;
    });
    expect(failed).toBe(0);
    const released = Array.from({ length: 800 }, (_, i) => (16 + i) * 8);
    const kept = released.slice(-512).reduce((a, b) => a + b, 0);
    expect(wasm.arenaFreeBytes()).toBe(kept);
    expect(wasm.arenaLeakedBytes()).toBe(released.reduce((a, b) => a + b, 0) - kept);
    // A later buffer takes a listed block before the arena grows.
    const top = wasm.arenaTop();
    wasm.columnCreate(ColumnType.Float64, 800, 8, 0, 0);
    expect(wasm.arenaTop()).toBe(top);
  });
});
