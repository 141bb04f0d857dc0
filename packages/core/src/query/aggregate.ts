// sum / min / max / mean over the numbers present in a column (list elements included), for
// every record or for a selection. The loops run in WASM; mixed columns are summed in JS.
import { MemstoreQueryError } from '../errors';
import type { Node } from '../schema/node';
import { AggregateResult, ColumnType, Status } from '../wasm/abi';
import type { QueryContext } from './context';
import { queryKind } from './kinds';
import type { Target } from './target';
import { forEachBlock, selectBlock } from './blocks';

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
 * up (an int column's exactly, in BigInts, rounded once at the end).
 */
export function totals(context: QueryContext, target: Target, operator: string, selection: Uint8Array | null): Totals {
  const { node, lists, path } = target;
  const kind = queryKind(node);
  if (kind.numbers === 'empty') return { sum: 0, count: 0, min: undefined, max: undefined };
  if (kind.numbers === null) throw new MemstoreQueryError(`${operator}("${path}") needs numbers, and "${path}" holds ${kind.holds}.`, path);
  if (selection === null) return rounded(columnTotals(context, node, 0, 0, node.column.length, path, operator));
  const { engine, workspace } = context;
  const all: BlockTotals = { sum: 0, count: 0, min: undefined, max: undefined, exactSum: null };
  forEachBlock(context.rowCount, (start, end) => {
    selectBlock(engine, workspace, selection, start, end);
    // Record rows → elements of every list crossed, level by level.
    let from = start;
    let to = end;
    for (let depth = 0; depth < lists.length; depth++) {
      const list = lists[depth];
      engine.exports.expandToElements(list.column.handle, from, to, workspace.slot(depth), workspace.slot(depth + 1));
      from = list.column.elementsBefore(from);
      to = list.column.elementsBefore(to);
    }
    const block = columnTotals(context, node, workspace.slot(lists.length), from, to, path, operator);
    if (block.count === 0) return;
    all.sum += block.sum;
    if (block.exactSum !== null) all.exactSum = (all.exactSum ?? 0n) + block.exactSum;
    all.count += block.count;
    all.min = all.min === undefined || block.min! < all.min ? block.min : all.min;
    all.max = all.max === undefined || block.max! > all.max ? block.max : all.max;
  });
  return rounded(all);
}

/** Totals of one pass; an int column's sum also exactly (its double is then rounded from it). */
interface BlockTotals extends Totals {
  exactSum: bigint | null;
}

function rounded({ exactSum, ...totals }: BlockTotals): Totals {
  return exactSum === null ? totals : { ...totals, sum: Number(exactSum) };
}

/** Totals of rows [start, end) of `node`'s column, those set in the bitmap at `selection` (bit 0: row start; a sparse column gathers it) when not 0. */
function columnTotals(context: QueryContext, node: Node, selection: number, start: number, end: number, path: string, operator: string): BlockTotals {
  if (queryKind(node).numbers === 'js') return { ...plainTotals(context, node, selection, start, end), exactSum: null };
  const { engine, workspace } = context;
  const column = node.column;
  let from = start;
  let to = end;
  if (column.sparse !== null) {
    // Over the stored rows: the selection (a workspace slot, copied in for this block) gathered to them.
    if (selection !== 0) engine.exports.sparseCompress(column.handle, start, end, selection);
    from = column.storedBefore(start);
    to = column.storedBefore(end);
  }
  const status = engine.exports.aggregate(column.handle, selection, from, to, workspace.result);
  if (status !== Status.Ok) throw new MemstoreQueryError(`${operator}("${path}") met a column of another type.`, path);
  const buffer = engine.memoryBuffer;
  const result = new Float64Array(buffer, workspace.result, AggregateResult.Bytes / 8);
  const count = result[AggregateResult.Count / 8];
  if (count === 0) return { sum: 0, count, min: undefined, max: undefined, exactSum: null };
  let exactSum: bigint | null = null;
  if (column.type === ColumnType.Int) {
    const [low, high] = new BigUint64Array(buffer, workspace.result + AggregateResult.DeltaSumLow, 2);
    exactSum = exactIntSum(low, high, count, column.base);
  }
  return { sum: result[AggregateResult.Sum / 8], count, min: result[AggregateResult.Min / 8], max: result[AggregateResult.Max / 8], exactSum };
}

/**
 * An int column's sum from the module's u128 sum of deltas (`low`, `high`: aggregate, groupSum)
 * plus `count` × `base`, exactly in BigInts.
 */
function exactIntSum(low: bigint, high: bigint, count: number, base: number): bigint {
  return (high << 64n) + low + BigInt(count) * BigInt(base);
}

/**
 * That sum rounded once: the true sum whenever a double holds it, else the double nearest it
 * (never a running double sum's drift).
 */
export function intSum(low: bigint, high: bigint, count: number, base: number): number {
  return Number(exactIntSum(low, high, count, base));
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
