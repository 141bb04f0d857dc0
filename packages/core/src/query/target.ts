// Query paths resolve to a column and the containers crossed on the way (lists, and maps through
// `{}` / `{key}` / a key), whose elements it holds; the grammar is path.ts.
import { MemstorePathError, MemstoreQueryError } from '../errors';
import type { QueryContext } from './context';
import { KEYS, VALUES, parsePath, printPath, type Path, type PathStep } from '../path';
import { walkPath } from '../readPath';
import type { Node } from '../schema/node';
import { MixedNode, type StringNode } from '../schema/scalars';
import { ListNode, type MapNode } from '../schema/containers';
import type { Test } from './tests';
import { queryKind, type QueryKind } from './kinds';
import { codeTest, holdsText, textTest } from './literals';

/** A container a path crosses: its offsets say which elements (or map entries) each row holds. */
export type Container = ListNode | MapNode;

/**
 * Which elements of a crossed container count for its row: every one (undefined: `[]`, `{}`,
 * `{key}`, which queries quantify with any()), element `index` of each list (`coords[2]`), or
 * the entry whose key passes `keyTest` (`scores.alice`: the value at that key).
 */
export type Pick = undefined | { readonly index: number } | { readonly key: string; readonly keys: StringNode; readonly keyTest: Test };

/** The test a map's keys pass at `key`: its one dictionary code (a map's keys are distinct per row), or its text. */
function keyTest(keys: StringNode, key: string): Test {
  if (holdsText(keys)) return textTest({ lo: key, loOpen: false, hi: key, hiOpen: false });
  const test = codeTest(keys, (text) => text === key);
  return test.kind === 'codes' ? { kind: 'codes', lut: null, single: test.single } : test;
}

export interface Target {
  readonly node: Node;
  /** Containers crossed from the root to `node`, outermost first (`node` itself excluded). */
  readonly lists: readonly Container[];
  /** For each of `lists`, which of its elements count. */
  readonly picks: readonly Pick[];
  /** Some crossing takes every element: a test needs a quantifier (any()). */
  readonly fanOut: boolean;
  /** The path as the grammar prints it. */
  readonly path: string;
  /**
   * The path's steps, and whether any() stepped into the list at its end (`element`): what
   * `retarget` resolves again in a later snapshot's tree.
   */
  readonly steps: readonly PathStep[];
  readonly element: boolean;
  /**
   * What `node`'s kind offers queries (kinds.ts), looked up when the target is resolved: a
   * predicate's operators read it here. queryKind(node) asks the node for its schemaType, a getter
   * of each node class, and a call site that meets every node class (a store's queries do) found
   * it through V8's megamorphic cache: where('id').eq(x) spent 16% of its time there.
   */
  readonly kind: QueryKind;
  /**
   * String equality tests built for this target, up to 256 (targets of string paths are kept per
   * snapshot): a repeated `eq(x)` looks its literal up in the dictionary once.
   */
  equalTests?: Map<string, Test>;
}

export function resolveTarget(root: Node, path: Path): Target {
  const steps = parsePath(path);
  const lists: Container[] = [];
  const picks: Pick[] = [];
  const { node, rest } = walkPath(root, steps, (crossing) => {
    if ('list' in crossing) {
      lists.push(crossing.list);
      picks.push(crossing.index === undefined ? undefined : { index: crossing.index });
      return;
    }
    const { map, step } = crossing;
    lists.push(map);
    if (step === KEYS || step === VALUES) picks.push(undefined);
    else picks.push({ key: String(step), keys: map.keys, keyTest: keyTest(map.keys, String(step)) });
  });
  if (rest < steps.length) {
    const what = node instanceof MixedNode ? 'a mixed column' : `a ${node.schemaType} column`;
    const text = printPath(steps);
    throw new MemstorePathError(`Cannot query "${text}": "${node.path}" is ${what}, which queries cannot look inside.`, text);
  }
  return { node, lists, picks, fanOut: picks.includes(undefined), path: printPath(steps) || '(records)', steps, element: false, kind: queryKind(node) };
}

/** The elements of the list `target` names, each tested on its own (any()); null when `target` is no list. */
export function elementTarget(target: Target): Target | null {
  const { node, lists, picks, path, steps } = target;
  if (!(node instanceof ListNode)) return null;
  const element = node.element;
  return { node: element, lists: [...lists, node], picks: [...picks, undefined], fanOut: true, path, steps, element: true, kind: queryKind(element) };
}

/**
 * `target`, resolved again in `context`'s tree: a selection built on an earlier snapshot builds
 * its tests again once an append has changed the store (a column's storage may have changed under
 * it: a dictionary turned text, ints widened to floats, a field turned mixed). Throws a
 * MemstoreQueryError when the path no longer leads where it did (a list turned mixed).
 */
export function retarget(target: Target, context: QueryContext): Target {
  const again = context.target(target.steps);
  if (!target.element) return again;
  const element = elementTarget(again);
  if (element === null) throw new MemstoreQueryError(`any() needs a list, and "${again.path}" is now a ${again.node.schemaType} column.`, again.path);
  return element;
}
