// ListView: one list value of a record, read from the store when an element is asked for.
import { MemstoreDisposedError } from '../errors';
import type { ListNode } from '../schema/containers';
import { INSPECT } from './symbols';

const NODE = Symbol('memstore.list');
const START = Symbol('memstore.start');

/**
 * A light view of one list value: `length`, `at(i)`, iteration and `toJSON()`. Elements are
 * read from the store when asked for (views for structs and lists, values otherwise).
 */
export class ListView<E = unknown, J = unknown> implements Iterable<E> {
  private readonly [NODE]: ListNode;
  private readonly [START]: number;
  readonly length: number;

  /** @internal */
  constructor(node: ListNode, start: number, end: number) {
    this[NODE] = node;
    this[START] = start;
    this.length = end - start;
  }

  /** The element at `index` (negative counts from the end), or undefined out of range. */
  at(index: number): E | undefined {
    const node = this[NODE];
    if (node.engine.disposed) throw new MemstoreDisposedError('list view');
    let position = Math.trunc(index) || 0;
    if (position < 0) position += this.length;
    if (position < 0 || position >= this.length) return undefined;
    return node.element.read(this[START] + position) as E;
  }

  *[Symbol.iterator](): IterableIterator<E> {
    for (let i = 0; i < this.length; i++) yield this.at(i) as E;
  }

  /** Calls `fn` for each element, like Array.prototype.map, and returns a plain array. */
  map<U>(fn: (element: E, index: number) => U): U[] {
    const result = new Array<U>(this.length);
    for (let i = 0; i < this.length; i++) result[i] = fn(this.at(i) as E, i);
    return result;
  }

  /** The list as plain JSON. */
  toJSON(): J[] {
    const node = this[NODE];
    if (node.engine.disposed) throw new MemstoreDisposedError('list view');
    const result = new Array(this.length);
    for (let i = 0; i < this.length; i++) result[i] = node.element.plain(this[START] + i);
    return result;
  }

  [INSPECT](): unknown {
    return this.toJSON();
  }

  get [Symbol.toStringTag](): string {
    return 'ListView';
  }
}

export function makeListView(node: ListNode, start: number, end: number): ListView {
  return new ListView(node, start, end);
}
