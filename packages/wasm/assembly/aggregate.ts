// Aggregates over a column's present values in rows [start, end), optionally restricted to a
// selection bitmap (0 = every row; bit i = row start + i): sum, count, min, max. Grouped
// aggregates are in groups.ts.
//
// Results go to a caller-provided block at `result` (AggregateResult in abi.ts). Int columns
// sum their unsigned deltas exactly, in 128 bits (2^32 rows of 8-byte deltas pass 2^64), and
// leave count × base to the caller, which adds the two exactly (the facade: BigInt) and rounds
// once: the true sum when a double holds it, else the double nearest it. Float sums are f64 in
// row order (what a JS loop computes).
import { AggregateResult, ColumnType, Descriptor, Status } from './abi';
import { get, getBase } from './descriptor';
import { unsignedAt } from './widths';

/** Which rows of the 64 starting at `row` count: selected, present, and inside [start, end). */
@inline export function rowMask(column: usize, selection: usize, start: u32, row: u32, end: u32): u64 {
  const count = min<u32>(64, end - row);
  let mask: u64 = count == 64 ? <u64>-1 : (<u64>1 << count) - 1;
  if (selection != 0) mask &= load<u64>(selection + (<usize>((row - start) >>> 6) << 3));
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
  if (nulls != 0) mask &= ~absoluteBits(nulls, row, count);
  if (missing != 0) mask &= ~absoluteBits(missing, row, count);
  return mask;
}

@inline export function absoluteBits(bitmap: usize, from: u32, count: u32): u64 {
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

// The sum of deltas being taken, a u128 (low, high): one aggregate at a time.
let deltaSumLow: u64 = 0;
let deltaSumHigh: u64 = 0;

@inline function addDelta(delta: u64): void {
  const next = deltaSumLow + delta;
  deltaSumHigh += <u64>(next < deltaSumLow);
  deltaSumLow = next;
}

// Dense delta columns (no selection, no absent rows) of 1, 2 or 4 bytes: one SIMD pass for sum,
// min and max. Lane sums widen before they can overflow (u8 pairs → i16 → i32 lanes; biased u16
// pairs → i32 lanes), and i32 lanes are flushed into the u64 total every FLUSH vectors
// (2 × 32,768 × 16,384 = 2^30 per lane at most); with fewer than 2^32 rows of deltas below 2^32
// the total stays below 2^64. Lanes are reduced through `lanesScratch`.
const FLUSH: u32 = 16384;
const lanesScratch: usize = memory.data(16, 16);

/** The four i32 lanes' sum (signed lanes: see denseDeltas). */
@inline function laneTotal(lanes: v128): i64 {
  return <i64>i32x4.extract_lane(lanes, 0) + <i64>i32x4.extract_lane(lanes, 1) +
    <i64>i32x4.extract_lane(lanes, 2) + <i64>i32x4.extract_lane(lanes, 3);
}

function reduceLanes<T>(vector: v128, lowest: bool): u64 {
  v128.store(lanesScratch, vector);
  let best = <u64>load<T>(lanesScratch);
  for (let lane: usize = 1; lane < 16 / sizeof<T>(); lane++) {
    const value = <u64>load<T>(lanesScratch + lane * sizeof<T>());
    best = lowest ? min(best, value) : max(best, value);
  }
  return best;
}

/** Sum (into deltaSumLow), min and max of the deltas of rows [start, end): widths 1, 2, 4. */
function denseDeltas(data: usize, width: u32, start: u32, end: u32): void {
  let total: u64 = 0;
  let lowest: u64 = <u64>-1;
  let highest: u64 = 0;
  const perVector: u32 = 16 / width;
  let row = start;
  if (end - start >= perVector) {
    let low = i8x16.splat(-1);
    let high = i8x16.splat(0);
    // The signed pairwise adds are the native ones (x86's pmaddwd; the unsigned i16 form is a
    // sequence of several): u8 pairs sum to at most 510, which an i16 holds as signed; u16 deltas
    // are summed biased by -32768 (one xor), the bias added back per flush.
    const bias = i16x8.splat(-32768);
    while (row + perVector <= end) {
      let lanes = i32x4.splat(0);
      let wide = i64x2.splat(0);
      const from = row;
      const stop = <u32>min<u64>(<u64>end - perVector + 1, <u64>row + <u64>FLUSH * perVector);
      if (width == 1) {
        for (; row < stop; row += 16) {
          const values = v128.load(data + <usize>row);
          lanes = i32x4.add(lanes, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_u(values)));
          low = i8x16.min_u(low, values);
          high = i8x16.max_u(high, values);
        }
      } else if (width == 2) {
        // Two vectors a step: the loop's own work is shared by 16 rows.
        for (; row + 8 < stop; row += 16) {
          const at = data + (<usize>row << 1);
          const first = v128.load(at);
          const second = v128.load(at, 16);
          lanes = i32x4.add(lanes, i32x4.add(i32x4.extadd_pairwise_i16x8_s(v128.xor(first, bias)), i32x4.extadd_pairwise_i16x8_s(v128.xor(second, bias))));
          low = i16x8.min_u(low, i16x8.min_u(first, second));
          high = i16x8.max_u(high, i16x8.max_u(first, second));
        }
        for (; row < stop; row += 8) {
          const values = v128.load(data + (<usize>row << 1));
          lanes = i32x4.add(lanes, i32x4.extadd_pairwise_i16x8_s(v128.xor(values, bias)));
          low = i16x8.min_u(low, values);
          high = i16x8.max_u(high, values);
        }
      } else {
        for (; row < stop; row += 4) {
          const values = v128.load(data + (<usize>row << 2));
          wide = i64x2.add(wide, i64x2.add(i64x2.extend_low_i32x4_u(values), i64x2.extend_high_i32x4_u(values)));
          low = i32x4.min_u(low, values);
          high = i32x4.max_u(high, values);
        }
      }
      const unbias = width == 2 ? <i64>(row - from) << 15 : 0;
      total += <u64>(laneTotal(lanes) + unbias) + <u64>i64x2.extract_lane(wide, 0) + <u64>i64x2.extract_lane(wide, 1);
    }
    if (width == 1) { lowest = reduceLanes<u8>(low, true); highest = reduceLanes<u8>(high, false); }
    else if (width == 2) { lowest = reduceLanes<u16>(low, true); highest = reduceLanes<u16>(high, false); }
    else { lowest = reduceLanes<u32>(low, true); highest = reduceLanes<u32>(high, false); }
  }
  for (; row < end; row++) {
    const delta = unsignedAt(data, width, row);
    total += delta;
    lowest = min(lowest, delta);
    highest = max(highest, delta);
  }
  deltaSumLow = total;
  smallestDelta = lowest;
  largestDelta = highest;
}

let smallestDelta: u64 = 0;
let largestDelta: u64 = 0;

/**
 * Sum (into deltaSumLow/High), min and max of the deltas (`T`: their width) of the selected,
 * present rows of [start, end); returns how many. Deltas of up to 4 bytes are added 64 rows at a
 * time in a u64 (64 × (2^32 - 1) cannot overflow it) and carried into the u128 once per 64 rows;
 * 8-byte ones carry at every add. One loop per width: no width dispatch per row.
 */
function maskedDeltas<T>(column: usize, data: usize, selection: usize, start: u32, end: u32): u32 {
  let lowest: u64 = <u64>-1;
  let highest: u64 = 0;
  let count: u32 = 0;
  for (let row = start; row < end; row += 64) {
    let mask = rowMask(column, selection, start, row, end);
    if (mask == 0) continue;
    count += <u32>popcnt<u64>(mask);
    let partial: u64 = 0;
    while (mask != 0) {
      const delta = <u64>load<T>(data + (<usize>(row + <u32>ctz<u64>(mask)) << alignof<T>()));
      if (sizeof<T>() == 8) addDelta(delta);
      else partial += delta;
      lowest = min(lowest, delta);
      highest = max(highest, delta);
      mask &= mask - 1;
    }
    if (sizeof<T>() != 8) addDelta(partial);
  }
  smallestDelta = lowest;
  largestDelta = highest;
  return count;
}

/** sum, count, min, max of the present (and selected) values of an int or float64 column. */
export function aggregate(column: usize, selection: usize, start: u32, end: u32, result: usize): i32 {
  const type = get(column, Descriptor.Type);
  if (type != ColumnType.Int && type != ColumnType.Float64) return Status.WrongType;
  const data = <usize>get(column, Descriptor.Data);
  const width = get(column, Descriptor.Width);
  const dense = selection == 0 && get(column, Descriptor.Nulls) == 0 && get(column, Descriptor.Missing) == 0;
  let count: u32 = 0;
  if (type == ColumnType.Int) {
    deltaSumLow = 0;
    deltaSumHigh = 0;
    if (dense && width != 8) {
      // Width 0: every delta is 0.
      if (width != 0) denseDeltas(data, width, start, end);
      else smallestDelta = largestDelta = 0;
      count = end - start;
    } else if (width == 1) count = maskedDeltas<u8>(column, data, selection, start, end);
    else if (width == 2) count = maskedDeltas<u16>(column, data, selection, start, end);
    else if (width == 4) count = maskedDeltas<u32>(column, data, selection, start, end);
    else if (width == 8) count = maskedDeltas<u64>(column, data, selection, start, end);
    else {
      // Width 0: every counted delta is 0.
      for (let row = start; row < end; row += 64) count += <u32>popcnt<u64>(rowMask(column, selection, start, row, end));
      smallestDelta = largestDelta = 0;
    }
    const base = getBase(column);
    store<f64>(result + AggregateResult.Sum, 0);
    store<f64>(result + AggregateResult.Min, <f64>(base + <i64>smallestDelta));
    store<f64>(result + AggregateResult.Max, <f64>(base + <i64>largestDelta));
    store<u64>(result + AggregateResult.DeltaSumLow, deltaSumLow);
    store<u64>(result + AggregateResult.DeltaSumHigh, deltaSumHigh);
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
    store<f64>(result + AggregateResult.Sum, sum);
    store<f64>(result + AggregateResult.Min, low);
    store<f64>(result + AggregateResult.Max, high);
  }
  store<f64>(result + AggregateResult.Count, <f64>count);
  return Status.Ok;
}
