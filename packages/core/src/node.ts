// @memstore/core for Node.js (package `exports` condition "node"): the same API as the default
// entry, with Store.fromFile able to read files.
import { readFile } from 'node:fs/promises';
import { installPlatform } from './platform';

installPlatform({
  readFile: async (path) => {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  },
});

export { Store } from './store';
export { ListView } from './view/list';
export { Selection } from './query/selection';
export { Predicate, LengthPredicate } from './query/predicate';
export { Grouping } from './query/groupBy';
export type { ColumnData } from './query/columnData';
export type { Direction } from './query/orderBy';
export { formatSchema } from './schema/describe';
export type { SchemaField, SchemaType, SchemaStorage } from './schema/describe';
export type { MemoryReport, RecordView, StoreOptions, ViewMethods, ViewOf } from './types';
export type { Path } from './path';
export { MAX_DEPTH } from './schema/observe';
export {
  MemstoreError,
  MemstoreParseError,
  MemstoreInputError,
  MemstoreDepthError,
  MemstoreCapacityError,
  MemstoreDisposedError,
  MemstorePathError,
  MemstoreUnsupportedError,
  MemstoreQueryError,
} from './errors';
export type { MemstoreErrorCode } from './errors';
