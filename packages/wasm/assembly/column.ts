// Columns: typed, growable, widened in place, with lazily allocated presence bitmaps.
//
// A column is a 96-byte descriptor in the arena (its address is stable for the column's
// life) plus the buffers it points at. The facade reads descriptors and buffers directly
// through typed-array views; it calls in here only to append and to create columns. The
// descriptor's fields and buffer sizes are in descriptor.ts, string dictionaries in dictionary.ts.
//
// Rows: a column's rows are its parent's rows (struct fields, the record root) or the
// elements of its parent list. Presence per row: a `missing` bit (the key is absent, or an
// ancestor is absent or null) and a `null` bit. Either bitmap exists only once needed. A column
// whose rows are mostly missing stores only the others, and an index instead of the missing
// bitmap (sparse.ts): its Length and buffers count those stored rows.
import { ColumnType, Descriptor, Sentinel, Status } from './abi';
import { allocate, canAllocate, reallocate, release } from './arena';
import { get, set, setBase, bitmapBytes, dataBytes, payloadBytes, bytesFor, MAX_BLOCK, withHeadroom } from './descriptor';
import { growDictionary, dictionaryCode, dictionaryRelease } from './dictionary';
import { isIntValue } from './numbers';
import { appendTextRow, reviewDictionary, textRelease, textReserveRows, textTruncated } from './text';
import { intern, stringLength, stringStart } from './strings';
import { textSymbolsRelease } from './fsst';
import { fsstForget } from './fsstAppend';
import { storeUnsigned, widenInt } from './widths';
import { isSparse, reviewDensity, sparseMissingRun, sparseReserve, sparseStored, sparseTruncate, toDense } from './sparse';

/** Narrowest code width for a dictionary of `entries` entries (0: a constant column). */
@inline export function codeWidth(entries: u32): u32 {
  if (entries <= 1) return 0;
  if (entries <= 256) return 1;
  if (entries <= 65536) return 2;
  return 4;
}

/**
 * Creates a column able to hold `capacity` rows before it grows. `width` is the starting
 * width for int deltas and string codes and `base` an int column's starting base (hints from
 * a caller that has seen the data: its smallest int, and the width of its spread; appends
 * still widen and rebase past them), `dictCapacity` the expected dictionary size. Returns 0
 * when out of memory.
 */
export function columnCreate(type: u32, capacity: u32, width: u32, dictCapacity: u32, base: f64): usize {
  if (type == ColumnType.Float64) width = 8;
  else if (type == ColumnType.Text) width = 4;
  else if (type != ColumnType.Int && type != ColumnType.String) width = 0;
  const dataSize = dataBytes(type, width, capacity);
  const payloadSize = payloadBytes(type, capacity);
  if (dataSize > MAX_BLOCK || payloadSize > MAX_BLOCK) return 0;
  if (!canAllocate(<u64>Descriptor.Bytes + dataSize + payloadSize + <u64>dictCapacity * 12 + 64)) return 0;
  const column = allocate(Descriptor.Bytes);
  set(column, Descriptor.Type, type);
  set(column, Descriptor.Width, width);
  set(column, Descriptor.Capacity, capacity);
  set(column, Descriptor.Data, <u32>allocate(<usize>dataSize));
  set(column, Descriptor.Payload, <u32>allocate(<usize>payloadSize));
  if (type == ColumnType.Int && isIntValue(base)) setBase(column, <i64>base);
  if (type == ColumnType.String && dictCapacity > 0 && !growDictionary(column, dictCapacity)) return 0;
  return column;
}

/** Grows the column to exactly `capacity` rows (a caller that knows how many will come). */
export function reserveRows(column: usize, capacity: u32): bool {
  if (!ensureCapacity(column, capacity, true)) return false;
  return get(column, Descriptor.Type) != ColumnType.Text || textReserveRows(column, capacity);
}

/** Makes room for `rows` rows; buffers grow by half again (or exactly, near the limit or when asked). */
function ensureCapacity(column: usize, rows: u32, exact: bool = false): bool {
  const capacity = get(column, Descriptor.Capacity);
  if (rows <= capacity) return true;
  const type = get(column, Descriptor.Type);
  const width = get(column, Descriptor.Width);
  let grown = exact ? rows : <u32>min(<u64>0xFFFFFFFF, max(<u64>max(rows, 16), <u64>capacity + (<u64>capacity >>> 1)));
  if (dataBytes(type, width, grown) > MAX_BLOCK) grown = rows;
  if (dataBytes(type, width, grown) > MAX_BLOCK) return false;
  const hasNulls = get(column, Descriptor.Nulls) != 0;
  const hasMissing = get(column, Descriptor.Missing) != 0;
  const bitmaps: u32 = (hasNulls ? 1 : 0) + (hasMissing ? 1 : 0);
  if (!canAllocate(bytesFor(grown, type, width, bitmaps))) {
    grown = rows;
    if (!canAllocate(bytesFor(grown, type, width, bitmaps))) return false;
  }
  // Each buffer is set only once it has grown: a failed one keeps its block, and the capacity
  // stays the old one (a buffer already grown then holds more than it says; its release frees
  // the capacity's bytes and leaks the rest, which never corrupts).
  if (!growBuffer(column, Descriptor.Data, dataBytes(type, width, capacity), dataBytes(type, width, grown))) return false;
  if (!growBuffer(column, Descriptor.Payload, payloadBytes(type, capacity), payloadBytes(type, grown))) return false;
  if (hasNulls && !growBuffer(column, Descriptor.Nulls, bitmapBytes(capacity), bitmapBytes(grown))) return false;
  if (hasMissing && !growBuffer(column, Descriptor.Missing, bitmapBytes(capacity), bitmapBytes(grown))) return false;
  set(column, Descriptor.Capacity, grown);
  return true;
}

/** Re-allocates the buffer at descriptor field `field` from `from` to `to` bytes; false (the buffer kept) when out of memory. */
function growBuffer(column: usize, field: u32, from: u64, to: u64): bool {
  if (to == 0) return true;
  const moved = reallocate(<usize>get(column, field), <usize>from, <usize>to);
  if (moved == 0) return false;
  set(column, field, <u32>moved);
  return true;
}

/**
 * A column whose buffers were just copied into blocks sized for its rows and 1/`headroom` more
 * (compaction: descriptor.ts bufferBytes with `used`): its capacities become that. Appends after
 * it grow as usual.
 */
export function fitColumn(column: usize, headroom: u32): void {
  set(column, Descriptor.Capacity, withHeadroom(get(column, Descriptor.Length), headroom));
  set(column, Descriptor.DictCapacity, withHeadroom(get(column, Descriptor.DictLength), headroom));
  set(column, Descriptor.HeapCapacity, withHeadroom(get(column, Descriptor.HeapLength), headroom));
  if (isSparse(column)) set(column, Descriptor.Groups, (withHeadroom(get(column, Descriptor.Rows), headroom) + 63) >>> 6);
}

/**
 * Reserves the next stored row and returns its index, or -1 when out of memory. A full column's
 * density is judged first (it may turn sparse or dense, sparse.ts). The append that called it
 * calls commitRow (or sparseStored) once the row is written.
 */
@inline export function nextRow(column: usize): i64 {
  if (get(column, Descriptor.Length) == get(column, Descriptor.Capacity)) reviewDensity(column, 0);
  const row = get(column, Descriptor.Length);
  if (row == get(column, Descriptor.Capacity) && !ensureCapacity(column, row + 1)) return -1;
  if (isSparse(column) && !sparseReserve(column, 1)) return -1;
  return <i64>row;
}

@inline function commitRow(column: usize, row: u32): void {
  set(column, Descriptor.Length, row + 1);
  sparseStored(column);
  const type = get(column, Descriptor.Type);
  if (type == ColumnType.List || type == ColumnType.Text) {
    const offsets = <usize>get(column, Descriptor.Data);
    store<u32>(offsets + ((<usize>row + 1) << 2), load<u32>(offsets + (<usize>row << 2)));
  }
}

/** Sets bits [from, to): a byte at a time where whole bytes are covered (runs of missing rows). */
function setBits(bitmap: usize, from: u32, to: u32): void {
  let row = from;
  for (; row < to && (row & 7) != 0; row++) setBit(bitmap, row);
  if (to - row >= 8) {
    const bytes = (to - row) >>> 3;
    memory.fill(bitmap + (<usize>row >>> 3), 0xFF, bytes);
    row += bytes << 3;
  }
  for (; row < to; row++) setBit(bitmap, row);
}

@inline function setBit(bitmap: usize, row: u32): void {
  const at = bitmap + (<usize>row >>> 3);
  store<u8>(at, load<u8>(at) | <u8>(1 << <u8>(row & 7)));
}

function markPresence(column: usize, row: u32, bitmapField: usize, countField: usize): bool {
  let bitmap = <usize>get(column, bitmapField);
  if (bitmap == 0) {
    bitmap = allocate(bitmapBytes(get(column, Descriptor.Capacity)));
    if (bitmap == 0) return false;
    set(column, bitmapField, <u32>bitmap);
  }
  setBit(bitmap, row);
  set(column, countField, get(column, countField) + 1);
  return true;
}

/** Appends a null row. In a list column the row holds no elements. */
export function appendNull(column: usize): i32 {
  const row = nextRow(column);
  if (row < 0) return Status.OutOfMemory;
  // A null-typed column's present rows are all null: a count is enough, no bitmap.
  if (get(column, Descriptor.Type) == ColumnType.Null) {
    set(column, Descriptor.NullCount, get(column, Descriptor.NullCount) + 1);
  } else if (!markPresence(column, <u32>row, Descriptor.Nulls, Descriptor.NullCount)) {
    return Status.OutOfMemory;
  }
  commitRow(column, <u32>row);
  return Status.Ok;
}

/** Appends a missing row (key absent, or an ancestor absent or null). */
export function appendMissing(column: usize): i32 {
  if (isSparse(column)) return sparseMissingRun(column, 1) ? Status.Ok : Status.OutOfMemory;
  const row = nextRow(column);
  if (isSparse(column)) return sparseMissingRun(column, 1) ? Status.Ok : Status.OutOfMemory; // it just turned sparse
  if (row < 0) return Status.OutOfMemory;
  if (!markPresence(column, <u32>row, Descriptor.Missing, Descriptor.MissingCount)) return Status.OutOfMemory;
  commitRow(column, <u32>row);
  return Status.Ok;
}

/** Appends a present struct row (its fields are appended to their own columns). */
export function appendStruct(column: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Struct) return Status.WrongType;
  const row = nextRow(column);
  if (row < 0) return Status.OutOfMemory;
  commitRow(column, <u32>row);
  return Status.Ok;
}

/** Appends a list row of `elementCount` elements (appended to the child column). */
export function appendList(column: usize, elementCount: u32): i32 {
  if (get(column, Descriptor.Type) != ColumnType.List) return Status.WrongType;
  const row = nextRow(column);
  if (row < 0) return Status.OutOfMemory;
  const offsets = <usize>get(column, Descriptor.Data);
  const start = load<u32>(offsets + (<usize>row << 2));
  set(column, Descriptor.Length, <u32>row + 1);
  store<u32>(offsets + ((<usize>row + 1) << 2), start + elementCount);
  sparseStored(column);
  return Status.Ok;
}

export function appendBool(column: usize, value: bool): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Bool) return Status.WrongType;
  const row = nextRow(column);
  if (row < 0) return Status.OutOfMemory;
  if (value) setBit(<usize>get(column, Descriptor.Data), <u32>row);
  set(column, Descriptor.Length, <u32>row + 1);
  return Status.Ok;
}

/** Appends a tagged value to a mixed column: `payload` is the number or the string id. */
export function appendMixed(column: usize, tag: u32, payload: f64): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Mixed) return Status.WrongType;
  const row = nextRow(column);
  if (row < 0) return Status.OutOfMemory;
  store<u8>(<usize>get(column, Descriptor.Data) + <usize>row, <u8>tag);
  store<f64>(<usize>get(column, Descriptor.Payload) + (<usize>row << 3), payload);
  set(column, Descriptor.Length, <u32>row + 1);
  return Status.Ok;
}

/**
 * Appends an interned string (by id) to a string column, widening its codes if needed (a text
 * column takes a copy of its bytes). A new dictionary entry may turn the column into text (text.ts).
 */
export function appendString(column: usize, stringId: u32): i32 {
  const type = get(column, Descriptor.Type);
  if (type == ColumnType.Text) return appendText(column, stringStart(stringId), stringLength(stringId));
  if (type != ColumnType.String) return Status.WrongType;
  const entries = get(column, Descriptor.DictLength);
  const code = dictionaryCode(column, stringId);
  if (code < 0) return Status.OutOfMemory;
  const width = codeWidth(get(column, Descriptor.DictLength));
  if (width > get(column, Descriptor.Width) && !widenInt(column, width)) return Status.OutOfMemory;
  const status = appendCodeRow(column, <u32>code);
  if (status == Status.Ok && get(column, Descriptor.DictLength) != entries) reviewDictionary(column);
  return status;
}

/**
 * Appends a row holding `code`, an entry the column's dictionary already has (JS records: a
 * string the column holds, by the code dictionaryFind gave for it): no string is looked up.
 */
export function appendCode(column: usize, code: u32): i32 {
  if (get(column, Descriptor.Type) != ColumnType.String || code >= get(column, Descriptor.DictLength)) return Status.WrongType;
  return appendCodeRow(column, code);
}

/**
 * The codes of `count` strings in string column `column`'s dictionary, those it lacks added in
 * order (journaled, as appendString adds them): JS records look up a column's distinct strings
 * so, a batch a call, then append its rows by code (appendCode), where each string's first row
 * took an intern, an appendString and a dictionaryFind. The request at `entries`: u32 byte
 * lengths, then the strings' WTF-8 bytes back to back; each length is replaced by its string's
 * code. False when out of memory (codes written so far stay) or for a column of another type.
 */
export function dictionaryCodes(column: usize, entries: usize, count: u32): bool {
  if (get(column, Descriptor.Type) != ColumnType.String) return false;
  let bytes = entries + (<usize>count << 2);
  for (let i: u32 = 0; i < count; i++) {
    const entry = entries + (<usize>i << 2);
    const length = load<u32>(entry);
    const id = intern(bytes, length);
    if (id == Sentinel.InternFailed) return false;
    const code = dictionaryCode(column, id);
    if (code < 0) return false;
    store<u32>(entry, <u32>code);
    bytes += length;
  }
  const width = codeWidth(get(column, Descriptor.DictLength));
  return width <= get(column, Descriptor.Width) || widenInt(column, width);
}

/** A row of dictionary code `code` (the column's width holds it). */
function appendCodeRow(column: usize, code: u32): i32 {
  const row = nextRow(column);
  if (row < 0) return Status.OutOfMemory;
  storeUnsigned(<usize>get(column, Descriptor.Data), get(column, Descriptor.Width), <u32>row, <u64>code);
  set(column, Descriptor.Length, <u32>row + 1);
  sparseStored(column);
  return Status.Ok;
}

/** Appends `length` bytes at `ptr` (valid WTF-8) to a text column: nothing is interned. */
export function appendText(column: usize, ptr: usize, length: u32): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Text) return Status.WrongType;
  const row = nextRow(column);
  if (row < 0) return Status.OutOfMemory;
  return appendTextRow(column, <u32>row, ptr, length);
}

// ---- rollback and retyping (streaming ingest) -------------------------------------------

function clearBits(bitmap: usize, from: u32, to: u32): u32 {
  let cleared: u32 = 0;
  for (let row = from; row < to; row++) {
    const at = bitmap + (<usize>row >>> 3);
    const bit = <u8>(1 << <u8>(row & 7));
    if ((load<u8>(at) & bit) != 0) {
      store<u8>(at, load<u8>(at) & ~bit);
      cleared++;
    }
  }
  return cleared;
}

/**
 * Drops rows [length, rows): a failed record or batch is undone this way. Presence counts
 * and bits are restored; values past the length are never read. Widths stay as they are, and
 * so does a turn sparse or dense. A sparse column keeps the stored rows before row `length`.
 */
export function truncate(column: usize, length: u32): void {
  if (isSparse(column)) length = sparseTruncate(column, length);
  const current = get(column, Descriptor.Length);
  if (length >= current) return;
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
  if (nulls != 0) set(column, Descriptor.NullCount, get(column, Descriptor.NullCount) - clearBits(nulls, length, current));
  else if (get(column, Descriptor.Type) == ColumnType.Null) {
    // Null columns count their null rows without a bitmap: every row that is not missing.
    let missingDropped: u32 = 0;
    if (missing != 0) {
      for (let row = length; row < current; row++) missingDropped += (load<u8>(missing + (<usize>row >>> 3)) >>> <u8>(row & 7)) & 1;
    }
    set(column, Descriptor.NullCount, get(column, Descriptor.NullCount) - (current - length - missingDropped));
  }
  if (missing != 0) set(column, Descriptor.MissingCount, get(column, Descriptor.MissingCount) - clearBits(missing, length, current));
  if (get(column, Descriptor.Type) == ColumnType.Bool) clearBits(<usize>get(column, Descriptor.Data), length, current);
  if (get(column, Descriptor.Type) == ColumnType.String) {
    // A row appended here later as null or missing writes no code, and a code left behind (one an
    // undone append added to the dictionary, and took back) would be read as that row's: scans
    // index a table by every row's code before presence masks the row.
    const width = <usize>get(column, Descriptor.Width);
    memory.fill(<usize>get(column, Descriptor.Data) + <usize>length * width, 0, <usize>(current - length) * width);
  }
  if (get(column, Descriptor.Type) == ColumnType.Text) textTruncated(column, length);
  set(column, Descriptor.Length, length);
}

/** Appends `count` missing rows at once (a field first seen after `count` rows of its parent). */
export function appendMissingRun(column: usize, count: u32): i32 {
  if (count == 0) return Status.Ok;
  if (!isSparse(column) && <u64>get(column, Descriptor.Length) + <u64>count > <u64>get(column, Descriptor.Capacity)) reviewDensity(column, count);
  if (isSparse(column)) return sparseMissingRun(column, count) ? Status.Ok : Status.OutOfMemory;
  const length = get(column, Descriptor.Length);
  if (<u64>length + <u64>count > 0xFFFFFFF0) return Status.OutOfMemory;
  if (!ensureCapacity(column, length + count)) return Status.OutOfMemory;
  let bitmap = <usize>get(column, Descriptor.Missing);
  if (bitmap == 0) {
    bitmap = allocate(bitmapBytes(get(column, Descriptor.Capacity)));
    if (bitmap == 0) return Status.OutOfMemory;
    set(column, Descriptor.Missing, <u32>bitmap);
  }
  setBits(bitmap, length, length + count);
  set(column, Descriptor.MissingCount, get(column, Descriptor.MissingCount) + count);
  const type = get(column, Descriptor.Type);
  if (type == ColumnType.List || type == ColumnType.Text) {
    const offsets = <usize>get(column, Descriptor.Data);
    const end = load<u32>(offsets + (<usize>length << 2));
    for (let row = length + 1; row <= length + count; row++) store<u32>(offsets + (<usize>row << 2), end);
  }
  set(column, Descriptor.Length, length + count);
  return Status.Ok;
}

/**
 * Gives a null-typed column (only null and missing rows so far) a real type, in place: its
 * null rows get a null bitmap, its data buffer starts zeroed (lists: no elements).
 */
export function retypeNullColumn(column: usize, type: u32): bool {
  if (get(column, Descriptor.Type) != ColumnType.Null) return get(column, Descriptor.Type) == type;
  const capacity = get(column, Descriptor.Capacity);
  const length = get(column, Descriptor.Length);
  const width: u32 = type == ColumnType.Float64 ? 8 : 0;
  const dataSize = dataBytes(type, width, capacity);
  const payloadSize = payloadBytes(type, capacity);
  if (dataSize > MAX_BLOCK || !canAllocate(dataSize + payloadSize + <u64>bitmapBytes(capacity) + 32)) return false;
  const data = allocate(<usize>dataSize);
  const payload = allocate(<usize>payloadSize);
  if (data == 0 || payload == 0) return false;
  if (get(column, Descriptor.NullCount) > 0) {
    const nulls = allocate(bitmapBytes(capacity));
    if (nulls == 0) return false;
    const missing = <usize>get(column, Descriptor.Missing);
    for (let row: u32 = 0; row < length; row++) {
      if (missing == 0 || ((load<u8>(missing + (<usize>row >>> 3)) >>> <u8>(row & 7)) & 1) == 0) setBit(nulls, row);
    }
    set(column, Descriptor.Nulls, <u32>nulls);
  }
  release(<usize>get(column, Descriptor.Data), 0);
  set(column, Descriptor.Data, <u32>data);
  set(column, Descriptor.Payload, <u32>payload);
  set(column, Descriptor.Width, width);
  // A column untyped by an undone append may still hold that append's base (an int column's).
  setBase(column, 0);
  set(column, Descriptor.Type, type);
  return true;
}

// ---- undoing a retype (journal.ts): the column's rows are already cut back ---------------

/**
 * Makes a column that was null-typed before an undone append null-typed again: its buffers
 * go back to the arena. Its kept rows are null or missing, so the counts already hold.
 */
export function untypeColumn(column: usize): void {
  const type = get(column, Descriptor.Type);
  if (type == ColumnType.Null) return;
  // Turned sparse since it was typed: its rows (all null or missing now) go back to a missing bitmap first.
  if (isSparse(column)) toDense(column);
  const capacity = get(column, Descriptor.Capacity);
  const width = get(column, Descriptor.Width);
  release(<usize>get(column, Descriptor.Data), <usize>dataBytes(type, width, capacity));
  release(<usize>get(column, Descriptor.Payload), <usize>payloadBytes(type, capacity));
  release(<usize>get(column, Descriptor.Nulls), bitmapBytes(capacity));
  if (type == ColumnType.String) dictionaryRelease(column);
  if (type == ColumnType.Text) {
    textRelease(column);
    fsstForget(column);
    textSymbolsRelease(column);
  }
  set(column, Descriptor.Data, <u32>allocate(0));
  set(column, Descriptor.Payload, <u32>allocate(0));
  set(column, Descriptor.Nulls, 0);
  set(column, Descriptor.Width, 0);
  set(column, Descriptor.Type, ColumnType.Null);
}
