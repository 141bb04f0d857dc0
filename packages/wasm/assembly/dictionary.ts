// A string column's dictionary: `Dict` maps each code to its string id, in first-seen order,
// and `DictIndex`, an open-addressing hash (a power of two of slots, at most 3/4 full), maps
// a string id back to its code: a slot holds code + 1 under the capacity's mask (0 = empty) and
// the id's low bits above it (see probe). Appends look a string up here and add it when new;
// queries look up the code of a literal (dictionaryLookup). A dictionary of at most
// Limit.SmallDictionary entries has no index: its ids are scanned instead.
import { ColumnType, Descriptor, Limit, Sentinel } from './abi';
import { allocate, reallocate, release } from './arena';
import { get, set } from './descriptor';
import { journalDictEntry } from './journal';
import { find, sameBytes, stringCountGet, stringsIndexed } from './strings';

// Why Limit.SmallDictionary: a dictionary that small keeps no index (DictIndex 0). A scan of its
// ids, four a step, finds a code about as fast as a hash probe, and a store's many small string
// columns then hold no index at all: the indexes were 33.7 KB of a 100-tweet store's 131 KB of
// columns (172 string columns, most with fewer than 128 distinct values). Past it, the index is
// built while strings arrive, and a compaction drops it (dictionaryDropIndex, collect.ts):
// a query's literal is then found by the same scan, which costs at most what the query's scan of
// the column's codes costs (a dictionary has no more entries than its column has rows), and the
// first append that adds to the column builds it again (dictionaryCode). What this, the string
// table's collection and the fit-time review of dictionaries saved together: events 55.0 → 41.1 MiB
// used (packages/bench/results/feeds-before-collect.md, feeds.md).

/** The first code of the `length` entries at `dict` that holds `stringId`, or -1. */
function scanDictionary(dict: usize, length: u32, stringId: u32): i32 {
  const wanted = i32x4.splat(stringId);
  let code: u32 = 0;
  for (; code + 4 <= length; code += 4) {
    const hits = i32x4.bitmask(i32x4.eq(v128.load(dict + (<usize>code << 2)), wanted));
    if (hits != 0) return <i32>(code + ctz(hits));
  }
  for (; code < length; code++) if (load<u32>(dict + (<usize>code << 2)) == stringId) return <i32>code;
  return -1;
}

@inline function mixId(stringId: u32): u32 {
  return stringId * 0x9E3779B1;
}

export function growDictionary(column: usize, entries: u32): bool {
  const capacity = get(column, Descriptor.DictCapacity);
  if (entries > capacity) {
    const grown = max(entries, capacity + (capacity >>> 1));
    const dict = reallocate(<usize>get(column, Descriptor.Dict), <usize>capacity << 2, <usize>grown << 2);
    if (dict == 0) return false;
    set(column, Descriptor.Dict, <u32>dict);
    set(column, Descriptor.DictCapacity, grown);
  }
  const indexCapacity = get(column, Descriptor.DictIndexCapacity);
  if (<u64>entries * 4 <= <u64>indexCapacity * 3 || (indexCapacity == 0 && entries <= <u32>Limit.SmallDictionary)) return true;
  let slots: u32 = max(indexCapacity, 8);
  while (<u64>slots * 3 < <u64>entries * 4) slots <<= 1;
  const index = allocate(<usize>slots << 2);
  if (index == 0) return false;
  insertCodes(column, index, slots);
  release(<usize>get(column, Descriptor.DictIndex), <usize>indexCapacity << 2);
  set(column, Descriptor.DictIndex, <u32>index);
  set(column, Descriptor.DictIndexCapacity, slots);
  return true;
}

/** Every code of the column's dictionary into the empty index of `slots` slots at `index`, in code order (dictionaryPop relies on it). */
function insertCodes(column: usize, index: usize, slots: u32): void {
  const dict = <usize>get(column, Descriptor.Dict);
  const length = get(column, Descriptor.DictLength);
  const mask = slots - 1;
  const shift = ctz(slots);
  for (let code: u32 = 0; code < length; code++) {
    const id = load<u32>(dict + (<usize>code << 2));
    let slot = mixId(id) & mask;
    while (load<u32>(index + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
    store<u32>(index + (<usize>slot << 2), slotEntry(id, code, shift));
  }
}

// Why a slot holds the id's low bits: a probe that compared the id in the dictionary entry its
// slot named loaded that entry, a cache miss of its own, on each of an events load's 1.2 million
// hits in indexed dictionaries. While every id fits above the mask (the table holds at most
// 2^(32 - log2 slots) strings: a dictionary of up to 8,192 slots in a table of 524,288 strings)
// the bits are the whole id and decide alone; past that, an agreeing tag is checked against the
// entry, as before. The slot stays 4 bytes: an appended store keeps its indexes.

/** A slot's entry for `code` of string `id` in an index of 2^`shift` slots: code + 1 under the mask, the id's low bits above. */
@inline function slotEntry(id: u32, code: u32, shift: u32): u32 {
  return (id << shift) | (code + 1);
}

/** Where the last probe stopped: the slot of the id's entry, or the empty slot that ended it. */
let probeSlot: u32 = 0;

/** The code + 1 the index of column `column` holds for `stringId` (0: none), its slot in probeSlot. */
@inline function probe(column: usize, index: usize, stringId: u32): u32 {
  const slots = get(column, Descriptor.DictIndexCapacity);
  const mask = slots - 1;
  const shift = ctz(slots);
  const tag = stringId << shift;
  const whole = (<u64>stringCountGet() << shift) <= 0x100000000;
  let slot = mixId(stringId) & mask;
  while (true) {
    const entry = load<u32>(index + (<usize>slot << 2));
    if (entry == 0 || (((entry ^ tag) & ~mask) == 0 && (whole || dictionaryId(column, (entry & mask) - 1) == stringId))) {
      probeSlot = slot;
      return entry & mask;
    }
    slot = (slot + 1) & mask;
  }
}

/** The column's code for `stringId`, or -1 when the column has never held that string. */
export function dictionaryFind(column: usize, stringId: u32): i32 {
  if (get(column, Descriptor.Type) != ColumnType.String) return -1;
  const index = <usize>get(column, Descriptor.DictIndex);
  const dict = <usize>get(column, Descriptor.Dict);
  if (index == 0) return scanDictionary(dict, get(column, Descriptor.DictLength), stringId);
  return <i32>probe(column, index, stringId) - 1;
}

/**
 * The column's code for the string in `length` bytes at `ptr` (a query's literal), or -1 when the
 * column has never held it: through the string table's index, or, in a store whose table
 * has none (strings.ts), by comparing the dictionary's own strings with it, lengths first — work
 * bounded by the column's entries, as the query's scan of its codes is.
 */
export function dictionaryLookup(column: usize, ptr: usize, length: u32): i32 {
  if (get(column, Descriptor.Type) != ColumnType.String) return -1;
  if (stringsIndexed()) {
    const id = find(ptr, length);
    return id == Sentinel.NotInterned ? -1 : dictionaryFind(column, id);
  }
  const dict = <usize>get(column, Descriptor.Dict);
  const entries = get(column, Descriptor.DictLength);
  for (let code: u32 = 0; code < entries; code++) if (sameBytes(load<u32>(dict + (<usize>code << 2)), ptr, length)) return <i32>code;
  return -1;
}

/** The column's code for `stringId`, added to its dictionary if new; -1 when out of memory. */
export function dictionaryCode(column: usize, stringId: u32): i64 {
  let index = <usize>get(column, Descriptor.DictIndex);
  // A loaded store's dictionary past the small size has no index (dictionaryDropIndex): built again for the appends.
  if (index == 0 && get(column, Descriptor.DictLength) > <u32>Limit.SmallDictionary) {
    if (!growDictionary(column, get(column, Descriptor.DictLength))) return -1;
    index = <usize>get(column, Descriptor.DictIndex);
  }
  if (index != 0) {
    const code = probe(column, index, stringId);
    if (code != 0) return <i64>(code - 1);
  } else {
    const found = scanDictionary(<usize>get(column, Descriptor.Dict), get(column, Descriptor.DictLength), stringId);
    if (found >= 0) return <i64>found;
  }
  const code = get(column, Descriptor.DictLength);
  if (!growDictionary(column, code + 1) || !journalDictEntry(column)) return -1;
  // growDictionary builds the index when the dictionary passes Limit.SmallDictionary (every code so far in it).
  index = <usize>get(column, Descriptor.DictIndex);
  if (index != 0) {
    probe(column, index, stringId);
    store<u32>(index + (<usize>probeSlot << 2), slotEntry(stringId, code, ctz(get(column, Descriptor.DictIndexCapacity))));
  }
  store<u32>(<usize>get(column, Descriptor.Dict) + (<usize>code << 2), stringId);
  set(column, Descriptor.DictLength, code + 1);
  return <i64>code;
}

/**
 * Removes the column's newest dictionary entry (undoing dictionaryCode, see journal.ts). It
 * was the last one inserted into the index (a rebuilt index inserts in code order), so no
 * later entry probed past its slot: clearing the slot is safe.
 */
export function dictionaryPop(column: usize): void {
  // A column turned into text since (text.ts) has no dictionary left to take the entry from.
  if (get(column, Descriptor.Type) != ColumnType.String) return;
  const code = get(column, Descriptor.DictLength) - 1;
  const index = <usize>get(column, Descriptor.DictIndex);
  if (index == 0) {
    set(column, Descriptor.DictLength, code);
    return;
  }
  probe(column, index, dictionaryId(column, code));
  store<u32>(index + (<usize>probeSlot << 2), 0);
  set(column, Descriptor.DictLength, code);
}

/** Gives the index back (a compaction, collect.ts): lookups scan the ids; dictionaryCode builds it again. */
export function dictionaryDropIndex(column: usize): void {
  release(<usize>get(column, Descriptor.DictIndex), <usize>get(column, Descriptor.DictIndexCapacity) << 2);
  set(column, Descriptor.DictIndex, 0);
  set(column, Descriptor.DictIndexCapacity, 0);
}

/** Gives the dictionary and its index back to the arena (the column is untyped or turned into text). */
export function dictionaryRelease(column: usize): void {
  release(<usize>get(column, Descriptor.Dict), <usize>get(column, Descriptor.DictCapacity) << 2);
  release(<usize>get(column, Descriptor.DictIndex), <usize>get(column, Descriptor.DictIndexCapacity) << 2);
  set(column, Descriptor.Dict, 0);
  set(column, Descriptor.DictLength, 0);
  set(column, Descriptor.DictCapacity, 0);
  set(column, Descriptor.DictIndex, 0);
  set(column, Descriptor.DictIndexCapacity, 0);
}

/** The string id behind a dictionary code of a string column. */
@inline export function dictionaryId(column: usize, code: u32): u32 {
  return load<u32>(<usize>get(column, Descriptor.Dict) + (<usize>code << 2));
}
