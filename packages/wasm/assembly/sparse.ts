// Sparse columns: a column whose rows are mostly missing keeps only its stored rows — every row
// that is not missing: its values and its nulls — back to back in its buffers, as a dense column
// of `Length` rows with no missing row (Missing 0, MissingCount 0), so that every append, scan,
// search and aggregate over those rows is the dense code unchanged. An index maps the column's
// rows (its parent's rows, `Rows` of them) to the stored ones: a group of 12 bytes per 64 rows,
// u32 `before` (stored rows before the group) then the group's 64 bits (set: the row is
// stored), so a row's stored position — its rank — is `before` plus a popcount: O(1) (the
// facade's Column.storedRow reads the same layout). Bits past `Rows` and groups past the last
// are zero.
//
// The choice follows the data as it arrives (`reviewDensity`, when a column's buffers must grow,
// and before a compaction): at most half of at least SPARSE_FROM rows stored turns a dense column
// sparse; more than 3/4 stored turns a sparse column dense (at half stored, a column of 2-byte
// codes costs 1 byte a row and the index 0.19; the gap between the bars keeps a column near one
// from turning at each growth). On the tweet feed the bar at half (against a quarter) took the
// store from 114.2 to 109.1 MiB. Neither changes a value, so, like a
// widening, a conversion stays when the append that caused it is undone. Ints, float64s,
// dictionary strings, text and lists (maps too: their column is a list's) go sparse; bools (a
// bit a row), structs (no data) and mixed columns stay dense. A sparse list's offsets are its
// stored rows' (its elements are those rows' elements, as before).
//
// A scan of rows [start, end) of a sparse column runs over its stored rows [rank(start),
// rank(end)) and the result is spread back over the rows (`sparseExpand`); a selection over rows
// is gathered to the stored rows for an aggregate (`sparseCompress`); a first match's stored
// position maps back to its row (`sparseRowOf`). The facade calls these around the dense kernels.
import { ColumnType, Descriptor } from './abi';
import { allocate, canAllocate, reallocate, release } from './arena';
import { get, set, bitmapBytes, dataBytes, MAX_BLOCK } from './descriptor';

/** Bytes of an index group: u32 stored rows before it, then 64 bits of stored rows. */
const GROUP_BYTES: u32 = 12;
/** Rows a column holds before its density is judged: below that the index is not worth its reads. */
export const SPARSE_FROM: u32 = 2048;

@inline export function isSparse(column: usize): bool {
  return get(column, Descriptor.Sparse) != 0;
}

/** The column's rows (its parent's rows): stored or not. */
@inline export function rowsOf(column: usize): u32 {
  return get(column, Descriptor.Sparse) != 0 ? get(column, Descriptor.Rows) : get(column, Descriptor.Length);
}

@inline function groupBits(index: usize, group: u32): u64 {
  return load<u64>(index + <usize>group * GROUP_BYTES + 4);
}

@inline function groupBefore(index: usize, group: u32): u32 {
  return load<u32>(index + <usize>group * GROUP_BYTES);
}

/** Index bytes for `groups` groups. */
@inline export function indexBytes(groups: u32): u64 {
  return <u64>groups * GROUP_BYTES;
}

@inline function groupsFor(rows: u32): u32 {
  return (rows + 63) >>> 6;
}

/** Stored rows before row `row` (row ≤ Rows): the stored position of `row` when it is stored. */
export function storedBefore(column: usize, row: u32): u32 {
  if (row >= get(column, Descriptor.Rows)) return get(column, Descriptor.Length);
  const index = <usize>get(column, Descriptor.Sparse);
  const group = row >>> 6;
  const below = (<u64>1 << <u64>(row & 63)) - 1;
  return groupBefore(index, group) + <u32>popcnt(groupBits(index, group) & below);
}

/** 64 bits of the index from row `row` (any alignment): bit i set when row `row + i` is stored. */
export function storedBits(column: usize, row: u32): u64 {
  const index = <usize>get(column, Descriptor.Sparse);
  const groups = get(column, Descriptor.Groups);
  const group = row >>> 6;
  if (group >= groups) return 0;
  const shift = <u64>(row & 63);
  let bits = groupBits(index, group) >>> shift;
  if (shift != 0 && group + 1 < groups) bits |= groupBits(index, group + 1) << (64 - shift);
  return bits;
}

/** The row of stored position `stored` (< Length). */
export function sparseRowOf(column: usize, stored: u32): u32 {
  const index = <usize>get(column, Descriptor.Sparse);
  // The last group whose `before` is at most `stored` holds it (empty groups before it share its `before`).
  let low: u32 = 0;
  let high = groupsFor(get(column, Descriptor.Rows)); // groups [low, high): answer in [low, high)
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (groupBefore(index, middle) <= stored) low = middle;
    else high = middle;
  }
  let bits = groupBits(index, low);
  for (let skip = stored - groupBefore(index, low); skip > 0; skip--) bits &= bits - 1;
  return (low << 6) + <u32>ctz(bits);
}

/** Stored position of row `row` (< Rows), or -1 when the row is missing. */
export function sparseRank(column: usize, row: u32): i32 {
  if (get(column, Descriptor.Sparse) == 0) return <i32>row;
  const index = <usize>get(column, Descriptor.Sparse);
  if (((groupBits(index, row >>> 6) >>> <u64>(row & 63)) & 1) == 0) return -1;
  return <i32>storedBefore(column, row);
}

// ---- growing and cutting the index ---------------------------------------------------------

/** Makes room in the index for `more` rows past Rows; false when memory is short (nothing changed). */
export function sparseReserve(column: usize, more: u32): bool {
  const rows = <u64>get(column, Descriptor.Rows) + <u64>more;
  if (rows > 0xFFFFFFC0) return false;
  const groups = get(column, Descriptor.Groups);
  const needed = groupsFor(<u32>rows);
  if (needed <= groups) return true;
  const grown = max<u32>(needed, groups + (groups >>> 1));
  if (!canAllocate(indexBytes(grown) - indexBytes(groups) + 32)) return false;
  const index = reallocate(<usize>get(column, Descriptor.Sparse), <usize>indexBytes(groups), <usize>indexBytes(grown));
  if (index == 0) return false;
  set(column, Descriptor.Sparse, <u32>index);
  set(column, Descriptor.Groups, grown);
  return true;
}

/** After a stored row was appended (Length counts it): row Rows is that row. The index has room (sparseReserve). */
@inline export function sparseStored(column: usize): void {
  if (get(column, Descriptor.Sparse) == 0) return;
  const row = get(column, Descriptor.Rows);
  const at = <usize>get(column, Descriptor.Sparse) + <usize>(row >>> 6) * GROUP_BYTES;
  if ((row & 63) == 0) store<u32>(at, get(column, Descriptor.Length) - 1);
  store<u64>(at + 4, load<u64>(at + 4) | (<u64>1 << <u64>(row & 63)));
  set(column, Descriptor.Rows, row + 1);
}

/** Appends `count` missing rows to a sparse column: the index grows, nothing is stored. */
export function sparseMissingRun(column: usize, count: u32): bool {
  if (!sparseReserve(column, count)) return false;
  const rows = get(column, Descriptor.Rows);
  const index = <usize>get(column, Descriptor.Sparse);
  const length = get(column, Descriptor.Length);
  // Groups that start inside the run have no stored row before the run's end.
  for (let group = groupsFor(rows); group < groupsFor(rows + count); group++) store<u32>(index + <usize>group * GROUP_BYTES, length);
  set(column, Descriptor.Rows, rows + count);
  return true;
}

/** Cuts a sparse column's index back to `rows` rows: the stored rows to keep (truncate cuts the buffers to them). */
export function sparseTruncate(column: usize, rows: u32): u32 {
  const current = get(column, Descriptor.Rows);
  if (rows >= current) return get(column, Descriptor.Length);
  const keep = storedBefore(column, rows);
  const index = <usize>get(column, Descriptor.Sparse);
  const group = rows >>> 6;
  const at = index + <usize>group * GROUP_BYTES;
  if ((rows & 63) == 0) memory.fill(at, 0, <usize>indexBytes(groupsFor(current) - group));
  else {
    store<u64>(at + 4, load<u64>(at + 4) & ((<u64>1 << <u64>(rows & 63)) - 1));
    memory.fill(at + GROUP_BYTES, 0, <usize>indexBytes(groupsFor(current) - group - 1));
  }
  set(column, Descriptor.Rows, rows);
  return keep;
}

// ---- turning sparse and dense --------------------------------------------------------------

@inline function sparseType(type: u32): bool {
  return type == ColumnType.Int || type == ColumnType.Float64 || type == ColumnType.String || type == ColumnType.Text || type == ColumnType.List;
}

/** Columns whose data is u32 offsets (a row's bytes or elements from offsets[i] to offsets[i + 1]): text and lists (maps). */
@inline function hasOffsets(type: u32): bool {
  return type == ColumnType.Text || type == ColumnType.List;
}

@inline function bitAt(bitmap: usize, row: u32): bool {
  return ((load<u8>(bitmap + (<usize>row >>> 3)) >>> <u8>(row & 7)) & 1) != 0;
}

@inline function putBit(bitmap: usize, row: u32, value: bool): void {
  const at = bitmap + (<usize>row >>> 3);
  const bit = <u8>(1 << <u8>(row & 7));
  store<u8>(at, value ? load<u8>(at) | bit : load<u8>(at) & ~bit);
}

/**
 * Judges the column's density (its buffers are full, or a compaction comes), with `missingRun`
 * missing rows about to be appended: a dense column at most half stored turns sparse, a sparse
 * one more than 3/4 stored turns dense. Out of memory leaves it as it is (still correct).
 */
export function reviewDensity(column: usize, missingRun: u32): void {
  const type = get(column, Descriptor.Type);
  if (!sparseType(type)) return;
  const length = get(column, Descriptor.Length);
  if (isSparse(column)) {
    if (<u64>length * 4 > (<u64>get(column, Descriptor.Rows) + <u64>missingRun) * 3) toDense(column);
    return;
  }
  const rows = <u64>length + <u64>missingRun;
  const missing = <u64>get(column, Descriptor.MissingCount) + <u64>missingRun;
  if (rows >= <u64>SPARSE_FROM && missing * 2 >= rows) toSparse(column);
}

/** Bytes a value of the column takes in its data buffer (int deltas and codes by width; offsets are moved as such). */
@inline function valueBytes(type: u32, width: u32): usize {
  return type == ColumnType.Float64 ? 8 : <usize>width;
}

/** Moves the stored rows of a dense column to the front, in place, and gives it an index. */
function toSparse(column: usize): bool {
  const type = get(column, Descriptor.Type);
  const width = get(column, Descriptor.Width);
  const length = get(column, Descriptor.Length);
  const capacity = get(column, Descriptor.Capacity);
  const missing = <usize>get(column, Descriptor.Missing);
  if (missing == 0) return false;
  const groups = max<u32>(1, groupsFor(length + (length >>> 1)));
  if (!canAllocate(indexBytes(groups) + 32)) return false;
  const index = allocate(<usize>indexBytes(groups));
  if (index == 0) return false;
  const data = <usize>get(column, Descriptor.Data);
  const nulls = <usize>get(column, Descriptor.Nulls);
  const bytes = valueBytes(type, width);
  let stored: u32 = 0;
  for (let group: u32 = 0; group < groupsFor(length); group++) {
    const at = index + <usize>group * GROUP_BYTES;
    store<u32>(at, stored);
    let bits: u64 = 0;
    const end = min<u32>(length, (group + 1) << 6);
    for (let row = group << 6; row < end; row++) {
      if (bitAt(missing, row)) continue;
      bits |= <u64>1 << <u64>(row & 63);
      // Front to back: stored ≤ row, so a move never overwrites a row not yet moved.
      // A missing row of text or a list holds no bytes or elements: the stored rows' offsets stay consecutive.
      if (hasOffsets(type)) store<u32>(data + ((<usize>stored + 1) << 2), load<u32>(data + ((<usize>row + 1) << 2)));
      else if (bytes != 0 && stored != row) memory.copy(data + <usize>stored * bytes, data + <usize>row * bytes, bytes);
      if (nulls != 0) putBit(nulls, stored, bitAt(nulls, row));
      stored++;
    }
    store<u64>(at + 4, bits);
  }
  // Appends write no null bit for a value: the moved-from bits past the stored rows go.
  if (nulls != 0) for (let row = stored; row < length; row++) putBit(nulls, row, false);
  release(missing, bitmapBytes(capacity));
  // The buffers keep room for the stored rows and half as many again; the rest goes back.
  const kept = min<u32>(capacity, max<u32>(16, stored + (stored >>> 1)));
  set(column, Descriptor.Data, <u32>reallocate(data, <usize>dataBytes(type, width, capacity), <usize>dataBytes(type, width, kept)));
  if (nulls != 0) set(column, Descriptor.Nulls, <u32>reallocate(nulls, bitmapBytes(capacity), bitmapBytes(kept)));
  set(column, Descriptor.Capacity, kept);
  set(column, Descriptor.Missing, 0);
  set(column, Descriptor.MissingCount, 0);
  set(column, Descriptor.Length, stored);
  set(column, Descriptor.Rows, length);
  set(column, Descriptor.Groups, groups);
  set(column, Descriptor.Sparse, <u32>index);
  return true;
}

/** Spreads a sparse column's stored rows over all its rows, in new buffers (missing rows get their bits). */
export function toDense(column: usize): bool {
  const type = get(column, Descriptor.Type);
  const width = get(column, Descriptor.Width);
  const rows = get(column, Descriptor.Rows);
  const stored = get(column, Descriptor.Length);
  const oldCapacity = get(column, Descriptor.Capacity);
  const capacity = <u32>min<u64>(0xFFFFFFF0, max<u64>(16, <u64>rows + (<u64>rows >>> 1)));
  const nulls = <usize>get(column, Descriptor.Nulls);
  const dataSize = dataBytes(type, width, capacity);
  if (dataSize > MAX_BLOCK || !canAllocate(dataSize + <u64>bitmapBytes(capacity) * 2 + 64)) return false;
  const data = allocate(<usize>dataSize);
  const missing = allocate(bitmapBytes(capacity));
  const denseNulls = nulls != 0 ? allocate(bitmapBytes(capacity)) : 0;
  if (data == 0 || missing == 0 || (nulls != 0 && denseNulls == 0)) return false;
  const old = <usize>get(column, Descriptor.Data);
  const bytes = valueBytes(type, width);
  let at: u32 = 0;
  for (let row: u32 = 0; row < rows; row++) {
    const isStored = ((groupBits(<usize>get(column, Descriptor.Sparse), row >>> 6) >>> <u64>(row & 63)) & 1) != 0;
    if (hasOffsets(type)) store<u32>(data + ((<usize>row + 1) << 2), load<u32>(old + ((<usize>(isStored ? at + 1 : at)) << 2)));
    if (!isStored) {
      putBit(missing, row, true);
      continue;
    }
    if (!hasOffsets(type) && bytes != 0) memory.copy(data + <usize>row * bytes, old + <usize>at * bytes, bytes);
    if (nulls != 0 && bitAt(nulls, at)) putBit(denseNulls, row, true);
    at++;
  }
  release(old, <usize>dataBytes(type, width, oldCapacity));
  if (nulls != 0) release(nulls, bitmapBytes(oldCapacity));
  release(<usize>get(column, Descriptor.Sparse), <usize>indexBytes(get(column, Descriptor.Groups)));
  set(column, Descriptor.Data, <u32>data);
  set(column, Descriptor.Nulls, <u32>denseNulls);
  set(column, Descriptor.Missing, <u32>missing);
  set(column, Descriptor.MissingCount, rows - stored);
  set(column, Descriptor.Capacity, capacity);
  set(column, Descriptor.Length, rows);
  set(column, Descriptor.Sparse, 0);
  set(column, Descriptor.Rows, 0);
  set(column, Descriptor.Groups, 0);
  return true;
}

// ---- between rows and stored rows (queries) -----------------------------------------------

/** Bits [from, from + count) of a selection bitmap (count ≤ 64). */
@inline function readBits(bits: usize, from: u32, count: u32): u64 {
  if (count == 0) return 0;
  const word = <usize>(from >>> 6) << 3;
  const shift = <u64>(from & 63);
  let value = load<u64>(bits + word) >>> shift;
  if (shift != 0 && <u32>shift + count > 64) value |= load<u64>(bits + word + 8) << (64 - shift);
  return count == 64 ? value : value & ((<u64>1 << <u64>count) - 1);
}

/** The low bits of `source`, one to each set bit of `mask` in order (a software pdep). */
@inline function deposit(source: u64, mask: u64): u64 {
  let result: u64 = 0;
  while (mask != 0) {
    const lowest = mask & (~mask + 1);
    if ((source & 1) != 0) result |= lowest;
    source >>>= 1;
    mask &= mask - 1;
  }
  return result;
}

/**
 * `out` holds a scan of stored rows [first, …) (bit 0: stored row `first` = rank(start)); spreads
 * it, in place, over rows [start, end): bit i becomes row start + i's (0 where it is missing).
 * Back to front: a row's stored bit never lies after the row's own bit.
 */
export function sparseExpand(column: usize, start: u32, end: u32, first: u32, out: usize): void {
  if (end <= start) return;
  const words = (end - start + 63) >>> 6;
  for (let w = words; w-- > 0; ) {
    const row = start + (w << 6);
    const count = min<u32>(64, end - row);
    let mask = storedBits(column, row);
    if (count < 64) mask &= (<u64>1 << <u64>count) - 1;
    const from = storedBefore(column, row) - first;
    store<u64>(out + (<usize>w << 3), deposit(readBits(out, from, <u32>popcnt(mask)), mask));
  }
}

/**
 * Gathers a selection over rows [start, end) (bit i: row start + i) to the stored rows, in
 * place: bit k becomes stored row rank(start) + k's. The bits past the stored rows are cleared.
 */
export function sparseCompress(column: usize, start: u32, end: u32, bits: usize): void {
  let gathered: u64 = 0;
  let filled: u32 = 0;
  let written: usize = 0;
  for (let row = start; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    let mask = storedBits(column, row);
    if (count < 64) mask &= (<u64>1 << <u64>count) - 1;
    let selected = load<u64>(bits + (<usize>((row - start) >>> 6) << 3));
    // Front to back: the gathered words never pass the word just read.
    while (mask != 0) {
      const bit = <u64>ctz(mask);
      gathered |= ((selected >>> bit) & 1) << <u64>filled;
      mask &= mask - 1;
      if (++filled == 64) {
        store<u64>(bits + written, gathered);
        written += 8;
        gathered = 0;
        filled = 0;
      }
    }
  }
  if (filled != 0) store<u64>(bits + written, gathered);
}

/** Rows of [start, end) of a sparse column that are null (which = 0) or missing (which = 1). */
export function sparsePresence(column: usize, which: u32, start: u32, end: u32, out: usize): void {
  const nulls = <usize>get(column, Descriptor.Nulls);
  for (let row = start; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    const valid = count == 64 ? <u64>-1 : (<u64>1 << <u64>count) - 1;
    const stored = storedBits(column, row) & valid;
    let word: u64 = 0;
    if (which == 1) word = ~stored & valid;
    else if (nulls != 0) {
      let mask = stored;
      let at = storedBefore(column, row);
      while (mask != 0) {
        if (bitAt(nulls, at++)) word |= mask & (~mask + 1);
        mask &= mask - 1;
      }
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
}
