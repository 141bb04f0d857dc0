// Types of what a Store<T> hands out: record views mirror T's shape.
import type { ListView } from './view/list';
import type { Path } from './path';

/** The methods every record view has; they win over record keys of the same name. */
export interface ViewMethods<T> {
  /** The value at `path` (array of keys, or a string split on '.'); undefined when absent. */
  get(path: Path): unknown;
  /** The record as a plain object, deep-equal to what JSON.parse gave. */
  toJSON(): T;
}

type Primitive = string | number | boolean | null | undefined;

/**
 * What reading a value of type T gives: primitives as they are, arrays as ListViews (with
 * Array.prototype's read-only methods, typed by the element's view), objects as record views
 * (objects with an index signature, stored as maps, as plain objects).
 */
export type ViewOf<T> = T extends Primitive
  ? T
  : T extends readonly (infer E)[]
    ? ListView<ViewOf<E>, E>
    : T extends object
      ? string extends keyof T
        ? T
        : RecordView<T>
      : T;

/**
 * A record view: T's keys as its own enumerable fields (so `{...view}` and `Object.keys(view)` are
 * the record's), read when the view was made; `readonly`, since writing one changes that view only.
 */
export type RecordView<T> = { readonly [K in Exclude<keyof T, keyof ViewMethods<T>>]: ViewOf<T[K]> } & ViewMethods<T>;

/** Options of every constructor of a Store. */
export interface StoreOptions {
  /**
   * Cap on the store's WebAssembly memory, in bytes (default and maximum: 4 GiB, the
   * WebAssembly ceiling). Passing it raises MemstoreCapacityError; nothing is half-built.
   */
  maxMemoryBytes?: number;
}

/** `store.memory()`: what the store's structures hold, and what its WASM memory reserves. */
export interface MemoryReport {
  /**
   * What the store's structures take: every column's buffers, bitmaps and dictionaries, the
   * schema's nodes, the string table, and the module's own static data.
   */
  totalBytes: number;
  /** The WASM memory's size (`memory.buffer.byteLength`), headroom and allocator slack included. */
  reservedBytes: number;
  columns: Array<{ path: string; type: string; bytes: number }>;
  strings: { count: number; bytes: number };
  /** The schema's nodes (one per column, with a struct's field list and key index): part of `totalBytes`. */
  schemaBytes: number;
  /** The module's static data (its allocator's free list, scan tables, number tables): the same in every store, part of `totalBytes`. */
  moduleBytes: number;
  /**
   * The working memory for queries (selection bitmaps, a lookup table, group tables), sized by
   * the rows and dictionaries: made by the first query (or `column()`), its room kept under the
   * memory cap by every load and append until then; 0 before. Part of `reservedBytes`, not of
   * `totalBytes`.
   */
  workspaceBytes: number;
}
