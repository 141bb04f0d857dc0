// What the Store's Arrow methods need, installed by importing `@memstore/core/arrow`
// (src/arrow/index.ts; the Node entry imports it): the default (browser) entry then never pulls
// Apache Arrow JS (~210 KB minified) into a page that does not use Arrow. Only types of
// apache-arrow are imported here and by store.ts.
import type { Table } from 'apache-arrow';
import { MemstoreUnsupportedError } from '../errors';
import type { Node } from '../schema/node';
import type { IPCFormat } from './ipc';

export interface ArrowSupport {
  toTable(root: Node, recordCount: number): Table;
  toIPC(root: Node, recordCount: number, format: IPCFormat): Uint8Array;
  /** The IPC bytes a record batch at a time (writeArrow). */
  ipcChunks(root: Node, recordCount: number, format: IPCFormat): Iterable<Uint8Array>;
  /** A table from outside: validated, then its records. */
  tableRecords(table: Table): unknown[];
  /** IPC bytes from outside: framing and arrays validated, then the records. */
  ipcRecords(bytes: Uint8Array): unknown[];
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
