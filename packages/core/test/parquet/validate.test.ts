// readParquet on files that are not what they claim: each gives a MemstoreFormatError naming
// what is wrong (and where, as a byte offset, where it is one place) — the magic, the footer
// length, the seal, row counts, the schema tree and its depth, column chunks outside the file,
// invalid UTF-8 in a string page — and a table nested past the writer's limit is refused.
import * as Arrow from 'apache-arrow';
import { deserializeTCompactProtocol } from 'hyparquet/src/thrift.js';
import { ByteWriter } from 'hyparquet-writer';
import { serializeTCompactProtocol } from 'hyparquet-writer/src/thrift.js';
import * as ParquetWasm from 'parquet-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_DEPTH, MemstoreFormatError, MemstoreUnsupportedError, readParquet, writeParquet } from '../../src/node';
import { PARQUET_WRITE_MAX_DEPTH } from '../../src/parquet/depth';
import { MAX_PAGE_BYTES } from '../../src/parquet/validate';
import { applySeal, PLACEHOLDER, sealPositions } from '../../src/parquet/seal';
import { caught } from '../helpers';
import { plainRows, recordsToTable } from './tables';

const { table, model } = recordsToTable(Array.from({ length: 200 }, (_, i) => ({ id: i, name: ['Duper', 'Super'][i % 2], text: `UNIQUE${String(i).padStart(4, '0')}`, q: { v: i / 2 } })));
let sealed: Uint8Array;
let unsealed: Uint8Array;
beforeAll(async () => {
  sealed = await writeParquet(table, { compression: 'uncompressed' });
  const properties = new ParquetWasm.WriterPropertiesBuilder().setCompression(ParquetWasm.Compression.UNCOMPRESSED).setDictionaryEnabled(false).build();
  unsealed = ParquetWasm.writeParquet(ParquetWasm.Table.fromIPCStream(Arrow.tableToIPC(table, 'stream')), properties);
});

const footerStart = (bytes: Uint8Array) => bytes.length - 8 - new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);

/** The file with its footer (thrift FileMetaData, as raw field_N values) edited and written back. */
function editFooter(bytes: Uint8Array, edit: (footer: Record<string, any>) => void): Uint8Array {
  const start = footerStart(bytes);
  const footer = deserializeTCompactProtocol({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length - 8), offset: start });
  edit(footer);
  const writer = new ByteWriter();
  serializeTCompactProtocol(writer, footer);
  const encoded = new Uint8Array(writer.getBuffer());
  const out = new Uint8Array(start + encoded.length + 8);
  out.set(bytes.subarray(0, start));
  out.set(encoded, start);
  new DataView(out.buffer).setUint32(start + encoded.length, encoded.length, true);
  out.set([0x50, 0x41, 0x52, 0x31], start + encoded.length + 4);
  return out;
}

/**
 * The file with the first page header of its first column chunk edited (a raw thrift struct),
 * re-encoded in place and every footer offset past it moved by the change in its length.
 */
function editFirstPageHeader(bytes: Uint8Array, edit: (header: Record<string, any>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const footer = deserializeTCompactProtocol({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length - 8), offset: footerStart(bytes) });
  const firstChunk = footer.field_4[0].field_1[0].field_3;
  const start = Number(firstChunk.field_11 ?? firstChunk.field_9); // dictionary_page_offset ?? data_page_offset
  const reader = { view, offset: start };
  const header = deserializeTCompactProtocol(reader);
  edit(header);
  const writer = new ByteWriter();
  serializeTCompactProtocol(writer, header);
  const encoded = new Uint8Array(writer.getBuffer());
  const delta = encoded.length - (reader.offset - start);
  const body = new Uint8Array(footerStart(bytes) + delta);
  body.set(bytes.subarray(0, start));
  body.set(encoded, start);
  body.set(bytes.subarray(reader.offset, footerStart(bytes)), start + encoded.length);
  const shift = (value: unknown) => (typeof value === 'bigint' && value > BigInt(start) ? value + BigInt(delta) : value);
  const moved = editFooter(Uint8Array.from([...body, ...bytes.subarray(footerStart(bytes))]), (edited) => {
    for (const rowGroup of edited.field_4) {
      rowGroup.field_5 = shift(rowGroup.field_5); // file_offset
      for (const chunk of rowGroup.field_1) {
        for (const key of ['field_2', 'field_4', 'field_6']) chunk[key] = shift(chunk[key]); // file, offset index, column index offsets
        for (const key of ['field_9', 'field_10', 'field_11']) chunk.field_3[key] = shift(chunk.field_3[key]); // data, index, dictionary page offsets
      }
    }
    edited.field_4[0].field_1[0].field_3.field_7 += BigInt(delta); // total_compressed_size
  });
  return moved;
}

/** A sealed file changed in place and sealed again: what the decoder sees behind a valid seal. */
function reseal(bytes: Uint8Array): Uint8Array {
  const start = footerStart(bytes);
  const positions = sealPositions(bytes.subarray(start, bytes.length - 8));
  for (const at of [positions.keyValue, positions.createdBy]) bytes.set(Uint8Array.from(PLACEHOLDER, (char) => char.charCodeAt(0)), start + at);
  applySeal(bytes, start);
  return bytes;
}

async function formatError(bytes: Uint8Array): Promise<MemstoreFormatError> {
  const error = await caught(() => readParquet(bytes));
  expect(error).toBeInstanceOf(MemstoreFormatError);
  expect((error as MemstoreFormatError).format).toBe('parquet');
  return error as MemstoreFormatError;
}

describe('the layout', () => {
  it('a no-op footer edit still reads (the edit helper itself is faithful)', async () => {
    expect(plainRows(await readParquet(editFooter(unsealed, () => undefined)))).toEqual(model);
  });

  it('too short, wrong magic at either end, a footer length past the start', async () => {
    expect((await formatError(sealed.subarray(0, 10))).message).toMatch(/fewer than/);
    const head = sealed.slice();
    head[0] = 0x51;
    expect(await formatError(head)).toMatchObject({ offset: 0, message: expect.stringMatching(/start with the magic/) });
    expect(await formatError(sealed.subarray(0, sealed.length - 1))).toMatchObject({ offset: sealed.length - 5 });
    const long = sealed.slice();
    new DataView(long.buffer).setUint32(long.length - 8, long.length, true);
    expect((await formatError(long)).message).toMatch(/footer length .* goes past the file's start/);
  });

  it('a sealed file changed anywhere fails its CRC; one with a seal copy gone is refused too', async () => {
    const flipped = sealed.slice();
    flipped[100] ^= 0x10;
    expect((await formatError(flipped)).message).toMatch(/damaged: its CRC-32 is/);
    const renamed = sealed.slice();
    const at = footerStart(renamed) + sealPositions(renamed.subarray(footerStart(renamed))).keyValue - 2;
    renamed[at] ^= 0x01; // a letter of the key "memstore:crc32"
    expect((await formatError(renamed)).message).toMatch(/seal is damaged/);
  });

  it('absurd or disagreeing row counts', async () => {
    expect((await formatError(editFooter(unsealed, (footer) => (footer.field_3 = 2n ** 50n)))).message).toMatch(/claims 1125899906842624 rows/);
    expect((await formatError(editFooter(unsealed, (footer) => (footer.field_3 = 199n)))).message).toMatch(/claims 199 rows, its row groups 200/);
  });

  it('a column chunk outside the file, a schema whose child counts do not add up', async () => {
    const outside = editFooter(unsealed, (footer) => {
      footer.field_4[0].field_1[0].field_3.field_9 = BigInt(unsealed.length * 2); // data_page_offset
    });
    expect((await formatError(outside)).message).toMatch(/lies outside the file's data/);
    const counts = editFooter(unsealed, (footer) => (footer.field_2[0].field_5 = 9));
    expect((await formatError(counts)).message).toMatch(/child counts/);
  });

  it('a page claiming more than MAX_PAGE_BYTES uncompressed, or running past its chunk', async () => {
    const unchanged = editFirstPageHeader(unsealed, () => undefined);
    expect(plainRows(await readParquet(unchanged))).toEqual(model);
    const huge = editFirstPageHeader(unsealed, (header) => (header.field_2 = MAX_PAGE_BYTES + 1));
    expect((await formatError(huge)).message).toMatch(new RegExp(`claims ${MAX_PAGE_BYTES + 1} bytes uncompressed`));
    const long = editFirstPageHeader(unsealed, (header) => (header.field_3 = 1 << 24));
    expect((await formatError(long)).message).toMatch(/past its chunk's end/);
  });

  it(`a schema nested deeper than MAX_DEPTH (${MAX_DEPTH}) groups`, async () => {
    const deep = editFooter(unsealed, (footer) => {
      const groups = Array.from({ length: MAX_DEPTH + 1 }, (_, i) => ({ field_3: 1, field_4: `g${i}`, field_5: 1 }));
      // One leaf of the first column's type (DOUBLE), its chunks given the deep path: a footer consistent but for the depth.
      footer.field_2 = [{ field_4: 'schema', field_5: 1 }, ...groups, { field_1: 5, field_3: 1, field_4: 'leaf' }];
      for (const rowGroup of footer.field_4) {
        rowGroup.field_1 = rowGroup.field_1.slice(0, 1);
        rowGroup.field_1[0].field_3.field_3 = [...groups.map((group) => group.field_4), 'leaf'];
      }
    });
    expect((await formatError(deep)).message).toMatch(new RegExp(`nests deeper than ${MAX_DEPTH} levels`));
  });
});

describe('the data', () => {
  it('invalid UTF-8 in a string page, behind a valid seal, is a MemstoreFormatError from the decoder', async () => {
    const bytes = sealed.slice();
    const needle = new TextEncoder().encode('UNIQUE0042');
    const at = bytes.findIndex((_, index) => needle.every((byte, offset) => bytes[index + offset] === byte));
    expect(at).toBeGreaterThan(0);
    bytes.set([0xc3, 0x28], at); // a lead byte followed by no continuation byte
    expect((await formatError(reseal(bytes))).message).toMatch(/cannot be decoded: .*utf-?8/i);
    // Nothing else was touched: the file as written still reads.
    expect(plainRows(await readParquet(sealed))).toEqual(model);
  });
});

describe('nesting on write', () => {
  const nested = (depth: number) => {
    let value: unknown = 1;
    let type: Arrow.DataType = new Arrow.Float64();
    for (let level = 0; level < depth; level++) {
      value = { a: value };
      type = new Arrow.Struct([new Arrow.Field('a', type, true)]);
    }
    return new Arrow.Table({ deep: Arrow.vectorFromArray([value, null], type) });
  };

  it(`round trips ${PARQUET_WRITE_MAX_DEPTH} levels, and refuses more with MemstoreUnsupportedError naming the column and the limit`, async () => {
    const table = nested(PARQUET_WRITE_MAX_DEPTH);
    expect(JSON.stringify((await readParquet(await writeParquet(table))).get(0))).toBe(JSON.stringify(table.get(0)));
    const error = await caught(() => writeParquet(nested(PARQUET_WRITE_MAX_DEPTH + 1)));
    expect(error).toBeInstanceOf(MemstoreUnsupportedError);
    expect((error as Error).message).toMatch(new RegExp(`"deep" nests ${PARQUET_WRITE_MAX_DEPTH + 1} levels.*at most ${PARQUET_WRITE_MAX_DEPTH}`));
  });
});
