// Planning: turns the first pass's observations (observe.ts) into a node tree, deciding each
// column's kind, width hint and exact capacity before any WASM memory is touched, and sizes
// the string table. The node kinds themselves are in scalars.ts and containers.ts.
import type { Engine } from '../engine';
import { ColumnType } from '../wasm/abi';
import { Kind, Observed } from './observe';
import { wtf8Length } from '../util/wtf8';
import { joinPath, type Node } from './node';
import { BoolNode, FloatNode, IntNode, MixedNode, NullNode, StringNode } from './scalars';
import { ListNode, MapNode, StructNode } from './containers';

/** A struct with at least this many keys, each in few of its objects, is stored as a map. */
export const MAP_MIN_KEYS = 32;

/** Turns the first pass's observations into the node tree, deciding every column's type. */
export function planSchema(engine: Engine, observed: Observed, rows: number): Node {
  return planNode(engine, observed, rows, '', null);
}

export function planNode(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): Node {
  const node = chooseNode(engine, observed, capacity, path, key);
  node.hasNulls = observed.nullCount > 0 && node.columnType !== ColumnType.Null;
  node.hasMissing = observed.present < capacity;
  return node;
}

function chooseNode(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): Node {
  const kinds = observed.kinds & ~Kind.Null;
  switch (kinds) {
    case 0:
      return new NullNode(engine, path, key, capacity);
    case Kind.Bool:
      return new BoolNode(engine, path, key, capacity);
    case Kind.Int:
      return new IntNode(engine, path, key, capacity, observed.intMin === observed.intMax ? 0 : Math.max(intWidth(observed.intMin), intWidth(observed.intMax)));
    case Kind.Float:
    case Kind.Int | Kind.Float:
      return new FloatNode(engine, path, key, capacity);
    case Kind.String:
      return new StringNode(engine, path, key, capacity, observed.strings!.size, plannedTextBytes(engine, observed));
    case Kind.Array: {
      const list = new ListNode(engine, path, key, capacity);
      list.element = planNode(engine, observed.element ?? new Observed(), observed.elementTotal, `${path}[]`, null);
      return list;
    }
    case Kind.Object:
      return isMapLike(observed) ? planMap(engine, observed, capacity, path, key) : planStruct(engine, observed, capacity, path, key);
    default:
      return new MixedNode(engine, path, key, capacity);
  }
}

/**
 * The heap a string column planned as text needs, or -1 when dictionary codes are the smaller
 * encoding: the module's own rule (assembly/text.ts textPreferred), so JS records and parsed
 * input choose alike. Exact when every string is distinct; otherwise scaled from the distinct ones.
 */
function plannedTextBytes(engine: Engine, observed: Observed): number {
  const strings = observed.strings!;
  let distinctBytes = 0;
  let distinctUnits = 0;
  for (const text of strings) {
    distinctBytes += wtf8Length(text);
    distinctUnits += text.length;
  }
  const mean = strings.size === 0 ? 0 : distinctBytes / strings.size;
  const codeWidth = strings.size <= 1 ? 0 : strings.size <= 256 ? 1 : strings.size <= 65536 ? 2 : 4;
  if (!engine.exports.textPreferred(observed.stringRows, strings.size, mean, codeWidth)) return -1;
  return distinctUnits === observed.stringUnits ? distinctBytes : Math.ceil((observed.stringUnits * distinctBytes) / Math.max(1, distinctUnits));
}

function intWidth(value: number): number {
  return value >= -128 && value <= 127 ? 1 : value >= -32768 && value <= 32767 ? 2 : 4;
}

/** Many distinct keys, each in few of the objects: ids used as keys, not a record shape. */
function isMapLike(observed: Observed): boolean {
  const keyCount = observed.fields?.size ?? 0;
  return keyCount >= MAP_MIN_KEYS && (observed.keyTotal / keyCount) * 8 <= observed.objectCount;
}

function planStruct(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): StructNode {
  const struct = new StructNode(engine, path, key, capacity);
  for (const [fieldKey, field] of observed.fields ?? []) {
    struct.addField(fieldKey, planNode(engine, field, capacity, joinPath(path, fieldKey), fieldKey));
  }
  return struct;
}

function planMap(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): MapNode {
  const values = new Observed();
  for (const field of observed.fields!.values()) values.mergeFrom(field);
  return planMapOf(engine, values, observed.keyTotal, observed.fields!.size, capacity, path, key);
}

/** A map node for `capacity` rows holding `entries` entries with `distinctKeys` keys, values as observed. */
export function planMapOf(
  engine: Engine, values: Observed, entries: number, distinctKeys: number, capacity: number, path: string, key: string | null,
): MapNode {
  const map = new MapNode(engine, path, key, capacity);
  map.keys = new StringNode(engine, `${path}{key}`, null, entries, distinctKeys);
  map.values = planNode(engine, values, entries, `${path}{}`, null);
  return map;
}

/**
 * The map test on finished columns (the parser's review of a struct; isMapLike is the same
 * test on observed records): `objects` present, `keyTotal` keys over them, `keyCount` distinct keys.
 */
export function mapVerdict(objects: number, keyTotal: number, keyCount: number): boolean {
  // No finished object yet (the first record has many keys): nothing to judge by.
  return objects > 0 && keyCount >= MAP_MIN_KEYS && (keyTotal / keyCount) * 8 <= objects;
}

/**
 * The string table's size once loaded: distinct strings over all columns (and the keys of
 * objects that become maps). Nested values of mixed columns are not counted; the table grows for them.
 */
export function estimateStringBytes(engine: Engine, observed: Observed): { count: number; bytes: number } {
  const distinct = new Set<string>();
  const stack = [observed];
  while (stack.length > 0) {
    const node = stack.pop()!;
    // Columns planned as text keep their own bytes: only dictionaries (and mixed columns) intern.
    const asText = node.strings !== null && (node.kinds & ~Kind.Null) === Kind.String && plannedTextBytes(engine, node) >= 0;
    if (node.strings && !asText) for (const text of node.strings) distinct.add(text);
    if (node.fields) {
      const mapLike = isMapLike(node);
      for (const [key, field] of node.fields) {
        if (mapLike) distinct.add(key);
        stack.push(field);
      }
    }
    if (node.element) stack.push(node.element);
  }
  let bytes = 0;
  for (const text of distinct) bytes += wtf8Length(text);
  return { count: distinct.size, bytes };
}
