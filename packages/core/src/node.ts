// @memstore/core for Node.js (package `exports` condition "node"): the same API as the default
// entry, with Store.fromFile able to read files.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { MemstoreError } from './errors';
import { installPlatform } from './platform';
import { sliceBytesFor } from './ingest/parse';

installPlatform({
  openFile: async (path) => {
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      size = info.size;
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new MemstoreError('IO', `Cannot read ${path}: ${reason}.`, { cause: error });
    }
    // Chunks of up to 1 MiB: large enough to keep the parser's per-call cost negligible, and
    // smaller for small files (the parser's input buffer is sized by them).
    return { size, chunks: createReadStream(path, { highWaterMark: sliceBytesFor(size) }) };
  },
});

export { Store } from './store';
export type { LoadOptions, AppendResult } from './store';
export type { ParseOptions, Progress, SkippedRecord, InputFormat } from './ingest/parse';
export type { StreamSource } from './ingest/source';
export { ListView } from './view/list';
export { Selection } from './query/selection';
export { Predicate, LengthPredicate } from './query/predicate';
export { Grouping } from './query/groupBy';
export { LazyValues } from './query/lazyValues';
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
