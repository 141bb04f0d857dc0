// Loading a saved store (.msx, packages/core/MSX.md): the checks that loop over a block's values,
// run where the loader placed the file's bytes, and the hash indexes rebuilt rather than trusted.
// The facade checks the file's shape (header, directory, records, addresses) and calls these
// for each block of values; none of them trusts a count it has not been told was checked, none
// reads outside the blocks the facade sized (every length below was checked against its block's
// bytes first), and none can loop forever.
//
// - `msxHash`: xxHash64 (seed 0) of a block, its checksum in the file.
// - `msxCheck(check, a, b, c)`: every other step, by `MsxCheck` (abi.ts): the sizes, the value
//   checks (the first offending index — a row, string, group or code — as a double, or -1) and
//   the derived indexes (string table, dictionaries, struct fields) built again on the loaded
//   data, where a duplicate found (two ids of one string, two codes of one id) is an error,
//   since lookups would then answer one of them only. One export, not thirteen (README.md, Exports).
import { Descriptor, MixedTag, MsxCheck, NodeField, Sentinel } from './abi';
import { bufferBytes, get, isPresent, set } from './descriptor';
import { dictionaryDropIndex, dictionaryFind, growDictionary } from './dictionary';
import { buildFieldIndex, FIELD_INDEX_FROM, nodeGet, nodeSet, plainBytes } from './schema';
import { bytesEqual, stringLength, stringStart, stringsFirstRepeat } from './strings';
import { allocate, canAllocate, release } from './arena';
import { fsstDecodeChecked, fsstEncodeIndexed, fsstIndex, fsstTableValid, INDEX_BYTES, symbolsOf } from './fsst';
import { storeUnsigned, unsignedAt } from './widths';

// ---- xxHash64 (Yann Collet's, as published: github.com/Cyan4973/xxHash, doc/xxhash_spec.md) ----

const P1: u64 = 0x9E3779B185EBCA87;
const P2: u64 = 0xC2B2AE3D27D4EB4F;
const P3: u64 = 0x165667B19E3779F9;
const P4: u64 = 0x85EBCA77C2B2AE63;
const P5: u64 = 0x27D4EB2F165667C5;

@inline function round(acc: u64, lane: u64): u64 {
  return rotl<u64>(acc + lane * P2, 31) * P1;
}

@inline function merge(acc: u64, lane: u64): u64 {
  return (acc ^ round(0, lane)) * P1 + P4;
}

/** xxHash64 with seed 0 of the `length` bytes at `ptr`: a block's checksum. */
export function msxHash(ptr: usize, length: u32): u64 {
  const end = ptr + <usize>length;
  let at = ptr;
  let hash: u64;
  if (length >= 32) {
    let v1: u64 = P1 + P2;
    let v2: u64 = P2;
    let v3: u64 = 0;
    let v4: u64 = 0 - P1;
    const limit = end - 32;
    while (at <= limit) {
      v1 = round(v1, load<u64>(at));
      v2 = round(v2, load<u64>(at + 8));
      v3 = round(v3, load<u64>(at + 16));
      v4 = round(v4, load<u64>(at + 24));
      at += 32;
    }
    hash = rotl<u64>(v1, 1) + rotl<u64>(v2, 7) + rotl<u64>(v3, 12) + rotl<u64>(v4, 18);
    hash = merge(hash, v1);
    hash = merge(hash, v2);
    hash = merge(hash, v3);
    hash = merge(hash, v4);
  } else {
    hash = P5;
  }
  hash += <u64>length;
  while (at + 8 <= end) {
    hash ^= round(0, load<u64>(at));
    hash = rotl<u64>(hash, 27) * P1 + P4;
    at += 8;
  }
  if (at + 4 <= end) {
    hash ^= <u64>load<u32>(at) * P1;
    hash = rotl<u64>(hash, 23) * P2 + P3;
    at += 4;
  }
  while (at < end) {
    hash ^= <u64>load<u8>(at) * P5;
    hash = rotl<u64>(hash, 11) * P1;
    at++;
  }
  hash ^= hash >> 33;
  hash *= P2;
  hash ^= hash >> 29;
  hash *= P3;
  hash ^= hash >> 32;
  return hash;
}

// ---- sizes ---------------------------------------------------------------------------------

/** Bytes the buffer a descriptor field addresses must hold for the column's rows (descriptor.ts), as a double: never wrapped at 4 GiB. */
function bufferBytesFor(column: usize, field: u32): f64 {
  return <f64>bufferBytes(column, field, true, 0);
}

/** Set bits among the first `bits` of a bitmap of (bits + 7) / 8 bytes: read byte by byte at its end, never past it. */
function bitmapCount(bitmap: usize, bits: u32): u32 {
  let total: u32 = 0;
  const words = bits >>> 6;
  for (let w: u32 = 0; w < words; w++) total += <u32>popcnt<u64>(load<u64>(bitmap + (<usize>w << 3)));
  for (let bit = words << 6; bit < bits; bit++) total += (<u32>load<u8>(bitmap + (<usize>bit >>> 3)) >>> (bit & 7)) & 1;
  return total;
}

// ---- offsets and text ------------------------------------------------------------------------

/**
 * `u32 offsets[count + 1]` (a list's, a text column's, the string table's): the first index
 * that breaks offsets[0] = 0, offsets[i] ≤ offsets[i + 1], offsets[count] = `end`; -1 when none does.
 */
function checkOffsets(offsets: usize, count: u32, end: u32): f64 {
  if (load<u32>(offsets) != 0) return 0;
  let previous: u32 = 0;
  for (let i: u32 = 1; i <= count; i++) {
    const next = load<u32>(offsets + (<usize>i << 2));
    if (next < previous) return <f64>i;
    previous = next;
  }
  return previous == end ? -1 : <f64>count;
}

@inline function continuation(byte: u32): bool {
  return (byte & 0xC0) == 0x80;
}

/**
 * Whether the `length` bytes at `at` are WTF-8: UTF-8 (shortest forms, up to U+10FFFF) in which
 * a lone surrogate may stand as UTF-8's 3-byte form of its code point, but no surrogate pair
 * does (a pair is its 4-byte character): how the store keeps JavaScript strings.
 */
function isWtf8(at: usize, length: u32): bool {
  let i: u32 = 0;
  let leadEnded: u32 = 0xFFFFFFFF; // where the last lead surrogate ended (a trail right there would be a pair)
  while (i < length) {
    // Sixteen ASCII bytes a step (SIMD: no high bit set), then eight: most text is ASCII.
    if (i + 16 <= length && i8x16.bitmask(v128.load(at + i)) == 0) {
      i += 16;
      continue;
    }
    if (i + 8 <= length && (load<u64>(at + i) & 0x8080808080808080) == 0) {
      i += 8;
      continue;
    }
    const b0 = <u32>load<u8>(at + i);
    if (b0 < 0x80) {
      i++;
      continue;
    }
    if (b0 < 0xC2) return false;
    if (b0 < 0xE0) {
      if (i + 2 > length || !continuation(load<u8>(at + i + 1))) return false;
      i += 2;
      continue;
    }
    if (b0 < 0xF0) {
      if (i + 3 > length) return false;
      const b1 = <u32>load<u8>(at + i + 1);
      if (!continuation(b1) || !continuation(load<u8>(at + i + 2))) return false;
      if (b0 == 0xE0 && b1 < 0xA0) return false; // overlong
      if (b0 == 0xED && b1 >= 0xA0) {
        // A surrogate: a trail right after a lead is a pair written as two halves.
        if (b1 >= 0xB0 && leadEnded == i) return false;
        if (b1 < 0xB0) leadEnded = i + 3;
      }
      i += 3;
      continue;
    }
    if (b0 > 0xF4 || i + 4 > length) return false;
    const b1 = <u32>load<u8>(at + i + 1);
    if (!continuation(b1) || !continuation(load<u8>(at + i + 2)) || !continuation(load<u8>(at + i + 3))) return false;
    if ((b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 >= 0x90)) return false; // overlong, past U+10FFFF
    i += 4;
  }
  return true;
}

/** The first of `count` strings (heap[offsets[i] .. offsets[i + 1]), offsets checked) that is not WTF-8; -1 when all are. */
function checkWtf8(heap: usize, offsets: usize, count: u32): f64 {
  for (let i: u32 = 0; i < count; i++) {
    const start = load<u32>(offsets + (<usize>i << 2));
    const end = load<u32>(offsets + (<usize>(i + 1) << 2));
    if (!isWtf8(heap + start, end - start)) return <f64>i;
  }
  return -1;
}

/**
 * An FSST text column (fsst.ts): the table one writeTable could make, and every stored row's codes
 * naming its symbols, decoding to WTF-8, and being what those bytes encode to — a row spelled any
 * other way would answer equality and group ids wrongly. The first bad row, -2 for the table, -3
 * when the block for the longest row (decoded, and encoded again) does not fit; -1 when all hold.
 */
function checkFsst(column: usize): f64 {
  const table = symbolsOf(column);
  if (table == 0 || !fsstTableValid(table)) return -2;
  const rows = get(column, Descriptor.Length);
  const offsets = <usize>get(column, Descriptor.Data);
  const heap = <usize>get(column, Descriptor.Heap);
  let longest: u64 = 0;
  for (let row: u32 = 0; row < rows; row++) longest = max<u64>(longest, <u64>(load<u32>(offsets + (<usize>(row + 1) << 2)) - load<u32>(offsets + (<usize>row << 2))));
  // A row of n codes decodes to at most 8n bytes (and 8 spare), which encode to at most 16n.
  const bytes = longest * 24 + 16 + <u64>INDEX_BYTES;
  if (bytes > 0xFFFF0000 || !canAllocate(bytes + 64)) return -3;
  const work = allocate(<usize>bytes);
  if (work == 0) return -3;
  const again = work + <usize>(longest * 8 + 8);
  const index = again + <usize>(longest * 16 + 8);
  fsstIndex(table, index);
  let bad: f64 = -1;
  for (let row: u32 = 0; row < rows; row++) {
    const start = load<u32>(offsets + (<usize>row << 2));
    const length = load<u32>(offsets + (<usize>(row + 1) << 2)) - start;
    const decoded = fsstDecodeChecked(table, heap + <usize>start, length, work);
    if (decoded < 0 || !isWtf8(work, <u32>decoded) || fsstEncodeIndexed(index, work, <u32>decoded, again) != length || !bytesEqual(again, heap + <usize>start, length)) {
      bad = <f64>row;
      break;
    }
  }
  release(work, <usize>bytes);
  return bad;
}

// ---- values of a column --------------------------------------------------------------------------

/** The largest of `rows` unsigned values of `width` bytes (0 at width 0): one branch-free pass per width. */
function maxUnsigned(data: usize, width: u32, rows: u32): u64 {
  let largest: u64 = 0;
  if (width == 1) for (let row: u32 = 0; row < rows; row++) largest = max<u64>(largest, <u64>load<u8>(data + <usize>row));
  else if (width == 2) for (let row: u32 = 0; row < rows; row++) largest = max<u64>(largest, <u64>load<u16>(data + (<usize>row << 1)));
  else if (width == 4) for (let row: u32 = 0; row < rows; row++) largest = max<u64>(largest, <u64>load<u32>(data + (<usize>row << 2)));
  else if (width == 8) for (let row: u32 = 0; row < rows; row++) largest = max<u64>(largest, load<u64>(data + (<usize>row << 3)));
  return largest;
}

/**
 * A string column: the first stored row, present, whose code is not below its dictionary's
 * length; -1 when none. An absent (null or missing) row's code beyond the dictionary — left by an
 * undone append in the row an append then filled with a null — is set to 0: scans index lookup
 * tables by every row's code before presence masks them.
 */
function checkCodes(column: usize): f64 {
  const rows = get(column, Descriptor.Length);
  const width = get(column, Descriptor.Width);
  const entries = get(column, Descriptor.DictLength);
  const data = <usize>get(column, Descriptor.Data);
  // Every row's code below the dictionary's length answers for the present rows at once; only a
  // column with a larger one looks at presence.
  if (rows == 0 || maxUnsigned(data, width, rows) < <u64>entries) return -1;
  for (let row: u32 = 0; row < rows; row++) {
    if (unsignedAt(data, width, row) < <u64>entries) continue;
    if (isPresent(column, row)) return <f64>row;
    storeUnsigned(data, width, row, 0);
  }
  return -1;
}

/** A string column: the first dictionary entry naming no string of the table (`strings` of them); -1 when none. */
function checkDictionary(column: usize, strings: u32): f64 {
  const dict = <usize>get(column, Descriptor.Dict);
  const entries = get(column, Descriptor.DictLength);
  for (let code: u32 = 0; code < entries; code++) if (load<u32>(dict + (<usize>code << 2)) >= strings) return <f64>code;
  return -1;
}

/** An int column: the first present stored row whose value (Base + delta) is outside ±2^53; -1 when none. */
function checkInts(column: usize): f64 {
  const rows = get(column, Descriptor.Length);
  const width = get(column, Descriptor.Width);
  const base = load<i64>(column + Descriptor.Base);
  const limit: i64 = 9007199254740992;
  const data = <usize>get(column, Descriptor.Data);
  const baseFits = base >= -limit && base <= limit;
  // The largest delta the base leaves room for (≤ 2^54: no wrap).
  const room = baseFits ? <u64>(limit - base) : 0;
  if (baseFits && maxUnsigned(data, width, rows) <= room) return -1;
  for (let row: u32 = 0; row < rows; row++) {
    if (!isPresent(column, row)) continue;
    if (!baseFits) return <f64>row;
    if (width != 0 && unsignedAt(data, width, row) > room) return <f64>row;
  }
  return -1;
}

/** A mixed column: the first present row with an unknown tag, or a string / JSON payload that is no string id of the table; -1 when none. */
function checkMixed(column: usize, strings: u32): f64 {
  const rows = get(column, Descriptor.Length);
  const tags = <usize>get(column, Descriptor.Data);
  const payloads = <usize>get(column, Descriptor.Payload);
  for (let row: u32 = 0; row < rows; row++) {
    if (!isPresent(column, row)) continue;
    const tag = <u32>load<u8>(tags + row);
    if (tag > <u32>MixedTag.Json) return <f64>row;
    if (tag == <u32>MixedTag.String || tag == <u32>MixedTag.Json) {
      const id = load<f64>(payloads + (<usize>row << 3));
      if (!(id >= 0 && id < <f64>strings) || id != Math.floor(id)) return <f64>row;
    }
  }
  return -1;
}

/**
 * A sparse column's index (sparse.ts: 12 bytes per 64 rows, u32 stored rows before the group,
 * then its 64 bits): the first group whose `before` is not the stored rows before it, or whose
 * bits pass `Rows`; `Groups` when the stored rows are not `Length` in all; -1 when it agrees.
 */
function checkSparse(column: usize): f64 {
  const index = <usize>get(column, Descriptor.Sparse);
  const rows = get(column, Descriptor.Rows);
  const groups = get(column, Descriptor.Groups);
  let stored: u32 = 0;
  for (let group: u32 = 0; group < groups; group++) {
    const at = index + <usize>group * 12;
    if (load<u32>(at) != stored) return <f64>group;
    let bits = load<u64>(at + 4);
    const first = group << 6;
    if (first + 64 > rows) {
      const valid = rows - first; // 1..63: the last group is the only one past Rows
      if ((bits >>> <u64>valid) != 0) return <f64>group;
      bits &= (<u64>1 << <u64>valid) - 1;
    }
    stored += <u32>popcnt<u64>(bits);
  }
  return stored == get(column, Descriptor.Length) ? -1 : <f64>groups;
}

// ---- derived indexes, rebuilt --------------------------------------------------------------------

/**
 * Whether the adopted table holds each string once (its index is not in the file, and a loaded
 * store keeps none: strings.ts): the first id whose bytes an earlier id already holds, -1 when
 * every string is distinct, -2 when out of memory.
 */
function distinctStrings(): f64 {
  return <f64>stringsFirstRepeat();
}

/**
 * Whether a string column's dictionary holds each string id once, through its index (string id →
 * code) built again and then dropped, as a compaction drops it (dictionary.ts): the first
 * code whose string an earlier code already holds, -1 when all are distinct, -2 when out of memory.
 */
function distinctDictionary(column: usize): f64 {
  const entries = get(column, Descriptor.DictLength);
  if (entries == 0) return -1;
  set(column, Descriptor.DictIndex, 0);
  set(column, Descriptor.DictIndexCapacity, 0);
  if (!growDictionary(column, entries)) return -2;
  const dict = <usize>get(column, Descriptor.Dict);
  for (let code: u32 = 0; code < entries; code++) if (dictionaryFind(column, load<u32>(dict + (<usize>code << 2))) != <i32>code) return <f64>code;
  dictionaryDropIndex(column);
  return -1;
}

/**
 * A node's derived fields, set again: whether its key needs no escape (PlainKey), and a wide
 * struct's key index (FieldIndex, from FIELD_INDEX_FROM fields on). False when out of memory.
 */
function indexNode(node: usize): bool {
  const key = nodeGet(node, NodeField.Key);
  nodeSet(node, NodeField.PlainKey, key != Sentinel.NoKey && plainBytes(stringStart(key), stringLength(key)) ? 1 : 0);
  const count = nodeGet(node, NodeField.FieldCount);
  return count < FIELD_INDEX_FROM || buildFieldIndex(node, count + 1);
}

// ---- the export -----------------------------------------------------------------------------------

/** Runs the load step `check` (MsxCheck in abi.ts names each one's arguments and answer). */
export function msxCheck(check: u32, a: usize, b: u32, c: u32): f64 {
  switch (check) {
    case MsxCheck.BufferBytes: return bufferBytesFor(a, b);
    case MsxCheck.BitmapCount: return <f64>bitmapCount(a, b);
    case MsxCheck.Offsets: return checkOffsets(a, b, c);
    case MsxCheck.Wtf8: return checkWtf8(a, <usize>b, c);
    case MsxCheck.Codes: return checkCodes(a);
    case MsxCheck.Dictionary: return checkDictionary(a, b);
    case MsxCheck.Ints: return checkInts(a);
    case MsxCheck.Mixed: return checkMixed(a, b);
    case MsxCheck.Sparse: return checkSparse(a);
    case MsxCheck.DistinctStrings: return distinctStrings();
    case MsxCheck.DistinctDictionary: return distinctDictionary(a);
    case MsxCheck.IndexNode: return indexNode(a) ? 1 : 0;
    case MsxCheck.Fsst: return checkFsst(a);
  }
  return -3;
}
