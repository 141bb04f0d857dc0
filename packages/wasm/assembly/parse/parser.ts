// The streaming JSON / NDJSON parser: UTF-8 bytes in, column appends out.
//
// Input arrives in chunks of any size, split anywhere. A resumable *scanner* finds where each
// record ends (array elements for JSON, lines for NDJSON); a complete record is then parsed by
// a recursive-descent *record parser* that appends straight to the schema's columns, inferring
// and widening as it goes. A record is committed only when it parsed completely: on any error
// the whole schema is cut back to the committed rows (`truncateNode(root, committed)`).
//
// When a value's kind conflicts with its node (a string where objects were), the parser undoes
// the record and reports REBUILD with the node: the facade turns that node into a mixed column
// from its existing rows, and the record is parsed again.
import { ColumnType, Descriptor, Status, NodeKind, NodeField, Sentinel, FeedResult, ParseFormat, ParseError, Limit } from '../abi';
import { reallocate, canAllocate, release } from '../arena';
import { intern, stringStart, stringLength } from '../strings';
import {
  get, appendBool, appendFloat64, appendInt, appendList, appendMixed, appendString, appendStruct, dictionaryId,
} from '../column';
import {
  ensureRoot, createField, writeMissing, writeNull, truncateNode, settleKind, ensureElement, nodeGet, nodeSet, nodeColumn, fieldAt,
} from '../schema';
import { scanNumber, numberIsInt, numberIntValue, numberValue, numberErrorAt } from './number';

// ---- results and errors (mirrored in packages/core/src/wasm/abi.ts) ---------------------

const E_REBUILD: i32 = 100; // internal: not an error, the record must be parsed again


/** Deepest nesting of a record (objects and arrays each count a level). */

// ---- input buffer ------------------------------------------------------------------------
let buffer: usize = 0;
let bufferCapacity: u32 = 0;
let bufferLength: u32 = 0;
/** Absolute stream offset of buffer[0], and line / column (chars) at buffer[0]. */
let bufferOffset: f64 = 0;
let bufferLine: u32 = 1;
let bufferColumn: u32 = 0;

// ---- top-level state ---------------------------------------------------------------------
const S_START: u32 = 0;
const S_ARRAY_FIRST: u32 = 1;
const S_ARRAY_NEXT: u32 = 2;
const S_ARRAY_AFTER: u32 = 3;
const S_AFTER_ARRAY: u32 = 4;
const S_SINGLE: u32 = 5;
const S_LINES: u32 = 6;
const S_FINISHED: u32 = 7;
const S_DESCEND: u32 = 8;   // pointer: walking down to the records array
const S_ASCEND: u32 = 9;    // pointer: after the records array, the rest of the document
const S_AFTER_DOCUMENT: u32 = 10;

// JSON Pointer (`pointer: '/features'`): the records are the elements of the array it names.
const pointerKeys = memory.data(<i32>(Limit.PointerTokens * 4), 4);    // string id per token
const pointerIndices = memory.data(<i32>(Limit.PointerTokens * 4), 4); // array index per token, or Sentinel.NoIndex
const levelKinds = memory.data(<i32>(Limit.PointerTokens * 4), 4);     // 0 object, 1 array
const levelCounts = memory.data(<i32>(Limit.PointerTokens * 4), 4);    // array elements passed
let pointerDepth: u32 = 0;
let level: u32 = 0;
/** Inside the container at `level` (descending): true before its first member is passed. */
let levelFresh = true;

let format: u32 = ParseFormat.Json;
let skipBadLines = false;
let state: u32 = S_START;
/** Next byte the top level looks at; bytes before `recordStart` are no longer needed. */
let scanPos: u32 = 0;
let recordStart: u32 = 0;
/**
 * A record (with a pointer: a member around the records) cut off by the end of the buffer is
 * parsed again only once the bytes from its start have doubled. Retrying on every chunk made a
 * record spanning n chunks cost O(n²): a 10 MB record in 4 KiB chunks took over 30 s.
 */
let retryLength: u32 = 0;
/** NDJSON: bytes after scanPos already searched for the newline (no rescan per chunk, same reason). */
let lineScanned: u32 = 0;

// ---- results -----------------------------------------------------------------------------
let committedRows: u32 = 0;
let errorCode: i32 = ParseError.None;
let errorAt: u32 = 0;
let rebuildNode: usize = 0;
let objectStamp: u32 = 0;

// ---- record parser state -----------------------------------------------------------------
let pos: usize = 0;
let end: usize = 0;
/** False while more input may follow `end`: running out of bytes then means "wait", not "error". */
let final = true;
let acceptSurrogates = false;
let unescaped: usize = 0;
let unescapedCapacity: u32 = 0;

/**
 * Starts parsing a stream. `wtf8`: the bytes come from a JS string, whose lone surrogates
 * (which JSON.parse keeps) arrive as WTF-8 and must be accepted inside strings.
 */
export function parseBegin(formatCode: u32, skip: bool, wtf8: bool): bool {
  format = formatCode;
  skipBadLines = skip;
  acceptSurrogates = wtf8;
  state = formatCode == ParseFormat.Ndjson ? S_LINES : S_START;
  pointerDepth = 0;
  bufferLength = 0;
  bufferOffset = 0;
  bufferLine = 1;
  bufferColumn = 0;
  scanPos = 0;
  recordStart = 0;
  retryLength = 0;
  lineScanned = 0;
  errorCode = ParseError.None;
  const root = ensureRoot();
  if (root == 0) return false;
  committedRows = get(nodeColumn(root), Descriptor.Length);
  return true;
}

/**
 * Whether the bytes fed next come from JS strings (WTF-8: lone surrogates accepted inside
 * strings) or are UTF-8 bytes. A stream of string chunks sets it per chunk: parseBegin only
 * knew whole-string inputs, so string chunks holding lone surrogates used to be rejected.
 */
export function parseAcceptSurrogates(wtf8: bool): void { acceptSurrogates = wtf8; }

export function parseErrorCode(): i32 { return errorCode; }
/** Absolute byte offset of the error. */
export function parseErrorOffset(): f64 { return bufferOffset + <f64>errorAt; }
export function parseRebuildNode(): usize { return rebuildNode; }
export function parseCommittedRows(): u32 { return committedRows; }
/** Bytes of the stream consumed into committed records (for progress). */
export function parseBytesDone(): f64 { return bufferOffset + <f64>recordStart; }

/**
 * Sets the JSON Pointer (after parseBegin): `count` tokens as string ids at `keys` and array
 * indices (or 0xFFFFFFFF) at `indices`. False when the pointer is deeper than 64 levels.
 */
export function parsePointer(count: u32, keys: usize, indices: usize): bool {
  if (count > <u32>Limit.PointerTokens) return false;
  memory.copy(pointerKeys, keys, <usize>count << 2);
  memory.copy(pointerIndices, indices, <usize>count << 2);
  pointerDepth = count;
  level = 0;
  return true;
}

/** Where the error is in the input buffer (for a snippet of the bytes around it). */
export function parseErrorPointer(): usize { return buffer + errorAt; }
export function parseBufferStart(): usize { return buffer; }
export function parseBufferEnd(): usize { return buffer + bufferLength; }

/** Line (1-based) of the error. */
export function parseErrorLine(): u32 {
  return bufferLine + countNewlines(buffer, min(errorAt, bufferLength));
}

/** Column (1-based, in characters) of the error. */
export function parseErrorColumn(): u32 {
  const at = min(errorAt, bufferLength);
  let lineStart: u32 = 0;
  let column = bufferColumn;
  for (let i = at; i > 0; i--) {
    if (load<u8>(buffer + i - 1) == 0x0A) {
      lineStart = i;
      column = 0;
      break;
    }
  }
  return column + countCharacters(buffer + lineStart, at - lineStart) + 1;
}

const NEWLINES = i8x16.splat(0x0A);
const QUOTES = i8x16.splat(0x22);
const BACKSLASHES = i8x16.splat(0x5C);
const SPACES = i8x16.splat(0x20);
const CONTINUATION_MASK = i8x16.splat(<i8>0xC0);
const CONTINUATION = i8x16.splat(<i8>0x80);

/** '\n' bytes in [from, from + length), 16 at a time. */
function countNewlines(from: usize, length: u32): u32 {
  let count: u32 = 0;
  let i: u32 = 0;
  for (; i + 16 <= length; i += 16) count += popcnt<u32>(<u32>i8x16.bitmask(i8x16.eq(v128.load(from + i), NEWLINES)));
  for (; i < length; i++) if (load<u8>(from + i) == 0x0A) count++;
  return count;
}

/** Characters (UTF-8 lead bytes) in [from, from + length), 16 at a time. */
function countCharacters(from: usize, length: u32): u32 {
  let continuations: u32 = 0;
  let i: u32 = 0;
  for (; i + 16 <= length; i += 16) {
    continuations += popcnt<u32>(<u32>i8x16.bitmask(i8x16.eq(v128.and(v128.load(from + i), CONTINUATION_MASK), CONTINUATION)));
  }
  for (; i < length; i++) if ((load<u8>(from + i) & 0xC0) == 0x80) continuations++;
  return length - continuations;
}

/** Index of the first '\n' in [from, to), or `to`. */
function findNewline(from: u32, to: u32): u32 {
  let i = from;
  for (; i + 16 <= to; i += 16) {
    const mask = <u32>i8x16.bitmask(i8x16.eq(v128.load(buffer + i), NEWLINES));
    if (mask != 0) return i + ctz<u32>(mask);
  }
  for (; i < to; i++) if (load<u8>(buffer + i) == 0x0A) return i;
  return to;
}

/**
 * Makes room for `bytes` more input and returns where to write them: bytes already stored are
 * dropped first (their lines and columns are counted, so positions stay exact). 0 when out of memory.
 */
export function parseInput(bytes: u32): usize {
  const keep = recordStart;
  if (keep > 0) {
    const newlines = countNewlines(buffer, keep);
    if (newlines == 0) {
      bufferColumn += countCharacters(buffer, keep);
    } else {
      bufferLine += newlines;
      let lineStart = keep;
      while (load<u8>(buffer + lineStart - 1) != 0x0A) lineStart--;
      bufferColumn = countCharacters(buffer + lineStart, keep - lineStart);
    }
    memory.copy(buffer, buffer + keep, bufferLength - keep);
    bufferLength -= keep;
    bufferOffset += <f64>keep;
    scanPos -= keep;
    recordStart = 0;
  }
  const needed = <u64>bufferLength + <u64>bytes + 16;
  if (needed > <u64>bufferCapacity) {
    if (needed > 0xF0000000) return 0;
    const capacity = <u32>max<u64>(needed, <u64>bufferCapacity + (<u64>bufferCapacity >> 1));
    if (!canAllocate(<u64>capacity)) return 0;
    const moved = reallocate(buffer, bufferCapacity, capacity);
    if (moved == 0) return 0;
    buffer = moved;
    bufferCapacity = capacity;
  }
  return buffer + bufferLength;
}

/** The caller wrote `bytes` at parseInput's address; parse every record now complete. */
export function parseFeed(bytes: u32, last: bool): i32 {
  bufferLength += bytes;
  return format == ParseFormat.Ndjson ? feedLines(last) : feedJson(last);
}

// ---- the top level -----------------------------------------------------------------------

@inline function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09;
}

function skipSpaces(): void {
  while (scanPos < bufferLength && isSpace(load<u8>(buffer + scanPos))) scanPos++;
}

function fail(code: i32, at: u32): i32 {
  errorCode = code;
  errorAt = at;
  return FeedResult.Error;
}

// Records are parsed where they stand, without a pass to find where they end: a record cut
// off by the end of the buffer (while more input may follow) is undone and parsed again,
// whole, once the next chunk has arrived. Only the last partial record of a chunk pays twice.
function feedJson(last: bool): i32 {
  while (true) {
    if (retryLength != 0) {
      if (!last && <u64>(bufferLength - recordStart) < (<u64>retryLength << 1)) return FeedResult.NeedInput;
      retryLength = 0;
    }
    switch (state) {
      case S_START: {
        if (bufferOffset == 0 && scanPos == 0) {
          if (bufferLength < 3 && !last) return FeedResult.NeedInput;
          if (bufferLength >= 3 && load<u8>(buffer) == 0xEF && load<u8>(buffer + 1) == 0xBB && load<u8>(buffer + 2) == 0xBF) scanPos = 3; // a UTF-8 BOM
        }
        skipSpaces();
        recordStart = scanPos;
        if (scanPos >= bufferLength) return last ? fail(ParseError.EmptyInput, scanPos) : FeedResult.NeedInput;
        if (pointerDepth > 0) {
          state = S_DESCEND;
          level = 0;
          inside = false;
          break;
        }
        if (load<u8>(buffer + scanPos) == 0x5B) {
          scanPos++;
          state = S_ARRAY_FIRST;
        } else state = S_SINGLE;
        break;
      }
      case S_ARRAY_FIRST:
      case S_ARRAY_NEXT: {
        skipSpaces();
        recordStart = scanPos;
        if (scanPos >= bufferLength) return last ? fail(ParseError.UnexpectedEnd, scanPos) : FeedResult.NeedInput;
        if (load<u8>(buffer + scanPos) == 0x5D) {
          if (state == S_ARRAY_NEXT) return fail(ParseError.TrailingComma, scanPos);
          scanPos++;
          state = S_AFTER_ARRAY;
          break;
        }
        const result = commitRecord(scanPos, bufferLength, last);
        if (result != FeedResult.NeedInput) return result;
        if (pos == 0) return cutOff(); // cut off: wait for more
        scanPos = <u32>(pos - buffer);
        recordStart = scanPos;
        state = S_ARRAY_AFTER;
        break;
      }
      case S_ARRAY_AFTER: {
        skipSpaces();
        recordStart = scanPos;
        if (scanPos >= bufferLength) return last ? fail(ParseError.UnexpectedEnd, scanPos) : FeedResult.NeedInput;
        const c = load<u8>(buffer + scanPos);
        if (c == 0x2C) {
          scanPos++;
          state = S_ARRAY_NEXT;
        } else if (c == 0x5D) {
          scanPos++;
          state = S_AFTER_ARRAY;
        } else return fail(ParseError.ExpectedCommaOrBracket, scanPos);
        break;
      }
      case S_DESCEND: {
        const result = descend(last);
        if (result != FeedResult.NeedInput || state == S_DESCEND) return result;
        break;
      }
      case S_ASCEND: {
        const result = ascend(last);
        if (result != FeedResult.NeedInput || state == S_ASCEND) return result;
        break;
      }
      case S_AFTER_DOCUMENT: {
        skipSpaces();
        recordStart = scanPos;
        if (scanPos < bufferLength) return fail(ParseError.TrailingData, scanPos);
        if (!last) return FeedResult.NeedInput;
        state = S_FINISHED;
        return FeedResult.Done;
      }
      case S_AFTER_ARRAY: {
        if (pointerDepth > 0) {
          // The records array is done: the rest of the enclosing containers is validated and skipped.
          state = S_ASCEND;
          level = pointerDepth - 1;
          break;
        }
        skipSpaces();
        recordStart = scanPos;
        if (scanPos < bufferLength) return fail(ParseError.TrailingData, scanPos);
        if (!last) return FeedResult.NeedInput;
        state = S_FINISHED;
        return FeedResult.Done;
      }
      case S_SINGLE: {
        // One top-level value that is not an array: the only record, parsed once all is in.
        if (!last) return FeedResult.NeedInput;
        const result = commitRecord(scanPos, bufferLength, true);
        if (result != FeedResult.NeedInput) return result;
        scanPos = bufferLength;
        recordStart = scanPos;
        state = S_FINISHED;
        return FeedResult.Done;
      }
      default:
        return FeedResult.Done;
    }
  }
}

/** The step at recordStart was cut off: wait until the bytes from there have doubled (retryLength). */
function cutOff(): i32 {
  retryLength = max<u32>(1, bufferLength - recordStart);
  return FeedResult.NeedInput;
}

/**
 * Parses one step (a value to skip, a key, a delimiter) of the bytes around the records array
 * with the record parser in validate-only mode. Returns ParseError.None, an error code, or -1 when the
 * step is cut off by the end of the buffer (it is retried whole when more input arrives).
 */
function skipValue(last: bool, depth: u32): i32 {
  pos = buffer + scanPos;
  end = buffer + bufferLength;
  final = last;
  const code = parseValue(0, depth);
  if (code != ParseError.None && !last && pos >= end) return -1;
  return code;
}

/**
 * Reads an object key at scanPos and the ':' after it: its length (bytes at stringPtr), -1 when
 * cut off by the end of the buffer, or -(1000 + error code).
 */
function readKey(last: bool): i64 {
  pos = buffer + scanPos;
  end = buffer + bufferLength;
  final = last;
  const length = parseKey();
  if (length >= 0) return length;
  return !last && pos >= end ? -1 : length - 1000;
}

/**
 * Walks from the document's start down the pointer to the records array, one member at a
 * time. A member cut off by the end of the buffer is parsed again, whole, on the next feed.
 */
function descend(last: bool): i32 {
  while (true) {
    skipSpaces();
    recordStart = scanPos;
    if (scanPos >= bufferLength) return last ? fail(ParseError.UnexpectedEnd, scanPos) : FeedResult.NeedInput;
    if (!inside) {
      const c = load<u8>(buffer + scanPos);
      if (level == pointerDepth) {
        if (c != 0x5B) return fail(ParseError.PointerNotArray, scanPos);
        scanPos++;
        state = S_ARRAY_FIRST;
        return FeedResult.NeedInput;
      }
      if (c != 0x7B && c != 0x5B) return fail(ParseError.PointerNotFound, scanPos);
      store<u32>(levelKinds + (<usize>level << 2), c == 0x5B ? 1 : 0);
      store<u32>(levelCounts + (<usize>level << 2), 0);
      scanPos++;
      inside = true;
      levelFresh = true;
      continue;
    }
    const isArray = load<u32>(levelKinds + (<usize>level << 2)) == 1;
    let c = load<u8>(buffer + scanPos);
    if (c == (isArray ? 0x5D : 0x7D)) return fail(ParseError.PointerNotFound, scanPos);
    if (!levelFresh) {
      if (c != 0x2C) return fail(isArray ? ParseError.ExpectedCommaOrBracket : ParseError.ExpectedCommaOrBrace, scanPos);
      scanPos++;
      skipSpaces();
      if (scanPos >= bufferLength) {
        scanPos = recordStart;
        return last ? fail(ParseError.UnexpectedEnd, bufferLength) : FeedResult.NeedInput;
      }
    }
    if (isArray) {
      const index = load<u32>(levelCounts + (<usize>level << 2));
      if (index == load<u32>(pointerIndices + (<usize>level << 2))) {
        inside = false;
        level++;
        continue;
      }
      const code = skipValue(last, level + 1);
      if (code == -1) {
        scanPos = recordStart;
        return cutOff();
      }
      if (code != ParseError.None) return fail(code, <u32>(pos - buffer));
      store<u32>(levelCounts + (<usize>level << 2), index + 1);
    } else {
      if (load<u8>(buffer + scanPos) != 0x22) return fail(ParseError.ExpectedKey, scanPos);
      const length = readKey(last);
      if (length == -1) {
        scanPos = recordStart;
        return cutOff();
      }
      if (length < 0) return fail(<i32>(-(length + 1000)), <u32>(pos - buffer));
      const token = load<u32>(pointerKeys + (<usize>level << 2));
      scanPos = <u32>(pos - buffer);
      if (stringLength(token) == <u32>length && bytesEqual(stringStart(token), stringPtr, <u32>length)) {
        inside = false;
        level++;
        continue;
      }
      const code = skipValue(last, level + 1);
      if (code == -1) {
        scanPos = recordStart;
        return cutOff();
      }
      if (code != ParseError.None) return fail(code, <u32>(pos - buffer));
    }
    scanPos = <u32>(pos - buffer);
    levelFresh = false;
  }
}

let inside = false;

/** After the records array: the rest of each enclosing container, innermost first. */
function ascend(last: bool): i32 {
  while (true) {
    skipSpaces();
    recordStart = scanPos;
    if (scanPos >= bufferLength) return last ? fail(ParseError.UnexpectedEnd, scanPos) : FeedResult.NeedInput;
    const isArray = load<u32>(levelKinds + (<usize>level << 2)) == 1;
    const c = load<u8>(buffer + scanPos);
    if (c == (isArray ? 0x5D : 0x7D)) {
      scanPos++;
      if (level == 0) {
        state = S_AFTER_DOCUMENT;
        return FeedResult.NeedInput;
      }
      level--;
      continue;
    }
    if (c != 0x2C) return fail(isArray ? ParseError.ExpectedCommaOrBracket : ParseError.ExpectedCommaOrBrace, scanPos);
    scanPos++;
    skipSpaces();
    if (scanPos >= bufferLength) {
      scanPos = recordStart;
      return last ? fail(ParseError.UnexpectedEnd, bufferLength) : FeedResult.NeedInput;
    }
    if (!isArray) {
      if (load<u8>(buffer + scanPos) != 0x22) return fail(ParseError.ExpectedKey, scanPos);
      const keyAt = scanPos;
      const length = readKey(last);
      if (length == -1) {
        scanPos = recordStart;
        return cutOff();
      }
      if (length < 0) return fail(<i32>(-(length + 1000)), <u32>(pos - buffer));
      // The pointer's key again in the same object: the records came from its first value,
      // where JSON.parse would keep the last. RFC 6901: a member name on the path that is not
      // unique leaves the pointer undefined, so this is an error, not the first value silently.
      const token = load<u32>(pointerKeys + (<usize>level << 2));
      if (stringLength(token) == <u32>length && bytesEqual(stringStart(token), stringPtr, <u32>length)) return fail(ParseError.PointerDuplicate, keyAt);
      scanPos = <u32>(pos - buffer);
    }
    const code = skipValue(last, level + 1);
    if (code == -1) {
      scanPos = recordStart;
      return cutOff();
    }
    if (code != ParseError.None) return fail(code, <u32>(pos - buffer));
    scanPos = <u32>(pos - buffer);
  }
}

/** NDJSON: each line is one record; blank lines are skipped. */
function feedLines(last: bool): i32 {
  // A UTF-8 BOM at the start is skipped, as for JSON (S_START): NDJSON files written by
  // Windows tools start with one, and the first line used to fail on it.
  if (bufferOffset == 0 && scanPos == 0) {
    if (bufferLength < 3 && !last) return FeedResult.NeedInput;
    if (bufferLength >= 3 && load<u8>(buffer) == 0xEF && load<u8>(buffer + 1) == 0xBB && load<u8>(buffer + 2) == 0xBF) scanPos = 3;
  }
  while (true) {
    while (scanPos < bufferLength && isSpace(load<u8>(buffer + scanPos))) scanPos++;
    recordStart = scanPos;
    if (scanPos >= bufferLength) {
      if (!last) return FeedResult.NeedInput;
      state = S_FINISHED;
      return FeedResult.Done;
    }
    const newline = findNewline(scanPos + lineScanned, bufferLength);
    if (newline == bufferLength && !last) {
      lineScanned = bufferLength - scanPos;
      return FeedResult.NeedInput;
    }
    lineScanned = 0;
    const result = commitRecord(scanPos, newline, true);
    if (result == FeedResult.Error && skipBadLines && errorCode != ParseError.OutOfMemory) {
      scanPos = newline;
      recordStart = scanPos;
      return FeedResult.RecordSkipped;
    }
    if (result != FeedResult.NeedInput) return result;
    scanPos = newline;
    recordStart = scanPos;
  }
}

// ---- the record parser -------------------------------------------------------------------

/**
 * Parses the record starting at `from` (bytes up to `to`) and commits it, or undoes it.
 * `complete`: no byte after `to` can belong to it (otherwise running out of bytes is not an
 * error: the record is undone, `pos` is set to 0, and the caller waits for more input).
 * With a single-record range (NDJSON lines, a lone value) trailing bytes are an error.
 */
function commitRecord(from: u32, to: u32, complete: bool): i32 {
  const root = ensureRoot();
  pos = buffer + from;
  end = buffer + to;
  final = complete;
  errorCode = ParseError.None;
  let code = parseValue(root, 0);
  if (code == ParseError.None && (format == ParseFormat.Ndjson || state == S_SINGLE)) {
    skipWhitespace();
    if (pos < end) code = ParseError.TrailingData;
  }
  if (code != ParseError.None) {
    truncateNode(root, committedRows);
    if (code == E_REBUILD) {
      errorCode = ParseError.None;
      return FeedResult.Rebuild;
    }
    if (!complete && pos >= end) {
      pos = 0;
      return FeedResult.NeedInput;
    }
    errorCode = code;
    errorAt = <u32>(pos - buffer);
    return FeedResult.Error;
  }
  committedRows++;
  return FeedResult.NeedInput;
}

@inline function skipWhitespace(): void {
  while (pos < end && isSpace(load<u8>(pos))) pos++;
}

function rebuild(node: usize): i32 {
  rebuildNode = node;
  return E_REBUILD;
}

/** Parses one value into `node` (0: validate only, nothing stored). Returns an error code. */
function parseValue(node: usize, depth: u32): i32 {
  skipWhitespace();
  if (pos >= end) return ParseError.UnexpectedEnd;
  const c = <u32>load<u8>(pos);
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
      if (get(column, Descriptor.Type) != ColumnType.String) return rebuild(node);
      const id = dictionaryLookup(column, stringPtr, <u32>length);
      if (id == Sentinel.InternFailed) return ParseError.OutOfMemory;
      return appendString(column, id) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
    }
    case 0x74: // t
    case 0x66: { // f
      const value = c == 0x74;
      if (!literal(value ? 0x65757274 : 0x736C6166, value ? 4 : 5)) return pos >= end ? ParseError.UnexpectedEnd : ParseError.UnexpectedCharacter;
      if (node == 0) return ParseError.None;
      if (kind == NodeKind.Unset && !settleKind(node, NodeKind.Scalar, ColumnType.Bool)) return ParseError.OutOfMemory;
      const column = nodeColumn(node);
      if (get(column, Descriptor.Type) != ColumnType.Bool) return rebuild(node);
      return appendBool(column, value) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
    }
    case 0x6E: { // n
      if (!literal(0x6C6C756E, 4)) return pos >= end ? ParseError.UnexpectedEnd : ParseError.UnexpectedCharacter;
      if (node == 0) return ParseError.None;
      return writeNull(node) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
    }
    default: {
      if (c != 0x2D && c - 0x30 >= 10) return ParseError.UnexpectedCharacter;
      const after = scanNumber(pos, end);
      if (after == 0) {
        pos = numberErrorAt;
        return pos >= end ? ParseError.UnexpectedEnd : ParseError.BadNumber;
      }
      pos = after;
      if (pos < end) {
        const next = <u32>load<u8>(pos);
        if (next != 0x2C && next != 0x5D && next != 0x7D && !isSpace(next)) return ParseError.BadNumber;
      } else if (!final) return ParseError.UnexpectedEnd; // more digits may follow
      if (node == 0) return ParseError.None;
      if (kind == NodeKind.Unset && !settleKind(node, NodeKind.Scalar, numberIsInt ? ColumnType.Int : ColumnType.Float64)) return ParseError.OutOfMemory;
      const column = nodeColumn(node);
      const type = get(column, Descriptor.Type);
      if (type != ColumnType.Int && type != ColumnType.Float64) return rebuild(node);
      const status = numberIsInt ? appendInt(column, numberIntValue) : appendFloat64(column, numberValue);
      return status == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
    }
  }
}

/** Matches a literal given as little-endian bytes (after its first letter is known). */
function literal(word: u32, length: u32): bool {
  if (<usize>length > end - pos) {
    pos = end; // cut off (or truncated at the very end): reported as an unexpected end
    return false;
  }
  if (length == 4) {
    if (load<u32>(pos) != word) return false;
  } else {
    if (load<u32>(pos) != word || load<u8>(pos + 4) != 0x65) return false;
  }
  pos += length;
  if (pos < end) {
    const next = <u32>load<u8>(pos);
    if (next != 0x2C && next != 0x5D && next != 0x7D && !isSpace(next)) return false;
  } else if (!final) return false; // "true" might go on ("truex"): wait for the next byte
  return true;
}

function parseStruct(node: usize, depth: u32): i32 {
  const column = nodeColumn(node);
  if (appendStruct(column) != Status.Ok) return ParseError.OutOfMemory;
  const stamp = ++objectStamp;
  if (!emptyContainer(0x7D)) {
    let expected: u32 = 0;
    while (true) {
      skipWhitespace();
      if (pos >= end) return ParseError.UnexpectedEnd;
      if (load<u8>(pos) != 0x22) return ParseError.ExpectedKey;
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
      const colon = expectColon();
      if (colon != ParseError.None) return colon;
      if (nodeGet(field, NodeField.Stamp) == stamp) {
        // A duplicate key: the last one wins, as in JSON.parse. Drop the earlier value's row.
        truncateNode(field, get(nodeColumn(field), Descriptor.Length) - 1);
      }
      nodeSet(field, NodeField.Stamp, stamp);
      const code = parseValue(field, depth + 1);
      if (code != ParseError.None) return code;
      const next = afterMember(0x7D, ParseError.ExpectedCommaOrBrace);
      if (next == CLOSED) break;
      if (next != NEXT_MEMBER) return next;
    }
  }
  // Keys this object lacks are missing in this row.
  const count = nodeGet(node, NodeField.FieldCount);
  for (let i: u32 = 0; i < count; i++) {
    const field = fieldAt(node, i);
    if (nodeGet(field, NodeField.Stamp) != stamp && writeMissing(field) != Status.Ok) return ParseError.OutOfMemory;
  }
  return ParseError.None;
}

// ---- the punctuation every object and array shares ---------------------------------------

/** afterMember: another member follows (the comma is consumed). */
const NEXT_MEMBER: i32 = -1;
/** afterMember: the container closed (the bracket is consumed). */
const CLOSED: i32 = -2;

/** At an opening bracket: consumes it, and the closing one too if the container is empty. */
@inline function emptyContainer(close: u32): bool {
  pos++;
  skipWhitespace();
  if (pos < end && <u32>load<u8>(pos) == close) {
    pos++;
    return true;
  }
  return false;
}

/** After a member: ',' (NEXT_MEMBER), the closing bracket (CLOSED), or `wrong` at the offending byte. */
@inline function afterMember(close: u32, wrong: i32): i32 {
  skipWhitespace();
  if (pos >= end) return ParseError.UnexpectedEnd;
  const c = <u32>load<u8>(pos);
  if (c == close) {
    pos++;
    return CLOSED;
  }
  if (c != 0x2C) return wrong;
  pos++;
  return NEXT_MEMBER;
}

@inline function expectColon(): i32 {
  skipWhitespace();
  if (pos >= end) return ParseError.UnexpectedEnd;
  if (load<u8>(pos) != 0x3A) return ParseError.ExpectedColon;
  pos++;
  return ParseError.None;
}

/** An object key and its colon: the key's byte length (its bytes at stringPtr), or a negated error code. */
function parseKey(): i64 {
  skipWhitespace();
  if (pos >= end) return -ParseError.UnexpectedEnd;
  if (load<u8>(pos) != 0x22) return -ParseError.ExpectedKey;
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
  const start = pos + 1;
  if (<usize>length + 1 > end - start) return 0;
  if (nodeGet(field, NodeField.PlainKey) == 0) return 0;
  if (load<u8>(start + length) != 0x22 || !bytesEqual(start, stringStart(id), length)) return 0;
  pos = start + length + 1;
  nodeSet(node, NodeField.Cursor, index + 1);
  return field;
}

@inline function bytesEqual(a: usize, b: usize, length: u32): bool {
  let i: u32 = 0;
  for (; i + 8 <= length; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  for (; i < length; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/** The field of `node` whose key has these bytes, trying the field after the last one first. */
function findField(node: usize, key: usize, length: u32): usize {
  const count = nodeGet(node, NodeField.FieldCount);
  if (count == 0) return 0;
  let guess = nodeGet(node, NodeField.Cursor);
  if (guess >= count) guess = 0;
  for (let tried: u32 = 0; tried < count; tried++) {
    const field = fieldAt(node, guess);
    const id = nodeGet(field, NodeField.Key);
    if (stringLength(id) == length && bytesEqual(stringStart(id), key, length)) {
      nodeSet(node, NodeField.Cursor, guess + 1);
      return field;
    }
    guess++;
    if (guess == count) guess = 0;
  }
  return 0;
}

function parseList(node: usize, depth: u32): i32 {
  const element = ensureElement(node);
  if (element == 0) return ParseError.OutOfMemory;
  let count: u32 = 0;
  if (!emptyContainer(0x5D)) {
    while (true) {
      const code = parseValue(element, depth + 1);
      if (code != ParseError.None) return code;
      count++;
      const next = afterMember(0x5D, ParseError.ExpectedCommaOrBracket);
      if (next == CLOSED) break;
      if (next != NEXT_MEMBER) return next;
    }
  }
  return appendList(nodeColumn(node), count) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
}

/** An object stored as a map: each key a string row, each value a row of the values node. */
function parseMap(node: usize, depth: u32): i32 {
  const keys = <usize>nodeGet(node, NodeField.MapKeys);
  const values = <usize>nodeGet(node, NodeField.Element);
  let count: u32 = 0;
  if (!emptyContainer(0x7D)) {
    while (true) {
      const length = parseKey();
      if (length < 0) return <i32>-length;
      const keyId = intern(stringPtr, <u32>length);
      if (keyId == Sentinel.InternFailed || appendString(nodeColumn(keys), keyId) != Status.Ok) return ParseError.OutOfMemory;
      const code = parseValue(values, depth + 1);
      if (code != ParseError.None) return code;
      count++;
      const next = afterMember(0x7D, ParseError.ExpectedCommaOrBrace);
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
    const start = pos;
    const code = c == 0x7B ? parseObjectDiscard(depth) : parseArrayDiscard(depth);
    if (code != ParseError.None) return code;
    const id = intern(start, <u32>(pos - start));
    if (id == Sentinel.InternFailed) return ParseError.OutOfMemory;
    return appendMixed(column, 4, <f64>id) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
  }
  if (c == 0x22) {
    const length = parseString();
    if (length < 0) return <i32>-length;
    const id = intern(stringPtr, <u32>length);
    if (id == Sentinel.InternFailed) return ParseError.OutOfMemory;
    return appendMixed(column, 3, <f64>id) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
  }
  if (c == 0x74 || c == 0x66) {
    const value = c == 0x74;
    if (!literal(value ? 0x65757274 : 0x736C6166, value ? 4 : 5)) return pos >= end ? ParseError.UnexpectedEnd : ParseError.UnexpectedCharacter;
    return appendMixed(column, value ? 1 : 0, 0) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
  }
  if (c != 0x2D && c - 0x30 >= 10) return ParseError.UnexpectedCharacter;
  const after = scanNumber(pos, end);
  if (after == 0) {
    pos = numberErrorAt;
    return pos >= end ? ParseError.UnexpectedEnd : ParseError.BadNumber;
  }
  pos = after;
  if (pos < end) {
    const next = <u32>load<u8>(pos);
    if (next != 0x2C && next != 0x5D && next != 0x7D && !isSpace(next)) return ParseError.BadNumber;
  } else if (!final) return ParseError.UnexpectedEnd;
  return appendMixed(column, 2, numberValue) == Status.Ok ? ParseError.None : ParseError.OutOfMemory;
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

// ---- strings -----------------------------------------------------------------------------

/** Where the last parsed string's bytes are (in the input, or in the unescape buffer). */
let stringPtr: usize = 0;

/**
 * Parses the string at `pos` (on its opening quote). Returns its byte length (WTF-8 after
 * unescaping) with `stringPtr` set, or a negated error code.
 */
function parseString(): i64 {
  pos++; // "
  const start = pos;
  // Fast path: no escapes, so the bytes can be used where they are. 16 plain ASCII bytes
  // (no quote, backslash or control character) are skipped at once.
  while (pos + 16 <= end) {
    const bytes = v128.load(pos);
    const special = v128.or(v128.or(i8x16.eq(bytes, QUOTES), i8x16.eq(bytes, BACKSLASHES)), i8x16.lt_u(bytes, SPACES));
    const mask = <u32>i8x16.bitmask(v128.or(special, bytes)); // high bit: special, or a non-ASCII byte
    if (mask == 0) {
      pos += 16;
      continue;
    }
    pos += ctz<u32>(mask);
    break;
  }
  while (pos < end) {
    const c = <u32>load<u8>(pos);
    if (c == 0x22) {
      stringPtr = start;
      pos++;
      return <i64>(pos - 1 - start);
    }
    if (c == 0x5C) break;
    if (c < 0x20) return -ParseError.ControlCharacter;
    if (c < 0x80) {
      pos++;
      continue;
    }
    const width = utf8Sequence(pos);
    if (width == 0) return invalidUtf8();
    pos += width;
  }
  if (pos >= end) return -ParseError.UnterminatedString;
  // Escapes: copy into the unescape buffer, decoding as we go.
  const prefix = <u32>(pos - start);
  if (!ensureUnescaped(<u32>(end - start))) return -ParseError.OutOfMemory;
  memory.copy(unescaped, start, prefix);
  let out = unescaped + prefix;
  while (pos < end) {
    const c = <u32>load<u8>(pos);
    if (c == 0x22) {
      pos++;
      stringPtr = unescaped;
      return <i64>(out - unescaped);
    }
    if (c < 0x20) return -ParseError.ControlCharacter;
    if (c == 0x5C) {
      if (pos + 1 >= end) {
        pos = end;
        return -ParseError.UnterminatedString;
      }
      const e = <u32>load<u8>(pos + 1);
      pos += 2;
      let byte: u32 = 0;
      switch (e) {
        case 0x22: byte = 0x22; break;
        case 0x5C: byte = 0x5C; break;
        case 0x2F: byte = 0x2F; break;
        case 0x62: byte = 0x08; break;
        case 0x66: byte = 0x0C; break;
        case 0x6E: byte = 0x0A; break;
        case 0x72: byte = 0x0D; break;
        case 0x74: byte = 0x09; break;
        case 0x75: {
          if (pos + 4 > end) {
            pos = end;
            return -ParseError.UnterminatedString;
          }
          let unit = hex4(pos);
          if (unit < 0) return -ParseError.BadEscape;
          pos += 4;
          let point = <u32>unit;
          // A high surrogate followed by an escaped low one is one code point; alone it stays a
          // lone surrogate (WTF-8), as JSON.parse keeps it.
          if (point >= 0xD800 && point <= 0xDBFF && pos + 6 > end && !final) {
            pos = end; // its low half may be in the next chunk
            return -ParseError.UnterminatedString;
          }
          if (point >= 0xD800 && point <= 0xDBFF && pos + 6 <= end && load<u8>(pos) == 0x5C && load<u8>(pos + 1) == 0x75) {
            const low = hex4(pos + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
              point = 0x10000 + ((point - 0xD800) << 10) + (<u32>low - 0xDC00);
              pos += 6;
            }
          }
          out = writeCodePoint(out, point);
          continue;
        }
        default:
          pos -= 2;
          return -ParseError.BadEscape;
      }
      store<u8>(out, <u8>byte);
      out++;
      continue;
    }
    if (c < 0x80) {
      store<u8>(out, <u8>c);
      out++;
      pos++;
      continue;
    }
    const width = utf8Sequence(pos);
    if (width == 0) return invalidUtf8();
    memory.copy(out, pos, width);
    out += width;
    pos += width;
  }
  return -ParseError.UnterminatedString;
}

/** Invalid UTF-8 — unless the sequence is merely cut off by the end of a chunk. */
function invalidUtf8(): i64 {
  if (!final && end - pos < 4) {
    pos = end;
    return -ParseError.UnterminatedString;
  }
  return -ParseError.InvalidUtf8;
}

function ensureUnescaped(bytes: u32): bool {
  if (bytes <= unescapedCapacity) return true;
  const capacity = max<u32>(bytes, 256);
  const moved = reallocate(unescaped, unescapedCapacity, capacity);
  if (moved == 0) return false;
  unescaped = moved;
  unescapedCapacity = capacity;
  return true;
}

function hex4(at: usize): i32 {
  if (at + 4 > end) return -1;
  let value: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <i32>load<u8>(at + i);
    let digit: i32;
    if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) digit = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) digit = c - 0x37;
    else return -1;
    value = (value << 4) | digit;
  }
  return value;
}

function writeCodePoint(out: usize, point: u32): usize {
  if (point < 0x80) {
    store<u8>(out, <u8>point);
    return out + 1;
  }
  if (point < 0x800) {
    store<u8>(out, <u8>(0xC0 | (point >> 6)));
    store<u8>(out + 1, <u8>(0x80 | (point & 0x3F)));
    return out + 2;
  }
  if (point < 0x10000) {
    store<u8>(out, <u8>(0xE0 | (point >> 12)));
    store<u8>(out + 1, <u8>(0x80 | ((point >> 6) & 0x3F)));
    store<u8>(out + 2, <u8>(0x80 | (point & 0x3F)));
    return out + 3;
  }
  store<u8>(out, <u8>(0xF0 | (point >> 18)));
  store<u8>(out + 1, <u8>(0x80 | ((point >> 12) & 0x3F)));
  store<u8>(out + 2, <u8>(0x80 | ((point >> 6) & 0x3F)));
  store<u8>(out + 3, <u8>(0x80 | (point & 0x3F)));
  return out + 4;
}

/** Length of the valid UTF-8 sequence at `at` (lead byte ≥ 0x80), or 0 if invalid. */
function utf8Sequence(at: usize): u32 {
  const lead = <u32>load<u8>(at);
  const available = end - at;
  if (lead >= 0xC2 && lead <= 0xDF) {
    return available >= 2 && (load<u8>(at + 1) & 0xC0) == 0x80 ? 2 : 0;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (available < 3) return 0;
    const second = <u32>load<u8>(at + 1);
    const low: u32 = lead == 0xE0 ? 0xA0 : 0x80;
    const high: u32 = lead == 0xED && !acceptSurrogates ? 0x9F : 0xBF; // raw surrogates are not UTF-8
    if (second < low || second > high || (load<u8>(at + 2) & 0xC0) != 0x80) return 0;
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (available < 4) return 0;
    const second = <u32>load<u8>(at + 1);
    const low: u32 = lead == 0xF0 ? 0x90 : 0x80;
    const high: u32 = lead == 0xF4 ? 0x8F : 0xBF;
    if (second < low || second > high || (load<u8>(at + 2) & 0xC0) != 0x80 || (load<u8>(at + 3) & 0xC0) != 0x80) return 0;
    return 4;
  }
  return 0;
}

/**
 * The string id of these bytes. Small dictionaries (cargo's product names) are compared
 * in place first, which skips hashing for the common repeated value.
 */
function dictionaryLookup(column: usize, bytes: usize, length: u32): u32 {
  const entries = get(column, Descriptor.DictLength);
  if (entries <= 8) {
    for (let code: u32 = 0; code < entries; code++) {
      const id = dictionaryId(column, code);
      if (stringLength(id) == length && bytesEqual(stringStart(id), bytes, length)) return id;
    }
  }
  return intern(bytes, length);
}

/** Gives back the input and unescape buffers (after a load or append). */
export function parseRelease(): void {
  release(buffer, bufferCapacity);
  release(unescaped, unescapedCapacity);
  buffer = 0;
  bufferCapacity = 0;
  bufferLength = 0;
  unescaped = 0;
  unescapedCapacity = 0;
}

/** Undoes every record after the first `rows` (a failed or aborted load or append). */
export function parseRollback(rows: u32): void {
  const root = ensureRoot();
  truncateNode(root, rows);
  committedRows = rows;
}
