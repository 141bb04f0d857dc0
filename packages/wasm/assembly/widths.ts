// Unsigned values of a width (0, 1, 2, 4 or 8 bytes): dictionary codes and int deltas (an int
// column is a base plus an unsigned delta per row: numbers.ts). The narrowest width holding a
// value, loads and stores at a width, and the rewrite of a column's buffer in place at a wider
// width (adding a shift to every value on the way: an int column's rebase).
import { Descriptor } from './abi';
import { canAllocate, reallocate } from './arena';
import { get, set, MAX_BLOCK } from './descriptor';

/** Narrowest width (1, 2, 4 or 8 bytes) holding `value`. */
@inline export function unsignedWidth(value: u64): u32 {
  if (value <= 0xFF) return 1;
  if (value <= 0xFFFF) return 2;
  if (value <= 0xFFFFFFFF) return 4;
  return 8;
}

/** The largest value of a width (width 0 holds only 0). */
@inline export function widthMax(width: u32): u64 {
  return width == 0 ? 0 : width == 8 ? <u64>-1 : (<u64>1 << (<u64>width << 3)) - 1;
}

/** Row `row` of a buffer of `width`-byte values (width 0: every row is 0). */
@inline export function unsignedAt(data: usize, width: u32, row: u32): u64 {
  if (width == 1) return <u64>load<u8>(data + <usize>row);
  if (width == 2) return <u64>load<u16>(data + (<usize>row << 1));
  if (width == 4) return <u64>load<u32>(data + (<usize>row << 2));
  if (width == 8) return load<u64>(data + (<usize>row << 3));
  return 0;
}

/** Writes row `row` of a buffer of `width`-byte values (nothing at width 0); wider bits are dropped. */
@inline export function storeUnsigned(data: usize, width: u32, row: u32, value: u64): void {
  if (width == 1) store<u8>(data + <usize>row, <u8>value);
  else if (width == 2) store<u16>(data + (<usize>row << 1), <u16>value);
  else if (width == 4) store<u32>(data + (<usize>row << 2), <u32>value);
  else if (width == 8) store<u64>(data + (<usize>row << 3), value);
}

/**
 * Rewrites a code or delta column in place at `newWidth` bytes per row (≥ its width), adding
 * `shift` to every row modulo 2^64 (0 for a plain widening; an int column's rebase moves its base
 * down by `shift`, or up by its two's complement). Back to front: row i's new slot never overlaps
 * an unread narrower row below it. Rows [0, Length) are rewritten; false (the column unchanged)
 * when memory is short.
 */
export function rewriteUnsigned(column: usize, newWidth: u32, shift: u64): bool {
  const oldWidth = get(column, Descriptor.Width);
  const capacity = get(column, Descriptor.Capacity);
  const length = get(column, Descriptor.Length);
  let data = <usize>get(column, Descriptor.Data);
  if (newWidth > oldWidth) {
    if (<u64>capacity * newWidth > MAX_BLOCK || !canAllocate(<u64>capacity * newWidth)) return false;
    data = reallocate(data, <usize>capacity * oldWidth, <usize>capacity * newWidth);
    if (data == 0) return false;
  } else {
    newWidth = oldWidth;
    if (shift == 0) return true;
  }
  for (let row = length; row-- > 0; ) storeUnsigned(data, newWidth, row, unsignedAt(data, oldWidth, row) + shift);
  set(column, Descriptor.Data, <u32>data);
  set(column, Descriptor.Width, newWidth);
  return true;
}

/** Rewrites a code column at `newWidth` bytes per row without changing a value (appends widen through it). */
export function widenInt(column: usize, newWidth: u32): bool {
  return rewriteUnsigned(column, newWidth, 0);
}
