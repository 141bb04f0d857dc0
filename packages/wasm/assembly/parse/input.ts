// The parser's input: the buffer JS writes chunks into, the cursors into it, and positions in
// the stream (where a parse failed, or where a step was cut off by the end of the buffer).
//
// The buffer keeps the bytes from `recordStart` on; parseInput drops those before it, after
// counting their lines and columns with SIMD, so an error's offset, line and column stay exact
// however the input was chunked. Two cursors read it: `scanPos`, where the document level
// (document.ts, pointer.ts) looks next, and `pos` up to `end`, the record parser's (value.ts,
// string.ts), set for each record or step.
//
// This file owns that state as WASM globals (no memory-backed struct: the parser reads them in
// every loop); the other parse files read and write them as `input.pos` through
// `import * as input from './input'`. It imports nothing from the other parse files.
import { FeedResult, ParseError, ParseStatus } from '../abi';
import { reallocate, canAllocate, release } from '../arena';

// ---- input buffer ------------------------------------------------------------------------
export let buffer: usize = 0;
let bufferCapacity: u32 = 0;
export let bufferLength: u32 = 0;
/** Absolute stream offset of buffer[0], and line / column (chars) at buffer[0]. */
export let bufferOffset: f64 = 0;
export let bufferLine: u32 = 1;
export let bufferColumn: u32 = 0;

/** Next byte the top level looks at; bytes before `recordStart` are no longer needed. */
export let scanPos: u32 = 0;
export let recordStart: u32 = 0;
/**
 * A record (with a pointer: a member around the records) cut off by the end of the buffer is
 * parsed again only once the bytes from its start have doubled. Retrying on every chunk made a
 * record spanning n chunks cost O(n²): a 10 MB record in 4 KiB chunks took over 30 s.
 */
export let retryLength: u32 = 0;

// ---- the error ---------------------------------------------------------------------------
export let errorCode: i32 = ParseError.None;
export let errorAt: u32 = 0;

// ---- record parser cursor ----------------------------------------------------------------
export let pos: usize = 0;
export let end: usize = 0;
/** False while more input may follow `end`: running out of bytes then means "wait", not "error". */
export let final = true;

/** Line (1-based) of the error. */
export function errorLine(): u32 {
  return bufferLine + countNewlines(buffer, min(errorAt, bufferLength));
}

/** Column (1-based, in characters) of the error. */
export function errorColumn(): u32 {
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

/** Writes the input's part of a `ParseStatus` record at `status`: the error, the buffer, the bytes done. */
export function saveStatus(status: usize): void {
  store<u32>(status + ParseStatus.ErrorCode, <u32>errorCode);
  const failed = errorCode != ParseError.None;
  store<u32>(status + ParseStatus.ErrorLine, failed ? errorLine() : 0);
  store<u32>(status + ParseStatus.ErrorColumn, failed ? errorColumn() : 0);
  store<u32>(status + ParseStatus.ErrorPointer, <u32>(buffer + errorAt));
  store<u32>(status + ParseStatus.BufferStart, <u32>buffer);
  store<u32>(status + ParseStatus.BufferEnd, <u32>(buffer + bufferLength));
  store<f64>(status + ParseStatus.BytesDone, bufferOffset + <f64>recordStart);
  store<f64>(status + ParseStatus.ErrorOffset, bufferOffset + <f64>errorAt);
}

const NEWLINES = i8x16.splat(0x0A);
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
export function findNewline(from: u32, to: u32): u32 {
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

/** Gives back the input buffer (after a load or append). */
export function releaseInput(): void {
  release(buffer, bufferCapacity);
  buffer = 0;
  bufferCapacity = 0;
  bufferLength = 0;
}

// ---- what a step reports -----------------------------------------------------------------

export function fail(code: i32, at: u32): i32 {
  errorCode = code;
  errorAt = at;
  return FeedResult.Error;
}

/** The step at recordStart was cut off: wait until the bytes from there have doubled (retryLength). */
export function cutOff(): i32 {
  retryLength = max<u32>(1, bufferLength - recordStart);
  return FeedResult.NeedInput;
}

// ---- whitespace at either cursor ---------------------------------------------------------

@inline export function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09;
}

/** Skips whitespace at `scanPos` (the document level). */
export function skipSpaces(): void {
  while (scanPos < bufferLength && isSpace(load<u8>(buffer + scanPos))) scanPos++;
}

/** Skips whitespace at `pos` (the record parser). */
@inline export function skipWhitespace(): void {
  while (pos < end && isSpace(load<u8>(pos))) pos++;
}
