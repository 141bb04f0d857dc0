// Aggregates over a column's present values in rows [start, end), optionally restricted to a
// selection bitmap (0 = every row; bit i = row start + i), and grouped aggregates.
//
// Results go to a caller-provided f64[4] at `result`: [sum, count, min, max]. Int sums are
// accumulated in i64 (exact), float sums in f64 in row order (what a JS loop computes).
import { ColumnType, Descriptor, Status, Sentinel, GroupResult } from './abi';
import { get } from './descriptor';
import { bytesEqual, hashBytes } from './strings';
import { textLength, textStart } from './text';

/** Group id of null and missing keys. */
/** groupIds could not fit every distinct key in the table: the caller falls back. */
/** groupIds was given a key column it cannot group (float64, mixed, struct, list). */

/** Which rows of the 64 starting at `row` count: selected, present, and inside [start, end). */
@inline function rowMask(column: usize, selection: usize, start: u32, row: u32, end: u32): u64 {
  const count = min<u32>(64, end - row);
  let mask: u64 = count == 64 ? <u64>-1 : (<u64>1 << count) - 1;
  if (selection != 0) mask &= load<u64>(selection + (<usize>((row - start) >>> 6) << 3));
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
  if (nulls != 0) mask &= ~absoluteBits(nulls, row, count);
  if (missing != 0) mask &= ~absoluteBits(missing, row, count);
  return mask;
}

@inline function absoluteBits(bitmap: usize, from: u32, count: u32): u64 {
  let word: u64 = 0;
  if ((from & 7) == 0) {
    const base = bitmap + (<usize>from >>> 3);
    const bytes = (count + 7) >>> 3;
    for (let b: u32 = 0; b < bytes; b++) word |= <u64>load<u8>(base + b) << (b << 3);
  } else {
    for (let k: u32 = 0; k < count; k++) {
      const bit = from + k;
      word |= <u64>((load<u8>(bitmap + (<usize>bit >>> 3)) >>> (bit & 7)) & 1) << k;
    }
  }
  return word;
}

@inline function intAt(data: usize, width: u32, row: u32): i32 {
  if (width == 1) return <i32>load<i8>(data + <usize>row);
  if (width == 2) return <i32>load<i16>(data + (<usize>row << 1));
  return load<i32>(data + (<usize>row << 2));
}

// Dense int columns (no selection, no absent rows): one SIMD pass for sum, min and max.
// Lane sums widen before they can overflow (i8 pairs → i16 → i32 lanes), and i32 lanes are
// flushed into an i64 total every FLUSH vectors. Lanes are reduced through `lanesScratch`.
const FLUSH: u32 = 16384;
const lanesScratch: usize = memory.data(16, 16);

@inline function laneTotal(lanes: v128): i64 {
  return <i64>i32x4.extract_lane(lanes, 0) + <i64>i32x4.extract_lane(lanes, 1) +
    <i64>i32x4.extract_lane(lanes, 2) + <i64>i32x4.extract_lane(lanes, 3);
}

function reduceLanes<T>(vector: v128, lowest: bool): i32 {
  v128.store(lanesScratch, vector);
  let best = <i32>load<T>(lanesScratch);
  for (let lane: usize = 1; lane < 16 / sizeof<T>(); lane++) {
    const value = <i32>load<T>(lanesScratch + lane * sizeof<T>());
    best = lowest ? min(best, value) : max(best, value);
  }
  return best;
}

function denseInts(data: usize, width: u32, start: u32, end: u32, result: usize): void {
  let total: i64 = 0;
  let lowest: i32 = i32.MAX_VALUE;
  let highest: i32 = i32.MIN_VALUE;
  const perVector: u32 = 16 / width;
  let row = start;
  if (end - start >= perVector) {
    let low = width == 1 ? i8x16.splat(127) : width == 2 ? i16x8.splat(32767) : i32x4.splat(i32.MAX_VALUE);
    let high = width == 1 ? i8x16.splat(-128) : width == 2 ? i16x8.splat(-32768) : i32x4.splat(i32.MIN_VALUE);
    while (row + perVector <= end) {
      let lanes = i32x4.splat(0);
      let wide = i64x2.splat(0);
      const stop = <u32>min<u64>(<u64>end - perVector + 1, <u64>row + <u64>FLUSH * perVector);
      if (width == 1) {
        for (; row < stop; row += 16) {
          const values = v128.load(data + <usize>row);
          lanes = i32x4.add(lanes, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(values)));
          low = i8x16.min_s(low, values);
          high = i8x16.max_s(high, values);
        }
      } else if (width == 2) {
        for (; row < stop; row += 8) {
          const values = v128.load(data + (<usize>row << 1));
          lanes = i32x4.add(lanes, i32x4.extadd_pairwise_i16x8_s(values));
          low = i16x8.min_s(low, values);
          high = i16x8.max_s(high, values);
        }
      } else {
        for (; row < stop; row += 4) {
          const values = v128.load(data + (<usize>row << 2));
          wide = i64x2.add(wide, i64x2.add(i64x2.extend_low_i32x4_s(values), i64x2.extend_high_i32x4_s(values)));
          low = i32x4.min_s(low, values);
          high = i32x4.max_s(high, values);
        }
      }
      total += laneTotal(lanes) + i64x2.extract_lane(wide, 0) + i64x2.extract_lane(wide, 1);
    }
    if (width == 1) { lowest = reduceLanes<i8>(low, true); highest = reduceLanes<i8>(high, false); }
    else if (width == 2) { lowest = reduceLanes<i16>(low, true); highest = reduceLanes<i16>(high, false); }
    else { lowest = reduceLanes<i32>(low, true); highest = reduceLanes<i32>(high, false); }
  }
  for (; row < end; row++) {
    const value = intAt(data, width, row);
    total += <i64>value;
    lowest = min(lowest, value);
    highest = max(highest, value);
  }
  store<f64>(result, <f64>total);
  store<f64>(result, <f64>(end - start), 8);
  store<f64>(result, <f64>lowest, 16);
  store<f64>(result, <f64>highest, 24);
}

/** sum, count, min, max of the present (and selected) values of an int or float64 column. */
export function aggregate(column: usize, selection: usize, start: u32, end: u32, result: usize): i32 {
  const type = get(column, Descriptor.Type);
  if (type != ColumnType.Int && type != ColumnType.Float64) return Status.WrongType;
  const data = <usize>get(column, Descriptor.Data);
  const width = get(column, Descriptor.Width);
  const dense = selection == 0 && get(column, Descriptor.Nulls) == 0 && get(column, Descriptor.Missing) == 0;
  if (type == ColumnType.Int && dense && width != 0) {
    denseInts(data, width, start, end, result);
    return Status.Ok;
  }
  let count: u32 = 0;
  if (type == ColumnType.Int) {
    const constant = <i32>get(column, Descriptor.Constant);
    let sum: i64 = 0;
    let low: i32 = i32.MAX_VALUE;
    let high: i32 = i32.MIN_VALUE;
    for (let row = start; row < end; row += 64) {
      let mask = rowMask(column, selection, start, row, end);
      while (mask != 0) {
        const value = width == 0 ? constant : intAt(data, width, row + <u32>ctz<u64>(mask));
        sum += <i64>value;
        low = min(low, value);
        high = max(high, value);
        count++;
        mask &= mask - 1;
      }
    }
    store<f64>(result, <f64>sum);
    store<f64>(result, <f64>low, 16);
    store<f64>(result, <f64>high, 24);
  } else {
    let sum: f64 = 0;
    let low: f64 = Infinity;
    let high: f64 = -Infinity;
    for (let row = start; row < end; row += 64) {
      let mask = dense ? ((end - row >= 64) ? <u64>-1 : (<u64>1 << (end - row)) - 1) : rowMask(column, selection, start, row, end);
      while (mask != 0) {
        const value = load<f64>(data + (<usize>(row + <u32>ctz<u64>(mask)) << 3));
        sum += value;
        if (value < low || count == 0) low = value;
        if (value > high || count == 0) high = value;
        count++;
        mask &= mask - 1;
      }
    }
    store<f64>(result, sum);
    store<f64>(result, low, 16);
    store<f64>(result, high, 24);
  }
  store<f64>(result, <f64>count, 8);
  return Status.Ok;
}

// ---- groups ------------------------------------------------------------------------------

/**
 * Writes the group id of every row of [start, end) of `key` to `ids` (u32 each):
 * string columns → dictionary code; bool → 0 / 1; int → an id from the hash `table`
 * (`capacity` slots of (key i32, id + 1 u32), a power of two), ids handed out in order of
 * first appearance, `state` = u32[1] holding the next id; text → the same, slots of (the group's
 * first row u32, id + 1 u32), strings compared by bytes. Null and missing → Sentinel.NullGroup.
 * Returns the number of groups, or GroupResult.Overflow when the table would pass half full.
 */
export function groupIds(key: usize, start: u32, end: u32, ids: usize, table: usize, capacity: u32, state: usize): i32 {
  const type = get(key, Descriptor.Type);
  const data = <usize>get(key, Descriptor.Data);
  const width = get(key, Descriptor.Width);
  const nulls = <usize>get(key, Descriptor.Nulls);
  const missing = <usize>get(key, Descriptor.Missing);
  let groups: u32 = 0;
  if (type == ColumnType.String) {
    for (let row = start; row < end; row++) {
      const at = <usize>row;
      const code = width == 0 ? 0 : width == 1 ? <u32>load<u8>(data + at) : width == 2 ? <u32>load<u16>(data + (at << 1)) : load<u32>(data + (at << 2));
      store<u32>(ids + (<usize>(row - start) << 2), code);
    }
    groups = get(key, Descriptor.DictLength);
  } else if (type == ColumnType.Bool) {
    for (let row = start; row < end; row++) {
      store<u32>(ids + (<usize>(row - start) << 2), (<u32>load<u8>(data + (<usize>row >>> 3)) >>> (row & 7)) & 1);
    }
    groups = 2;
  } else if (type == ColumnType.Int) {
    const mask = capacity - 1;
    // Multiplicative hashing keeps its good bits at the top: take the top log2(capacity) bits.
    const shift = clz<u32>(capacity) + 1;
    const constant = <i32>get(key, Descriptor.Constant);
    let next = load<u32>(state);
    for (let row = start; row < end; row++) {
      const value = width == 0 ? constant : intAt(data, width, row);
      let slot = ((<u32>value * 0x9E3779B1) >>> shift) & mask;
      let id: u32 = 0;
      while (true) {
        const entry = table + (<usize>slot << 3);
        const stored = load<u32>(entry, 4);
        if (stored == 0) {
          if ((next + 1) * 2 > capacity) return GroupResult.Overflow;
          store<i32>(entry, value);
          store<u32>(entry, next + 1, 4);
          id = next++;
          break;
        }
        if (load<i32>(entry) == value) {
          id = stored - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      store<u32>(ids + (<usize>(row - start) << 2), id);
    }
    store<u32>(state, next);
    groups = next;
  } else if (type == ColumnType.Text) {
    // Slots of (the group's first row, id + 1): a row's string is compared with that row's.
    const mask = capacity - 1;
    let next = load<u32>(state);
    for (let row = start; row < end; row++) {
      // Absent rows hold no bytes: left out here (they must not found the "" group), marked below.
      if ((nulls != 0 && ((load<u8>(nulls + (<usize>row >>> 3)) >>> (row & 7)) & 1) != 0) ||
        (missing != 0 && ((load<u8>(missing + (<usize>row >>> 3)) >>> (row & 7)) & 1) != 0)) continue;
      const at = textStart(key, row);
      const length = textLength(key, row);
      let slot = hashBytes(at, length) & mask;
      let id: u32 = 0;
      while (true) {
        const entry = table + (<usize>slot << 3);
        const stored = load<u32>(entry, 4);
        if (stored == 0) {
          if ((next + 1) * 2 > capacity) return GroupResult.Overflow;
          store<u32>(entry, row);
          store<u32>(entry, next + 1, 4);
          id = next++;
          break;
        }
        const first = load<u32>(entry);
        if (textLength(key, first) == length && bytesEqual(textStart(key, first), at, length)) {
          id = stored - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      store<u32>(ids + (<usize>(row - start) << 2), id);
    }
    store<u32>(state, next);
    groups = next;
  } else if (type != ColumnType.Null) {
    return GroupResult.WrongType;
  }
  for (let row = start; row < end; row++) {
    const absent = type == ColumnType.Null ||
      (nulls != 0 && ((load<u8>(nulls + (<usize>row >>> 3)) >>> (row & 7)) & 1) != 0) ||
      (missing != 0 && ((load<u8>(missing + (<usize>row >>> 3)) >>> (row & 7)) & 1) != 0);
    if (absent) store<u32>(ids + (<usize>(row - start) << 2), Sentinel.NullGroup);
  }
  return <i32>groups;
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
 * Per group: the sum (f64 per group, row order) and count (f64) of the present values of
 * `value` (an int or float64 column aligned with the key), over selected rows.
 */
export function groupSum(ids: usize, value: usize, selection: usize, start: u32, end: u32, nullIndex: u32, sums: usize, counts: usize): i32 {
  const type = get(value, Descriptor.Type);
  if (type != ColumnType.Int && type != ColumnType.Float64) return Status.WrongType;
  const data = <usize>get(value, Descriptor.Data);
  const width = get(value, Descriptor.Width);
  const constant = <f64><i32>get(value, Descriptor.Constant);
  for (let row = start; row < end; row += 64) {
    let mask = rowMask(value, selection, start, row, end);
    while (mask != 0) {
      const at = row + <u32>ctz<u64>(mask);
      mask &= mask - 1;
      let group = load<u32>(ids + (<usize>(at - start) << 2));
      if (group == Sentinel.NullGroup) group = nullIndex;
      const number = type == ColumnType.Float64 ? load<f64>(data + (<usize>at << 3)) : width == 0 ? constant : <f64>intAt(data, width, at);
      const slot = <usize>group << 3;
      store<f64>(sums + slot, load<f64>(sums + slot) + number);
      store<f64>(counts + slot, load<f64>(counts + slot) + 1);
    }
  }
  return Status.Ok;
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
        const code = width == 0 ? 0 : width == 1 ? <u32>load<u8>(data + at) : width == 2 ? <u32>load<u16>(data + (at << 1)) : load<u32>(data + (at << 2));
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
    const at = <usize>row;
    const group = absent ? nullIndex : width == 0 ? 0 : width == 1 ? <u32>load<u8>(data + at) : width == 2 ? <u32>load<u16>(data + (at << 1)) : load<u32>(data + (at << 2));
    const slot = firstRows + (<usize>group << 2);
    if (load<u32>(slot) == 0xFFFFFFFF) {
      store<u32>(slot, row);
      remaining--;
    }
  }
}
