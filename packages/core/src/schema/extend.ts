// Extending a store's schema for JS records about to be appended, before any of them is
// written: what the first pass saw (observe.ts) is matched against the existing nodes. A key
// seen for the first time becomes a column back-filled with missing rows, an all-null column
// takes the first kind it meets, ints meeting doubles go on as float64 (widened in place on the
// first one), and a field that meets another kind is rebuilt as mixed — the same outcomes the
// streaming parser reaches (assembly/parse/), so both routes keep one schema.
import type { Engine } from '../engine';
import { NodeKind } from '../wasm/abi';
import { publishInto, publishNode } from './mirror';
import { type Node, joinPath } from './node';
import { FloatNode, type StringNode } from './scalars';
import type { ListNode, MapNode, StructNode } from './containers';
import { Kind, Observed } from './observe';
import { planNode } from './plan';
import { rebuildAsMixed } from './rebuild';

/**
 * Prepares `node` (with its existing rows) for `added` more rows holding what `observed` saw;
 * returns the node to write them through (itself, or the one that took its place). New columns
 * are created at their final size.
 */
export function extendNode(engine: Engine, node: Node, observed: Observed, added: number): Node {
  const kinds = observed.kinds & ~Kind.Null;
  // Only nulls and missing rows: every column takes them.
  if (kinds === 0) return node;
  if (node.nodeKind === NodeKind.Unset) return settle(engine, node, observed, added);
  if (!node.takes(kinds)) return rebuildAsMixed(engine, node.wasmNode);
  switch (node.schemaType) {
    case 'int':
      // Ints then doubles: written as doubles from here on; the column turns float64 in place.
      return (kinds & Kind.Float) !== 0 ? retype(new FloatNode(engine, node.path, node.key, 0), node) : node;
    case 'struct':
      extendStruct(engine, node as StructNode, observed, added);
      return node;
    case 'list': {
      const list = node as ListNode;
      list.element = extendNode(engine, list.element, observed.arrays?.element ?? new Observed(), observed.arrays?.total ?? 0);
      return node;
    }
    case 'map': {
      const map = node as MapNode;
      const values = new Observed();
      const objects = observed.objects!;
      for (const field of objects.fields.values()) values.mergeFrom(field);
      map.values = extendNode(engine, map.values, values, objects.keyTotal);
      return node;
    }
    case 'string':
      // Kept as it is: its strings are written by the codes it has, where it has them.
      (node as StringNode).expect(observed.strings!);
      return node;
    default:
      return node;
  }
}

/** New keys become fields whose existing rows are missing; known keys extend their fields. */
function extendStruct(engine: Engine, struct: StructNode, observed: Observed, added: number): void {
  const rows = struct.column.length;
  for (const [key, field] of observed.objects?.fields ?? []) {
    const existing = struct.fields.get(key);
    if (existing !== undefined) {
      const extended = extendNode(engine, existing, field, added);
      if (extended !== existing) struct.replaceField(extended);
      continue;
    }
    const created = planNode(engine, field, rows + added, joinPath(struct.path, key), key);
    created.hasMissing = true;
    created.createColumns();
    created.writeMissingRows(rows);
    if (!engine.exports.addField(struct.wasmNode, publishNode(engine, created, struct.wasmNode))) throw engine.capacityError('creating the schema');
    struct.addField(key, created);
  }
}

/** An all-null column meets its first kind: planned anew, its null and missing rows written again. */
function settle(engine: Engine, node: Node, observed: Observed, added: number): Node {
  const old = node.column;
  // Re-read: this append may have grown memory already (other columns made or written before
  // this one), and the old column's views would then read a detached buffer (no missing bits).
  old.refresh(engine);
  const rows = old.length;
  const settled = planNode(engine, observed, rows + added, node.path, node.key);
  settled.hasNulls ||= old.nullCount > 0;
  settled.hasMissing ||= old.missingCount > 0;
  // Which rows were missing, read before the new column is made: making and writing it may grow
  // memory again.
  const missing = Array.from({ length: rows }, (_, row) => old.isMissing(row));
  settled.createColumns();
  for (let row = 0; row < rows; row++) {
    if (missing[row]) settled.writeMissing();
    else settled.write(null);
  }
  publishInto(engine, settled, node.wasmNode);
  return settled;
}

/** `replacement` takes over `node`'s column and WASM node. */
function retype(replacement: Node, node: Node): Node {
  replacement.column = node.column;
  replacement.wasmNode = node.wasmNode;
  return replacement;
}
