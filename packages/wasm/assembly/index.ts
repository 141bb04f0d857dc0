// The ABI's functions: the only file of the module with exports. Their numbers are abi.ts,
// their JS signatures ../exports.ts, their table assembly/README.md; test/abi.test.ts fails
// when the built module and those disagree.
//
// Conventions
// - Pointers and lengths are u32 byte addresses into the exported memory (JS: `>>> 0`).
// - A column handle is the address of its descriptor (Descriptor in abi.ts); 0 = failure.
// - Append functions return a Status: Ok, OutOfMemory (nothing was appended and the store is
//   unchanged), WrongType (a facade bug: the column is of another type).
// - Nothing here traps on bad input or exhausted memory; failures come back as values.
import { ArenaStat, Status, StringTableField } from './abi';
import {
  arenaInit, arenaTop, arenaFreeBytes, arenaLeakedBytes, allocate, reallocate, release, replace, reserve as arenaReserve, hold,
} from './arena';
import { parseRelease } from './parse/document';
import { fsstAppendEnd } from './fsstAppend';
import {
  stringsInit, stringsReserve, stringsTrim, intern as internBytes, stringCountGet, stringHeapPtr, stringOffsetsPtr, stringTableBytes, stringsIndexed,
} from './strings';

export {
  columnCreate, appendNull, appendMissing, appendMissingRun, appendStruct, appendList, appendBool,
  appendString, appendCode, dictionaryCodes, appendMixed, appendText,
} from './column';
export { appendInt, appendFloat64 } from './numbers';
export { textReserve, textPreferred, compareUtf16 } from './text';
export { columnBytes } from './descriptor';
export { dictionaryFind, dictionaryLookup } from './dictionary';
export {
  scanIntRange, scanFloatRange, scanCodes, scanBool, scanListLength, maskPresent, scanPresence, scanCodeEquals, scanText,
} from './scan';
export {
  fillRange, bitmapAnd, bitmapOr, bitmapNot, bitmapCount, bitmapFirst, reduceAny, pickElement, expandToElements,
} from './bitmap';
export { scanColumns } from './compare';
export { firstIntRange, firstFloatRange, firstCodes, firstBool, firstCodeEquals, firstText } from './first';
export { parseBegin, parseFeed, parseStatus, parseKeyAs } from './parse/document';
export {
  parseInput,
} from './parse/input';
export { parsePointer, parsePointerMiss } from './parse/pointer';
export { parseAcceptSurrogates } from './parse/string';
export { schemaRoot, setRoot, nodeCreate, addField, publishFields, schemaReserveRows, schemaReviewDensity, schemaCompressText } from './schema';
export { sparseExpand, sparseCompress, sparseRowOf, sparseRank } from './sparse';
import { nodeGet, nodeSet } from './schema';
import { journalNodeField } from './journal';

/** Reads a schema node field (byte offset, see schema.ts). */
export function nodeField(node: usize, offset: u32): u32 {
  return nodeGet(node, offset);
}

/**
 * Writes a schema node field: the facade re-points a node at a rebuilt column this way.
 * Journaled (an append that fails puts the old value back); false when out of memory.
 */
export function nodeSetField(node: usize, offset: u32, value: u32): bool {
  if (!journalNodeField(node, offset, nodeGet(node, offset))) return false;
  nodeSet(node, offset, value);
  return true;
}
export { transactionBegin, transactionEnd } from './undo';
export { blockBytes, compact } from './compact';
export { aggregate } from './aggregate';
export { groupIds, groupCombine, groupCount, groupCountCodes, groupSum } from './groups';
export { stringsReserve };

let scratchPtr: usize = 0;
let scratchCapacity: usize = 0;

/** Resets the instance's allocator and string table; `maxPages` caps its memory (64 KiB pages). */
export function init(maxPages: i32): void {
  arenaInit(maxPages);
  stringsInit();
  scratchPtr = 0;
  scratchCapacity = 0;
}

/** Grows memory once so `bytes` more fit without further growth. False past the memory cap. */
export function reserve(bytes: f64): bool {
  return bytes >= 0 && bytes < 4294967296 && arenaReserve(<u64>bytes);
}

/** A buffer of at least `bytes` bytes for JS to write input into (strings to intern); 0 on failure. */
export function scratch(bytes: u32): usize {
  // `scratchPtr == 0`: no buffer yet. Without this check scratch(0) (interning "" before any
  // other string) returned 0, which callers must read as out of memory.
  if (<usize>bytes > scratchCapacity || scratchPtr == 0) {
    const capacity = max(<usize>bytes, 256);
    const moved = reallocate(scratchPtr, scratchCapacity, capacity);
    if (moved == 0) return 0;
    scratchPtr = moved;
    scratchCapacity = capacity;
  }
  return scratchPtr;
}


/** Interns the `length` bytes at the start of the scratch buffer; 0xFFFFFFFF when out of memory. */
export function intern(length: u32): u32 {
  return internBytes(scratchPtr, length);
}

/** The string table, by field (StringTableField in abi.ts): one export for five (README.md, Exports). */
export function stringTable(field: u32): u32 {
  switch (field) {
    case StringTableField.Count: return stringCountGet();
    case StringTableField.Heap: return <u32>stringHeapPtr();
    case StringTableField.Offsets: return <u32>stringOffsetsPtr();
    case StringTableField.Bytes: return stringTableBytes();
    case StringTableField.Indexed: return stringsIndexed() ? 1 : 0;
  }
  return 0;
}

/** The allocator's figures, by ArenaStat (abi.ts). */
export function arenaStat(stat: u32): u32 {
  switch (stat) {
    case ArenaStat.Top: return <u32>arenaTop();
    case ArenaStat.FreeBytes: return <u32>arenaFreeBytes();
    case ArenaStat.LeakedBytes: return <u32>arenaLeakedBytes();
  }
  return 0;
}

/** A zero-filled block of `bytes` (tests; compaction places each copied block so); 0 when out of memory. */
export function arenaAllocate(bytes: u32): usize {
  return allocate(bytes);
}

/**
 * Keeps `bytes` free under the memory cap for the query workspace, which is made on first use
 * (0 releases it, just before): no load or append may take that room meanwhile. False when the
 * room is not there any more (the earlier hold stays).
 */
export function arenaHold(bytes: f64): bool {
  return bytes >= 0 && bytes < 4294967296 && hold(<u64>bytes);
}

/** Gives back a block from arenaAllocate or arenaReplace. */
export function arenaRelease(ptr: usize, bytes: u32): void {
  release(ptr, bytes);
}

/**
 * The query workspace, re-sized by a load or append: a zero-filled block of `bytes` in place of
 * the block at `ptr` (0: none) of `oldBytes`, grown or cut where it stands when topmost. 0 when
 * out of memory, and the old block is left as it was (the store's queries keep using it).
 */
export function arenaReplace(ptr: usize, oldBytes: u32, bytes: u32): usize {
  return replace(ptr, oldBytes, bytes);
}

/** Ingest is over: give back the scratch buffer and the string table's growth headroom past 1/Limit.AppendHeadroom. */
export function finishIngest(): void {
  parseRelease();
  fsstAppendEnd();
  release(scratchPtr, scratchCapacity);
  scratchPtr = 0;
  scratchCapacity = 0;
  stringsTrim();
}
export { msxHash, msxCheck } from './validate';
