// sum / min / max / mean over the numbers present in a column (list elements included), for
// every record or for a selection. The loops run in WASM; mixed columns are summed in JS.
import { MemstoreQueryError } from '../errors';
import type { Node } from '../schema/node';
import { Status } from '../wasm/abi';
import type { QueryContext } from './context';
import { queryKind } from './kinds';
import type { Target } from './target';
import { blockOf, forEachBlock } from './workspace';

export interface Totals {
  sum: number;
  count: number;
  min: number | undefined;
  max: number | undefined;
}

/**
 * Totals of the present numbers at `target`, over the rows selected by `selection` (a bitmap
 * over record rows) or every row when null. Without a selection one WASM pass covers the column;
 * with one, the selection is copied into the workspace a block of record rows at a time (and
 * expanded to the elements of every list crossed, level by level), and the blocks' totals added
 * up (int sums stay exact: each block's is an exact integer).
 */
export function totals(context: QueryContext, target: Target, operator: string, selection: Uint8Array | null): Totals {
  const { node, lists, path } = target;
  const kind = queryKind(node);
  if (kind.numbers === 'empty') return { sum: 0, count: 0, min: undefined, max: undefined };
  if (kind.numbers === null) throw new MemstoreQueryError(`${operator}("${path}") needs numbers, and "${path}" holds ${kind.holds}.`, path);
  if (selection === null) return columnTotals(context, node, 0, 0, node.column.length, path, operator);
  const { engine, workspace } = context;
  const all: Totals = { sum: 0, count: 0, min: undefined, max: undefined };
  forEachBlock(context.rowCount, (start, end) => {
    engine.u8.set(blockOf(selection, start, end), workspace.slot(0));
    // Record rows → elements of every list crossed, level by level.
    let from = start;
    let to = end;
    for (let depth = 0; depth < lists.length; depth++) {
      const list = lists[depth];
      engine.exports.expandToElements(list.column.handle, from, to, workspace.slot(depth), workspace.slot(depth + 1));
      from = list.column.data[from];
      to = list.column.data[to];
    }
    const block = columnTotals(context, node, workspace.slot(lists.length), from, to, path, operator);
    if (block.count === 0) return;
    all.sum += block.sum;
    all.count += block.count;
    all.min = all.min === undefined || block.min! < all.min ? block.min : all.min;
    all.max = all.max === undefined || block.max! > all.max ? block.max : all.max;
  });
  return all;
}

/** Totals of rows [start, end) of `node`'s column, those set in the bitmap at `selection` (bit 0: row start) when not 0. */
function columnTotals(context: QueryContext, node: Node, selection: number, start: number, end: number, path: string, operator: string): Totals {
  if (queryKind(node).numbers === 'js') return plainTotals(context, node, selection, start, end);
  const { engine, workspace } = context;
  const status = engine.exports.aggregate(node.column.handle, selection, start, end, workspace.result);
  if (status !== Status.Ok) throw new MemstoreQueryError(`${operator}("${path}") met a column of another type.`, path);
  const result = new Float64Array(engine.memoryBuffer, workspace.result, 4);
  const count = result[1];
  return { sum: count === 0 ? 0 : result[0], count, min: count === 0 ? undefined : result[2], max: count === 0 ? undefined : result[3] };
}

/** Totals over the plain values (mixed columns): the numbers among them. */
function plainTotals(context: QueryContext, node: Node, selection: number, start: number, end: number): Totals {
  const bytes = context.engine.u8;
  let sum = 0;
  let count = 0;
  let min: number | undefined;
  let max: number | undefined;
  for (let row = start; row < end; row++) {
    const i = row - start;
    if (selection !== 0 && (bytes[selection + (i >>> 3)] & (1 << (i & 7))) === 0) continue;
    const value = node.plain(row);
    if (typeof value !== 'number') continue;
    sum += value;
    if (min === undefined || value < min) min = value;
    if (max === undefined || value > max) max = value;
    count++;
  }
  return { sum, count, min, max };
}
