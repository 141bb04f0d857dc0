// The sorts behind orderBy, one per key encoding, stable and linear-time but for text and mixed
// values: a counting sort over string ranks, LSD radix sorts over int keys and over IEEE-754 bits,
// comparison sorts of text (strings that rarely repeat have no ranks to count) and of mixed values.
// Each encoding also compares two rows (`compare*`: what orderBy's top-k heap and the mixed sort
// use). They run in JS over the columns' typed arrays: the output is a JS array anyway, and a WASM
// version would need 8 bytes per row of working memory that WASM could never give back.
import type { BoolNode, FloatNode, IntNode, MixedNode, StringNode } from '../schema/scalars';
import { ColumnType, MixedTag } from '../wasm/abi';
import { canonicalKey } from './groupMap';

/** Two present rows in ascending order of their values (negative, 0 for equal values, positive); ties are the caller's. */
export type RowCompare = (a: number, b: number) => number;

/**
 * Ints in order, by their unsigned deltas (the order of the values: one base for the column), or
 * booleans as 0 / 1; ties keep row order. 8-byte deltas sort by their low then high words.
 */
export function orderInts(node: IntNode | BoolNode, rows: readonly number[], descending: boolean): Uint32Array {
  const column = node.column;
  const words = column.wide ? 2 : 1;
  const keys = Array.from({ length: words }, () => new Uint32Array(rows.length));
  const data = column.data;
  const [low, high] = keys;
  if (node.schemaType !== 'int') for (let i = 0; i < rows.length; i++) low[i] = node.read(rows[i]) ? 1 : 0;
  else if (column.wide) {
    for (let i = 0; i < rows.length; i++) {
      low[i] = data[2 * rows[i]];
      high[i] = data[2 * rows[i] + 1];
    }
  } else if (column.width !== 0) for (let i = 0; i < rows.length; i++) low[i] = data[rows[i]]; // width 0: all equal (0)
  // Inverted for descending: ties stay in row order.
  if (descending) for (const key of keys) for (let i = 0; i < key.length; i++) key[i] = ~key[i] >>> 0;
  return radixSort(Uint32Array.from(rows), keys);
}

/** Doubles in JavaScript's < order (-0 equal to 0); ties keep row order. */
export function orderFloats(node: FloatNode, rows: readonly number[], descending: boolean): Uint32Array {
  const column = node.column;
  const high = new Uint32Array(rows.length);
  const low = new Uint32Array(rows.length);
  const scratch = new Float64Array(1);
  const words = new Uint32Array(scratch.buffer);
  for (let i = 0; i < rows.length; i++) {
    scratch[0] = column.data[rows[i]] + 0; // -0 + 0 is 0: JavaScript's < does not order -0 before 0
    let hi = words[1];
    let lo = words[0];
    // IEEE-754 to unsigned order: negative numbers flip all bits, positive ones the sign bit.
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    high[i] = descending ? ~hi >>> 0 : hi;
    low[i] = descending ? ~lo >>> 0 : lo;
  }
  return radixSort(Uint32Array.from(rows), [low, high]);
}

/** Ranks each distinct string once (JavaScript's < order), then a counting sort by rank. */
export function orderStrings(node: StringNode, rows: readonly number[], descending: boolean): Uint32Array {
  const column = node.column;
  if (column.type === ColumnType.Text) {
    // No dictionary to rank: each row's string once, sorted by JavaScript's < (a stable sort).
    const texts = rows.map((row) => column.stringAt(row, node.engine));
    const order = Array.from(rows, (_, i) => i);
    order.sort((a, b) => (texts[a] < texts[b] ? (descending ? 1 : -1) : texts[a] > texts[b] ? (descending ? -1 : 1) : 0));
    return Uint32Array.from(order, (i) => rows[i]);
  }
  const size = column.dictionary.length;
  const rank = codeRanks(node);
  if (descending) for (let code = 0; code < size; code++) rank[code] = size - 1 - rank[code];
  const counts = new Uint32Array(size + 1);
  const rowRank = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    rowRank[i] = rank[column.width === 0 ? 0 : column.data[rows[i]]];
    counts[rowRank[i] + 1]++;
  }
  for (let r = 0; r < size; r++) counts[r + 1] += counts[r];
  const result = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) result[counts[rowRank[i]]++] = rows[i];
  return result;
}

/** Each dictionary code's position among the column's distinct strings in JavaScript's < order. */
function codeRanks(node: StringNode): Uint32Array {
  const column = node.column;
  const size = column.dictionary.length;
  const codes = Array.from({ length: size }, (_, code) => code);
  const texts = codes.map((code) => column.stringOfCode(code, node.engine));
  codes.sort((a, b) => (texts[a] < texts[b] ? -1 : texts[a] > texts[b] ? 1 : 0));
  const rank = new Uint32Array(size);
  codes.forEach((code, position) => { rank[code] = position; });
  return rank;
}

/** Ints by value, booleans false before true (rows of a sparse column read at their stored positions). */
export function compareInts(node: IntNode | BoolNode): RowCompare {
  const column = node.column;
  if (node.schemaType !== 'int') return (a, b) => (node.read(a) ? 1 : 0) - (node.read(b) ? 1 : 0);
  if (column.sparse !== null) return (a, b) => column.intAt(column.storedRow(a)) - column.intAt(column.storedRow(b));
  // Narrow deltas order as their values do (one base for the column); 8-byte deltas read whole.
  if (column.wide || column.width === 0) return (a, b) => column.intAt(a) - column.intAt(b);
  const data = column.data;
  return (a, b) => data[a] - data[b];
}

/** Doubles in JavaScript's < order (-0 equal to 0). */
export function compareFloats(node: FloatNode): RowCompare {
  const column = node.column;
  const data = column.data;
  if (column.sparse !== null) return (a, b) => data[column.storedRow(a)] - data[column.storedRow(b)];
  return (a, b) => data[a] - data[b];
}

/** Strings in JavaScript's < order: a dictionary's codes by rank, text by its strings. */
export function compareStrings(node: StringNode): RowCompare {
  const column = node.column;
  const at = (row: number) => (column.sparse === null ? row : column.storedRow(row));
  if (column.type === ColumnType.Text) {
    return (a, b) => {
      const x = column.stringAt(at(a), node.engine);
      const y = column.stringAt(at(b), node.engine);
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }
  if (column.width === 0) return () => 0;
  const rank = codeRanks(node);
  const data = column.data;
  return (a, b) => rank[data[at(a)]] - rank[data[at(b)]];
}

/**
 * Mixed values in one total order: by kind — booleans, then numbers, strings, lists, objects —
 * then within a kind by value (false < true; numbers and strings by JavaScript's <; lists and
 * objects by their canonical JSON text, canonicalKey: keys in UTF-16 order). Nested values are
 * parsed once per row compared (kept for the query).
 */
export function compareMixed(node: MixedNode): RowCompare {
  const column = node.column;
  const nested = new Map<number, { rank: number; text: string }>();
  const rankOf = (row: number): number => {
    const tag = column.data[row] as MixedTag;
    if (tag === MixedTag.False || tag === MixedTag.True) return 0;
    if (tag === MixedTag.Number) return 1;
    if (tag === MixedTag.String) return 2;
    return nestedOf(row).rank;
  };
  const nestedOf = (row: number) => {
    let entry = nested.get(row);
    if (entry === undefined) {
      const value = node.plain(row);
      entry = { rank: Array.isArray(value) ? 3 : 4, text: canonicalKey(value) };
      nested.set(row, entry);
    }
    return entry;
  };
  return (a, b) => {
    const kind = rankOf(a) - rankOf(b);
    if (kind !== 0) return kind;
    const tag = column.data[a] as MixedTag;
    if (tag === MixedTag.Number) return column.payload[a] - column.payload[b];
    if (tag !== MixedTag.Json && tag !== MixedTag.String) return tag - (column.data[b] as MixedTag); // False 0, True 1
    const x = tag === MixedTag.String ? (node.plain(a) as string) : nestedOf(a).text;
    const y = tag === MixedTag.String ? (node.plain(b) as string) : nestedOf(b).text;
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** A comparison sort of present rows (mixed values): stable, the reverse order of values for descending. */
export function orderCompared(compare: RowCompare, rows: readonly number[], descending: boolean): Uint32Array {
  const order = Array.from(rows);
  order.sort((a, b) => (descending ? compare(b, a) : compare(a, b)) || a - b);
  return Uint32Array.from(order);
}

/** Stable LSD radix sort of `rows` by keys given least significant word first, 16 bits a pass. */
function radixSort(rows: Uint32Array, keyWords: Uint32Array[]): Uint32Array {
  let order = new Uint32Array(rows.length).map((_, i) => i);
  let next = new Uint32Array(rows.length);
  const counts = new Uint32Array(65537);
  for (const word of keyWords) {
    for (const shift of [0, 16]) {
      counts.fill(0);
      for (let i = 0; i < order.length; i++) counts[((word[order[i]] >>> shift) & 0xffff) + 1]++;
      for (let d = 0; d < 65536; d++) counts[d + 1] += counts[d];
      for (let i = 0; i < order.length; i++) next[counts[(word[order[i]] >>> shift) & 0xffff]++] = order[i];
      [order, next] = [next, order];
    }
  }
  return order.map((i) => rows[i]);
}
