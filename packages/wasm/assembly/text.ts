// The text encoding: a string column whose values rarely repeat keeps its own bytes (u32
// offsets per row into a heap of WTF-8, as Arrow's Utf8 arrays do) instead of a dictionary
// of interned strings. A dictionary costs a code, a dictionary slot, two hash slots and a
// string-table entry per distinct value (~24 B beyond the bytes); text costs a 4-byte offset.
//
// A string column starts as a dictionary. Each time its dictionary doubles (from
// TEXT_REVIEW_FROM entries on) it is reviewed over the rows that hold a string since the last
// doubling: when nearly every one of them (98%) brought a new string, and text would be smaller
// at that rate, the column turns into text in place (textFromDictionary). Never back. The bar is
// high because the parser cannot see ahead: values drawn from a pool (users, repositories) look
// new until the pool is used up. Drawn uniformly from a pool of P values, the window from 1,024
// to 2,048 distinct is 92% new for P = 20,000 and 97% for P = 50,000 (so those stay codes, which
// pay once rows outnumber the pool), 100% for ids, hashes and texts. The strings interned before
// the review (up to 2,048 per column) stay in the string table until the store is next compacted
// (collect.ts). The same rule plans JS records from the whole input (`textPreferred`, called by
// the facade's plan.ts). When a store is fitted, a dictionary is weighed once more, against text
// compressed by FSST (reviewDictionaryAtFit), which knows the whole column.
//
// Also here: appends, truncation's heap cut, and UTF-16 order over WTF-8 (compareUtf16),
// which scans, searches and ranges of text columns share.
import { ColumnType, Descriptor, FsstTable, Limit, Status, TextTest } from './abi';
import { canAllocate, reallocate, release, allocate } from './arena';
import { get, set, isPresent } from './descriptor';
import { dictionaryId, dictionaryRelease } from './dictionary';
import { bytesEqual, stringLength, stringStart } from './strings';
import { unsignedAt } from './widths';
import { sparseStored } from './sparse';
import { fsstEstimate, symbolsOf, WORTH_OF_64 } from './fsst';
import { fsstDefer, fsstEncodeAppended } from './fsstAppend';

/** Dictionaries smaller than this are never reviewed: a few hundred interned strings cost little. */
export const TEXT_REVIEW_FROM: u32 = Limit.TextReviewFrom;
/** New strings per row over the review window at which text is chosen (of 1000). */
const NEW_PER_MILLE: u32 = 980;
/** What a distinct string costs a dictionary column beyond its bytes: dict + index + string table. */
const ENTRY_BYTES: u32 = 24;
/** A dictionary whose own strings hold fewer bytes is not weighed again when a store is fitted: it could save little. */
const FIT_REVIEW_BYTES: u32 = 8192;
/** Codes per 64 bytes FSST does not compress text below (the feeds' best column, media urls, takes 15: results/fsst.md). */
const BEST_OF_64: i32 = 12;

/**
 * Whether text is the smaller encoding for a column of `entries` distinct strings whose rows
 * bring `fresh` new ones per `rows` rows, `bytes` bytes each on average, against codes of
 * `codeWidth` bytes: at least TEXT_REVIEW_FROM distinct (below that the parser never reviews,
 * so JS records planned from the whole input stay codes too), nearly every row new (≥ 98%), and
 * a row's offset plus its bytes must cost less than its code plus its share of dictionary entries.
 */
export function textPreferred(rows: u32, fresh: u32, entries: u32, bytes: f64, codeWidth: u32): bool {
  if (entries < TEXT_REVIEW_FROM || <u64>fresh * 1000 < <u64>rows * NEW_PER_MILLE) return false;
  const rate = <f64>fresh / <f64>rows;
  return 4.0 + bytes < <f64>codeWidth + rate * (<f64>ENTRY_BYTES + bytes);
}

/**
 * After `appendString` added a dictionary entry: at each doubling from TEXT_REVIEW_FROM on,
 * the rows since the previous doubling are judged, and the column may turn into text. Out of
 * memory for the conversion leaves it a dictionary (still correct).
 */
export function reviewDictionary(column: usize): void {
  const entries = get(column, Descriptor.DictLength);
  if (entries < TEXT_REVIEW_FROM >>> 1 || (entries & (entries - 1)) != 0) return;
  // Rows holding a string: a sparse column's missing rows say nothing about repeats.
  const present = get(column, Descriptor.Length) - get(column, Descriptor.NullCount) - get(column, Descriptor.MissingCount);
  const since = get(column, Descriptor.ReviewRows);
  set(column, Descriptor.ReviewRows, present);
  if (entries < TEXT_REVIEW_FROM || present <= since) return;
  // The newest half of the dictionary arrived in the window; its mean length stands for what comes.
  let bytes: u64 = 0;
  for (let code = entries >>> 1; code < entries; code++) bytes += stringLength(dictionaryId(column, code));
  const mean = <f64>bytes / <f64>(entries >>> 1);
  if (textPreferred(present - since, entries >>> 1, entries, mean, get(column, Descriptor.Width))) textFromDictionary(column);
}

/** Whether reviewDictionaryAtFit may turn the column into text: a dictionary whose strings hold FIT_REVIEW_BYTES at least, whoever else holds them. */
export function fitReviewCandidate(column: usize): bool {
  if (get(column, Descriptor.Type) != ColumnType.String) return false;
  const entries = get(column, Descriptor.DictLength);
  let bytes: u64 = 0;
  for (let code: u32 = 0; code < entries && bytes < <u64>FIT_REVIEW_BYTES; code++) bytes += stringLength(dictionaryId(column, code));
  return bytes >= <u64>FIT_REVIEW_BYTES;
}

/**
 * When a store is fitted (schema.ts schemaCompressText, before FSST is offered): a dictionary
 * column whose strings held by it alone (`holders`: a count per string id, 0 when unknown) hold at
 * least FIT_REVIEW_BYTES, and whose rows hold at least Limit.FsstFrom (what FSST takes on), turns
 * into text when its rows, as text compressed by a table of their own (fsstEstimate, on a sample;
 * raw when that would not pay), would take at most 7/8 of what its codes, dictionary slots and
 * those strings with their entries take.
 * The rule as strings arrive (textPreferred) weighs raw bytes and cannot know the whole column:
 * long strings that repeat a few times each (issue bodies from a pool, timestamps shared by a
 * few events) stay codes under it though compressed text is far smaller. Costs a pass over the
 * column's codes; false (unchanged) when it stays a dictionary or memory is short.
 *
 * `growing` (a fit after an append: more rows are expected) weighs the column as it will be once
 * its rows have doubled, not as it is: codes and text double, and the dictionary gains the
 * strings those rows are expected to bring (`expectNew`, from how often each code is held so
 * far). Without it a store appended to in chunks was judged by its first chunk: 10,000 events
 * whose repositories and users come from pools of thousands look unique, and repo.url, repo.name
 * and the users' urls turned into text, 6.4 MB more than a load of the same 100,000 events holds;
 * 4.4 MB more with it (the sparse user columns' first ~1,000 rows are new still, and turn).
 */
export function reviewDictionaryAtFit(column: usize, holders: usize, growing: bool): bool {
  if (get(column, Descriptor.Type) != ColumnType.String) return false;
  const entries = get(column, Descriptor.DictLength);
  // Only the strings this column alone holds leave the table with it (tweets' users from a pool
  // are held by the user, retweeted and quoted columns alike): `holders`, collect.ts holdersCount.
  let distinct: u64 = 0;
  let alone: u32 = 0;
  for (let code: u32 = 0; code < entries; code++) {
    const id = dictionaryId(column, code);
    if (holders != 0 && load<u32>(holders + (<usize>id << 2)) > 1) continue;
    distinct += stringLength(id);
    alone++;
  }
  if (distinct < <u64>FIT_REVIEW_BYTES) return false;
  const stored = get(column, Descriptor.Length);
  const width = get(column, Descriptor.Width);
  const total = rowBytes(column);
  // Text below Limit.FsstFrom is not compressed (fsst.ts): the estimate would not hold.
  if (total < <u64>Limit.FsstFrom) return false;
  let codes = asCodes(<f64>stored, width, <f64>entries, <f64>alone, <f64>distinct);
  let rows = <f64>stored;
  let textBytes = <f64>total;
  if (growing) {
    if (!expectNew(column, entries, holders)) return false;
    // The strings still to come are held by others as often as those seen once are.
    codes = asCodes(2.0 * <f64>stored, width, <f64>(entries + expectedNew), <f64>alone + expectedAlone, <f64>distinct + expectedNewBytes);
    rows *= 2.0;
    textBytes *= 2.0;
  }
  // Even at BEST_OF_64 text would not pay: no sample is made (pooled values: most columns).
  if (asText(rows, textBytes, BEST_OF_64) * 8 > codes * 7) return false;
  let per64 = fsstEstimate(column, total);
  if (per64 < 0) return false;
  if (per64 > <i32>WORTH_OF_64) per64 = 64;
  return asText(rows, textBytes, per64) * 8 <= codes * 7 && textFromDictionary(column);
}

/** What `rows` codes of `width` bytes take with `entries` dictionary slots, `alone` strings only this column holds (their entries) and their `bytes`. */
@inline function asCodes(rows: f64, width: u32, entries: f64, alone: f64, bytes: f64): f64 {
  return rows * <f64>width + entries * 4.0 + alone * <f64>(ENTRY_BYTES - 4) + bytes;
}

/** What `rows` rows of `bytes` bytes take as text compressed to `per64` codes per 64 bytes: offsets, codes, the table. */
@inline function asText(rows: f64, bytes: f64, per64: i32): f64 {
  return 4.0 * (rows + 1) + bytes * <f64>per64 / 64.0 + <f64>FsstTable.Bytes;
}

// expectNew's answer: how many new strings the column's next rows, as many as it has, would bring, and their bytes.
let expectedNew: u32 = 0;
/** Of them, those no other column would hold, and their bytes. */
let expectedAlone: f64 = 0;
let expectedNewBytes: f64 = 0;

/**
 * The Good–Toulmin estimate of the strings new to the dictionary among as many rows again as the
 * column holds: f1 − f2 + f3 − … (f_k: the codes k present rows hold), unbiased for that horizon
 * whatever the mix of frequencies, from ids (all f1: every row new) to a pool nearly used up
 * (f1 ≈ f2: hardly any), at least 0; each new string as long as those seen once. Counts a code in
 * a byte, saturating at 255 (the terms of codes held that often are left out: they are few and
 * cancel); false when memory is short.
 */
function expectNew(column: usize, entries: u32, holders: usize): bool {
  const bytes = <usize>max<u32>(entries, 1);
  const counts = allocate(bytes);
  if (counts == 0) return false;
  memory.fill(counts, 0, bytes);
  const rows = get(column, Descriptor.Length);
  const width = get(column, Descriptor.Width);
  const codes = <usize>get(column, Descriptor.Data);
  for (let row: u32 = 0; row < rows; row++) {
    if (!isPresent(column, row)) continue;
    const at = counts + <usize>unsignedAt(codes, width, row);
    const seen = load<u8>(at);
    if (seen < 255) store<u8>(at, seen + 1);
  }
  let estimate: i64 = 0;
  let once: u32 = 0;
  let onceAlone: u32 = 0;
  let onceBytes: u64 = 0;
  for (let code: u32 = 0; code < entries; code++) {
    const count = load<u8>(counts + <usize>code);
    if (count == 255) continue;
    estimate += (count & 1) != 0 ? 1 : -1;
    if (count == 1) {
      const id = dictionaryId(column, code);
      once++;
      if (holders != 0 && load<u32>(holders + (<usize>id << 2)) > 1) continue;
      onceAlone++;
      onceBytes += stringLength(id);
    }
  }
  release(counts, bytes);
  expectedNew = estimate > 0 ? <u32>estimate : 0;
  // A string another column holds costs this one its dictionary slot only.
  const share = once == 0 ? 1.0 : <f64>onceAlone / <f64>once;
  expectedAlone = <f64>expectedNew * share;
  expectedNewBytes = onceAlone == 0 ? 0 : expectedAlone * (<f64>onceBytes / <f64>onceAlone);
  return true;
}

/** The bytes of the strings a dictionary column's present rows stand for: what it would hold as text. */
function rowBytes(column: usize): u64 {
  const rows = get(column, Descriptor.Length);
  const width = get(column, Descriptor.Width);
  const codes = <usize>get(column, Descriptor.Data);
  let total: u64 = 0;
  for (let row: u32 = 0; row < rows; row++) {
    if (isPresent(column, row)) total += stringLength(dictionaryId(column, <u32>unsignedAt(codes, width, row)));
  }
  return total;
}

/**
 * Turns a dictionary string column into text, in place: every present row's bytes copied out
 * of the string table, the codes, dictionary and index released. The strings stay interned
 * (other columns may hold them). Never changes a value, so, like a widening, it stays when
 * the append that caused it is undone. False (the column unchanged) when memory is short.
 */
export function textFromDictionary(column: usize): bool {
  if (get(column, Descriptor.Type) != ColumnType.String) return false;
  const length = get(column, Descriptor.Length);
  const capacity = get(column, Descriptor.Capacity);
  const width = get(column, Descriptor.Width);
  const codes = <usize>get(column, Descriptor.Data);
  const total = rowBytes(column);
  // Room to grow by half again, as every appended buffer has.
  const heapCapacity = <u64>min<u64>(0xFFFF0000, total + (total >>> 1) + 64);
  const offsetBytes = (<u64>capacity + 1) << 2;
  if (total > 0xFFFF0000 || !canAllocate(heapCapacity + offsetBytes + 64)) return false;
  const offsets = allocate(<usize>offsetBytes);
  const heap = allocate(<usize>heapCapacity);
  if (offsets == 0 || heap == 0) return false;
  let end: u32 = 0;
  store<u32>(offsets, 0);
  for (let row: u32 = 0; row < length; row++) {
    if (isPresent(column, row)) {
      const id = dictionaryId(column, <u32>unsignedAt(codes, width, row));
      const bytes = stringLength(id);
      memory.copy(heap + <usize>end, stringStart(id), bytes);
      end += bytes;
    }
    store<u32>(offsets + ((<usize>row + 1) << 2), end);
  }
  release(codes, <usize>capacity * width);
  dictionaryRelease(column);
  set(column, Descriptor.Data, <u32>offsets);
  set(column, Descriptor.Heap, <u32>heap);
  set(column, Descriptor.HeapLength, end);
  set(column, Descriptor.HeapCapacity, <u32>heapCapacity);
  set(column, Descriptor.Width, 4);
  // Text keeps its review mark apart: the heap length fsst.ts last judged it at.
  set(column, Descriptor.ReviewRows, 0);
  set(column, Descriptor.Type, ColumnType.Text);
  return true;
}

/** Makes room for `bytes` more bytes in the heap: by half again, or exactly near the limit. */
function ensureHeap(column: usize, bytes: u32): bool {
  const used = get(column, Descriptor.HeapLength);
  const capacity = get(column, Descriptor.HeapCapacity);
  const needed = <u64>used + <u64>bytes;
  if (needed <= <u64>capacity) return true;
  if (needed > 0xFFFF0000) return false;
  let grown = max<u64>(needed, max<u64>(64, <u64>capacity + (<u64>capacity >>> 1)));
  if (grown > 0xFFFF0000 || !canAllocate(grown - capacity + 32)) grown = needed;
  return ensureExact(column, <u32>grown);
}

/**
 * Grows the heap to hold `bytes` bytes in all, exactly (a caller that has seen the data:
 * the facade planning JS records). False when out of memory.
 */
export function textReserve(column: usize, bytes: u32): bool {
  if (get(column, Descriptor.Type) != ColumnType.Text) return false;
  return ensureExact(column, bytes);
}

/**
 * A text column about to hold `rows` rows (an estimate of the input's record count): the heap
 * grown once to the bytes per row seen so far times `rows`, instead of by half again as it fills.
 */
export function textReserveRows(column: usize, rows: u32): bool {
  const length = get(column, Descriptor.Length);
  if (length == 0 || rows <= length) return true;
  const bytes = <u64>get(column, Descriptor.HeapLength) * <u64>rows / <u64>length;
  return bytes > 0xFFFF0000 || ensureExact(column, <u32>bytes);
}

function ensureExact(column: usize, bytes: u32): bool {
  const capacity = get(column, Descriptor.HeapCapacity);
  if (bytes <= capacity) return true;
  if (!canAllocate(<u64>bytes - <u64>capacity + 32)) return false;
  const heap = reallocate(<usize>get(column, Descriptor.Heap), <usize>capacity, <usize>bytes);
  if (heap == 0) return false;
  set(column, Descriptor.Heap, <u32>heap);
  set(column, Descriptor.HeapCapacity, bytes);
  return true;
}

/**
 * Appends `length` bytes at `ptr` (WTF-8, already validated) as the text column's next row
 * (encoded, when the column is compressed).
 * `row` is the row the caller reserved (its offsets entry exists).
 */
export function appendTextRow(column: usize, row: u32, ptr: usize, length: u32): i32 {
  // A compressed column (fsst.ts) takes the row's codes, at most two bytes a byte; the parser's
  // rows go in as their bytes, encoded a column at a time when it settles (fsstDefer).
  const table = symbolsOf(column);
  const used = get(column, Descriptor.HeapLength);
  const bytes = table == 0 || fsstDefer(column, used);
  if (!ensureHeap(column, bytes ? length : <u32>min<u64>(0xFFFF0000, <u64>length << 1))) return Status.OutOfMemory;
  const at = <usize>get(column, Descriptor.Heap) + <usize>used;
  if (bytes) memory.copy(at, ptr, length);
  else length = fsstEncodeAppended(column, table, ptr, length, at);
  set(column, Descriptor.HeapLength, used + length);
  store<u32>(<usize>get(column, Descriptor.Data) + ((<usize>row + 1) << 2), used + length);
  set(column, Descriptor.Length, row + 1);
  sparseStored(column);
  return Status.Ok;
}

/** After a truncation to `length` rows: the heap ends where row `length` starts. */
export function textTruncated(column: usize, length: u32): void {
  set(column, Descriptor.HeapLength, load<u32>(<usize>get(column, Descriptor.Data) + (<usize>length << 2)));
}

/** Releases the heap (a text column going back to null-typed when its append is undone). */
export function textRelease(column: usize): void {
  release(<usize>get(column, Descriptor.Heap), <usize>get(column, Descriptor.HeapCapacity));
  set(column, Descriptor.Heap, 0);
  set(column, Descriptor.HeapLength, 0);
  set(column, Descriptor.HeapCapacity, 0);
}

// ---- reading -----------------------------------------------------------------------------

@inline export function textStart(column: usize, row: u32): usize {
  return <usize>get(column, Descriptor.Heap) + <usize>load<u32>(<usize>get(column, Descriptor.Data) + (<usize>row << 2));
}

@inline export function textLength(column: usize, row: u32): u32 {
  const offsets = <usize>get(column, Descriptor.Data) + (<usize>row << 2);
  return load<u32>(offsets, 4) - load<u32>(offsets);
}

/** The code point of the WTF-8 sequence at `at` (validated on the way in), and its byte length in `sequenceBytes`. */
let sequenceBytes: u32 = 1;
@inline function codePointAt(at: usize): u32 {
  const lead = <u32>load<u8>(at);
  if (lead < 0x80) {
    sequenceBytes = 1;
    return lead;
  }
  if (lead < 0xE0) {
    sequenceBytes = 2;
    return ((lead & 0x1F) << 6) | (<u32>load<u8>(at, 1) & 0x3F);
  }
  if (lead < 0xF0) {
    sequenceBytes = 3;
    return ((lead & 0x0F) << 12) | ((<u32>load<u8>(at, 1) & 0x3F) << 6) | (<u32>load<u8>(at, 2) & 0x3F);
  }
  sequenceBytes = 4;
  return ((lead & 0x07) << 18) | ((<u32>load<u8>(at, 1) & 0x3F) << 12) | ((<u32>load<u8>(at, 2) & 0x3F) << 6) | (<u32>load<u8>(at, 3) & 0x3F);
}

/**
 * -1, 0 or 1 as JavaScript's `<` orders the two strings: by UTF-16 code units. Byte order is
 * code point order, which differs where a code point above U+FFFF (a surrogate pair from
 * 0xD800) meets U+E000–U+FFFF or a lone surrogate. So the common prefix is skipped by bytes,
 * and from the code point the two differ in they are compared unit by unit.
 */
export function compareUtf16(a: usize, aLength: u32, b: usize, bLength: u32): i32 {
  const common = min(aLength, bLength);
  let i: u32 = 0;
  while (i < common && load<u8>(a + i) == load<u8>(b + i)) i++;
  if (i == common) return aLength == bLength ? 0 : aLength < bLength ? -1 : 1;
  // Back to the start of the code point they differ in (continuation bytes are 10xxxxxx).
  while (i > 0 && (load<u8>(a + i) & 0xC0) == 0x80) i--;
  let pa = i;
  let pb = i;
  let lowA: u32 = 0; // the low surrogate still to come of a pair
  let lowB: u32 = 0;
  while (true) {
    let unitA: u32 = 0;
    let unitB: u32 = 0;
    const endA = lowA == 0 && pa >= aLength;
    const endB = lowB == 0 && pb >= bLength;
    if (endA || endB) return endA && endB ? 0 : endA ? -1 : 1;
    if (lowA != 0) {
      unitA = lowA;
      lowA = 0;
    } else {
      const point = codePointAt(a + pa);
      pa += sequenceBytes;
      if (point > 0xFFFF) {
        unitA = 0xD800 + ((point - 0x10000) >>> 10);
        lowA = 0xDC00 + ((point - 0x10000) & 0x3FF);
      } else unitA = point;
    }
    if (lowB != 0) {
      unitB = lowB;
      lowB = 0;
    } else {
      const point = codePointAt(b + pb);
      pb += sequenceBytes;
      if (point > 0xFFFF) {
        unitB = 0xD800 + ((point - 0x10000) >>> 10);
        lowB = 0xDC00 + ((point - 0x10000) & 0x3FF);
      } else unitB = point;
    }
    if (unitA != unitB) return unitA < unitB ? -1 : 1;
  }
  return 0;
}

/**
 * Whether row `row`'s string (of the heap and offsets at `heap`, `offsets`) is the `length` bytes
 * at `lo`; `tail` is textTail of them. Mostly-unique strings (ids, hashes, timestamps, urls) share
 * their starts and differ near their ends, so the last 8 bytes are compared first: most rows are
 * turned away after one load instead of a walk through their common prefix.
 */
@inline export function textEquals(heap: usize, offsets: usize, row: u32, lo: usize, length: u32, tail: u64): bool {
  const at = offsets + (<usize>row << 2);
  const start = load<u32>(at);
  if (load<u32>(at, 4) - start != length) return false;
  const bytes = heap + <usize>start;
  // Fewer than 8 bytes are all in the tail (an FSST column's ids and hashes are mostly that short).
  if (length < 8) return textTail(bytes, length) == tail;
  if (load<u64>(bytes + <usize>length - 8) != tail) return false;
  return bytesEqual(bytes, lo, length);
}

/**
 * Rows [row, row + count) (count ≤ 64) whose string is the `length` bytes at `lo` (`tail`: their
 * textTail), as bits. From 8 bytes on without a branch per row: a row is a candidate when its
 * length and its last 8 bytes match (a row shorter than 8 reads bytes before it, in memory, which
 * the length then turns away), and the candidates, rare, are compared whole. textEquals's branch
 * on the length is mispredicted wherever lengths vary: an FSST column's ids (codes of 7 to 10
 * bytes) counted 2.3x slower than their bytes did (distinct-count, packages/bench/results/compare-collect.md).
 */
export function textEqualsWord(heap: usize, offsets: usize, row: u32, count: u32, lo: usize, length: u32, tail: u64): u64 {
  let word: u64 = 0;
  if (length < 8) {
    for (let k: u32 = 0; k < count; k++) word |= <u64>textEquals(heap, offsets, row + k, lo, length, tail) << k;
    return word;
  }
  for (let k: u32 = 0; k < count; k++) {
    const at = offsets + (<usize>(row + k) << 2);
    const end = load<u32>(at, 4);
    const candidate = (end - load<u32>(at) == length) & (load<u64>(heap + <usize>end - 8) == tail);
    word |= <u64>candidate << k;
  }
  for (let candidates = word; candidates != 0; candidates &= candidates - 1) {
    const k = <u32>ctz(candidates);
    if (!bytesEqual(heap + <usize>load<u32>(offsets + (<usize>(row + k) << 2)), lo, length)) word &= ~(<u64>1 << <u64>k);
  }
  return word;
}

/**
 * textEquals's first compare of the `length` bytes at `lo`: the last 8; under 8, a word that
 * holds every byte (the first and last 4, overlapping; or under 4, the first, middle and last),
 * read without passing the bytes' end. Equal strings of one length have equal tails.
 */
@inline export function textTail(lo: usize, length: u32): u64 {
  if (length >= 8) return load<u64>(lo + <usize>length - 8);
  if (length >= 4) return (<u64>load<u32>(lo + <usize>length - 4) << 32) | <u64>load<u32>(lo);
  if (length == 0) return 0;
  return <u64>load<u8>(lo) | (<u64>load<u8>(lo + <usize>(length >>> 1)) << 8) | (<u64>load<u8>(lo + <usize>length - 1) << 16);
}

/** Whether row `row`'s string lies within the range `flags` (TextTest bits other than Equal: that is textEquals) gives. Presence is not looked at. */
@inline export function textPasses(column: usize, row: u32, lo: usize, loLength: u32, hi: usize, hiLength: u32, flags: u32): bool {
  const at = textStart(column, row);
  const length = textLength(column, row);
  if ((flags & TextTest.Low) != 0) {
    const order = compareUtf16(at, length, lo, loLength);
    if (order < 0 || (order == 0 && (flags & TextTest.LowOpen) != 0)) return false;
  }
  if ((flags & TextTest.High) != 0) {
    const order = compareUtf16(at, length, hi, hiLength);
    if (order > 0 || (order == 0 && (flags & TextTest.HighOpen) != 0)) return false;
  }
  return true;
}
