import { describe, expect, it } from 'vitest';
import { ColumnType, Descriptor, NodeKind, RecordKind, Sentinel, Status, StringTableField, ArenaStat } from '../assembly/abi';
import { codeAt, descriptor, field, instance, internText } from './harness';

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

describe('dictionary index', () => {
  // A slot holds code + 1 under its capacity's mask and the string id's low bits above it
  // (dictionary.ts, probe): an 8,192-slot index holds 19 of them, whole ids while the table has at
  // most 2^19 strings. Past that, ids 2^19 apart agree in those bits, and only the dictionary's
  // entry tells them apart.
  it('tells apart ids whose low bits agree once the table is past what a slot holds, through undone entries too', () => {
    const wasm = instance();
    const twin = 2 ** 19;
    const filler = wasm.columnCreate(ColumnType.String, 4, 0, 0, 0);
    // The table's strings in batches (dictionaryCodes interns them in order): string k is id k.
    const batch = 65_536;
    for (let start = 0; start < twin + 2_500; start += batch) {
      const count = Math.min(batch, twin + 2_500 - start);
      const texts = Array.from({ length: count }, (_, i) => new TextEncoder().encode(`s${start + i}`));
      const entries = wasm.scratch(count * 4 + texts.reduce((sum, b) => sum + b.length, 0)) >>> 0;
      const lengths = new Uint32Array(wasm.memory.buffer, entries, count);
      let at = entries + count * 4;
      texts.forEach((b, i) => {
        lengths[i] = b.length;
        new Uint8Array(wasm.memory.buffer).set(b, at);
        at += b.length;
      });
      expect(wasm.dictionaryCodes(filler, entries, count)).toBe(1);
    }
    expect(wasm.stringTable(StringTableField.Count)).toBe(twin + 2_500);
    expect(internText(wasm, 's1234')).toBe(1234);

    // 2,500 ids and the twins of the first 1,250, each twice (a column of new strings only would turn into text).
    const column = wasm.columnCreate(ColumnType.String, 4, 0, 0, 0);
    // The store's root: an undone append cuts its rows back.
    wasm.setRoot(wasm.nodeCreate(NodeKind.Scalar, column, Sentinel.NoKey, 0));
    const held = [...Array.from({ length: 2_500 }, (_, i) => i), ...Array.from({ length: 1_250 }, (_, i) => twin + i)];
    for (const id of held) for (let k = 0; k < 2; k++) expect(wasm.appendString(column, id)).toBe(Status.Ok);
    expect(descriptor(wasm, column).type).toBe(ColumnType.String);
    expect(field(wasm, column, Descriptor.DictIndexCapacity)).toBe(8_192);
    expect(held.map((id) => wasm.dictionaryFind(column, id))).toEqual(held.map((_, code) => code));
    // The other twins agree in their low bits with ids the column holds, and are not in it.
    for (let i = 1_250; i < 2_500; i++) expect(wasm.dictionaryFind(column, twin + i)).toBe(-1);

    // Entries added in an append and undone leave the index as it was.
    wasm.transactionBegin();
    for (let i = 1_250; i < 2_000; i++) expect(wasm.appendString(column, twin + i)).toBe(Status.Ok);
    expect(wasm.dictionaryFind(column, twin + 1_999)).toBe(held.length + 749);
    wasm.transactionEnd(0, 2 * held.length);
    expect(descriptor(wasm, column)).toMatchObject({ length: 2 * held.length, dictLength: held.length });
    expect(held.map((id) => wasm.dictionaryFind(column, id))).toEqual(held.map((_, code) => code));
    for (let i = 1_250; i < 2_500; i++) expect(wasm.dictionaryFind(column, twin + i)).toBe(-1);
    // The filler's own index (2^20 slots: 12 bits of id) finds its strings too.
    for (const id of [0, 4_095, 4_096, twin, twin + 2_499]) expect(wasm.dictionaryFind(filler, id)).toBe(id);
  });
});

describe('appendCode', () => {
  it('appends a row of a code its dictionary has, as appendString of that string does, and refuses any other', () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.String, 4, 0, 0, 0);
    const ids = ['a', 'b', 'c'].map((text) => internText(wasm, text));
    for (const id of ids) expect(wasm.appendString(column, id)).toBe(Status.Ok);
    expect(wasm.dictionaryFind(column, ids[1])).toBe(1);
    // Past the capacity of 4: the column grows as it does for appendString.
    for (const code of [1, 0, 2, 1]) expect(wasm.appendCode(column, code)).toBe(Status.Ok);
    expect(Array.from({ length: 7 }, (_, row) => codeAt(wasm, column, row))).toEqual([0, 1, 2, 1, 0, 2, 1]);
    expect(descriptor(wasm, column).dictLength).toBe(3);
    expect(wasm.appendCode(column, 3)).toBe(Status.WrongType);
    const ints = wasm.columnCreate(ColumnType.Int, 4, 1, 0, 0);
    expect(wasm.appendCode(ints, 0)).toBe(Status.WrongType);
    expect(descriptor(wasm, column).length).toBe(7);
  });
});

describe('dictionaryCodes', () => {
  it("gives a batch of strings their column's codes, adding the new ones in order, as appendString of each would", () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.String, 4, 0, 0, 0);
    expect(wasm.appendString(column, internText(wasm, 'b'))).toBe(Status.Ok);
    const request = (texts: string[]) => {
      const bytes = texts.map((text) => new TextEncoder().encode(text));
      const entries = wasm.scratch(texts.length * 4 + bytes.reduce((sum, b) => sum + b.length, 0)) >>> 0;
      let at = entries + texts.length * 4;
      bytes.forEach((b, i) => {
        new Uint32Array(wasm.memory.buffer)[(entries >>> 2) + i] = b.length;
        new Uint8Array(wasm.memory.buffer).set(b, at);
        at += b.length;
      });
      expect(wasm.dictionaryCodes(column, entries, texts.length)).toBe(1);
      return Array.from(new Uint32Array(wasm.memory.buffer, entries, texts.length));
    };
    expect(request(['a', 'b', 'é', 'a'])).toEqual([1, 0, 2, 1]);
    // 300 entries: the codes widen to u16 with the dictionary, the row already there keeps its code.
    const many = Array.from({ length: 300 }, (_, i) => `s${i}`);
    expect(request(many)).toEqual(many.map((_, i) => 3 + i));
    expect(descriptor(wasm, column).width).toBe(2);
    expect([descriptor(wasm, column).dictLength, descriptor(wasm, column).length, codeAt(wasm, column, 0)]).toEqual([303, 1, 0]);
    expect(wasm.appendCode(column, 302)).toBe(Status.Ok);
    expect(codeAt(wasm, column, 1)).toBe(302);
    const ints = wasm.columnCreate(ColumnType.Int, 4, 1, 0, 0);
    expect(wasm.dictionaryCodes(ints, wasm.scratch(4) >>> 0, 0)).toBe(0);
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
    expect(wasm.stringTable(StringTableField.Count)).toBe(5002);
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
  it('reuses released blocks and zero-fills what it hands out', () => {
    const wasm = instance();
    const first = wasm.columnCreate(ColumnType.Int, 1000, 1, 0, 0);
    const second = wasm.columnCreate(ColumnType.Int, 10, 1, 0, 0);
    for (let i = 0; i < 1000; i++) wasm.appendInt(first, 100);
    wasm.appendInt(second, 1);
    // Widening `first` moves it (it is not on top): its old 1000-byte block is released.
    for (let i = 0; i < 1; i++) wasm.appendInt(first, 1000);
    expect(wasm.arenaStat(ArenaStat.FreeBytes)).toBeGreaterThanOrEqual(1000);
    const top = wasm.arenaStat(ArenaStat.Top);
    const reused = wasm.arenaAllocate(800);
    expect(reused).toBeLessThan(top);
    expect(Array.from(new Uint8Array(wasm.memory.buffer, reused, 800)).every((byte) => byte === 0)).toBe(true);
  });

  // arenaReplace is how the query workspace follows the store's shape: a load or append replaces
  // it, and when there is no room the old block must still be there for the store's queries.
  it('replaces the topmost block in place, grown or cut, zero-filled', () => {
    const wasm = instance();
    const block = wasm.arenaReplace(0, 0, 1000) >>> 0;
    expect(block).not.toBe(0);
    new Uint8Array(wasm.memory.buffer, block, 1000).fill(7);
    const grown = wasm.arenaReplace(block, 1000, 5000) >>> 0;
    expect(grown).toBe(block);
    expect(wasm.arenaStat(ArenaStat.Top)).toBe(block + 5000);
    expect(new Uint8Array(wasm.memory.buffer, grown, 5000).every((byte) => byte === 0)).toBe(true);
    expect(wasm.arenaReplace(grown, 5000, 200) >>> 0).toBe(block);
    expect(wasm.arenaStat(ArenaStat.Top)).toBe(block + 200);
  });

  it('moves a block that is not topmost and releases the old one for reuse', () => {
    const wasm = instance();
    const block = wasm.arenaReplace(0, 0, 4096) >>> 0;
    const above = wasm.arenaAllocate(64) >>> 0;
    expect(above).toBeGreaterThan(block);
    const moved = wasm.arenaReplace(block, 4096, 8192) >>> 0;
    expect(moved).toBeGreaterThan(above);
    expect(wasm.arenaStat(ArenaStat.FreeBytes)).toBe(4096);
    expect(wasm.arenaAllocate(4096) >>> 0).toBe(block);
  });

  it('grows memory exactly, and past the cap returns 0 with the old block intact', () => {
    const wasm = instance(8); // 512 KiB
    const block = wasm.arenaReplace(0, 0, 64 * 1024) >>> 0;
    const pages = wasm.memory.buffer.byteLength / 65536;
    const grown = wasm.arenaReplace(block, 64 * 1024, 3 * 64 * 1024) >>> 0;
    expect(grown).toBe(block);
    // Exact: the block needs two more pages (the arena's start is not page-aligned, so at most three).
    expect(wasm.memory.buffer.byteLength / 65536 - pages).toBeLessThanOrEqual(3);
    new Uint8Array(wasm.memory.buffer, grown, 16).fill(9);
    const top = wasm.arenaStat(ArenaStat.Top);
    expect(wasm.arenaReplace(grown, 3 * 64 * 1024, 1024 * 1024)).toBe(0);
    expect(wasm.arenaStat(ArenaStat.Top)).toBe(top);
    expect(Array.from(new Uint8Array(wasm.memory.buffer, grown, 16))).toEqual(new Array(16).fill(9));
  });
});

describe('growth near the cap', () => {
  // canAllocate counts released blocks; reallocate of the topmost block must then use one
  // instead of failing at the cap. It returned 0 there, and the column stored it as its buffer:
  // the append went on writing at address 0 (a capped append of text offsets clobbered the
  // module's static data, and the undone store read '' for every string).
  it('a topmost buffer that cannot grow in place moves into a released block, and no buffer becomes 0', () => {
    const wasm = instance(8); // 512 KiB
    const low = wasm.arenaAllocate(300 * 1024) >>> 0;
    const column = wasm.columnCreate(ColumnType.Float64, 16, 0, 0, 0);
    wasm.arenaRelease(low, 300 * 1024);
    expect(wasm.arenaStat(ArenaStat.FreeBytes)).toBe(300 * 1024);
    let rows = 0;
    let status = Status.Ok;
    while (status === Status.Ok && rows < 100_000) {
      status = wasm.appendFloat64(column, rows + 0.5);
      if (status === Status.Ok) rows++;
      expect(descriptor(wasm, column).data).not.toBe(0);
    }
    // More rows than the space above the released block holds: the column moved into it.
    expect(rows * 8).toBeGreaterThan(200 * 1024);
    const d = descriptor(wasm, column);
    expect(d.data).toBeLessThan(low + 300 * 1024);
    const values = new Float64Array(wasm.memory.buffer, d.data, rows);
    for (let row = 0; row < rows; row++) if (values[row] !== row + 0.5) expect(values[row]).toBe(row + 0.5);
  });
});

describe('room held for the workspace', () => {
  it('no allocation, growth or reserve takes it; released, it is there for the block', () => {
    const wasm = instance(8); // 512 KiB
    const held = 256 * 1024;
    expect(wasm.arenaHold(held)).toBeTruthy();
    // Everything else stops that far below the cap: 300 KiB do not fit beside the 256 held.
    expect(wasm.arenaAllocate(300 * 1024)).toBe(0);
    expect(wasm.reserve(300 * 1024)).toBeFalsy();
    const column = wasm.columnCreate(ColumnType.Float64, 16, 0, 0, 0);
    let status = Status.Ok;
    for (let i = 0; i < 40_000 && status === Status.Ok; i++) status = wasm.appendFloat64(column, i);
    expect(status).toBe(Status.OutOfMemory);
    const cap = 8 * 65536;
    expect(wasm.arenaStat(ArenaStat.Top) + held).toBeLessThanOrEqual(cap); // the room is still there
    expect(wasm.arenaHold(cap - wasm.arenaStat(ArenaStat.Top))).toBeFalsy(); // more than is left: refused
    expect(wasm.arenaHold(0)).toBeTruthy();
    expect(wasm.arenaReplace(0, 0, held)).not.toBe(0);
  });
});

describe('block bytes: what compaction copies, what the memory report counts', () => {
  it('a column buffer at its rows (blockBytes), at its capacity (columnBytes)', () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.Int, 100, 2, 0, 0);
    for (let i = 0; i < 10; i++) expect(wasm.appendInt(column, 1000 + i)).toBe(Status.Ok);
    expect(wasm.appendNull(column)).toBe(Status.Ok);
    expect(wasm.blockBytes(RecordKind.Column, column, Descriptor.Data, 0)).toBe(11 * 2);
    expect(wasm.blockBytes(RecordKind.Column, column, Descriptor.Nulls, 0)).toBe(2);
    expect(wasm.blockBytes(RecordKind.Column, column, Descriptor.Missing, 0)).toBe(0); // none
    // With room for 1/4 more rows (13 of them): what a compacted copy is allocated.
    expect(wasm.blockBytes(RecordKind.Column, column, Descriptor.Data, 4)).toBe(13 * 2);
    expect(wasm.columnBytes(column)).toBe(Descriptor.Bytes + 100 * 2 + 13); // a bitmap of 100 rows
  });
});

describe('arena free list', () => {
  it('keeps the largest released blocks when more are released than it holds (512)', () => {
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
    expect(wasm.arenaStat(ArenaStat.FreeBytes)).toBe(kept);
    expect(wasm.arenaStat(ArenaStat.LeakedBytes)).toBe(released.reduce((a, b) => a + b, 0) - kept);
    // A later buffer takes a listed block before the arena grows.
    const top = wasm.arenaStat(ArenaStat.Top);
    wasm.columnCreate(ColumnType.Float64, 800, 8, 0, 0);
    expect(wasm.arenaStat(ArenaStat.Top)).toBe(top);
  });
});
