// The schema tree in WASM, so the streaming parser finds a value's column without leaving
// WASM. The facade mirrors it (packages/core/src/schema/nodes.ts) and rebuilds its mirror
// after every load; it also creates nodes here for stores it plans itself (fromRecords).
//
// A node is a 56-byte block (its address is its handle) pointing at its column.
import { allocate, reallocate, canAllocate, reserve } from './arena';
import { stringStart, stringLength } from './strings';
import {
  get, columnCreate, appendMissing, appendMissingRun, appendNull, truncate, retypeNullColumn, growthBytes, reserveRows, OK, OUT_OF_MEMORY,
  D_LENGTH, D_DATA, D_TYPE, TYPE_NULL,
} from './column';

export const KIND_UNSET: u32 = 0;  // only null / missing so far (column TYPE_NULL)
export const KIND_STRUCT: u32 = 1;
export const KIND_LIST: u32 = 2;
export const KIND_MAP: u32 = 3;    // column: TYPE_LIST offsets; ELEMENT = values, MAP_KEYS = key strings
export const KIND_SCALAR: u32 = 4; // bool, int, float64 or string column
export const KIND_MIXED: u32 = 5;

export const N_KIND: usize = 0;
export const N_COLUMN: usize = 4;
export const N_KEY: usize = 8;          // string id of the key in the parent struct; NO_KEY otherwise
export const N_PARENT: usize = 12;
export const N_FIELDS: usize = 16;      // u32[] of field node handles, first-seen order
export const N_FIELD_COUNT: usize = 20;
export const N_FIELD_CAPACITY: usize = 24;
export const N_ELEMENT: usize = 28;     // list element / map values
export const N_MAP_KEYS: usize = 32;
export const N_STAMP: usize = 36;       // object instance that last wrote this field
export const N_CURSOR: usize = 40;      // field index expected next (records repeat their key order)
export const N_PLAIN_KEY: usize = 44;  // 1 when the key has no quote, backslash or control byte
export const N_REVIEW_AT: usize = 48;  // field count at which the facade is asked whether this struct is a map
export const NODE_BYTES: usize = 56;
/** Structs are first reviewed (map or struct?) when they reach this many keys, then at each doubling. */
export const FIRST_REVIEW_FIELDS: u32 = 64;
export const NO_KEY: u32 = 0xFFFFFFFF;

@inline export function nodeGet(node: usize, field: usize): u32 { return load<u32>(node + field); }
@inline export function nodeSet(node: usize, field: usize, value: u32): void { store<u32>(node + field, value); }
@inline export function nodeColumn(node: usize): usize { return <usize>load<u32>(node + N_COLUMN); }
@inline export function fieldAt(node: usize, index: u32): usize {
  return <usize>load<u32>(<usize>load<u32>(node + N_FIELDS) + (<usize>index << 2));
}

let rootNode: usize = 0;

export function schemaRoot(): usize {
  return rootNode;
}

/** A node of `kind` over an existing column. 0 when out of memory. */
export function nodeCreate(kind: u32, column: usize, key: u32, parent: usize): usize {
  if (!canAllocate(NODE_BYTES)) return 0;
  const node = allocate(NODE_BYTES);
  nodeSet(node, N_KIND, kind);
  nodeSet(node, N_COLUMN, <u32>column);
  nodeSet(node, N_KEY, key);
  nodeSet(node, N_PARENT, <u32>parent);
  nodeSet(node, N_REVIEW_AT, FIRST_REVIEW_FIELDS);
  if (key != NO_KEY) nodeSet(node, N_PLAIN_KEY, plainBytes(stringStart(key), stringLength(key)) ? 1 : 0);
  return node;
}

export function setRoot(node: usize): void {
  rootNode = node;
}

/** The root of a store loaded by the parser: an unset node whose rows are the records. */
export function ensureRoot(): usize {
  if (rootNode != 0) return rootNode;
  const column = columnCreate(TYPE_NULL, 0, 0, 0);
  if (column == 0) return 0;
  rootNode = nodeCreate(KIND_UNSET, column, NO_KEY, 0);
  return rootNode;
}

/** Appends `field` to a struct node's fields. */
export function addField(node: usize, field: usize): bool {
  const count = nodeGet(node, N_FIELD_COUNT);
  const capacity = nodeGet(node, N_FIELD_CAPACITY);
  if (count == capacity) {
    const grown = max<u32>(4, capacity * 2);
    const fields = reallocate(<usize>nodeGet(node, N_FIELDS), <usize>capacity << 2, <usize>grown << 2);
    if (fields == 0) return false;
    nodeSet(node, N_FIELDS, <u32>fields);
    nodeSet(node, N_FIELD_CAPACITY, grown);
  }
  store<u32>(<usize>nodeGet(node, N_FIELDS) + (<usize>count << 2), <u32>field);
  nodeSet(node, N_FIELD_COUNT, count + 1);
  return true;
}

/**
 * A new field of struct `node` for key `keyId`, first seen in its current row: every earlier
 * row of the parent lacks it, so the new column starts with that many missing rows.
 */
export function createField(node: usize, keyId: u32): usize {
  const parentRows = get(nodeColumn(node), D_LENGTH);
  const earlier = parentRows > 0 ? parentRows - 1 : 0;
  const column = columnCreate(TYPE_NULL, max<u32>(earlier + 1, 16), 0, 0);
  if (column == 0) return 0;
  if (appendMissingRun(column, earlier) != OK) return 0;
  const field = nodeCreate(KIND_UNSET, column, keyId, node);
  if (field == 0 || !addField(node, field)) return 0;
  return field;
}

/** Appends a missing row to `node` and, for structs, to every field below it. */
export function writeMissing(node: usize): i32 {
  if (appendMissing(nodeColumn(node)) != OK) return OUT_OF_MEMORY;
  return missingBelow(node);
}

/** Appends a null row; a struct's fields get a missing row each. */
export function writeNull(node: usize): i32 {
  if (appendNull(nodeColumn(node)) != OK) return OUT_OF_MEMORY;
  return missingBelow(node);
}

function missingBelow(node: usize): i32 {
  if (nodeGet(node, N_KIND) != KIND_STRUCT) return OK;
  const count = nodeGet(node, N_FIELD_COUNT);
  for (let i: u32 = 0; i < count; i++) {
    if (writeMissing(fieldAt(node, i)) != OK) return OUT_OF_MEMORY;
  }
  return OK;
}

/**
 * Cuts the subtree at `node` back to `rows` rows: a struct's fields to the same count, a
 * list's (or map's) elements to where row `rows` begins.
 */
export function truncateNode(node: usize, rows: u32): void {
  const column = nodeColumn(node);
  const length = get(column, D_LENGTH);
  // No early return when the node itself has no rows to drop: a list or map appends its row
  // only after its elements, so a record that failed (or must be rebuilt) inside one leaves
  // element rows past offsets[length] with no row of their own. They must go too, or the
  // next rows' offsets point at them (e.g. [[{},false]] read back as [[{},{}]]).
  const keep = min(rows, length);
  const kind = nodeGet(node, N_KIND);
  if (kind == KIND_LIST || kind == KIND_MAP) {
    const elements = load<u32>(<usize>get(column, D_DATA) + (<usize>keep << 2));
    truncateNode(<usize>nodeGet(node, N_ELEMENT), elements);
    if (kind == KIND_MAP) truncateNode(<usize>nodeGet(node, N_MAP_KEYS), elements);
  } else if (kind == KIND_STRUCT) {
    const count = nodeGet(node, N_FIELD_COUNT);
    for (let i: u32 = 0; i < count; i++) truncateNode(fieldAt(node, i), keep);
  }
  truncate(column, keep);
}

/** Makes an unset node a struct / list / scalar node of column `type`, in place. */
export function settleKind(node: usize, kind: u32, type: u32): bool {
  const column = nodeColumn(node);
  if (get(column, D_TYPE) != TYPE_NULL) return false;
  if (kind == KIND_LIST) {
    const element = ensureElement(node);
    if (element == 0) return false;
  }
  if (!retypeNullColumn(column, type)) return false;
  nodeSet(node, N_KIND, kind);
  return true;
}

/** The element node of a list node, created (unset, empty) on first need. */
export function ensureElement(node: usize): usize {
  let element = <usize>nodeGet(node, N_ELEMENT);
  if (element != 0) return element;
  const column = columnCreate(TYPE_NULL, 16, 0, 0);
  if (column == 0) return 0;
  element = nodeCreate(KIND_UNSET, column, NO_KEY, node);
  if (element == 0) return 0;
  nodeSet(node, N_ELEMENT, <u32>element);
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
  const recordsSoFar = get(nodeColumn(root), D_LENGTH);
  if (recordsSoFar == 0 || rows <= recordsSoFar) return true;
  const factor = <f64>rows / <f64>recordsSoFar;
  const bytes = growthBytesBelow(root, factor);
  if (!canAllocate(bytes) || !reserve(bytes)) return false;
  growBelow(root, factor);
  return true;
}

@inline function scaled(node: usize, factor: f64): u32 {
  return <u32>min<f64>(4294967000, Math.ceil(<f64>get(nodeColumn(node), D_LENGTH) * factor));
}

function growthBytesBelow(node: usize, factor: f64): u64 {
  let bytes = growthBytes(nodeColumn(node), scaled(node, factor));
  const count = nodeGet(node, N_FIELD_COUNT);
  for (let i: u32 = 0; i < count; i++) bytes += growthBytesBelow(fieldAt(node, i), factor);
  const element = <usize>nodeGet(node, N_ELEMENT);
  if (element != 0) bytes += growthBytesBelow(element, factor);
  const keys = <usize>nodeGet(node, N_MAP_KEYS);
  if (keys != 0) bytes += growthBytesBelow(keys, factor);
  return bytes;
}

function growBelow(node: usize, factor: f64): void {
  reserveRows(nodeColumn(node), scaled(node, factor));
  const count = nodeGet(node, N_FIELD_COUNT);
  for (let i: u32 = 0; i < count; i++) growBelow(fieldAt(node, i), factor);
  const element = <usize>nodeGet(node, N_ELEMENT);
  if (element != 0) growBelow(element, factor);
  const keys = <usize>nodeGet(node, N_MAP_KEYS);
  if (keys != 0) growBelow(keys, factor);
}
