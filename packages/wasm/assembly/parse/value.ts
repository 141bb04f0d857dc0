// The value parser: one JSON value at the record parser's cursor, appended straight to its
// schema node's column (recursive descent: objects, arrays, maps, mixed values, scalars),
// settling an unset node's kind on its first value; node 0 validates without storing.
//
// With keyAs, each record's key (keyed records: the values of an object a pointer names) is
// stored first in the record's struct, as a string field whose key is `keyAsKey`.
//
// When a value's kind conflicts with its node (a string where objects were), or a struct
// reaches its review key count, parsing stops with E_REBUILD and `rebuildNode`: the caller
// (document.ts) undoes the record and reports FeedResult.Rebuild, the facade rebuilds that
// node (mixed, or a map) from its rows, and the record is parsed again.
//
// Imports input.ts (the cursor), string.ts and number.ts of the parse files; document.ts and
// pointer.ts import it, and it imports neither (no cycle: the recursion stays in this file).
import { ColumnType, MixedTag, Descriptor, Status, NodeKind, NodeField, Sentinel, ParseError, Limit } from '../abi';
import { intern, stringStart, stringLength, bytesEqual } from '../strings';
import { get } from '../descriptor';
import { rowsOf } from '../sparse';
import { appendBool, appendList, appendMixed, appendString, appendStruct, appendText } from '../column';
import { appendFloat64, appendIntValue } from '../numbers';
import {
  createField, findField, catchUp, writeNull, truncateNode, settleKind, ensureElement, nodeGet, nodeSet, nodeColumn, fieldAt,
} from '../schema';
import { scanNumber, numberIsInt, numberIntValue, numberValue, numberErrorAt } from './number';
import * as input from './input';
import { isSpace, skipWhitespace } from './input';
import { parseString, stringPtr, dictionaryLookup } from './string';

/** Internal: not an error, the record must be parsed again (after the facade rebuilt `rebuildNode`). */
export const E_REBUILD: i32 = 100;

let rebuildNode: usize = 0;
/** Counts objects parsed: a field whose Stamp is the current object's already has a value in it. */
let objectStamp: u32 = 0;

export function rebuildNodeGet(): usize { return rebuildNode; }

// ---- keyAs -------------------------------------------------------------------------------
/** String id of the field that takes each record's key, or Sentinel.NoKey (keys not stored). */
let keyAsKey: u32 = Sentinel.NoKey;
/** The key of the record being parsed (document.ts reads it before the record). */
let recordKey: u32 = Sentinel.NoKey;
/** The record being parsed stored its key (it is an object parsed as a struct). */
let recordKeyStored = false;
/** The field node that took the current record's key: a member of that key is a conflict. */
let keyField: usize = 0;

export function keyAsSet(keyId: u32): void { keyAsKey = keyId; }
export function keyAsActive(): bool { return keyAsKey != Sentinel.NoKey; }
export function recordKeySet(keyId: u32): void { recordKey = keyId; }
/** A record starts (document.ts, commitRecord). */
export function beginRecord(): void {
  recordKeyStored = false;
  keyField = 0;
}
/** The record parsed without storing its key: it was no object parsed as a struct. */
export function keyAsMissed(): bool { return keyAsKey != Sentinel.NoKey && !recordKeyStored; }

/**
 * Stores the record's key in its struct `node` (the row just appended), as the field
 * `keyAsKey`, found or created (first in the first record); stamped so that a member of the
 * same key is caught as a conflict.
 */
function storeRecordKey(node: usize, stamp: u32): i32 {
  let field = findField(node, stringStart(keyAsKey), stringLength(keyAsKey));
  if (field == 0) {
    field = createField(node, keyAsKey);
    if (field == 0) return ParseError.OutOfMemory;
    nodeSet(node, NodeField.Cursor, nodeGet(node, NodeField.FieldCount));
  }
  nodeSet(field, NodeField.Stamp, stamp);
  keyField = field;
  recordKeyStored = true;
  return storeString(field, recordKey);
}

/** String `id` as the next row of `node`: settles an unset node, tags it in a mixed one. */
function storeString(node: usize, id: u32): i32 {
  if (nodeGet(node, NodeField.Kind) == NodeKind.Unset && !settleKind(node, NodeKind.Scalar, ColumnType.String)) return ParseError.OutOfMemory;
  const column = nodeColumn(node);
  if (nodeGet(node, NodeField.Kind) == NodeKind.Mixed) return appendMixed(column, MixedTag.String, <f64>id) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
  const type = get(column, Descriptor.Type);
  if (type != ColumnType.String && type != ColumnType.Text) return rebuild(node); // a text column copies the bytes
  return appendString(column, id) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
}

function rebuild(node: usize): i32 {
  rebuildNode = node;
  return E_REBUILD;
}

/** Parses one value into `node` (0: validate only, nothing stored). Returns an error code. */
export function parseValue(node: usize, depth: u32): i32 {
  skipWhitespace();
  if (input.pos >= input.end) return ParseError.UnexpectedEnd;
  const c = <u32>load<u8>(input.pos);
  const kind = node == 0 ? NodeKind.Mixed : nodeGet(node, NodeField.Kind);
  if (node != 0 && kind == NodeKind.Mixed && c != 0x6E) return parseMixed(node, c, depth);
  switch (c) {
    case 0x7B: { // {
      if (depth >= <u32>Limit.Depth) return ParseError.TooDeep;
      if (node == 0) return parseObjectDiscard(depth);
      if (kind == NodeKind.Unset && !settleKind(node, NodeKind.Struct, ColumnType.Struct)) return ParseError.OutOfMemory;
      const settled = nodeGet(node, NodeField.Kind);
      if (settled == NodeKind.Struct) return parseStruct(node, depth);
      if (settled == NodeKind.Map) return parseMap(node, depth);
      return rebuild(node);
    }
    case 0x5B: { // [
      if (depth >= <u32>Limit.Depth) return ParseError.TooDeep;
      if (node == 0) return parseArrayDiscard(depth);
      if (kind == NodeKind.Unset && !settleKind(node, NodeKind.List, ColumnType.List)) return ParseError.OutOfMemory;
      if (nodeGet(node, NodeField.Kind) != NodeKind.List) return rebuild(node);
      return parseList(node, depth);
    }
    case 0x22: { // "
      const length = parseString();
      if (length < 0) return <i32>-length;
      if (node == 0) return ParseError.None;
      if (kind == NodeKind.Unset && !settleKind(node, NodeKind.Scalar, ColumnType.String)) return ParseError.OutOfMemory;
      const column = nodeColumn(node);
      const type = get(column, Descriptor.Type);
      // Text columns keep their own bytes: nothing to look up or intern.
      if (type == ColumnType.Text) return appendText(column, stringPtr, <u32>length) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
      if (type != ColumnType.String) return rebuild(node);
      const id = dictionaryLookup(column, stringPtr, <u32>length);
      if (id == Sentinel.InternFailed) return ParseError.OutOfMemory;
      return appendString(column, id) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
    }
    case 0x74: // t
    case 0x66: { // f
      const value = c == 0x74;
      if (!literal(value ? 0x65757274 : 0x736C6166, value ? 4 : 5)) return input.pos >= input.end ? ParseError.UnexpectedEnd : ParseError.UnexpectedCharacter;
      if (node == 0) return ParseError.None;
      if (kind == NodeKind.Unset && !settleKind(node, NodeKind.Scalar, ColumnType.Bool)) return ParseError.OutOfMemory;
      const column = nodeColumn(node);
      if (get(column, Descriptor.Type) != ColumnType.Bool) return rebuild(node);
      return appendBool(column, value) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
    }
    case 0x6E: { // n
      if (!literal(0x6C6C756E, 4)) return input.pos >= input.end ? ParseError.UnexpectedEnd : ParseError.UnexpectedCharacter;
      if (node == 0) return ParseError.None;
      return writeNull(node) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
    }
    default: {
      const scanned = numberLiteral(c);
      if (scanned != ParseError.None) return scanned;
      if (node == 0) return ParseError.None;
      if (kind == NodeKind.Unset && !settleKind(node, NodeKind.Scalar, numberIsInt ? ColumnType.Int : ColumnType.Float64)) return ParseError.OutOfMemory;
      const column = nodeColumn(node);
      const type = get(column, Descriptor.Type);
      if (type != ColumnType.Int && type != ColumnType.Float64) return rebuild(node);
      const status = numberIsInt ? appendIntValue(column, numberIntValue) : appendFloat64(column, numberValue);
      return status == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
    }
  }
}

/**
 * The number literal at the cursor, `c` its first byte: ParseError.None with the cursor past
 * it (its value in number.ts: numberIsInt, numberIntValue, numberValue), or an error code.
 */
@inline function numberLiteral(c: u32): i32 {
  if (c != 0x2D && c - 0x30 >= 10) return ParseError.UnexpectedCharacter;
  const after = scanNumber(input.pos, input.end);
  if (after == 0) {
    input.pos = numberErrorAt;
    return input.pos >= input.end ? ParseError.UnexpectedEnd : ParseError.BadNumber;
  }
  input.pos = after;
  if (input.pos < input.end) {
    const next = <u32>load<u8>(input.pos);
    if (next != 0x2C && next != 0x5D && next != 0x7D && !isSpace(next)) return ParseError.BadNumber;
  } else if (!input.final) return ParseError.UnexpectedEnd; // more digits may follow
  return ParseError.None;
}

/** Matches a literal given as little-endian bytes (after its first letter is known). */
function literal(word: u32, length: u32): bool {
  if (<usize>length > input.end - input.pos) {
    input.pos = input.end; // cut off (or truncated at the very end): reported as an unexpected end
    return false;
  }
  if (length == 4) {
    if (load<u32>(input.pos) != word) return false;
  } else {
    if (load<u32>(input.pos) != word || load<u8>(input.pos + 4) != 0x65) return false;
  }
  input.pos += length;
  if (input.pos < input.end) {
    const next = <u32>load<u8>(input.pos);
    if (next != 0x2C && next != 0x5D && next != 0x7D && !isSpace(next)) return false;
  } else if (!input.final) return false; // "true" might go on ("truex"): wait for the next byte
  return true;
}

function parseStruct(node: usize, depth: u32): i32 {
  const column = nodeColumn(node);
  if (appendStruct(column) != Status.Ok) return ParseError.OutOfMemory;
  const row = get(column, Descriptor.Length) - 1;
  const stamp = ++objectStamp;
  let expected: u32 = 0;
  if (depth == 0 && keyAsKey != Sentinel.NoKey) {
    const stored = storeRecordKey(node, stamp);
    if (stored != ParseError.None) return stored;
    expected = nodeGet(node, NodeField.Cursor); // the record's own keys follow the key's field
  }
  if (!emptyContainer(0x7D)) {
    while (true) {
      skipWhitespace();
      if (input.pos >= input.end) return ParseError.UnexpectedEnd;
      if (load<u8>(input.pos) != 0x22) return ParseError.ExpectedKey;
      const keyAt = input.pos;
      // Records repeat their key order: try the next field's key against the raw bytes first.
      let field = matchExpectedKey(node, expected);
      if (field == 0) {
        const length = parseString();
        if (length < 0) return <i32>-length;
        field = findField(node, stringPtr, <u32>length);
        if (field == 0) {
          // Many keys: maybe ids used as keys. The facade decides (map, or go on as a struct).
          if (nodeGet(node, NodeField.FieldCount) >= nodeGet(node, NodeField.ReviewAt)) return rebuild(node);
          const keyId = intern(stringPtr, <u32>length);
          if (keyId == Sentinel.InternFailed) return ParseError.OutOfMemory;
          field = createField(node, keyId);
          if (field == 0) return ParseError.OutOfMemory;
          nodeSet(node, NodeField.Cursor, nodeGet(node, NodeField.FieldCount));
        }
      }
      expected = nodeGet(node, NodeField.Cursor);
      if (field == keyField && depth == 0) {
        input.pos = keyAt;
        return ParseError.KeyAsTaken;
      }
      const colon = expectColon();
      if (colon != ParseError.None) return colon;
      if (nodeGet(field, NodeField.Stamp) == stamp) {
        // A duplicate key: the last one wins, as in JSON.parse. Drop the earlier value's row.
        truncateNode(field, rowsOf(nodeColumn(field)) - 1);
      }
      nodeSet(field, NodeField.Stamp, stamp);
      // Rows the field lacks since it last had a value are missing (schema.ts: missing rows are lazy).
      if (catchUp(field, row) != Status.Ok) return ParseError.OutOfMemory;
      const code = parseValue(field, depth + 1);
      if (code != ParseError.None) return code;
      const next = afterMember(0x7D, ParseError.ExpectedCommaOrBrace);
      if (next == CLOSED) break;
      if (next != NEXT_MEMBER) return next;
    }
  }
  // Keys this object lacks stay behind: their rows are missing until they catch up.
  return ParseError.None;
}

// ---- the punctuation every object and array shares ---------------------------------------

/** afterMember: another member follows (the comma is consumed). */
const NEXT_MEMBER: i32 = -1;
/** afterMember: the container closed (the bracket is consumed). */
const CLOSED: i32 = -2;

/** At an opening bracket: consumes it, and the closing one too if the container is empty. */
@inline function emptyContainer(close: u32): bool {
  input.pos++;
  skipWhitespace();
  if (input.pos < input.end && <u32>load<u8>(input.pos) == close) {
    input.pos++;
    return true;
  }
  return false;
}

/** After a member: ',' (NEXT_MEMBER), the closing bracket (CLOSED), or `wrong` at the offending byte. */
@inline function afterMember(close: u32, wrong: i32): i32 {
  skipWhitespace();
  if (input.pos >= input.end) return ParseError.UnexpectedEnd;
  const c = <u32>load<u8>(input.pos);
  if (c == close) {
    input.pos++;
    return CLOSED;
  }
  if (c != 0x2C) return wrong;
  input.pos++;
  return NEXT_MEMBER;
}

@inline function expectColon(): i32 {
  skipWhitespace();
  if (input.pos >= input.end) return ParseError.UnexpectedEnd;
  if (load<u8>(input.pos) != 0x3A) return ParseError.ExpectedColon;
  input.pos++;
  return ParseError.None;
}

/** An object key and its colon: the key's byte length (its bytes at stringPtr), or a negated error code. */
export function parseKey(): i64 {
  skipWhitespace();
  if (input.pos >= input.end) return -ParseError.UnexpectedEnd;
  if (load<u8>(input.pos) != 0x22) return -ParseError.ExpectedKey;
  const length = parseString();
  if (length < 0) return length;
  const colon = expectColon();
  return colon == ParseError.None ? length : -colon;
}

/**
 * If the raw key at `pos` (on its quote) is exactly field `index`'s key followed by a quote,
 * consumes it and returns the field. Keys holding quotes, backslashes or control characters
 * never match here (their raw form differs), so they take the full path.
 */
function matchExpectedKey(node: usize, index: u32): usize {
  if (index >= nodeGet(node, NodeField.FieldCount)) return 0;
  const field = fieldAt(node, index);
  const id = nodeGet(field, NodeField.Key);
  const length = stringLength(id);
  const start = input.pos + 1;
  if (<usize>length + 1 > input.end - start) return 0;
  if (nodeGet(field, NodeField.PlainKey) == 0) return 0;
  if (load<u8>(start + length) != 0x22 || !bytesEqual(start, stringStart(id), length)) return 0;
  input.pos = start + length + 1;
  nodeSet(node, NodeField.Cursor, index + 1);
  return field;
}

/** An array into a list node: each element a row of the element node, then the list's row of offsets. */
function parseList(node: usize, depth: u32): i32 {
  const element = ensureElement(node);
  if (element == 0) return ParseError.OutOfMemory;
  return parseListMembers(false, node, 0, element, depth);
}

/** An object stored as a map: each key a string row, each value a row of the values node. */
function parseMap(node: usize, depth: u32): i32 {
  return parseListMembers(true, node, <usize>nodeGet(node, NodeField.MapKeys), <usize>nodeGet(node, NodeField.Element), depth);
}

/**
 * The members of a node stored as list offsets, and its row of them: a list's elements, or
 * (`isMap`) an object's members, each key a string row of `keys`. Each value is a row of `values`.
 */
@inline function parseListMembers(isMap: bool, node: usize, keys: usize, values: usize, depth: u32): i32 {
  const close: u32 = isMap ? 0x7D : 0x5D;
  let count: u32 = 0;
  if (!emptyContainer(close)) {
    while (true) {
      if (isMap) {
        const length = parseKey();
        if (length < 0) return <i32>-length;
        const keyColumn = nodeColumn(keys);
        if (get(keyColumn, Descriptor.Type) == ColumnType.Text) {
          if (appendText(keyColumn, stringPtr, <u32>length) != Status.Ok) return ParseError.OutOfMemory;
        } else {
          const keyId = intern(stringPtr, <u32>length);
          if (keyId == Sentinel.InternFailed || appendString(keyColumn, keyId) != Status.Ok) return ParseError.OutOfMemory;
        }
      }
      const code = parseValue(values, depth + 1);
      if (code != ParseError.None) return code;
      count++;
      const next = afterMember(close, isMap ? ParseError.ExpectedCommaOrBrace : ParseError.ExpectedCommaOrBracket);
      if (next == CLOSED) break;
      if (next != NEXT_MEMBER) return next;
    }
  }
  return appendList(nodeColumn(node), count) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
}

/** A mixed node keeps scalars tagged and nested values as their exact JSON text. */
function parseMixed(node: usize, c: u32, depth: u32): i32 {
  const column = nodeColumn(node);
  if (c == 0x7B || c == 0x5B) {
    if (depth >= <u32>Limit.Depth) return ParseError.TooDeep;
    const start = input.pos;
    const code = c == 0x7B ? parseObjectDiscard(depth) : parseArrayDiscard(depth);
    if (code != ParseError.None) return code;
    const id = intern(start, <u32>(input.pos - start));
    if (id == Sentinel.InternFailed) return ParseError.OutOfMemory;
    return appendMixed(column, MixedTag.Json, <f64>id) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
  }
  if (c == 0x22) {
    const length = parseString();
    if (length < 0) return <i32>-length;
    const id = intern(stringPtr, <u32>length);
    if (id == Sentinel.InternFailed) return ParseError.OutOfMemory;
    return appendMixed(column, MixedTag.String, <f64>id) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
  }
  if (c == 0x74 || c == 0x66) {
    const value = c == 0x74;
    if (!literal(value ? 0x65757274 : 0x736C6166, value ? 4 : 5)) return input.pos >= input.end ? ParseError.UnexpectedEnd : ParseError.UnexpectedCharacter;
    return appendMixed(column, value ? MixedTag.True : MixedTag.False, 0) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
  }
  const scanned = numberLiteral(c);
  if (scanned != ParseError.None) return scanned;
  return appendMixed(column, MixedTag.Number, numberValue) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
}

/** Validates an object without storing it (mixed values, the parts around a pointer's array). */
function parseObjectDiscard(depth: u32): i32 {
  if (emptyContainer(0x7D)) return ParseError.None;
  while (true) {
    const length = parseKey();
    if (length < 0) return <i32>-length;
    const code = parseValue(0, depth + 1);
    if (code != ParseError.None) return code;
    const next = afterMember(0x7D, ParseError.ExpectedCommaOrBrace);
    if (next == CLOSED) return ParseError.None;
    if (next != NEXT_MEMBER) return next;
  }
}

/** Validates an array without storing it. */
function parseArrayDiscard(depth: u32): i32 {
  if (emptyContainer(0x5D)) return ParseError.None;
  while (true) {
    const code = parseValue(0, depth + 1);
    if (code != ParseError.None) return code;
    const next = afterMember(0x5D, ParseError.ExpectedCommaOrBracket);
    if (next == CLOSED) return ParseError.None;
    if (next != NEXT_MEMBER) return next;
  }
}
