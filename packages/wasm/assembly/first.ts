// First-match searches: the first present row of [start, end) a single column test matches
// (Selection.first()), or a FirstResult (NotFound, WrongType). Int and string tests run SIMD
// compares over 64 rows at a time and stop at the first block with a candidate; float and bool
// tests scan chunks of 64 rows doubling up to 65,536 into `scratch` (a bitmap of end - start
// rows at most). Either way the cost follows the match's position, and one call from JS
// covers the column.
import { ColumnType, Descriptor, Status, FirstResult, TextTest } from './abi';
import { get } from './descriptor';
import { bitmapFirst } from './bitmap';
import { textEqualsWord, textPasses, textTail } from './text';
import { fsstRowEquals, literalCodes, symbolsOf } from './fsst';
import { deltaRange, rangeLo, rangeHi, splatOf, unsignedInside, scanBool, scanFloatRange, maskPresent } from './scan';
import { unsignedAt, widthMax } from './widths';

@inline function isPresentRow(nulls: usize, missing: usize, row: u32): bool {
  const at = <usize>(row >>> 3);
  const bit = row & 7;
  return (nulls == 0 || ((<u32>load<u8>(nulls + at) >>> bit) & 1) == 0) && (missing == 0 || ((<u32>load<u8>(missing + at) >>> bit) & 1) == 0);
}

/** The first present row of [from, end), or FirstResult.NotFound (a constant column's test matched every value). */
function firstPresent(nulls: usize, missing: usize, from: u32, end: u32): i32 {
  for (let row = from; row < end; row++) if (isPresentRow(nulls, missing, row)) return <i32>row;
  return FirstResult.NotFound;
}

function firstUnsignedOf<T>(data: usize, lo: u64, hi: u64, start: u32, end: u32, nulls: usize, missing: usize): i32 {
  const low = splatOf<T>(lo);
  const high = splatOf<T>(hi);
  const step = <u32>(64 / sizeof<T>()); // rows in four vectors
  const single = lo == hi;
  let row = start;
  while (row < end) {
    if (end - row >= step) {
      const base = data + (<usize>row) * sizeof<T>();
      const any = v128.or(
        v128.or(unsignedInside<T>(v128.load(base), low, high, single), unsignedInside<T>(v128.load(base, 16), low, high, single)),
        v128.or(unsignedInside<T>(v128.load(base, 32), low, high, single), unsignedInside<T>(v128.load(base, 48), low, high, single)),
      );
      if (!v128.any_true(any)) {
        row += step;
        continue;
      }
    }
    // A candidate in these rows (or the tail): find it, and check it is present.
    const stop = end - row > step ? row + step : end;
    for (; row < stop; row++) {
      const value = <u64>load<T>(data + (<usize>row) * sizeof<T>());
      if (value >= lo && value <= hi && isPresentRow(nulls, missing, row)) return <i32>row;
    }
  }
  return FirstResult.NotFound;
}

export function firstIntRange(column: usize, lo: f64, hi: f64, start: u32, end: u32, scratch: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Int) return FirstResult.WrongType;
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
  const width = get(column, Descriptor.Width);
  if (!deltaRange(column, lo, hi)) return FirstResult.NotFound;
  // Width 0: every row holds the base, in range when delta 0 is (deltaRange said so).
  if (width == 0) return firstPresent(nulls, missing, start, end);
  return firstUnsignedOfWidth(width, <usize>get(column, Descriptor.Data), rangeLo, rangeHi, start, end, nulls, missing);
}

/** firstUnsignedOf for values of `width` bytes (1, 2, 4 or 8): int deltas, and dictionary codes. */
function firstUnsignedOfWidth(width: u32, data: usize, lo: u64, hi: u64, start: u32, end: u32, nulls: usize, missing: usize): i32 {
  if (width == 1) return firstUnsignedOf<u8>(data, lo, hi, start, end, nulls, missing);
  if (width == 2) return firstUnsignedOf<u16>(data, lo, hi, start, end, nulls, missing);
  if (width == 4) return firstUnsignedOf<u32>(data, lo, hi, start, end, nulls, missing);
  return firstUnsignedOf<u64>(data, lo, hi, start, end, nulls, missing);
}

/** stringTestShortcut: no answer without looking at the codes (not a FirstResult, not a row). */
const SEARCH_CODES: i32 = -3;

/**
 * What a string test (firstCodes, firstCodeEquals) answers without looking at codes:
 * WrongType unless `column` is a string column; at width 0 every row holds code 0 (once the
 * dictionary has a string), so the first present row if `zeroMatches`, else NotFound.
 * SEARCH_CODES otherwise.
 */
@inline function stringTestShortcut(column: usize, zeroMatches: bool, start: u32, end: u32): i32 {
  if (get(column, Descriptor.Type) != ColumnType.String) return FirstResult.WrongType;
  if (get(column, Descriptor.Width) != 0) return SEARCH_CODES;
  if (!zeroMatches || get(column, Descriptor.DictLength) == 0) return FirstResult.NotFound;
  return firstPresent(<usize>get(column, Descriptor.Nulls), <usize>get(column, Descriptor.Missing), start, end);
}

export function firstCodes(column: usize, lut: usize, start: u32, end: u32, scratch: usize): i32 {
  const shortcut = stringTestShortcut(column, load<u8>(lut) != 0, start, end);
  if (shortcut != SEARCH_CODES) return shortcut;
  const data = <usize>get(column, Descriptor.Data);
  const width = get(column, Descriptor.Width);
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
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
      if (load<u8>(lut + <usize>unsignedAt(data, width, row)) != 0 && isPresentRow(nulls, missing, row)) return <i32>row;
    }
  }
  return FirstResult.NotFound;
}

export function firstCodeEquals(column: usize, code: u32, start: u32, end: u32, scratch: usize): i32 {
  const shortcut = stringTestShortcut(column, code == 0, start, end);
  if (shortcut != SEARCH_CODES) return shortcut;
  const width = get(column, Descriptor.Width);
  if (<u64>code > widthMax(width)) return FirstResult.NotFound;
  return firstUnsignedOfWidth(width, <usize>get(column, Descriptor.Data), code, code, start, end, <usize>get(column, Descriptor.Nulls), <usize>get(column, Descriptor.Missing));
}

/**
 * The first present row of [start, end) whose bytes (or codes) are the `length` at `lo`, a word of
 * rows a step (textEqualsWord): 8 rows, doubling to 64, so a match near the start costs a few rows.
 */
function firstTextEquals(heap: usize, offsets: usize, lo: usize, length: u32, start: u32, end: u32, nulls: usize, missing: usize): i32 {
  const tail = textTail(lo, length);
  let step: u32 = 8;
  for (let row = start; row < end; row += step, step = min<u32>(64, step << 1)) {
    let word = textEqualsWord(heap, offsets, row, min<u32>(step, end - row), lo, length, tail);
    for (; word != 0; word &= word - 1) {
      const found = row + <u32>ctz(word);
      if (isPresentRow(nulls, missing, found)) return <i32>found;
    }
  }
  return FirstResult.NotFound;
}

/** Text tests (scanText's): equality 64 rows a step, ranges row by row, each present row checked once. */
export function firstText(column: usize, lo: usize, loLength: u32, hi: usize, hiLength: u32, flags: u32, start: u32, end: u32, scratch: usize): i32 {
  if (get(column, Descriptor.Type) != ColumnType.Text) return FirstResult.WrongType;
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
  const table = symbolsOf(column);
  if (table != 0) {
    // Compressed (fsst.ts): equality on the codes, as scanText; ranges need the bytes, which the facade reads.
    if ((flags & TextTest.Equal) == 0) return FirstResult.WrongType;
    const heap = <usize>get(column, Descriptor.Heap);
    const offsets = <usize>get(column, Descriptor.Data);
    const codes = literalCodes(table, lo, loLength, hi, hiLength);
    if (codes >= 0) return firstTextEquals(heap, offsets, hi, <u32>codes, start, end, nulls, missing);
    for (let row = start; row < end; row++) {
      if (fsstRowEquals(table, heap, offsets, row, lo, loLength) && isPresentRow(nulls, missing, row)) return <i32>row;
    }
    return FirstResult.NotFound;
  }
  if ((flags & TextTest.Equal) != 0) return firstTextEquals(<usize>get(column, Descriptor.Heap), <usize>get(column, Descriptor.Data), lo, loLength, start, end, nulls, missing);
  for (let row = start; row < end; row++) {
    if (textPasses(column, row, lo, loLength, hi, hiLength, flags) && isPresentRow(nulls, missing, row)) return <i32>row;
  }
  return FirstResult.NotFound;
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
    if (status != Status.Ok) return FirstResult.WrongType;
    maskPresent(column, row, stop, scratch);
    const at = bitmapFirst(scratch, stop - row);
    if (at >= 0) return <i32>row + at;
    row = stop;
    if (chunk < MAX_FIRST_CHUNK_ROWS) chunk <<= 1;
  }
  return FirstResult.NotFound;
}
