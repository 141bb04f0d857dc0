// A selection is an expression tree evaluated in WASM over a range of record rows into a
// selection bitmap. Leaves are column tests; lists crossed on the way are reduced with "any".
import { MemstoreError } from '../errors';
import type { Engine } from '../engine';
import type { ListNode, Node } from '../schema/nodes';
import { Status } from '../wasm/abi';
import type { Target } from './target';
import type { Column } from '../column';
import type { Workspace } from './workspace';

/** What a leaf checks on each value of its column (built once per query, never per row). */
export type Test =
  | { readonly kind: 'int'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'float'; readonly lo: number; readonly hi: number; readonly flags: number }
  /**
   * `single`: the one code that matches (equality), or -1 when several do. `lut`: a byte per
   * code, or null when `single` is set and a code compare is the faster scan. The scans use the
   * table when there is one.
   */
  | { readonly kind: 'codes'; readonly lut: Uint8Array | null; readonly single: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'length'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'none' }
  /** Mixed columns: the JS comparison itself, over each present value. */
  | { readonly kind: 'js'; readonly test: (value: unknown) => boolean };

/** A column test. A class, not a literal: V8 allocates it inline (literals went through a builtin). */
export class Leaf {
  readonly kind = 'leaf';
  constructor(
    readonly target: Target,
    readonly test: Test,
  ) {}
}

export type Expression =
  | Leaf
  | { readonly kind: 'and' | 'or'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'not'; readonly inner: Expression };

/** Evaluates `expression` for record rows [start, end) into workspace slot `slotIndex`. */
export function evaluate(engine: Engine, workspace: Workspace, expression: Expression, slotIndex: number, start: number, end: number): number {
  const out = workspace.slot(slotIndex);
  const wasm = engine.exports;
  switch (expression.kind) {
    case 'leaf':
      evaluateLeaf(engine, workspace, expression.target.node, expression.target.lists, 0, expression.test, slotIndex, start, end);
      break;
    case 'and':
    case 'or': {
      evaluate(engine, workspace, expression.left, slotIndex, start, end);
      const other = evaluate(engine, workspace, expression.right, slotIndex + 1, start, end);
      if (expression.kind === 'and') wasm.bitmapAnd(out, other, end - start);
      else wasm.bitmapOr(out, other, end - start);
      break;
    }
    case 'not':
      evaluate(engine, workspace, expression.inner, slotIndex, start, end);
      wasm.bitmapNot(out, end - start);
      break;
  }
  return out;
}

function evaluateLeaf(
  engine: Engine, workspace: Workspace, node: Node, lists: readonly ListNode[], depth: number,
  test: Test, slotIndex: number, start: number, end: number,
): void {
  const out = workspace.slot(slotIndex);
  if (depth < lists.length) {
    // Rows of this level select when any of their elements does.
    const list = lists[depth];
    const offsets = list.column.data;
    evaluateLeaf(engine, workspace, node, lists, depth + 1, test, slotIndex + 1, offsets[start], offsets[end]);
    engine.exports.reduceAny(list.column.handle, start, end, workspace.slot(slotIndex + 1), out);
    return;
  }
  const wasm = engine.exports;
  const column = node.column.handle;
  let status = Status.Ok;
  switch (test.kind) {
    case 'int':
      status = wasm.scanIntRange(column, test.lo, test.hi, start, end, out);
      break;
    case 'float':
      status = wasm.scanFloatRange(column, test.lo, test.hi, test.flags, start, end, out);
      break;
    case 'codes':
      if (test.lut === null) {
        status = wasm.scanCodeEquals(column, test.single, start, end, out);
        break;
      }
      // No clearing first: the test's table covers every code of the column (≥ 16 bytes).
      engine.u8.set(test.lut, workspace.lut);
      status = wasm.scanCodes(column, workspace.lut, start, end, out);
      break;
    case 'bool':
      status = wasm.scanBool(column, test.value ? 1 : 0, start, end, out);
      break;
    case 'length':
      status = wasm.scanListLength(column, test.lo, test.hi, start, end, out);
      break;
    case 'null':
    case 'missing':
      wasm.scanPresence(column, test.kind === 'null' ? 0 : 1, start, end, out);
      return;
    case 'none':
      wasm.fillRange(out, end - start, 0);
      return;
    case 'js': {
      wasm.fillRange(out, end - start, 0);
      const bytes = engine.u8;
      for (let row = start; row < end; row++) {
        const value = node.plain(row);
        if (value !== null && value !== undefined && test.test(value)) {
          const bit = row - start;
          bytes[out + (bit >>> 3)] |= 1 << (bit & 7);
        }
      }
      return;
    }
  }
  if (status !== Status.Ok) {
    throw new MemstoreError('INTERNAL', `memstore internal error: scan of ${node.path} met a column of another type.`);
  }
  wasm.maskPresent(column, start, end, out);
}

/**
 * first() of a list-free leaf from row `start` on, in one WASM call that stops at the match: the
 * row, -1 for none, or UNTESTED for expressions it does not cover (and/or/not, lists, presence
 * and JS tests), which go through selection bitmaps block by block.
 */
export function firstInColumn(engine: Engine, workspace: Workspace, expression: Expression, start: number, end: number): number {
  if (expression.kind !== 'leaf' || expression.target.lists.length > 0) return UNTESTED;
  const { test, target } = expression;
  const column = target.node.column.handle;
  const wasm = engine.exports;
  const scratch = workspace.slot(0);
  let row: number;
  switch (test.kind) {
    case 'int':
      row = wasm.firstIntRange(column, test.lo, test.hi, start, end, scratch);
      break;
    case 'float':
      row = wasm.firstFloatRange(column, test.lo, test.hi, test.flags, start, end, scratch);
      break;
    case 'codes':
      if (test.lut === null) {
        row = wasm.firstCodeEquals(column, test.single, start, end, scratch);
        break;
      }
      engine.u8.set(test.lut, workspace.lut);
      row = wasm.firstCodes(column, workspace.lut, start, end, scratch);
      break;
    case 'bool':
      row = wasm.firstBool(column, test.value ? 1 : 0, start, end, scratch);
      break;
    case 'none':
      return -1;
    default:
      return UNTESTED;
  }
  if (row === -2) throw new MemstoreError('INTERNAL', `memstore internal error: first() on ${target.node.path} met a column of another type.`);
  return row;
}

/** firstInRows: the expression needs WASM (or the slow JS path); nothing was tested. */
export const UNTESTED = -2;

/**
 * The first row in [0, end) a list-free leaf matches, tested in JS on the column's typed arrays:
 * -1 when none does, UNTESTED for tests only WASM evaluates. first() runs it on the first rows,
 * where a WASM call's fixed cost would dominate; one tight loop per test kind, so a match at
 * the top costs a few array reads.
 */
export function firstInRows(expression: Expression, end: number): number {
  if (expression.kind !== 'leaf' || expression.target.lists.length > 0) return UNTESTED;
  const test = expression.test;
  // One small function per test kind: V8 inlines the one a call site uses, not a big switch.
  return test.kind === 'codes' ? firstCode(expression.target.node.column, test, end) : firstOfOtherKind(expression.target.node.column, test, end);
}

function firstOfOtherKind(column: Column, test: Test, end: number): number {
  switch (test.kind) {
    case 'int':
      return firstInt(column, test.lo, test.hi, end);
    case 'float':
      return firstFloat(column, test.lo, test.hi, test.flags, end);
    case 'bool':
      return firstBool(column, test.value, end);
    case 'none':
      return -1;
    default:
      return UNTESTED;
  }
}

function firstCode(column: Column, test: { readonly lut: Uint8Array | null; readonly single: number }, end: number): number {
  const data = column.data;
  const constant = column.width === 0;
  const { lut, single } = test;
  for (let row = 0; row < end; row++) {
    const code = constant ? 0 : data[row];
    if ((single >= 0 ? code === single : lut![code] !== 0) && isPresent(column, row)) return row;
  }
  return -1;
}

function firstInt(column: Column, lo: number, hi: number, end: number): number {
  const data = column.data;
  const constant = column.width === 0;
  for (let row = 0; row < end; row++) {
    const value = constant ? data[0] : data[row];
    if (value >= lo && value <= hi && isPresent(column, row)) return row;
  }
  return -1;
}

function firstFloat(column: Column, lo: number, hi: number, flags: number, end: number): number {
  const data = column.data;
  for (let row = 0; row < end; row++) {
    const value = data[row];
    if (((flags & 1) !== 0 ? value > lo : value >= lo) && ((flags & 2) !== 0 ? value < hi : value <= hi) && isPresent(column, row)) return row;
  }
  return -1;
}

function firstBool(column: Column, wanted: boolean, end: number): number {
  const data = column.data;
  for (let row = 0; row < end; row++) {
    if (((data[row >>> 3] & (1 << (row & 7))) !== 0) === wanted && isPresent(column, row)) return row;
  }
  return -1;
}

function isPresent(column: Column, row: number): boolean {
  return (column.nulls === null || !column.isNull(row)) && (column.missing === null || !column.isMissing(row));
}
