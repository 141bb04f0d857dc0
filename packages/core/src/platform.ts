// Node-only abilities (files) are installed by the `node` entry (src/node.ts), so the default
// (browser) entry never imports a Node built-in.
import { MemstoreError, MemstoreUnsupportedError } from './errors';
import type { DatasetPartition } from './parquet/dataset';
import type { TableSource } from './parquet/fileWriter';
import type { ParquetWriteOptions } from './parquet/options';

export interface Platform {
  /** A file's size and its bytes as a stream of chunks, each valid until the next is asked for. Throws MemstoreError code 'IO' when unreadable. */
  openFile(path: string): Promise<{ size: number; chunks: AsyncIterable<Uint8Array> }>;
  /** A file read at any offset (Store.load). Throws MemstoreError code 'IO' when unreadable. */
  openRandomAccess(path: string): Promise<RandomAccessFile>;
  /** Writes a file atomically (store.save): `write` hands its bytes, in order, to the sink; the name holds the old file or the whole new one. */
  writeFileAtomic(path: string, write: (sink: (bytes: Uint8Array) => Promise<void>) => Promise<void>): Promise<void>;
  /** A Parquet file written a row group at a time, atomically (store.toParquet: parquet/fileWriter.ts). */
  writeParquetFile(path: string, source: TableSource, options?: ParquetWriteOptions): Promise<void>;
  /** A Hive-partitioned folder of Parquet files (store.writeDataset: parquet/dataset.ts); the files written. */
  writeDataset(dir: string, partitions: Iterable<DatasetPartition> | AsyncIterable<DatasetPartition>, options?: ParquetWriteOptions): Promise<string[]>;
}

/** A file open for reads at any offset. */
export interface RandomAccessFile {
  readonly size: number;
  /** Fills `into` with the bytes at `position`. */
  read(into: Uint8Array, position: number): Promise<void>;
  close(): Promise<void>;
}

let installed: Platform | null = null;

export function installPlatform(platform: Platform): void {
  installed = platform;
}

export function platform(feature: string): Platform {
  if (installed === null) {
    throw new MemstoreUnsupportedError(`${feature} needs Node.js (it reads files); in a browser, fetch the data and use Store.fromStream(response.body) or Store.fromJSON (a saved store: Store.fromBytes).`);
  }
  return installed;
}

/** A whole file's bytes (an Arrow IPC or Parquet file is read from its footer end, so it is read whole). */
export async function readWholeFile(feature: string, path: string): Promise<Uint8Array> {
  const file = await platform(feature).openFile(path);
  const bytes = new Uint8Array(file.size);
  let at = 0;
  for await (const chunk of file.chunks) {
    if (at + chunk.length > bytes.length) throw new MemstoreError('IO', `Cannot read ${path}: it grew while being read.`);
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return at === bytes.length ? bytes : bytes.subarray(0, at);
}
