// The Store: one store's public API — loads, appends, reads, queries, files. What a store holds
// and how it changes (the engine, the snapshot every read uses, the transactions) is StoreCore's
// (storeCore.ts); loads and appends parse through ingest/, reads go through view/, queries
// through query/, files through persist/, arrow/ and parquet/.
import { createEngine, type Engine } from './engine';
import { MemstoreInputError } from './errors';
import { parsePath, type Path } from './path';
import { checkPath, readPath } from './readPath';
import { platform, readWholeFile } from './platform';
import { describeNode, type SchemaField } from './schema/describe';
import type { Node } from './schema/node';
import { storeRecords } from './ingest/records';
import type { MemoryReport, StoreOptions, ViewOf } from './types';
import { disposeViews } from './view/record';
import { readRecord } from './view/plainRecord';
import { RecordIterator } from './view/iterator';
import { memoryReport, storeSummary } from './memoryReport';
import { INSPECT } from './view/symbols';
import { Predicate } from './query/predicate';
import type { Selection } from './query/selection';
import { totals } from './query/aggregate';
import { Grouping } from './query/groupBy';
import { orderRows, type Direction, type OrderOptions } from './query/orderBy';
import { jsonTextChunks, type JsonTextFormat } from './output/jsonText';
import { columnData, type ColumnData } from './query/columnData';
import { LazyValues } from './query/lazyValues';
import { Ingest, type ParseOptions } from './ingest/parse';
import { isStreamSource, STREAM_SOURCES, toChunks, type StreamSource } from './ingest/source';
import { checkOptions, fileFormatOf, type FileFormat } from './ingest/options';
import type { Table } from 'apache-arrow';
import type { IPCFormat } from './arrow/ipc';
import { arrowSupport, ipcFormat } from './arrow/support';
import type { ParquetWriteOptions } from './parquet/options';
import { datasetPartitions, partitionPaths, partitions, recordsByPartition } from './parquet/partitions';
import { argumentError, optionsObject } from './util/argumentError';
import { isBytes } from './util/isBytes';
import { bytesSource, readMsx } from './persist/read';
import { fileBytes, planFile, writeFile } from './persist/write';
import { fileMeta, type FileMeta } from './persist/format';
import { StoreCore, type AppendResult } from './storeCore';

/** Options of fromJSON / fromStream / fromFile / append. */
export interface LoadOptions extends StoreOptions, ParseOptions {}

/** Options of fromFile: a load's, with the formats only a file has (`'msx'`: a saved store). */
export interface FileLoadOptions extends Omit<LoadOptions, 'format'> {
  format?: FileFormat;
}

/** Options of store.writeDataset: the partition paths, the format (Parquet), and the Parquet writer's options. */
export interface DatasetOptions extends ParquetWriteOptions {
  partitionBy: Path[];
  format?: 'parquet';
}

export type { AppendResult } from './storeCore';

/**
 * A columnar store of JSON records in WebAssembly memory. Build one with `Store.fromRecords`,
 * `Store.fromJSON`, `Store.fromStream` or `Store.fromFile`; read records as views (`at`,
 * iteration) or as plain objects (`toArray`); query with `where`, aggregates, `groupBy`.
 */
export class Store<T = unknown> extends StoreCore implements Iterable<ViewOf<T>> {
  private constructor(engine: Engine, root?: Node) {
    super(engine, root);
  }

  /** Stores `records`: anything JSON.parse can produce (each element is one record). */
  static async fromRecords<T = unknown>(records: readonly T[], options?: StoreOptions): Promise<Store<T>> {
    if (!Array.isArray(records)) throw argumentError('records', 'an array of records (for a single record, pass [record])', records);
    const engine = await createEngine(optionsObject(options));
    const root = storeRecords(engine, records, null);
    engine.finishIngest();
    return new Store<T>(engine, root).fitted();
  }

  /**
   * Stores the records of JSON text (a string, or UTF-8 bytes), parsed in WebAssembly straight
   * into columns. `format: 'json'` (default): a top-level array holds the records, any other
   * top-level value is one record. `format: 'ndjson'` / `'jsonl'`: one record per line.
   */
  static async fromJSON<T = unknown>(input: string | Uint8Array, options?: LoadOptions): Promise<Store<T>> {
    if (typeof input !== 'string' && !isBytes(input)) throw argumentError('input', 'JSON text: a string or UTF-8 bytes (Uint8Array)', input);
    const given = optionsObject(options);
    const checked = checkOptions(given);
    const engine = await createEngine(given);
    const totalBytes = typeof input === 'string' ? undefined : input.length;
    const ingest = new Ingest(engine, checked, totalBytes, typeof input === 'string');
    ingest.runWhole(input);
    engine.finishIngest();
    return new Store<T>(engine).keyedBy(checked).fitted();
  }

  /**
   * Stores the records of a stream of UTF-8 JSON or NDJSON: a Node Readable, a web
   * ReadableStream, or any (async) iterable of Uint8Array chunks, split anywhere.
   */
  static async fromStream<T = unknown>(source: StreamSource, options?: LoadOptions & { totalBytes?: number }): Promise<Store<T>> {
    const chunks = toChunks(source, 'source');
    const given = optionsObject(options);
    const checked = checkOptions(given);
    const engine = await createEngine(given);
    const ingest = new Ingest(engine, checked, checked.totalBytes, false);
    await ingest.run(chunks, 'source');
    engine.finishIngest();
    return new Store<T>(engine).keyedBy(checked).fitted();
  }

  /**
   * Node only: streams a file into a store; the format comes from the extension (.ndjson, .jsonl;
   * .msx: a saved store, as Store.load; .arrow, .arrows: Arrow IPC; .parquet) or `format`.
   */
  static async fromFile<T = unknown>(path: string, options?: FileLoadOptions): Promise<Store<T>> {
    if (typeof path !== 'string') throw argumentError('path', 'a file path (a string)', path);
    const given = optionsObject(options);
    const format = given.format ?? fileFormatOf(path);
    if (format === 'msx' || format === 'arrow' || format === 'parquet') {
      // A saved store, an Arrow or a Parquet file is read whole, as written: the options that shape a parse do not apply.
      const parsing = (['pointer', 'keyAs', 'onError', 'onSkip'] as const).find((name) => given[name] !== undefined);
      if (parsing !== undefined) throw new MemstoreInputError(`options.${parsing} applies to JSON input; ${path} is ${format === 'msx' ? 'a saved store (.msx), read as saved' : `${format === 'arrow' ? 'Arrow IPC' : 'Parquet'}, read as written`}.`, `options.${parsing}`);
      if (format === 'msx') return Store.load<T>(path, given);
      const bytes = await readWholeFile('Store.fromFile', path);
      return format === 'arrow' ? Store.fromArrowIPC<T>(bytes, given) : Store.fromParquet<T>(bytes, given);
    }
    checkOptions({ ...given, format }); // before the file is opened
    const file = await platform('Store.fromFile').openFile(path);
    return Store.fromStream<T>(file.chunks, { ...given, format, totalBytes: file.size });
  }

  /**
   * A store saved by `store.toBytes()` or `store.save()` (the bytes of a .msx file), on every
   * platform. Nothing in the bytes is trusted: a file that is not a whole, valid .msx is a
   * MemstoreFormatError naming the block, field and byte at fault. `maxMemoryBytes` applies.
   */
  static async fromBytes<T = unknown>(bytes: Uint8Array, options?: StoreOptions): Promise<Store<T>> {
    if (!isBytes(bytes)) throw argumentError('bytes', 'the bytes of a saved store (a Uint8Array from store.toBytes())', bytes);
    return Store.restored<T>(await readMsx(bytesSource(bytes), optionsObject(options)));
  }

  /**
   * Node only: a store saved by `store.save(path)` (a .msx file), read footer first and each
   * block straight into the store's memory; checked as fromBytes checks. A file larger than
   * `maxMemoryBytes` is a MemstoreCapacityError before anything is read.
   */
  static async load<T = unknown>(path: string, options?: StoreOptions): Promise<Store<T>> {
    if (typeof path !== 'string') throw argumentError('path', 'a file path (a string)', path);
    const given = optionsObject(options);
    const file = await platform('Store.load').openRandomAccess(path);
    try {
      return await Store.restored<T>(await readMsx(file, given));
    } finally {
      await file.close();
    }
  }

  /** A store over an engine a .msx file was read into. */
  private static restored<T>({ engine, meta }: { engine: Engine; meta: FileMeta }): Promise<Store<T>> {
    const store = new Store<T>(engine);
    for (const key of meta.keyFields) store.keyFields.add(key);
    return store.fitted();
  }

  /** The store as the bytes of a .msx file (MSX.md), which `Store.fromBytes` reads back: the same records, schema and storage. */
  toBytes(): Uint8Array {
    this.assertLive();
    return fileBytes(this.engine, planFile(this.engine, fileMeta(this.state.recordCount, this.keyFields)));
  }

  /**
   * Node only: saves the store as a .msx file at `path`, streamed block by block from its
   * memory, atomically: a temporary file in the same folder, fsynced, renamed over `path`, so a
   * crash mid-save leaves the old file (or none), never a half-written one. Appends wait for it.
   */
  async save(path: string): Promise<void> {
    this.assertLive();
    if (typeof path !== 'string') throw argumentError('path', 'a file path (a string)', path);
    const files = platform('store.save');
    await this.exclusively(async () => {
      const plan = planFile(this.engine, fileMeta(this.state.recordCount, this.keyFields));
      await files.writeFileAtomic(path, (sink) => writeFile(this.engine, plan, sink));
    });
  }

  /**
   * A store of an Arrow table's rows (any producer's: ARROW.md says how each Arrow type reads),
   * exact for a table `toArrow()` wrote. The table is validated first (MemstoreFormatError).
   */
  static async fromArrow<T = unknown>(table: Table, options?: StoreOptions): Promise<Store<T>> {
    if (typeof table !== 'object' || table === null || !Array.isArray((table as Table).batches)) throw argumentError('table', 'an Apache Arrow Table', table);
    return Store.fromBatches<T>(arrowSupport('Store.fromArrow').tableBatches(table), options);
  }

  /**
   * A store of records that come a batch at a time (an Arrow table's record batches): the first
   * batch makes the store, each next one is appended, so the JS heap holds one batch's records —
   * a Parquet file of 20M records converts under a 256 MiB heap.
   */
  private static async fromBatches<T>(batches: Iterable<unknown[]>, options?: StoreOptions): Promise<Store<T>> {
    const iterator = batches[Symbol.iterator]();
    const first = iterator.next();
    const store = await Store.fromRecords<T>((first.done ? [] : first.value) as T[], options);
    try {
      for (let next = iterator.next(); !next.done; next = iterator.next()) await store.append(next.value);
    } catch (error) {
      store.dispose();
      throw error;
    }
    return store;
  }

  /** A store of Arrow IPC bytes (a file or a stream), which are checked before anything is trusted (MemstoreFormatError). */
  static async fromArrowIPC<T = unknown>(bytes: Uint8Array, options?: StoreOptions): Promise<Store<T>> {
    if (!isBytes(bytes)) throw argumentError('bytes', 'Arrow IPC bytes (a Uint8Array)', bytes);
    return Store.fromBatches<T>(arrowSupport('Store.fromArrowIPC').ipcBatches(bytes), options);
  }
  /**
   * A store of a Parquet file's rows (its bytes): the file is validated first (MemstoreFormatError),
   * read as an Arrow table (PARQUET.md: what each Parquet type reads as), then as Store.fromArrow
   * reads it, so a file `toParquet` wrote comes back exact. The Parquet library loads on first use.
   */
  static async fromParquet<T = unknown>(bytes: Uint8Array, options?: StoreOptions): Promise<Store<T>> {
    if (!isBytes(bytes)) throw argumentError('bytes', 'the bytes of a Parquet file (a Uint8Array; Store.fromFile reads a .parquet path)', bytes);
    return Store.fromArrow<T>(await arrowSupport('Store.fromParquet').readParquet(bytes), options);
  }

  /**
   * Adds records: JSON text, bytes, a stream (as fromStream), or an array of records. All or
   * nothing: on an error or abort the store is as it was before the call — records, schema
   * (fields, kinds, map or struct), dictionaries and strings; only a storage width widened
   * along the way (int8 to int16, say) may stay, which changes no value. Appends, saves and file
   * writes run one after another; while an append is being parsed (a stream's chunks awaited, its
   * onProgress or onSkip called) the store and what it handed out refuse to be read
   * (MemstoreUnsupportedError): await the append first.
   */
  async append(input: string | Uint8Array | StreamSource | readonly unknown[], options?: ParseOptions & { totalBytes?: number }): Promise<AppendResult> {
    this.assertLive();
    if (typeof input !== 'string' && !isBytes(input) && !Array.isArray(input) && !isStreamSource(input)) {
      throw argumentError('input', `JSON text (a string or UTF-8 bytes), an array of records, or ${STREAM_SOURCES}`, input);
    }
    const checked = checkOptions(optionsObject(options));
    // Appends share the store's one parser: one started while another awaited its stream used
    // to interleave with it (nonsense parse errors, a WASM out-of-bounds trap). They queue.
    return this.exclusively(() => this.appendNow(input, checked));
  }

  /** Number of records. */
  get length(): number {
    this.assertLive();
    return this.state.recordCount;
  }

  /** The inferred schema: a tree of fields with type, storage, nullability and cardinality. */
  get schema(): SchemaField {
    this.assertLive();
    return (this.state.schema ??= describeNode(this.state.root, this.keyFields));
  }

  /** The record at `index` (negative counts from the end) as a view, or undefined out of range. */
  at(index: number): ViewOf<T> | undefined {
    // One bounds check on the common path; everything else (negative or out-of-range index,
    // records that are not all objects, a disposed store) goes to atSlow. A shape for V8, kept
    // because it pays on a loop users run: with those cases inline, reading every record through
    // at(i) took 2-2.5x as long (packages/bench/results/v8-shapes.md).
    const row = Math.trunc(index) || 0;
    const state = this.state;
    if (row >= 0 && row < state.viewRows) return state.struct!.makeView(row) as ViewOf<T>;
    return this.atSlow(index);
  }

  private atSlow(index: number): ViewOf<T> | undefined {
    this.assertLive();
    let row = Math.trunc(index) || 0;
    if (row < 0) row += this.state.recordCount;
    if (row < 0 || row >= this.state.recordCount) return undefined;
    const make = this.rootView();
    return (make !== null ? make(row) : readRecord(this.state.root, row)) as ViewOf<T>;
  }

  /** The value at `path` of record `index`, as `store.at(index).get(path)`. */
  get(index: number, path: Path): unknown {
    this.assertLive();
    // Indexed as `at` indexes (negative counts from the end), as the doc above promises; this
    // used to return undefined for every negative index, where store.at(-1).get(path) did not.
    let row = Math.trunc(index) || 0;
    if (row < 0) row += this.state.recordCount;
    if (row < 0 || row >= this.state.recordCount) return undefined;
    return readPath(this.state.root, this.state.root, row, parsePath(path));
  }

  /** The records held now, in order, as `at(i)` gives them (an append after this call is not iterated); the `done` step carries the last record again (for…of, spread and `Array.from` ignore it). */
  [Symbol.iterator](): IterableIterator<ViewOf<T>> {
    this.assertLive();
    return new RecordIterator(this.engine, this.rootView(), this.state.root, this.state.recordCount) as IterableIterator<ViewOf<T>>;
  }

  /** Every record as plain JSON values: deep-equal to what JSON.parse gave. */
  toArray(): T[] {
    this.assertLive();
    const records = new Array<T>(this.state.recordCount);
    for (let row = 0; row < this.state.recordCount; row++) records[row] = this.state.root.plain(row) as T;
    return records;
  }

  /**
   * The column at `path` as stored, without copying: typed-array views of its WASM buffers,
   * `{ codes, dictionary }` for strings, presence bitmaps, and `toArray()` for a plain copy.
   */
  column(path: Path): ColumnData {
    this.assertLive();
    const target = this.state.query.target(path);
    // The working memory is made first (it is made on first use, and may grow memory): no query
    // after this call grows memory, so the views it hands out stay valid across queries.
    void this.working.workspace;
    return columnData(target);
  }

  /**
   * The value at `path` of every record, as a lazy list (`length`, `at(i)`, iteration,
   * `toArray()`): no per-record work happens until an element is read.
   */
  values<V = unknown>(path: Path): LazyValues<V> {
    this.assertLive();
    const keys = parsePath(path);
    checkPath(this.state.root, keys); // unknown paths fail now, not on first read
    return new LazyValues<V>(this.state.root, keys, this.state.recordCount);
  }

  /** Starts a query: `store.where('product.name').eq('Duper')` is a Selection of matching records. */
  where(path: Path): Predicate<Selection<T>> {
    this.assertLive();
    const query = this.state.query;
    return new Predicate<Selection<T>>(query, query.target(path));
  }

  /** Sum of the numbers present at `path` (list elements included); 0 when there are none. */
  sum(path: Path): number {
    this.assertLive();
    return totals(this.state.query, this.state.query.target(path), 'sum', null).sum;
  }

  /** Smallest number present at `path`, or undefined when there is none. */
  min(path: Path): number | undefined {
    this.assertLive();
    return totals(this.state.query, this.state.query.target(path), 'min', null).min;
  }

  /** Largest number present at `path`, or undefined when there is none. */
  max(path: Path): number | undefined {
    this.assertLive();
    return totals(this.state.query, this.state.query.target(path), 'max', null).max;
  }

  /** Mean of the numbers present at `path`, or undefined when there is none. */
  mean(path: Path): number | undefined {
    this.assertLive();
    const { sum, count } = totals(this.state.query, this.state.query.target(path), 'mean', null);
    return count === 0 ? undefined : sum / count;
  }

  /**
   * Groups records by the value at `path` (null for null and missing), in first-seen order.
   * Struct, list, map and mixed values group by deep equality (a GroupMap: `get` takes an equal
   * value). Several paths group by their combination: each key is the array of the paths' values
   * (`groupBy('a', 'b').count().get(['x', 'y'])`); an array argument is one path of keys.
   */
  groupBy<K = unknown>(...paths: Path[]): Grouping<K> {
    this.assertLive();
    const query = this.state.query;
    return new Grouping<K>(query, paths.map((path) => query.target(path)), null);
  }

  /** The distinct values at `path` in first-seen order (deep equality; null once for null and missing): groupBy(path)'s keys. */
  distinct<V = unknown>(path: Path): (V | null)[] {
    this.assertLive();
    return new Grouping(this.state.query, [this.state.query.target(path)], null).groupKeys() as (V | null)[];
  }

  /**
   * Row indices ordered by the value at `path`: stable, nulls and missing last. `{ limit: k }`:
   * the first k of that order (top-k without sorting every row). A mixed column orders by kind
   * (booleans, numbers, strings, lists, objects), then by value.
   */
  orderBy(path: Path, direction: Direction = 'asc', options?: OrderOptions): Uint32Array {
    this.assertLive();
    return orderRows(this.state.query, this.state.query.target(path), direction, null, options);
  }

  /** The records as an Apache Arrow Table: typed columns, dictionaries handed over, the mapping in field metadata (ARROW.md). */
  toArrow(): Table {
    this.assertLive();
    return arrowSupport('store.toArrow').toTable(this.state.root, this.state.recordCount);
  }

  /** The records as Arrow IPC bytes: `format` 'file' (default, `.arrow`) or 'stream' (`.arrows`). */
  toArrowIPC(options?: { format?: IPCFormat }): Uint8Array {
    this.assertLive();
    const format = ipcFormat(optionsObject(options).format, 'file');
    return arrowSupport('store.toArrowIPC').toIPC(this.state.root, this.state.recordCount, format);
  }

  /**
   * Node only: writes the records as Arrow IPC, a record batch at a time, atomically as save()
   * writes (appends wait for it); `format` defaults by extension (`.arrows`: stream, else file).
   */
  async writeArrow(path: string, options?: { format?: IPCFormat }): Promise<void> {
    this.assertLive();
    if (typeof path !== 'string') throw argumentError('path', 'a file path (a string)', path);
    const format = ipcFormat(optionsObject(options).format, /\.arrows$/i.test(path) ? 'stream' : 'file');
    const files = platform('store.writeArrow');
    await this.exclusively(async () => {
      const chunks = arrowSupport('store.writeArrow').ipcChunks(this.state.root, this.state.recordCount, format);
      await files.writeFileAtomic(path, async (sink) => {
        for await (const chunk of chunks) await sink(chunk);
      });
    });
  }
  /**
   * Node only: writes the records as JSON text, exact (`-0`, lone surrogates and every key as
   * JSON.parse gave them): `format` 'json' (an array of records; the default, and for `.ndjson` /
   * `.jsonl` paths 'ndjson') or 'ndjson' (one record per line). Streamed a batch of records at a
   * time, atomically as save() writes (appends wait for it).
   */
  async writeJSON(path: string, options?: { format?: JsonTextFormat }): Promise<void> {
    this.assertLive();
    if (typeof path !== 'string') throw argumentError('path', 'a file path (a string)', path);
    const format = optionsObject(options).format ?? (/\.(ndjson|jsonl)$/i.test(path) ? 'ndjson' : 'json');
    if (format !== 'json' && format !== 'ndjson') throw argumentError('options.format', "'json' or 'ndjson'", format);
    const files = platform('store.writeJSON');
    await this.exclusively(() =>
      files.writeFileAtomic(path, async (sink) => {
        for (const chunk of jsonTextChunks(this.state.root, this.state.recordCount, format)) await sink(chunk);
      }),
    );
  }

  /** The records as the bytes of a Parquet file (PARQUET.md), everywhere; the Parquet library loads on first use. */
  toParquetBytes(options?: ParquetWriteOptions): Promise<Uint8Array> {
    this.assertLive();
    const arrow = arrowSupport('store.toParquetBytes');
    return arrow.writeParquet(arrow.toTable(this.state.root, this.state.recordCount, 'parquet'), options);
  }

  /**
   * Node only: writes the records as a Parquet file (`compression`: 'snappy' by default, 'zstd'…;
   * `rowGroupSize`), a record batch at a time, atomically as save() writes (appends wait for it).
   * Nested objects are groups, lists LISTs, dictionary columns stay dictionary-encoded.
   */
  async toParquet(path: string, options?: ParquetWriteOptions): Promise<void> {
    this.assertLive();
    if (typeof path !== 'string') throw argumentError('path', 'a file path (a string)', path);
    const files = platform('store.toParquet');
    await this.exclusively(() => files.writeParquetFile(path, arrowSupport('store.toParquet').rangeTables(this.state.root, 'parquet')(0, this.state.recordCount), options));
  }

  /**
   * Node only: a Hive-partitioned folder of Parquet files, one folder per distinct combination of
   * the `partitionBy` paths' values (`dir/product.name=Duper/part-0.parquet`; null and missing:
   * `__HIVE_DEFAULT_PARTITION__`), which engines read as one table. Every file has the same schema,
   * the partition fields kept in it too. Returns the files written.
   */
  async writeDataset(dir: string, options: DatasetOptions): Promise<string[]> {
    this.assertLive();
    if (typeof dir !== 'string') throw argumentError('dir', 'a folder path (a string)', dir);
    const { partitionBy, format, ...write } = optionsObject(options) as Partial<DatasetOptions>;
    if ((format ?? 'parquet') !== 'parquet') throw argumentError('options.format', "'parquet'", format);
    const paths = partitionPaths(partitionBy);
    const files = platform('store.writeDataset');
    return this.exclusively(async () => {
      const parts = partitions(this, paths);
      const grouped = await Store.fromRecords(recordsByPartition(this.state.root, parts));
      try {
        const dataset = datasetPartitions(parts, arrowSupport('store.writeDataset').rangeTables(grouped.state.root, 'parquet'));
        return await files.writeDataset(dir, dataset, write);
      } finally {
        grouped.dispose();
      }
    });
  }

  /** What the store holds, per column and for the string table, against its reserved memory. */
  memory(): MemoryReport {
    this.assertLive();
    return memoryReport(this.engine, this.state.root, this.working.bytes);
  }

  /** Drops the WASM instance so its memory can be reclaimed; later use of the store or its views throws. */
  dispose(): void {
    if (this.engine.disposed) return;
    this.state.viewRows = 0;
    this.engine.dispose();
    disposeViews(this.engine.viewClasses);
  }

  get disposed(): boolean {
    return this.engine.disposed;
  }

  /** util.inspect / console.log: records, columns and memory on one line, not the engine's internals. */
  [INSPECT](): string {
    return this.engine.disposed ? '[disposed memstore store]' : storeSummary(this.state.recordCount, this.memory());
  }
}
