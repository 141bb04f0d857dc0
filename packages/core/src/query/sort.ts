// The sorts behind orderBy, one per key encoding, stable and linear-time but for text: a counting
// sort over string ranks, LSD radix sorts over int keys and over IEEE-754 bits, a comparison sort
// of text (strings that rarely repeat have no ranks to count). They run in JS over
// the columns' typed arrays: the output is a JS array anyway, and a WASM version would need
// 8 bytes per row of working memory that WASM could never give back.
import type { BoolNode, FloatNode, IntNode, StringNode } from '../schema/scalars';
import { ColumnType } from '../wasm/abi';

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
  const codes = Array.from({ length: size }, (_, code) => code);
  const texts = codes.map((code) => column.stringOfCode(code, node.engine));
  codes.sort((a, b) => (texts[a] < texts[b] ? -1 : texts[a] > texts[b] ? 1 : 0));
  const rank = new Uint32Array(size);
  codes.forEach((code, position) => { rank[code] = descending ? size - 1 - position : position; });
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
