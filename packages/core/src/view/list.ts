// ListView: one list value of a record, read from the store when an element is asked for.
import type { ListNode } from '../schema/containers';
import { ElementIterator } from './iterator';
import { INSPECT } from './symbols';

const NODE = Symbol('memstore.list');
const START = Symbol('memstore.start');
const LENGTH = Symbol('memstore.length');

/**
 * A light view of one list value: `length`, `at(i)`, iteration and `toJSON()`. Elements are
 * read from the store when asked for (views for structs and lists, values otherwise). After the
 * store's `dispose()` every member throws MemstoreDisposedError (inspecting it says so).
 */
export class ListView<E = unknown, J = unknown> implements Iterable<E> {
  private readonly [NODE]: ListNode;
  private readonly [START]: number;
  private readonly [LENGTH]: number;

  /** @internal */
  constructor(node: ListNode, start: number, end: number) {
    this[NODE] = node;
    this[START] = start;
    this[LENGTH] = end - start;
  }

  /** Number of elements. A getter, so that a disposed store's list does not go on answering. */
  get length(): number {
    this[NODE].engine.assertLive('list view');
    return this[LENGTH];
  }

  /** The element at `index` (negative counts from the end), or undefined out of range. */
  at(index: number): E | undefined {
    const node = this[NODE];
    node.engine.assertLive('list view');
    const length = this[LENGTH];
    let position = Math.trunc(index) || 0;
    if (position < 0) position += length;
    if (position < 0 || position >= length) return undefined;
    return node.element.read(this[START] + position) as E;
  }

  [Symbol.iterator](): IterableIterator<E> {
    const node = this[NODE];
    node.engine.assertLive('list view');
    const start = this[START];
    return new ElementIterator(node.engine, 'list view', this[LENGTH], (i) => node.element.read(start + i) as E);
  }

  /** Calls `fn` for each element, like Array.prototype.map, and returns a plain array. */
  map<U>(fn: (element: E, index: number) => U): U[] {
    const length = this.length;
    const result = new Array<U>(length);
    for (let i = 0; i < length; i++) result[i] = fn(this.at(i) as E, i);
    return result;
  }

  /** The list as plain JSON. */
  toJSON(): J[] {
    const node = this[NODE];
    node.engine.assertLive('list view');
    const result = new Array(this[LENGTH]);
    for (let i = 0; i < this[LENGTH]; i++) result[i] = node.element.plain(this[START] + i);
    return result;
  }

  /** console.log / util.inspect: the list's JSON, or a note once the store is disposed (as record views do). */
  [INSPECT](): unknown {
    return this[NODE].engine.disposed ? '[disposed memstore list view]' : this.toJSON();
  }

  get [Symbol.toStringTag](): string {
    return 'ListView';
  }
}

export function makeListView(node: ListNode, start: number, end: number): ListView {
  return new ListView(node, start, end);
}
