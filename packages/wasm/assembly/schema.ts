// The schema tree in WASM, so the streaming parser finds a value's column without leaving
// WASM. The facade mirrors it (packages/core/src/schema/mirror.ts) and rebuilds its mirror
// after every load; it also creates nodes here for stores it plans itself (fromRecords).
//
// A node is a 56-byte block (its address is its handle) pointing at its column.
import { ColumnType, Descriptor, Status, NodeKind, NodeField, Sentinel } from './abi';
import { allocate, reallocate, canAllocate, reserve } from './arena';
import { stringStart, stringLength } from './strings';
import { get, growthBytes } from './descriptor';
import {
  columnCreate, appendMissing, appendMissingRun, appendNull, truncate, retypeNullColumn, reserveRows,
} from './column';


/** Structs are first reviewed (map or struct?) when they reach this many keys, then at each doubling. */
export const FIRST_REVIEW_FIELDS: u32 = 64;

@inline export function nodeGet(node: usize, field: usize): u32 { return load<u32>(node + field); }
@inline export function nodeSet(node: usize, field: usize, value: u32): void { store<u32>(node + field, value); }
@inline export function nodeColumn(node: usize): usize { return <usize>load<u32>(node + NodeField.Column); }
@inline export function fieldAt(node: usize, index: u32): usize {
  return <usize>load<u32>(<usize>load<u32>(node + NodeField.Fields) + (<usize>index << 2));
}

let rootNode: usize = 0;

export function schemaRoot(): usize {
  return rootNode;
}

/** A node of `kind` over an existing column. 0 when out of memory. */
export function nodeCreate(kind: u32, column: usize, key: u32, parent: usize): usize {
  if (!canAllocate(NodeField.Bytes)) return 0;
  const node = allocate(NodeField.Bytes);
  nodeSet(node, NodeField.Kind, kind);
  nodeSet(node, NodeField.Column, <u32>column);
  nodeSet(node, NodeField.Key, key);
  nodeSet(node, NodeField.Parent, <u32>parent);
  nodeSet(node, NodeField.ReviewAt, FIRST_REVIEW_FIELDS);
  if (key != Sentinel.NoKey) nodeSet(node, NodeField.PlainKey, plainBytes(stringStart(key), stringLength(key)) ? 1 : 0);
  return node;
}

export function setRoot(node: usize): void {
  rootNode = node;
}

/** The root of a store loaded by the parser: an unset node whose rows are the records. */
export function ensureRoot(): usize {
  if (rootNode != 0) return rootNode;
  const column = columnCreate(ColumnType.Null, 0, 0, 0);
  if (column == 0) return 0;
  rootNode = nodeCreate(NodeKind.Unset, column, Sentinel.NoKey, 0);
  return rootNode;
}

/** Appends `field` to a struct node's fields. */
export function addField(node: usize, field: usize): bool {
  const count = nodeGet(node, NodeField.FieldCount);
  const capacity = nodeGet(node, NodeField.FieldCapacity);
  if (count == capacity) {
    const grown = max<u32>(4, capacity * 2);
    const fields = reallocate(<usize>nodeGet(node, NodeField.Fields), <usize>capacity << 2, <usize>grown << 2);
    if (fields == 0) return false;
    nodeSet(node, NodeField.Fields, <u32>fields);
    nodeSet(node, NodeField.FieldCapacity, grown);
  }
  store<u32>(<usize>nodeGet(node, NodeField.Fields) + (<usize>count << 2), <u32>field);
  nodeSet(node, NodeField.FieldCount, count + 1);
  return true;
}

/**
 * A new field of struct `node` for key `keyId`, first seen in its current row: every earlier
 * row of the parent lacks it, so the new column starts with that many missing rows.
 */
export function createField(node: usize, keyId: u32): usize {
  const parentRows = get(nodeColumn(node), Descriptor.Length);
  const earlier = parentRows > 0 ? parentRows - 1 : 0;
  const column = columnCreate(ColumnType.Null, max<u32>(earlier + 1, 16), 0, 0);
  if (column == 0) return 0;
  if (appendMissingRun(column, earlier) != Status.Ok) return 0;
  const field = nodeCreate(NodeKind.Unset, column, keyId, node);
  if (field == 0 || !addField(node, field)) return 0;
  return field;
}

/** Appends a missing row to `node` and, for structs, to every field below it. */
export function writeMissing(node: usize): i32 {
  if (appendMissing(nodeColumn(node)) != Status.Ok) return Status.OutOfMemory;
  return missingBelow(node);
}

/** Appends a null row; a struct's fields get a missing row each. */
export function writeNull(node: usize): i32 {
  if (appendNull(nodeColumn(node)) != Status.Ok) return Status.OutOfMemory;
  return missingBelow(node);
}

function missingBelow(node: usize): i32 {
  if (nodeGet(node, NodeField.Kind) != NodeKind.Struct) return Status.Ok;
  const count = nodeGet(node, NodeField.FieldCount);
  for (let i: u32 = 0; i < count; i++) {
    if (writeMissing(fieldAt(node, i)) != Status.Ok) return Status.OutOfMemory;
  }
  return Status.Ok;
}

/**
 * Cuts the subtree at `node` back to `rows` rows: a struct's fields to the same count, a
 * list's (or map's) elements to where row `rows` begins.
 */
export function truncateNode(node: usize, rows: u32): void {
  const column = nodeColumn(node);
  const length = get(column, Descriptor.Length);
  // No early return when the node itself has no rows to drop: a list or map appends its row
  // only after its elements, so a record that failed (or must be rebuilt) inside one leaves
  // element rows past offsets[length] with no row of their own. They must go too, or the
  // next rows' offsets point at them (e.g. [[{},false]] read back as [[{},{}]]).
  const keep = min(rows, length);
  const kind = nodeGet(node, NodeField.Kind);
  if (kind == NodeKind.List || kind == NodeKind.Map) {
    const elements = load<u32>(<usize>get(column, Descriptor.Data) + (<usize>keep << 2));
    truncateNode(<usize>nodeGet(node, NodeField.Element), elements);
    if (kind == NodeKind.Map) truncateNode(<usize>nodeGet(node, NodeField.MapKeys), elements);
  } else if (kind == NodeKind.Struct) {
    const count = nodeGet(node, NodeField.FieldCount);
    for (let i: u32 = 0; i < count; i++) truncateNode(fieldAt(node, i), keep);
  }
  truncate(column, keep);
}

/** Makes an unset node a struct / list / scalar node of column `type`, in place. */
export function settleKind(node: usize, kind: u32, type: u32): bool {
  const column = nodeColumn(node);
  if (get(column, Descriptor.Type) != ColumnType.Null) return false;
  if (kind == NodeKind.List) {
    const element = ensureElement(node);
    if (element == 0) return false;
  }
  if (!retypeNullColumn(column, type)) return false;
  nodeSet(node, NodeField.Kind, kind);
  return true;
}

/** The element node of a list node, created (unset, empty) on first need. */
export function ensureElement(node: usize): usize {
  let element = <usize>nodeGet(node, NodeField.Element);
  if (element != 0) return element;
  const column = columnCreate(ColumnType.Null, 16, 0, 0);
  if (column == 0) return 0;
  element = nodeCreate(NodeKind.Unset, column, Sentinel.NoKey, node);
  if (element == 0) return 0;
  nodeSet(node, NodeField.Element, <u32>element);
  return element;
}

/** No byte a JSON string must escape: such a key's raw form in the input is its stored form. */
export function plainBytes(at: usize, length: u32): bool {
  for (let i: u32 = 0; i < length; i++) {
    const c = load<u8>(at + i);
    if (c == 0x22 || c == 0x5C || c < 0x20) return false;
  }
  return true;
}

/**
 * Sizes every column for `rows` records, scaling each by its rows per record so far (list
 * elements included): a caller that knows the input's size estimates the record count early,
 * so columns grow once to their final size instead of by half again, again and again.
 * Returns false when the memory would pass its cap (nothing is grown then).
 */
export function schemaReserveRows(rows: u32): bool {
  const root = rootNode;
  if (root == 0) return true;
  const recordsSoFar = get(nodeColumn(root), Descriptor.Length);
  if (recordsSoFar == 0 || rows <= recordsSoFar) return true;
  const factor = <f64>rows / <f64>recordsSoFar;
  const bytes = growthBytesBelow(root, factor);
  if (!canAllocate(bytes) || !reserve(bytes)) return false;
  growBelow(root, factor);
  return true;
}

@inline function scaled(node: usize, factor: f64): u32 {
  return <u32>min<f64>(4294967000, Math.ceil(<f64>get(nodeColumn(node), Descriptor.Length) * factor));
}

function growthBytesBelow(node: usize, factor: f64): u64 {
  let bytes = growthBytes(nodeColumn(node), scaled(node, factor));
  const count = nodeGet(node, NodeField.FieldCount);
  for (let i: u32 = 0; i < count; i++) bytes += growthBytesBelow(fieldAt(node, i), factor);
  const element = <usize>nodeGet(node, NodeField.Element);
  if (element != 0) bytes += growthBytesBelow(element, factor);
  const keys = <usize>nodeGet(node, NodeField.MapKeys);
  if (keys != 0) bytes += growthBytesBelow(keys, factor);
  return bytes;
}

function growBelow(node: usize, factor: f64): void {
  reserveRows(nodeColumn(node), scaled(node, factor));
  const count = nodeGet(node, NodeField.FieldCount);
  for (let i: u32 = 0; i < count; i++) growBelow(fieldAt(node, i), factor);
  const element = <usize>nodeGet(node, NodeField.Element);
  if (element != 0) growBelow(element, factor);
  const keys = <usize>nodeGet(node, NodeField.MapKeys);
  if (keys != 0) growBelow(keys, factor);
}
