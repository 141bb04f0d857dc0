// writeParquet: an Arrow Table → the bytes of a sealed Parquet file (seal.ts), written by
// parquet-wasm (arrow-rs): structs as Parquet groups, lists as LISTs, Dictionary<Utf8> columns
// dictionary-encoded, the Arrow schema (with its field metadata) in the footer's ARROW:schema.
import type { Data, Table } from 'apache-arrow';
import { checkWriteDepth } from './depth';
import { argumentError } from '../util/argumentError';
import { type ParquetLibraries, parquetLibraries } from './library';
import { type ParquetWriteOptions, parquetWriteOptions, writerProperties } from './options';
import { applySeal } from './seal';
import { unwritable } from './unwritable';

export async function writeParquet(table: Table, options?: ParquetWriteOptions): Promise<Uint8Array> {
  if (typeof table?.schema?.fields !== 'object' || typeof table.numRows !== 'number') throw argumentError('table', 'an apache-arrow Table', table, 'writeParquet');
  const settings = parquetWriteOptions(options, 'writeParquet');
  checkWriteDepth(table.schema);
  const libraries = await parquetLibraries();
  let bytes: Uint8Array;
  try {
    const wasmTable = libraries.parquet.Table.fromIPCStream(ipcStream(libraries, table));
    bytes = libraries.parquet.writeParquet(wasmTable, writerProperties(libraries, settings, table.schema));
  } catch (error) {
    throw unwritable(error);
  }
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 8, true);
  applySeal(bytes, bytes.length - 8 - footerLength);
  return bytes;
}

/**
 * `table` as Arrow IPC stream bytes for parquet-wasm. A sliced Null-type array (a struct or list
 * sliced around it) keeps Arrow JS's "not yet counted" null count, -1, having no bitmap to count
 * from; Arrow JS's IPC writer writes it as it is, and arrow-rs refuses the array. Every row of a
 * Null array is null: the count is set to its length first.
 */
export function ipcStream(libraries: ParquetLibraries, table: Table): Uint8Array {
  const settle = (data: Data) => {
    if (libraries.arrow.DataType.isNull(data.type) && (data as unknown as { _nullCount: number })._nullCount < 0) {
      (data as unknown as { _nullCount: number })._nullCount = data.length;
    }
    for (const child of data.children) settle(child);
    if (data.dictionary !== undefined) for (const chunk of data.dictionary.data) settle(chunk);
  };
  for (const batch of table.batches) settle(batch.data);
  return libraries.arrow.tableToIPC(table, 'stream');
}
