// readParquet: the bytes of a Parquet file (from anywhere: never trusted) → an Arrow Table,
// exactly as written: the footer's ARROW:schema gives back field and schema metadata,
// Dictionary<Utf8> columns and int64 as BigInt. validate.ts checks the layout first; the
// decoder's own failures (bad levels, encodings, compressed data, UTF-8) arrive as thrown
// strings or traps and leave as MemstoreFormatError.
import type { Table } from 'apache-arrow';
import { MemstoreFormatError } from '../errors';
import { argumentError } from '../util/argumentError';
import { parquetLibraries } from './library';
import { SEAL_KEY } from './seal';
import { reasonOf, validateParquet } from './validate';

export async function readParquet(bytes: Uint8Array): Promise<Table> {
  if (!(bytes instanceof Uint8Array)) throw argumentError('bytes', 'a Uint8Array (a Node Buffer is one)', bytes, 'readParquet');
  const libraries = await parquetLibraries();
  validateParquet(bytes, libraries);
  let ipc: Uint8Array;
  try {
    ipc = libraries.parquet.readParquet(bytes).intoIPCStream();
  } catch (error) {
    throw new MemstoreFormatError('parquet', `The Parquet file cannot be decoded: ${reasonOf(error)}.`, undefined, { cause: error });
  }
  const table = libraries.arrow.tableFromIPC(ipc);
  // arrow-rs copies the file's key-value metadata into the schema's: the seal is the file's, not the table's.
  table.schema.metadata.delete(SEAL_KEY);
  return table;
}
