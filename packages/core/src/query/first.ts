// first(): the one first-match path. A list-free leaf whose test has a WASM search (tests.ts)
// runs it once over every row: it compares 16–64 rows per SIMD step and returns at the match.
// Any other expression (and / or / not, lists, presence and JS tests) is evaluated into
// bitmaps over blocks of rows growing 4x up to the workspace's block (each lies inside one of
// the workspace's blocks, which its slots are sized for). Either way the cost follows the
// match's position, not the store's size.
import { FirstResult } from '../wasm/abi';
import type { QueryContext } from './context';
import { evaluate, type Expression } from './expression';
import { firstPassing } from './tests';
import { BLOCK_ROWS } from './blocks';

/** Rows of the first block a compound expression is evaluated over (blocks end at 64, 256, 1,024, … BLOCK_ROWS, then every BLOCK_ROWS). */
const FIRST_BLOCK_ROWS = 64;

/** The first record row `expression` matches, or FirstResult.NotFound. */
export function firstMatch(context: QueryContext, expression: Expression): number {
  const { engine, workspace, rowCount } = context;
  if (expression.kind === 'leaf' && expression.target.lists.length === 0 && expression.behaviour.first !== undefined) {
    const node = expression.target.node;
    return firstPassing(expression.behaviour, { engine, workspace, node, column: node.column }, expression.test, 0, rowCount, workspace.slot(0));
  }
  for (let start = 0; start < rowCount; ) {
    const bound = start === 0 ? FIRST_BLOCK_ROWS : start < BLOCK_ROWS ? Math.min(start * 4, BLOCK_ROWS) : start + BLOCK_ROWS;
    const end = Math.min(rowCount, bound);
    const offset = engine.exports.bitmapFirst(evaluate(engine, workspace, expression, 0, start, end), end - start);
    if (offset >= 0) return start + offset;
    start = end;
  }
  return FirstResult.NotFound;
}
