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

/**
 * The store's iterator. A class, not a generator: for-of over a generator took 2.9x as long
 * (packages/bench/results/v8-shapes.md). Every step makes a record, the last step too: its
 * `done: true` result carries the last record again (for-of, spread and Array.from ignore a done
 * result's value). A shape for V8, kept because it pays on a loop users run: when a step's value
 * could be a view or undefined, V8 kept every view's allocation (the merge of the two), and for-of
 * over 1M cargo records took 1.5-1.6x plain objects' time; with a view on every step V8 drops the
 * allocations of the fields a loop does not read, as in at(i) (results/access.md).
 */
export class RecordIterator implements IterableIterator<unknown> {
  private row = 0;
  /** The record at a row: its view when every record is an object, else its plain value. */
  private readonly read: (row: number) => unknown;
  private readonly last: number;
  constructor(
    private readonly engine: Engine,
    makeView: MakeView | null,
    root: Node,
    private readonly count: number,
  ) {
    this.read = count === 0 ? () => undefined : (makeView ?? ((row) => readRecord(root, row)));
    this.last = count - 1;
  }

  next(): IteratorResult<unknown> {
    // Every step, not only at the start: an iterator taken before dispose() must not go on
    // handing out views. A load and compare per record: access.js's for-of showed no difference
    // within its noise when this went in (issue 10, item 5).
    this.engine.assertLive('iterator');
    const row = this.row;
    const done = row >= this.count;
    if (!done) this.row = row + 1;
    // One return site and one value (see above): with two return sites for-of took 1.55x as long.
    return { value: this.read(done ? this.last : row), done } as IteratorResult<unknown>;
  }

  [Symbol.iterator](): this {
    this.engine.assertLive('iterator');
    return this;
  }
}
