// What the Store's Arrow (and Parquet) methods do, as one object that the entries install
// (arrow/index.ts, node.ts): no module-level side effect here, so the chunks that hold it stay
// free of side effects and a bundle of the default entry can drop them (package.json sideEffects
// names the entries only).
import { arrowBatches } from './fromArrow';
import { fromIPC, ipcChunks, toIPC } from './ipc';
import type { ArrowSupport } from './support';
import { readParquet } from '../parquet/read';
import { writeParquet } from '../parquet/write';
import { Table } from 'apache-arrow';
import { ArrowWriter, BATCH_ROWS, storeToArrow } from './toArrow';
import { validateTable } from './validate';

export const arrowImplementation: ArrowSupport = {
  toTable: storeToArrow,
  toIPC: (root, recordCount, format) => toIPC(new ArrowWriter(root), recordCount, format),
  ipcChunks: (root, recordCount, format) => ipcChunks(new ArrowWriter(root), recordCount, format),
  rangeTables: (root, target) => {
    const writer = new ArrowWriter(root, target);
    return function* (start, end) {
      // An empty range is one empty table: a file of no rows still has the schema.
      for (let at = start; at < end || at === start; at += BATCH_ROWS) yield new Table(writer.schema, [writer.batch(at, Math.min(end, at + BATCH_ROWS))]);
    };
  },
  tableBatches: (table) => {
    validateTable(table);
    return arrowBatches(table);
  },
  ipcBatches: (bytes) => arrowBatches(fromIPC(bytes)),
  writeParquet,
  readParquet,
};
