// The iterator of a list view, a value list (store.values) and a selection: element i is
// read(i), and every step checks that the store is still live, so an iterator taken before
// dispose() throws MemstoreDisposedError at its next step instead of reading freed columns.
// One class for the three, so that check is written once. (The store's own iterator is a class
// of its own: its loop shape is measured, packages/bench/results/v8-shapes.md.)
import type { Engine } from '../engine';

export class ElementIterator<E> implements IterableIterator<E> {
  private index = 0;

  constructor(
    private readonly engine: Engine,
    /** What the error names: 'list view', 'value list', 'selection'. */
    private readonly what: string,
    private readonly count: number,
    private readonly read: (index: number) => E,
  ) {}

  next(): IteratorResult<E> {
    this.engine.assertLive(this.what);
    const index = this.index;
    if (index >= this.count) return { value: undefined, done: true };
    this.index = index + 1;
    return { value: this.read(index), done: false };
  }

  [Symbol.iterator](): this {
    this.engine.assertLive(this.what);
    return this;
  }
}
