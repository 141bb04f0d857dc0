// orderBy(path, 'asc' | 'desc', { limit }): a stable Uint32Array of row indices, nulls and missing
// last. Each column kind names its sort and its comparison of two rows (kinds.ts, over sort.ts);
// this file splits present rows from absent ones and joins the result, or, given a limit k, keeps
// the first k rows of that same order in a bounded heap (topRows): one pass over the rows, a
// compare with the heap's last row per present row, then a sort of the k kept.
import { MemstoreQueryError } from '../errors';
import { argumentError, optionsObject } from '../util/argumentError';
import type { Node } from '../schema/node';
import type { QueryContext } from './context';
import { queryKind } from './kinds';
import type { RowCompare } from './sort';
import type { Target } from './target';

export type Direction = 'asc' | 'desc';

/** orderBy's options. */
export interface OrderOptions {
  /** Only the first `limit` rows of the order (a non-negative integer): top-k without sorting every row. */
  limit?: number;
}

/** A limit of more than 1/LIMIT_SHARE of the rows sorts them all (linear-time sorts) and keeps the first `limit`. */
const LIMIT_SHARE = 16;

export function orderRows(context: QueryContext, target: Target, direction: Direction, selection: Uint8Array | null, options?: OrderOptions): Uint32Array {
  if (direction !== 'asc' && direction !== 'desc') throw argumentError('direction', "'asc' or 'desc'", direction, 'orderBy');
  const limit = limitOf(options);
  const { node, lists, path } = target;
  if (lists.length > 0) throw new MemstoreQueryError(`orderBy("${path}"): the key is inside a list; order by a field of the records.`, path);
  const kind = queryKind(node);
  if (kind.order === null || kind.compare === null) {
    throw new MemstoreQueryError(`orderBy("${path}") needs numbers, strings, booleans or mixed values, and "${path}" holds ${kind.holds}.`, path);
  }
  const rowCount = context.rowCount;
  const descending = direction === 'desc';
  if (limit !== undefined && limit * LIMIT_SHARE < rowCount) return topRows(node, kind.compare(node), descending, selection, rowCount, limit);
  const column = node.column;
  const nullKind = node.schemaType === 'null';
  const present: number[] = [];
  const absent: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    if (selection !== null && (selection[row >>> 3] & (1 << (row & 7))) === 0) continue;
    if (nullKind || column.isNull(row) || column.isMissing(row)) absent.push(row);
    else present.push(row);
  }
  const ordered = column.sparse === null ? kind.order(node, present, descending) : orderStored(present, (rows) => kind.order!(node, rows, descending), (row) => column.storedRow(row));
  const result = new Uint32Array(present.length + absent.length);
  result.set(ordered);
  result.set(absent, ordered.length);
  return limit === undefined ? result : result.slice(0, limit);
}

function limitOf(options: OrderOptions | undefined): number | undefined {
  const limit = optionsObject(options).limit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw argumentError('options.limit', 'a non-negative integer', limit, 'orderBy');
  return limit;
}

/**
 * The first `limit` rows of the order, in O(rows + present rows × log limit) worst case (rows met
 * in row order enter only when they come before the heap's last: with random values, about
 * limit × log(rows) of them) plus O(limit log limit) for the kept rows. A max-heap by the
 * order — value, then row index, as the stable full sort breaks ties — whose top is the last row
 * kept; absent rows follow the present ones, in row order, as in the full sort.
 */
function topRows(node: Node, compare: RowCompare, descending: boolean, selection: Uint8Array | null, rowCount: number, limit: number): Uint32Array {
  const column = node.column;
  const nullKind = node.schemaType === 'null';
  // Whether row a comes after row b (b < a or not: ties go by row index).
  const after = (a: number, b: number): boolean => {
    const c = descending ? compare(b, a) : compare(a, b);
    return c > 0 || (c === 0 && a > b);
  };
  const heap = new Uint32Array(limit);
  let size = 0;
  const absent: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    if (selection !== null && (selection[row >>> 3] & (1 << (row & 7))) === 0) continue;
    if (nullKind || column.isNull(row) || column.isMissing(row)) {
      if (absent.length < limit) absent.push(row);
      continue;
    }
    if (size < limit) {
      // Sift up: the new row rises while it comes after its parent.
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >>> 1;
        if (!after(row, heap[parent])) break;
        heap[at] = heap[parent];
        at = parent;
      }
      heap[at] = row;
    } else if (limit > 0 && after(heap[0], row)) {
      // Sift down: the row replaces the last kept and sinks below every row that comes after it.
      let at = 0;
      while (true) {
        const left = 2 * at + 1;
        if (left >= size) break;
        const child = left + 1 < size && after(heap[left + 1], heap[left]) ? left + 1 : left;
        if (!after(heap[child], row)) break;
        heap[at] = heap[child];
        at = child;
      }
      heap[at] = row;
    }
  }
  const kept = Array.from(heap.subarray(0, size)).sort((a, b) => (after(a, b) ? 1 : -1));
  const result = new Uint32Array(Math.min(limit, size + absent.length));
  result.set(kept);
  result.set(absent.slice(0, result.length - size), size);
  return result;
}

/**
 * A sparse column's sort: the sorts read the buffers by position, and its buffers hold its stored
 * rows, which rise with the rows: sorted as stored positions, then mapped back to their rows.
 */
function orderStored(rows: readonly number[], order: (stored: readonly number[]) => Uint32Array, storedRow: (row: number) => number): Uint32Array {
  const stored = rows.map(storedRow);
  const rowOf = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) rowOf.set(stored[i], rows[i]);
  return order(stored).map((at) => rowOf.get(at)!);
}
