// ListView: one list value of a record, read from the store when an element is asked for, with
// the read-only methods of Array.prototype (same arguments, same answers as on the array of the
// same elements: `[...list]`).
import type { ListNode } from '../schema/containers';
import { argumentError } from '../util/argumentError';
import { ElementIterator } from './iterator';
import { INSPECT } from './symbols';

const NODE = Symbol('memstore.list');
const START = Symbol('memstore.start');
const LENGTH = Symbol('memstore.length');
const ELEMENT = Symbol('memstore.element');

/** What the callbacks of map, filter, find… are given, as Array.prototype's are: element, index, the list. */
type Callback<E, L, R> = (element: E, index: number, list: L) => R;

/**
 * A light view of one list value: `length`, `at(i)`, iteration, `toJSON()` and the read-only
 * methods of arrays (map, filter, find, findIndex, some, every, includes, indexOf, lastIndexOf,
 * slice, forEach, reduce, join, entries / keys / values). Elements are read from the store when
 * asked for (views for structs and lists, values otherwise), so a struct element is a new view
 * at each read: `includes` / `indexOf` find values, not views. Methods that return arrays return
 * plain arrays. After the store's `dispose()` every member throws MemstoreDisposedError
 * (inspecting it says so).
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
    const length = this.length;
    let position = Math.trunc(index) || 0;
    if (position < 0) position += length;
    if (position < 0 || position >= length) return undefined;
    return this[ELEMENT](position);
  }

  [Symbol.iterator](): IterableIterator<E> {
    return this.values();
  }

  /** The elements, in order (what iteration gives). */
  values(): IterableIterator<E> {
    const length = this.length;
    return new ElementIterator(this[NODE].engine, 'list view', length, (i) => this[ELEMENT](i));
  }

  /** The indices 0 … length - 1. */
  keys(): IterableIterator<number> {
    const length = this.length;
    return new ElementIterator(this[NODE].engine, 'list view', length, (i) => i);
  }

  /** `[index, element]` pairs, in order. */
  entries(): IterableIterator<[number, E]> {
    const length = this.length;
    return new ElementIterator(this[NODE].engine, 'list view', length, (i): [number, E] => [i, this[ELEMENT](i)]);
  }

  /** Calls `fn` for each element, like Array.prototype.map, and returns a plain array. */
  map<U>(fn: Callback<E, this, U>, thisArg?: unknown): U[] {
    const length = this.length;
    callable(fn, 'map');
    const result = new Array<U>(length);
    for (let i = 0; i < length; i++) result[i] = fn.call(thisArg, this[ELEMENT](i), i, this);
    return result;
  }

  /** The elements for which `fn` is truthy, as a plain array. */
  filter<S extends E>(fn: (element: E, index: number, list: this) => element is S, thisArg?: unknown): S[];
  filter(fn: Callback<E, this, unknown>, thisArg?: unknown): E[];
  filter(fn: Callback<E, this, unknown>, thisArg?: unknown): E[] {
    const length = this.length;
    callable(fn, 'filter');
    const result: E[] = [];
    for (let i = 0; i < length; i++) {
      const element = this[ELEMENT](i);
      if (fn.call(thisArg, element, i, this)) result.push(element);
    }
    return result;
  }

  /** The first element for which `fn` is truthy, or undefined. */
  find<S extends E>(fn: (element: E, index: number, list: this) => element is S, thisArg?: unknown): S | undefined;
  find(fn: Callback<E, this, unknown>, thisArg?: unknown): E | undefined;
  find(fn: Callback<E, this, unknown>, thisArg?: unknown): E | undefined {
    const length = this.length;
    callable(fn, 'find');
    for (let i = 0; i < length; i++) {
      const element = this[ELEMENT](i);
      if (fn.call(thisArg, element, i, this)) return element;
    }
    return undefined;
  }

  /** The index of the first element for which `fn` is truthy, or -1. */
  findIndex(fn: Callback<E, this, unknown>, thisArg?: unknown): number {
    const length = this.length;
    callable(fn, 'findIndex');
    for (let i = 0; i < length; i++) if (fn.call(thisArg, this[ELEMENT](i), i, this)) return i;
    return -1;
  }

  /** Whether `fn` is truthy for some element (false for an empty list). */
  some(fn: Callback<E, this, unknown>, thisArg?: unknown): boolean {
    return this.findIndex(fn, thisArg) >= 0;
  }

  /** Whether `fn` is truthy for every element (true for an empty list). */
  every(fn: Callback<E, this, unknown>, thisArg?: unknown): boolean {
    const length = this.length;
    callable(fn, 'every');
    for (let i = 0; i < length; i++) if (!fn.call(thisArg, this[ELEMENT](i), i, this)) return false;
    return true;
  }

  /** Calls `fn` for each element. */
  forEach(fn: Callback<E, this, unknown>, thisArg?: unknown): void {
    const length = this.length;
    callable(fn, 'forEach');
    for (let i = 0; i < length; i++) fn.call(thisArg, this[ELEMENT](i), i, this);
  }

  /** Folds the elements from the first, as Array.prototype.reduce (without `initial`: from the first element). */
  reduce(fn: (accumulator: E, element: E, index: number, list: this) => E): E;
  reduce<U>(fn: (accumulator: U, element: E, index: number, list: this) => U, initial: U): U;
  reduce(fn: (accumulator: never, element: E, index: number, list: this) => unknown, ...initial: unknown[]): unknown {
    const length = this.length;
    callable(fn, 'reduce');
    let i = 0;
    let accumulator: unknown;
    if (initial.length > 0) accumulator = initial[0];
    else if (length === 0) throw argumentError('initialValue', 'given to reduce an empty list', undefined, 'ListView.reduce');
    else accumulator = this[ELEMENT](i++);
    for (; i < length; i++) accumulator = fn(accumulator as never, this[ELEMENT](i), i, this);
    return accumulator;
  }

  /**
   * Whether some element is `value`, from `fromIndex`: SameValueZero, as Array.prototype.includes
   * (-0 finds 0). It differs from indexOf's === only for NaN, which no JSON value is.
   */
  includes(value: unknown, fromIndex?: number): boolean {
    return this.indexOf(value, fromIndex) >= 0;
  }

  /** The first index whose element is `value` (===), from `fromIndex`; -1 when none is. */
  indexOf(value: unknown, fromIndex?: number): number {
    const length = this.length;
    for (let i = startAt(fromIndex, length); i < length; i++) if ((this[ELEMENT](i) as unknown) === value) return i;
    return -1;
  }

  /** The last index whose element is `value` (===), searching back from `fromIndex` (default: the last); -1 when none is. */
  lastIndexOf(value: unknown, fromIndex?: number): number {
    const length = this.length;
    let from = fromIndex === undefined ? length - 1 : integer(fromIndex);
    if (from < 0) from += length;
    for (let i = Math.min(from, length - 1); i >= 0; i--) if ((this[ELEMENT](i) as unknown) === value) return i;
    return -1;
  }

  /** The elements from `start` up to `end` (negative counts from the end), as a plain array. */
  slice(start?: number, end?: number): E[] {
    const length = this.length;
    const from = startAt(start, length);
    const to = end === undefined ? length : startAt(end, length);
    const result: E[] = [];
    for (let i = from; i < to; i++) result.push(this[ELEMENT](i));
    return result;
  }

  /** The elements as text, joined by `separator` (default ","); null elements as "", as Array.prototype.join. */
  join(separator?: string): string {
    const length = this.length;
    const between = separator === undefined ? ',' : String(separator);
    let text = '';
    for (let i = 0; i < length; i++) {
      const element = this[ELEMENT](i) as unknown;
      if (i > 0) text += between;
      if (element !== null && element !== undefined) text += String(element);
    }
    return text;
  }

  /** As an array's: the elements joined by ",". */
  toString(): string {
    return this.join();
  }

  /** The list as plain JSON. */
  toJSON(): J[] {
    const length = this.length;
    const node = this[NODE];
    const result = new Array(length);
    for (let i = 0; i < length; i++) result[i] = node.element.plain(this[START] + i);
    return result;
  }

  /** console.log / util.inspect: the list's JSON, or a note once the store is disposed (as record views do). */
  [INSPECT](): unknown {
    return this[NODE].engine.disposed ? '[disposed memstore list view]' : this.toJSON();
  }

  get [Symbol.toStringTag](): string {
    return 'ListView';
  }

  /** Element `i` (0 <= i < length), read from the store: callers checked the store is live. */
  private [ELEMENT](i: number): E {
    return this[NODE].element.read(this[START] + i) as E;
  }
}

export function makeListView(node: ListNode, start: number, end: number): ListView {
  return new ListView(node, start, end);
}

/** A callback argument is a function, or a MemstoreInputError naming the method (Array's would be a TypeError). */
function callable(fn: unknown, method: string): void {
  if (typeof fn !== 'function') throw argumentError('callback', 'a function', fn, `ListView.${method}`);
}

/** An index argument as Array.prototype reads one: truncated toward zero, NaN as 0. */
function integer(value: number): number {
  const number = Number(value);
  return Number.isNaN(number) ? 0 : Math.trunc(number);
}

/** A start (or end) index as Array.prototype's slice and includes take it: negative from the end, clamped to 0 … length. */
function startAt(value: number | undefined, length: number): number {
  if (value === undefined) return 0;
  const index = integer(value);
  if (index < 0) return Math.max(length + index, 0);
  return Math.min(index, length);
}
