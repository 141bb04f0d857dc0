// The document level: what the stream is — the elements of a top-level array (or of the
// array a JSON Pointer names), the values of the object a JSON Pointer names (each key read
// here, and with keyAs stored in its record), one value, or NDJSON lines — and each record
// parsed and committed whole, or undone.
//
// Records are parsed where they stand (no pass to find where they end) by the value parser,
// straight into the schema's columns. A record is committed only when it parsed completely:
// on any failure the whole schema is cut back to the committed rows (`truncateNode(root,
// committedRows)`), which restores every column below it, and a record that fails for good
// also takes back the fields, kinds, dictionary entries and strings it added (../undo.ts). A record cut off by the end of the
// buffer while more input may follow is undone and parsed again once more bytes have come.
//
// The top of the parse files' imports: input.ts, pointer.ts, value.ts, string.ts; none imports it.
import { Descriptor, FeedResult, ParseFormat, ParseError, ParseStatus, Sentinel } from '../abi';
import { get } from '../descriptor';
import { fsstParsing, fsstSettle } from '../fsstAppend';
import { intern } from '../strings';
import { ensureRoot, truncateNode, nodeColumn, settleSchema } from '../schema';
import * as input from './input';
import { fail, cutOff, findNewline, isSpace, skipSpaces, skipWhitespace, releaseInput } from './input';
import * as pointer from './pointer';
import { ARRIVED, ARRIVED_OBJECT, descend, ascend } from './pointer';
import { parseValue, parseKey, E_REBUILD, keyAsSet, keyAsActive, keyAsMissed, beginRecord, recordKeySet, rebuildNodeGet } from './value';
import { parseAcceptSurrogates, releaseUnescaped, stringPtr } from './string';
import { parseStarted, parseEnded, recordCommitted, recordFailed, markRecord } from '../undo';

// ---- top-level state ---------------------------------------------------------------------
const S_START: u32 = 0;
// S_ARRAY_*: the records container's members (`keyed`: an object's, each after its key).
const S_ARRAY_FIRST: u32 = 1;
const S_ARRAY_NEXT: u32 = 2;
const S_ARRAY_AFTER: u32 = 3;
const S_AFTER_ARRAY: u32 = 4;
const S_SINGLE: u32 = 5;
const S_LINES: u32 = 6;
const S_FINISHED: u32 = 7;
const S_DESCEND: u32 = 8;   // pointer: walking down to the records array
const S_ASCEND: u32 = 9;    // pointer: after the records array, the rest of the document
const S_AFTER_DOCUMENT: u32 = 10; // the document is over: only whitespace may follow

let format: u32 = ParseFormat.Json;
let skipBadLines = false;
let state: u32 = S_START;
/** NDJSON: bytes after scanPos already searched for the newline (no rescan per chunk, as input.retryLength). */
let lineScanned: u32 = 0;
/** A UTF-8 BOM at the start is skipped in bytes; in a JS string it is U+FEFF, which JSON.parse rejects. */
let skipBom = true;

let committedRows: u32 = 0;
/** The records are the values of the object a pointer names (its members are key: record). */
let keyed = false;
/** memberKey: where the member's value starts. */
let valueAt: u32 = 0;
/** memberKey: the key and its ':' were read. */
const KEY_READ: i32 = -1;

/**
 * Starts parsing a stream. `wtf8`: the bytes come from a JS string, whose lone surrogates
 * (which JSON.parse keeps) arrive as WTF-8 and must be accepted inside strings, and whose
 * leading U+FEFF is not a byte order mark (JSON.parse rejects it).
 */
export function parseBegin(formatCode: u32, skip: bool, wtf8: bool): bool {
  format = formatCode;
  skipBadLines = skip;
  parseAcceptSurrogates(wtf8);
  skipBom = !wtf8;
  state = formatCode == ParseFormat.Ndjson ? S_LINES : S_START;
  pointer.pointerDepth = 0;
  pointer.active = false;
  keyed = false;
  keyAsSet(Sentinel.NoKey);
  input.bufferLength = 0;
  input.bufferOffset = 0;
  input.bufferLine = 1;
  input.bufferColumn = 0;
  input.scanPos = 0;
  input.recordStart = 0;
  input.retryLength = 0;
  lineScanned = 0;
  input.errorCode = ParseError.None;
  const root = ensureRoot();
  if (root == 0) return false;
  committedRows = get(nodeColumn(root), Descriptor.Length);
  parseStarted();
  fsstParsing(true);
  return true;
}

const status: usize = memory.data(<i32>ParseStatus.Bytes, 8);

/** Where the parser stands, as a `ParseStatus` record (a static block, rewritten by each call): its address. */
export function parseStatus(): usize {
  store<u32>(status + ParseStatus.CommittedRows, committedRows);
  store<u32>(status + ParseStatus.RebuildNode, <u32>rebuildNodeGet());
  input.saveStatus(status);
  return status;
}

/**
 * keyAs (after parsePointer): each record's key in the object the pointer names is stored in
 * its record's field `keyId` (a string id). Sentinel.NoKey: the keys are not stored.
 */
export function parseKeyAs(keyId: u32): void {
  keyAsSet(keyId);
  markRecord(); // the field's key was interned after parseBegin: a failing record keeps it
}

/** The caller wrote `bytes` at parseInput's address; parse every record now complete. */
export function parseFeed(bytes: u32, last: bool): i32 {
  input.bufferLength += bytes;
  const result = format == ParseFormat.Ndjson ? feedLines(last) : feedJson(last);
  // Whenever the facade may read the columns, none lags (schema.ts: missing rows are lazy; fsstAppend.ts:
  // a compressed column's rows are encoded a column at a time). An error needs no settling: its
  // append is undone to rows that were settled.
  if (result == FeedResult.NeedInput || result == FeedResult.Error || (settleSchema() && fsstSettle())) return result;
  return fail(ParseError.OutOfMemory, input.scanPos);
}

// Records are parsed where they stand, without a pass to find where they end: a record cut
// off by the end of the buffer (while more input may follow) is undone and parsed again,
// whole, once the next chunk has arrived. Only the last partial record of a chunk pays twice.
function feedJson(last: bool): i32 {
  while (true) {
    if (input.retryLength != 0) {
      if (!last && <u64>(input.bufferLength - input.recordStart) < (<u64>input.retryLength << 1)) return FeedResult.NeedInput;
      input.retryLength = 0;
    }
    switch (state) {
      case S_START: {
        if (input.bufferOffset == 0 && input.scanPos == 0) {
          if (input.bufferLength < 3 && !last) return FeedResult.NeedInput;
          if (skipBom && input.bufferLength >= 3 && load<u8>(input.buffer) == 0xEF && load<u8>(input.buffer + 1) == 0xBB && load<u8>(input.buffer + 2) == 0xBF) input.scanPos = 3; // a UTF-8 BOM
        }
        skipSpaces();
        input.recordStart = input.scanPos;
        if (input.scanPos >= input.bufferLength) return last ? fail(ParseError.EmptyInput, input.scanPos) : FeedResult.NeedInput;
        if (pointer.active) {
          state = S_DESCEND;
          pointer.level = 0;
          pointer.inside = false;
          break;
        }
        if (load<u8>(input.buffer + input.scanPos) == 0x5B) {
          input.scanPos++;
          state = S_ARRAY_FIRST;
        } else state = S_SINGLE;
        break;
      }
      case S_ARRAY_FIRST:
      case S_ARRAY_NEXT: {
        skipSpaces();
        input.recordStart = input.scanPos;
        if (input.scanPos >= input.bufferLength) return last ? fail(ParseError.UnexpectedEnd, input.scanPos) : FeedResult.NeedInput;
        if (load<u8>(input.buffer + input.scanPos) == (keyed ? 0x7D : 0x5D)) {
          if (state == S_ARRAY_NEXT) return fail(ParseError.TrailingComma, input.scanPos);
          input.scanPos++;
          state = S_AFTER_ARRAY;
          break;
        }
        let from = input.scanPos;
        if (keyed) {
          // scanPos stays on the key: a record cut off or rebuilt is read again from its key.
          const key = memberKey(last);
          if (key != KEY_READ) return key;
          from = valueAt;
        }
        const result = commitRecord(from, input.bufferLength, last);
        if (result != FeedResult.NeedInput) return result;
        if (input.pos == 0) return cutOff(); // cut off: wait for more
        input.scanPos = <u32>(input.pos - input.buffer);
        input.recordStart = input.scanPos;
        state = S_ARRAY_AFTER;
        break;
      }
      case S_ARRAY_AFTER: {
        skipSpaces();
        input.recordStart = input.scanPos;
        if (input.scanPos >= input.bufferLength) return last ? fail(ParseError.UnexpectedEnd, input.scanPos) : FeedResult.NeedInput;
        const c = load<u8>(input.buffer + input.scanPos);
        if (c == 0x2C) {
          input.scanPos++;
          state = S_ARRAY_NEXT;
        } else if (c == (keyed ? 0x7D : 0x5D)) {
          input.scanPos++;
          state = S_AFTER_ARRAY;
        } else return fail(keyed ? ParseError.ExpectedCommaOrBrace : ParseError.ExpectedCommaOrBracket, input.scanPos);
        break;
      }
      case S_DESCEND: {
        const result = descend(last);
        if (result != ARRIVED && result != ARRIVED_OBJECT) return result;
        keyed = result == ARRIVED_OBJECT;
        // Array elements have no keys to store (scanPos is past the '[').
        if (!keyed && keyAsActive()) return fail(ParseError.KeyAsNoKeys, input.scanPos - 1);
        state = S_ARRAY_FIRST;
        break;
      }
      case S_ASCEND: {
        const result = ascend(last);
        if (result != ARRIVED) return result;
        state = S_AFTER_DOCUMENT;
        break;
      }
      case S_AFTER_ARRAY: {
        if (pointer.active && pointer.pointerDepth > 0) {
          // The records container is done: the rest of the enclosing containers is validated and skipped.
          state = S_ASCEND;
          pointer.level = pointer.pointerDepth - 1;
          break;
        }
        // The top-level array (or the object pointer '' names) was the document: only whitespace may follow it.
        state = S_AFTER_DOCUMENT;
      } // falls through
      case S_AFTER_DOCUMENT: {
        skipSpaces();
        input.recordStart = input.scanPos;
        if (input.scanPos < input.bufferLength) return fail(ParseError.TrailingData, input.scanPos);
        if (!last) return FeedResult.NeedInput;
        state = S_FINISHED;
        return FeedResult.Done;
      }
      case S_SINGLE: {
        // One top-level value that is not an array: the only record, parsed once all is in.
        if (!last) return FeedResult.NeedInput;
        const result = commitRecord(input.scanPos, input.bufferLength, true);
        if (result != FeedResult.NeedInput) return result;
        input.scanPos = input.bufferLength;
        input.recordStart = input.scanPos;
        state = S_FINISHED;
        return FeedResult.Done;
      }
      default:
        return FeedResult.Done;
    }
  }
}

/** NDJSON: each line is one record; blank lines are skipped. */
function feedLines(last: bool): i32 {
  // A UTF-8 BOM at the start is skipped, as for JSON (S_START): NDJSON files written by
  // Windows tools start with one, and the first line used to fail on it.
  if (input.bufferOffset == 0 && input.scanPos == 0) {
    if (input.bufferLength < 3 && !last) return FeedResult.NeedInput;
    if (skipBom && input.bufferLength >= 3 && load<u8>(input.buffer) == 0xEF && load<u8>(input.buffer + 1) == 0xBB && load<u8>(input.buffer + 2) == 0xBF) input.scanPos = 3;
  }
  while (true) {
    while (input.scanPos < input.bufferLength && isSpace(load<u8>(input.buffer + input.scanPos))) input.scanPos++;
    input.recordStart = input.scanPos;
    if (input.scanPos >= input.bufferLength) {
      if (!last) return FeedResult.NeedInput;
      state = S_FINISHED;
      return FeedResult.Done;
    }
    const newline = findNewline(input.scanPos + lineScanned, input.bufferLength);
    if (newline == input.bufferLength && !last) {
      lineScanned = input.bufferLength - input.scanPos;
      return FeedResult.NeedInput;
    }
    lineScanned = 0;
    const result = commitRecord(input.scanPos, newline, true);
    if (result == FeedResult.Error && skipBadLines && input.errorCode != ParseError.OutOfMemory) {
      input.scanPos = newline;
      input.recordStart = input.scanPos;
      return FeedResult.RecordSkipped;
    }
    if (result != FeedResult.NeedInput) return result;
    input.scanPos = newline;
    input.recordStart = input.scanPos;
  }
}

/**
 * Parses the record starting at `from` (bytes up to `to`) and commits it, or undoes it.
 * `complete`: no byte after `to` can belong to it (otherwise running out of bytes is not an
 * error: the record is undone, `pos` is set to 0, and the caller waits for more input).
 * With a single-record range (NDJSON lines, a lone value) trailing bytes are an error.
 */
function commitRecord(from: u32, to: u32, complete: bool): i32 {
  const root = ensureRoot();
  input.pos = input.buffer + from;
  input.end = input.buffer + to;
  input.final = complete;
  input.errorCode = ParseError.None;
  beginRecord();
  let code: i32;
  skipWhitespace();
  if (keyAsActive() && input.pos < input.end && load<u8>(input.pos) != 0x7B) code = ParseError.KeyAsNotObject;
  else {
    code = parseValue(root, 0);
    // An object stored as mixed JSON text, or as a map: no field took the key.
    if (code == ParseError.None && keyAsMissed()) {
      code = ParseError.KeyAsNotObject;
      input.pos = input.buffer + from;
    }
  }
  if (code == ParseError.None && (format == ParseFormat.Ndjson || state == S_SINGLE)) {
    skipWhitespace();
    if (input.pos < input.end) code = ParseError.TrailingData;
  }
  if (code != ParseError.None) {
    truncateNode(root, committedRows);
    if (code == E_REBUILD) {
      input.errorCode = ParseError.None;
      return FeedResult.Rebuild;
    }
    if (!complete && input.pos >= input.end) {
      input.pos = 0;
      return FeedResult.NeedInput;
    }
    input.errorCode = code;
    input.errorAt = <u32>(input.pos - input.buffer);
    // Fields, kinds, dictionary entries and strings the record added go too (undo.ts): a
    // skipped line leaves no trace, and a failed append is undone whole from a clean state.
    recordFailed(root, committedRows);
    return FeedResult.Error;
  }
  committedRows++;
  recordCommitted();
  return FeedResult.NeedInput;
}

/**
 * Keyed records: the member's key and its ':' at scanPos (interned when keyAs stores it), with
 * scanPos left on the key. KEY_READ with `valueAt` set, or what the feed returns (cut off:
 * wait for more, the member read again from its key).
 */
function memberKey(last: bool): i32 {
  input.pos = input.buffer + input.scanPos;
  input.end = input.buffer + input.bufferLength;
  input.final = last;
  const length = parseKey();
  if (length < 0) {
    if (!last && input.pos >= input.end) return cutOff();
    return fail(<i32>-length, <u32>(input.pos - input.buffer));
  }
  if (keyAsActive()) {
    // Interned inside the record's undo scope: a record that fails takes its key back too.
    const id = intern(stringPtr, <u32>length);
    if (id == Sentinel.InternFailed) return fail(ParseError.OutOfMemory, input.scanPos);
    recordKeySet(id);
  }
  valueAt = <u32>(input.pos - input.buffer);
  return KEY_READ;
}

/** Gives back the input and unescape buffers (after a load or append). */
export function parseRelease(): void {
  releaseInput();
  releaseUnescaped();
  parseEnded();
  fsstParsing(false);
}
