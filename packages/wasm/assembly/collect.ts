// What a compaction leaves behind. The strings nothing holds any more: interning never forgets a
// string but an undone append's (stringsTruncate), and a column that turns into text (text.ts)
// copies its strings out and leaves them interned — the thousands each id, sha, url and timestamp
// column of a feed held as codes before its review (the events feed's table held 345,961 strings,
// 24.5 MiB, before collection, packages/bench/results/feeds-before-collect.md; 136,378, 7.2 MiB,
// after it and the fit-time review of dictionaries, text.ts, feeds.md). They are dropped and
// the rest renumbered in their order. What holds a string id: a node's key (NodeField.Key), a
// string column's dictionary (Descriptor.Dict), a mixed column's string or JSON payload; what is
// derived from ids: the table's index and the dictionaries' indexes, dropped (dictionary.ts: lookups
// scan, appends build them again), and wide structs' key indexes, built again.
import { ColumnType, Descriptor, MixedTag, NodeField, Sentinel } from './abi';
import { allocate, release } from './arena';
import { get } from './descriptor';
import { dictionaryDropIndex } from './dictionary';
import { journalEnabled } from './journal';
import { forEachNode, nodeColumn, nodeGet, rehashFieldIndex, schemaRoot } from './schema';
import { stringCountGet, stringsRenumber } from './strings';

// The walk's state (forEachNode takes a plain function): a u32 per string id, 1 when held while
// marking, then the new id + 1 (0: dropped); or its holders, counting.
let remap: usize = 0;
let strings: u32 = 0;
/** What visitId does with an id: marks it held, counts its holders, or rewrites it (renumbering). */
const MARK: u32 = 0;
const COUNT: u32 = 1;
const RENUMBER: u32 = 2;
let mode: u32 = MARK;

/**
 * Drops the strings nothing holds and renumbers the rest, and drops the dictionaries' indexes
 * (after a load or an append alike: the first append that adds to a column builds its index
 * again, and a compaction comes only once the store outgrew its room, so that is paid once per
 * such growth; the indexes kept, the table's with them, made an events store appended 10,000 lines at a time 2.76 MB larger): how many strings
 * were dropped (0 also when every string is held, or the walk's u32 per string does not fit).
 * Only between appends: an open append's undo (undo.ts) truncates the table by the count it began with.
 */
export function collect(): u32 {
  const root = schemaRoot();
  strings = stringCountGet();
  if (root == 0 || journalEnabled()) return 0;
  mode = MARK;
  if (strings == 0) {
    forEachNode(root, visitNode);
    return 0;
  }
  remap = allocate(<usize>strings << 2);
  if (remap == 0) return 0;
  forEachNode(root, visitNode);
  let live: u32 = 0;
  for (let id: u32 = 0; id < strings; id++) {
    const at = remap + (<usize>id << 2);
    if (load<u32>(at) != 0) store<u32>(at, ++live);
  }
  if (live < strings) {
    mode = RENUMBER;
    forEachNode(root, visitNode);
    // Key indexes hash their fields' keys: all renumbered by now (the walk above visits a struct before its fields).
    forEachNode(root, rehashFieldIndex);
    stringsRenumber(remap, live);
  }
  release(remap, <usize>strings << 2);
  remap = 0;
  return strings - live;
}

/**
 * A u32 per string id: how many holders hold it (a key, a dictionary entry, a mixed row each), for
 * text.ts reviewDictionaryAtFit, which weighs only the strings a column alone holds. 0 when the
 * memory for it is short; holdersRelease gives it back. Only between appends.
 */
export function holdersCount(): usize {
  const root = schemaRoot();
  strings = stringCountGet();
  if (root == 0 || strings == 0 || journalEnabled()) return 0;
  remap = allocate(<usize>strings << 2);
  if (remap == 0) return 0;
  mode = COUNT;
  forEachNode(root, visitNode);
  mode = MARK;
  return remap;
}

export function holdersRelease(holders: usize): void {
  if (holders == 0) return;
  release(holders, <usize>strings << 2);
  remap = 0;
}

/**
 * One string id a record holds, at `at` (a u32, or with `payload` a mixed row's f64): marked as
 * held, counted, or rewritten to its new id (by `mode`).
 */
@inline function visitId(at: usize, payload: bool): void {
  const id: u32 = payload ? <u32>load<f64>(at) : load<u32>(at);
  if (id >= strings) return;
  const slot = remap + (<usize>id << 2);
  if (mode == MARK) store<u32>(slot, 1);
  else if (mode == COUNT) store<u32>(slot, load<u32>(slot) + 1);
  else if (payload) store<f64>(at, <f64>(load<u32>(slot) - 1));
  else store<u32>(at, load<u32>(slot) - 1);
}

/** Whether a mixed row's payload is a string id (a string, or a nested value's JSON: a whole number below the table's count). */
@inline function holdsId(tags: usize, payloads: usize, row: u32): bool {
  const tag = <u32>load<u8>(tags + row);
  if (tag != <u32>MixedTag.String && tag != <u32>MixedTag.Json) return false;
  const id = load<f64>(payloads + (<usize>row << 3));
  return id >= 0 && id < <f64>strings && id == Math.floor(id);
}

/** The ids a node holds: its key, its dictionary's or its mixed column's (marked, its dictionary's index dropped; counted; or renumbered). */
function visitNode(node: usize): void {
  if (nodeGet(node, NodeField.Key) != Sentinel.NoKey) visitId(node + NodeField.Key, false);
  const column = nodeColumn(node);
  const type = column == 0 ? ColumnType.Null : get(column, Descriptor.Type);
  if (type == ColumnType.String) {
    const dict = <usize>get(column, Descriptor.Dict);
    const entries = get(column, Descriptor.DictLength);
    for (let code: u32 = 0; code < entries; code++) visitId(dict + (<usize>code << 2), false);
    // Marking drops its index: renumbering then has none to rehash.
    if (mode == MARK) dictionaryDropIndex(column);
  } else if (type == ColumnType.Mixed) {
    const tags = <usize>get(column, Descriptor.Data);
    const payloads = <usize>get(column, Descriptor.Payload);
    const rows = get(column, Descriptor.Length);
    for (let row: u32 = 0; row < rows; row++) if (holdsId(tags, payloads, row)) visitId(payloads + (<usize>row << 3), true);
  }
}
