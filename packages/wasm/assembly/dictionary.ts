// A string column's dictionary: `Dict` maps each code to its string id, in first-seen order,
// and `DictIndex`, an open-addressing hash (a power of two of slots, at most half full), maps
// a string id back to its code + 1 (0 = empty slot). Appends look a string up here and add it
// when new; queries look up the code of a literal (dictionaryFind).
import { ColumnType, Descriptor } from './abi';
import { allocate, reallocate, release } from './arena';
import { get, set } from './descriptor';
import { journalDictEntry } from './journal';

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
  if (entries * 2 <= indexCapacity) return true;
  let slots: u32 = max(indexCapacity, 8);
  while (slots < entries * 2) slots <<= 1;
  const index = allocate(<usize>slots << 2);
  if (index == 0) return false;
  const dict = <usize>get(column, Descriptor.Dict);
  const length = get(column, Descriptor.DictLength);
  const mask = slots - 1;
  for (let code: u32 = 0; code < length; code++) {
    let slot = mixId(load<u32>(dict + (<usize>code << 2))) & mask;
    while (load<u32>(index + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
    store<u32>(index + (<usize>slot << 2), code + 1);
  }
  release(<usize>get(column, Descriptor.DictIndex), <usize>indexCapacity << 2);
  set(column, Descriptor.DictIndex, <u32>index);
  set(column, Descriptor.DictIndexCapacity, slots);
  return true;
}

/** The column's code for `stringId`, or -1 when the column has never held that string. */
export function dictionaryFind(column: usize, stringId: u32): i32 {
  const index = <usize>get(column, Descriptor.DictIndex);
  if (get(column, Descriptor.Type) != ColumnType.String || index == 0) return -1;
  const dict = <usize>get(column, Descriptor.Dict);
  const mask = get(column, Descriptor.DictIndexCapacity) - 1;
  let slot = mixId(stringId) & mask;
  while (true) {
    const entry = load<u32>(index + (<usize>slot << 2));
    if (entry == 0) return -1;
    if (load<u32>(dict + (<usize>(entry - 1) << 2)) == stringId) return <i32>(entry - 1);
    slot = (slot + 1) & mask;
  }
}

/** The column's code for `stringId`, added to its dictionary if new; -1 when out of memory. */
export function dictionaryCode(column: usize, stringId: u32): i64 {
  const dict = <usize>get(column, Descriptor.Dict);
  let index = <usize>get(column, Descriptor.DictIndex);
  let mask = get(column, Descriptor.DictIndexCapacity) - 1;
  if (index != 0) {
    let slot = mixId(stringId) & mask;
    while (true) {
      const entry = load<u32>(index + (<usize>slot << 2));
      if (entry == 0) break;
      if (load<u32>(dict + (<usize>(entry - 1) << 2)) == stringId) return <i64>(entry - 1);
      slot = (slot + 1) & mask;
    }
  }
  const code = get(column, Descriptor.DictLength);
  if (!growDictionary(column, code + 1) || !journalDictEntry(column)) return -1;
  index = <usize>get(column, Descriptor.DictIndex);
  mask = get(column, Descriptor.DictIndexCapacity) - 1;
  let slot = mixId(stringId) & mask;
  while (load<u32>(index + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
  store<u32>(index + (<usize>slot << 2), code + 1);
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
  const mask = get(column, Descriptor.DictIndexCapacity) - 1;
  let slot = mixId(dictionaryId(column, code)) & mask;
  while (load<u32>(index + (<usize>slot << 2)) != code + 1) slot = (slot + 1) & mask;
  store<u32>(index + (<usize>slot << 2), 0);
  set(column, Descriptor.DictLength, code);
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
