// sum / min / max / mean over the numbers present in a column (list elements included), for
// every record or for a selection. The loops run in WASM; mixed columns are summed in JS.
import { MemstoreQueryError } from '../errors';
import type { Node } from '../schema/node';
import { AggregateResult, ColumnType, Status } from '../wasm/abi';
import type { QueryContext } from './context';
import type { QueryKind } from './kinds';
import { maskPicked } from './picks';
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
 * up (an int column's exactly, rounded once at the end).
 */
export function totals(context: QueryContext, target: Target, operator: string, selection: Uint8Array | null): Totals {
  const { node, lists, picks, path, kind } = target;
  if (kind.numbers === 'empty') return { sum: 0, count: 0, min: undefined, max: undefined };
  if (kind.numbers === null) throw new MemstoreQueryError(`${operator}("${path}") needs numbers, and "${path}" holds ${kind.holds}.`, path);
  // One pass over the whole column, unless the path picks some elements of what it crosses.
  if (selection === null && picks.every((pick) => pick === undefined)) return rounded(columnTotals(context, node, kind, 0, 0, node.column.length, path, operator));
  const { engine, workspace } = context;
  const all: BlockTotals = { sum: 0, count: 0, min: undefined, max: undefined, intSum: null };
  forEachBlock(context.rowCount, (start, end) => {
    if (selection === null) engine.exports.fillRange(workspace.slot(0), end - start, 1);
    else selectBlock(engine, workspace, selection, start, end);
    // Record rows → elements of every list crossed, level by level.
    let from = start;
    let to = end;
    for (let depth = 0; depth < lists.length; depth++) {
      const list = lists[depth];
      engine.exports.expandToElements(list.column.handle, from, to, workspace.slot(depth), workspace.slot(depth + 1));
      maskPicked(engine, workspace, list, picks[depth], from, to, workspace.slot(depth + 1), depth + 2);
      from = list.column.elementsBefore(from);
      to = list.column.elementsBefore(to);
    }
    const block = columnTotals(context, node, kind, workspace.slot(lists.length), from, to, path, operator);
    if (block.count === 0) return;
    all.sum += block.sum;
    if (block.intSum !== null) all.intSum = all.intSum === null ? block.intSum : addExact(all.intSum, block.intSum);
    all.count += block.count;
    all.min = all.min === undefined || block.min! < all.min ? block.min : all.min;
    all.max = all.max === undefined || block.max! > all.max ? block.max : all.max;
  });
  return rounded(all);
}

/** Totals of one pass; an int column's sum also exactly (the double sum is then that, rounded). */
interface BlockTotals extends Totals {
  /** An int column's sum, exact: a double when it holds it exactly (|sum| < 2^53), else a BigInt. Null for other columns. */
  intSum: number | bigint | null;
}

/** `totals` with an int column's exact sum rounded once into `sum`. */
function rounded(totals: BlockTotals): Totals {
  if (totals.intSum !== null) totals.sum = Number(totals.intSum);
  return totals;
}

/** Totals of rows [start, end) of `node`'s column, those set in the bitmap at `selection` (bit 0: row start; a sparse column gathers it) when not 0. */
function columnTotals(context: QueryContext, node: Node, kind: QueryKind, selection: number, start: number, end: number, path: string, operator: string): BlockTotals {
  if (kind.numbers === 'js') {
    const plain = plainTotals(context, node, selection, start, end);
    return { sum: plain.sum, count: plain.count, min: plain.min, max: plain.max, intSum: null };
  }
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
  const at = workspace.result;
  const status = engine.exports.aggregate(column.handle, selection, from, to, at);
  if (status !== Status.Ok) throw new MemstoreQueryError(`${operator}("${path}") met a column of another type.`, path);
  const result = new Float64Array(engine.memoryBuffer, at, AggregateResult.Bytes / 8);
  const count = result[AggregateResult.Count / 8];
  if (count === 0) return { sum: 0, count, min: undefined, max: undefined, intSum: null };
  let intSum: number | bigint | null = null;
  if (column.type === ColumnType.Int) {
    // The u128 sum of deltas as four u32 words, low first (the module's memory is little-endian).
    const words = engine.u32;
    const low = (at + AggregateResult.DeltaSumLow) >>> 2;
    const high = (at + AggregateResult.DeltaSumHigh) >>> 2;
    intSum = exactIntSum(words[low], words[low + 1], words[high], words[high + 1], count, column.base);
  }
  return { sum: result[AggregateResult.Sum / 8], count, min: result[AggregateResult.Min / 8], max: result[AggregateResult.Max / 8], intSum };
}

const TWO_32 = 4294967296;
/** 2^53: integers of smaller magnitude are exact doubles, and so is a sum or product of them whose double is below it. */
const EXACT = 9007199254740992;

/**
 * An int column's sum, exactly: the module's u128 sum of deltas (u32 words `w0`…`w3`, low first)
 * plus `count` × `base`. In doubles when every step is exact — the deltas' sum below 2^53, count ×
 * base and the total below 2^53 in magnitude as doubles (a double below 2^53 means the true value
 * is too, so it is exact) — which holds for any column of fewer than 2^21 rows of 4-byte deltas
 * whose sum a double holds; otherwise in BigInts. BigInt work on every call had made sum() over
 * 64 rows cost 210 ns, where 28060b4's took 45.
 */
function exactIntSum(w0: number, w1: number, w2: number, w3: number, count: number, base: number): number | bigint {
  if (w3 === 0 && w2 === 0 && w1 < 0x200000) {
    const scaled = count * base;
    const sum = scaled + (w1 * TWO_32 + w0);
    if (Math.abs(scaled) < EXACT && Math.abs(sum) < EXACT) return sum;
  }
  const deltas = (BigInt(w3) << 96n) + (BigInt(w2) << 64n) + (BigInt(w1) << 32n) + BigInt(w0);
  return deltas + BigInt(count) * BigInt(base);
}

/** a + b, two exact sums (numbers below 2^53 in magnitude, or BigInts), exactly. */
function addExact(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Math.abs(sum) < EXACT) return sum;
  }
  return BigInt(a) + BigInt(b);
}

/**
 * An int column's sum from the module's u128 sum of deltas (u32 words `w0`…`w3`, low first) plus
 * `count` × `base`, rounded once: the true sum whenever a double holds it, else the double
 * nearest it (never a running double sum's drift).
 */
export function intSum(w0: number, w1: number, w2: number, w3: number, count: number, base: number): number {
  return Number(exactIntSum(w0, w1, w2, w3, count, base));
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
