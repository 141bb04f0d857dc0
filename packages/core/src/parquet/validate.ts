// Validation of a Parquet file from outside before any decoder touches its data: the magic at
// both ends, a footer length inside the file, the seal of memstore's own files (seal.ts), a
// footer that parses, a schema tree whose child counts add up and that nests at most MAX_DEPTH
// groups, row counts that agree and are bounded by the file's size, every column chunk inside
// the file, and every page header of every chunk inside its chunk with a bounded page size (and
// all of them a bounded total).
// Each check reads at most the file once, so the work is bounded by the file's size; what it
// does not check (page contents: levels, encodings, UTF-8) the decoder checks, and read.ts
// turns its failures into MemstoreFormatError too.
import type { FileMetaData } from 'hyparquet';
import { MemstoreFormatError } from '../errors';
import { MAX_DEPTH } from '../schema/observe';
import type { ParquetLibraries } from './library';
import { checkSeal } from './seal';

const MAGIC = 0x31524150; // "PAR1", little-endian
/** A page larger than this decompressed is refused: writers cut pages at ~1 MiB; this leaves room for any sane one and none for an allocation bomb. */
export const MAX_PAGE_BYTES = 256 * 2 ** 20;
/**
 * The most bytes all pages may claim uncompressed. parquet-wasm decodes a whole file inside one
 * WebAssembly memory (at most 4 GiB, never shrinking), holding the file, the decoded columns and
 * their Arrow IPC copy at once: past this a read could not finish, and a small file claiming more
 * is a decompression bomb.
 */
export const MAX_DECODED_BYTES = 2 ** 30;
/** Rows per byte of file a row count may claim (a constant column RLE-encodes many rows a byte; past this the claim is absurd). */
export const MAX_ROWS_PER_BYTE = 1024;

/** A thrown value's message without its closing period (the messages here add their own). */
export const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');

const fail = (message: string, offset?: number): MemstoreFormatError => new MemstoreFormatError('parquet', message, offset);

export function validateParquet(bytes: Uint8Array, libraries: ParquetLibraries): FileMetaData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw fail(`Not a Parquet file: ${bytes.length} bytes, fewer than its two magic numbers and footer length (12).`, 0);
  if (view.getUint32(0, true) !== MAGIC) throw fail('Not a Parquet file: it does not start with the magic "PAR1".', 0);
  if (view.getUint32(bytes.length - 4, true) !== MAGIC) throw fail('Not a Parquet file, or a truncated one: it does not end with the magic "PAR1".', bytes.length - 4);
  const footerLength = view.getUint32(bytes.length - 8, true);
  const footerStart = bytes.length - 8 - footerLength;
  if (footerStart < 4) throw fail(`The Parquet footer length ${footerLength} goes past the file's start (${bytes.length} bytes in all).`, bytes.length - 8);
  checkSeal(bytes, footerStart);
  let metadata: FileMetaData;
  try {
    metadata = libraries.hyparquet.parquetMetadata(bytes, { geoparquet: false });
  } catch (error) {
    throw new MemstoreFormatError('parquet', `The Parquet footer cannot be read: ${reasonOf(error)}.`, footerStart, { cause: error });
  }
  try {
    const leaves = checkSchema(metadata, footerStart);
    checkRows(metadata, bytes.length, footerStart);
    checkChunks(metadata, leaves, view, footerStart, libraries);
  } catch (error) {
    // The parsed footer is the file's, untyped: a field the thrift decoder left out (a flipped
    // bit can drop one) is a malformed footer, not a TypeError from these checks.
    if (error instanceof MemstoreFormatError) throw error;
    throw new MemstoreFormatError('parquet', `The Parquet footer is malformed: ${reasonOf(error)}.`, footerStart, { cause: error });
  }
  return metadata;
}

/** The schema's elements form one tree (child counts add up) nesting at most MAX_DEPTH; returns its leaf count. */
function checkSchema(metadata: FileMetaData, footerStart: number): number {
  const schema = metadata.schema;
  if (!Array.isArray(schema) || schema.length === 0) throw fail('The Parquet footer has no schema.', footerStart);
  let next = 1;
  let leaves = 0;
  // Iterative walk (a file may nest deep): a stack of the children each open group still has.
  const remaining: number[] = [schema[0].num_children ?? 0];
  while (remaining.length > 0) {
    if (remaining[remaining.length - 1] === 0) {
      remaining.pop();
      continue;
    }
    remaining[remaining.length - 1]--;
    const element = schema[next];
    if (element === undefined) throw fail(`The Parquet schema's child counts ask for more than its ${schema.length} elements.`, footerStart);
    next++;
    const children = element.num_children ?? 0;
    if (!Number.isSafeInteger(children) || children < 0) throw fail(`The Parquet schema element "${element.name}" claims ${children} children.`, footerStart);
    if (children > 0) {
      if (remaining.length > MAX_DEPTH) throw fail(`The Parquet schema nests deeper than ${MAX_DEPTH} levels (at "${element.name}").`, footerStart);
      remaining.push(children);
    } else {
      if (element.type === undefined) throw fail(`The Parquet schema element "${element.name}" has neither a type nor children.`, footerStart);
      leaves++;
    }
  }
  if (next !== schema.length) throw fail(`The Parquet schema's child counts cover ${next} of its ${schema.length} elements.`, footerStart);
  return leaves;
}

function checkRows(metadata: FileMetaData, fileBytes: number, footerStart: number): void {
  const limit = MAX_ROWS_PER_BYTE * fileBytes;
  const total = Number(metadata.num_rows);
  if (!Number.isSafeInteger(total) || total < 0 || total > limit) throw fail(`The Parquet file claims ${metadata.num_rows} rows, more than its ${fileBytes} bytes can hold.`, footerStart);
  let sum = 0;
  for (const rowGroup of metadata.row_groups) {
    const rows = Number(rowGroup.num_rows);
    if (!Number.isSafeInteger(rows) || rows < 0 || rows > limit) throw fail(`A Parquet row group claims ${rowGroup.num_rows} rows.`, footerStart);
    sum += rows;
  }
  if (sum !== total) throw fail(`The Parquet file claims ${total} rows, its row groups ${sum}.`, footerStart);
}

/** Each row group has a chunk per leaf; each chunk and each of its page headers lies inside the file before the footer. */
function checkChunks(metadata: FileMetaData, leaves: number, view: DataView, footerStart: number, libraries: ParquetLibraries): void {
  const decoded = { bytes: 0 };
  for (const [groupIndex, rowGroup] of metadata.row_groups.entries()) {
    if (rowGroup.columns.length !== leaves) throw fail(`Parquet row group ${groupIndex} has ${rowGroup.columns.length} column chunks for ${leaves} leaf columns.`, footerStart);
    for (const chunk of rowGroup.columns) {
      const meta = chunk.meta_data;
      if (meta === undefined) throw fail(`A column chunk of Parquet row group ${groupIndex} has no metadata (or lives in another file).`, footerStart);
      const name = meta.path_in_schema.join('.');
      const dataStart = Number(meta.data_page_offset);
      const start = meta.dictionary_page_offset === undefined ? dataStart : Math.min(dataStart, Number(meta.dictionary_page_offset));
      const end = start + Number(meta.total_compressed_size);
      if (!(start >= 4 && end <= footerStart && end >= start)) throw fail(`The Parquet column chunk "${name}" (row group ${groupIndex}) lies outside the file's data: bytes ${start} to ${end}, data ends at ${footerStart}.`, start);
      if (Number(meta.num_values) > MAX_ROWS_PER_BYTE * view.byteLength) throw fail(`The Parquet column chunk "${name}" claims ${meta.num_values} values.`, start);
      checkPages(view, start, end, name, libraries, decoded);
    }
  }
}

function checkPages(view: DataView, start: number, end: number, name: string, libraries: ParquetLibraries, decoded: { bytes: number }): void {
  // The header parser reads the whole file's view: a header running past its chunk is caught below.
  const reader = { view, offset: start };
  while (reader.offset < end) {
    const at = reader.offset;
    let header: ReturnType<ParquetLibraries['pageHeader']>;
    try {
      header = libraries.pageHeader(reader);
    } catch (error) {
      throw new MemstoreFormatError('parquet', `A page header of the Parquet column chunk "${name}" cannot be read: ${reasonOf(error)}.`, at, { cause: error });
    }
    const compressed = header.compressed_page_size;
    const uncompressed = header.uncompressed_page_size;
    if (!Number.isSafeInteger(compressed) || compressed < 0 || reader.offset + compressed > end) {
      // reader.offset is past the header: a header that itself overran the chunk fails here too.
      throw fail(`A page of the Parquet column chunk "${name}" claims ${compressed} bytes, past its chunk's end at ${end}.`, at);
    }
    if (!Number.isSafeInteger(uncompressed) || uncompressed < 0 || uncompressed > MAX_PAGE_BYTES) {
      throw fail(`A page of the Parquet column chunk "${name}" claims ${uncompressed} bytes uncompressed (at most ${MAX_PAGE_BYTES} are read).`, at);
    }
    decoded.bytes += uncompressed;
    if (decoded.bytes > MAX_DECODED_BYTES) {
      throw fail(`The Parquet file's pages claim more than ${MAX_DECODED_BYTES} bytes uncompressed (by column chunk "${name}"), more than one read can decode.`, at);
    }
    reader.offset += compressed;
  }
}
