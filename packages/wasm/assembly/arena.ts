// The arena: memstore's own allocator over `memory.grow`.
//
// Why not AssemblyScript's TLSF or stub allocator: both double the memory on every growth,
// and WASM memory never shrinks, so a 10 MB store could hold 16 MB for good. Here memory
// grows by what is needed (or a modest 1/8 step while data streams in), and `reserve` sizes
// it exactly when the caller knows the total up front.
//
// `replace` serves the query workspace, which is re-sized once per load or append: in place when
// it is the topmost block, with exact growth (it is one block, not data streaming in). Until a
// store's first query the workspace is not made, only its room kept under the cap (`hold`): no
// other allocation may take that room, so the first query always finds it.
//
// Rules (callers keep them):
// - Callers remember block sizes; `release` and `reallocate` take the size that was asked for.
// - Every block is 8-byte aligned (Float64Array views need it) and zero-filled.
// - A failed allocation returns 0 and changes nothing; it never traps.

const ALIGN: usize = 8;
/** Entries of the free list (a first-fit scan reads them all: more made a 10,000-key map load 1.5x slower). */
const MAX_FREE_BLOCKS: i32 = 512;
const MIN_SPLIT: usize = 64;
const PAGE_BYTES: u64 = 65536;

// (pointer, size) pairs of released blocks below `top`. A full list keeps the largest blocks: a
// smaller one released then, or the smallest listed, is leaked (`leakedBytes`). Leaking every
// release past a full list lost 132 of the 225 MiB a 100k-event load took before its compaction
// (a wide load grows hundreds of columns, each releasing its old buffers); keeping the largest
// loses 0.
const freeBlocks: usize = memory.data(<i32>(MAX_FREE_BLOCKS * 8), 8);
let freeCount: i32 = 0;
let top: usize = 0;
// Everything at or above `highWater` has never been written, so it is still zero.
let highWater: usize = 0;
let limitPages: i32 = 65536;
let leakedBytes: usize = 0;
// Bytes kept free under the cap (`hold`): allocations stop that far below it.
let heldBytes: u64 = 0;
// Pages of the memory when a compaction last fitted the store into it (arenaFitted), 0 before.
let fittedPages: i32 = 0;

/**
 * A compaction fitted the store into this memory (compact.ts compactAdopt): up to 1/8 past its
 * size, memory then grows by the pages needed only, so what it grows by is held, not free. A
 * fitted store has no room, and a small append's first allocation (the string table's index the
 * copy left out: 1 MB of a 24 MB events store) grew memory by a 1/8 step, which broke the 5% rule,
 * and the store was copied again: a one-line append took 35-40 ms, a copy each. Past 1/8, data
 * is streaming in and the 1/8 steps serve it.
 */
export function arenaFitted(): void {
  fittedPages = memory.size();
}

@inline function alignUp(size: usize): usize {
  return (size + ALIGN - 1) & ~(ALIGN - 1);
}

export function arenaInit(maxPages: i32): void {
  top = alignUp(__heap_base);
  highWater = top;
  freeCount = 0;
  leakedBytes = 0;
  heldBytes = 0;
  limitPages = min(max(maxPages, memory.size()), 65536);
}

/** Where allocations stop: the cap, less the room held for a later block. */
@inline function limitBytes(): u64 {
  return <u64>limitPages * PAGE_BYTES - heldBytes;
}

/**
 * Keeps `bytes` free above the top under the cap, for a block to be allocated later (the
 * query workspace: released with hold(0) just before it is made); replaces any earlier hold.
 * False, the earlier hold kept, when that room is no longer there.
 */
export function hold(bytes: u64): bool {
  if (<u64>top + bytes + ALIGN > <u64>limitPages * PAGE_BYTES) return false;
  heldBytes = bytes;
  return true;
}

export function arenaTop(): usize {
  return top;
}

export function arenaLeakedBytes(): usize {
  return leakedBytes;
}

export function arenaFreeBytes(): usize {
  let total: usize = 0;
  for (let i = 0; i < freeCount; i++) total += load<u32>(freeBlocks + (<usize>i << 3) + 4);
  return total;
}

/** Grows memory so that `end` is addressable. `exact` grows by the pages needed only. */
function commit(end: u64, exact: bool): bool {
  if (end > limitBytes()) return false;
  const committed = <u64>memory.size() * PAGE_BYTES;
  if (end <= committed) return true;
  const neededPages = <i32>((end - committed + PAGE_BYTES - 1) / PAGE_BYTES);
  const current = memory.size();
  let step = exact || current + neededPages <= fittedPages + (fittedPages >> 3) ? neededPages : max(neededPages, current >> 3);
  if (<u64>(current + step) * PAGE_BYTES > limitBytes()) step = neededPages;
  if (memory.grow(step) >= 0) return true;
  return step != neededPages && memory.grow(neededPages) >= 0;
}

/**
 * True when a block of `size` bytes can be had: above `top` without passing the memory limit,
 * or from a released block (after a failed load near the cap, only those may be left).
 */
export function canAllocate(size: u64): bool {
  if (<u64>top + size + ALIGN <= limitBytes()) return true;
  for (let i = 0; i < freeCount; i++) {
    if (<u64>load<u32>(freeBlocks + (<usize>i << 3) + 4) >= size) return true;
  }
  return false;
}

/** Grows memory once so that `size` more bytes fit above `top`; no headroom is added. */
export function reserve(size: u64): bool {
  return commit(<u64>top + size, true);
}

function zero(ptr: usize, size: usize): void {
  if (ptr >= highWater) return;
  const end = min(ptr + size, highWater);
  memory.fill(ptr, 0, end - ptr);
}

/** `exact`: grow memory by the pages needed only (see commit); data streaming in takes the 1/8 steps. */
export function allocate(requested: usize, exact: bool = false): usize {
  if (requested == 0) return ALIGN; // a valid, never-dereferenced address for empty blocks
  const size = alignUp(requested);
  for (let i = 0; i < freeCount; i++) {
    const entry = freeBlocks + (<usize>i << 3);
    const blockPtr = load<u32>(entry);
    const blockSize = <usize>load<u32>(entry + 4);
    if (blockSize < size) continue;
    if (blockSize - size >= MIN_SPLIT) {
      store<u32>(entry, <u32>blockPtr + <u32>size);
      store<u32>(entry + 4, <u32>(blockSize - size));
    } else {
      removeFree(i);
      if (blockSize > size) leakedBytes += blockSize - size;
    }
    memory.fill(blockPtr, 0, size);
    return blockPtr;
  }
  const end = <u64>top + <u64>size;
  if (end > 0xFFFFFFF0 || !commit(end, exact)) return 0;
  const ptr = top;
  top = <usize>end;
  zero(ptr, size);
  if (top > highWater) highWater = top;
  return ptr;
}

export function release(ptr: usize, requested: usize): void {
  if (requested == 0 || ptr == 0) return;
  const size = alignUp(requested);
  if (ptr + size == top) {
    top = ptr;
    absorbFreeBlocksAtTop();
    return;
  }
  // Coalesce with a neighbour so widening (free narrow, allocate wide) does not fragment.
  for (let i = 0; i < freeCount; i++) {
    const entry = freeBlocks + (<usize>i << 3);
    const blockPtr = <usize>load<u32>(entry);
    const blockSize = <usize>load<u32>(entry + 4);
    if (blockPtr + blockSize == ptr) {
      store<u32>(entry + 4, <u32>(blockSize + size));
      return;
    }
    if (ptr + size == blockPtr) {
      store<u32>(entry, <u32>ptr);
      store<u32>(entry + 4, <u32>(blockSize + size));
      return;
    }
  }
  if (freeCount == MAX_FREE_BLOCKS) {
    let smallest = 0;
    for (let i = 1; i < freeCount; i++) {
      if (load<u32>(freeBlocks + (<usize>i << 3) + 4) < load<u32>(freeBlocks + (<usize>smallest << 3) + 4)) smallest = i;
    }
    const entry = freeBlocks + (<usize>smallest << 3);
    const smallestSize = <usize>load<u32>(entry + 4);
    if (smallestSize >= size) {
      leakedBytes += size;
      return;
    }
    leakedBytes += smallestSize;
    store<u32>(entry, <u32>ptr);
    store<u32>(entry + 4, <u32>size);
    return;
  }
  const entry = freeBlocks + (<usize>freeCount << 3);
  store<u32>(entry, <u32>ptr);
  store<u32>(entry + 4, <u32>size);
  freeCount++;
}

/** Resizes a block, in place when it is the topmost one. Returns 0 (old block intact) on failure. */
export function reallocate(ptr: usize, oldRequested: usize, newRequested: usize): usize {
  if (oldRequested == 0 || ptr == 0) return allocate(newRequested);
  const oldSize = alignUp(oldRequested);
  const newSize = alignUp(newRequested);
  if (newSize == oldSize) return ptr;
  if (newSize < oldSize) {
    release(ptr + newSize, oldSize - newSize);
    return ptr;
  }
  if (ptr + oldSize == top) {
    const end = <u64>ptr + <u64>newSize;
    if (end <= 0xFFFFFFF0 && commit(end, false)) {
      zero(top, newSize - oldSize);
      top = <usize>end;
      if (top > highWater) highWater = top;
      return ptr;
    }
    // No room above the top (near the cap): a released block may still hold it, as canAllocate
    // promised callers. Failing here left a column growing with a 0 buffer (an append near its
    // cap then wrote text offsets at address 0).
  }
  const moved = allocate(newSize);
  if (moved == 0) return 0;
  memory.copy(moved, ptr, oldSize);
  release(ptr, oldSize);
  return moved;
}

/**
 * A zero-filled block of `newRequested` bytes in place of the block at `ptr` (0: none) of
 * `oldRequested`, whose contents are not kept: cut or grown where it stands when it is the
 * topmost block, else a new block (a released one first, else exact growth) and the old one
 * released. Returns 0 on failure with the old block intact, so its owner can go on using it.
 */
export function replace(ptr: usize, oldRequested: usize, newRequested: usize): usize {
  const oldSize = alignUp(oldRequested);
  const size = alignUp(newRequested);
  if (ptr != 0 && oldSize != 0 && size != 0 && ptr + oldSize == top) {
    const end = <u64>ptr + <u64>size;
    if (end <= 0xFFFFFFF0 && commit(end, true)) {
      top = <usize>end;
      zero(ptr, size);
      if (top > highWater) highWater = top;
      return ptr;
    }
  }
  const fresh = allocate(newRequested, true);
  if (fresh == 0) return 0;
  release(ptr, oldRequested);
  return fresh;
}

function removeFree(index: i32): void {
  freeCount--;
  if (index != freeCount) {
    const last = freeBlocks + (<usize>freeCount << 3);
    const entry = freeBlocks + (<usize>index << 3);
    store<u32>(entry, load<u32>(last));
    store<u32>(entry + 4, load<u32>(last + 4));
  }
}

function absorbFreeBlocksAtTop(): void {
  let found = true;
  while (found) {
    found = false;
    for (let i = 0; i < freeCount; i++) {
      const entry = freeBlocks + (<usize>i << 3);
      const blockPtr = <usize>load<u32>(entry);
      if (blockPtr + <usize>load<u32>(entry + 4) == top) {
        top = blockPtr;
        removeFree(i);
        found = true;
        break;
      }
    }
  }
}
