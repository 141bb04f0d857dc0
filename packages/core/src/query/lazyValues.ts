// store.values(path): the value at `path` of every record, as a lazy list. Nothing is read
// until an element is: `store.values('dates')` costs nothing per record up front, and
// `.at(i)` reads record i's view (or value) straight from the columns.
import type { PathStep } from '../path';
import { readPath } from '../readPath';
import type { Node } from '../schema/node';
import { ElementIterator } from '../view/iterator';
import { INSPECT } from '../view/symbols';

/** After the store's `dispose()` every member throws MemstoreDisposedError (inspecting it says so). */
export class LazyValues<V = unknown> implements Iterable<V | undefined> {
  /** @internal */
  constructor(
    private readonly root: Node,
    private readonly keys: readonly PathStep[],
    private readonly count: number,
  ) {}

  /** Number of records. A getter, so that a disposed store's list does not go on answering. */
  get length(): number {
    this.root.engine.assertLive('value list');
    return this.count;
  }

  /** Record `index`'s value at the path (negative counts from the end); undefined if absent or out of range. */
  at(index: number): V | undefined {
    this.root.engine.assertLive('value list');
    let row = Math.trunc(index) || 0;
    if (row < 0) row += this.count;
    if (row < 0 || row >= this.count) return undefined;
    return readPath(this.root, this.root, row, this.keys) as V | undefined;
  }

  [Symbol.iterator](): IterableIterator<V | undefined> {
    const { root, keys } = this;
    root.engine.assertLive('value list');
    return new ElementIterator(root.engine, 'value list', this.count, (row) => readPath(root, root, row, keys) as V | undefined);
  }

  /** Every value as plain JSON (undefined where absent). */
  toArray(): unknown[] {
    const values = new Array(this.length);
    for (let row = 0; row < this.count; row++) {
      const value = this.at(row) as { toJSON?: () => unknown } | undefined;
      values[row] = value !== null && typeof value === 'object' && typeof value.toJSON === 'function' ? value.toJSON() : value;
    }
    return values;
  }

  [INSPECT](): string {
    return this.root.engine.disposed ? '[disposed memstore value list]' : `LazyValues(${this.count})`;
  }
}
