// The JSON Pointer walk (`pointer: '/features'`): the records are the elements of the array a
// pointer names, or the values of the object it names (their keys read by document.ts), so the
// document level first walks down to that container, and after it validates and skips the rest
// of every enclosing container. Members off the path are skipped whole by the value parser in
// validate-only mode, one at a time: only one member ever needs to be in the buffer. A member
// cut off by the end of the buffer is parsed again, whole, on a later feed. A pointer that
// misses leaves where it stopped in `miss` (PointerMiss in abi.ts): the level, what is there,
// how many members it has and its first keys, for the facade's MemstorePathError.
//
// Imports input.ts, string.ts and value.ts of the parse files; document.ts drives it (its
// states S_DESCEND, S_ASCEND) and sets `active`, `pointerDepth`, `level`, `inside` through `import * as pointer`.
import { FeedResult, ParseError, Limit, PointerMiss, PointerValue } from '../abi';
import { stringStart, stringLength, bytesEqual } from '../strings';
import * as input from './input';
import { fail, cutOff, skipSpaces } from './input';
import { stringPtr } from './string';
import { parseValue, parseKey } from './value';
import { markRecord } from '../undo';

/** descend / ascend: the walk is over (past the records array's '[' / past the document's end). */
export const ARRIVED: i32 = -1;
/** descend: the walk is over, past the '{' of the object whose values are the records. */
export const ARRIVED_OBJECT: i32 = -4;
/** A step (pastComma, readKey, skipValue) went through: scanPos is past it. */
const STEPPED: i32 = -2;
/** readKey: the key read is the pointer's token at `level` (scanPos is past its ':'). */
const ON_PATH: i32 = -3;

const pointerKeys = memory.data(<i32>(Limit.PointerTokens * 4), 4);    // string id per token
const pointerIndices = memory.data(<i32>(Limit.PointerTokens * 4), 4); // array index per token, or Sentinel.NoIndex
const levelKinds = memory.data(<i32>(Limit.PointerTokens * 4), 4);     // 0 object, 1 array
const levelCounts = memory.data(<i32>(Limit.PointerTokens * 4), 4);    // members passed
/** Where the walk stopped matching: a PointerMiss block (parsePointerMiss). */
const miss = memory.data(<i32>PointerMiss.Bytes, 8);
/** A pointer was given (parsePointer), '' included: the records are what it names. */
export let active = false;
export let pointerDepth: u32 = 0;
export let level: u32 = 0;
/** Inside the container at `level` (descending): true before its first member is passed. */
let levelFresh = true;
/** Descending: past the opening bracket of the container at `level` (false: on it). */
export let inside = false;

/**
 * Sets the JSON Pointer (after parseBegin): `count` tokens as string ids at `keys` and array
 * indices (or 0xFFFFFFFF) at `indices`. False when the pointer is deeper than 64 levels.
 */
export function parsePointer(count: u32, keys: usize, indices: usize): bool {
  if (count > <u32>Limit.PointerTokens) return false;
  memory.copy(pointerKeys, keys, <usize>count << 2);
  memory.copy(pointerIndices, indices, <usize>count << 2);
  pointerDepth = count;
  active = true;
  level = 0;
  markRecord(); // the tokens' strings were interned after parseBegin: a failing record keeps them
  return true;
}

/** Where the walk stopped matching, after PointerNotFound or PointerNotRecords (PointerMiss). */
export function parsePointerMiss(): usize {
  return miss;
}

/** The walk is in the value at `level`, a `found` (PointerValue): its members are counted from 0. */
function noteLevel(found: u32): void {
  store<u32>(miss + PointerMiss.Level, level);
  store<u32>(miss + PointerMiss.Found, found);
  store<u32>(miss + PointerMiss.Members, 0);
  store<u32>(miss + PointerMiss.Sampled, 0);
}

/**
 * The key just read (at stringPtr) is member `index` of the object at `level`: the first
 * Limit.PointerKeys keys are kept (cut to PointerKeyBytes), so a miss can name what is there.
 * Written when read and counted when the member is passed: a member cut off and read again
 * rewrites the same slot.
 */
function sampleKey(index: u32, length: u32): void {
  if (index >= <u32>Limit.PointerKeys) return;
  const slot = miss + PointerMiss.Keys + <usize>index * PointerMiss.Slot;
  store<u32>(slot, length);
  memory.copy(slot + 4, stringPtr, <usize>min<u32>(length, <u32>Limit.PointerKeyBytes));
}

/** Member `index` of the container at `level` (an array's, or an object's: its key sampled) was passed. */
function passed(index: u32, isArray: bool): void {
  store<u32>(levelCounts + (<usize>level << 2), index + 1);
  store<u32>(miss + PointerMiss.Members, index + 1);
  if (!isArray) store<u32>(miss + PointerMiss.Sampled, min<u32>(index + 1, <u32>Limit.PointerKeys));
}

/** Points the record parser at scanPos, up to the end of the buffer (`last`: no more input follows). */
function startStep(last: bool): void {
  input.pos = input.buffer + input.scanPos;
  input.end = input.buffer + input.bufferLength;
  input.final = last;
}

/**
 * A step the record parser stopped short with `code` at `pos`: cut off by the end of the
 * buffer while more input may follow, it is rewound to recordStart and retried whole when
 * the bytes from there have doubled (NeedInput); otherwise the error.
 */
function stopped(code: i32, last: bool): i32 {
  if (!last && input.pos >= input.end) {
    input.scanPos = input.recordStart;
    return cutOff();
  }
  return fail(code, <u32>(input.pos - input.buffer));
}

/**
 * Skips the value at scanPos with the record parser in validate-only mode: STEPPED, or what
 * the feed returns (stopped).
 */
function skipValue(last: bool, depth: u32): i32 {
  startStep(last);
  const code = parseValue(0, depth);
  if (code != ParseError.None) return stopped(code, last);
  input.scanPos = <u32>(input.pos - input.buffer);
  return STEPPED;
}

/**
 * Reads the object key at scanPos (a byte other than '"' is ParseError.ExpectedKey there) and
 * the ':' after it: ON_PATH when it is the pointer's token at `level`, STEPPED for any other
 * key, or what the feed returns (stopped). The key is sampled as member `index` (sampleKey).
 */
function readKey(last: bool, index: u32): i32 {
  startStep(last);
  const length = parseKey();
  if (length < 0) return stopped(<i32>-length, last);
  input.scanPos = <u32>(input.pos - input.buffer);
  sampleKey(index, <u32>length);
  const token = load<u32>(pointerKeys + (<usize>level << 2));
  return stringLength(token) == <u32>length && bytesEqual(stringStart(token), stringPtr, <u32>length) ? ON_PATH : STEPPED;
}

/**
 * After a member of the container at `level` (`c`, the byte at scanPos): its ',' and the
 * spaces after it. STEPPED with scanPos on the next member, or what the feed returns (the
 * buffer ends before that member: rewound to recordStart).
 */
function pastComma(c: u32, isArray: bool, last: bool): i32 {
  if (c != 0x2C) return fail(isArray ? ParseError.ExpectedCommaOrBracket : ParseError.ExpectedCommaOrBrace, input.scanPos);
  input.scanPos++;
  skipSpaces();
  if (input.scanPos >= input.bufferLength) {
    input.scanPos = input.recordStart;
    return last ? fail(ParseError.UnexpectedEnd, input.bufferLength) : FeedResult.NeedInput;
  }
  return STEPPED;
}

/**
 * Walks from the document's start down the pointer to the records container (ARRIVED: an
 * array, ARRIVED_OBJECT: an object), one member at a time. A member cut off by the end of the
 * buffer is parsed again, whole, on the next feed.
 */
export function descend(last: bool): i32 {
  while (true) {
    skipSpaces();
    input.recordStart = input.scanPos;
    if (input.scanPos >= input.bufferLength) return last ? fail(ParseError.UnexpectedEnd, input.scanPos) : FeedResult.NeedInput;
    if (!inside) {
      const c = load<u8>(input.buffer + input.scanPos);
      if (c == 0x7B || c == 0x5B) {
        if (level == pointerDepth) {
          input.scanPos++;
          return c == 0x5B ? ARRIVED : ARRIVED_OBJECT;
        }
        store<u32>(levelKinds + (<usize>level << 2), c == 0x5B ? 1 : 0);
        store<u32>(levelCounts + (<usize>level << 2), 0);
        noteLevel(c == 0x5B ? PointerValue.Array : PointerValue.Object);
        input.scanPos++;
        inside = true;
        levelFresh = true;
        continue;
      }
      // A scalar, with nothing below it to walk into, or no JSON value at all (then that error).
      const at = input.scanPos;
      const skipped = skipValue(last, level);
      if (skipped != STEPPED) return skipped;
      noteLevel(PointerValue.Scalar);
      return fail(level == pointerDepth ? ParseError.PointerNotRecords : ParseError.PointerNotFound, at);
    }
    const isArray = load<u32>(levelKinds + (<usize>level << 2)) == 1;
    const c = load<u8>(input.buffer + input.scanPos);
    if (c == (isArray ? 0x5D : 0x7D)) return fail(ParseError.PointerNotFound, input.scanPos);
    if (!levelFresh) {
      const comma = pastComma(c, isArray, last);
      if (comma != STEPPED) return comma;
    }
    const index = load<u32>(levelCounts + (<usize>level << 2)); // members passed
    let onPath: bool;
    if (isArray) {
      onPath = index == load<u32>(pointerIndices + (<usize>level << 2));
    } else {
      const key = readKey(last, index);
      if (key != ON_PATH && key != STEPPED) return key;
      onPath = key == ON_PATH;
    }
    if (onPath) {
      inside = false;
      level++;
      continue;
    }
    const skipped = skipValue(last, level + 1);
    if (skipped != STEPPED) return skipped;
    passed(index, isArray);
    levelFresh = false;
  }
}

/** After the records array: the rest of each enclosing container, innermost first. */
export function ascend(last: bool): i32 {
  while (true) {
    skipSpaces();
    input.recordStart = input.scanPos;
    if (input.scanPos >= input.bufferLength) return last ? fail(ParseError.UnexpectedEnd, input.scanPos) : FeedResult.NeedInput;
    const isArray = load<u32>(levelKinds + (<usize>level << 2)) == 1;
    const c = load<u8>(input.buffer + input.scanPos);
    if (c == (isArray ? 0x5D : 0x7D)) {
      input.scanPos++;
      if (level == 0) return ARRIVED;
      level--;
      continue;
    }
    const comma = pastComma(c, isArray, last);
    if (comma != STEPPED) return comma;
    if (!isArray) {
      const keyAt = input.scanPos;
      const key = readKey(last, <u32>Limit.PointerKeys); // past the records: no key is sampled
      // The pointer's key again in the same object: the records came from its first value,
      // where JSON.parse would keep the last. RFC 6901: a member name on the path that is not
      // unique leaves the pointer undefined, so this is an error, not the first value silently.
      if (key == ON_PATH) {
        noteLevel(PointerValue.Object); // the object at `level` holds the key twice
        return fail(ParseError.PointerDuplicate, keyAt);
      }
      if (key != STEPPED) return key;
    }
    const skipped = skipValue(last, level + 1);
    if (skipped != STEPPED) return skipped;
  }
}
