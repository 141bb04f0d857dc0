// Reading a record's value at a path (get, values, select), checking a path against the schema
// before any row is read, and the "did you mean" suggestions. The grammar itself is path.ts.
//
// Steps that fan out (`[]` each element, `{}` each map value, `{key}` each map key) give an
// array with one entry per element, the rest of the path read in each (undefined where it is
// absent); over a missing or null container they give undefined. A key step on a list crosses
// it the same way (`items.price` is `items[].price`), and a number indexes it.
import { MemstorePathError } from './errors';
import { EACH, KEYS, VALUES, indexOf, printPath, type PathStep } from './path';
import { type Node, PRESENT, allNodes } from './schema/node';
import { IntNode, MixedNode } from './schema/scalars';
import { ListNode, MapNode, StructNode } from './schema/containers';

/** Reads the value at `steps` below `node`'s row `row`: a view, a value, or undefined when absent. */
export function readPath(root: Node, node: Node, row: number, steps: readonly PathStep[], from = 0): unknown {
  for (let i = from; i < steps.length; i++) {
    const step = steps[i];
    if (node instanceof StructNode) {
      if (typeof step === 'symbol') throw wrongStep(node, steps, i);
      const field = node.fields.get(String(step));
      if (field === undefined) throw unknownPath(root, steps, i);
      if (node.absentValue(row) !== PRESENT) return undefined;
      node = field;
    } else if (node instanceof ListNode) {
      const at = node.locate(row);
      if (step === VALUES || step === KEYS) throw wrongStep(node, steps, i);
      const index = indexOf(step);
      if (Number.isNaN(index)) {
        // Each element: `[]` moves on to the next step, a key applies to every element.
        if (step !== EACH && !takesKeys(node.element)) throw notAnIndex(node, steps, i);
        if (at < 0) return undefined;
        return fanOut(root, node.element, node.column.data[at], node.column.data[at + 1], steps, step === EACH ? i + 1 : i);
      }
      if (at < 0) return undefined;
      const offsets = node.column.data;
      if (offsets[at] + index >= offsets[at + 1]) return undefined;
      row = offsets[at] + index;
      node = node.element;
    } else if (node instanceof MapNode) {
      if (step === EACH) throw wrongStep(node, steps, i);
      if (node.absentValue(row) !== PRESENT) return undefined;
      if (step === VALUES || step === KEYS) {
        const at = node.locate(row);
        const offsets = node.column.data;
        return fanOut(root, step === KEYS ? node.keys : node.values, offsets[at], offsets[at + 1], steps, i + 1);
      }
      const entry = node.entryOf(row, String(step));
      if (entry < 0) return undefined;
      row = entry;
      node = node.values;
    } else if (node instanceof MixedNode) {
      return readPlainPath(node.plain(row), steps, i);
    } else {
      const value = node.read(row);
      if (value === null || value === undefined) return undefined;
      throw noFieldIn(node, steps, i);
    }
  }
  return node.read(row);
}

function fanOut(root: Node, node: Node, start: number, end: number, steps: readonly PathStep[], from: number): unknown[] {
  const values = new Array(end - start);
  for (let row = start; row < end; row++) values[row - start] = readPath(root, node, row, steps, from);
  return values;
}

/**
 * A container a path crosses on its way down: a list with the element it picks (`coords[2]`:
 * index 2; undefined for each element, `[]` or a key applied to every element), or a map with the
 * step that crossed it (a key, VALUES or KEYS).
 */
export type Crossing = { readonly list: ListNode; readonly index: number | undefined } | { readonly map: MapNode; readonly step: PathStep };

/**
 * The schema walk every path takes, with no row read: struct keys, list steps (a key other than an
 * index crosses the list and applies to its elements, `items.price` being `items[].price`) and map
 * steps, each container crossed handed to `cross`. Unknown keys and steps a node cannot take throw
 * MemstorePathError. Returns the node reached and the index of the first step left, which is
 * `steps.length` unless the walk met a mixed or scalar node: the caller says what that means.
 */
export function walkPath(root: Node, steps: readonly PathStep[], cross?: (crossing: Crossing) => void): { node: Node; rest: number } {
  let node = root;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (node instanceof StructNode) {
      if (typeof step === 'symbol') throw wrongStep(node, steps, i);
      const field = node.fields.get(String(step));
      if (field === undefined) throw unknownPath(root, steps, i);
      node = field;
    } else if (node instanceof ListNode) {
      if (step === VALUES || step === KEYS) throw wrongStep(node, steps, i);
      const index = indexOf(step);
      if (step !== EACH && Number.isNaN(index)) {
        if (!takesKeys(node.element)) throw notAnIndex(node, steps, i);
        i--; // the key applies to the elements
      }
      cross?.({ list: node, index: Number.isNaN(index) ? undefined : index });
      node = node.element;
    } else if (node instanceof MapNode) {
      if (step === EACH) throw wrongStep(node, steps, i);
      cross?.({ map: node, step });
      node = step === KEYS ? node.keys : node.values;
    } else {
      return { node, rest: i };
    }
  }
  return { node, rest: steps.length };
}

/**
 * Checks `steps` against the schema without reading a row: unknown struct keys and steps a node
 * cannot take throw MemstorePathError now. (Map keys and mixed values are data: any key goes.)
 */
export function checkPath(root: Node, steps: readonly PathStep[]): void {
  const { node, rest } = walkPath(root, steps);
  if (rest < steps.length && !(node instanceof MixedNode)) throw noFieldIn(node, steps, rest);
}

/** Elements a key can apply to when a key step crosses their list. */
function takesKeys(node: Node): boolean {
  return node instanceof StructNode || node instanceof MapNode || node instanceof ListNode || node instanceof MixedNode;
}

/** A key step on a list of scalars: neither an index nor a field of its elements. */
function notAnIndex(list: ListNode, steps: readonly PathStep[], at: number): MemstorePathError {
  const where = printPath(steps.slice(0, at));
  return new MemstorePathError(
    `"${where}" is a list of ${list.element.schemaType} values; index it with a number ("${where}[1]") or take each element ("${where}[]"), not ${JSON.stringify(String(steps[at]))}.`,
    printPath(steps),
  );
}

/** A step the node's kind does not take: `[]` on a struct, `{}` on a list… */
export function wrongStep(node: Node, steps: readonly PathStep[], at: number): MemstorePathError {
  const takes =
    node instanceof ListNode
      ? "'[]' (each element), an index ('[2]') or a field of its elements"
      : node instanceof MapNode
        ? "'{}' (each value), '{key}' (each key) or a key"
        : 'a field name';
  const where = steps.slice(0, at);
  return new MemstorePathError(
    `"${printPath(where) || '(records)'}" is a ${node.schemaType}, which takes ${takes}, not ${printPath([steps[at]]) || JSON.stringify(steps[at])} (path "${printPath(steps)}").`,
    printPath(steps),
  );
}

function noFieldIn(node: Node, steps: readonly PathStep[], at: number): MemstorePathError {
  const holds = node instanceof IntNode ? 'numbers' : `${node.schemaType} values`;
  return new MemstorePathError(`"${printPath(steps.slice(0, at))}" holds ${holds}, which have no field ${JSON.stringify(String(steps[at]))}.`, printPath(steps));
}

/** Mixed columns hold plain JSON: the same steps over plain values, own properties only. */
function readPlainPath(value: unknown, steps: readonly PathStep[], from: number): unknown {
  for (let i = from; i < steps.length; i++) {
    if (value === null || typeof value !== 'object') return undefined;
    const step = steps[i];
    if (Array.isArray(value)) {
      if (step === VALUES || step === KEYS) return undefined;
      const index = indexOf(step);
      if (Number.isNaN(index)) {
        const next = step === EACH ? i + 1 : i;
        return value.map((element) => readPlainPath(element, steps, next));
      }
      value = value[index];
      continue;
    }
    if (step === EACH) return undefined;
    if (step === VALUES || step === KEYS) {
      const object = value as Record<string, unknown>;
      return step === KEYS ? Object.keys(object) : Object.keys(object).map((key) => readPlainPath(object[key], steps, i + 1));
    }
    const key = String(step);
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** No field `steps[at]` in the struct reached: the error, with the closest schema paths. */
export function unknownPath(root: Node, steps: readonly PathStep[], at: number): MemstorePathError {
  const wanted = printPath(steps);
  const suggestions = closestPaths(root, wanted);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((p) => JSON.stringify(p)).join(', ')}?` : '';
  return new MemstorePathError(`No field ${JSON.stringify(String(steps[at]))} in the store's schema (path "${wanted}").${hint}`, wanted, suggestions);
}

/**
 * Schema paths closest to `wanted` by edit distance: at most three, each within a third of its
 * length. They are node paths, printed by the grammar: every one is a path the API accepts.
 */
export function closestPaths(root: Node, wanted: string): string[] {
  const scored: { path: string; distance: number }[] = [];
  for (const node of allNodes(root)) {
    if (node.path === '') continue;
    const distance = editDistance(node.path, wanted);
    if (distance <= Math.max(2, Math.ceil(wanted.length / 3))) scored.push({ path: node.path, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.path.localeCompare(b.path));
  return scored.slice(0, 3).map((entry) => entry.path);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
