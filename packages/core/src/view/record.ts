// Record views: one class per struct of the schema, built the first time a view of that struct
// is made (a struct nobody reads costs no class and no Columns). A view is the record: its fields
// are its own enumerable data properties, in the store's field order, read from the columns'
// typed arrays when the view is made; `get`, `toJSON` and inspection are its class's methods.
//
// Why own data properties, filled when the view is made (issue 12, item 2): spread, Object.keys /
// entries and for…in see own properties only (a Proxy aside); the getters this file used to put on
// each class's prototype left every spread empty. The designs, measured two ways. In isolation,
// `node packages/bench/dist/viewDesigns.js` (results/view-designs.md: cargo-shaped rows in typed
// arrays, r.product.name + r.quantity.value of 1M rows, each design in a child process; ns a row,
// ratio to plain objects', on a loaded 2-core machine): prototype getters 7.4 (0.30x); a Proxy per
// view with ownKeys / getOwnPropertyDescriptor traps, reads forwarded, 350 (14x: every read takes
// the Proxy's generic lookup, which V8 does not inline); own accessors per view
// (Object.defineProperty per field) 1,074 (43x); a literal with getters per view 3,534 (141x); own
// data stored by a loop over the keys 313 (12.5x: keyed stores, megamorphic); own data stored by a
// maker generated for the struct's keys 10.6 (0.42x) — chosen. In the store,
// `node packages/bench/dist/access.js` (1M cargo records; ratio to plain objects' time in the same
// process, at(i) / for…of; results/access.md) and its interleaved A/B against the getters
// (results/compare-issue12-views.md: plain objects 16.9 / 16.1 ns a record): prototype getters
// 3.27 / 8.79 ns (0.19x / 0.55x); the maker 8.94 / 26.1 ns (0.53x / 1.62x). On the way there:
// fields stored in the constructor kept V8 from dropping the nested views' allocations (2.09x /
// 2.13x), so the maker stores them after it returns; a dictionary string read that decoded on a
// miss (a call) kept every field's read in the loop (2.10x / 2.38x), so a struct's dictionaries
// are decoded when its reader is made; a store under a test on every field (`if (v !== undefined)`)
// kept the allocations too (0.99x at(i)), so fields no row misses are stored without one. In
// for…of V8 kept every view's allocation (1.5-1.6x) while the iterator's step could hand out a
// view or undefined; a view on every step (view/iterator.ts) took that away.
// What it costs: making a view reads every field of its struct (nested structs' too; a map field
// builds its plain object, as reading it did), where getters read only the fields asked for; a
// struct's dictionary columns are decoded whole when its first view is made. Fields are copies:
// writing one changes that view only, and a view taken before dispose() keeps its values (its
// methods and its list fields throw). On wide records that cost is the record's width, not the
// reads': a struct whose view would store more than WIDE_FIELDS fields is made by wideRecord.ts
// instead (a Proxy over getters; the three designs on cargo, tweets and events:
// packages/bench/results/view-wide.md).
import { MemstoreDisposedError } from '../errors';
import { parsePath, type Path } from '../path';
import { readPath } from '../readPath';
import type { Node } from '../schema/node';
import type { SchemaType } from '../schema/describe';
import { setOwn, type StructNode } from '../schema/containers';
import { INSPECT } from './symbols';
import { buildWideView } from './wideRecord';
import { ColumnType } from '../wasm/abi';

/** Keys that stay methods on every view; a field with such a name is read with `get([key])`. */
export const VIEW_METHODS: ReadonlySet<string> = new Set(['get', 'toJSON']);

/** A field's value at a row: what the view stores under its key (undefined: the key is absent). */
type Reader = (row: number) => unknown;

/** Makes the view of one row of a struct. */
export type MakeView = (row: number) => object;

/**
 * Builds the view maker of struct `node` (StructNode.makeView asks, once): its class (the
 * methods), a reader per key, and the makers of struct fields with it. The class is recorded with
 * its store (engine.viewClasses) for dispose().
 */
export function buildView(node: StructNode): MakeView {
  node.engine.assertLive('record view');
  if (eagerFields(node, WIDE_FIELDS) > WIDE_FIELDS) return buildWideView(node, VIEW_METHODS);
  const fields: ViewField[] = [];
  const readers: Reader[] = [];
  for (const [key, field] of node.fields) {
    if (VIEW_METHODS.has(key)) continue;
    const index = readers.length;
    fields.push({ key, always: field.column.missing === null && field.column.sparse === null });
    readers.push(readerOf(field, (reader) => (readers[index] = reader)));
  }
  // The methods read the columns when called, so they check the store as every lazy read does: a
  // view taken before an append and asked while the append is parsed would read rows not yet settled.
  const engine = node.engine;
  const methods: Methods = {
    get: (row, path) => {
      engine.assertLive('record view');
      return readPath(node, node, row, parsePath(path));
    },
    toJSON: (row) => {
      engine.assertLive('record view');
      return node.plain(row);
    },
  };
  const made = generated(fields, readers, methods) ?? generic(fields, readers, methods);
  engine.viewClasses.push(made.View);
  return made.make;
}

/**
 * Views of a struct whose view would store more fields than this (its own and its struct fields',
 * a map field counted as MAP_FIELDS) are wide: a Proxy over getters (wideRecord.ts). A Proxy costs
 * a view tens of ns more than getters alone; a stored field a few ns (results/view-wide.md), so
 * they break even at a few dozen fields.
 */
const WIDE_FIELDS = 32;
/** A map field builds a plain object of all its keys when the view is made: a guess of its size. */
const MAP_FIELDS = 16;

/** The fields a view of `node` would store when made, counted up to `limit` (then: more than it). */
function eagerFields(node: StructNode, limit: number): number {
  let count = 0;
  for (const field of node.children()) {
    count += field.schemaType === 'struct' ? 1 + eagerFields(field as StructNode, limit - count) : field.schemaType === 'map' ? MAP_FIELDS : 1;
    if (count > limit) break;
  }
  return count;
}

/** What a view class's methods do, given the view's row. */
interface Methods {
  get(row: number, path: Path): unknown;
  toJSON(row: number): unknown;
}

type ViewClass = new (row: number) => object;

/**
 * A key of a struct's views, and whether every row its snapshot reads holds it (its column had no
 * missing rows when the maker was built: its views are made for those rows only).
 */
interface ViewField {
  key: string;
  always: boolean;
}

/**
 * The class and maker of a struct's views, as source text made for its keys. The maker stores each
 * key by name (`view["id"] = v0`, v0 = `read[0](row)`): each store and each reader call is a site
 * of its own, so V8 keeps them monomorphic, inlines the readers, and in a loop that reads a few
 * fields drops the rest, allocations included. Each struct's class is source of its own: one class
 * literal for every struct shared the feedback of its private-field store, which then saw every
 * struct's views and stopped V8 from dropping them (80 ns a record, against 9). Null where the
 * platform refuses code generation (a Content-Security-Policy without 'unsafe-eval', a realm with
 * code generation from strings off: test/dist.test.ts).
 */
function generated(fields: readonly ViewField[], read: readonly Reader[], methods: Methods): { View: ViewClass; make: MakeView } | null {
  // A missing field is an absent key (undefined is no JSON value); "__proto__" is defined, not
  // assigned. A field every row holds is stored with no test: a store under an `if` gives the view
  // one of two hidden classes, and V8 then kept every view's allocation (access.js at(i): 16.7 ns
  // a record with the test on every field, 8.6 without it for fields that are never missing).
  const stores = fields.map(({ key, always }, i) => {
    const store = key === '__proto__' ? `own(view, "__proto__", v${i})` : `view[${JSON.stringify(key)}] = v${i}`;
    return `const v${i} = read[${i}](row); ${always ? '' : `if (v${i} !== undefined) `}${store};`;
  });
  const source = `class RecordView {
  #row;
  constructor(row) { this.#row = row; }
  get(path) { return methods.get(this.#row, path); }
  toJSON() { return methods.toJSON(this.#row); }
  [INSPECT]() { return methods.toJSON(this.#row); }
}
function makeRecordView(row) {
  const view = new RecordView(row);
  ${stores.join('\n  ')}
  return view;
}
return { View: RecordView, make: makeRecordView };`;
  try {
    return new Function('read', 'methods', 'own', 'INSPECT', source)(read, methods, setOwn, INSPECT);
  } catch (error) {
    if (error instanceof EvalError) return null;
    throw error;
  }
}

/** The same class and maker without code generation: a loop over the keys (keyed stores: about 15x slower). */
function generic(fields: readonly ViewField[], read: readonly Reader[], methods: Methods): { View: ViewClass; make: MakeView } {
  const View = class RecordView {
    readonly #row: number;
    constructor(row: number) {
      this.#row = row;
    }
    get(path: Path): unknown {
      return methods.get(this.#row, path);
    }
    toJSON(): unknown {
      return methods.toJSON(this.#row);
    }
    [INSPECT](): unknown {
      return methods.toJSON(this.#row);
    }
  };
  const make = (row: number) => {
    const view = new View(row) as unknown as Record<string, unknown>;
    for (let i = 0; i < fields.length; i++) {
      const value = read[i](row);
      if (value !== undefined) setOwn(view, fields[i].key, value);
    }
    return view;
  };
  return { View, make };
}

/**
 * After dispose: every method of every view class throws, and so does every getter of a wide
 * view's class; fields a narrow view already stored stay (they are copies).
 */
export function disposeViews(classes: Array<{ prototype: object }>): void {
  const fail = () => {
    throw new MemstoreDisposedError('record view');
  };
  for (const View of classes) {
    for (const key of Object.getOwnPropertyNames(View.prototype)) {
      if (Object.getOwnPropertyDescriptor(View.prototype, key)!.get !== undefined) Object.defineProperty(View.prototype, key, { get: fail, configurable: true });
    }
    for (const method of ['get', 'toJSON']) Object.defineProperty(View.prototype, method, { value: fail, configurable: true });
    Object.defineProperty(View.prototype, INSPECT, { value: () => '[disposed memstore record view]', configurable: true });
  }
}

/**
 * Readers faster than the node's `read`, by column kind, for columns without presence bitmaps:
 * one or two array loads. Every other column reads through its node.
 */
const PLAIN_READERS: Partial<Record<SchemaType, (field: Node) => Reader>> = {
  string: (field) => {
    const { column, engine } = field;
    if (column.type === ColumnType.Text) return (row) => column.stringAt(row, engine);
    // Every string of the dictionary decoded now (once per column: Column.decoded keeps them), so
    // the reader is two loads and no call: with a call to decode on a miss, V8 kept the reads of
    // fields a loop never used (access.js at(i): 2.1x plain objects' time, against 0.5x).
    for (let code = 0; code < column.dictionary.length; code++) column.stringOfCode(code, engine);
    const decoded = column.decoded;
    if (column.width === 0) {
      const value = decoded[0];
      return () => value;
    }
    return (row) => decoded[column.data[row]];
  },
  int: ({ column }) => {
    // Chosen by the column's frame at this snapshot; later appends only widen or rebase. A constant
    // is its rows' value for good (a later base belongs to later rows); 1-4 byte deltas add the
    // base taken now (a closure constant: reading column.base cost store.at(0).id a quarter of its
    // time) until the frame changes, when readerOf makes the reader anew; 8-byte deltas through
    // intAt. A float64 column (an int column turned, base 0) reads its doubles.
    if (column.width === 0) {
      const value = column.base;
      return () => value;
    }
    if (column.wide) return (row) => column.intAt(row);
    const base = column.base;
    return (row) => base + column.data[row];
  },
  float: ({ column }) => (row) => column.data[row],
  struct: (field) => (field as StructNode).makeView,
};

/**
 * The reader of one field: by column kind (PLAIN_READERS) for a dense column without presence
 * bitmaps, else through the node. A plain reader reads rows straight from the buffers, so it is
 * made anew (and handed to `replace`) when the column's frame changes (a rebase, 8-byte deltas,
 * float64, turning sparse; O(log) times per width).
 */
function readerOf(field: Node, replace: (reader: Reader) => void): Reader {
  const column = field.column;
  const plain = column.nulls === null && column.missing === null && column.sparse === null ? PLAIN_READERS[field.schemaType]?.(field) : undefined;
  if (plain === undefined) return (row) => field.read(row);
  if (field.schemaType !== 'struct') column.onFrameChange(() => replace(readerOf(field, replace)));
  return plain;
}
