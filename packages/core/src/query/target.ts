// Query paths resolve to a column and the lists crossed on the way (whose elements it holds).
import { MemstorePathError } from '../errors';
import { closestPaths, parsePath, type Path } from '../path';
import type { Node } from '../schema/node';
import { MixedNode } from '../schema/scalars';
import { ListNode, MapNode, StructNode } from '../schema/containers';
import type { Test } from './tests';
import { queryKind, type QueryKind } from './kinds';

export interface Target {
  readonly node: Node;
  /** Lists crossed from the root to `node`, outermost first (`node` itself excluded). */
  readonly lists: readonly ListNode[];
  readonly path: string;
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
  const keys = parsePath(path);
  const text = keys.map(String).join('.');
  let node = root;
  const lists: ListNode[] = [];
  for (let i = 0; i < keys.length; i++) {
    // Crossing a list goes to its elements: 'items.price' is the price of every item.
    while (node instanceof ListNode) {
      lists.push(node);
      node = node.element;
    }
    const key = String(keys[i]);
    if (node instanceof StructNode) {
      const field = node.fields.get(key);
      if (field === undefined) {
        const suggestions = closestPaths(root, text);
        const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((p) => JSON.stringify(p)).join(', ')}?` : '';
        throw new MemstorePathError(`No field ${JSON.stringify(key)} in the store's schema (path "${text}").${hint}`, text, suggestions);
      }
      node = field;
      continue;
    }
    const what = node instanceof MapNode ? 'a map (its keys are data)' : node instanceof MixedNode ? 'a mixed column' : `a ${node.schemaType} column`;
    throw new MemstorePathError(`Cannot query "${text}": "${node.path}" is ${what}, which queries cannot look inside.`, text);
  }
  return { node, lists, path: text || '(records)', kind: queryKind(node) };
}
