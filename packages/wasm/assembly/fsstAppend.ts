// An append's rows in compressed (FSST) text columns (fsst.ts): encoded as they come, through an
// index per column once it has taken enough, or — the parser's — appended as their bytes and
// encoded a column at a time when the parser settles. Its state lives for one append.
import { Descriptor } from './abi';
import { allocate, release } from './arena';
import { get, set } from './descriptor';
import { fsstEncode, fsstEncodeIndexed, fsstIndex, INDEX_BYTES, symbolsOf } from './fsst';
import { textReserve } from './text';

// Why: rows appended to a compressed column must become codes. One at a time by a scan of the table
// (fsstEncode: the symbols of the next byte tried longest first) that was 606 ms of the 1.9 s an
// events store took to append 90,000 NDJSON lines 10,000 at a time; by an index per column kept
// for the append, 352 ms, since rows arrive a record at a time and ~50 columns' indexes (147 KB
// each) evicted one another. So the parser appends a compressed column's rows as their bytes
// (fsstDefer) and encodes them a column at a time whenever it settles the schema, before the
// facade may read a column (fsstSettle, from parseFeed): by the scan below APPEND_INDEX_AFTER
// bytes, by one index made for the column above (rows appended through the ABI, JS records',
// are encoded at once by fsstEncodeAppended: the scan until the column has taken
// APPEND_INDEX_AFTER bytes in the append, then an index of its own). A wide store given one
// record makes no index. finishIngest (fsstAppendEnd) gives the followed columns' slots and
// indexes back, before the store is fitted, so no copy or file sees them. The codes are those
// of a scan: the index finds the same.

/** Bytes a column takes (in an append) by the scan before it gets an index. */
const APPEND_INDEX_AFTER: u32 = 16 << 10;
const APPEND_INDEXES: u32 = 64;
/**
 * Columns followed in an append, by open addressing on the column's address: (column, bytes
 * it took at once, its index, where its rows appended as bytes start in its heap or NOT_RAW)
 * u32s a slot. A block of the arena made at the first row an append gives a compressed column
 * (0: none made yet), so no store holds it at rest.
 */
const APPEND_SLOTS: u32 = 256;
const APPEND_SLOT_BYTES: usize = <usize>APPEND_SLOTS << 4;
const NOT_RAW: u32 = 0xFFFFFFFF;
/** A slot's column once forgotten (appendForget): no column's address (they are 8-byte aligned). */
const FORGOTTEN: u32 = 0xFFFFFFFF;
let appendSlots: usize = 0;
let appendIndexes: u32 = 0;
let appendFollowed: u32 = 0;
/** Columns holding rows appended as bytes since the last fsstSettle. */
let appendRaw: u32 = 0;
/** The parser is running (parseBegin to parseRelease): its rows are appended as bytes. */
let deferring = false;

export function fsstParsing(running: bool): void {
  deferring = running;
}

/** Where the probe for `column`'s slot starts (APPEND_SLOTS is 2^8). */
@inline function homeSlot(column: usize): u32 {
  return (<u32>column * 0x9E3779B1) >>> 24;
}

/** The slot following `column` in this append (made if new), or 0 when none can be had. */
function appendSlotOf(column: usize): usize {
  if (appendSlots == 0) {
    appendSlots = allocate(APPEND_SLOT_BYTES);
    if (appendSlots == 0) return 0;
  }
  let slot = homeSlot(column);
  while (true) {
    const entry = appendSlots + (<usize>slot << 4);
    const held = load<u32>(entry);
    if (held == <u32>column) return entry;
    if (held == 0) {
      // Three quarters full: the columns past that are encoded by the scan.
      if (appendFollowed * 4 >= APPEND_SLOTS * 3) return 0;
      store<u32>(entry, <u32>column);
      store<u32>(entry, NOT_RAW, 12);
      appendFollowed++;
      return entry;
    }
    slot = (slot + 1) & (APPEND_SLOTS - 1);
  }
}

/** fsstEncode of a row appended to `column` (whose table is `table`): by the column's index once it has one. */
export function fsstEncodeAppended(column: usize, table: usize, src: usize, length: u32, out: usize): u32 {
  const entry = appendSlotOf(column);
  if (entry == 0) return fsstEncode(table, src, length, out);
  let index = <usize>load<u32>(entry, 8);
  if (index != 0) return fsstEncodeIndexed(index, src, length, out);
  const taken = load<u32>(entry, 4) + length;
  store<u32>(entry, taken, 4);
  if (taken < APPEND_INDEX_AFTER || appendIndexes == APPEND_INDEXES) return fsstEncode(table, src, length, out);
  index = allocate(INDEX_BYTES);
  if (index == 0) return fsstEncode(table, src, length, out);
  appendIndexes++;
  store<u32>(entry, <u32>index, 8);
  fsstIndex(table, index);
  return fsstEncodeIndexed(index, src, length, out);
}

/**
 * Whether a row for compressed `column`, at `used` in its heap, goes in as its bytes, to be
 * encoded by the next fsstSettle: while the parser runs, and the column can be followed (else
 * the row is encoded at once).
 */
export function fsstDefer(column: usize, used: u32): bool {
  if (!deferring) return false;
  const entry = appendSlotOf(column);
  if (entry == 0) return false;
  const from = load<u32>(entry, 12);
  if (from == NOT_RAW) appendRaw++;
  // The least, should rows be cut back past it (a record undone) and appended again.
  if (used < from) store<u32>(entry, used, 12);
  return true;
}

/**
 * Encodes every row the parser appended as bytes to a compressed column since the last settle,
 * a column at a time. False when out of memory: nothing is changed then (the append fails, and
 * its undo cuts those rows).
 */
export function fsstSettle(): bool {
  if (appendRaw == 0) return true;
  for (let slot: u32 = 0; slot < APPEND_SLOTS; slot++) {
    const entry = appendSlots + (<usize>slot << 4);
    const from = load<u32>(entry, 12);
    if (load<u32>(entry) == 0 || from == NOT_RAW) continue;
    if (!encodeRaw(<usize>load<u32>(entry), from)) return false;
    store<u32>(entry, NOT_RAW, 12);
    appendRaw--;
  }
  return true;
}

/** The rows of compressed `column` whose bytes start at `from` in its heap (or later), encoded in place. */
function encodeRaw(column: usize, from: u32): bool {
  const used = get(column, Descriptor.HeapLength);
  if (used <= from) return true; // cut back since
  const raw = used - from;
  const rows = get(column, Descriptor.Length);
  const offsets = <usize>get(column, Descriptor.Data);
  // The first row that starts at `from` (offsets only grow; a row before it ends there at most).
  let first: u32 = 0;
  let last = rows;
  while (first < last) {
    const middle = (first + last) >>> 1;
    if (load<u32>(offsets + (<usize>middle << 2)) < from) first = middle + 1;
    else last = middle;
  }
  // Everything is allocated before anything changes: the codes (at most two bytes a byte), the
  // rows' new ends, and an index past APPEND_INDEX_AFTER bytes (without one, the scan).
  const codes = allocate(<usize>raw << 1);
  const ends = allocate(<usize>(rows - first) << 2);
  const index = raw >= APPEND_INDEX_AFTER ? allocate(INDEX_BYTES) : 0;
  if (codes == 0 || ends == 0) {
    release(codes, <usize>raw << 1);
    release(ends, <usize>(rows - first) << 2);
    release(index, INDEX_BYTES);
    return false;
  }
  const table = symbolsOf(column);
  if (index != 0) fsstIndex(table, index);
  const heap = <usize>get(column, Descriptor.Heap);
  let out: u32 = 0;
  for (let row = first; row < rows; row++) {
    const start = load<u32>(offsets + (<usize>row << 2));
    const length = load<u32>(offsets + (<usize>(row + 1) << 2)) - start;
    const src = heap + <usize>start;
    out += index != 0 ? fsstEncodeIndexed(index, src, length, codes + <usize>out) : fsstEncode(table, src, length, codes + <usize>out);
    store<u32>(ends + (<usize>(row - first) << 2), from + out);
  }
  release(index, INDEX_BYTES);
  const fits = out <= raw || textReserve(column, from + out);
  if (fits) {
    memory.copy(<usize>get(column, Descriptor.Heap) + <usize>from, codes, out);
    memory.copy(offsets + ((<usize>first + 1) << 2), ends, <usize>(rows - first) << 2);
    set(column, Descriptor.HeapLength, from + out);
  }
  release(ends, <usize>(rows - first) << 2);
  release(codes, <usize>raw << 1);
  return fits;
}

/**
 * Column `column` is followed no longer: it is untyped (column.ts), its table given back, and no
 * index outlives its table (a table made later at its address is another one). Only its own
 * slot goes: this runs inside a parse too, when a record that settled the column fails, and the
 * other columns' rows as bytes still wait for the settle. The slot stays taken, by an address no
 * column has, so the columns probed past it are still found.
 */
export function fsstForget(column: usize): void {
  if (appendSlots == 0) return;
  let slot = homeSlot(column);
  while (true) {
    const entry = appendSlots + (<usize>slot << 4);
    const held = load<u32>(entry);
    if (held == 0) return;
    if (held == <u32>column) {
      release(<usize>load<u32>(entry, 8), INDEX_BYTES);
      if (load<u32>(entry, 8) != 0) appendIndexes--;
      if (load<u32>(entry, 12) != NOT_RAW) appendRaw--;
      store<u32>(entry, FORGOTTEN);
      store<u32>(entry, 0, 4);
      store<u32>(entry, 0, 8);
      store<u32>(entry, NOT_RAW, 12);
      return;
    }
    slot = (slot + 1) & (APPEND_SLOTS - 1);
  }
}

/** The append is over (kept or undone): the followed columns' slots and indexes go back to the arena. */
export function fsstAppendEnd(): void {
  if (appendSlots == 0) return;
  for (let slot: u32 = 0; slot < APPEND_SLOTS; slot++) release(<usize>load<u32>(appendSlots + (<usize>slot << 4), 8), INDEX_BYTES);
  release(appendSlots, APPEND_SLOT_BYTES);
  appendSlots = 0;
  appendIndexes = 0;
  appendFollowed = 0;
  appendRaw = 0;
}
