// store.values(path): the value at `path` of every record, as a lazy list. Nothing is read
// until an element is: `store.values('dates')` costs nothing per record up front, and
// `.at(i)` reads record i's view (or value) straight from the columns.
import { MemstoreDisposedError } from '../errors';
import { readPath } from '../path';
import type { Node } from '../schema/node';
import { INSPECT } from '../view/symbols';

export class LazyValues<V = unknown> implements Iterable<V | undefined> {
  /** @internal */
  constructor(
    private readonly root: Node,
    private readonly keys: readonly (string | number)[],
    readonly length: number,
  ) {}

  /** Record `index`'s value at the path (negative counts from the end); undefined if absent or out of range. */
  at(index: number): V | undefined {
    if (this.root.engine.disposed) throw new MemstoreDisposedError('value list');
    let row = Math.trunc(index) || 0;
    if (row < 0) row += this.length;
    if (row < 0 || row >= this.length) return undefined;
    return readPath(this.root, this.root, row, this.keys) as V | undefined;
  }

  *[Symbol.iterator](): IterableIterator<V | undefined> {
    for (let row = 0; row < this.length; row++) yield this.at(row);
  }

  /** Every value as plain JSON (undefined where absent). */
  toArray(): unknown[] {
    const values = new Array(this.length);
    for (let row = 0; row < this.length; row++) {
      const value = this.at(row) as { toJSON?: () => unknown } | undefined;
      values[row] = value !== null && typeof value === 'object' && typeof value.toJSON === 'function' ? value.toJSON() : value;
    }
    return values;
  }

  [INSPECT](): string {
    return `LazyValues(${this.length})`;
  }
}
