// Arrow that is not what it claims, each fault on its own: bytes that are not Arrow IPC, a
// truncation, a wrong end magic, dictionary indices past the dictionary, offsets that decrease or
// pass their buffer, invalid UTF-8, a null count the validity bitmap contradicts, nesting past
// MAX_DEPTH, a 100-byte stream whose batch claims 2^31 rows, memstore metadata this reader does not
// know — each a MemstoreFormatError (code 'FORMAT', format 'arrow') naming the column, from
// Store.fromArrow (a Table built in JS) and from Store.fromArrowIPC (its bytes) alike. Wrong
// arguments are MemstoreInputErrors; a type with no JSON value is a MemstoreUnsupportedError.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Bool, type Data, Dictionary, Field, Int8, Int32, IntervalDayTime, List, makeData, makeVector, Null, RecordBatch, Schema, Struct, Table, tableToIPC, Utf8, vectorFromArray,
} from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DEPTH, MemstoreError, MemstoreFormatError, MemstoreInputError, MemstoreUnsupportedError, Store } from '../../src/node';
import { caught, exampleText, withStore } from '../helpers';

const scratch = mkdtempSync(join(tmpdir(), 'memstore-arrow-errors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A one-column table over `data` (its field named `name`, with `metadata`). */
function tableOf(name: string, data: ReturnType<typeof makeData>, metadata = new Map<string, string>()): Table {
  const schema = new Schema([new Field(name, data.type, true, metadata)]);
  return new Table(schema, new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: data.length, nullCount: 0, children: [data] })));
}

/** The error of fromArrow(table) and of fromArrowIPC(its bytes, file and stream): the same kind, each MemstoreFormatError naming `mention`. */
async function expectFormatError(table: Table, mention: RegExp): Promise<void> {
  const errors = [await caught(() => Store.fromArrow(table))];
  for (const format of ['file', 'stream'] as const) errors.push(await caught(() => Store.fromArrowIPC(tableToIPC(table, format))));
  for (const error of errors) {
    expect(error).toBeInstanceOf(MemstoreFormatError);
    expect((error as MemstoreFormatError).code).toBe('FORMAT');
    expect((error as MemstoreFormatError).format).toBe('arrow');
    expect((error as Error).message).toMatch(mention);
  }
}

const utf8 = (texts: string[]) => vectorFromArray(texts, new Utf8()).data[0];

describe('bytes that are not valid Arrow IPC', () => {
  const cargo = exampleText('cargo.json');

  it('JSON, empty bytes, a bare magic: MemstoreFormatError', async () => {
    for (const bytes of [new TextEncoder().encode(cargo), new Uint8Array(0), new TextEncoder().encode('ARROW1'), new Uint8Array(7)]) {
      const error = await caught(() => Store.fromArrowIPC(bytes));
      expect(error).toBeInstanceOf(MemstoreFormatError);
    }
  });

  it('fromFile of a JSON file named .arrow, or read with format "arrow": MemstoreFormatError', async () => {
    const path = join(scratch, 'cargo.arrow');
    writeFileSync(path, cargo);
    expect(await caught(() => Store.fromFile(path))).toBeInstanceOf(MemstoreFormatError);
    const json = join(scratch, 'cargo.json');
    writeFileSync(json, cargo);
    expect(await caught(() => Store.fromFile(json, { format: 'arrow' }))).toBeInstanceOf(MemstoreFormatError);
  });

  it('every truncation of a file and of a stream, and a wrong end magic', async () => {
    await withStore(Store.fromJSON(cargo.slice(0, cargo.indexOf('},\n {', 2000) + 1) + ']'), async (store) => {
      for (const format of ['file', 'stream'] as const) {
        const bytes = store.toArrowIPC({ format });
        for (let length = 0; length < bytes.length; length += Math.max(1, Math.floor(bytes.length / 97))) {
          const error = await caught(() => Store.fromArrowIPC(bytes.subarray(0, length)));
          expect(error, `${format} cut at ${length} of ${bytes.length}`).toBeInstanceOf(MemstoreFormatError);
        }
      }
      const file = store.toArrowIPC().slice();
      file[file.length - 1] ^= 0xff;
      expect(((await caught(() => Store.fromArrowIPC(file))) as Error).message).toMatch(/ARROW1 magic/);
    });
  });

  it('a 100-byte stream whose record batch claims 2^31 rows fails at once (bounded work)', async () => {
    const rows = 77;
    const bytes = tableToIPC(tableOf('n', makeData({ type: new Null(), length: rows })), 'stream').slice();
    expect(bytes.length).toBeLessThan(400);
    // Every int64 of the value 77 (the batch's length, its field node's) becomes 2^31.
    const words = new DataView(bytes.buffer);
    let patched = 0;
    for (let at = 0; at + 8 <= bytes.length; at += 8) {
      if (words.getUint32(at, true) === rows && words.getUint32(at + 4, true) === 0) {
        words.setUint32(at, 2 ** 31, true);
        patched++;
      }
    }
    expect(patched).toBeGreaterThan(0);
    expect(((await caught(() => Store.fromArrowIPC(bytes))) as Error).message).toMatch(/claims 2147483648/);
  });
});

describe('array data that Arrow JS would accept', () => {
  it('a dictionary index past the dictionary', async () => {
    const dictionary = makeVector(utf8(['a', 'b']));
    const type = new Dictionary(new Utf8(), new Int8(), 0);
    const data = makeData({ type, length: 3, nullCount: 0, data: Int8Array.of(0, 1, 5), dictionary });
    await expectFormatError(tableOf('code', data), /code .*row 2 has dictionary index 5, and the dictionary has 2 entries/);
  });

  it('offsets that decrease, and offsets past the bytes', async () => {
    const bytes = new TextEncoder().encode('abcdef');
    await expectFormatError(tableOf('s', makeData({ type: new Utf8(), length: 2, nullCount: 0, valueOffsets: Int32Array.of(0, 4, 2), data: bytes })), /s \(Utf8\).*offset 2 \(2\) is below offset 1 \(4\)/);
    await expectFormatError(tableOf('s', makeData({ type: new Utf8(), length: 2, nullCount: 0, valueOffsets: Int32Array.of(0, 4, 9), data: bytes })), /last offset is 9, past the \d+ bytes/);
  });

  it('list offsets past the elements', async () => {
    const child = makeData({ type: new Int32(), length: 2, nullCount: 0, data: Int32Array.of(1, 2) });
    const list = makeData({ type: new List(new Field('item', new Int32())), length: 1, nullCount: 0, valueOffsets: Int32Array.of(0, 5), child });
    // Arrow JS's IPC writer writes the child as long as the offsets say, over the 2 values there are.
    await expectFormatError(tableOf('l', list), /l(\[\])? \((List<)?Int32>?\).*(last offset is 5, past the 2 elements|values need 5 entries, and the buffer holds 2)/);
  });

  it('invalid UTF-8 in a Utf8 column', async () => {
    const data = makeData({ type: new Utf8(), length: 2, nullCount: 0, valueOffsets: Int32Array.of(0, 1, 3), data: Uint8Array.of(0x61, 0xc3, 0x28) });
    await expectFormatError(tableOf('s', data), /s \(Utf8\).*row 1 is not valid UTF-8/);
  });

  it('a null count the validity bitmap contradicts', async () => {
    const data = makeData({ type: new Int32(), length: 4, nullCount: 1, nullBitmap: Uint8Array.of(0b1111), data: Int32Array.of(1, 2, 3, 4) });
    await expectFormatError(tableOf('n', data), /n \(Int32\).*null count says 1 and the validity bitmap holds 0/);
  });

  it(`nesting deeper than MAX_DEPTH (${MAX_DEPTH}) levels`, async () => {
    let data: Data = makeData({ type: new Bool(), length: 1, nullCount: 0, data: Uint8Array.of(1) });
    for (let level = 0; level < MAX_DEPTH + 1; level++) {
      data = makeData({ type: new List(new Field('item', data.type)), length: 1, nullCount: 0, valueOffsets: Int32Array.of(0, 1), child: data });
    }
    const error = await caught(() => Store.fromArrow(tableOf('deep', data)));
    expect(error).toBeInstanceOf(MemstoreFormatError);
    expect((error as Error).message).toMatch(new RegExp(`nesting deeper than ${MAX_DEPTH} levels`));
  });

  it("memstore metadata this reader does not know, and absent 'both' without its companion", async () => {
    const ints = vectorFromArray([1, null], new Int32()).data[0];
    await expectFormatError(tableOf('x', ints, new Map([['memstore:absent', 'maybe']])), /x has memstore:absent "maybe"/);
    await expectFormatError(tableOf('x', ints, new Map([['memstore:absent', 'both']])), /x has nulls and missing rows/);
  });
});

describe('arguments and unsupported types', () => {
  it('wrong arguments are MemstoreInputErrors naming them', async () => {
    for (const [call, path] of [
      [() => Store.fromArrow(null as never), 'table'],
      [() => Store.fromArrow({} as never), 'table'],
      [() => Store.fromArrowIPC('arrow' as never), 'bytes'],
    ] as const) {
      const error = await caught(call);
      expect(error).toBeInstanceOf(MemstoreInputError);
      expect((error as MemstoreInputError).path).toBe(path);
    }
    await withStore(Store.fromRecords([{ a: 1 }]), async (store) => {
      expect((await caught(() => store.toArrowIPC({ format: 'feather' as never })) as MemstoreInputError).path).toBe('options.format');
      expect((await caught(() => store.writeArrow(42 as never))) as MemstoreInputError).toBeInstanceOf(MemstoreInputError);
    });
  });

  it('a missing .arrow file is an IO error', async () => {
    const error = await caught(() => Store.fromFile(join(scratch, 'nothing.arrow')));
    expect(error).toBeInstanceOf(MemstoreError);
    expect((error as MemstoreError).code).toBe('IO');
  });

  it('an interval column (no JSON value memstore maps it to) is a MemstoreUnsupportedError naming it', async () => {
    const data = makeData({ type: new IntervalDayTime(), length: 1, nullCount: 0, data: Int32Array.of(1, 2) });
    const error = await caught(() => Store.fromArrow(tableOf('wait', data)));
    expect(error).toBeInstanceOf(MemstoreUnsupportedError);
    expect((error as Error).message).toMatch(/wait/);
  });
});
