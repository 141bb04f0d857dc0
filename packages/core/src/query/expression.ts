// A selection is an expression tree evaluated in WASM over a range of record rows into a
// selection bitmap. Leaves are column tests (tests.ts); containers crossed on the way are
// reduced with "any", over the picked elements where the path picks some (picks.ts).
import type { Engine } from '../engine';
import { maskPicked } from './picks';
import type { Target } from './target';
import { scanRows, testKind, type Test, type TestKind } from './tests';
import type { Workspace } from './workspace';

/** A column test: the path's target, the test, and the test kind's behaviour, looked up once. */
export class Leaf {
  readonly kind = 'leaf';
  readonly behaviour: TestKind;
  constructor(
    readonly target: Target,
    readonly test: Test,
  ) {
    this.behaviour = testKind(test);
  }
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
      evaluateLeaf(engine, workspace, expression, 0, slotIndex, start, end);
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

function evaluateLeaf(engine: Engine, workspace: Workspace, leaf: Leaf, depth: number, slotIndex: number, start: number, end: number): void {
  const out = workspace.slot(slotIndex);
  const { node, lists, picks } = leaf.target;
  if (depth < lists.length) {
    // Rows of this level select when any of their (picked) elements does.
    const list = lists[depth];
    evaluateLeaf(engine, workspace, leaf, depth + 1, slotIndex + 1, list.column.elementsBefore(start), list.column.elementsBefore(end));
    maskPicked(engine, workspace, list, picks[depth], start, end, workspace.slot(slotIndex + 1), slotIndex + 2);
    engine.exports.reduceAny(list.column.handle, start, end, workspace.slot(slotIndex + 1), out);
    return;
  }
  scanRows(leaf.behaviour, { engine, workspace, node, column: node.column }, leaf.test, start, end, out);
}
