// A selection is an expression tree evaluated in WASM over a range of record rows into a
// selection bitmap. Leaves are column tests (tests.ts); lists crossed on the way are reduced
// with "any".
import type { Engine } from '../engine';
import type { Node } from '../schema/node';
import type { ListNode } from '../schema/containers';
import type { Target } from './target';
import { scanTest, type Test } from './tests';
import type { Workspace } from './workspace';

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
  scanTest({ engine, workspace, node }, test, start, end, out);
}
