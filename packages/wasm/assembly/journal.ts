// The undo journal: every change an append makes to the store besides appending rows and
// interning strings, so that a failed or aborted append (or a skipped NDJSON line) can be
// taken back exactly (undo.ts does that). Rows are cut back by truncateNode and strings by
// count; what needs the journal is what they cannot see:
//   a field added to a struct        (parser: createField; facade: addField)
//   a node field re-pointed          (facade: nodeSetField, rebuilding a node as mixed or a map)
//   an unset node settling its kind  (parser: settleKind)
//   a list's element node created    (parser: ensureElement)
//   a dictionary entry added         (appendString)
//   an int column turned float64     (appendFloat64 on an int column)
// Widening storage (int deltas widened or rebased, code widths, capacity) is not journaled: it changes no value.
//
// Entries are u32 words, each entry's operands first and its op last, so the log is read
// back from its end. Nothing is journaled unless an append or a parse is under way
// (journalEnable): a new store built from JS records has nothing to undo.
import { reallocate, release } from './arena';

export const J_FIELD_ADDED: u32 = 1;  // [node]
export const J_NODE_FIELD: u32 = 2;   // [node, field offset, old value]
export const J_SETTLED: u32 = 3;      // [node, its column's length then]
export const J_ELEMENT: u32 = 4;      // [node]
export const J_DICT_ENTRY: u32 = 5;   // [column]
export const J_TO_FLOAT: u32 = 6;     // [column, old width, its length then]

/** Operand words of each op (index = op). */
export function operands(op: u32): u32 {
  return op == J_NODE_FIELD || op == J_TO_FLOAT ? 3 : op == J_SETTLED ? 2 : 1;
}

let log: usize = 0;
let length: u32 = 0;
let capacity: u32 = 0;
let enabled = false;

export function journalEnable(on: bool): void {
  enabled = on;
}

/** Whether an append is open (between transactionBegin and transactionEnd, undo.ts). */
export function journalEnabled(): bool {
  return enabled;
}

export function journalLength(): u32 {
  return length;
}

@inline export function journalWord(at: u32): u32 {
  return load<u32>(log + (<usize>at << 2));
}

/** Forgets entries past `at` (they were undone, or what they guard is committed). */
export function journalCut(at: u32): void {
  length = at;
}

function room(words: u32): bool {
  if (length + words <= capacity) return true;
  const grown = max<u32>(64, max(length + words, capacity + (capacity >>> 1)));
  const moved = reallocate(log, <usize>capacity << 2, <usize>grown << 2);
  if (moved == 0) return false;
  log = moved;
  capacity = grown;
  return true;
}

@inline function word(value: u32): void {
  store<u32>(log + (<usize>length << 2), value);
  length++;
}

function one(op: u32, a: u32): bool {
  if (!enabled) return true;
  if (!room(2)) return false;
  word(a);
  word(op);
  return true;
}

function two(op: u32, a: u32, b: u32): bool {
  if (!enabled) return true;
  if (!room(3)) return false;
  word(a);
  word(b);
  word(op);
  return true;
}

function three(op: u32, a: u32, b: u32, c: u32): bool {
  if (!enabled) return true;
  if (!room(4)) return false;
  word(a);
  word(b);
  word(c);
  word(op);
  return true;
}

// Each returns false when the journal cannot grow: the caller fails as out of memory.
export function journalFieldAdded(node: usize): bool { return one(J_FIELD_ADDED, <u32>node); }
export function journalSettled(node: usize, length: u32): bool { return two(J_SETTLED, <u32>node, length); }
export function journalElement(node: usize): bool { return one(J_ELEMENT, <u32>node); }
export function journalDictEntry(column: usize): bool { return one(J_DICT_ENTRY, <u32>column); }
export function journalToFloat(column: usize, width: u32, length: u32): bool { return three(J_TO_FLOAT, <u32>column, width, length); }
export function journalNodeField(node: usize, field: u32, old: u32): bool { return three(J_NODE_FIELD, <u32>node, field, old); }

/** Gives the log's memory back (after an append or a load). */
export function journalRelease(): void {
  release(log, <usize>capacity << 2);
  log = 0;
  length = 0;
  capacity = 0;
}
