// Record views: one class per struct of the schema, with one getter per key on its prototype,
// built the first time a view of that struct is made (a struct nobody reads costs no class, no
// getters and no Columns). A view holds only its row number; getters read the columns' typed
// arrays directly.
import { MemstoreDisposedError } from '../errors';
import { parsePath, type Path } from '../path';
import { readPath } from '../readPath';
import type { Node } from '../schema/node';
import type { SchemaType } from '../schema/describe';
import type { StructNode } from '../schema/containers';
import { INSPECT, NODE, ROW } from './symbols';
import { ColumnType } from '../wasm/abi';

/** Keys that stay methods on every view; a field with such a name is read with `get([key])`. */
export const VIEW_METHODS: ReadonlySet<string> = new Set(['get', 'toJSON']);

export class RecordViewBase {
  declare readonly [NODE]: StructNode;
  declare readonly [ROW]: number;

  constructor(row: number) {
    (this as { [ROW]: number })[ROW] = row;
  }

  /** The value at `path` below this record: a view, a value, or undefined when absent. */
  get(path: Path): unknown {
    const node = this[NODE];
    return readPath(node, node, this[ROW], parsePath(path));
  }

  /** The record as a plain object, equal to what JSON.parse gave. */
  toJSON(): unknown {
    return this[NODE].plain(this[ROW]);
  }

  [INSPECT](): unknown {
    return this.toJSON();
  }
}

type ViewThis = { readonly [ROW]: number };

/**
 * Builds the view class of struct `node` (StructNode.viewClass asks, once): a getter per key, the
 * classes of struct fields with it. Recorded with its store (engine.viewClasses) for dispose().
 */
export function buildView(node: StructNode): new (row: number) => object {
  node.engine.assertLive('record view');
  // A base class (not `extends`): a derived constructor's super() call costs an inlining
  // level, and for-of loops over the store ran out of them (3-4x slower than store.at(i)).
  const View = class RecordView {
    constructor(row: number) {
      (this as unknown as { [ROW]: number })[ROW] = row;
    }
  };
  Object.setPrototypeOf(View.prototype, RecordViewBase.prototype);
  Object.defineProperty(View.prototype, NODE, { value: node });
  for (const [key, field] of node.fields) {
    if (VIEW_METHODS.has(key)) continue;
    defineGetter(View.prototype, key, field);
  }
  node.engine.viewClasses.push(View);
  return View;
}

/** After dispose: every getter and method of every view class throws. */
export function disposeViews(classes: Array<{ prototype: object }>): void {
  const fail = () => {
    throw new MemstoreDisposedError('record view');
  };
  for (const View of classes) {
    for (const key of Object.getOwnPropertyNames(View.prototype)) {
      // Keep the class's own `constructor`, but not a getter for a field named "constructor":
      // skipping that too left it reading detached columns (undefined) instead of throwing.
      if (key === 'constructor' && Object.getOwnPropertyDescriptor(View.prototype, key)!.get === undefined) continue;
      Object.defineProperty(View.prototype, key, { get: fail, configurable: true });
    }
    for (const method of ['get', 'toJSON']) Object.defineProperty(View.prototype, method, { value: fail, configurable: true });
    Object.defineProperty(View.prototype, INSPECT, { value: () => '[disposed memstore record view]', configurable: true });
  }
}

type Getter = (this: ViewThis) => unknown;

/**
 * Getters faster than the node's `read`, by column kind, for columns without presence bitmaps:
 * one or two array loads. Every other column reads through its node.
 */
const PLAIN_GETTERS: Partial<Record<SchemaType, (field: Node) => Getter>> = {
  string: (field) => {
    const { column, engine } = field;
    if (column.type === ColumnType.Text) {
      return function (this: ViewThis) {
        return column.stringAt(this[ROW], engine);
      };
    }
    if (column.width === 0) return () => column.decoded[0] ?? column.stringAt(0, engine);
    return function (this: ViewThis) {
      const row = this[ROW];
      return column.decoded[column.data[row]] ?? column.stringAt(row, engine);
    };
  },
  int: ({ column }) => {
    // Chosen by the column's frame at this snapshot; later appends only widen or rebase. A constant
    // is its rows' value for good (a later base belongs to later rows); 1-4 byte deltas add the
    // base taken now (a closure constant: reading column.base cost store.at(0).id a quarter of its
    // time) until the frame changes, when defineGetter defines the getter anew; 8-byte deltas
    // through intAt. A float64 column (an int column turned, base 0) reads its doubles.
    if (column.width === 0) {
      const value = column.base;
      return () => value;
    }
    if (column.wide) {
      return function (this: ViewThis) {
        return column.intAt(this[ROW]);
      };
    }
    const base = column.base;
    return function (this: ViewThis) {
      return base + column.data[this[ROW]];
    };
  },
  float: ({ column }) =>
    function (this: ViewThis) {
      return column.data[this[ROW]];
    },
  struct: (field) => {
    const View = (field as StructNode).viewClass;
    return function (this: ViewThis) {
      return new View(this[ROW]);
    };
  },
};

/**
 * Defines the getter of `key` on a view class's prototype: by column kind (PLAIN_GETTERS) for a
 * dense column without presence bitmaps, else through the node. A plain getter is defined again
 * when the column's frame changes (a rebase, 8-byte deltas, float64, turning sparse; O(log) times
 * per width): an int getter of 1-4 byte deltas holds the column's base and checks no width.
 */
function defineGetter(prototype: object, key: string, field: Node): void {
  const column = field.column;
  const plain = column.nulls === null && column.missing === null && column.sparse === null ? PLAIN_GETTERS[field.schemaType]?.(field) : undefined;
  const getter: Getter = plain ?? function (this: ViewThis) {
    return field.read(this[ROW]);
  };
  Object.defineProperty(prototype, key, { get: getter, enumerable: true, configurable: true });
  // A plain getter reads rows straight from the buffers: defined again when they change shape.
  if (plain !== undefined && field.schemaType !== 'struct') column.onFrameChange(() => defineGetter(prototype, key, field));
}
