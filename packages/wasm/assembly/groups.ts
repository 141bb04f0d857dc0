// Grouped aggregates: the group id of every row of a key column (string codes, bools, and ints
// and texts through a hash table; several string and bool keys combined into one id by
// groupCombine), then rows per group (groupCount, or groupCountCodes in one pass over a string
// key's codes) and sums per group (groupSum). The totals of a whole column are in aggregate.ts.
import { ColumnType, Descriptor, GroupResult, GroupSum, Sentinel, Status } from './abi';
import { absoluteBits, rowMask } from './aggregate';
import { get } from './descriptor';
import { bytesEqual, hashBytes } from './strings';
import { textLength, textStart } from './text';
import { unsignedAt } from './widths';
import { isSparse, storedBefore, storedBits } from './sparse';

/**
 * Writes the group id of every row of [start, end) of `key` to `ids` (u32 each): string
 * columns → dictionary code; bool → 0 / 1; int and text → an id from the hash `table`
 * (`capacity` slots of (key u32, id + 1 u32), a power of two), ids handed out in order of first
 * appearance, `state` = u32[1] holding the next id. A slot's key is an int's delta (1-4 byte
 * deltas; width 0: 0), or the group's first row (8-byte deltas, texts), whose key the row's is
 * compared with. Null and missing → Sentinel.NullGroup. Returns the number of groups, or
 * GroupResult.Overflow when the table would pass half full.
 */
export function groupIds(key: usize, start: u32, end: u32, ids: usize, table: usize, capacity: u32, state: usize): i32 {
  const type = get(key, Descriptor.Type);
  const data = <usize>get(key, Descriptor.Data);
  const width = get(key, Descriptor.Width);
  let groups: i32 = 0;
  if (type == ColumnType.String) {
    for (let row = start; row < end; row++) store<u32>(ids + (<usize>(row - start) << 2), <u32>unsignedAt(data, width, row));
    groups = <i32>get(key, Descriptor.DictLength);
  } else if (type == ColumnType.Bool) {
    for (let row = start; row < end; row++) {
      store<u32>(ids + (<usize>(row - start) << 2), (<u32>load<u8>(data + (<usize>row >>> 3)) >>> (row & 7)) & 1);
    }
    groups = 2;
  } else if (type == ColumnType.Int && width <= 4) {
    if (width <= 1) groups = hashedIds<u8>(key, type, width == 0, start, end, ids, table, capacity, state);
    else if (width == 2) groups = hashedIds<u16>(key, type, false, start, end, ids, table, capacity, state);
    else groups = hashedIds<u32>(key, type, false, start, end, ids, table, capacity, state);
  } else if (type == ColumnType.Int || type == ColumnType.Text) {
    groups = hashedIds<u64>(key, type, false, start, end, ids, table, capacity, state);
  } else if (type != ColumnType.Null) {
    return GroupResult.WrongType;
  }
  if (groups < 0) return groups;
  const nulls = <usize>get(key, Descriptor.Nulls);
  const missing = <usize>get(key, Descriptor.Missing);
  if (type == ColumnType.Null || nulls != 0 || missing != 0) {
    for (let row = start; row < end; row++) {
      if (type == ColumnType.Null || absentAt(nulls, missing, row)) store<u32>(ids + (<usize>(row - start) << 2), Sentinel.NullGroup);
    }
  }
  return groups;
}

/**
 * groupBy of several keys: folds `key` (a dense string or bool column) into the combined ids of
 * rows [start, end) in `ids` (u32 each, zeroed by the caller before the first key): each becomes
 * id × `bound` + the row's digit — 0 for null and missing, else the dictionary code + 1 (bools:
 * the bit + 1); `bound` is the digits there are (dictionary entries + 1, or 3). The caller keeps
 * the product of the bounds within its group tables, and counts and sums over the ids as over
 * groupIds' (there is no null group: every combination, null parts included, is an id).
 */
export function groupCombine(ids: usize, key: usize, start: u32, end: u32, bound: u32): i32 {
  const type = get(key, Descriptor.Type);
  if ((type != ColumnType.String && type != ColumnType.Bool) || isSparse(key)) return Status.WrongType;
  const data = <usize>get(key, Descriptor.Data);
  const width = get(key, Descriptor.Width);
  const nulls = <usize>get(key, Descriptor.Nulls);
  const missing = <usize>get(key, Descriptor.Missing);
  const dense = nulls == 0 && missing == 0;
  if (type == ColumnType.String && dense && width == 1) {
    // The common case (codes of a small dictionary, no absent rows) without a branch per row.
    for (let row = start; row < end; row++) {
      const at = ids + (<usize>(row - start) << 2);
      store<u32>(at, load<u32>(at) * bound + <u32>load<u8>(data + <usize>row) + 1);
    }
    return Status.Ok;
  }
  for (let row = start; row < end; row++) {
    const at = ids + (<usize>(row - start) << 2);
    let digit: u32 = 0;
    if (dense || !absentAt(nulls, missing, row)) {
      digit = type == ColumnType.Bool ? ((<u32>load<u8>(data + (<usize>row >>> 3)) >>> (row & 7)) & 1) + 1 : <u32>unsignedAt(data, width, row) + 1;
    }
    store<u32>(at, load<u32>(at) * bound + digit);
  }
  return Status.Ok;
}

@inline function absentAt(nulls: usize, missing: usize, row: u32): bool {
  return (nulls != 0 && ((load<u8>(nulls + (<usize>row >>> 3)) >>> (row & 7)) & 1) != 0) ||
    (missing != 0 && ((load<u8>(missing + (<usize>row >>> 3)) >>> (row & 7)) & 1) != 0);
}

/**
 * groupIds through the hash table, for present rows (absent ones found no group). T: the int
 * deltas' type when the slot holds the delta (u8, u16, u32; `constant`: width 0, every delta 0);
 * u64: the slot holds the group's first row (8-byte deltas, or a text key: `type`).
 */
function hashedIds<T>(key: usize, type: u32, constant: bool, start: u32, end: u32, ids: usize, table: usize, capacity: u32, state: usize): i32 {
  const data = <usize>get(key, Descriptor.Data);
  const nulls = <usize>get(key, Descriptor.Nulls);
  const missing = <usize>get(key, Descriptor.Missing);
  const mask = capacity - 1;
  // Multiplicative hashing keeps its good bits at the top: an int's slot is the top log2(capacity) bits.
  const shift = clz<u32>(capacity) + 1;
  const byRow = sizeof<T>() == 8;
  let next = load<u32>(state);
  for (let row = start; row < end; row++) {
    if (absentAt(nulls, missing, row)) continue;
    // (A text key has no delta: its data is offsets, never read here.)
    const delta: u64 = constant || type == ColumnType.Text ? 0 : <u64>load<T>(data + (<usize>row) * sizeof<T>());
    let slot: u32;
    if (type == ColumnType.Text) slot = hashBytes(textStart(key, row), textLength(key, row)) & mask;
    else if (byRow) slot = <u32>((delta * 0x9E3779B97F4A7C15) >>> <u64>(shift + 32));
    else slot = (<u32>delta * 0x9E3779B1) >>> shift;
    // The slot's key: the delta itself, or this row (compared through the key column).
    const slotKey: u32 = byRow ? row : <u32>delta;
    let id: u32 = 0;
    while (true) {
      const entry = table + (<usize>slot << 3);
      const stored = load<u32>(entry, 4);
      if (stored == 0) {
        if ((next + 1) * 2 > capacity) return GroupResult.Overflow;
        store<u32>(entry, slotKey);
        store<u32>(entry, next + 1, 4);
        id = next++;
        break;
      }
      const held = load<u32>(entry);
      if (byRow ? sameKey(key, type, data, held, row) : held == slotKey) {
        id = stored - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    store<u32>(ids + (<usize>(row - start) << 2), id);
  }
  store<u32>(state, next);
  return <i32>next;
}

/** Rows `a` and `b` of a key of 8-byte int deltas or of texts hold the same key. */
@inline function sameKey(key: usize, type: u32, data: usize, a: u32, b: u32): bool {
  if (type == ColumnType.Int) return load<u64>(data + (<usize>a << 3)) == load<u64>(data + (<usize>b << 3));
  const length = textLength(key, a);
  return textLength(key, b) == length && bytesEqual(textStart(key, a), textStart(key, b), length);
}

/**
 * Per group: rows counted into `counts` (u32 per group; the null group at index `nullIndex`)
 * and the first row seen into `firstRows` (u32, initialised by the caller to 0xFFFFFFFF).
 */
export function groupCount(ids: usize, selection: usize, start: u32, end: u32, nullIndex: u32, counts: usize, firstRows: usize): void {
  for (let row = start; row < end; row++) {
    const i = row - start;
    if (selection != 0 && ((load<u64>(selection + (<usize>(i >>> 6) << 3)) >>> <u64>(i & 63)) & 1) == 0) continue;
    let group = load<u32>(ids + (<usize>i << 2));
    if (group == Sentinel.NullGroup) group = nullIndex;
    const at = <usize>group << 2;
    store<u32>(counts + at, load<u32>(counts + at) + 1);
    if (load<u32>(firstRows + at) == 0xFFFFFFFF) store<u32>(firstRows + at, row);
  }
}

/**
 * Per group: the sum and count of the present values of `value` (an int or float64 column aligned
 * with the key), over selected rows, into `sums` and `counts` (GroupSum in abi.ts: a float64
 * column's f64 sums in row order; an int column's deltas summed exactly, as a u128 whose high word
 * sits beside the count — the caller adds count × base, as for aggregate()).
 */
export function groupSum(ids: usize, value: usize, selection: usize, start: u32, end: u32, nullIndex: u32, sums: usize, counts: usize): i32 {
  const type = get(value, Descriptor.Type);
  if (type != ColumnType.Int && type != ColumnType.Float64) return Status.WrongType;
  if (isSparse(value)) {
    sparseGroupSum(ids, value, selection, start, end, nullIndex, sums, counts);
    return Status.Ok;
  }
  const data = <usize>get(value, Descriptor.Data);
  const width = get(value, Descriptor.Width);
  for (let row = start; row < end; row += 64) {
    let mask = rowMask(value, selection, start, row, end);
    while (mask != 0) {
      const at = row + <u32>ctz<u64>(mask);
      mask &= mask - 1;
      addToGroup(load<u32>(ids + (<usize>(at - start) << 2)), value, at, nullIndex, sums, counts);
    }
  }
  return Status.Ok;
}

/** Adds row `at`'s value (a stored row of `value`) to `group`'s sum and count (groupSum). */
@inline function addToGroup(group: u32, value: usize, at: u32, nullIndex: u32, sums: usize, counts: usize): void {
  if (group == Sentinel.NullGroup) group = nullIndex;
  const data = <usize>get(value, Descriptor.Data);
  const sum = sums + (<usize>group << 3);
  const tally = counts + <usize>group * GroupSum.Bytes;
  if (get(value, Descriptor.Type) == ColumnType.Float64) {
    store<f64>(sum, load<f64>(sum) + load<f64>(data + (<usize>at << 3)));
  } else {
    const low = load<u64>(sum);
    const next = low + unsignedAt(data, get(value, Descriptor.Width), at);
    store<u64>(sum, next);
    if (next < low) store<u32>(tally, load<u32>(tally, GroupSum.High) + 1, GroupSum.High);
  }
  store<u32>(tally, load<u32>(tally, GroupSum.Count) + 1, GroupSum.Count);
}

/** groupSum of a sparse value column: its stored rows among rows [start, end), read at their stored positions. */
function sparseGroupSum(ids: usize, value: usize, selection: usize, start: u32, end: u32, nullIndex: u32, sums: usize, counts: usize): void {
  const nulls = <usize>get(value, Descriptor.Nulls);
  for (let row = start; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    let stored = storedBits(value, row);
    if (count < 64) stored &= (<u64>1 << <u64>count) - 1;
    const selected = selection == 0 ? <u64>-1 : load<u64>(selection + (<usize>((row - start) >>> 6) << 3));
    let at = storedBefore(value, row);
    while (stored != 0) {
      const bit = <u64>ctz(stored);
      stored &= stored - 1;
      const present = nulls == 0 || ((load<u8>(nulls + (<usize>at >>> 3)) >>> <u8>(at & 7)) & 1) == 0;
      if (((selected >>> bit) & 1) != 0 && present) addToGroup(load<u32>(ids + (<usize>(row - start + <u32>bit) << 2)), value, at, nullIndex, sums, counts);
      at++;
    }
  }
}

// Four interleaved histograms for u8 codes: consecutive rows hitting the same code would
// otherwise serialise on one counter's load-add-store.
const histograms: usize = memory.data(4 * 256 * 4, 16);

/**
 * groupBy(stringKey).count() in one pass: rows per dictionary code into `counts` (u32 per
 * code; null and missing at `nullIndex`) and the first row of each into `firstRows`
 * (initialised by the caller to 0xFFFFFFFF). Selection as in groupCount.
 */
export function groupCountCodes(key: usize, selection: usize, start: u32, end: u32, nullIndex: u32, counts: usize, firstRows: usize): i32 {
  if (get(key, Descriptor.Type) != ColumnType.String) return Status.WrongType;
  const data = <usize>get(key, Descriptor.Data);
  const width = get(key, Descriptor.Width);
  const dense = selection == 0 && get(key, Descriptor.Nulls) == 0 && get(key, Descriptor.Missing) == 0;
  if (dense && width == 1) {
    memory.fill(histograms, 0, 4 * 256 * 4);
    let row = start;
    for (; row + 4 <= end; row += 4) {
      const at = data + <usize>row;
      const h0 = histograms + (<usize>load<u8>(at) << 2);
      const h1 = histograms + 1024 + (<usize>load<u8>(at, 1) << 2);
      const h2 = histograms + 2048 + (<usize>load<u8>(at, 2) << 2);
      const h3 = histograms + 3072 + (<usize>load<u8>(at, 3) << 2);
      store<u32>(h0, load<u32>(h0) + 1);
      store<u32>(h1, load<u32>(h1) + 1);
      store<u32>(h2, load<u32>(h2) + 1);
      store<u32>(h3, load<u32>(h3) + 1);
    }
    for (; row < end; row++) {
      const h = histograms + (<usize>load<u8>(data + <usize>row) << 2);
      store<u32>(h, load<u32>(h) + 1);
    }
    const codes = get(key, Descriptor.DictLength);
    for (let code: u32 = 0; code < codes; code++) {
      const at = <usize>code << 2;
      store<u32>(counts + at, load<u32>(counts + at) + load<u32>(histograms + at) + load<u32>(histograms + 1024 + at) +
        load<u32>(histograms + 2048 + at) + load<u32>(histograms + 3072 + at));
    }
  } else {
    const nulls = <usize>get(key, Descriptor.Nulls);
    const missing = <usize>get(key, Descriptor.Missing);
    for (let row = start; row < end; row += 64) {
      const count = min<u32>(64, end - row);
      let selected: u64 = count == 64 ? <u64>-1 : (<u64>1 << count) - 1;
      if (selection != 0) selected &= load<u64>(selection + (<usize>((row - start) >>> 6) << 3));
      let absent: u64 = 0;
      if (nulls != 0) absent |= absoluteBits(nulls, row, count);
      if (missing != 0) absent |= absoluteBits(missing, row, count);
      const nullRows = popcnt<u64>(selected & absent);
      if (nullRows != 0) store<u32>(counts + (<usize>nullIndex << 2), load<u32>(counts + (<usize>nullIndex << 2)) + <u32>nullRows);
      let mask = selected & ~absent;
      while (mask != 0) {
        const at = <usize>(row + <u32>ctz<u64>(mask));
        mask &= mask - 1;
        const code = <u32>unsignedAt(data, width, <u32>at);
        const slot = counts + (<usize>code << 2);
        store<u32>(slot, load<u32>(slot) + 1);
      }
    }
  }
  recordFirstRows(key, selection, start, end, nullIndex, counts, firstRows);
  return Status.Ok;
}

/** First selected row of every group that has rows: scans only until each has been seen. */
function recordFirstRows(key: usize, selection: usize, start: u32, end: u32, nullIndex: u32, counts: usize, firstRows: usize): void {
  const codes = get(key, Descriptor.DictLength);
  let remaining: u32 = 0;
  for (let code: u32 = 0; code < codes; code++) if (load<u32>(counts + (<usize>code << 2)) != 0 && load<u32>(firstRows + (<usize>code << 2)) == 0xFFFFFFFF) remaining++;
  if (load<u32>(counts + (<usize>nullIndex << 2)) != 0 && load<u32>(firstRows + (<usize>nullIndex << 2)) == 0xFFFFFFFF) remaining++;
  const data = <usize>get(key, Descriptor.Data);
  const width = get(key, Descriptor.Width);
  const nulls = <usize>get(key, Descriptor.Nulls);
  const missing = <usize>get(key, Descriptor.Missing);
  for (let row = start; row < end && remaining > 0; row++) {
    const i = row - start;
    if (selection != 0 && ((load<u64>(selection + (<usize>(i >>> 6) << 3)) >>> <u64>(i & 63)) & 1) == 0) continue;
    const absent = (nulls != 0 && ((load<u8>(nulls + (<usize>row >>> 3)) >>> (row & 7)) & 1) != 0) ||
      (missing != 0 && ((load<u8>(missing + (<usize>row >>> 3)) >>> (row & 7)) & 1) != 0);
    const group = absent ? nullIndex : <u32>unsignedAt(data, width, row);
    const slot = firstRows + (<usize>group << 2);
    if (load<u32>(slot) == 0xFFFFFFFF) {
      store<u32>(slot, row);
      remaining--;
    }
  }
}
