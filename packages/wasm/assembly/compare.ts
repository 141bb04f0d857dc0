// Column against column: rows of [start, end) where a row's value in one column stands in an
// asked order (less, equal, greater: `Order` in abi.ts) to its value in another column of the
// same records — where('home').gt(field('away')). Numbers compare as doubles (every int column
// value lies within ±2^53, so an int against an int or a float64 is exact), strings in UTF-16
// order over their WTF-8 bytes (compareUtf16: JavaScript's `<`, as literal ranges compare),
// bools by equality. A row matches only when both values are present (neither null nor missing).
//
// Each column may be dense or sparse (sparse.ts): the scan goes 64 rows at a time, and each
// column's values for those rows are gathered into a static block of 64 slots, one per row
// (a sparse column's stored rows dealt to the rows its index marks), with a word of the rows
// where it holds a value. The compare then runs over two aligned blocks, whatever the layouts.
import { ColumnType, Descriptor, Order, Status } from './abi';
import { get, getBase } from './descriptor';
import { bitsAt } from './bitmap';
import { dictionaryId } from './dictionary';
import { stringLength, stringStart } from './strings';
import { compareUtf16, textLength, textStart } from './text';
import { symbolsOf } from './fsst';
import { unsignedAt } from './widths';
import { isSparse, storedBefore, storedBits } from './sparse';

/** A row's value per slot: an f64 (numbers), or a string's address and byte length (two u32). */
const leftSlots: usize = memory.data(64 * 8, 8);
const rightSlots: usize = memory.data(64 * 8, 8);

/** What two column types compare as: Numbers, Strings, Bools, or neither (-1). */
const NUMBERS: i32 = 0;
const STRINGS: i32 = 1;
const BOOLS: i32 = 2;

@inline function classOf(type: u32): i32 {
  if (type == ColumnType.Int || type == ColumnType.Float64) return NUMBERS;
  if (type == ColumnType.String || type == ColumnType.Text) return STRINGS;
  if (type == ColumnType.Bool) return BOOLS;
  return -1;
}

/** The value at stored position `at` into `slot`: numbers as f64, strings as (address, length). */
@inline function gather(column: usize, type: u32, at: u32, slot: usize): void {
  if (type == ColumnType.Int) {
    store<f64>(slot, <f64>(getBase(column) + <i64>unsignedAt(<usize>get(column, Descriptor.Data), get(column, Descriptor.Width), at)));
  } else if (type == ColumnType.Float64) {
    store<f64>(slot, load<f64>(<usize>get(column, Descriptor.Data) + (<usize>at << 3)));
  } else if (type == ColumnType.Text) {
    store<u32>(slot, <u32>textStart(column, at));
    store<u32>(slot, textLength(column, at), 4);
  } else if (type == ColumnType.String) {
    const width = get(column, Descriptor.Width);
    const id = dictionaryId(column, width == 0 ? 0 : <u32>unsignedAt(<usize>get(column, Descriptor.Data), width, at));
    store<u32>(slot, <u32>stringStart(id));
    store<u32>(slot, stringLength(id), 4);
  }
}

/** Dense int columns of one width: the 64-row loop without a width test per row. */
function gatherInts<T>(data: usize, base: i64, row: u32, count: u32, slots: usize): void {
  for (let k: u32 = 0; k < count; k++) store<f64>(slots + (<usize>k << 3), <f64>(base + <i64>load<T>(data + (<usize>(row + k)) * sizeof<T>())));
}

/**
 * Gathers the values of rows [row, row + count) of `column` into `slots` (slot k: row + k) and
 * returns the word of those rows that hold a value. Bools gather nothing: their word of values
 * is read by the compare itself.
 */
function gatherRows(column: usize, type: u32, row: u32, count: u32, slots: usize): u64 {
  const end = row + count;
  const nulls = <usize>get(column, Descriptor.Nulls);
  if (!isSparse(column)) {
    if (type == ColumnType.Int) {
      const width = get(column, Descriptor.Width);
      const data = <usize>get(column, Descriptor.Data);
      const base = getBase(column);
      if (width == 0) for (let k: u32 = 0; k < count; k++) store<f64>(slots + (<usize>k << 3), <f64>base);
      else if (width == 1) gatherInts<u8>(data, base, row, count, slots);
      else if (width == 2) gatherInts<u16>(data, base, row, count, slots);
      else if (width == 4) gatherInts<u32>(data, base, row, count, slots);
      else gatherInts<u64>(data, base, row, count, slots);
    } else if (type == ColumnType.Float64) {
      memory.copy(slots, <usize>get(column, Descriptor.Data) + (<usize>row << 3), <usize>count << 3);
    }
    const missing = <usize>get(column, Descriptor.Missing);
    let absent: u64 = 0;
    if (nulls != 0) absent |= bitsAt(nulls, row, end);
    if (missing != 0) absent |= bitsAt(missing, row, end);
    const present = ~absent & (count == 64 ? <u64>-1 : (<u64>1 << <u64>count) - 1);
    // Strings only where a row holds one: a null row's code names no dictionary entry.
    if (type == ColumnType.String || type == ColumnType.Text) {
      for (let mask = present; mask != 0; mask &= mask - 1) {
        const k = <u32>ctz(mask);
        gather(column, type, row + k, slots + (<usize>k << 3));
      }
    }
    return present;
  }
  // Sparse: stored rows in order, dealt to the rows the index marks; a stored null holds no value.
  let stored = storedBits(column, row);
  if (count < 64) stored &= (<u64>1 << <u64>count) - 1;
  let at = storedBefore(column, row);
  let present = stored;
  for (let mask = stored; mask != 0; mask &= mask - 1) {
    const k = <u32>ctz(mask);
    if (nulls != 0 && ((load<u8>(nulls + (<usize>at >>> 3)) >>> <u8>(at & 7)) & 1) != 0) present &= ~(<u64>1 << <u64>k);
    else gather(column, type, at, slots + (<usize>k << 3));
    at++;
  }
  return present;
}

/**
 * Bit k set when slot k of each side stands in one of the `orders` (Order bits): numbers, two
 * slots a SIMD compare (slots past `count` hold stale values: the caller masks them off).
 */
@inline function compareNumbers(count: u32, orders: u32): u64 {
  const less = i64x2.splat((orders & Order.Less) != 0 ? -1 : 0);
  const equal = i64x2.splat((orders & Order.Equal) != 0 ? -1 : 0);
  const greater = i64x2.splat((orders & Order.Greater) != 0 ? -1 : 0);
  let word: u64 = 0;
  for (let k: u32 = 0; k < count; k += 2) {
    const a = v128.load(leftSlots + (<usize>k << 3));
    const b = v128.load(rightSlots + (<usize>k << 3));
    const passes = v128.or(v128.or(v128.and(f64x2.lt(a, b), less), v128.and(f64x2.eq(a, b), equal)), v128.and(f64x2.gt(a, b), greater));
    word |= <u64>i64x2.bitmask(passes) << <u64>k;
  }
  return word;
}

/** compareNumbers for strings, only at rows where both hold one (`both`). */
@inline function compareStrings(both: u64, orders: u32): u64 {
  let word: u64 = 0;
  for (let mask = both; mask != 0; mask &= mask - 1) {
    const k = <usize>ctz(mask);
    const a = leftSlots + (k << 3);
    const b = rightSlots + (k << 3);
    const order = compareUtf16(<usize>load<u32>(a), load<u32>(a, 4), <usize>load<u32>(b), load<u32>(b, 4));
    const bit: u32 = order < 0 ? Order.Less : order == 0 ? Order.Equal : Order.Greater;
    if ((bit & orders) != 0) word |= <u64>1 << <u64>k;
  }
  return word;
}

/**
 * Rows of [start, end) where `left`'s value stands in one of the `orders` (Order bits) to
 * `right`'s, both present. Status.WrongType when the two columns' types do not compare (a
 * facade bug: it refuses such queries).
 */
export function scanColumns(left: usize, right: usize, orders: u32, start: u32, end: u32, out: usize): i32 {
  const leftType = get(left, Descriptor.Type);
  const rightType = get(right, Descriptor.Type);
  const kind = classOf(leftType);
  if (kind < 0 || kind != classOf(rightType)) return Status.WrongType;
  // A compressed text column (fsst.ts) holds codes, not bytes to order: the facade compares those rows in JS.
  if (symbolsOf(left) != 0 || symbolsOf(right) != 0) return Status.WrongType;
  for (let row = start; row < end; row += 64) {
    const count = min<u32>(64, end - row);
    const both = gatherRows(left, leftType, row, count, leftSlots) & gatherRows(right, rightType, row, count, rightSlots);
    let word: u64 = 0;
    if (kind == NUMBERS) word = compareNumbers(count, orders) & both;
    else if (kind == STRINGS) word = compareStrings(both, orders);
    else {
      // Bools stay dense (sparse.ts): their values are a bitmap of rows, as presence is.
      const a = bitsAt(<usize>get(left, Descriptor.Data), row, row + count);
      const b = bitsAt(<usize>get(right, Descriptor.Data), row, row + count);
      const less = (orders & Order.Less) != 0 ? ~a & b : 0;
      const equal = (orders & Order.Equal) != 0 ? ~(a ^ b) : 0;
      const greater = (orders & Order.Greater) != 0 ? a & ~b : 0;
      word = (less | equal | greater) & both;
    }
    store<u64>(out + (<usize>((row - start) >>> 6) << 3), word);
  }
  return Status.Ok;
}
