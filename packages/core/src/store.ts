import { Engine } from './engine';
import { MemstoreCapacityError, MemstoreDisposedError, MemstoreError, MemstoreParseError } from './errors';
import { parsePath, readPath, type Path } from './path';
import { platform } from './platform';
import { describeNode, type SchemaField } from './schema/describe';
import { allNodes, estimateStringBytes, planSchema, StructNode, type Node } from './schema/nodes';
import { observeRecords } from './schema/observe';
import type { MemoryReport, StoreOptions, ViewOf } from './types';
import { locateJsonError } from './util/jsonErrorPosition';
import { buildViews, disposeViews } from './view/record';
import { MAX_WASM_PAGES, WASM_PAGE_BYTES } from './wasm/abi';
import { instantiate } from './wasm/load';
import { QueryContext } from './query/context';
import { resolveTarget } from './query/target';
import { Predicate } from './query/predicate';
import { Selection } from './query/selection';
import { totals } from './query/aggregate';
import { Grouping } from './query/groupBy';
import { orderRows, type Direction } from './query/orderBy';
import { columnData, type ColumnData } from './query/columnData';

const MAX_MEMORY_BYTES = MAX_WASM_PAGES * WASM_PAGE_BYTES;

/**
 * A columnar store of JSON records in WebAssembly memory. Build one with `Store.fromRecords`
 * or `Store.fromJSON`; read records as views (`at`, iteration) or as plain objects (`toArray`).
 */
export class Store<T = unknown> implements Iterable<ViewOf<T>> {
  private readonly engine: Engine;
  private readonly root: Node;
  private readonly recordCount: number;
  private readonly viewClasses: Array<{ prototype: object }>;
  /** The root view class when every record is a non-null object: `at` skips presence checks. */
  private readonly rootView: (new (row: number) => object) | null;
  private schemaCache: SchemaField | null = null;
  private readonly query: QueryContext;

  private constructor(engine: Engine, root: Node, recordCount: number) {
    this.engine = engine;
    this.root = root;
    this.recordCount = recordCount;
    this.viewClasses = buildViews(root);
    const plainRoot = root instanceof StructNode && root.column.nulls === null;
    this.rootView = plainRoot ? (root as StructNode).viewClass : null;
    const View = this.rootView;
    this.query = new QueryContext(engine, root, recordCount, View !== null ? (row) => new View(row) : (row) => root.read(row));
  }

  /** Stores `records`: anything JSON.parse can produce (each element is one record). */
  static async fromRecords<T = unknown>(records: readonly T[], options: StoreOptions = {}): Promise<Store<T>> {
    if (!Array.isArray(records)) {
      throw new TypeError('Store.fromRecords takes an array of records; for a single record pass [record].');
    }
    const limitBytes = memoryLimit(options);
    const observed = observeRecords(records);
    const wasm = await instantiate(Math.floor(limitBytes / WASM_PAGE_BYTES));
    const engine = new Engine(wasm, limitBytes);
    const root = planSchema(engine, observed, records.length);
    const strings = estimateStringBytes(observed);
    const columnBytes = allNodes(root).reduce((sum, node) => sum + node.estimateBytes(), 0);
    const stringBytes = strings.bytes + (strings.count + 1) * 4 + strings.count * 8 + 64;
    engine.reserve(columnBytes + stringBytes, 'reserving memory for the store');
    if (!wasm.stringsReserve(strings.count, strings.bytes)) throw engine.capacityError('reserving the string table', stringBytes);
    root.createColumns();
    for (let i = 0; i < records.length; i++) root.write(records[i]);
    engine.finishIngest();
    return new Store<T>(engine, root, records.length);
  }

  /**
   * Stores the records of JSON text (a string, or UTF-8 bytes). A top-level array holds the
   * records; any other top-level value is one record.
   */
  static async fromJSON<T = unknown>(input: string | Uint8Array, options: StoreOptions = {}): Promise<Store<T>> {
    const text = typeof input === 'string' ? input : decodeUtf8(input);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw parseError(text, error);
    }
    return Store.fromRecords<T>(Array.isArray(value) ? value : [value as T], options);
  }

  /** Node only: reads a JSON file and stores its records, as `fromJSON`. */
  static async fromFile<T = unknown>(path: string, options: StoreOptions = {}): Promise<Store<T>> {
    const bytes = await platform('Store.fromFile').readFile(path);
    return Store.fromJSON<T>(bytes, options);
  }

  /** Number of records. */
  get length(): number {
    this.assertLive();
    return this.recordCount;
  }

  /** The inferred schema: a tree of fields with type, storage, nullability and cardinality. */
  get schema(): SchemaField {
    this.assertLive();
    return (this.schemaCache ??= describeNode(this.root));
  }

  /** The record at `index` (negative counts from the end) as a view, or undefined out of range. */
  at(index: number): ViewOf<T> | undefined {
    this.assertLive();
    let row = Math.trunc(index) || 0;
    if (row < 0) row += this.recordCount;
    if (row < 0 || row >= this.recordCount) return undefined;
    const View = this.rootView;
    return (View !== null ? new View(row) : this.root.read(row)) as ViewOf<T>;
  }

  /** The value at `path` of record `index`, as `store.at(index).get(path)`. */
  get(index: number, path: Path): unknown {
    this.assertLive();
    if (!Number.isInteger(index) || index < 0 || index >= this.recordCount) return undefined;
    return readPath(this.root, this.root, index, parsePath(path));
  }

  [Symbol.iterator](): IterableIterator<ViewOf<T>> {
    this.assertLive();
    return new RecordIterator(this.rootView, this.root, this.recordCount) as IterableIterator<ViewOf<T>>;
  }

  /** Every record as plain JSON values: deep-equal to what JSON.parse gave. */
  toArray(): T[] {
    this.assertLive();
    const records = new Array<T>(this.recordCount);
    for (let row = 0; row < this.recordCount; row++) records[row] = this.root.plain(row) as T;
    return records;
  }

  /**
   * The column at `path` as stored, without copying: typed-array views of its WASM buffers,
   * `{ codes, dictionary }` for strings, presence bitmaps, and `toArray()` for a plain copy.
   */
  column(path: Path): ColumnData {
    this.assertLive();
    return columnData(this.query, resolveTarget(this.root, path));
  }

  /** Starts a query: `store.where('product.name').eq('Duper')` is a Selection of matching records. */
  where(path: Path): Predicate<Selection<T>> {
    this.assertLive();
    const query = this.query;
    return new Predicate(resolveTarget(this.root, path), (leaf) => new Selection<T>(query, leaf));
  }

  /** Sum of the numbers present at `path` (list elements included); 0 when there are none. */
  sum(path: Path): number {
    this.assertLive();
    return totals(this.query, resolveTarget(this.root, path), 'sum', null).sum;
  }

  /** Smallest number present at `path`, or undefined when there is none. */
  min(path: Path): number | undefined {
    this.assertLive();
    return totals(this.query, resolveTarget(this.root, path), 'min', null).min;
  }

  /** Largest number present at `path`, or undefined when there is none. */
  max(path: Path): number | undefined {
    this.assertLive();
    return totals(this.query, resolveTarget(this.root, path), 'max', null).max;
  }

  /** Mean of the numbers present at `path`, or undefined when there is none. */
  mean(path: Path): number | undefined {
    this.assertLive();
    const { sum, count } = totals(this.query, resolveTarget(this.root, path), 'mean', null);
    return count === 0 ? undefined : sum / count;
  }

  /** Groups records by the value at `path` (null for null and missing), in first-seen order. */
  groupBy<K = unknown>(path: Path): Grouping<K> {
    this.assertLive();
    return new Grouping<K>(this.query, resolveTarget(this.root, path), null);
  }

  /** Row indices ordered by the value at `path`: stable, nulls and missing last. */
  orderBy(path: Path, direction: Direction = 'asc'): Uint32Array {
    this.assertLive();
    return orderRows(this.query, resolveTarget(this.root, path), direction, null);
  }

  /** What the store holds, per column and for the string table, against its reserved memory. */
  memory(): MemoryReport {
    const wasm = this.engine.exports;
    const columns = allNodes(this.root).map((node) => ({
      path: node.path === '' ? '(records)' : node.path,
      type: node.schemaType,
      bytes: wasm.columnBytes(node.column.handle) >>> 0,
    }));
    const strings = { count: wasm.stringCount() >>> 0, bytes: wasm.stringTableBytes() >>> 0 };
    const totalBytes = columns.reduce((sum, column) => sum + column.bytes, 0) + strings.bytes;
    return { totalBytes, reservedBytes: this.engine.reservedBytes, columns, strings };
  }

  /** Drops the WASM instance so its memory can be reclaimed; later use of the store or its views throws. */
  dispose(): void {
    if (this.engine.disposed) return;
    this.engine.dispose();
    disposeViews(this.viewClasses);
  }

  get disposed(): boolean {
    return this.engine.disposed;
  }

  private assertLive(): void {
    if (this.engine.disposed) throw new MemstoreDisposedError();
  }
}

function memoryLimit(options: StoreOptions): number {
  const limit = options.maxMemoryBytes ?? MAX_MEMORY_BYTES;
  if (typeof limit !== 'number' || !(limit > 0)) throw new TypeError('maxMemoryBytes must be a positive number of bytes.');
  if (limit < 2 * WASM_PAGE_BYTES) {
    throw new MemstoreCapacityError(`maxMemoryBytes ${limit} is below the 128 KiB a store needs to start.`, limit);
  }
  return Math.min(limit, MAX_MEMORY_BYTES);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    // Binary search for the longest valid prefix (failure path only), to name the bad byte.
    let low = 0;
    let high = bytes.length;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
        low = middle;
      } catch {
        high = middle - 1;
      }
    }
    const valid = low;
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, valid), { stream: true });
    const line = prefix.split('\n').length;
    const column = prefix.length - prefix.lastIndexOf('\n');
    throw new MemstoreParseError(
      `Invalid UTF-8 at byte ${valid} (line ${line}, column ${column}): JSON text must be UTF-8.`,
      { offset: valid, line, column },
      { cause: error },
    );
  }
}

function parseError(text: string, error: unknown): MemstoreError {
  const position = locateJsonError(text);
  if (position === null) {
    return new MemstoreParseError(`Invalid JSON: ${(error as Error).message}`, {}, { cause: error });
  }
  const { offset, line, column, reason, snippet } = position;
  return new MemstoreParseError(
    `Invalid JSON at byte ${offset} (line ${line}, column ${column}): ${reason}, near ${JSON.stringify(snippet)}.`,
    { offset, line, column },
    { cause: error },
  );
}

/** A class, not a generator: V8 optimises its next() better inside for-of loops. */
class RecordIterator implements IterableIterator<unknown> {
  private row = 0;
  constructor(
    private readonly View: (new (row: number) => object) | null,
    private readonly root: Node,
    private readonly count: number,
  ) {}

  next(): IteratorResult<unknown> {
    const row = this.row;
    if (row >= this.count) return { value: undefined, done: true };
    this.row = row + 1;
    const View = this.View;
    return { value: View !== null ? new View(row) : this.root.read(row), done: false };
  }

  [Symbol.iterator](): this {
    return this;
  }
}
