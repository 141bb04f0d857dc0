// Fuzzing the .msx reader with mutations of real saved files: truncations at every length
// class, bit flips anywhere, splices of two files, every field of the header, directory and
// trailer at boundary values (re-signed too, so the checks behind the checksums are reached);
// and hostile files with valid checksums, one per semantic check (msx/fileMap.ts patches a field
// and re-signs its block). Each must give a MemstoreFormatError, or for a mutation that leaves
// the file valid an exact store: never another error, a trap, a hang or wrong data.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_DEPTH, MemstoreFormatError, Store } from '../src/node';
import { BlockKind, Entry, Header, Trailer } from '../src/persist/format';
import { ColumnType, Descriptor, NodeField, NodeKind, Roots, Sentinel } from '../src/wasm/abi';
import { exactJson } from './helpers';
import { wideRecords } from './msx/data';
import { FileMap } from './msx/fileMap';

/** Real saved files: a wide store (sparse, text, map, mixed, lists, nested structs) and a small one. */
let wide: Uint8Array;
let small: Uint8Array;
let wideRecordsPlain: unknown;
let smallRecordsPlain: unknown;

beforeAll(async () => {
  const records = wideRecords(11, 2100);
  wide = (await Store.fromRecords(records)).toBytes();
  wideRecordsPlain = JSON.parse(exactJson(records));
  const few = [{ a: 1, s: 'x', t: [1, 2], m: 'one' }, { a: 2, s: 'y', t: [], m: 2 }, { s: 'x', m: [1] }, { a: null, t: [3] }];
  small = (await Store.fromJSON(JSON.stringify(few))).toBytes();
  smallRecordsPlain = few;
});

/** The outcome of reading `bytes`: the format error, or the store's records (disposed). Any other error fails the test. */
async function outcome(bytes: Uint8Array): Promise<MemstoreFormatError | unknown[]> {
  let store: Store;
  try {
    store = await Store.fromBytes(bytes);
  } catch (error) {
    if (error instanceof MemstoreFormatError) return error;
    throw error;
  }
  // What a valid file says, the store answers consistently: read, saved again and read back alike, queried.
  const records = store.toArray();
  const again = await Store.fromBytes(store.toBytes());
  expect(again.toArray()).toEqual(records);
  for (const field of store.schema.fields ?? []) {
    expect(again.where([field.key!]).isNull().count()).toBe(store.where([field.key!]).isNull().count());
  }
  again.dispose();
  store.dispose();
  return records;
}

async function refused(bytes: Uint8Array, message?: RegExp): Promise<MemstoreFormatError> {
  const result = await outcome(bytes);
  expect(result, 'refused').toBeInstanceOf(MemstoreFormatError);
  const error = result as MemstoreFormatError;
  expect(error.format).toBe('msx');
  if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}

describe('mutations of real files', () => {
  it('the files themselves load exactly', async () => {
    expect(await outcome(wide)).toEqual(wideRecordsPlain);
    expect(await outcome(small)).toEqual(smallRecordsPlain);
  });

  it('every truncation at each length class (block, footer and trailer boundaries, ±1) is refused', async () => {
    for (const file of [small, wide]) {
      const cuts = new Set<number>();
      for (const point of new FileMap(file).boundaries()) for (const cut of [point - 1, point, point + 1]) if (cut >= 0 && cut < file.length) cuts.add(cut);
      for (const cut of cuts) await refused(file.subarray(0, cut));
    }
  });

  it('any truncation, and any cut of the file\'s start, is refused', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom('small', 'wide'), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), async (which, where, fromStart) => {
      const file = which === 'small' ? small : wide;
      const cut = Math.min(file.length - 1, Math.floor(where * file.length));
      await refused(fromStart ? file.subarray(file.length - cut) : file.subarray(0, cut));
    }), { numRuns: 150 });
  });

  it('a bit flipped anywhere is refused', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom('small', 'wide'), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 0, max: 7 }), async (which, where, bit) => {
      const file = (which === 'small' ? small : wide).slice();
      file[Math.floor(where * file.length)] ^= 1 << bit;
      await refused(file);
    }), { numRuns: 300 });
    // Every bit of the small file.
    for (let at = 0; at < small.length; at++) {
      const file = small.slice();
      file[at] ^= 1 << (at % 8);
      await refused(file);
    }
  });

  it('a splice of two files is refused, or is one of them whole', async () => {
    await fc.assert(fc.asyncProperty(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), async (a, b, order) => {
      const [first, second] = order ? [small, wide] : [wide, small];
      const spliced = new Uint8Array([...first.subarray(0, Math.floor(a * first.length)), ...second.subarray(Math.floor(b * second.length))]);
      const result = await outcome(spliced);
      if (!(result instanceof MemstoreFormatError)) expect([wideRecordsPlain, smallRecordsPlain]).toContainEqual(result);
    }), { numRuns: 150 });
  });

  const BOUNDARY = [0, 1, 2, 7, 8, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  it('every u32 of the header, the directory and the trailer at boundary values, as written and re-signed, is refused or exact', async () => {
    const map = new FileMap(small);
    const fields: number[] = [];
    for (let at = 0; at < Header.Bytes; at += 4) fields.push(at);
    for (let at = map.footerAt; at < small.length; at += 4) fields.push(at);
    for (const at of fields) {
      const original = map.view.getUint32(at, true);
      for (const value of [...BOUNDARY, original + 1, original - 1, small.length]) {
        if ((value >>> 0) === original) continue;
        for (const resign of [false, true]) {
          const file = new FileMap(small);
          file.view.setUint32(at, value >>> 0, true);
          if (resign && at < small.length - Trailer.Bytes + Trailer.Checksum) file.resignFooter();
          const result = await outcome(file.bytes);
          if (!(result instanceof MemstoreFormatError)) expect(result).toEqual(smallRecordsPlain);
        }
      }
    }
  });

  it('every u32 of every record (roots, nodes, descriptors, field lists) at boundary values, re-signed, is refused or read consistently', async () => {
    const map = new FileMap(small);
    for (const entry of map.entries) {
      if (entry.kind === BlockKind.Buffer || entry.kind === BlockKind.Meta) continue;
      for (let field = 0; field < entry.length; field += 4) {
        const original = map.get(entry.number, field);
        for (const value of [0, 1, 2, 0xffffffff, original + 1, original - 1, map.entries.length, map.entries.length + 1]) {
          if ((value >>> 0) === original) continue;
          // A valid change (a key naming another string of the table) is a store of what the file now says.
          await outcome(new FileMap(small).set(entry.number, field, value).bytes);
        }
      }
    }
  });

  it('any byte of any buffer changed and re-signed is refused, or reads the data it now holds without another error', async () => {
    const map = new FileMap(wide);
    const buffers = map.entries.filter((entry) => entry.kind === BlockKind.Buffer);
    await fc.assert(fc.asyncProperty(fc.constantFrom(...buffers), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 0, max: 255 }), async (entry, where, value) => {
      const file = new FileMap(wide).setByte(entry.number, Math.floor(where * entry.length), value);
      await outcome(file.bytes);
    }), { numRuns: 200 });
  });
});

describe('hostile files with valid checksums', () => {
  const hostile = (patch: (file: FileMap) => void, message: RegExp) => async () => {
    const file = new FileMap(wide);
    patch(file);
    await refused(file.bytes, message);
  };

  it('a wrong version or layout size', async () => {
    for (const [at, message] of [[Header.Version, /format version/], [Header.DescriptorBytes, /descriptor size/], [Header.NodeBytes, /node size/], [Header.Flags, /flags/]] as const) {
      const file = new FileMap(small);
      file.view.setUint32(at, 2, true);
      await refused(file.resignFooter().bytes, message);
    }
  });

  it('directory entries out of bounds, overlapping, unaligned, of an unknown kind', async () => {
    const entryField = (file: FileMap, number: number, field: number) => file.footerAt + (number - 1) * Entry.Bytes + field;
    for (const [number, field, value, message] of [
      [3, Entry.Offset, 0, /starts at 0/], [3, Entry.Offset, 1_000_000, /starts at/], [3, Entry.Kind, 9, /no block kind/],
      [3, Entry.Length, 1, /length 1/], [2, Entry.Kind, BlockKind.Buffer, /out of order|names block/],
    ] as const) {
      const file = new FileMap(wide);
      if (field === Entry.Offset) file.view.setBigUint64(entryField(file, number, field), BigInt(value), true);
      else file.view.setUint32(entryField(file, number, field), value, true);
      await refused(file.resignFooter().bytes, message);
    }
  });

  it('an address naming no block, or a block of the wrong kind', hostile((file) => file.set(file.node([]), NodeField.Column, file.entries.length + 5), /and the file has/));
  it('an address naming a block of the wrong kind', hostile((file) => file.set(file.node([]), NodeField.Column, file.node(['kind'])), /where a column descriptor belongs/));
  it('a shared buffer', hostile((file) => file.set(file.column(['flag']), Descriptor.Data, file.buffer(['kind'], Descriptor.Data)), /already names|holds/));
  it('a cycle in the schema graph', hostile((file) => file.set(file.node(['nested', 'a', 'c']), NodeField.Element, file.node(['nested'])), /already names/));
  it('a parent that is not the parent', hostile((file) => file.set(file.node(['nested', 'a']), NodeField.Parent, file.node([])), /Parent/));
  it('an unknown node kind', hostile((file) => file.set(file.node(['kind']), NodeField.Kind, 17), /no node kind/));
  it('an unknown column type', hostile((file) => file.set(file.column(['kind']), Descriptor.Type, 42), /no column type/));
  it('a width no column of its type has', hostile((file) => file.set(file.column(['score']), Descriptor.Width, 3), /no width/));
  it('a length beyond the buffers (a buffer smaller than its rows need)', hostile((file) => {
    const column = file.column(['flag']);
    file.set(column, Descriptor.Length, file.get(column, Descriptor.Length) + 64);
    file.set(column, Descriptor.Capacity, file.get(column, Descriptor.Length));
  }, /need|rows/));
  it('a null count its bitmap does not hold', hostile((file) => {
    const column = file.column(['nested', 'a', 'b']);
    file.set(column, Descriptor.NullCount, file.get(column, Descriptor.NullCount) + 1);
  }, /NullCount/));
  it('child rows that disagree with their parent', hostile((file) => {
    // A struct with one row more than its fields: its own buffers are none, so only the rows disagree.
    const column = file.column(['nested']);
    file.set(column, Descriptor.Length, file.get(column, Descriptor.Length) - 1);
    file.set(column, Descriptor.Capacity, file.get(column, Descriptor.Length));
  }, /rows/));
  it('a dictionary code beyond its dictionary', hostile((file) => file.setByte(file.buffer(['kind'], Descriptor.Data), 5, 200), /code beyond its dictionary/));
  it("an absent row's code beyond the dictionary is set to 0, not refused: the store reads as saved", async () => {
    const records = Array.from({ length: 40 }, (_, i) => ({ s: i % 4 === 3 ? null : 'abc'[i % 4] }));
    const file = new FileMap((await Store.fromRecords(records)).toBytes());
    const column = file.column(['s']);
    expect(file.get(column, Descriptor.Width)).toBe(1);
    file.setByte(file.get(column, Descriptor.Data), 3, 250); // row 3 is null
    expect(await outcome(file.bytes)).toEqual(records);
    const store = await Store.fromBytes(file.bytes);
    expect(store.where('s').in(['a', 'c']).count()).toBe(20);
    expect([...store.groupBy('s').count()]).toEqual([['a', 10], ['b', 10], ['c', 10], [null, 10]]);
    store.dispose();
  });
  it('a dictionary string id beyond the string table', hostile((file) => file.set(file.buffer(['kind'], Descriptor.Dict), 4, file.get(1, Roots.StringCount) + 3), /names no string/));
  it('a dictionary that holds a string twice', hostile((file) => {
    const dict = file.buffer(['kind'], Descriptor.Dict);
    file.set(dict, 4, file.get(dict, 0));
  }, /repeats/));
  it('a string table that holds a string twice', hostile((file) => {
    // Two keys of one length made equal.
    const a = file.get(file.node(['flag']), NodeField.Key);
    const b = file.get(file.node(['kind']), NodeField.Key);
    const offsets = file.get(1, Roots.StringOffsets);
    const heap = file.get(1, Roots.StringHeap);
    const start = (id: number) => file.get(offsets, id * 4);
    for (let i = 0; i < 4; i++) file.setByte(heap, start(a) + i, file.bytes[file.entry(heap).offset + start(b) + i]);
  }, /repeats/));
  it('string-table offsets that decrease', hostile((file) => {
    const offsets = file.get(1, Roots.StringOffsets);
    file.set(offsets, 8, file.get(offsets, 4) - 1);
  }, /string offset/));
  it('string-table offsets that pass their heap', hostile((file) => {
    const offsets = file.get(1, Roots.StringOffsets);
    const count = file.get(1, Roots.StringCount);
    file.set(offsets, count * 4, file.get(offsets, count * 4) + 1);
  }, /string offset/));
  it('invalid WTF-8 in the string table', hostile((file) => file.setByte(file.get(1, Roots.StringHeap), 0, 0xff), /not WTF-8/));
  it('a surrogate pair written as two halves in the string table', hostile((file) => {
    const heap = file.get(1, Roots.StringHeap);
    [0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80].forEach((byte, i) => { file.setByte(heap, i, byte); });
  }, /not WTF-8|repeats/));
  it('text offsets that decrease', hostile((file) => {
    const data = file.buffer(['text'], Descriptor.Data);
    file.set(data, 8, file.get(data, 4) - 1);
  }, /offset/));
  it('invalid WTF-8 in a text heap', hostile((file) => file.setByte(file.buffer(['text'], Descriptor.Heap), 3, 0xc0), /not WTF-8/));
  it('list offsets that decrease', hostile((file) => {
    const data = file.buffer(['nested', 'a', 'c'], Descriptor.Data);
    file.set(data, 40, file.get(data, 36) + 5);
  }, /offset/));
  it('list offsets that pass their elements', hostile((file) => {
    const column = file.column(['nested', 'a', 'c']);
    const data = file.get(column, Descriptor.Data);
    const last = file.get(column, Descriptor.Length) * 4;
    file.set(data, last, file.get(data, last) + 1);
  }, /elements/));
  it('a sparse index that disagrees with its bits', hostile((file) => {
    const index = file.buffer(['rare'], Descriptor.Sparse);
    expect(index).toBeGreaterThan(0);
    file.set(index, 12, file.get(index, 12) + 1);
  }, /sparse index/));
  it('an int past 2^53', hostile((file) => {
    const column = file.column(['id']);
    file.set(column, Descriptor.Base + 4, 0x00400000); // base ≈ 2^86 / 2^32: far past 2^53
  }, /2\^53/));
  it('a mixed column with an unknown tag', hostile((file) => {
    const column = file.column(['mixed']);
    expect(file.get(column, Descriptor.Type)).toBe(ColumnType.Mixed);
    file.setByte(file.get(column, Descriptor.Data), 0, 9);
  }, /unknown tag/));
  it('a struct with two fields of one key', hostile((file) => file.set(file.node(['flag']), NodeField.Key, file.get(file.node(['kind']), NodeField.Key)), /another field's/));
  it('a record count the root does not hold', hostile((file) => {
    const meta = file.entries.length;
    const text = new TextDecoder().decode(file.block(meta)).replace('"records":2100', '"records":2101');
    new TextEncoder().encodeInto(text, file.bytes.subarray(file.entry(meta).offset));
    file.resign(meta);
  }, /2101 records/));
  it('a schema deeper than MAX_DEPTH (two chains of lists at the limit joined into one)', async () => {
    const deep = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
    const file = new FileMap((await Store.fromJSON(`[{"a": ${deep(MAX_DEPTH - 1)}, "b": ${deep(MAX_DEPTH - 1)}}]`)).toBytes());
    let inner = file.node(['a']);
    while (file.get(file.get(inner, NodeField.Element), NodeField.Kind) === NodeKind.List) inner = file.get(inner, NodeField.Element);
    const b = file.node(['b']);
    const root = file.node([]);
    expect(file.get(file.get(root, NodeField.Fields), 4)).toBe(b);
    file.set(file.get(root, NodeField.Fields), 4, 0).set(root, NodeField.FieldCount, 1);
    file.set(inner, NodeField.Element, b).set(b, NodeField.Parent, inner).set(b, NodeField.Key, Sentinel.NoKey);
    await refused(file.bytes, /deeper than 1000/);
  });
  it('a mixed column\'s nested value that is not JSON text', async () => {
    const file = new FileMap((await Store.fromJSON('[{"m": 1}, {"m": [1, -0]}, {"m": "s"}]')).toBytes());
    const heap = file.get(1, Roots.StringHeap);
    const text = new TextDecoder().decode(file.block(heap));
    // The parser keeps a nested value's text as the input spells it.
    expect(text).toContain('[1, -0]');
    file.setByte(heap, text.indexOf('[1, -0]'), '{'.charCodeAt(0));
    await refused(file.bytes, /not the JSON text/);
  });
  it('a derived field set (saved stores hold 0 there)', hostile((file) => file.set(file.column(['kind']), Descriptor.DictIndex, 3), /DictIndex/));
});
