// Scans: a column test over rows [start, end) into a selection bitmap — int ranges (as ranges
// of the column's unsigned deltas), float bounds, dictionary codes (a lookup table, or one code), text, bools, list lengths — and presence:
// the null or missing rows (scanPresence), and clearing them from a value scan's result
// (maskPresent: value scans do not look at presence).
//
// Selection bitmaps are u64 words; bit i of the output is row `start + i` (relative to the
// range, so a block of rows can be scanned on its own). They are sized by the caller to
// ceil((end - start) / 64) words. Column presence bitmaps (NULLS, MISSING) are absolute:
// bit `row` of byte `row >> 3`. The operations on selection bitmaps are in bitmap.ts, the
// first-match searches built on these compares in first.ts.
import { ColumnType, Descriptor, Status, TextTest } from './abi';
import { get, getBase } from './descriptor';
import { fillRange, copyBits, andNotBits } from './bitmap';
import { textEqualsWord, textPasses, textTail } from './text';
import { fsstRowEquals, literalCodes, symbolsOf } from './fsst';
import { unsignedAt, widthMax } from './widths';
import { isSparse, sparsePresence } from './sparse';

// ---- value scans -------------------------------------------------------------------------

function scanUnsignedOf<T>(data: usize, lo: u64, hi: u64, start: u32, end: u32, out: usize): void {
  let row = start;
  // Whole 64-row words with SIMD compares: 64 / lanes vectors per word.
  const lanes = <u32>(16 / sizeof<T>());
  const lowVector = splatOf<T>(lo);
  const highVector = splatOf<T>(hi);
  const single = lo == hi;
  for (; row + 64 <= end; row += 64) {
    let word: u64 = 0;
    for (let v: u32 = 0; v < 64; v += lanes) {
      const inside = unsignedInside<T>(v128.load(data + (<usize>(row + v)) * sizeof<T>()), lowVector, highVector, single);
      const bits = sizeof<T>() == 1 ? <u32>i8x16.bitmask(inside) : sizeof<T>() == 2 ? <u32>i16x8.bitmask(inside) : sizeof<T>() == 4 ? <u32>i32x4.bitmask(inside) : <u32>i64x2.bitmask(inside);
      word |= <u64>bits << v;
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
  for (; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    let word: u64 = 0;
    for (let k: u32 = 0; k < count; k++) {
      const value = <u64>load<T>(data + ((<usize>(row + k)) * sizeof<T>()));
      word |= <u64>(value >= lo && value <= hi) << k;
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
}

/** `value` in every lane of a vector of T (a bound already within T's range). */
@inline export function splatOf<T>(value: u64): v128 {
  if (sizeof<T>() == 1) return i8x16.splat(<i8>value);
  if (sizeof<T>() == 2) return i16x8.splat(<i16>value);
  if (sizeof<T>() == 4) return i32x4.splat(<i32>value);
  return i64x2.splat(<i64>value);
}

/** Lanes of unsigned T within [low, high] (8-byte deltas are below 2^63: signed compares order them). */
@inline export function unsignedInside<T>(values: v128, low: v128, high: v128, single: bool): v128 {
  // eq(n) is the range [n, n]: one compare instead of two and an and.
  if (sizeof<T>() == 1) return single ? i8x16.eq(values, low) : v128.and(i8x16.ge_u(values, low), i8x16.le_u(values, high));
  if (sizeof<T>() == 2) return single ? i16x8.eq(values, low) : v128.and(i16x8.ge_u(values, low), i16x8.le_u(values, high));
  if (sizeof<T>() == 4) return single ? i32x4.eq(values, low) : v128.and(i32x4.ge_u(values, low), i32x4.le_u(values, high));
  return single ? i64x2.eq(values, low) : v128.and(i64x2.ge_s(values, low), i64x2.le_s(values, high));
}

/** Set by deltaRange: the deltas [rangeLo, rangeHi] whose values lie in the int range asked. */
export let rangeLo: u64 = 0;
export let rangeHi: u64 = 0;

/**
 * The deltas of an int column whose values lie in [lo, hi] (ints as doubles; any double is
 * taken, NaN matching nothing), clamped to what its width holds: false when no delta can.
 */
export function deltaRange(column: usize, lo: f64, hi: f64): bool {
  if (!(lo <= hi)) return false;
  // Within ±2^54 (beyond every value) the conversions below are exact and cannot trap.
  const low = <i64>ceil(max(lo, -18014398509481984.0)) - getBase(column);
  const high = <i64>floor(min(hi, 18014398509481984.0)) - getBase(column);
  const largest = widthMax(get(column, Descriptor.Width));
  if (high < 0 || (low > 0 && <u64>low > largest)) return false;
  rangeLo = low < 0 ? 0 : <u64>low;
  rangeHi = <u64>high > largest ? largest : <u64>high;
  return true;
}

/** Rows whose int value lies in [lo, hi] (float columns: use scanFloatRange). */
export function scanIntRange(column: usize, lo: f64, hi: f64, start: u32, end: u32, out: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Int) return Status.WrongType;
  const width = get(column, Descriptor.Width);
  const any = deltaRange(column, lo, hi);
  // Width 0: every row holds the base, which is in range when delta 0 is.
  if (!any || width == 0) fillRange(out, end - start, any);
  else scanUnsignedOfWidth(width, <usize>get(column, Descriptor.Data), rangeLo, rangeHi, start, end, out);
  return Status.Ok;
}

/** scanUnsignedOf for values of `width` bytes (1, 2, 4 or 8): int deltas, and dictionary codes. */
function scanUnsignedOfWidth(width: u32, data: usize, lo: u64, hi: u64, start: u32, end: u32, out: usize): void {
  if (width == 1) scanUnsignedOf<u8>(data, lo, hi, start, end, out);
  else if (width == 2) scanUnsignedOf<u16>(data, lo, hi, start, end, out);
  else if (width == 4) scanUnsignedOf<u32>(data, lo, hi, start, end, out);
  else scanUnsignedOf<u64>(data, lo, hi, start, end, out);
}

/** Rows whose float64 value lies between lo and hi; flags bit 0: lo exclusive, bit 1: hi exclusive. */
export function scanFloatRange(column: usize, lo: f64, hi: f64, flags: u32, start: u32, end: u32, out: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Float64) return Status.WrongType;
  const data = <usize>get(column, Descriptor.Data);
  const loOpen = (flags & 1) != 0;
  const hiOpen = (flags & 2) != 0;
  for (let row = start; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    let word: u64 = 0;
    for (let k: u32 = 0; k < count; k++) {
      const value = load<f64>(data + (<usize>(row + k) << 3));
      const aboveLo = loOpen ? value > lo : value >= lo;
      const belowHi = hiOpen ? value < hi : value <= hi;
      word |= <u64>(aboveLo && belowHi) << k;
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
  return Status.Ok;
}

/**
 * Rows of a string column whose code is marked in `lut` (one byte per dictionary code,
 * non-zero = match): equality, `in` and string comparisons all resolve to codes once.
 */
export function scanCodes(column: usize, lut: usize, start: u32, end: u32, out: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.String) return Status.WrongType;
  const data = <usize>get(column, Descriptor.Data);
  const width = get(column, Descriptor.Width);
  if (width == 0) {
    fillRange(out, end - start, get(column, Descriptor.DictLength) > 0 && load<u8>(lut) != 0);
    return Status.Ok;
  }
  if (width == 1 && get(column, Descriptor.DictLength) <= 16) {
    scanSmallDictionary(data, lut, start, end, out);
    return Status.Ok;
  }
  for (let row = start; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    let word: u64 = 0;
    for (let k: u32 = 0; k < count; k++) {
      word |= <u64>(load<u8>(lut + <usize>unsignedAt(data, width, row + k)) != 0) << k;
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
  return Status.Ok;
}

/**
 * Rows of a string column holding one given code: equality, the common string test, compares
 * codes directly (SIMD, no lookup table to copy in), as an int scan over the code's width.
 */
export function scanCodeEquals(column: usize, code: u32, start: u32, end: u32, out: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.String) return Status.WrongType;
  const data = <usize>get(column, Descriptor.Data);
  const width = get(column, Descriptor.Width);
  if (width == 0 || <u64>code > widthMax(width)) fillRange(out, end - start, code == 0 && get(column, Descriptor.DictLength) > 0);
  else scanUnsignedOfWidth(width, data, code, code, start, end, out);
  return Status.Ok;
}

/**
 * u8 codes of a dictionary of at most 16 strings: the lookup table fits one SIMD register and
 * `swizzle` answers 16 rows per instruction.
 */
function scanSmallDictionary(data: usize, lut: usize, start: u32, end: u32, out: usize): void {
  // The caller's lut has at least 16 bytes; codes past the dictionary never occur.
  const table = i8x16.ne(v128.load(lut), i8x16.splat(0));
  let row = start;
  for (; row + 64 <= end; row += 64) {
    const base = data + <usize>row;
    const m0 = <u64>(<u32>i8x16.bitmask(i8x16.swizzle(table, v128.load(base))) & 0xFFFF);
    const m1 = <u64>(<u32>i8x16.bitmask(i8x16.swizzle(table, v128.load(base, 16))) & 0xFFFF);
    const m2 = <u64>(<u32>i8x16.bitmask(i8x16.swizzle(table, v128.load(base, 32))) & 0xFFFF);
    const m3 = <u64>(<u32>i8x16.bitmask(i8x16.swizzle(table, v128.load(base, 48))) & 0xFFFF);
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), m0 | (m1 << 16) | (m2 << 32) | (m3 << 48));
  }
  if (row < end) {
    let word: u64 = 0;
    for (let k: u32 = 0; row + k < end; k++) {
      word |= <u64>(load<u8>(lut + <usize>load<u8>(data + <usize>(row + k))) != 0) << k;
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
}

/**
 * Rows of a text column whose string passes a TextTest (`flags`) against the WTF-8 literals
 * `lo` and `hi`: equality compares lengths, then the last 8 bytes, then all (textEquals), ranges follow
 * UTF-16 order (text.ts). On a compressed column (fsst.ts) equality takes `hi`, `hiLength` as room
 * for the literal's codes (at least twice its length: else rows are compared symbol by symbol) and
 * ranges answer WrongType.
 */
export function scanText(column: usize, lo: usize, loLength: u32, hi: usize, hiLength: u32, flags: u32, start: u32, end: u32, out: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Text) return Status.WrongType;
  const table = symbolsOf(column);
  if (table != 0) {
    // Compressed (fsst.ts): equality on the codes (the literal's, encoded into `hi`, the room the
    // facade leaves after it; or symbol by symbol); ranges need the bytes, which the facade reads.
    if ((flags & TextTest.Equal) == 0) return Status.WrongType;
    const heap = <usize>get(column, Descriptor.Heap);
    const offsets = <usize>get(column, Descriptor.Data);
    const codes = literalCodes(table, lo, loLength, hi, hiLength);
    if (codes >= 0) return scanTextEquals(heap, offsets, hi, <u32>codes, start, end, out);
    for (let row = start; row < end; row += 64) {
      const count = min<u32>(64, end - row);
      let word: u64 = 0;
      for (let k: u32 = 0; k < count; k++) word |= <u64>fsstRowEquals(table, heap, offsets, row + k, lo, loLength) << k;
      store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
    }
    return Status.Ok;
  }
  if ((flags & TextTest.Equal) != 0) return scanTextEquals(<usize>get(column, Descriptor.Heap), <usize>get(column, Descriptor.Data), lo, loLength, start, end, out);
  for (let row = start; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    let word: u64 = 0;
    for (let k: u32 = 0; k < count; k++) word |= <u64>textPasses(column, row + k, lo, loLength, hi, hiLength, flags) << k;
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
  return Status.Ok;
}

/** Rows [start, end) of a text column's heap and offsets whose bytes (or codes) are the `length` at `lo`, 64 a word. */
function scanTextEquals(heap: usize, offsets: usize, lo: usize, length: u32, start: u32, end: u32, out: usize): i32 {
  const tail = textTail(lo, length);
  for (let row = start; row < end; row += 64) {
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), textEqualsWord(heap, offsets, row, min<u32>(64, end - row), lo, length, tail));
  }
  return Status.Ok;
}

/** Rows of a bool column equal to `wanted`. */
export function scanBool(column: usize, wanted: bool, start: u32, end: u32, out: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Bool) return Status.WrongType;
  copyBits(<usize>get(column, Descriptor.Data), start, end, out, !wanted);
  return Status.Ok;
}

/** Rows of a list column whose length lies in [lo, hi]. */
export function scanListLength(column: usize, lo: u32, hi: u32, start: u32, end: u32, out: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.List) return Status.WrongType;
  const offsets = <usize>get(column, Descriptor.Data);
  for (let row = start; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    let word: u64 = 0;
    for (let k: u32 = 0; k < count; k++) {
      const at = offsets + (<usize>(row + k) << 2);
      const length = load<u32>(at + 4) - load<u32>(at);
      word |= <u64>(length >= lo && length <= hi) << k;
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
  return Status.Ok;
}

// ---- presence ----------------------------------------------------------------------------

/** Clears null and missing rows: value predicates never match them. */
export function maskPresent(column: usize, start: u32, end: u32, out: usize): void {
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
  if (get(column, Descriptor.Type) == ColumnType.Null) {
    fillRange(out, end - start, false); // every present row of a null column is null
    return;
  }
  if (nulls != 0) andNotBits(nulls, start, end, out);
  if (missing != 0) andNotBits(missing, start, end, out);
}

/** Rows that are null (which = 0) or missing (which = 1). */
export function scanPresence(column: usize, which: u32, start: u32, end: u32, out: usize): void {
  if (isSparse(column)) {
    sparsePresence(column, which, start, end, out);
    return;
  }
  const missing = <usize>get(column, Descriptor.Missing);
  if (which == 0 && get(column, Descriptor.Type) == ColumnType.Null) {
    // Present rows of a null column are the null ones.
    if (missing == 0) fillRange(out, end - start, true);
    else copyBits(missing, start, end, out, true);
    return;
  }
  const bitmap = which == 0 ? <usize>get(column, Descriptor.Nulls) : missing;
  if (bitmap == 0) fillRange(out, end - start, false);
  else copyBits(bitmap, start, end, out, false);
}
