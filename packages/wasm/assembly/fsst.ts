// FSST, the Fast Static Symbol Table (Boncz, Neumann, Leis: "FSST: Fast Random Access String
// Compression", VLDB 2020), for text columns: a table of up to 255 symbols of 1 to 8 bytes made
// from a sample of the column's own rows, and every row's bytes replaced by codes — a byte per
// symbol, or the escape code and the byte itself. Mostly-unique strings (urls, messages, hashes,
// timestamps) share their pieces across rows though never whole: on the events feed's text
// columns a table of their own halves them (packages/bench/results/fsst.md).
//
// Rows stay random-access: the column keeps its u32 offsets per row, now into the codes. The
// encoding is greedy and longest-first over a table ordered by first byte then length (abi.ts
// FsstTable), so it is a function of the bytes alone: equal strings have equal codes, which is
// what group ids (a hash of a row's codes) and equality (a row's codes against a literal's
// bytes, symbol by symbol) rely on. Ranges and order need the bytes: the facade reads those rows
// decoded. A column is offered compression when a load or append is fitted (schemaCompressText,
// its heap past Limit.FsstFrom); an append's rows are encoded as they come, or a column at a
// time when the parser settles (fsstAppend.ts). Never back: like a widening, it
// changes no value and stays when an append is undone.
import { ColumnType, Descriptor, FsstTable, Limit } from './abi';
import { allocate, canAllocate, release } from './arena';
import { get, set, isPresent } from './descriptor';
import { dictionaryId } from './dictionary';
import { stringLength, stringStart } from './strings';
import { unsignedAt } from './widths';

const ESCAPE: u32 = FsstTable.Escape;
/** Bytes of rows the table is made from, and the most taken from any one row (as FSST's sample). */
const SAMPLE_BYTES: u32 = 1 << 14;
const SAMPLE_ROW_BYTES: u32 = 512;
/** Rounds of counting and choosing: each encodes the sample with the previous round's table. */
const ROUNDS: u32 = 5;
/** A column is compressed only when the sample's codes are at most this share (of 64) of its bytes. */
export const WORTH_OF_64: u32 = 52;

/** A text column's symbol table, 0 when its heap holds plain WTF-8. */
@inline export function symbolsOf(column: usize): usize {
  return get(column, Descriptor.Type) == ColumnType.Text ? <usize>get(column, Descriptor.Dict) : 0;
}

@inline function symbolAt(table: usize, code: u32): u64 {
  return load<u64>(table + FsstTable.Symbols + (<usize>code << 3));
}

@inline function lengthAt(table: usize, code: u32): u32 {
  return <u32>load<u8>(table + FsstTable.Lengths + <usize>code);
}

/** The `length` (< 8) bytes at `at`, zero-extended: nothing is read past a row's end. */
function partialWord(at: usize, length: u32): u64 {
  let word: u64 = 0;
  for (let i: u32 = 0; i < length; i++) word |= <u64>load<u8>(at + <usize>i) << (<u64>i << 3);
  return word;
}

@inline function maskOf(length: u32): u64 {
  return length >= 8 ? <u64>-1 : (<u64>1 << (<u64>length << 3)) - 1;
}

/** The length of the symbol longestMatch found (1 for an escape). */
let matched: u32 = 1;

/** The code of the longest symbol at `at` (`left` bytes remain, at least 1), or ESCAPE; its length in `matched`. */
@inline function longestMatch(table: usize, at: usize, left: u32): u32 {
  const word = left >= 8 ? load<u64>(at) : partialWord(at, left);
  const first = <usize>(word & 0xFF);
  const start = <u32>load<u8>(table + FsstTable.First + first);
  const end = start + <u32>load<u8>(table + FsstTable.FirstCount + first);
  for (let code = start; code < end; code++) {
    const length = lengthAt(table, code);
    if (length <= left && (word & maskOf(length)) == symbolAt(table, code)) {
      matched = length;
      return code;
    }
  }
  matched = 1;
  return ESCAPE;
}

/** Encodes the `length` bytes at `src` into `out` (room for 2 × length); the codes' length. */
export function fsstEncode(table: usize, src: usize, length: u32, out: usize): u32 {
  let at: u32 = 0;
  let o = out;
  while (at < length) {
    const code = longestMatch(table, src + <usize>at, length - at);
    store<u8>(o, <u8>code);
    if (code == ESCAPE) {
      store<u8>(o, load<u8>(src + <usize>at), 1);
      o += 2;
    } else o += 1;
    at += matched;
  }
  return <u32>(o - out);
}

// ---- encoding many rows: an index made for the pass --------------------------------------------
//
// A table holds no two symbols of 3 or more bytes that start with the same 3 (makeTable keeps the
// one of most gain; fsstTableValid checks it), so at any place at most one such symbol matches,
// and when none does the longest match is the 2-byte symbol of the next two bytes, else the byte's
// own, else the escape. An index of both — every 2-byte start's best of those (a u16 each: code,
// length) and the long symbols by their first 3 bytes (a hash) — finds it in a lookup or two, the
// same code longestMatch's scan finds (fsst.test.ts checks both agree).

/**
 * An encoding index: per 2-byte start a u16 (code | length << 8), LONG_SLOTS of 16 bytes (u64
 * symbol, u32 its 3-byte start + 1, u32 code | length << 8), and per byte a u16 for a row's last byte.
 */
const LONG_SLOTS: u32 = 1024;
const LONG_AT: usize = 65536 << 1;
const LAST_AT: usize = LONG_AT + (<usize>LONG_SLOTS << 4);
export const INDEX_BYTES: usize = FsstTable.IndexBytes;
// abi.ts states the size; the layout above must fill it exactly.
assert(LAST_AT + (256 << 1) == INDEX_BYTES);

@inline function longSlot(start: u32): u32 {
  return (start * 0x9E3779B1) >>> 22;
}

/** Fills `index` (INDEX_BYTES) for `table`. */
export function fsstIndex(table: usize, index: usize): void {
  const count = load<u32>(table + FsstTable.Count);
  const long = index + LONG_AT;
  memory.fill(long, 0, <usize>LONG_SLOTS << 4);
  // Every 2-byte start: escape, or the first byte's own symbol; then its 2-byte symbol over that.
  // A second byte's 256 starts are contiguous (the first byte is the low one) and take the same
  // values as a row's last byte: that row copied 256 times (a store per start was most of the
  // 250 index builds an events load makes, 5 a table: 80 ms of 1.3 s).
  for (let first: u32 = 0; first < 256; first++) {
    let best: u32 = ESCAPE | (1 << 8);
    const start = <u32>load<u8>(table + FsstTable.First + <usize>first);
    const end = start + <u32>load<u8>(table + FsstTable.FirstCount + <usize>first);
    for (let code = start; code < end; code++) if (lengthAt(table, code) == 1) best = code | (1 << 8);
    store<u16>(index + LAST_AT + (<usize>first << 1), <u16>best);
  }
  for (let second: usize = 0; second < 256; second++) memory.copy(index + (second << 9), index + LAST_AT, 512);
  for (let code: u32 = 0; code < count; code++) {
    const length = lengthAt(table, code);
    const word = symbolAt(table, code);
    if (length == 2) store<u16>(index + (<usize>(word & 0xFFFF) << 1), <u16>(code | (2 << 8)));
    if (length < 3) continue;
    const start = <u32>(word & 0xFFFFFF);
    let slot = longSlot(start);
    while (load<u32>(long + (<usize>slot << 4), 8) != 0) slot = (slot + 1) & (LONG_SLOTS - 1);
    store<u64>(long + (<usize>slot << 4), word);
    store<u32>(long + (<usize>slot << 4), start + 1, 8);
    store<u32>(long + (<usize>slot << 4), code | (length << 8), 12);
  }
}

/**
 * The longest match by the index: code | length << 8, for `word`, the next bytes (zero past the
 * row's `left`, at least 1).
 */
@inline function indexedMatch(index: usize, word: u64, left: u32): u32 {
  if (left >= 3) {
    const long = index + LONG_AT;
    const start = <u32>(word & 0xFFFFFF);
    let slot = longSlot(start);
    while (true) {
      const at = long + (<usize>slot << 4);
      const held = load<u32>(at, 8);
      if (held == 0) break;
      if (held == start + 1) {
        const entry = load<u32>(at, 12);
        const length = entry >>> 8;
        if (length <= left && (word & maskOf(length)) == load<u64>(at)) return entry;
        break;
      }
      slot = (slot + 1) & (LONG_SLOTS - 1);
    }
  }
  // No long symbol: the next two bytes' best (a row's last byte: its own).
  return <u32>load<u16>(left >= 2 ? index + (<usize>(word & 0xFFFF) << 1) : index + LAST_AT + (<usize>(word & 0xFF) << 1));
}

/**
 * The next bytes of a row at `at` (`left` of them) as a word, zero past them. Rows whose end is 8
 * bytes short of the memory's end (all but the last block's last) take one load.
 */
@inline function nextWord(at: usize, left: u32, whole: bool): u64 {
  if (left >= 8) return load<u64>(at);
  return whole ? load<u64>(at) & maskOf(left) : partialWord(at, left);
}

/** fsstEncode by an index of its table (fsstIndex): the same codes. */
export function fsstEncodeIndexed(index: usize, src: usize, length: u32, out: usize): u32 {
  const whole = <u64>src + <u64>length + 8 <= (<u64>memory.size() << 16);
  let at: u32 = 0;
  let o = out;
  while (at < length) {
    const left = length - at;
    const word = nextWord(src + <usize>at, left, whole);
    const entry = indexedMatch(index, word, left);
    const code = entry & 0xFF;
    store<u8>(o, <u8>code);
    if (code == ESCAPE) {
      store<u8>(o, <u8>word, 1);
      o += 2;
      at += 1;
    } else {
      o += 1;
      at += entry >>> 8;
    }
  }
  return <u32>(o - out);
}

/** The length of the codes the `length` bytes at `src` encode to (fsstEncode, nothing written). */
function encodedLength(table: usize, src: usize, length: u32): u32 {
  let at: u32 = 0;
  let codes: u32 = 0;
  while (at < length) {
    codes += longestMatch(table, src + <usize>at, length - at) == ESCAPE ? 2 : 1;
    at += matched;
  }
  return codes;
}

/**
 * Whether the `codes` bytes at `src` decode to the `length` bytes at `lo`: symbol by symbol
 * against the literal, stopping at the first that differs (nothing decoded into memory).
 */
export function fsstEquals(table: usize, src: usize, codes: u32, lo: usize, length: u32): bool {
  const end = src + <usize>codes;
  let at = src;
  let done: u32 = 0;
  while (at < end) {
    const code = <u32>load<u8>(at);
    if (code == ESCAPE) {
      if (done >= length || load<u8>(at, 1) != load<u8>(lo + <usize>done)) return false;
      done += 1;
      at += 2;
      continue;
    }
    const symbolLength = lengthAt(table, code);
    const left = length - done;
    if (symbolLength > left) return false;
    const word = left >= 8 ? load<u64>(lo + <usize>done) : partialWord(lo + <usize>done, left);
    if ((word & maskOf(symbolLength)) != symbolAt(table, code)) return false;
    done += symbolLength;
    at += 1;
  }
  return done == length;
}

/**
 * An equality test's literal (`length` bytes at `lo`) as codes, written into `room` when it holds
 * `roomLength` ≥ 2 × length bytes: their length, or -1 (no room: rows are compared symbol by symbol,
 * fsstEquals). Equal strings have equal codes, so rows then compare as text does: length, last 8
 * bytes, all — a long shared prefix (ids, keys) costs no walk.
 */
export function literalCodes(table: usize, lo: usize, length: u32, room: usize, roomLength: u32): i64 {
  if (<u64>roomLength < (<u64>length << 1)) return -1;
  return <i64>fsstEncode(table, lo, length, room);
}

/** fsstEquals of stored row `row` of the column whose codes and offsets are at `heap`, `offsets`. */
@inline export function fsstRowEquals(table: usize, heap: usize, offsets: usize, row: u32, lo: usize, length: u32): bool {
  const at = offsets + (<usize>row << 2);
  const start = load<u32>(at);
  return fsstEquals(table, heap + <usize>start, load<u32>(at, 4) - start, lo, length);
}

// ---- making a table -----------------------------------------------------------------------------

/** Count slots of a round: `single[s]` counts symbol s, or (from 256) the escaped byte s - 256. */
const SLOTS: u32 = 512;
/**
 * Candidates of a round (symbols, and pairs of neighbours), an open-addressing table of 16-byte
 * slots: u64 bytes, u32 round << 4 | length, u32 gain. A slot of another round is empty (the block
 * is zeroed when allocated, and rounds count from 1), so no round clears it. Never more than
 * SLOTS + SAMPLE_BYTES candidates: at most half full.
 */
const CANDIDATE_SLOTS: u32 = 1 << 15;

/** The bytes and length of count slot `s` under `table`: a symbol, or (from 256) an escaped byte. */
@inline function slotWord(table: usize, s: u32): u64 { return s >= 256 ? <u64>(s - 256) : symbolAt(table, s); }
@inline function slotLength(table: usize, s: u32): u32 { return s >= 256 ? 1 : lengthAt(table, s); }

/** Slots filled this round, in the order filled (u16 each, after the slots): what chooseCandidates walks. */
let filled: u32 = 0;

function addCandidate(candidates: usize, round: u32, word: u64, length: u32, gain: u32): void {
  let slot = <u32>((word * 0x9E3779B97F4A7C15 + <u64>length) >>> 49) & (CANDIDATE_SLOTS - 1);
  const tag = (round << 4) | length;
  while (true) {
    const at = candidates + (<usize>slot << 4);
    const held = load<u32>(at, 8);
    if ((held >>> 4) != round) {
      store<u64>(at, word);
      store<u32>(at, tag, 8);
      store<u32>(at, gain, 12);
      store<u16>(candidates + (<usize>CANDIDATE_SLOTS << 4) + (<usize>filled << 1), <u16>slot);
      filled++;
      return;
    }
    if (held == tag && load<u64>(at) == word) {
      store<u32>(at, load<u32>(at, 12) + gain, 12);
      return;
    }
    slot = (slot + 1) & (CANDIDATE_SLOTS - 1);
  }
}

/**
 * Writes the table of the `count` symbols at `chosen` (candidates' slots: u64 bytes, u32 round << 4
 * | length, u32 gain): ordered by first byte and, within one, longest first; First and FirstCount
 * from that order.
 */
function writeTable(table: usize, chosen: usize, count: u32): void {
  for (let i: u32 = 0; i < count; i++) store<u32>(chosen + (<usize>i << 4), load<u32>(chosen + (<usize>i << 4), 8) & 15, 8);
  // Insertion sort by (first byte, longer first): at most 255 entries.
  for (let i: u32 = 1; i < count; i++) {
    const word = load<u64>(chosen + (<usize>i << 4));
    const length = load<u32>(chosen + (<usize>i << 4), 8);
    let j = i;
    while (j > 0) {
      const before = chosen + (<usize>(j - 1) << 4);
      const beforeFirst = <u32>(load<u64>(before) & 0xFF);
      const first = <u32>(word & 0xFF);
      if (beforeFirst < first || (beforeFirst == first && load<u32>(before, 8) >= length)) break;
      memory.copy(before + 16, before, 16);
      j--;
    }
    store<u64>(chosen + (<usize>j << 4), word);
    store<u32>(chosen + (<usize>j << 4), length, 8);
  }
  memory.fill(table, 0, FsstTable.Bytes);
  store<u32>(table + FsstTable.Count, count);
  for (let code: u32 = 0; code < count; code++) {
    const word = load<u64>(chosen + (<usize>code << 4));
    const first = <usize>(word & 0xFF);
    store<u64>(table + FsstTable.Symbols + (<usize>code << 3), word);
    store<u8>(table + FsstTable.Lengths + <usize>code, <u8>load<u32>(chosen + (<usize>code << 4), 8));
    if (load<u8>(table + FsstTable.FirstCount + first) == 0) store<u8>(table + FsstTable.First + first, <u8>code);
    store<u8>(table + FsstTable.FirstCount + first, load<u8>(table + FsstTable.FirstCount + first) + 1);
  }
}

/**
 * The 255 candidates of round `round` of most gain (a min-heap of them at `chosen`, 16 bytes each,
 * as candidates'): their count. Of candidates of 3 or more bytes that start with the same 3, only
 * the one of most gain stays (the encoding index relies on it); `prefixes` (PREFIX_SLOTS u32 pairs:
 * 3-byte start + 1, round << 16 | candidate slot; zeroed when allocated) finds them.
 */
const PREFIX_SLOTS: u32 = 1 << 15;
function chooseCandidates(candidates: usize, round: u32, chosen: usize, prefixes: usize): u32 {
  const list = candidates + (<usize>CANDIDATE_SLOTS << 4);
  for (let i: u32 = 0; i < filled; i++) {
    const slot = <u32>load<u16>(list + (<usize>i << 1));
    const at = candidates + (<usize>slot << 4);
    const tag = load<u32>(at, 8);
    if ((tag >>> 4) != round || (tag & 15) < 3) continue;
    const start = <u32>(load<u64>(at) & 0xFFFFFF);
    let probe = (start * 0x9E3779B1) >>> 17;
    while (true) {
      const entry = prefixes + (<usize>probe << 3);
      const held = load<u32>(entry, 4);
      if ((held >>> 16) != round) {
        store<u32>(entry, start + 1);
        store<u32>(entry, (round << 16) | slot, 4);
        break;
      }
      if (load<u32>(entry) == start + 1) {
        const other = candidates + (<usize>(held & 0xFFFF) << 4);
        if (entryLess(other, at)) {
          store<u32>(other, 0, 12);
          store<u32>(entry, (round << 16) | slot, 4);
        } else store<u32>(at, 0, 12);
        break;
      }
      probe = (probe + 1) & (PREFIX_SLOTS - 1);
    }
  }
  let count: u32 = 0;
  for (let i: u32 = 0; i < filled; i++) {
    const at = candidates + (<usize>load<u16>(list + (<usize>i << 1)) << 4);
    const gain = load<u32>(at, 12);
    if (gain == 0) continue;
    if (count < 255) {
      // Sift up.
      let i = count++;
      memory.copy(chosen + (<usize>i << 4), at, 16);
      while (i > 0) {
        const parent = (i - 1) >>> 1;
        if (!heapLess(chosen, i, parent)) break;
        heapSwap(chosen, i, parent);
        i = parent;
      }
    } else if (heapBeats(at, chosen)) {
      memory.copy(chosen, at, 16);
      let i: u32 = 0;
      while (true) {
        const left: u32 = 2 * i + 1;
        const right: u32 = left + 1;
        let least = i;
        if (left < count && heapLess(chosen, left, least)) least = left;
        if (right < count && heapLess(chosen, right, least)) least = right;
        if (least == i) break;
        heapSwap(chosen, i, least);
        i = least;
      }
    }
  }
  return count;
}

/** Heap order: less gain first; at equal gain, the shorter, then the smaller bytes (so the choice depends on no slot order). */
@inline function entryLess(a: usize, b: usize): bool {
  const gainA = load<u32>(a, 12);
  const gainB = load<u32>(b, 12);
  if (gainA != gainB) return gainA < gainB;
  const lengthA = load<u32>(a, 8);
  const lengthB = load<u32>(b, 8);
  if (lengthA != lengthB) return lengthA < lengthB;
  return load<u64>(a) < load<u64>(b);
}
@inline function heapLess(heap: usize, i: u32, j: u32): bool { return entryLess(heap + (<usize>i << 4), heap + (<usize>j << 4)); }
@inline function heapBeats(candidate: usize, heap: usize): bool { return entryLess(heap, candidate); }
function heapSwap(heap: usize, i: u32, j: u32): void {
  const a = heap + (<usize>i << 4);
  const b = heap + (<usize>j << 4);
  const word = load<u64>(a);
  const rest = load<u64>(a, 8);
  store<u64>(a, load<u64>(b));
  store<u64>(a, load<u64>(b, 8), 8);
  store<u64>(b, word);
  store<u64>(b, rest, 8);
}

/**
 * One round over the sample (`rows` pieces at `pieces`: u32 address, u32 length): the codes it
 * encodes to under `table` counted (`single`: SLOTS u32), each symbol and each pair of neighbours
 * (their bytes joined, cut at 8) a candidate of round `round` for the next table with its gain:
 * bytes it would cover, a single byte 8 times, as FSST's does, so the table keeps the bytes that
 * would otherwise be escaped.
 */
function countRound(table: usize, index: usize, pieces: usize, rows: u32, single: usize, candidates: usize, round: u32): void {
  memory.fill(single, 0, <usize>SLOTS << 2);
  fsstIndex(table, index);
  filled = 0;
  for (let r: u32 = 0; r < rows; r++) {
    const src = <usize>load<u32>(pieces + (<usize>r << 3));
    const length = load<u32>(pieces + (<usize>r << 3), 4);
    const whole = <u64>src + <u64>length + 8 <= (<u64>memory.size() << 16);
    let at: u32 = 0;
    let previousWord: u64 = 0;
    let previousLength: u32 = 0;
    while (at < length) {
      const next = nextWord(src + <usize>at, length - at, whole);
      const byte = <u32>(next & 0xFF);
      const entry = indexedMatch(index, next, length - at);
      const code = entry & 0xFF;
      const matched = entry >>> 8;
      const s = code == ESCAPE ? 256 + byte : code;
      store<u32>(single + (<usize>s << 2), load<u32>(single + (<usize>s << 2)) + 1);
      // The byte alone stays a candidate where a longer symbol covered it.
      if (code != ESCAPE && matched > 1) store<u32>(single + (<usize>(256 + byte) << 2), load<u32>(single + (<usize>(256 + byte) << 2)) + 1);
      const word = slotWord(table, s);
      const wordLength = slotLength(table, s);
      if (previousLength > 0 && previousLength < 8) {
        const joined = min<u32>(8, previousLength + wordLength);
        const part = joined - previousLength;
        addCandidate(candidates, round, previousWord | ((word & maskOf(part)) << (<u64>previousLength << 3)), joined, joined);
      }
      previousWord = word;
      previousLength = wordLength;
      at += matched;
    }
  }
  for (let s: u32 = 0; s < SLOTS; s++) {
    const n = load<u32>(single + (<usize>s << 2));
    if (n == 0) continue;
    const length = slotLength(table, s);
    addCandidate(candidates, round, slotWord(table, s), length, n * length * (length == 1 ? 8 : 1));
  }
}

/**
 * Makes `table` for the column's stored rows — a text column's bytes, or the strings a dictionary
 * column's codes stand for, `bytes` in all: pieces of rows spread over the column, at most
 * SAMPLE_BYTES; ROUNDS rounds. The sample's codes per 64 of its bytes (what the table would make
 * of the column), or -1 when there is no sample or memory for the counts is short.
 */
function makeTable(column: usize, table: usize, bytes: u64): i32 {
  const rows = get(column, Descriptor.Length);
  const dictionary = get(column, Descriptor.Type) == ColumnType.String;
  const offsets = <usize>get(column, Descriptor.Data);
  const heap = <usize>get(column, Descriptor.Heap);
  const width = get(column, Descriptor.Width);
  if (rows == 0 || bytes == 0) return -1;
  const heapLength = <u32>min<u64>(bytes, 0xFFFFFFFF);
  // Rows at an even stride, each giving at most SAMPLE_ROW_BYTES from its start.
  const wanted = <u64>max<u32>(1, SAMPLE_BYTES / max<u32>(1, min<u32>(SAMPLE_ROW_BYTES, heapLength / rows)));
  const stride = <u32>max<u64>(1, <u64>rows / wanted);
  const maxPieces = min<u32>(rows, <u32>wanted + 1);
  // One block, zeroed: the counts, the prefixes and candidates of every round (told apart by round), the pieces, the chosen.
  const singleBytes = <usize>SLOTS << 2;
  const prefixBytes = <usize>PREFIX_SLOTS << 3;
  const piecesBytes = <usize>maxPieces << 3;
  const candidateBytes = (<usize>CANDIDATE_SLOTS << 4) + (<usize>CANDIDATE_SLOTS << 1);
  const total = singleBytes + prefixBytes + piecesBytes + candidateBytes + 255 * 16 + INDEX_BYTES;
  if (!canAllocate(<u64>total + 64)) return -1;
  const work = allocate(total);
  if (work == 0) return -1;
  const single = work;
  const prefixes = single + singleBytes;
  const pieces = prefixes + prefixBytes;
  const candidates = pieces + piecesBytes;
  const chosen = candidates + candidateBytes;
  const index = chosen + 255 * 16;
  let count: u32 = 0;
  let sampled: u32 = 0;
  for (let row: u32 = 0; row < rows && count < maxPieces && sampled < SAMPLE_BYTES; row += stride) {
    let at: usize;
    let length: u32;
    if (dictionary) {
      if (!isPresent(column, row)) continue;
      const id = dictionaryId(column, <u32>unsignedAt(offsets, width, row));
      at = stringStart(id);
      length = min<u32>(SAMPLE_ROW_BYTES, stringLength(id));
    } else {
      const start = load<u32>(offsets + (<usize>row << 2));
      at = heap + <usize>start;
      length = min<u32>(SAMPLE_ROW_BYTES, load<u32>(offsets + (<usize>(row + 1) << 2)) - start);
    }
    if (length == 0) continue;
    store<u32>(pieces + (<usize>count << 3), <u32>at);
    store<u32>(pieces + (<usize>count << 3), length, 4);
    count++;
    sampled += length;
  }
  memory.fill(table, 0, FsstTable.Bytes);
  for (let round: u32 = 1; round <= ROUNDS; round++) {
    countRound(table, index, pieces, count, single, candidates, round);
    writeTable(table, chosen, chooseCandidates(candidates, round, chosen, prefixes));
  }
  // The last table, judged on the sample it was made from.
  let codes: u64 = 0;
  for (let r: u32 = 0; r < count; r++) codes += encodedLength(table, <usize>load<u32>(pieces + (<usize>r << 3)), load<u32>(pieces + (<usize>r << 3), 4));
  release(work, total);
  return sampled == 0 ? -1 : <i32>min<u64>(128, (codes * 64 + <u64>sampled - 1) / <u64>sampled);
}

// The table fsstEstimate made last, kept for textCompress of the same column: the fit-time review
// (text.ts) turns a dictionary column into text and the fit then offers it compression, whose
// sample — the same rows at the same stride, the same bytes — makes the same table again. Held
// only within one schemaCompressText walk (fsstEstimateRelease after it): a column's address may
// be another column's later.
let estimated: usize = 0;
let estimatedColumn: usize = 0;
let estimatedPer64: i32 = -1;

/**
 * What FSST would make of a dictionary column's rows (their strings, `bytes` in all): codes per
 * 64 bytes, by a table made from a sample as textCompress makes one; -1 when it cannot tell (no
 * rows, memory short). text.ts weighs it against the dictionary when a store is fitted.
 */
export function fsstEstimate(column: usize, bytes: u64): i32 {
  fsstEstimateRelease();
  if (!canAllocate(<u64>FsstTable.Bytes + 64)) return -1;
  const table = allocate(FsstTable.Bytes);
  if (table == 0) return -1;
  const per64 = makeTable(column, table, bytes);
  if (per64 < 0) {
    release(table, FsstTable.Bytes);
    return per64;
  }
  estimated = table;
  estimatedColumn = column;
  estimatedPer64 = per64;
  return per64;
}

/** Gives back the table fsstEstimate kept, if textCompress did not take it. */
export function fsstEstimateRelease(): void {
  release(estimated, FsstTable.Bytes);
  estimated = 0;
  estimatedColumn = 0;
}

// ---- a column -----------------------------------------------------------------------------------

/**
 * Compresses a text column whose heap holds at least Limit.FsstFrom bytes of WTF-8: its table
 * made from a sample, every stored row encoded by an index of it into new offsets and a heap of at
 * most the bytes' size, the old ones released. False, the column unchanged, when it is not text,
 * is compressed already, is small, would not shrink (by the sample; or its codes reach its
 * bytes' size), or memory is short. A column judged and left is judged again once its heap has
 * doubled (`Descriptor.ReviewRows`, unused by text, holds the heap length it was judged at).
 */
export function textCompress(column: usize): bool {
  if (get(column, Descriptor.Type) != ColumnType.Text || get(column, Descriptor.Dict) != 0) return false;
  const heapLength = get(column, Descriptor.HeapLength);
  if (heapLength < <u32>Limit.FsstFrom || <u64>heapLength < (<u64>get(column, Descriptor.ReviewRows) << 1)) return false;
  set(column, Descriptor.ReviewRows, heapLength);
  const rows = get(column, Descriptor.Length);
  const capacity = get(column, Descriptor.Capacity);
  const offsetBytes = (<usize>capacity + 1) << 2;
  const work = <u64>FsstTable.Bytes + <u64>INDEX_BYTES + <u64>offsetBytes + <u64>heapLength;
  if (!canAllocate(work + 256)) return false;
  let table = estimated;
  let per64 = estimatedPer64;
  if (estimatedColumn == column && table != 0) {
    estimated = 0;
    estimatedColumn = 0;
  } else {
    table = allocate(FsstTable.Bytes);
    if (table == 0) return false;
    per64 = makeTable(column, table, heapLength);
  }
  if (per64 < 0 || per64 > <i32>WORTH_OF_64) {
    release(table, FsstTable.Bytes);
    return false;
  }
  const index = allocate(INDEX_BYTES);
  const newOffsets = allocate(offsetBytes);
  const codes = allocate(<usize>heapLength);
  if (index == 0 || newOffsets == 0 || codes == 0) {
    release(codes, <usize>heapLength);
    release(newOffsets, offsetBytes);
    release(index, INDEX_BYTES);
    release(table, FsstTable.Bytes);
    return false;
  }
  fsstIndex(table, index);
  const offsets = <usize>get(column, Descriptor.Data);
  const heap = <usize>get(column, Descriptor.Heap);
  let end: u32 = 0;
  let fits = true;
  for (let row: u32 = 0; row < rows; row++) {
    const start = load<u32>(offsets + (<usize>row << 2));
    const length = load<u32>(offsets + (<usize>(row + 1) << 2)) - start;
    // A row's codes take at most two bytes a byte: past the heap's size the column would not shrink.
    if (<u64>end + (<u64>length << 1) > <u64>heapLength) {
      fits = false;
      break;
    }
    end += fsstEncodeIndexed(index, heap + <usize>start, length, codes + <usize>end);
    store<u32>(newOffsets + (<usize>(row + 1) << 2), end);
  }
  release(index, INDEX_BYTES);
  if (!fits) {
    release(codes, <usize>heapLength);
    release(newOffsets, offsetBytes);
    release(table, FsstTable.Bytes);
    return false;
  }
  release(heap, get(column, Descriptor.HeapCapacity));
  release(offsets, offsetBytes);
  set(column, Descriptor.Data, <u32>newOffsets);
  set(column, Descriptor.Heap, <u32>codes);
  set(column, Descriptor.HeapLength, end);
  set(column, Descriptor.HeapCapacity, heapLength);
  set(column, Descriptor.Dict, <u32>table);
  return true;
}

/** Gives a compressed column's table back (the column untyped by an undone append). */
export function textSymbolsRelease(column: usize): void {
  release(<usize>get(column, Descriptor.Dict), FsstTable.Bytes);
  set(column, Descriptor.Dict, 0);
}

// ---- a table and rows from a file (validate.ts) -------------------------------------------------

/** Whether the table at `table` is one writeTable could have made (so encoding by it is a function of the bytes). */
export function fsstTableValid(table: usize): bool {
  const count = load<u32>(table + FsstTable.Count);
  if (count > 255) return false;
  for (let code: u32 = 0; code < count; code++) {
    const length = lengthAt(table, code);
    const word = symbolAt(table, code);
    if (length < 1 || length > 8 || (word & ~maskOf(length)) != 0) return false;
    if (code > 0) {
      const before = symbolAt(table, code - 1);
      const beforeLength = lengthAt(table, code - 1);
      const first = <u32>(word & 0xFF);
      const beforeFirst = <u32>(before & 0xFF);
      if (beforeFirst > first || (beforeFirst == first && beforeLength < length)) return false;
    }
    // No symbol twice, and no two of 3 or more bytes starting alike (a pass over the ones before it).
    for (let other: u32 = 0; other < code; other++) {
      const otherLength = lengthAt(table, other);
      if (otherLength == length && symbolAt(table, other) == word) return false;
      if (length >= 3 && otherLength >= 3 && ((symbolAt(table, other) ^ word) & 0xFFFFFF) == 0) return false;
    }
  }
  for (let code: u32 = count; code < 256; code++) if (load<u8>(table + FsstTable.Lengths + <usize>code) != 0) return false;
  for (let code: u32 = count; code < 255; code++) if (symbolAt(table, code) != 0) return false;
  // First and FirstCount: what writeTable sets from that order.
  let code: u32 = 0;
  for (let byte: u32 = 0; byte < 256; byte++) {
    const first = <u32>load<u8>(table + FsstTable.First + <usize>byte);
    const n = <u32>load<u8>(table + FsstTable.FirstCount + <usize>byte);
    let run: u32 = 0;
    while (code + run < count && <u32>(symbolAt(table, code + run) & 0xFF) == byte) run++;
    if (n != run || (run > 0 && first != code) || (run == 0 && first != 0)) return false;
    code += run;
  }
  return load<u32>(table, 4) == 0;
}

/**
 * Decodes a row's `length` bytes of codes at `src` into `out` (room for 8 × length + 8) checking
 * them: every code names a symbol, no escape lacks its byte. The bytes' length, or -1.
 */
export function fsstDecodeChecked(table: usize, src: usize, length: u32, out: usize): i64 {
  const count = load<u32>(table + FsstTable.Count);
  const end = src + <usize>length;
  let o = out;
  let at = src;
  while (at < end) {
    const code = <u32>load<u8>(at);
    if (code == ESCAPE) {
      if (at + 1 >= end) return -1;
      store<u8>(o, load<u8>(at, 1));
      o += 1;
      at += 2;
    } else {
      if (code >= count) return -1;
      store<u64>(o, symbolAt(table, code));
      o += lengthAt(table, code);
      at += 1;
    }
  }
  return <i64>(o - out);
}
