// Views of wide structs: a class per struct with a getter per key on its prototype (a view holds
// only its row and reads a field when asked), seen through a Proxy whose traps list the row's
// present keys as own enumerable properties, so spread, Object.keys / entries and for…in see the
// record. A narrow struct's view stores its fields when it is made (view/record.ts), which costs
// every field of the struct, nested structs' included, at each view: on tweets (272 columns) and
// events (206) that is thousands of ns a record where plain objects take tens. A Proxy costs every
// view tens of ns on top of its getters' reads, whatever its width, so it pays only where storing
// every field costs more: structs wider than WIDE_FIELDS (record.ts decides, eagerFields). The
// three designs measured on cargo, tweets and events: packages/bench/results/view-wide.md.
import { parsePath, type Path } from '../path';
import { readPath } from '../readPath';
import type { Node } from '../schema/node';
import type { SchemaType } from '../schema/describe';
import type { StructNode } from '../schema/containers';
import { INSPECT } from './symbols';
import { ColumnType } from '../wasm/abi';

/** The row of a wide view's target, and its struct (on the class's prototype). */
const ROW = Symbol('memstore.row');
const NODE = Symbol('memstore.node');

type Target = { readonly [ROW]: number; readonly [NODE]: StructNode };
type Getter = (this: Target) => unknown;

/** Methods every wide view's class shares (the getters are each class's own). */
class WideRecordBase {
  declare readonly [NODE]: StructNode;
  declare readonly [ROW]: number;

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

/** The field of `key` when it is one of the record's keys (methods' names excepted), else undefined. */
function fieldOf(target: Target, key: string | symbol, methods: ReadonlySet<string>): Node | undefined {
  if (typeof key !== 'string' || methods.has(key)) return undefined;
  return target[NODE].fields.get(key);
}

/**
 * The traps, one handler for every wide view (one shape for V8). Reads go to the target, whose
 * prototype getters read the columns; writes are refused (views are read-only: the types say so),
 * so a spread, a keys listing and a read always agree with the columns.
 */
function handler(methods: ReadonlySet<string>): ProxyHandler<Target> {
  const present = (target: Target, field: Node) => field.absentValue(target[ROW]) !== undefined;
  return {
    // Every read is a getter reading the columns: checked as every lazy read is (mid-append, disposed).
    get: (target, key) => {
      target[NODE].engine.assertLive('record view');
      return (target as unknown as Record<string | symbol, unknown>)[key];
    },
    has: (target, key) => {
      const field = fieldOf(target, key, methods);
      return field !== undefined ? present(target, field) : key in target;
    },
    ownKeys: (target) => {
      target[NODE].engine.assertLive('record view');
      const keys: string[] = [];
      for (const [key, field] of target[NODE].fields) if (!methods.has(key) && present(target, field)) keys.push(key);
      return keys;
    },
    getOwnPropertyDescriptor: (target, key) => {
      const field = fieldOf(target, key, methods);
      if (field === undefined) return undefined;
      target[NODE].engine.assertLive('record view');
      const value = field.read(target[ROW]);
      return value === undefined ? undefined : { value, writable: false, enumerable: true, configurable: true };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  };
}

/**
 * Builds the view maker of wide struct `node`: a class with a getter per key (the classes of
 * struct fields are their own, narrow or wide), each instance seen through the shared handler.
 * The class is recorded with its store (engine.viewClasses) for dispose().
 */
export function buildWideView(node: StructNode, methods: ReadonlySet<string>): (row: number) => object {
  const View = class WideRecordView {
    constructor(row: number) {
      (this as unknown as { [ROW]: number })[ROW] = row;
    }
  };
  Object.setPrototypeOf(View.prototype, WideRecordBase.prototype);
  Object.defineProperty(View.prototype, NODE, { value: node });
  for (const [key, field] of node.fields) if (!methods.has(key)) defineGetter(View.prototype, key, field);
  node.engine.viewClasses.push(View);
  const traps = handler(methods);
  return (row) => new Proxy(new View(row) as unknown as Target, traps);
}

/**
 * Getters faster than the node's `read`, by column kind, for columns without presence bitmaps:
 * one or two array loads. Every other column reads through its node.
 */
const PLAIN_GETTERS: Partial<Record<SchemaType, (field: Node) => Getter>> = {
  string: (field) => {
    const { column, engine } = field;
    if (column.type === ColumnType.Text) {
      return function (this: Target) {
        return column.stringAt(this[ROW], engine);
      };
    }
    if (column.width === 0) return () => column.decoded[0] ?? column.stringAt(0, engine);
    return function (this: Target) {
      const row = this[ROW];
      return column.decoded[column.data[row]] ?? column.stringAt(row, engine);
    };
  },
  int: ({ column }) => {
    // As record.ts's int readers: a constant, the base taken now plus 1-4 byte deltas (defined
    // anew when the frame changes), or 8-byte deltas through intAt.
    if (column.width === 0) {
      const value = column.base;
      return () => value;
    }
    if (column.wide) {
      return function (this: Target) {
        return column.intAt(this[ROW]);
      };
    }
    const base = column.base;
    return function (this: Target) {
      return base + column.data[this[ROW]];
    };
  },
  float: ({ column }) =>
    function (this: Target) {
      return column.data[this[ROW]];
    },
};

/**
 * Defines the getter of `key`: by column kind (PLAIN_GETTERS) for a dense column without presence
 * bitmaps, else through the node (structs included: their views are narrow or wide by their own
 * width). A plain getter is defined again when the column's frame changes.
 */
function defineGetter(prototype: object, key: string, field: Node): void {
  const column = field.column;
  const plain = column.nulls === null && column.missing === null && column.sparse === null ? PLAIN_GETTERS[field.schemaType]?.(field) : undefined;
  const getter: Getter = plain ?? function (this: Target) {
    return field.read(this[ROW]);
  };
  // Not enumerable: for…in walks the prototype too, and would list keys the row lacks.
  Object.defineProperty(prototype, key, { get: getter, configurable: true });
  if (plain !== undefined) column.onFrameChange(() => defineGetter(prototype, key, field));
}
