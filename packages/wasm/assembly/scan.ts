// Scans: predicates over a column's rows [start, end) into a selection bitmap, and the
// bitmap algebra that combines them.
//
// Selection bitmaps are u64 words; bit i of the output is row `start + i` (relative to the
// range, so a block of rows can be scanned on its own). They are sized by the caller to
// ceil((end - start) / 64) words. Column presence bitmaps (NULLS, MISSING) are absolute:
// bit `row` of byte `row >> 3`.
//
// Value scans do not look at presence; `maskPresent` clears null and missing rows after.
import { ColumnType, Descriptor, Status } from './abi';
import { get } from './column';


@inline function words(bits: u32): u32 {
  return (bits + 63) >>> 6;
}

// ---- value scans -------------------------------------------------------------------------

function scanIntRangeOf<T>(data: usize, lo: i32, hi: i32, start: u32, end: u32, out: usize): void {
  let row = start;
  // Whole 64-row words with SIMD compares: 64 / lanes vectors per word.
  const lanes = <u32>(16 / sizeof<T>());
  // Bounds outside the stored type's range clamp to it; a range entirely outside matches nothing.
  if (lo > maxOf<T>() || hi < minOf<T>()) {
    fillRange(out, end - start, false);
    return;
  }
  const lowVector = sizeof<T>() == 1 ? i8x16.splat(<i8>max(lo, minOf<T>())) : sizeof<T>() == 2 ? i16x8.splat(<i16>max(lo, minOf<T>())) : i32x4.splat(lo);
  const highVector = sizeof<T>() == 1 ? i8x16.splat(<i8>min(hi, maxOf<T>())) : sizeof<T>() == 2 ? i16x8.splat(<i16>min(hi, maxOf<T>())) : i32x4.splat(hi);
  const single = lo == hi;
  for (; row + 64 <= end; row += 64) {
    let word: u64 = 0;
    for (let v: u32 = 0; v < 64; v += lanes) {
      const inside = intInside<T>(v128.load(data + (<usize>(row + v)) * sizeof<T>()), lowVector, highVector, single);
      const bits = sizeof<T>() == 1 ? <u32>i8x16.bitmask(inside) : sizeof<T>() == 2 ? <u32>i16x8.bitmask(inside) : <u32>i32x4.bitmask(inside);
      word |= <u64>bits << v;
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
  for (; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    let word: u64 = 0;
    for (let k: u32 = 0; k < count; k++) {
      const value = <i32>load<T>(data + ((<usize>(row + k)) * sizeof<T>()));
      word |= <u64>(value >= lo && value <= hi) << k;
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
}

@inline function minOf<T>(): i32 {
  return sizeof<T>() == 1 ? -128 : sizeof<T>() == 2 ? -32768 : i32.MIN_VALUE;
}

@inline function maxOf<T>(): i32 {
  return sizeof<T>() == 1 ? 127 : sizeof<T>() == 2 ? 32767 : i32.MAX_VALUE;
}

/** Rows whose int value lies in [lo, hi] (float columns: use scanFloatRange). */
export function scanIntRange(column: usize, lo: i32, hi: i32, start: u32, end: u32, out: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Int) return Status.WrongType;
  const data = <usize>get(column, Descriptor.Data);
  const width = get(column, Descriptor.Width);
  if (width == 0) {
    const constant = <i32>get(column, Descriptor.Constant);
    fillRange(out, end - start, constant >= lo && constant <= hi);
  } else {
    scanIntRangeOfWidth(width, data, lo, hi, start, end, out);
  }
  return Status.Ok;
}

/** scanIntRangeOf for values of `width` bytes (1, 2 or 4): int columns, and dictionary codes. */
function scanIntRangeOfWidth(width: u32, data: usize, lo: i32, hi: i32, start: u32, end: u32, out: usize): void {
  if (width == 1) scanIntRangeOf<i8>(data, lo, hi, start, end, out);
  else if (width == 2) scanIntRangeOf<i16>(data, lo, hi, start, end, out);
  else scanIntRangeOf<i32>(data, lo, hi, start, end, out);
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
      const at = <usize>(row + k);
      const code = width == 1 ? <u32>load<u8>(data + at) : width == 2 ? <u32>load<u16>(data + (at << 1)) : load<u32>(data + (at << 2));
      word |= <u64>(load<u8>(lut + code) != 0) << k;
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
  return Status.Ok;
}

/** A dictionary code as the signed int of its column's width: equality is the same bits either way. */
@inline function signedCode(code: u32, width: u32): i32 {
  return width == 1 ? <i32><i8>code : width == 2 ? <i32><i16>code : <i32>code;
}

/**
 * Rows of a string column holding one given code: equality, the common string test, compares
 * codes directly (SIMD, no lookup table to copy in), as an int scan over the code's width.
 */
export function scanCodeEquals(column: usize, code: u32, start: u32, end: u32, out: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.String) return Status.WrongType;
  const data = <usize>get(column, Descriptor.Data);
  const width = get(column, Descriptor.Width);
  const value = signedCode(code, width);
  if (width == 0) fillRange(out, end - start, code == 0 && get(column, Descriptor.DictLength) > 0);
  else scanIntRangeOfWidth(width, data, value, value, start, end, out);
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

/** 64 bits of an absolute byte bitmap from bit `from`, any alignment; bits past `end` are 0. */
@inline function bitsAt(bitmap: usize, from: u32, end: u32): u64 {
  const count = min<u32>(64, end - from);
  let word: u64 = 0;
  if ((from & 7) == 0) {
    const bytes = (count + 7) >>> 3;
    const base = bitmap + (<usize>from >>> 3);
    for (let b: u32 = 0; b < bytes; b++) word |= <u64>load<u8>(base + b) << (b << 3);
  } else {
    for (let k: u32 = 0; k < count; k++) {
      const bit = from + k;
      word |= <u64>((load<u8>(bitmap + (<usize>bit >>> 3)) >>> (bit & 7)) & 1) << k;
    }
  }
  if (count < 64) word &= (<u64>1 << count) - 1;
  return word;
}

function copyBits(bitmap: usize, start: u32, end: u32, out: usize, invert: bool): void {
  for (let row = start; row < end; row += 64) {
    let word = bitsAt(bitmap, row, end);
    if (invert) {
      const count = min<u32>(64, end - row);
      word = ~word & (count == 64 ? <u64>-1 : (<u64>1 << count) - 1);
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
}

function andNotBits(bitmap: usize, start: u32, end: u32, out: usize): void {
  for (let row = start; row < end; row += 64) {
    const at = out + (<usize>((row - start) >>> 6) << 3);
    store<u64>(at, load<u64>(at) & ~bitsAt(bitmap, row, end));
  }
}

// ---- bitmap algebra ----------------------------------------------------------------------

/** Sets the first `bits` bits of `out` to `value`, and clears the rest of the last word. */
export function fillRange(out: usize, bits: u32, value: bool): void {
  const count = words(bits);
  for (let w: u32 = 0; w < count; w++) store<u64>(out + (<usize>w << 3), value ? <u64>-1 : 0);
  if (value && (bits & 63) != 0) store<u64>(out + (<usize>(count - 1) << 3), (<u64>1 << (bits & 63)) - 1);
}

export function bitmapAnd(out: usize, other: usize, bits: u32): void {
  const count = words(bits);
  for (let w: u32 = 0; w < count; w++) {
    const at = <usize>w << 3;
    store<u64>(out + at, load<u64>(out + at) & load<u64>(other + at));
  }
}

export function bitmapOr(out: usize, other: usize, bits: u32): void {
  const count = words(bits);
  for (let w: u32 = 0; w < count; w++) {
    const at = <usize>w << 3;
    store<u64>(out + at, load<u64>(out + at) | load<u64>(other + at));
  }
}

/** Complement within the first `bits` bits (the rest stays clear). */
export function bitmapNot(out: usize, bits: u32): void {
  const count = words(bits);
  for (let w: u32 = 0; w < count; w++) {
    const at = out + (<usize>w << 3);
    store<u64>(at, ~load<u64>(at));
  }
  if ((bits & 63) != 0) {
    const last = out + (<usize>(count - 1) << 3);
    store<u64>(last, load<u64>(last) & ((<u64>1 << (bits & 63)) - 1));
  }
}

export function bitmapCount(bitmap: usize, bits: u32): u32 {
  const count = words(bits);
  let total: u64 = 0;
  for (let w: u32 = 0; w < count; w++) total += popcnt<u64>(load<u64>(bitmap + (<usize>w << 3)));
  return <u32>total;
}

/** Index of the first set bit, or -1. */
export function bitmapFirst(bitmap: usize, bits: u32): i32 {
  const count = words(bits);
  for (let w: u32 = 0; w < count; w++) {
    const word = load<u64>(bitmap + (<usize>w << 3));
    if (word != 0) return <i32>((w << 6) + <u32>ctz<u64>(word));
  }
  return -1;
}

// ---- first match -------------------------------------------------------------------------
//
// Selection.first() on a single column test: the first present matching row of [start, end),
// or -1 (-2: the column is of another type). Int and string tests run SIMD compares over 64
// rows at a time and stop at the first block with a candidate; float and bool tests scan
// chunks of 64 rows doubling up to 65,536 into `scratch` (a bitmap of end - start rows at most).
// Either way the cost follows the match's position, and one call from JS covers the column.

@inline function isPresentRow(nulls: usize, missing: usize, row: u32): bool {
  const at = <usize>(row >>> 3);
  const bit = row & 7;
  return (nulls == 0 || ((<u32>load<u8>(nulls + at) >>> bit) & 1) == 0) && (missing == 0 || ((<u32>load<u8>(missing + at) >>> bit) & 1) == 0);
}

/** The first present row of [from, end), or -1 (a constant column's test matched every value). */
function firstPresent(nulls: usize, missing: usize, from: u32, end: u32): i32 {
  for (let row = from; row < end; row++) if (isPresentRow(nulls, missing, row)) return <i32>row;
  return -1;
}

@inline function intInside<T>(values: v128, low: v128, high: v128, single: bool): v128 {
  // eq(n) is the range [n, n]: one compare instead of two and an and.
  if (sizeof<T>() == 1) return single ? i8x16.eq(values, low) : v128.and(i8x16.ge_s(values, low), i8x16.le_s(values, high));
  if (sizeof<T>() == 2) return single ? i16x8.eq(values, low) : v128.and(i16x8.ge_s(values, low), i16x8.le_s(values, high));
  return single ? i32x4.eq(values, low) : v128.and(i32x4.ge_s(values, low), i32x4.le_s(values, high));
}

function firstIntOf<T>(data: usize, lo: i32, hi: i32, start: u32, end: u32, nulls: usize, missing: usize): i32 {
  if (lo > maxOf<T>() || hi < minOf<T>()) return -1;
  const low = sizeof<T>() == 1 ? i8x16.splat(<i8>max(lo, minOf<T>())) : sizeof<T>() == 2 ? i16x8.splat(<i16>max(lo, minOf<T>())) : i32x4.splat(lo);
  const high = sizeof<T>() == 1 ? i8x16.splat(<i8>min(hi, maxOf<T>())) : sizeof<T>() == 2 ? i16x8.splat(<i16>min(hi, maxOf<T>())) : i32x4.splat(hi);
  const step = <u32>(64 / sizeof<T>()); // rows in four vectors
  const single = lo == hi;
  let row = start;
  while (row < end) {
    if (end - row >= step) {
      const base = data + (<usize>row) * sizeof<T>();
      const any = v128.or(
        v128.or(intInside<T>(v128.load(base), low, high, single), intInside<T>(v128.load(base, 16), low, high, single)),
        v128.or(intInside<T>(v128.load(base, 32), low, high, single), intInside<T>(v128.load(base, 48), low, high, single)),
      );
      if (!v128.any_true(any)) {
        row += step;
        continue;
      }
    }
    // A candidate in these rows (or the tail): find it, and check it is present.
    const stop = end - row > step ? row + step : end;
    for (; row < stop; row++) {
      const value = <i32>load<T>(data + (<usize>row) * sizeof<T>());
      if (value >= lo && value <= hi && isPresentRow(nulls, missing, row)) return <i32>row;
    }
  }
  return -1;
}

export function firstIntRange(column: usize, lo: i32, hi: i32, start: u32, end: u32, scratch: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Int) return -2;
  const data = <usize>get(column, Descriptor.Data);
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
  const width = get(column, Descriptor.Width);
  if (width == 0) {
    const constant = <i32>get(column, Descriptor.Constant);
    return constant >= lo && constant <= hi ? firstPresent(nulls, missing, start, end) : -1;
  }
  return firstIntOfWidth(width, data, lo, hi, start, end, nulls, missing);
}

/** firstIntOf for values of `width` bytes (1, 2 or 4): int columns, and dictionary codes. */
function firstIntOfWidth(width: u32, data: usize, lo: i32, hi: i32, start: u32, end: u32, nulls: usize, missing: usize): i32 {
  if (width == 1) return firstIntOf<i8>(data, lo, hi, start, end, nulls, missing);
  if (width == 2) return firstIntOf<i16>(data, lo, hi, start, end, nulls, missing);
  return firstIntOf<i32>(data, lo, hi, start, end, nulls, missing);
}

export function firstCodes(column: usize, lut: usize, start: u32, end: u32, scratch: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.String) return -2;
  const data = <usize>get(column, Descriptor.Data);
  const width = get(column, Descriptor.Width);
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
  if (width == 0) return get(column, Descriptor.DictLength) > 0 && load<u8>(lut) != 0 ? firstPresent(nulls, missing, start, end) : -1;
  // Dictionaries of at most 16 strings (u8 codes), as scanSmallDictionary: the table in one
  // register, 64 rows per step, a scalar look only at a block with a candidate.
  const small = width == 1 && get(column, Descriptor.DictLength) <= 16;
  const table = i8x16.ne(v128.load(lut), i8x16.splat(0));
  let row = start;
  while (row < end) {
    if (small && end - row >= 64) {
      const base = data + <usize>row;
      const any = v128.or(
        v128.or(i8x16.swizzle(table, v128.load(base)), i8x16.swizzle(table, v128.load(base, 16))),
        v128.or(i8x16.swizzle(table, v128.load(base, 32)), i8x16.swizzle(table, v128.load(base, 48))),
      );
      if (!v128.any_true(any)) {
        row += 64;
        continue;
      }
    }
    const stop = end - row > 64 ? row + 64 : end;
    for (; row < stop; row++) {
      const at = <usize>row;
      const code = width == 1 ? <u32>load<u8>(data + at) : width == 2 ? <u32>load<u16>(data + (at << 1)) : load<u32>(data + (at << 2));
      if (load<u8>(lut + code) != 0 && isPresentRow(nulls, missing, row)) return <i32>row;
    }
  }
  return -1;
}

export function firstCodeEquals(column: usize, code: u32, start: u32, end: u32, scratch: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.String) return -2;
  const data = <usize>get(column, Descriptor.Data);
  const width = get(column, Descriptor.Width);
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
  const value = signedCode(code, width);
  if (width == 0) return code == 0 && get(column, Descriptor.DictLength) > 0 ? firstPresent(nulls, missing, start, end) : -1;
  return firstIntOfWidth(width, data, value, value, start, end, nulls, missing);
}

const FIRST_CHUNK_ROWS: u32 = 64;
const MAX_FIRST_CHUNK_ROWS: u32 = 65536;

export function firstFloatRange(column: usize, lo: f64, hi: f64, flags: u32, start: u32, end: u32, scratch: usize): i32 {
  return firstByChunks(false, column, lo, hi, flags, false, start, end, scratch);
}

export function firstBool(column: usize, wanted: bool, start: u32, end: u32, scratch: usize): i32 {
  return firstByChunks(true, column, 0, 0, 0, wanted, start, end, scratch);
}

/** Float or bool tests: scan a chunk into `scratch`, drop absent rows, look for a set bit; chunks double. */
function firstByChunks(bool: bool, column: usize, lo: f64, hi: f64, flags: u32, wanted: bool, start: u32, end: u32, scratch: usize): i32 {
  let chunk = FIRST_CHUNK_ROWS;
  for (let row = start; row < end; ) {
    const stop = end - row > chunk ? row + chunk : end;
    const status = bool ? scanBool(column, wanted, row, stop, scratch) : scanFloatRange(column, lo, hi, flags, row, stop, scratch);
    if (status != Status.Ok) return -2;
    maskPresent(column, row, stop, scratch);
    const at = bitmapFirst(scratch, stop - row);
    if (at >= 0) return <i32>row + at;
    row = stop;
    if (chunk < MAX_FIRST_CHUNK_ROWS) chunk <<= 1;
  }
  return -1;
}

// ---- lists -------------------------------------------------------------------------------

/**
 * Row bits from element bits: row r of [start, end) is set when any of its elements is.
 * `elements` is relative to offsets[start].
 */
export function reduceAny(list: usize, start: u32, end: u32, elements: usize, out: usize): void {
  const offsets = <usize>get(list, Descriptor.Data);
  const base = load<u32>(offsets + (<usize>start << 2));
  for (let row = start; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    let word: u64 = 0;
    for (let k: u32 = 0; k < count; k++) {
      const at = offsets + (<usize>(row + k) << 2);
      const from = load<u32>(at) - base;
      const to = load<u32>(at + 4) - base;
      for (let e = from; e < to; e++) {
        if (((load<u64>(elements + (<usize>(e >>> 6) << 3)) >>> <u64>(e & 63)) & 1) != 0) {
          word |= <u64>1 << k;
          break;
        }
      }
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
}

/** Element bits from row bits: every element of a selected row of [start, end). */
export function expandToElements(list: usize, start: u32, end: u32, rows: usize, out: usize): void {
  const offsets = <usize>get(list, Descriptor.Data);
  const base = load<u32>(offsets + (<usize>start << 2));
  const total = load<u32>(offsets + (<usize>end << 2)) - base;
  fillRange(out, total, false);
  for (let row = start; row < end; row++) {
    const i = row - start;
    if (((load<u64>(rows + (<usize>(i >>> 6) << 3)) >>> <u64>(i & 63)) & 1) == 0) continue;
    const at = offsets + (<usize>row << 2);
    for (let e = load<u32>(at) - base; e < load<u32>(at + 4) - base; e++) {
      const word = out + (<usize>(e >>> 6) << 3);
      store<u64>(word, load<u64>(word) | (<u64>1 << <u64>(e & 63)));
    }
  }
}

