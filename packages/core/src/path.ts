// Paths: an array of keys (exact; reaches keys that contain dots) or a string split on '.'.
// Numbers (or numeric strings) index lists.
import { MemstorePathError } from './errors';
import { argumentError } from './util/argumentError';
import { type Node, PRESENT, allNodes } from './schema/node';
import { IntNode, MixedNode } from './schema/scalars';
import { ListNode, MapNode, StructNode } from './schema/containers';

export type Path = string | readonly (string | number)[];

export function parsePath(path: Path): readonly (string | number)[] {
  if (typeof path === 'string') return path === '' ? [] : path.split('.');
  if (!Array.isArray(path)) throw argumentError('path', "a string ('a.b') or an array of keys (['a', 'b'])", path);
  return path;
}

function pathText(keys: readonly (string | number)[]): string {
  return keys.map(String).join('.');
}

/** Reads the value at `keys` below `node`'s row `row`: a view, a value, or undefined when absent. */
export function readPath(root: Node, node: Node, row: number, keys: readonly (string | number)[]): unknown {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (node instanceof StructNode) {
      const field = node.fields.get(String(key));
      if (field === undefined) throw unknownPath(root, keys, i);
      if (node.absentValue(row) !== PRESENT) return undefined;
      node = field;
    } else if (node instanceof ListNode) {
      const index = typeof key === 'number' ? key : /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : NaN;
      if (!Number.isInteger(index) || index < 0) throw notAnIndex(keys, i);
      const at = node.locate(row);
      if (at < 0) return undefined;
      const offsets = node.column.data;
      if (offsets[at] + index >= offsets[at + 1]) return undefined;
      row = offsets[at] + index;
      node = node.element;
    } else if (node instanceof MapNode) {
      if (node.absentValue(row) !== PRESENT) return undefined;
      const entry = node.entryOf(row, String(key));
      if (entry < 0) return undefined;
      row = entry;
      node = node.values;
    } else if (node instanceof MixedNode) {
      return readPlainPath(node.plain(row), keys, i);
    } else {
      const value = node.read(row);
      if (value === null || value === undefined) return undefined;
      throw noFieldIn(node, keys, i);
    }
  }
  return node.read(row);
}

/**
 * Checks `keys` against the schema without reading a row: unknown struct keys and list steps
 * that are not indices throw MemstorePathError now. (Maps and mixed values hold data keys: any goes.)
 */
export function checkPath(root: Node, keys: readonly (string | number)[]): void {
  let node = root;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (node instanceof StructNode) {
      const field = node.fields.get(String(key));
      if (field === undefined) throw unknownPath(root, keys, i);
      node = field;
    } else if (node instanceof ListNode) {
      if (!(typeof key === 'number' ? Number.isInteger(key) && key >= 0 : /^(0|[1-9][0-9]*)$/.test(key))) throw notAnIndex(keys, i);
      node = node.element;
    } else if (node instanceof MapNode || node instanceof MixedNode) {
      return;
    } else {
      throw noFieldIn(node, keys, i);
    }
  }
}

function notAnIndex(keys: readonly (string | number)[], at: number): MemstorePathError {
  return new MemstorePathError(`"${pathText(keys.slice(0, at))}" is a list; index it with a number, not ${JSON.stringify(keys[at])}.`, pathText(keys));
}

function noFieldIn(node: Node, keys: readonly (string | number)[], at: number): MemstorePathError {
  const holds = node instanceof IntNode ? 'numbers' : `${node.schemaType} values`;
  return new MemstorePathError(`"${pathText(keys.slice(0, at))}" holds ${holds}, which have no field ${JSON.stringify(keys[at])}.`, pathText(keys));
}

/** Mixed columns hold plain JSON: walk own properties only. */
function readPlainPath(value: unknown, keys: readonly (string | number)[], from: number): unknown {
  for (let i = from; i < keys.length; i++) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = String(keys[i]);
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function unknownPath(root: Node, keys: readonly (string | number)[], at: number): MemstorePathError {
  const wanted = pathText(keys);
  const suggestions = closestPaths(root, wanted);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((p) => JSON.stringify(p)).join(', ')}?` : '';
  return new MemstorePathError(`No field ${JSON.stringify(String(keys[at]))} in the store's schema (path "${wanted}").${hint}`, wanted, suggestions);
}

/** Schema paths closest to `wanted` by edit distance: at most three, each within a third of its length. */
export function closestPaths(root: Node, wanted: string): string[] {
  const scored: { path: string; distance: number }[] = [];
  for (const node of allNodes(root)) {
    if (node.path === '' || node.key === null) continue;
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
