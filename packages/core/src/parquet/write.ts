// writeParquet: an Arrow Table → the bytes of a sealed Parquet file (seal.ts), written by
// parquet-wasm (arrow-rs): structs as Parquet groups, lists as LISTs, Dictionary<Utf8> columns
// dictionary-encoded, the Arrow schema (with its field metadata) in the footer's ARROW:schema.
import type { Table } from 'apache-arrow';
import { checkWriteDepth } from './depth';
import { argumentError } from '../util/argumentError';
import { parquetLibraries } from './library';
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
    const wasmTable = libraries.parquet.Table.fromIPCStream(libraries.arrow.tableToIPC(table, 'stream'));
    bytes = libraries.parquet.writeParquet(wasmTable, writerProperties(libraries, settings, table.schema));
  } catch (error) {
    throw unwritable(error);
  }
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 8, true);
  applySeal(bytes, bytes.length - 8 - footerLength);
  return bytes;
}
