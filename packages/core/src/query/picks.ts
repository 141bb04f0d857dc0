// Picked crossings (target.ts): `coords[2]` counts element 2 of each list, `scores.alice` the
// map entry whose key is "alice". The elements a crossing holds for a range of rows are masked
// to the picked ones here, for the queries (expression.ts) and aggregates (aggregate.ts) that
// cross it.
import type { Engine } from '../engine';
import type { Container, Pick } from './target';
import { scanRows, testKind } from './tests';
import type { Workspace } from './workspace';

/**
 * ANDs the bitmap at `elements` (elements of rows [start, end) of `container`, bit 0 its first)
 * with the picked ones, using workspace slot `scratch`. Nothing to do when every element counts.
 */
export function maskPicked(engine: Engine, workspace: Workspace, container: Container, pick: Pick, start: number, end: number, elements: number, scratch: number): void {
  if (pick === undefined) return;
  const column = container.column;
  const from = column.elementsBefore(start);
  const to = column.elementsBefore(end);
  const mask = workspace.slot(scratch);
  if ('index' in pick) engine.exports.pickElement(column.handle, start, end, pick.index, mask);
  else scanRows(testKind(pick.keyTest), { engine, workspace, node: pick.keys, column: pick.keys.column }, pick.keyTest, from, to, mask);
  engine.exports.bitmapAnd(elements, mask, to - from);
}
