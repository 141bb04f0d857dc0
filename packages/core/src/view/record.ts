// Record views: one class per struct of the schema, with one getter per key on its prototype.
// A view holds only its row number; getters read the columns' typed arrays directly.
import { MemstoreDisposedError } from '../errors';
import { parsePath, readPath, type Path } from '../path';
import { type Node, allNodes } from '../schema/node';
import { FloatNode, IntNode, StringNode } from '../schema/scalars';
import { ListNode, StructNode } from '../schema/containers';
import { makeListView } from './list';
import { INSPECT, NODE, ROW } from './symbols';

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

/** Builds the view classes of every struct under `root`, children before parents. */
export function buildViews(root: Node): Array<{ prototype: object }> {
  const classes: Array<{ prototype: object }> = [];
  const nodes = allNodes(root).reverse();
  // A local copy of the key (also in makeGetter): the bundler turns module-level consts into
  // `var`s, which V8 reloads and re-checks on every keyed access; a local that is never
  // reassigned folds to a constant once the getter is inlined (store.at(0).id: 1.5 → 1.0 ns).
  const rowKey: typeof ROW = ROW;
  for (const node of nodes) {
    if (node instanceof ListNode) node.listView = makeListView;
    if (!(node instanceof StructNode)) continue;
    // A base class (not `extends`): a derived constructor's super() call costs an inlining
    // level, and for-of loops over the store ran out of them (3-4x slower than store.at(i)).
    const View = class RecordView {
      constructor(row: number) {
        (this as unknown as { [ROW]: number })[rowKey] = row;
      }
    };
    Object.setPrototypeOf(View.prototype, RecordViewBase.prototype);
    Object.defineProperty(View.prototype, NODE, { value: node });
    for (const [key, field] of node.fields) {
      if (VIEW_METHODS.has(key)) continue;
      Object.defineProperty(View.prototype, key, { get: makeGetter(field), enumerable: true, configurable: true });
    }
    node.viewClass = View;
    classes.push(View);
  }
  return classes;
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

/**
 * A getter specialised for the field's column, so the common read is one or two array loads.
 * Columns of each typed-array kind get their own function literal: closures of one literal share
 * V8's feedback, and a getter shared by Int32Array and Int16Array columns reads both
 * polymorphically (store.at(0).id in bench/query.ts: 1.7 ns shared, 0.9 ns with its own literal).
 */
function makeGetter(field: Node): (this: ViewThis) => unknown {
  const rowKey: typeof ROW = ROW; // see buildViews
  const column = field.column;
  const plain = column.nulls === null && column.missing === null;
  if (plain && field instanceof StringNode) {
    const engine = field.engine;
    if (column.width === 0) return () => column.decoded[0] ?? column.stringAt(0, engine);
    const string = (row: number) => column.stringAt(row, engine);
    switch (column.width) {
      case 1:
        return function (this: ViewThis) { return column.decoded[column.data[this[rowKey]]] ?? string(this[rowKey]); };
      case 2:
        return function (this: ViewThis) { return column.decoded[column.data[this[rowKey]]] ?? string(this[rowKey]); };
      default:
        return function (this: ViewThis) { return column.decoded[column.data[this[rowKey]]] ?? string(this[rowKey]); };
    }
  }
  if (plain && field instanceof IntNode) {
    switch (column.width) {
      case 0:
        return () => column.data[0];
      case 1:
        return function (this: ViewThis) { return column.data[this[rowKey]]; };
      case 2:
        return function (this: ViewThis) { return column.data[this[rowKey]]; };
      default:
        return function (this: ViewThis) { return column.data[this[rowKey]]; };
    }
  }
  if (plain && field instanceof FloatNode) {
    return function (this: ViewThis) { return column.data[this[rowKey]]; };
  }
  if (plain && field instanceof StructNode) {
    const View = field.viewClass!;
    return function (this: ViewThis) { return new View(this[rowKey]); };
  }
  return function (this: ViewThis) { return field.read(this[rowKey]); };
}
