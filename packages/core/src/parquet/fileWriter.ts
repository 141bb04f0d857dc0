// writeParquetFile (Node): an Arrow Table, or a sequence of Tables of one schema, streamed to a
// Parquet file row group by row group (parquet-wasm's transformParquetStream: arrow-rs flushes
// a row group each rowGroupSize rows, so memory holds one row group and one input table), and
// atomically: the bytes go to a temporary file beside the target, sealed (seal.ts), fsynced and
// renamed over the name — a crash mid-write leaves the old file or none, never a half-written one.
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import type { RecordBatch as WasmRecordBatch } from 'parquet-wasm';
import type { Table } from 'apache-arrow';
import { MemstoreError, MemstoreInputError } from '../errors';
import { crc32 } from '../util/crc32';
import { checkWriteDepth } from './depth';
import { type ParquetLibraries, parquetLibraries } from './library';
import { type ParquetWriteOptions, parquetWriteOptions, writerProperties } from './options';
import { sealOffsets, sealValue } from './seal';
import { unwritable } from './unwritable';
import { ipcStream } from './write';

export type TableSource = Table | Iterable<Table> | AsyncIterable<Table>;

export async function writeParquetFile(path: string, source: TableSource, options?: ParquetWriteOptions): Promise<void> {
  const settings = parquetWriteOptions(options, 'writeParquetFile');
  const libraries = await parquetLibraries();
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx+'); // + : the seal reads the footer back
    // The writer's properties depend on the schema (dictionary columns): read it off the first table.
    const tables = iterate(source);
    const first = await tables.next();
    if (first.done) throw new MemstoreInputError('writeParquetFile: the source gave no table (a Parquet file needs a schema).', 'source');
    checkWriteDepth(first.value.schema);
    const properties = writerProperties(libraries, settings, first.value.schema);
    const output = await libraries.parquet.transformParquetStream(batchStream(libraries, first.value, tables), properties);
    let crc = 0;
    let length = 0;
    for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) {
      crc = crc32(chunk, crc);
      await handle.write(chunk, 0, chunk.length, length);
      length += chunk.length;
    }
    await seal(handle, length, crc);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    if (error instanceof MemstoreError) throw error;
    // Node's own failures carry a code (ENOENT, ENOSPC…); anything else is the writer refusing the table.
    if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') {
      throw new MemstoreError('IO', `Cannot write the Parquet file ${path}: ${error.message}`, { cause: error });
    }
    throw unwritable(error);
  }
}

/** Patches the seal of the `length` bytes written (crc: theirs, placeholders included) into the file's footer. */
async function seal(handle: FileHandle, length: number, crc: number): Promise<void> {
  const tail = new Uint8Array(8);
  await handle.read(tail, 0, 8, length - 8);
  const footerLength = new DataView(tail.buffer).getUint32(0, true);
  const footerStart = length - 8 - footerLength;
  const footer = new Uint8Array(footerLength);
  await handle.read(footer, 0, footerLength, footerStart);
  const value = sealValue(crc);
  for (const position of sealOffsets(footer, footerStart)) await handle.write(value, 0, value.length, position);
}

function iterate(source: TableSource): Iterator<Table> | AsyncIterator<Table> {
  return isTable(source) ? [source][Symbol.iterator]() : Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
}

/** `first` and then the rest of the tables' record batches, one Arrow table at a time, handed to parquet-wasm's memory as they are pulled. */
function batchStream(libraries: ParquetLibraries, first: Table, tables: Iterator<Table> | AsyncIterator<Table>): ReadableStream<WasmRecordBatch> {
  let pending: Table | undefined = first;
  return new ReadableStream<WasmRecordBatch>({
    async pull(controller) {
      const next: IteratorResult<Table> = pending === undefined ? await tables.next() : { done: false, value: pending };
      pending = undefined;
      if (next.done) {
        controller.close();
        return;
      }
      const wasmTable = libraries.parquet.Table.fromIPCStream(ipcStream(libraries, next.value));
      for (const batch of wasmTable.recordBatches()) controller.enqueue(batch);
      wasmTable.free();
    },
  });
}

function isTable(source: TableSource): source is Table {
  return typeof (source as Table).schema === 'object' && typeof (source as Table).numRows === 'number';
}
