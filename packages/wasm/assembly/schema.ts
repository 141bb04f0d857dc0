// The schema tree in WASM, so the streaming parser finds a value's column without leaving
// WASM. The facade mirrors it (packages/core/src/schema/mirror.ts) and rebuilds its mirror
// after every load; it also creates nodes here for stores it plans itself (fromRecords).
//
// A node is a 56-byte block (its address is its handle) pointing at its column.
import { ColumnType, Descriptor, FieldEntry, Status, NodeKind, NodeField, Sentinel } from './abi';
import { allocate, reallocate, release, canAllocate, reserve } from './arena';
import { find, intern, stringStart, stringLength, bytesEqual } from './strings';
import { journalElement, journalFieldAdded, journalSettled } from './journal';
import { get, growthBytes } from './descriptor';
import { isSparse, reviewDensity, rowsOf, storedBefore } from './sparse';
import { fsstEstimateRelease, textCompress } from './fsst';
import { fitReviewCandidate, reviewDictionaryAtFit } from './text';
import { holdersCount, holdersRelease } from './collect';
import {
  columnCreate, appendMissingRun, appendNull, truncate, retypeNullColumn, reserveRows,
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
  const column = columnCreate(ColumnType.Null, 0, 0, 0, 0);
  if (column == 0) return 0;
  rootNode = nodeCreate(NodeKind.Unset, column, Sentinel.NoKey, 0);
  return rootNode;
}

/** Structs of this many fields and more find a key by hashing it (fieldIndex) instead of scanning. */
export const FIELD_INDEX_FROM: u32 = 8;

@inline function mixKey(keyId: u32): u32 {
  return keyId * 0x9E3779B1;
}

/**
 * Appends `field` to a struct node's fields (and to its key index, from FIELD_INDEX_FROM
 * fields on). A wide object's keys used to be found by scanning every field: 100,000 distinct
 * keys in one object took minutes.
 */
export function addField(node: usize, field: usize): bool {
  const count = nodeGet(node, NodeField.FieldCount);
  const capacity = nodeGet(node, NodeField.FieldCapacity);
  let rehash = false;
  if (count == capacity) {
    const grown = max<u32>(4, capacity * 2);
    const fields = reallocate(<usize>nodeGet(node, NodeField.Fields), <usize>capacity << 2, <usize>grown << 2);
    if (fields == 0) return false;
    nodeSet(node, NodeField.Fields, <u32>fields);
    nodeSet(node, NodeField.FieldCapacity, grown);
    rehash = true;
  }
  if (count + 1 >= FIELD_INDEX_FROM && (rehash || nodeGet(node, NodeField.FieldIndex) == 0)) {
    if (!buildFieldIndex(node, count + 1)) return false;
  }
  if (!journalFieldAdded(node)) return false;
  store<u32>(<usize>nodeGet(node, NodeField.Fields) + (<usize>count << 2), <u32>field);
  nodeSet(node, NodeField.FieldCount, count + 1);
  const index = <usize>nodeGet(node, NodeField.FieldIndex);
  if (index != 0) {
    const mask = (nodeGet(node, NodeField.FieldCapacity) << 1) - 1;
    let slot = mixKey(nodeGet(field, NodeField.Key)) & mask;
    while (load<u32>(index + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
    store<u32>(index + (<usize>slot << 2), count + 1);
  }
  return true;
}

/**
 * Creates `count` fields of the struct node `struct` and adds them in order, from the request at
 * `entries` (FieldEntry records, then their keys' bytes): each key interned, its node made over
 * its column, the entry's Kind replaced by the node. JS records publish a planned struct so, a
 * call for all its fields where interning, creating and adding took three (and a scratch) each.
 * False when out of memory: the fields before are added, as addField one by one would leave them.
 */
export function publishFields(struct: usize, entries: usize, count: u32): bool {
  let key = entries + <usize>count * FieldEntry.Bytes;
  for (let i: u32 = 0; i < count; i++) {
    const entry = entries + <usize>i * FieldEntry.Bytes;
    const length = load<u32>(entry + FieldEntry.KeyLength);
    const id = intern(key, length);
    if (id == Sentinel.InternFailed) return false;
    key += length;
    const node = nodeCreate(load<u32>(entry + FieldEntry.Kind), <usize>load<u32>(entry + FieldEntry.Column), id, struct);
    if (node == 0 || !addField(struct, node)) return false;
    store<u32>(entry + FieldEntry.Kind, <u32>node);
  }
  return true;
}

/**
 * (Re)builds the key index of a struct for its first `count - 1` fields, sized for its field
 * capacity (twice as many slots, so at most half full). The field about to be added is
 * inserted by the caller.
 */
export function buildFieldIndex(node: usize, count: u32): bool {
  const slots = nodeGet(node, NodeField.FieldCapacity) << 1;
  const index = allocate(<usize>slots << 2);
  if (index == 0) return false;
  const old = <usize>nodeGet(node, NodeField.FieldIndex);
  // The old index had half the slots (it is rebuilt whenever the capacity doubles).
  if (old != 0) release(old, <usize>slots << 1);
  insertFields(node, index, slots, count - 1);
  nodeSet(node, NodeField.FieldIndex, <u32>index);
  return true;
}

/** A wide struct's key index built again in place, same slots, for its fields' keys as they now are (renumbered: collect.ts). */
export function rehashFieldIndex(node: usize): void {
  const index = <usize>nodeGet(node, NodeField.FieldIndex);
  if (index == 0) return;
  const slots = nodeGet(node, NodeField.FieldCapacity) << 1;
  memory.fill(index, 0, <usize>slots << 2);
  insertFields(node, index, slots, nodeGet(node, NodeField.FieldCount));
}

/** The struct's first `fields` fields into the empty key index of `slots` slots at `index`, in field order (removeLastField relies on it). */
function insertFields(node: usize, index: usize, slots: u32, fields: u32): void {
  const mask = slots - 1;
  for (let i: u32 = 0; i < fields; i++) {
    let slot = mixKey(nodeGet(fieldAt(node, i), NodeField.Key)) & mask;
    while (load<u32>(index + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
    store<u32>(index + (<usize>slot << 2), i + 1);
  }
}

/** Bytes of the block a node field of `Pointers.NodeBuffers` or `Pointers.NodeLists` addresses (0: none). */
export function nodeBufferBytes(node: usize, field: u32): u32 {
  if (nodeGet(node, field) == 0) return 0;
  const capacity = nodeGet(node, NodeField.FieldCapacity);
  if (field == NodeField.Fields) return capacity << 2;
  if (field == NodeField.FieldIndex) return capacity << 3; // 2 × FieldCapacity slots
  return 0;
}

/** Calls `visit` on every node of the subtree at `node` (its fields, list element, map parts). */
export function forEachNode(node: usize, visit: (node: usize) => void): void {
  visit(node);
  const count = nodeGet(node, NodeField.FieldCount);
  for (let i: u32 = 0; i < count; i++) forEachNode(fieldAt(node, i), visit);
  const element = <usize>nodeGet(node, NodeField.Element);
  if (element != 0) forEachNode(element, visit);
  const keys = <usize>nodeGet(node, NodeField.MapKeys);
  if (keys != 0) forEachNode(keys, visit);
}

/**
 * Removes a struct's last field (undoing addField, see journal.ts). Its index entry was the
 * last one inserted, so no later entry probed past its slot: clearing the slot is safe.
 */
export function removeLastField(node: usize): void {
  const count = nodeGet(node, NodeField.FieldCount) - 1;
  const index = <usize>nodeGet(node, NodeField.FieldIndex);
  if (index != 0) {
    const mask = (nodeGet(node, NodeField.FieldCapacity) << 1) - 1;
    let slot = mixKey(nodeGet(fieldAt(node, count), NodeField.Key)) & mask;
    while (load<u32>(index + (<usize>slot << 2)) != count + 1) slot = (slot + 1) & mask;
    store<u32>(index + (<usize>slot << 2), 0);
  }
  // Slots past the count stay 0: compaction copies every non-zero slot's node.
  store<u32>(<usize>nodeGet(node, NodeField.Fields) + (<usize>count << 2), 0);
  nodeSet(node, NodeField.FieldCount, count);
  if (nodeGet(node, NodeField.Cursor) > count) nodeSet(node, NodeField.Cursor, count);
}

/**
 * The field of struct `node` whose key has the `length` bytes at `key`, or 0. Narrow structs
 * scan from the field after the last one found (records repeat their key order); wide ones
 * look the key up in the string table and then in their index: O(1) per key on average.
 */
export function findField(node: usize, key: usize, length: u32): usize {
  const count = nodeGet(node, NodeField.FieldCount);
  if (count == 0) return 0;
  const index = <usize>nodeGet(node, NodeField.FieldIndex);
  if (count >= FIELD_INDEX_FROM && index != 0) {
    const id = find(key, length);
    if (id == Sentinel.NotInterned) return 0;
    const mask = (nodeGet(node, NodeField.FieldCapacity) << 1) - 1;
    let slot = mixKey(id) & mask;
    while (true) {
      const entry = load<u32>(index + (<usize>slot << 2));
      if (entry == 0) return 0;
      const field = fieldAt(node, entry - 1);
      if (nodeGet(field, NodeField.Key) == id) {
        nodeSet(node, NodeField.Cursor, entry);
        return field;
      }
      slot = (slot + 1) & mask;
    }
  }
  let guess = nodeGet(node, NodeField.Cursor);
  if (guess >= count) guess = 0;
  for (let tried: u32 = 0; tried < count; tried++) {
    const field = fieldAt(node, guess);
    const id = nodeGet(field, NodeField.Key);
    if (stringLength(id) == length && bytesEqual(stringStart(id), key, length)) {
      nodeSet(node, NodeField.Cursor, guess + 1);
      return field;
    }
    guess++;
    if (guess == count) guess = 0;
  }
  return 0;
}

/**
 * A new field of struct `node` for key `keyId`, first seen in its current row: every earlier
 * row of the parent lacks it, so the new column starts with that many missing rows.
 */
export function createField(node: usize, keyId: u32): usize {
  const parentRows = get(nodeColumn(node), Descriptor.Length);
  const earlier = parentRows > 0 ? parentRows - 1 : 0;
  const column = columnCreate(ColumnType.Null, max<u32>(earlier + 1, 16), 0, 0, 0);
  if (column == 0) return 0;
  if (appendMissingRun(column, earlier) != Status.Ok) return 0;
  const field = nodeCreate(NodeKind.Unset, column, keyId, node);
  if (field == 0 || !addField(node, field)) return 0;
  return field;
}

// Missing rows are written lazily while parsing. A wide record lacks most of its schema's
// fields (an event of one type has none of the others' payloads), and a missing row appended
// to every absent field, and to every field below an absent or null struct, was a quarter of
// the parse. Instead a struct's field column may lag behind the struct's rows: the rows it
// lacks are missing. `catchUp` adds them as one run when the field next gets a value, and
// `settleSchema` adds them everywhere before anyone reads the columns (the parser settles
// whenever it hands control back for more than input: done, error, rebuild, skipped line; the
// facade's transactionEnd and schemaReserveRows settle too). Truncation needs no care: a
// lagging column is already shorter than any row count it is cut to.

/** Appends a null row (a struct's fields lag: their rows for it are missing). */
export function writeNull(node: usize): i32 {
  return appendNull(nodeColumn(node));
}

/** Brings a struct field's column to `rows` rows, the rows it lacks missing. */
@inline export function catchUp(field: usize, rows: u32): i32 {
  const column = nodeColumn(field);
  const length = rowsOf(column);
  return length >= rows ? Status.Ok : appendMissingRun(column, rows - length);
}

/** Every column of the subtree at `node` as long as its parent: the lazily missing rows written. */
function settleBelow(node: usize): i32 {
  const kind = nodeGet(node, NodeField.Kind);
  if (kind == NodeKind.Struct) {
    const rows = get(nodeColumn(node), Descriptor.Length);
    const count = nodeGet(node, NodeField.FieldCount);
    for (let i: u32 = 0; i < count; i++) {
      const field = fieldAt(node, i);
      if (catchUp(field, rows) != Status.Ok || settleBelow(field) != Status.Ok) return Status.OutOfMemory;
    }
  } else if (kind == NodeKind.List || kind == NodeKind.Map) {
    if (settleBelow(<usize>nodeGet(node, NodeField.Element)) != Status.Ok) return Status.OutOfMemory;
    if (kind == NodeKind.Map && settleBelow(<usize>nodeGet(node, NodeField.MapKeys)) != Status.Ok) return Status.OutOfMemory;
  }
  return Status.Ok;
}

/**
 * Writes every lazily missing row of the schema (see above). False when out of memory: the
 * columns then lag still, and the load or append must fail (its undo cuts them back).
 */
export function settleSchema(): bool {
  return rootNode == 0 || settleBelow(rootNode) == Status.Ok;
}

/**
 * Cuts the subtree at `node` back to `rows` rows: a struct's fields to the same count, a
 * list's (or map's) elements to where row `rows` begins.
 */
export function truncateNode(node: usize, rows: u32): void {
  const column = nodeColumn(node);
  const length = rowsOf(column);
  // No early return when the node itself has no rows to drop: a list or map appends its row
  // only after its elements, so a record that failed (or must be rebuilt) inside one leaves
  // element rows past offsets[length] with no row of their own. They must go too, or the
  // next rows' offsets point at them (e.g. [[{},false]] read back as [[{},{}]]).
  const keep = min(rows, length);
  const kind = nodeGet(node, NodeField.Kind);
  if (kind == NodeKind.List || kind == NodeKind.Map) {
    // The elements before row `keep`: offsets are by stored row (a sparse list stores fewer).
    const stored = isSparse(column) ? storedBefore(column, keep) : keep;
    const elements = load<u32>(<usize>get(column, Descriptor.Data) + (<usize>stored << 2));
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
  // Journaled first: undoing a settle that did not happen (retyping failed) is harmless.
  if (!journalSettled(node, get(column, Descriptor.Length)) || !retypeNullColumn(column, type)) return false;
  nodeSet(node, NodeField.Kind, kind);
  return true;
}

/** The element node of a list node, created (unset, empty) on first need. */
export function ensureElement(node: usize): usize {
  let element = <usize>nodeGet(node, NodeField.Element);
  if (element != 0) return element;
  const column = columnCreate(ColumnType.Null, 16, 0, 0, 0);
  if (column == 0) return 0;
  element = nodeCreate(NodeKind.Unset, column, Sentinel.NoKey, node);
  if (element == 0 || !journalElement(node)) return 0;
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
  if (!settleSchema()) return false; // every column's length is its own estimate's base
  const recordsSoFar = get(nodeColumn(root), Descriptor.Length);
  if (recordsSoFar == 0 || rows <= recordsSoFar) return true;
  schemaReviewDensity(); // a mostly missing column grows by its stored rows only
  growFactor = <f64>rows / <f64>recordsSoFar;
  growthTotal = 0;
  forEachNode(root, addGrowthBytes);
  if (!canAllocate(growthTotal) || !reserve(growthTotal)) return false;
  forEachNode(root, growColumn);
  return true;
}

/** Judges every column's density (sparse.ts reviewDensity): before a compaction, and before columns grow to a load's estimate. */
export function schemaReviewDensity(): void {
  if (rootNode != 0) forEachNode(rootNode, reviewNode);
}

function reviewNode(node: usize): void {
  reviewDensity(nodeColumn(node), 0);
}

/**
 * Offers every text column FSST compression (fsst.ts textCompress), each dictionary column weighed
 * against compressed text first (text.ts reviewDictionaryAtFit): when a load or append is fitted,
 * before the copy is measured; `growing` after an append, whose store expects more rows. Answers
 * how many columns were compressed.
 */
export function schemaCompressText(growing: bool): u32 {
  compressedColumns = 0;
  compressGrowing = growing;
  if (rootNode == 0) return 0;
  holdersCounted = false;
  forEachNode(rootNode, compressNode);
  fsstEstimateRelease();
  holdersRelease(holders);
  holders = 0;
  return compressedColumns;
}

let compressedColumns: u32 = 0;
/** schemaCompressText's `growing`: the fit follows an append (text.ts reviewDictionaryAtFit). */
let compressGrowing = false;
let holders: usize = 0;
// The holders are counted at the first column the review may turn into text, not up front: most
// stores have none (cargo; a wide record's 100,000 int fields, whose u32 per string grew the
// memory it had reserved exactly by an eighth, 2.5 MB, and made its fit copy it all). No column is
// converted before that first one, so each one weighs the same counts as before.
let holdersCounted = false;

function compressNode(node: usize): void {
  const column = nodeColumn(node);
  if (fitReviewCandidate(column)) {
    if (!holdersCounted) {
      holders = holdersCount();
      holdersCounted = true;
    }
    reviewDictionaryAtFit(column, holders, compressGrowing);
  }
  if (textCompress(column)) compressedColumns++;
}

// schemaReserveRows' walk: the factor every column's rows are scaled by, and the bytes that takes.
let growFactor: f64 = 1;
let growthTotal: u64 = 0;

@inline function scaled(node: usize, factor: f64): u32 {
  return <u32>min<f64>(4294967000, Math.ceil(<f64>get(nodeColumn(node), Descriptor.Length) * factor));
}

function addGrowthBytes(node: usize): void {
  growthTotal += growthBytes(nodeColumn(node), scaled(node, growFactor));
}

function growColumn(node: usize): void {
  reserveRows(nodeColumn(node), scaled(node, growFactor));
}
