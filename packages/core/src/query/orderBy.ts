// orderBy(path, 'asc' | 'desc'): a stable Uint32Array of row indices, nulls and missing last.
// Runs in JS over the columns' typed arrays with linear-time sorts (counting sort over string
// ranks, LSD radix over ints and floats): the output is a JS array anyway, and a WASM version
// would need 8 bytes per row of working memory that WASM could never give back.
import { MemstoreQueryError } from '../errors';
import { BoolNode, FloatNode, IntNode, NullNode, StringNode } from '../schema/nodes';
import type { QueryContext } from './context';
import { describeColumn } from './predicate';
import type { Target } from './target';

export type Direction = 'asc' | 'desc';

export function orderRows(context: QueryContext, target: Target, direction: Direction, selection: Uint8Array | null): Uint32Array {
  if (direction !== 'asc' && direction !== 'desc') throw new TypeError(`orderBy direction is 'asc' or 'desc', not ${JSON.stringify(direction)}.`);
  const { node, lists, path } = target;
  if (lists.length > 0) throw new MemstoreQueryError(`orderBy("${path}"): the key is inside a list; order by a field of the records.`, path);
  const descending = direction === 'desc';
  const rowCount = context.rowCount;
  const column = node.column;
  const present: number[] = [];
  const absent: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    if (selection !== null && (selection[row >>> 3] & (1 << (row & 7))) === 0) continue;
    if (node instanceof NullNode || column.isNull(row) || column.isMissing(row)) absent.push(row);
    else present.push(row);
  }
  let ordered: Uint32Array;
  if (node instanceof StringNode) ordered = byStrings(node, present, descending);
  else if (node instanceof IntNode || node instanceof BoolNode) {
    const keys = new Uint32Array(present.length);
    for (let i = 0; i < present.length; i++) {
      const value = node instanceof IntNode ? (column.width === 0 ? column.data[0] : column.data[present[i]]) : node.read(present[i]) ? 1 : 0;
      // Flip the sign bit so unsigned order is signed order; invert for descending (ties stay in row order).
      const key = (value ^ 0x80000000) >>> 0;
      keys[i] = descending ? ~key >>> 0 : key;
    }
    ordered = radixSort(Uint32Array.from(present), [keys]);
  } else if (node instanceof FloatNode) {
    const high = new Uint32Array(present.length);
    const low = new Uint32Array(present.length);
    const scratch = new Float64Array(1);
    const words = new Uint32Array(scratch.buffer);
    for (let i = 0; i < present.length; i++) {
      scratch[0] = column.data[present[i]] + 0; // -0 + 0 is 0: JavaScript's < does not order -0 before 0
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
    ordered = radixSort(Uint32Array.from(present), [low, high]);
  } else if (node instanceof NullNode) {
    ordered = new Uint32Array(0);
  } else {
    throw new MemstoreQueryError(`orderBy("${path}") needs numbers, strings or booleans, and "${path}" holds ${describeColumn(node)}.`, path);
  }
  const result = new Uint32Array(present.length + absent.length);
  result.set(ordered);
  result.set(absent, ordered.length);
  return result;
}

/** Ranks each distinct string once (JavaScript's < order), then a counting sort by rank. */
function byStrings(node: StringNode, rows: number[], descending: boolean): Uint32Array {
  const column = node.column;
  const size = column.dictionary.length;
  const codes = Array.from({ length: size }, (_, code) => code);
  const texts = codes.map((code) => column.stringOfCode(code, node.engine));
  codes.sort((a, b) => (texts[a] < texts[b] ? -1 : texts[a] > texts[b] ? 1 : 0));
  const rank = new Uint32Array(size);
  codes.forEach((code, position) => (rank[code] = descending ? size - 1 - position : position));
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
