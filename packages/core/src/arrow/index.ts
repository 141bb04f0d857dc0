// @memstore/core/arrow: importing it once gives every Store its Arrow methods (toArrow,
// toArrowIPC, writeArrow, Store.fromArrow, fromArrowIPC, fromFile of .arrow / .arrows) by
// installing this implementation (support.ts). The Node entry imports it; in a browser, import
// it where Arrow is used, so pages without Arrow load no Apache Arrow JS.
import { arrowRecords } from './fromArrow';
import { fromIPC, ipcChunks, toIPC } from './ipc';
import { installArrow } from './support';
import { ArrowWriter, storeToArrow } from './toArrow';
import { validateTable } from './validate';

installArrow({
  toTable: storeToArrow,
  toIPC: (root, recordCount, format) => toIPC(new ArrowWriter(root), recordCount, format),
  ipcChunks: (root, recordCount, format) => ipcChunks(new ArrowWriter(root), recordCount, format),
  tableRecords: (table) => {
    validateTable(table);
    return arrowRecords(table);
  },
  ipcRecords: (bytes) => arrowRecords(fromIPC(bytes)),
});

export type { IPCFormat } from './ipc';
