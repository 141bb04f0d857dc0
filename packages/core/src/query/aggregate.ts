// sum / min / max / mean over the numbers present in a column (list elements included), for
// every record or for a selection. The loops run in WASM; mixed columns are summed in JS.
import { MemstoreQueryError } from '../errors';
import type { Node } from '../schema/node';
import { AggregateResult, ColumnType, Status } from '../wasm/abi';
import type { QueryContext } from './context';
import { queryKind } from './kinds';
import type { Target } from './target';

export interface Totals {
  sum: number;
  count: number;
  min: number | undefined;
  max: number | undefined;
}

/**
 * Totals of the present numbers at `target`, over the rows selected by `selection` (a bitmap
 * over record rows, already in workspace slot 0) or every row when null.
 */
export function totals(context: QueryContext, target: Target, operator: string, selection: Uint8Array | null): Totals {
  const { node, lists, path } = target;
  const kind = queryKind(node);
  if (kind.numbers === 'empty') return { sum: 0, count: 0, min: undefined, max: undefined };
  if (kind.numbers === null) throw new MemstoreQueryError(`${operator}("${path}") needs numbers, and "${path}" holds ${kind.holds}.`, path);
  const engine = context.engine;
  const workspace = context.workspace;
  let selectionPointer = 0;
  if (selection !== null) {
    engine.u8.set(selection, workspace.slot(0));
    selectionPointer = workspace.slot(0);
    // Record rows → elements of every list crossed, level by level.
    let rows = context.rowCount;
    for (let depth = 0; depth < lists.length; depth++) {
      const list = lists[depth];
      engine.exports.expandToElements(list.column.handle, 0, rows, workspace.slot(depth), workspace.slot(depth + 1));
      rows = list.column.data[rows];
      selectionPointer = workspace.slot(depth + 1);
    }
  }
  const length = node.column.length;
  if (kind.numbers === 'js') return plainTotals(context, node, length, selectionPointer);
  const status = engine.exports.aggregate(node.column.handle, selectionPointer, 0, length, workspace.result);
  if (status !== Status.Ok) throw new MemstoreQueryError(`${operator}("${path}") met a column of another type.`, path);
  const buffer = engine.memoryBuffer;
  const result = new Float64Array(buffer, workspace.result, AggregateResult.Bytes / 8);
  const count = result[AggregateResult.Count / 8];
  if (count === 0) return { sum: 0, count, min: undefined, max: undefined };
  const column = node.column;
  let sum = result[AggregateResult.Sum / 8];
  if (column.type === ColumnType.Int) {
    const words = new BigUint64Array(buffer, workspace.result + AggregateResult.DeltaSumLow, 2);
    sum = intSum(words[0], words[1], count, column.base);
  }
  return { sum, count, min: result[AggregateResult.Min / 8], max: result[AggregateResult.Max / 8] };
}

/**
 * An int column's sum from the module's u128 sum of deltas (`low`, `high`: aggregate, groupSum)
 * plus `count` × `base`: exact in BigInts, rounded once — the true sum whenever a double holds it,
 * else the double nearest it (never a running double sum's drift).
 */
export function intSum(low: bigint, high: bigint, count: number, base: number): number {
  return Number((high << 64n) + low + BigInt(count) * BigInt(base));
}

/** Totals over the plain values (mixed columns): the numbers among them. */
function plainTotals(context: QueryContext, node: Node, length: number, selection: number): Totals {
  const bytes = context.engine.u8;
  let sum = 0;
  let count = 0;
  let min: number | undefined;
  let max: number | undefined;
  for (let row = 0; row < length; row++) {
    if (selection !== 0 && (bytes[selection + (row >>> 3)] & (1 << (row & 7))) === 0) continue;
    const value = node.plain(row);
    if (typeof value !== 'number') continue;
    sum += value;
    if (min === undefined || value < min) min = value;
    if (max === undefined || value > max) max = value;
    count++;
  }
  return { sum, count, min, max };
}
