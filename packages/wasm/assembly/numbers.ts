// Number columns: ints as a frame of reference, float64, and the widening between them.
//
// An int column holds every integer exact in a double (|n| ≤ 2^53, not -0) as a base (the i64
// descriptor field `Base`) plus an unsigned delta per row at the narrowest width holding them:
// 0 (every present row is the base), 1, 2, 4 or 8 bytes. Appends keep the frame holding every
// value: a value below the base, or above base + the width's largest delta, rebases the column
// (the base moves, every delta shifts by the move, widened when the spread needs it). Any other
// number (a fraction, -0, beyond 2^53, ±Infinity) turns the column into float64 in place. None of these changes a value; only the turn into float64 is journaled
// (journal.ts), so an undone append can give back the int column its rows were.
//
// Invariant: -2^53 ≤ base, and every present row's delta ≤ widthMax(width); so a delta is
// below 2^63 and base + delta never overflows an i64.
import { ColumnType, Descriptor, Status } from './abi';
import { allocate, canAllocate, reallocate, release } from './arena';
import { get, set, getBase, setBase, isPresent, presentCount, MAX_BLOCK } from './descriptor';
import { journalToFloat } from './journal';
import { nextRow } from './column';
import { rowsOf, sparseStored } from './sparse';
import { rewriteUnsigned, storeUnsigned, unsignedAt, unsignedWidth, widthMax } from './widths';

/** 2^53: the largest integer magnitude an int column holds (every integer up to it is exact in a double). */
export const INT_LIMIT: i64 = 9007199254740992;

/** An integer an int column holds: integral, |value| ≤ 2^53, not -0 (NaN and ±Infinity are not). */
@inline export function isIntValue(value: f64): bool {
  return value >= -9007199254740992.0 && value <= 9007199254740992.0 && floor(value) == value &&
    reinterpret<u64>(value) != 0x8000000000000000;
}

/** Row `row`'s value of an int column (present rows only). */
@inline export function intValueAt(column: usize, row: u32): i64 {
  return getBase(column) + <i64>unsignedAt(<usize>get(column, Descriptor.Data), get(column, Descriptor.Width), row);
}

/**
 * Appends a number to an int column (JS's entry): an int as its delta, any other number as
 * appendFloat64 (the column turns float64). A float64 column takes it as a double.
 */
export function appendInt(column: usize, value: f64): i32 {
  return isIntValue(value) ? appendIntValue(column, <i64>value) : appendFloat64(column, value);
}

/** Appends an int (|value| ≤ 2^53) to an int column (the frame widened or rebased first), or to a float64 column. */
export function appendIntValue(column: usize, value: i64): i32 {
  const type = get(column, Descriptor.Type);
  if (type == ColumnType.Float64) return appendFloat64(column, <f64>value);
  if (type != ColumnType.Int) return Status.WrongType;
  if (!holdInt(column, value)) return Status.OutOfMemory;
  const row = nextRow(column);
  if (row < 0) return Status.OutOfMemory;
  storeUnsigned(<usize>get(column, Descriptor.Data), get(column, Descriptor.Width), <u32>row, <u64>(value - getBase(column)));
  set(column, Descriptor.Length, <u32>row + 1);
  sparseStored(column);
  return Status.Ok;
}

/** Makes the column's frame hold `value`: as it is, or rebased (and widened). False when memory is short. */
@inline function holdInt(column: usize, value: i64): bool {
  const base = getBase(column);
  if (value >= base && <u64>(value - base) <= widthMax(get(column, Descriptor.Width))) return true;
  // A constant column with no value yet takes the first as its base (a planned width keeps its planned base).
  if (get(column, Descriptor.Width) == 0 && presentCount(column) == 0) {
    setBase(column, value);
    return true;
  }
  return rebase(column, value);
}

/**
 * Moves the base so that the frame holds `value` and every present value: the deltas are
 * rewritten (each shifted by the base's move, up or down) at the narrowest width holding the
 * spread — the width fromRecords plans from the same values (its base is their smallest), so
 * both routes store a field alike. The width's room beyond the spread is split evenly below the
 * smallest value and above the largest: a value past either side rebases again only once the
 * spread has grown by half the room left, so the room at least halves each time — O(log) rebases
 * per width, not one per row, for values that keep rising or falling. The base never passes
 * -2^53 (no value lies below it).
 */
function rebase(column: usize, value: i64): bool {
  const width = get(column, Descriptor.Width);
  const base = getBase(column);
  const any = presentDeltaBounds(column);
  const lowest = any ? min(value, base + <i64>smallestDelta) : value;
  const highest = any ? max(value, base + <i64>largestDelta) : value;
  const spread = <u64>(highest - lowest);
  const newWidth = max(width, unsignedWidth(spread));
  const room = min((widthMax(newWidth) - spread) >> 1, <u64>(lowest + INT_LIMIT));
  const newBase = lowest - <i64>room;
  // A move up wraps the shift: u64 arithmetic subtracts it, and each present delta stays ≥ 0.
  if (!rewriteUnsigned(column, newWidth, <u64>(base - newBase))) return false;
  setBase(column, newBase);
  return true;
}

// Set by presentDeltaBounds: the smallest and largest delta of a present row.
let smallestDelta: u64 = 0;
let largestDelta: u64 = 0;

/** The smallest and largest delta of a present row (the column's values span base + them); false when no row is present. */
function presentDeltaBounds(column: usize): bool {
  const width = get(column, Descriptor.Width);
  const data = <usize>get(column, Descriptor.Data);
  const length = get(column, Descriptor.Length);
  let smallest: u64 = <u64>-1;
  let largest: u64 = 0;
  for (let row: u32 = 0; row < length; row++) {
    const delta = unsignedAt(data, width, row);
    if ((delta < smallest || delta > largest) && isPresent(column, row)) {
      smallest = min(smallest, delta);
      largest = max(largest, delta);
    }
  }
  smallestDelta = smallest;
  largestDelta = largest;
  return largest >= smallest;
}

export function appendFloat64(column: usize, value: f64): i32 {
  const type = get(column, Descriptor.Type);
  if (type == ColumnType.Int && (!journalToFloat(column, get(column, Descriptor.Width), rowsOf(column)) || !widenToFloat(column))) return Status.OutOfMemory;
  else if (type != ColumnType.Int && type != ColumnType.Float64) return Status.WrongType;
  const row = nextRow(column);
  if (row < 0) return Status.OutOfMemory;
  store<f64>(<usize>get(column, Descriptor.Data) + (<usize>row << 3), value);
  set(column, Descriptor.Length, <u32>row + 1);
  sparseStored(column);
  return Status.Ok;
}

/**
 * Converts an int column to float64 in place; every value stays exactly the same number (all
 * are exact in a double). The base stays in the descriptor, for narrowToInt.
 */
export function widenToFloat(column: usize): bool {
  if (get(column, Descriptor.Type) == ColumnType.Float64) return true;
  const oldWidth = get(column, Descriptor.Width);
  const capacity = get(column, Descriptor.Capacity);
  const length = get(column, Descriptor.Length);
  if (<u64>capacity * 8 > MAX_BLOCK || !canAllocate(<u64>capacity * 8)) return false;
  const data = reallocate(<usize>get(column, Descriptor.Data), <usize>capacity * oldWidth, <usize>capacity << 3);
  if (data == 0) return false;
  const base = getBase(column);
  // Back to front: a double never overwrites a narrower delta not yet read.
  for (let row = length; row-- > 0; ) store<f64>(data + (<usize>row << 3), <f64>(base + <i64>unsignedAt(data, oldWidth, row)));
  set(column, Descriptor.Data, <u32>data);
  set(column, Descriptor.Width, 8);
  set(column, Descriptor.Type, ColumnType.Float64);
  return true;
}

/**
 * Turns a float64 column that was an int column of `width` bytes before an undone append back
 * into that int column. Its kept present rows were ints then, each a delta from the base the
 * descriptor still holds, so each converts back exactly (null and missing rows' slots hold
 * anything: never converted as such, so no conversion traps). Front to back: a delta slot
 * never reaches past the double it replaces.
 */
export function narrowToInt(column: usize, width: u32): void {
  if (get(column, Descriptor.Type) != ColumnType.Float64) return;
  const capacity = get(column, Descriptor.Capacity);
  const length = get(column, Descriptor.Length);
  const data = <usize>get(column, Descriptor.Data);
  const base = getBase(column);
  if (width == 0) {
    release(data, <usize>capacity << 3);
    set(column, Descriptor.Data, <u32>allocate(0));
  } else {
    for (let row: u32 = 0; row < length; row++) {
      const number = load<f64>(data + (<usize>row << 3));
      storeUnsigned(data, width, row, isIntValue(number) ? <u64>(<i64>number - base) : 0);
    }
    set(column, Descriptor.Data, <u32>reallocate(data, <usize>capacity << 3, <usize>capacity * width));
  }
  set(column, Descriptor.Width, width);
  set(column, Descriptor.Type, ColumnType.Int);
}
