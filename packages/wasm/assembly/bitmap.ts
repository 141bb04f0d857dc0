// Selection bitmaps (u64 words, bit i = row start + i) as such: fill, and / or / not, count,
// the first set bit; copying bits of a column's absolute bitmap (presence, bool values) in;
// and between a list's rows and its elements (reduceAny, pickElement, expandToElements).
import { Descriptor } from './abi';
import { get } from './descriptor';
import { isSparse, sparseCompress, sparseExpand, storedBefore } from './sparse';

@inline function words(bits: u32): u32 {
  return (bits + 63) >>> 6;
}

// ---- a column's bitmap into a selection bitmap -------------------------------------------

/** 64 bits of an absolute byte bitmap from bit `from`, any alignment; bits past `end` are 0. */
@inline export function bitsAt(bitmap: usize, from: u32, end: u32): u64 {
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

/** Bits [start, end) of an absolute bitmap into `out` (inverted when asked). */
export function copyBits(bitmap: usize, start: u32, end: u32, out: usize, invert: bool): void {
  for (let row = start; row < end; row += 64) {
    let word = bitsAt(bitmap, row, end);
    if (invert) {
      const count = min<u32>(64, end - row);
      word = ~word & (count == 64 ? <u64>-1 : (<u64>1 << count) - 1);
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
}

/** Clears the bits of `out` whose rows are set in an absolute bitmap. */
export function andNotBits(bitmap: usize, start: u32, end: u32, out: usize): void {
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

// ---- lists -------------------------------------------------------------------------------

/**
 * Row bits from element bits: row r of [start, end) is set when any of its elements is.
 * `elements` is relative to the first element of row `start`. A sparse list's stored rows are
 * reduced, then spread over its rows (sparse.ts).
 */
export function reduceAny(list: usize, start: u32, end: u32, elements: usize, out: usize): void {
  if (isSparse(list)) {
    const first = storedBefore(list, start);
    reduceStored(list, first, storedBefore(list, end), elements, out);
    sparseExpand(list, start, end, first, out);
  } else reduceStored(list, start, end, elements, out);
}

/** reduceAny over stored rows [start, end): a dense list's rows. */
function reduceStored(list: usize, start: u32, end: u32, elements: usize, out: usize): void {
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

/**
 * Element bits of element `index` of each row of [start, end) that has that many (`coords[2]`):
 * `out` relative to the first element of row `start`, as reduceAny reads it. A sparse list's
 * elements are its stored rows'.
 */
export function pickElement(list: usize, start: u32, end: u32, index: u32, out: usize): void {
  if (isSparse(list)) pickStored(list, storedBefore(list, start), storedBefore(list, end), index, out);
  else pickStored(list, start, end, index, out);
}

/** pickElement over stored rows [start, end). */
function pickStored(list: usize, start: u32, end: u32, index: u32, out: usize): void {
  const offsets = <usize>get(list, Descriptor.Data);
  const base = load<u32>(offsets + (<usize>start << 2));
  fillRange(out, load<u32>(offsets + (<usize>end << 2)) - base, false);
  for (let row = start; row < end; row++) {
    const at = offsets + (<usize>row << 2);
    const from = load<u32>(at);
    if (load<u32>(at + 4) - from <= index) continue;
    const e = from + index - base;
    const word = out + (<usize>(e >>> 6) << 3);
    store<u64>(word, load<u64>(word) | (<u64>1 << <u64>(e & 63)));
  }
}

/**
 * Element bits from row bits: every element of a selected row of [start, end). A sparse list
 * gathers `rows` to its stored rows first, in place (sparse.ts).
 */
export function expandToElements(list: usize, start: u32, end: u32, rows: usize, out: usize): void {
  if (isSparse(list)) {
    sparseCompress(list, start, end, rows);
    expandStored(list, storedBefore(list, start), storedBefore(list, end), rows, out);
  } else expandStored(list, start, end, rows, out);
}

/** expandToElements over stored rows [start, end): a dense list's rows. */
function expandStored(list: usize, start: u32, end: u32, rows: usize, out: usize): void {
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
