// @memstore/core: the public API, for every platform. Node adds file reading (src/node.ts).
export { Store } from './store';
export type { LoadOptions, AppendResult, FileLoadOptions, DatasetOptions } from './store';
export type { FileFormat } from './ingest/options';
export { fileFormatOf } from './ingest/options';
export type { ParseOptions, Progress, SkippedRecord, InputFormat } from './ingest/parse';
export type { StreamSource } from './ingest/source';
export { ListView } from './view/list';
export { Selection } from './query/selection';
export { Predicate, LengthPredicate } from './query/predicate';
export { field, Field } from './query/field';
export { Grouping } from './query/groupBy';
export { GroupMap, canonicalKey } from './query/groupMap';
export { LazyValues } from './query/lazyValues';
export type { ColumnData } from './query/columnData';
export type { Direction, OrderOptions } from './query/orderBy';
export { formatSchema } from './schema/describe';
export type { SchemaField, SchemaType, SchemaStorage } from './schema/describe';
export type { MemoryReport, RecordView, StoreOptions, ViewMethods, ViewOf } from './types';
export { EACH, KEYS, VALUES, parsePath, printPath } from './path';
export type { Path, PathStep } from './path';
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
  MemstoreAbortedError,
  MemstoreFormatError,
} from './errors';
export type { MemstoreErrorCode } from './errors';
export type { ParquetWriteOptions, ParquetCompression } from './parquet/options';
export type { JsonTextFormat } from './output/jsonText';
export { exactStringify } from './util/exactJson';
