// A column's rows [start, end) as Arrow needs them: where each row is stored (a sparse column
// keeps only its present rows: column.ts), which rows are valid (Arrow's validity: present and
// not null), which are missing (for the companion column of absent 'both'), and the counts.
// Dense columns with no absent row need none of it: the writers copy their buffers straight.
import type { Column } from '../column';

export interface RowRange {
  readonly start: number;
  readonly count: number;
  /** Stored position of each row (-1: missing); null for a dense column (row i is stored at start + i). */
  readonly positions: Int32Array | null;
  /** Arrow validity (bit i set: row start + i holds a value); null when every row does. */
  readonly validity: Uint8Array | null;
  readonly nullCount: number;
  /** Bit i set: row start + i is missing (null when no row in the range is). */
  readonly missing: Uint8Array | null;
  /** Whether some row of the range is null (not missing). */
  readonly hasNull: boolean;
}

export function rowRange(column: Column, start: number, end: number): RowRange {
  const count = end - start;
  const positions = column.sparse === null ? null : storedPositions(column, start, count);
  if (column.nullCount === 0 && column.missingCount === 0) {
    return { start, count, positions, validity: null, nullCount: 0, missing: null, hasNull: false };
  }
  const bytes = (count + 7) >>> 3;
  if (positions === null && (start & 7) === 0) return denseRange(column, start, count);
  const validity = new Uint8Array(bytes);
  const missing = new Uint8Array(bytes);
  let valid = 0;
  let missingRows = 0;
  for (let i = 0; i < count; i++) {
    const row = start + i;
    const at = positions === null ? (column.isMissing(row) ? -1 : row) : positions[i];
    if (at < 0) {
      missing[i >>> 3] |= 1 << (i & 7);
      missingRows++;
    } else if (!column.isNullAt(at)) {
      validity[i >>> 3] |= 1 << (i & 7);
      valid++;
    }
  }
  const nullCount = count - valid;
  return {
    start,
    count,
    positions,
    validity: nullCount === 0 ? null : validity,
    nullCount,
    missing: missingRows === 0 ? null : missing,
    hasNull: nullCount > missingRows,
  };
}

/** A dense column's range from a byte boundary: its bitmaps a byte at a time (valid = neither null nor missing). */
function denseRange(column: Column, start: number, count: number): RowRange {
  const bytes = (count + 7) >>> 3;
  const first = start >>> 3;
  const validity = new Uint8Array(bytes);
  const missing = column.missing === null ? null : column.missing.slice(first, first + bytes);
  const nulls = column.nulls;
  let valid = 0;
  let missingRows = 0;
  for (let i = 0; i < bytes; i++) {
    // Bits past the range's end are cleared: Arrow reads validity bit by bit up to its length.
    const used = i === bytes - 1 && (count & 7) !== 0 ? (1 << (count & 7)) - 1 : 0xff;
    const absentMissing = missing === null ? 0 : (missing[i] &= used);
    const bits = ~(absentMissing | (nulls === null ? 0 : nulls[first + i])) & used;
    validity[i] = bits;
    valid += popcount8(bits);
    missingRows += popcount8(absentMissing);
  }
  const nullCount = count - valid;
  return {
    start,
    count,
    positions: null,
    validity: nullCount === 0 ? null : validity,
    nullCount,
    missing: missingRows === 0 ? null : missing,
    hasNull: nullCount > missingRows,
  };
}

function popcount8(byte: number): number {
  let bits = byte - ((byte >>> 1) & 0x55);
  bits = (bits & 0x33) + ((bits >>> 2) & 0x33);
  return (bits + (bits >>> 4)) & 0x0f;
}

/** A sparse column's stored position of each row in [start, start + count), -1 where missing: one walk of its index. */
function storedPositions(column: Column, start: number, count: number): Int32Array {
  const index = column.sparse!;
  const positions = new Int32Array(count);
  let next = column.storedBefore(start);
  for (let i = 0; i < count; i++) {
    const row = start + i;
    const word = index[(row >>> 6) * 3 + 1 + ((row >>> 5) & 1)];
    positions[i] = ((word >>> (row & 31)) & 1) === 0 ? -1 : next++;
  }
  return positions;
}

/** Stored position of row start + i: the row itself in a dense column. */
export function positionOf(range: RowRange, i: number): number {
  return range.positions === null ? range.start + i : range.positions[i];
}
