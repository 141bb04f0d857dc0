// A column's descriptor: the 96-byte block whose address is the column handle (its fields are
// `Descriptor` in abi.ts: u32 words, and an int column's i64 base), read and written here, and
// the bytes of the buffers it points at for a given number of rows, by type and width.
import { ColumnType, Descriptor, FsstTable, Pointers } from './abi';

@inline export function get(column: usize, field: usize): u32 { return load<u32>(column + field); }
@inline export function set(column: usize, field: usize, value: u32): void { store<u32>(column + field, value); }
/** An int column's base (the i64 field `Base`): row i holds base + its unsigned delta. */
@inline export function getBase(column: usize): i64 { return load<i64>(column + Descriptor.Base); }
@inline export function setBase(column: usize, base: i64): void { store<i64>(column + Descriptor.Base, base); }

@inline export function bitmapBytes(rows: u32): usize { return (<usize>rows + 7) >>> 3; }

/** Present (neither null nor missing) at `row`. */
@inline export function isPresent(column: usize, row: u32): bool {
  const nulls = <usize>get(column, Descriptor.Nulls);
  const missing = <usize>get(column, Descriptor.Missing);
  return (nulls == 0 || ((load<u8>(nulls + (<usize>row >>> 3)) >>> <u8>(row & 7)) & 1) == 0) &&
    (missing == 0 || ((load<u8>(missing + (<usize>row >>> 3)) >>> <u8>(row & 7)) & 1) == 0);
}

/** Rows holding a value (neither null nor missing). */
@inline export function presentCount(column: usize): u32 {
  return get(column, Descriptor.Length) - get(column, Descriptor.NullCount) - get(column, Descriptor.MissingCount);
}

/** Bytes of the data buffer for `rows` rows of a column of this type and width. */
// Sizes are computed in 64 bits: rows * width can pass 4 GiB, and a wrapped size would
// hand out a block smaller than the column believes it has.
export function dataBytes(type: u32, width: u32, rows: u32): u64 {
  switch (type) {
    case ColumnType.List:
    case ColumnType.Text: return (<u64>rows + 1) << 2;
    case ColumnType.Bool: return <u64>bitmapBytes(rows);
    case ColumnType.Int:
    case ColumnType.Float64:
    case ColumnType.String: return <u64>rows * width;
    case ColumnType.Mixed: return <u64>rows;
    default: return 0;
  }
}

@inline export function payloadBytes(type: u32, rows: u32): u64 {
  return type == ColumnType.Mixed ? <u64>rows << 3 : 0;
}

/** Blocks must stay well below 4 GiB; anything larger cannot fit the memory anyway. */
export const MAX_BLOCK: u64 = 0xFFFF0000;

/** `count` with room for `count / headroom` more (headroom 0: none): what a compacted copy holds. */
@inline export function withHeadroom(count: u32, headroom: u32): u32 {
  return headroom == 0 ? count : <u32>min<u64>(0xFFFFFFF0, <u64>count + <u64>count / <u64>headroom);
}

/**
 * Bytes of the buffer that a descriptor field of `Pointers.ColumnBuffers` addresses: what it
 * holds (at the column's capacities: the memory report), or with `used` what its rows take, with
 * room for 1/`headroom` more (at its lengths: what compaction copies, or allocates for the copy).
 */
export function bufferBytes(column: usize, field: u32, used: bool, headroom: u32 = 0): u64 {
  const type = get(column, Descriptor.Type);
  const rows = used ? withHeadroom(get(column, Descriptor.Length), headroom) : get(column, Descriptor.Capacity);
  switch (field) {
    case Descriptor.Data: return dataBytes(type, get(column, Descriptor.Width), rows);
    case Descriptor.Payload: return payloadBytes(type, rows);
    case Descriptor.Nulls:
    case Descriptor.Missing: return get(column, field) != 0 ? <u64>bitmapBytes(rows) : 0;
    // A text column's Dict is its FSST symbol table (fsst.ts), or 0.
    case Descriptor.Dict: if (type == ColumnType.Text) return get(column, field) != 0 ? <u64>FsstTable.Bytes : 0;
      return <u64>(used ? withHeadroom(get(column, Descriptor.DictLength), headroom) : get(column, Descriptor.DictCapacity)) << 2;
    case Descriptor.DictIndex: return <u64>get(column, Descriptor.DictIndexCapacity) << 2;
    case Descriptor.Heap: return <u64>(used ? withHeadroom(get(column, Descriptor.HeapLength), headroom) : get(column, Descriptor.HeapCapacity));
    // A sparse column's index: 12 bytes per 64 of its rows (sparse.ts).
    case Descriptor.Sparse: return get(column, field) == 0 ? 0 : <u64>(used ? (withHeadroom(get(column, Descriptor.Rows), headroom) + 63) >>> 6 : get(column, Descriptor.Groups)) * 12;
    default: return 0;
  }
}

/** Everything the column holds, in bytes: its descriptor and every buffer (the figure `memory()` reports per column). */
export function columnBytes(column: usize): usize {
  let bytes: u64 = <u64>Descriptor.Bytes;
  for (let fields: u32 = Pointers.ColumnBuffers; fields != 0; fields &= fields - 1) bytes += bufferBytes(column, ctz(fields) << 2, false);
  return <usize>bytes;
}

export function bytesFor(rows: u32, type: u32, width: u32, bitmaps: u32): u64 {
  return dataBytes(type, width, rows) + payloadBytes(type, rows) + <u64>bitmaps * bitmapBytes(rows);
}

/** Bytes growing the column to `capacity` rows would add (0 if it already holds them). */
export function growthBytes(column: usize, capacity: u32): u64 {
  const current = get(column, Descriptor.Capacity);
  if (capacity <= current) return 0;
  const type = get(column, Descriptor.Type);
  const width = get(column, Descriptor.Width);
  const bitmaps: u32 = (get(column, Descriptor.Nulls) != 0 ? 1 : 0) + (get(column, Descriptor.Missing) != 0 ? 1 : 0);
  let bytes = bytesFor(capacity, type, width, bitmaps) - bytesFor(current, type, width, bitmaps) + 32;
  // A text heap grows with its rows at the bytes per row seen so far (text.ts textReserveRows).
  const length = get(column, Descriptor.Length);
  if (type == ColumnType.Text && length > 0) {
    const heap = <u64>get(column, Descriptor.HeapLength) * <u64>capacity / <u64>length;
    if (heap > <u64>get(column, Descriptor.HeapCapacity)) bytes += heap - <u64>get(column, Descriptor.HeapCapacity) + 32;
  }
  return bytes;
}
