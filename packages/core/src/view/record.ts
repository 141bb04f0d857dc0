// Record views: one class per struct of the schema, with one getter per key on its prototype,
// built the first time a view of that struct is made (a struct nobody reads costs no class, no
// getters and no Columns). A view holds only its row number; getters read the columns' typed
// arrays directly.
import { MemstoreDisposedError } from '../errors';
import { parsePath, readPath, type Path } from '../path';
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
    Object.defineProperty(View.prototype, key, { get: makeGetter(field), enumerable: true, configurable: true });
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
    // Chosen by the width at this snapshot; later appends only widen or rebase. A constant is its
    // rows' value for good (a later base belongs to later rows); 1-4 byte deltas read base and
    // deltas as they are now (a rebase moves both); once 8-byte, through intAt.
    if (column.width === 0) {
      const value = column.base;
      return () => value;
    }
    if (column.wide) {
      return function (this: ViewThis) {
        return column.intAt(this[ROW]);
      };
    }
    return function (this: ViewThis) {
      const row = this[ROW];
      return column.wide ? column.intAt(row) : column.base + column.data[row];
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

function makeGetter(field: Node): Getter {
  const column = field.column;
  const plain = column.nulls === null && column.missing === null ? PLAIN_GETTERS[field.schemaType] : undefined;
  if (plain !== undefined) return plain(field);
  return function (this: ViewThis) {
    return field.read(this[ROW]);
  };
}
