// orderBy(path, 'asc' | 'desc'): a stable Uint32Array of row indices, nulls and missing last.
// Each column kind names its sort (kinds.ts, over sort.ts); this file splits present rows from
// absent ones and joins the result.
import { MemstoreQueryError } from '../errors';
import { argumentError } from '../util/argumentError';
import type { QueryContext } from './context';
import { queryKind } from './kinds';
import type { Target } from './target';

export type Direction = 'asc' | 'desc';

export function orderRows(context: QueryContext, target: Target, direction: Direction, selection: Uint8Array | null): Uint32Array {
  if (direction !== 'asc' && direction !== 'desc') throw argumentError('direction', "'asc' or 'desc'", direction, 'orderBy');
  const { node, lists, path } = target;
  if (lists.length > 0) throw new MemstoreQueryError(`orderBy("${path}"): the key is inside a list; order by a field of the records.`, path);
  const kind = queryKind(node);
  if (kind.order === null) {
    throw new MemstoreQueryError(`orderBy("${path}") needs numbers, strings or booleans, and "${path}" holds ${kind.holds}.`, path);
  }
  const rowCount = context.rowCount;
  const column = node.column;
  const nullKind = node.schemaType === 'null';
  const present: number[] = [];
  const absent: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    if (selection !== null && (selection[row >>> 3] & (1 << (row & 7))) === 0) continue;
    if (nullKind || column.isNull(row) || column.isMissing(row)) absent.push(row);
    else present.push(row);
  }
  const descending = direction === 'desc';
  const ordered = column.sparse === null ? kind.order(node, present, descending) : orderStored(present, (rows) => kind.order!(node, rows, descending), (row) => column.storedRow(row));
  const result = new Uint32Array(present.length + absent.length);
  result.set(ordered);
  result.set(absent, ordered.length);
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
