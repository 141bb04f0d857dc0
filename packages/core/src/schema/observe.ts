// The first pass over the input: validates that every value is one JSON.parse could produce
// and gathers, per path, what the schema needs — the kinds seen, int ranges, distinct strings,
// object keys, list sizes. No WASM memory is touched until the whole input has passed (the
// module's text rule, a pure function, is asked as strings arrive).
import { Limit } from '../wasm/abi';
import { MemstoreDepthError, MemstoreInputError } from '../errors';
import { formatPath } from '../util/formatPath';
import { wtf8Length } from '../util/wtf8';

/** Deepest nesting accepted (objects and arrays both count a level). */
export const MAX_DEPTH: number = Limit.Depth;

export const enum Kind {
  Null = 1,
  Bool = 2,
  Int = 4,
  Float = 8,
  String = 16,
  Object = 32,
  Array = 64,
}

/**
 * What the first pass saw at one path. A wide record makes one for each of its fields, nearly all
 * scalars: what objects and arrays add is kept apart (ObjectsSeen, ArraysSeen), so a scalar's
 * observation has 8 fields (the 100,000 observations of a wide record's first object were a
 * third smaller and ~10 ms quicker to make: 21 against 31 ms).
 */
export class Observed {
  kinds = 0;
  /** Values seen here, null included; missing rows are the parent's rows minus this. */
  present = 0;
  nullCount = 0;
  /**
   * The ints' range, set by the first int (kinds has Kind.Int from then on). Not ±Infinity
   * before it: a field that starts as a double holds a heap number, one more object for each of
   * a wide record's 100,000 fields.
   */
  intMin = 0;
  intMax = 0;
  /** The strings seen here; null before the first. */
  strings: StringsSeen | null = null;
  /** The objects seen here; null before the first. */
  objects: ObjectsSeen | null = null;
  /** The arrays seen here; null before the first. */
  arrays: ArraysSeen | null = null;

  mergeFrom(other: Observed): void {
    if (other.kinds & Kind.Int) {
      const had = (this.kinds & Kind.Int) !== 0;
      this.intMin = had ? Math.min(this.intMin, other.intMin) : other.intMin;
      this.intMax = had ? Math.max(this.intMax, other.intMax) : other.intMax;
    }
    this.kinds |= other.kinds;
    this.present += other.present;
    this.nullCount += other.nullCount;
    if (other.strings) (this.strings ??= new StringsSeen()).mergeFrom(other.strings);
    if (other.objects) (this.objects ??= new ObjectsSeen()).mergeFrom(other.objects);
    if (other.arrays) (this.arrays ??= new ArraysSeen()).mergeFrom(other.arrays);
  }
}

/** What the objects at one path held. */
export class ObjectsSeen {
  /** Their keys in first-seen order. */
  readonly fields = new Map<string, Observed>();
  count = 0;
  /** Sum over the objects of their key counts (map entries, if this becomes a map). */
  keyTotal = 0;
  /** Keys of the first object: the parser judges a struct within it when it has many (plan.ts). */
  firstKeys = 0;

  mergeFrom(other: ObjectsSeen): void {
    for (const [key, field] of other.fields) {
      let mine = this.fields.get(key);
      if (!mine) this.fields.set(key, (mine = new Observed()));
      mine.mergeFrom(field);
    }
    if (this.count === 0) this.firstKeys = other.firstKeys;
    this.count += other.count;
    this.keyTotal += other.keyTotal;
  }
}

/** What the arrays at one path held. */
export class ArraysSeen {
  /** Their elements, as one path. */
  readonly element = new Observed();
  /** Sum of their lengths. */
  total = 0;

  mergeFrom(other: ArraysSeen): void {
    this.element.mergeFrom(other.element);
    this.total += other.total;
  }
}

/**
 * The module's rule for text over dictionary codes (assembly/text.ts textPreferred, with the code
 * width a dictionary of `entries` strings has): `fresh` new strings over `rows` rows, `bytes` each.
 */
export type TextRule = (rows: number, fresh: number, entries: number, bytes: number) => boolean;

/**
 * The strings seen at one path: what choosing dictionary codes or text, and sizing either, needs.
 * Distinct strings are counted (a Map of each to its index) until the path turns text: at each
 * doubling of them from Limit.TextReviewFrom on, the module's own review of a dictionary
 * (assembly/text.ts reviewDictionary) is made here, on the same window, so a path the parser
 * would turn text turns text here too, and its strings, which never repeat, stop going into the
 * Map: hashing and keeping every id, sha, url and text of an event feed (in a Set, before) was
 * most of fromRecords' first pass.
 */
export class StringsSeen {
  /** Strings seen (repeats included), and their UTF-16 units in all. */
  rows = 0;
  units = 0;
  /** The distinct strings while codes are the encoding, each to its index in `order`; null once text. */
  distinct: Map<string, number> | null = new Map();
  /** The distinct strings in first-seen order. */
  order: string[] | null = [];
  /**
   * The index in `order` of every string seen here, in the order seen, which is the order the
   * write pass meets them (see StringNode.sequence); null once text, and for strings merged from
   * several paths (a map's values), whose order is no longer that.
   */
  indices: Int32Array | null = new Int32Array(4);
  /** WTF-8 bytes and UTF-16 units of the distinct strings (plan.ts sizes both encodings from them). */
  distinctBytes = 0;
  distinctUnits = 0;
  /** Rows at the last review, and the bytes of the strings new since. */
  private reviewRows = 0;
  private windowBytes = 0;
  /** Chosen text: the WTF-8 bytes of every string here (those before the choice estimated by valueBytes); -1 while codes. */
  textBytes = -1;

  add(value: string, rule: TextRule): void {
    this.rows++;
    this.units += value.length;
    if (this.textBytes >= 0) {
      this.textBytes += wtf8Length(value);
      return;
    }
    const distinct = this.distinct!;
    const known = distinct.get(value);
    const index = known ?? distinct.size;
    let indices = this.indices;
    if (indices !== null) {
      const at = this.rows - 1;
      if (at === indices.length) {
        const grown = new Int32Array(indices.length * 2);
        grown.set(indices);
        this.indices = indices = grown;
      }
      indices[at] = index;
    }
    if (known !== undefined) return;
    distinct.set(value, index);
    this.order!.push(value);
    const bytes = wtf8Length(value);
    this.distinctBytes += bytes;
    this.distinctUnits += value.length;
    this.windowBytes += bytes;
    const entries = index + 1;
    if (entries >= Limit.TextReviewFrom >>> 1 && (entries & (entries - 1)) === 0) this.review(entries, rule);
  }

  /** At `entries` distinct strings (a power of two): the rows since the last review, judged as reviewDictionary judges them. */
  private review(entries: number, rule: TextRule): void {
    const since = this.reviewRows;
    const fresh = entries >>> 1;
    const mean = this.windowBytes / fresh;
    this.reviewRows = this.rows;
    this.windowBytes = 0;
    if (entries < Limit.TextReviewFrom || this.rows <= since || !rule(this.rows - since, fresh, entries, mean)) return;
    this.textBytes = this.valueBytes();
    this.distinct = null;
    this.order = null;
    this.indices = null;
  }

  /** WTF-8 bytes of every string here: exact when each was distinct (or text was chosen), else scaled from the distinct ones. */
  valueBytes(): number {
    if (this.textBytes >= 0) return this.textBytes;
    return this.distinctUnits === this.units ? this.distinctBytes : Math.ceil((this.units * this.distinctBytes) / Math.max(1, this.distinctUnits));
  }

  /** Adds another path's strings (a map's values gather those of every key); text if either is. */
  mergeFrom(other: StringsSeen): void {
    this.indices = null;
    if (this.textBytes >= 0 || other.textBytes >= 0) {
      this.textBytes = this.valueBytes() + other.valueBytes();
      this.distinct = null;
      this.order = null;
    } else {
      const distinct = this.distinct!;
      for (const text of other.order!) {
        if (distinct.has(text)) continue;
        distinct.set(text, distinct.size);
        this.order!.push(text);
        this.distinctBytes += wtf8Length(text);
        this.distinctUnits += text.length;
      }
    }
    this.rows += other.rows;
    this.units += other.units;
  }
}

/** 2^53: the largest integer magnitude an int column holds (assembly/numbers.ts INT_LIMIT). */
export const INT_LIMIT = 2 ** 53;

/** An integer an int column holds — integral, |value| ≤ 2^53, not -0 — as assembly/numbers.ts isIntValue. */
export function isIntValue(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) <= INT_LIMIT && !Object.is(value, -0);
}

/** Observes every record; throws MemstoreInputError / MemstoreDepthError naming the path. */
export function observeRecords(records: readonly unknown[], rule: TextRule): Observed {
  const root = new Observed();
  const walker = new Walker(rule);
  for (let i = 0; i < records.length; i++) {
    walker.keys[0] = i;
    walker.observe(root, records[i], 0);
  }
  return root;
}

/**
 * Fields past which a struct's objects are walked by Object.keys: V8 keeps an object of more than
 * about a thousand properties as a dictionary, where for…in is a quarter slower than Object.keys
 * (2 × 100,000 keys: 52 against 41 ms). The first object of a struct is walked by Object.keys
 * too: its size is not known before, and it comes once per struct, where for…in gains nothing.
 */
const DICTIONARY_KEYS = 1024;
const hasOwn = Object.prototype.hasOwnProperty;

class Walker {
  /** keys[d] is the key (or index) that led to the value at depth d; for error paths only. */
  readonly keys: (string | number)[] = [];
  /** ancestors[d] is the object or array at depth d, to tell a cycle from deep nesting. */
  readonly ancestors: object[] = [];

  constructor(private readonly rule: TextRule) {}

  observe(node: Observed, value: unknown, depth: number): void {
    node.present++;
    if (value === null) {
      node.kinds |= Kind.Null;
      node.nullCount++;
      return;
    }
    switch (typeof value) {
      case 'boolean':
        node.kinds |= Kind.Bool;
        return;
      case 'number':
        // ±Infinity are values JSON.parse gives (for 1e309, -1e999), so they are stored; NaN never is.
        if (Number.isNaN(value)) this.fail('NaN is not a JSON number', depth);
        if (isIntValue(value)) {
          if ((node.kinds & Kind.Int) === 0) {
            node.intMin = value;
            node.intMax = value;
            node.kinds |= Kind.Int;
          } else if (value < node.intMin) node.intMin = value;
          else if (value > node.intMax) node.intMax = value;
        } else {
          node.kinds |= Kind.Float;
        }
        return;
      case 'string':
        node.kinds |= Kind.String;
        (node.strings ??= new StringsSeen()).add(value, this.rule);
        return;
      case 'object':
        break;
      default:
        this.fail(`${describeValue(value)} is not a JSON value`, depth);
    }
    const container = value as object;
    if (depth >= MAX_DEPTH) this.failDeep(container, depth);
    this.ancestors[depth] = container;
    if (Array.isArray(container)) {
      node.kinds |= Kind.Array;
      const arrays = (node.arrays ??= new ArraysSeen());
      arrays.total += container.length;
      const element = arrays.element;
      for (let i = 0; i < container.length; i++) {
        this.keys[depth + 1] = i;
        this.observe(element, container[i], depth + 1);
      }
      return;
    }
    const prototype = Object.getPrototypeOf(container);
    if (prototype !== Object.prototype && prototype !== null) {
      this.fail(`${describeValue(container)} is not a plain object (JSON.parse makes only plain objects and arrays)`, depth);
    }
    node.kinds |= Kind.Object;
    // The first object here has only new keys (each comes once): none is looked up.
    const first = node.objects === null;
    const objects = (node.objects ??= new ObjectsSeen());
    const fields = objects.fields;
    const record = container as Record<string, unknown>;
    let count = 0;
    if (!first && fields.size < DICTIONARY_KEYS) {
      // for…in reads a record's keys from its shape's cache and makes no array: on records of a
      // few fields twice as fast as Object.keys. Own keys only: an enumerable key added to
      // Object.prototype is not the record's.
      for (const key in record) {
        if (!hasOwn.call(record, key)) continue;
        count++;
        this.observeField(fields, first, record, key, depth);
      }
    } else {
      const keys = Object.keys(record);
      count = keys.length;
      for (const key of keys) this.observeField(fields, first, record, key, depth);
    }
    if (objects.count++ === 0) objects.firstKeys = count;
    objects.keyTotal += count;
  }

  private observeField(fields: Map<string, Observed>, first: boolean, record: Record<string, unknown>, key: string, depth: number): void {
    let field = first ? undefined : fields.get(key);
    if (field === undefined) fields.set(key, (field = new Observed()));
    this.keys[depth + 1] = key;
    this.observe(field, record[key], depth + 1);
  }

  private fail(message: string, depth: number): never {
    const path = formatPath(this.keys.slice(0, depth + 1));
    throw new MemstoreInputError(`Cannot store ${path}: ${message}.`, path);
  }

  private failDeep(container: object, depth: number): never {
    // A cycle is named where the value first repeats one of its ancestors (records[0].self),
    // not MAX_DEPTH levels further down where the walk stopped (records[0].self.self.self…).
    this.ancestors[depth] = container;
    const seen = new Set<object>();
    for (let level = 0; level <= depth; level++) {
      const ancestor = this.ancestors[level];
      if (seen.has(ancestor)) {
        const path = formatPath(this.keys.slice(0, level + 1));
        throw new MemstoreInputError(`Cannot store ${path}: it contains itself (a cycle); JSON has no cycles.`, path);
      }
      seen.add(ancestor);
    }
    const path = formatPath(this.keys.slice(0, depth + 1));
    throw new MemstoreDepthError(`Cannot store ${path}: nesting deeper than ${MAX_DEPTH} levels is not supported.`, path);
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `the BigInt ${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  const name = (value as object).constructor?.name;
  return name ? `a ${name}` : 'an object with a custom prototype';
}
