// What the Store's Arrow methods need, installed by importing `@memstore/core/arrow`
// (src/arrow/index.ts; the Node entry imports it): the default (browser) entry then never pulls
// Apache Arrow JS (~210 KB minified) into a page that does not use Arrow. Only types of
// apache-arrow are imported here and by store.ts.
import type { Table } from 'apache-arrow';
import { MemstoreUnsupportedError } from '../errors';
import { argumentError } from '../util/argumentError';
import type { Node } from '../schema/node';
import type { IPCFormat } from './ipc';
import type { ArrowTarget } from './toArrow';
import type { ParquetWriteOptions } from '../parquet/options';

export interface ArrowSupport {
  /** `target` 'parquet': Arrow that Parquet can hold (toArrow.ts ArrowTarget). */
  toTable(root: Node, recordCount: number, target?: ArrowTarget): Table;
  toIPC(root: Node, recordCount: number, format: IPCFormat): Uint8Array;
  /** The IPC bytes a record batch at a time (writeArrow). */
  ipcChunks(root: Node, recordCount: number, format: IPCFormat): Iterable<Uint8Array>;
  /**
   * Tables of one schema (the store's), each a record batch of records [start, end) at most
   * BATCH_ROWS long: the Parquet writers take them a row group at a time.
   */
  rangeTables(root: Node, target?: ArrowTarget): (start: number, end: number) => Iterable<Table>;
  /** Parquet bytes of a table (parquet/write.ts; the Parquet library loads on first use). */
  writeParquet(table: Table, options?: ParquetWriteOptions): Promise<Uint8Array>;
  /** A Parquet file's bytes, validated, as a table (parquet/read.ts). */
  readParquet(bytes: Uint8Array): Promise<Table>;
  /** A table from outside: validated, then its records a record batch at a time. */
  tableBatches(table: Table): Iterable<unknown[]>;
  /** IPC bytes from outside: framing and arrays validated, then the records a record batch at a time. */
  ipcBatches(bytes: Uint8Array): Iterable<unknown[]>;
}

let installed: ArrowSupport | null = null;

export function installArrow(support: ArrowSupport): void {
  installed = support;
}

export function arrowSupport(feature: string): ArrowSupport {
  if (installed === null) {
    throw new MemstoreUnsupportedError(`${feature} needs Apache Arrow: import '@memstore/core/arrow' once before using it (Node's entry does this itself).`);
  }
  return installed;
}

/** An IPC `format` option checked: 'file' or 'stream', `fallback` when not given. */
export function ipcFormat(format: unknown, fallback: IPCFormat): IPCFormat {
  if (format === undefined) return fallback;
  if (format !== 'file' && format !== 'stream') throw argumentError('options.format', "'file' or 'stream'", format);
  return format;
}
