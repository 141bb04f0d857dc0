// Rebuilding a node from its rows, in place in the WASM schema: a field that met a value of
// another kind becomes a mixed column, a struct whose keys look like ids becomes a map. Both
// read the old rows through the JS mirror and write them again; the node keeps its handle.
import type { Engine } from '../engine';
import { MemstoreError } from '../errors';
import { ColumnType, Descriptor, NodeField, NodeKind, Sentinel } from '../wasm/abi';
import { mirrorSubtree, pathOf, publishNode } from './mirror';
import { columnHandles, settleWrites, type Node } from './node';
import { appendMixedValue, MixedNode } from './scalars';
import { type MapNode, StructNode } from './containers';
import { Observed, observeRecords } from './observe';
import { documentMapVerdict, mapVerdict, planMapOf, textRule, type ValueShape } from './plan';

/**
 * A field met a value of another kind (a string where objects were): its column becomes a
 * mixed one holding every earlier row's value exactly, and parsing resumes.
 */
export function rebuildAsMixed(engine: Engine, handle: number): MixedNode {
  const wasm = engine.exports;
  const node = mirrorSubtree(engine, handle);
  engine.leaveBehind(columnHandles(node));
  const rows = node.column.length;
  const values = readRows(node, rows);
  const column = wasm.columnCreate(ColumnType.Mixed, Math.max(16, rows + (rows >>> 1)), 0, 0, 0) >>> 0;
  if (column === 0) throw engine.capacityError(`rebuilding ${node.path || 'the records'} as a mixed column`);
  for (const value of values) {
    const status =
      value === undefined ? wasm.appendMissing(column)
      : value === null ? wasm.appendNull(column)
      : appendMixedValue(engine, column, value);
    engine.check(status, `rebuilding ${node.path || 'the records'}`);
  }
  // Old buffers stay allocated: record views made earlier may still read this field's old rows.
  engine.setNodeField(handle, NodeField.Column, column);
  engine.setNodeField(handle, NodeField.Kind, NodeKind.Mixed);
  engine.setNodeField(handle, NodeField.FieldCount, 0);
  engine.setNodeField(handle, NodeField.Element, 0);
  engine.setNodeField(handle, NodeField.MapKeys, 0);
  engine.refresh();
  const mixed = new MixedNode(engine, node.path, node.key, rows);
  mixed.column = engine.columnFor(column);
  mixed.wasmNode = handle;
  return mixed;
}

/**
 * A struct reached many keys: if they look like ids (plan.ts: each in few objects, or within
 * its first object ids as keys or values of one shape), it becomes a map column from its rows
 * so far; otherwise (or `keepStruct`: keyed records, whose key is a field) it goes on as a
 * struct and is asked again at twice the keys.
 */
export function reviewStruct(engine: Engine, handle: number, fields: number, keepStruct = false): void {
  // Judged from the descriptors, without mirroring the schema: one object of 100,000 keys is
  // reviewed 11 times, and mirroring the whole tree each time cost more than the parse.
  if (keepStruct || !structLooksLikeMap(engine, handle)) {
    engine.setNodeField(handle, NodeField.ReviewAt, fields * 2);
    return;
  }
  const map = objectCount(engine, handle) === 0 ? mapOfAbsentRows(engine, handle) : mapOfRows(engine, handle);
  engine.setNodeField(handle, NodeField.MapKeys, publishNode(engine, map.keys, handle));
  engine.setNodeField(handle, NodeField.Element, publishNode(engine, map.values, handle));
  engine.setNodeField(handle, NodeField.Column, map.column.handle);
  engine.setNodeField(handle, NodeField.FieldCount, 0);
  engine.setNodeField(handle, NodeField.Kind, NodeKind.Map);
  engine.refresh();
}

/** The map of a struct with objects in its rows: every row read (the subtree mirrored) and written again. */
function mapOfRows(engine: Engine, handle: number): MapNode {
  const node = mirrorSubtree(engine, handle);
  engine.leaveBehind(columnHandles(node));
  if (!(node instanceof StructNode)) throw new MemstoreError('INTERNAL', 'memstore internal error: the parser asked to review an unknown struct.');
  const rows = node.column.length;
  const objects = readRows(node, rows) as (Record<string, unknown> | null | undefined)[];
  const entryValues: unknown[] = [];
  const keys = new Set<string>();
  for (const object of objects) {
    if (object === null || object === undefined) continue;
    for (const key of Object.keys(object)) {
      keys.add(key);
      entryValues.push(object[key]);
    }
  }
  const map = planMapOf(engine, observeRecords(entryValues, textRule(engine)), entryValues.length, keys.size, Math.max(16, rows), node.path, node.key);
  map.createColumns();
  for (const object of objects) {
    if (object === undefined) map.writeMissing();
    else map.write(object);
  }
  settleWrites(map);
  return map;
}

/**
 * The map of a struct whose rows hold no object (its first object is being parsed: within one
 * document, the usual case): only its own column is read, for null and missing rows. Its fields
 * are not mirrored: a registry's first 64 entries are some 800 columns, and mirroring them cost
 * more than the parse (and kept a JS view of each alive in the engine).
 */
function mapOfAbsentRows(engine: Engine, handle: number): MapNode {
  const column = engine.columnFor(engine.nodeField(handle, NodeField.Column));
  engine.leaveBehind([column.handle]);
  column.refresh(engine);
  const keyId = engine.nodeField(handle, NodeField.Key);
  const map = planMapOf(engine, new Observed(), 0, 0, Math.max(16, column.length), pathOf(engine, handle), keyId === Sentinel.NoKey ? null : engine.string(keyId));
  map.createColumns();
  for (let row = 0; row < column.length; row++) {
    if (column.isMissing(row)) map.writeMissing();
    else map.write(null);
  }
  settleWrites(map);
  return map;
}

/** Rows of the struct at `handle` that hold an object (neither null nor missing). */
function objectCount(engine: Engine, handle: number): number {
  const column = engine.nodeField(handle, NodeField.Column);
  const at = (field: Descriptor) => engine.descriptorField(column, field);
  return at(Descriptor.Length) - at(Descriptor.NullCount) - at(Descriptor.MissingCount);
}

/**
 * plan.ts's verdicts read straight off the struct's and its fields' descriptors: across the
 * objects committed so far (mapVerdict), or, inside the first object (none committed: its rows
 * were cut back for the rebuild, its fields and their kinds stay), from its keys and the kinds
 * and field keys of its values (documentMapVerdict).
 */
function structLooksLikeMap(engine: Engine, handle: number): boolean {
  const u32 = engine.u32;
  const at = (column: number, field: Descriptor) => u32[(column + field) >>> 2];
  const objects = objectCount(engine, handle);
  const fields = engine.nodeField(handle, NodeField.Fields);
  const count = engine.nodeField(handle, NodeField.FieldCount);
  if (objects === 0) return firstObjectLooksLikeMap(engine, handle);
  let keyTotal = 0;
  for (let i = 0; i < count; i++) {
    const field = engine.nodeField(u32[(fields >>> 2) + i], NodeField.Column);
    keyTotal += at(field, Descriptor.Length) - at(field, Descriptor.MissingCount);
  }
  return mapVerdict(objects, keyTotal, count);
}

/** documentMapVerdict of the struct's fields: their keys, and each one's kind (a struct's: its field keys as string ids). */
function firstObjectLooksLikeMap(engine: Engine, handle: number): boolean {
  const fields = engine.nodeField(handle, NodeField.Fields) >>> 2;
  const fieldAt = (field: number) => engine.u32[fields + field];
  const shapeAt = (field: number): ValueShape => {
    const node = fieldAt(field);
    const kind = engine.nodeField(node, NodeField.Kind) as NodeKind;
    if (kind === NodeKind.Unset) return null;
    if (kind !== NodeKind.Struct) return 'other';
    const subfields = engine.nodeField(node, NodeField.Fields) >>> 2;
    return Array.from(engine.u32.subarray(subfields, subfields + engine.nodeField(node, NodeField.FieldCount)), (sub) => engine.nodeField(sub, NodeField.Key));
  };
  return documentMapVerdict(engine.nodeField(handle, NodeField.FieldCount), (field) => engine.string(engine.nodeField(fieldAt(field), NodeField.Key)), shapeAt);
}

function readRows(node: Node, rows: number): unknown[] {
  const values = new Array<unknown>(rows);
  for (let row = 0; row < rows; row++) values[row] = node.plain(row);
  return values;
}
