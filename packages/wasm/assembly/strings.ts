// The string table: every distinct string of a store, interned once, whichever column holds it.
//
// Layout (all blocks from the arena):
//   heap     UTF-8 bytes (WTF-8 for lone surrogates) of every string, back to back
//   offsets  u32[count + 1]; string `id` is heap[offsets[id] .. offsets[id + 1])
//   index    u32[indexCapacity] open-addressing hash table of `id + 1` (0 = empty slot) under
//            the mask, the hash's bits above it as a tag (entryOf),
//            indexCapacity a power of two, kept at most 3/4 full (hashBytes; half full, this
//            index and the dictionaries' took 9.5 of a 100k-event store's 77 MB: at 3/4 the
//            store is 69.9 MiB, not 73.4, and loads no slower); none (0) after a load's copy
//            into a fitted instance (stringsSave) or a .msx load, until an append builds it
//            again first (stringsEnsureIndex, from transactionBegin)
//
// Why a loaded store keeps no index: it only serves interning, and the literals of queries, which
// dictionary.ts dictionaryLookup then finds among their column's own dictionary instead (work
// bounded by the column, as the query's scan is). It was 1 MiB of the events feed's 41.1 MiB
// (262,144 slots for 136,378 strings); below 4,096 strings it had been dropped already (32 KiB of
// a 100-tweet store's 275 KiB). A load that is not copied keeps it: WebAssembly memory cannot
// shrink, so dropping it there would give nothing back (compact.ts indexLeftOut).
import { Limit, Roots, Sentinel } from './abi';
import { allocate, canAllocate, reallocate, release } from './arena';
import { withHeadroom } from './descriptor';


let heapPtr: usize = 0;
let heapLength: u32 = 0;
let heapCapacity: u32 = 0;
let offsetsPtr: usize = 0;
let offsetsCapacity: u32 = 0; // entries
let stringCount: u32 = 0;
let indexPtr: usize = 0;
let indexCapacity: u32 = 0;

export function stringsInit(): void {
  heapPtr = 0;
  heapLength = 0;
  heapCapacity = 0;
  offsetsPtr = allocate(4);
  offsetsCapacity = 1;
  stringCount = 0;
  indexPtr = 0;
  indexCapacity = 0;
}

export function stringCountGet(): u32 { return stringCount; }
export function stringHeapPtr(): usize { return heapPtr; }
export function stringOffsetsPtr(): usize { return offsetsPtr; }
export function stringTableBytes(): u32 {
  return heapCapacity + offsetsCapacity * 4 + indexCapacity * 4;
}

/**
 * A hash of the bytes, 8 at a time: each word is multiplied in and folded (as wyhash and
 * xxHash do), the tail read as one short word, then an avalanche so the low bits the tables
 * mask with depend on every byte. FNV-1a's byte at a time made interning URLs and hashes
 * (50-100 bytes) the largest cost of parsing wide records. Not stored anywhere: the tables
 * rehash from the bytes whenever they grow.
 */
export function hashBytes(ptr: usize, length: u32): u32 {
  let hash: u64 = 0x9E3779B97F4A7C15 ^ <u64>length;
  let i: u32 = 0;
  for (; i + 8 <= length; i += 8) {
    hash = (hash ^ load<u64>(ptr + i)) * 0xBF58476D1CE4E5B9;
    hash ^= hash >>> 29;
  }
  if (i < length) {
    let tail: u64 = 0;
    for (let k: u32 = 0; i + k < length; k++) tail |= <u64>load<u8>(ptr + i + k) << (<u64>k << 3);
    hash = (hash ^ tail) * 0xBF58476D1CE4E5B9;
    hash ^= hash >>> 29;
  }
  hash *= 0x94D049BB133111EB;
  hash ^= hash >>> 32;
  return <u32>hash;
}

/** Whether `length` bytes at `a` and at `b` are equal (8 at a time): key and dictionary matches. */
@inline export function bytesEqual(a: usize, b: usize, length: u32): bool {
  let i: u32 = 0;
  for (; i + 8 <= length; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  for (; i < length; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/** Whether string `id` holds the `length` bytes at `ptr`. */
export function sameBytes(id: u32, ptr: usize, length: u32): bool {
  const start = load<u32>(offsetsPtr + (<usize>id << 2));
  const end = load<u32>(offsetsPtr + (<usize>(id + 1) << 2));
  if (end - start != length) return false;
  // 8 bytes a step (memory.compare goes a byte at a time unless both sides share their alignment).
  return bytesEqual(heapPtr + start, ptr, length);
}

// An index slot holds id + 1 in the bits under the mask (the capacity is more than the count,
// so it fits) and the hash's bits above it, a tag: most probes past another string's entry end
// on the tag, without loading that string's offsets (a cache miss each, in a table of 345,961
// strings). No byte more than an entry of id + 1 alone.

@inline function entryOf(id: u32, hash: u32, mask: u32): u32 {
  return (hash & ~mask) | (id + 1);
}

/** The string id in a (non-zero) entry. */
@inline function entryId(entry: u32, mask: u32): u32 {
  return (entry & mask) - 1;
}

/** Whether an entry may hold a string of this hash (its tag agrees); then its bytes decide. */
@inline function tagMatches(entry: u32, hash: u32, mask: u32): bool {
  return ((entry ^ hash) & ~mask) == 0;
}

/** Capacity hints from a caller that knows the totals: avoids regrowth and headroom. */
export function stringsReserve(count: u32, bytes: u32): bool {
  if (!growHeap(bytes)) return false;
  if (!growOffsets(count + 1)) return false;
  return growIndex(count);
}

function growHeap(needed: u32): bool {
  if (needed <= heapCapacity) return true;
  let capacity = max(needed, heapCapacity + (heapCapacity >>> 1));
  if (!canAllocate(<u64>capacity)) capacity = needed;
  const moved = reallocate(heapPtr, heapCapacity, capacity);
  if (moved == 0) return false;
  heapPtr = moved;
  heapCapacity = capacity;
  return true;
}

function growOffsets(entries: u32): bool {
  if (entries <= offsetsCapacity) return true;
  let capacity = max(entries, offsetsCapacity + (offsetsCapacity >>> 1));
  if (!canAllocate(<u64>capacity * 4)) capacity = entries;
  const moved = reallocate(offsetsPtr, offsetsCapacity << 2, capacity << 2);
  if (moved == 0) return false;
  offsetsPtr = moved;
  offsetsCapacity = capacity;
  return true;
}

function growIndex(count: u32): bool {
  let capacity: u32 = max(indexCapacity, 16);
  while (<u64>capacity * 3 < <u64>count * 4) capacity <<= 1;
  if (capacity == indexCapacity) return true;
  const fresh = allocate(<usize>capacity << 2);
  if (fresh == 0) return false;
  const mask = capacity - 1;
  for (let id: u32 = 0; id < stringCount; id++) {
    const start = load<u32>(offsetsPtr + (<usize>id << 2));
    const end = load<u32>(offsetsPtr + (<usize>(id + 1) << 2));
    const hash = hashBytes(heapPtr + start, end - start);
    let slot = hash & mask;
    while (load<u32>(fresh + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
    store<u32>(fresh + (<usize>slot << 2), entryOf(id, hash, mask));
  }
  release(indexPtr, <usize>indexCapacity << 2);
  indexPtr = fresh;
  indexCapacity = capacity;
  return true;
}

/** Whether the table has its hash index (none after a load's copy, until an append). */
export function stringsIndexed(): bool {
  return indexCapacity != 0;
}

/** The id of the string held in `length` bytes at `ptr`, or Sentinel.NotInterned; never adds. Only with the index (stringsIndexed). */
export function find(ptr: usize, length: u32): u32 {
  if (indexCapacity == 0) return Sentinel.NotInterned;
  const mask = indexCapacity - 1;
  const hash = hashBytes(ptr, length);
  let slot = hash & mask;
  while (true) {
    const entry = load<u32>(indexPtr + (<usize>slot << 2));
    if (entry == 0) return Sentinel.NotInterned;
    if (tagMatches(entry, hash, mask) && sameBytes(entryId(entry, mask), ptr, length)) return entryId(entry, mask);
    slot = (slot + 1) & mask;
  }
}

/**
 * Returns the id of the string held in `length` bytes at `ptr`, adding it if new.
 * Sentinel.InternFailed when memory is exhausted (the table is unchanged).
 */
export function intern(ptr: usize, length: u32): u32 {
  if (indexCapacity == 0 && !growIndex(stringCount + 1)) return Sentinel.InternFailed;
  const hash = hashBytes(ptr, length);
  let mask = indexCapacity - 1;
  let slot = hash & mask;
  while (true) {
    const entry = load<u32>(indexPtr + (<usize>slot << 2));
    if (entry == 0) break;
    if (tagMatches(entry, hash, mask) && sameBytes(entryId(entry, mask), ptr, length)) return entryId(entry, mask);
    slot = (slot + 1) & mask;
  }
  if (<u64>heapLength + <u64>length > 0xFFFFFFF0) return Sentinel.InternFailed;
  if (!growHeap(heapLength + length) || !growOffsets(stringCount + 2)) return Sentinel.InternFailed;
  if (<u64>(stringCount + 1) * 4 > <u64>indexCapacity * 3) {
    if (!growIndex(stringCount + 1)) return Sentinel.InternFailed;
    mask = indexCapacity - 1;
    slot = hash & mask;
    while (load<u32>(indexPtr + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
  }
  const id = stringCount;
  memory.copy(heapPtr + heapLength, ptr, length);
  heapLength += length;
  store<u32>(offsetsPtr + (<usize>(id + 1) << 2), heapLength);
  store<u32>(indexPtr + (<usize>slot << 2), entryOf(id, hash, mask));
  stringCount++;
  return id;
}

/**
 * Forgets every string from id `count` on (interned by an undone append or a skipped line):
 * their bytes are reused by the next strings. Newest first: each was the last one inserted
 * into the index (a grown index inserts in id order), so clearing its slot is safe.
 */
export function stringsTruncate(count: u32): void {
  if (stringCount > count && indexCapacity == 0) {
    heapLength = load<u32>(offsetsPtr + (<usize>count << 2));
    stringCount = count;
  }
  const mask = indexCapacity - 1;
  while (stringCount > count) {
    const id = stringCount - 1;
    const start = load<u32>(offsetsPtr + (<usize>id << 2));
    const end = load<u32>(offsetsPtr + (<usize>(id + 1) << 2));
    let slot = hashBytes(heapPtr + start, end - start) & mask;
    while ((load<u32>(indexPtr + (<usize>slot << 2)) & mask) != id + 1) slot = (slot + 1) & mask;
    store<u32>(indexPtr + (<usize>slot << 2), 0);
    heapLength = start;
    stringCount = id;
  }
}

/**
 * Keeps only the strings `remap` marks and renumbers them in order (collect.ts): `remap` holds a
 * u32 per id, the string's new id + 1, or 0 for a string dropped; `live` strings stay. Their bytes
 * move down the heap in place (a string's new offset is never past its old one). The index is
 * given back: the compaction leaves it out, and the next append builds it again first
 * (stringsEnsureIndex).
 */
export function stringsRenumber(remap: usize, live: u32): void {
  let end: u32 = 0;
  for (let id: u32 = 0; id < stringCount; id++) {
    const fresh = load<u32>(remap + (<usize>id << 2));
    if (fresh == 0) continue;
    // Offsets up to `id` are read before offsets[fresh - 1] ≤ offsets[id] is written.
    const start = load<u32>(offsetsPtr + (<usize>id << 2));
    const length = load<u32>(offsetsPtr + (<usize>(id + 1) << 2)) - start;
    memory.copy(heapPtr + <usize>end, heapPtr + <usize>start, length);
    store<u32>(offsetsPtr + (<usize>(fresh - 1) << 2), end);
    end += length;
  }
  store<u32>(offsetsPtr + (<usize>live << 2), end);
  heapLength = end;
  stringCount = live;
  release(indexPtr, <usize>indexCapacity << 2);
  indexPtr = 0;
  indexCapacity = 0;
}

/** Gives back the heap's and offsets' growth headroom past 1/Limit.AppendHeadroom (when an ingest ends). */
export function stringsTrim(): void {
  // Down to that room, not to none: the next append's first new string would otherwise move the
  // whole heap (a 7.5 MB block for one line appended to 50,000 events, the old one left free),
  // which broke the 5% rule and had the store copied again. A load's copy then sizes it exactly;
  // an append's keeps the same room.
  const heapKept = withHeadroom(heapLength, Limit.AppendHeadroom);
  if (heapCapacity > heapKept) {
    const heapMoved = reallocate(heapPtr, heapCapacity, heapKept);
    if (heapMoved != 0 || heapKept == 0) {
      heapPtr = heapMoved;
      heapCapacity = heapKept;
    }
  }
  const offsetsKept = withHeadroom(stringCount + 1, Limit.AppendHeadroom);
  if (offsetsCapacity > offsetsKept) {
    const offsetsMoved = reallocate(offsetsPtr, offsetsCapacity << 2, offsetsKept << 2);
    if (offsetsMoved != 0) {
      offsetsPtr = offsetsMoved;
      offsetsCapacity = offsetsKept;
    }
  }
}


/** The hash index built again when the table has none (after a load's copy; before an append interns or looks keys up); false when out of memory. */
export function stringsEnsureIndex(): bool {
  return indexCapacity != 0 || stringCount == 0 || growIndex(stringCount + 1);
}

/**
 * Writes the table's state into a `Roots` record at `roots` (compaction carries it to a new
 * instance). `dropIndex` (every compaction): the table goes without its index, which is then
 * not copied (why: the header). Answers the index's bytes left out (0 when kept).
 */
export function stringsSave(roots: usize, dropIndex: bool = false): u32 {
  store<u32>(roots + Roots.StringHeap, <u32>heapPtr);
  store<u32>(roots + Roots.StringHeapLength, heapLength);
  store<u32>(roots + Roots.StringHeapCapacity, heapCapacity);
  store<u32>(roots + Roots.StringOffsets, <u32>offsetsPtr);
  store<u32>(roots + Roots.StringOffsetsCapacity, offsetsCapacity);
  store<u32>(roots + Roots.StringCount, stringCount);
  store<u32>(roots + Roots.StringIndex, dropIndex ? 0 : <u32>indexPtr);
  store<u32>(roots + Roots.StringIndexCapacity, dropIndex ? 0 : indexCapacity);
  return dropIndex ? indexCapacity << 2 : 0;
}

/**
 * Bytes of the table's block that a `Roots` field addresses: what its strings take, with room for
 * 1/`headroom` more (0: none) — what compaction copies (headroom 0) and allocates for the copy.
 */
export function stringsBlockBytes(roots: usize, field: u32, headroom: u32): u32 {
  if (field == Roots.StringHeap) return withHeadroom(load<u32>(roots + Roots.StringHeapLength), headroom);
  if (field == Roots.StringOffsets) return withHeadroom(load<u32>(roots + Roots.StringCount) + 1, headroom) << 2;
  if (field == Roots.StringIndex) return load<u32>(roots + Roots.StringIndexCapacity) << 2;
  return 0;
}

/** Takes the table from a `Roots` record whose blocks were copied into blocks of stringsBlockBytes(…, headroom). */
export function stringsAdopt(roots: usize, headroom: u32): void {
  heapPtr = <usize>load<u32>(roots + Roots.StringHeap);
  heapLength = load<u32>(roots + Roots.StringHeapLength);
  heapCapacity = withHeadroom(heapLength, headroom);
  offsetsPtr = <usize>load<u32>(roots + Roots.StringOffsets);
  stringCount = load<u32>(roots + Roots.StringCount);
  offsetsCapacity = withHeadroom(stringCount + 1, headroom);
  indexPtr = <usize>load<u32>(roots + Roots.StringIndex);
  indexCapacity = load<u32>(roots + Roots.StringIndexCapacity);
}

/** Address and length of string `id`'s bytes in the heap. */
@inline export function stringStart(id: u32): usize {
  return heapPtr + <usize>load<u32>(offsetsPtr + (<usize>id << 2));
}

@inline export function stringLength(id: u32): u32 {
  return load<u32>(offsetsPtr + (<usize>(id + 1) << 2)) - load<u32>(offsetsPtr + (<usize>id << 2));
}

/**
 * Whether a table adopted without an index (a loaded .msx file's) holds each string once: a hash
 * index built, each string inserted once, then dropped, as a compaction drops it. The
 * first id whose bytes an earlier id already holds, -1 when every string is distinct, -2 when
 * out of memory.
 */
export function stringsFirstRepeat(): i64 {
  let capacity: u32 = 16;
  while (<u64>capacity * 3 < <u64>stringCount * 4) capacity <<= 1;
  const fresh = allocate(<usize>capacity << 2);
  if (fresh == 0) return -2;
  const mask = capacity - 1;
  for (let id: u32 = 0; id < stringCount; id++) {
    const start = load<u32>(offsetsPtr + (<usize>id << 2));
    const length = load<u32>(offsetsPtr + (<usize>(id + 1) << 2)) - start;
    const hash = hashBytes(heapPtr + start, length);
    let slot = hash & mask;
    while (true) {
      const entry = load<u32>(fresh + (<usize>slot << 2));
      if (entry == 0) break;
      if (tagMatches(entry, hash, mask) && sameBytes(entryId(entry, mask), heapPtr + start, length)) {
        release(fresh, <usize>capacity << 2);
        return <i64>id;
      }
      slot = (slot + 1) & mask;
    }
    store<u32>(fresh + (<usize>slot << 2), entryOf(id, hash, mask));
  }
  release(fresh, <usize>capacity << 2);
  return -1;
}
