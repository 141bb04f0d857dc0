// @memstore/core/arrow: importing it once gives every Store its Arrow methods (toArrow,
// toArrowIPC, writeArrow, Store.fromArrow, fromArrowIPC, fromFile of .arrow / .arrows) and its
// Parquet ones, which are built on them (toParquetBytes, Store.fromParquet; the Parquet library
// itself loads on first use), by installing this implementation (support.ts). The Node entry
// imports it; in a browser, import it where Arrow or Parquet is used, so pages without them load
// no Apache Arrow JS.
import { arrowImplementation } from './implementation';
import { installArrow } from './support';

installArrow(arrowImplementation);

export { readParquet } from '../parquet/read';
export { writeParquet } from '../parquet/write';
export type { IPCFormat } from './ipc';
