// The iterator of a list view, a value list (store.values) and a selection: element i is
// read(i), and every step checks that the store is still live, so an iterator taken before
// dispose() throws MemstoreDisposedError at its next step instead of reading freed columns.
// One class for the three, so that check is written once. The store's own iterator
// (RecordIterator) is a class of its own: its loop shape is measured,
// packages/bench/results/v8-shapes.md.
import type { Engine } from '../engine';
import type { Node } from '../schema/node';
import { readRecord } from './plainRecord';
import type { MakeView } from './record';

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

/** A class, not a generator: for-of over a generator took 2.9x as long (packages/bench/results/v8-shapes.md). */
export class RecordIterator implements IterableIterator<unknown> {
  private row = 0;
  /** Rows next() serves with the view maker: all of them when every record is an object, else none. */
  private readonly viewRows: number;
  constructor(
    private readonly engine: Engine,
    private readonly makeView: MakeView | null,
    private readonly root: Node,
    private readonly count: number,
  ) {
    this.viewRows = makeView !== null ? count : 0;
  }

  next(): IteratorResult<unknown> {
    // Every step, not only at the start: an iterator taken before dispose() must not go on
    // handing out views. A load and compare per record: access.js's for-of showed no difference
    // within its noise when this went in (issue 10, item 5).
    this.engine.assertLive('iterator');
    const row = this.row;
    const done = row >= this.count;
    if (!done) this.row = row + 1;
    // One return site, a shape for V8 kept because it pays: with two, for-of over every record
    // took 1.55x as long (packages/bench/results/v8-shapes.md).
    return { value: done ? undefined : row < this.viewRows ? this.makeView!(row) : readRecord(this.root, row), done };
  }

  [Symbol.iterator](): this {
    this.engine.assertLive('iterator');
    return this;
  }
}
