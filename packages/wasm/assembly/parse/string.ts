// The string parser: a JSON string at the record parser's cursor to its bytes, validated as
// UTF-8, with escapes decoded to WTF-8 (lone surrogates kept, as JSON.parse keeps them).
//
// A string without escapes is used where it stands in the input (16 plain bytes per SIMD
// step); one with escapes is copied into the unescape buffer, decoding as it goes. Either way
// `stringPtr` tells where the bytes are. Also the byte comparison every key match uses, and a
// string value's id (small dictionaries are compared in place before interning).
//
// Imports only input.ts of the parse files (the cursor: `input.pos`, `input.end`, `input.final`).
import { Descriptor, ParseError } from '../abi';
import { reallocate, release } from '../arena';
import { intern, stringStart, stringLength, bytesEqual } from '../strings';
import { get } from '../descriptor';
import { dictionaryId } from '../dictionary';
import * as input from './input';

/** Strings from JS (WTF-8): lone surrogates are accepted (see parseAcceptSurrogates). */
let acceptSurrogates = false;
let unescaped: usize = 0;
let unescapedCapacity: u32 = 0;

const QUOTES = i8x16.splat(0x22);
const BACKSLASHES = i8x16.splat(0x5C);
const SPACES = i8x16.splat(0x20);

/**
 * Whether the bytes fed next come from JS strings (WTF-8: lone surrogates accepted inside
 * strings) or are UTF-8 bytes. A stream of string chunks sets it per chunk: parseBegin only
 * knew whole-string inputs, so string chunks holding lone surrogates used to be rejected.
 */
export function parseAcceptSurrogates(wtf8: bool): void { acceptSurrogates = wtf8; }

/** Where the last parsed string's bytes are (in the input, or in the unescape buffer). */
export let stringPtr: usize = 0;

/**
 * Parses the string at `pos` (on its opening quote). Returns its byte length (WTF-8 after
 * unescaping) with `stringPtr` set, or a negated error code.
 */
export function parseString(): i64 {
  input.pos++; // "
  const start = input.pos;
  // Fast path: no escapes, so the bytes can be used where they are. 16 plain ASCII bytes
  // (no quote, backslash or control character) are skipped at once.
  while (input.pos + 16 <= input.end) {
    const bytes = v128.load(input.pos);
    const special = v128.or(v128.or(i8x16.eq(bytes, QUOTES), i8x16.eq(bytes, BACKSLASHES)), i8x16.lt_u(bytes, SPACES));
    const mask = <u32>i8x16.bitmask(v128.or(special, bytes)); // high bit: special, or a non-ASCII byte
    if (mask == 0) {
      input.pos += 16;
      continue;
    }
    input.pos += ctz<u32>(mask);
    break;
  }
  while (input.pos < input.end) {
    const c = <u32>load<u8>(input.pos);
    if (c == 0x22) {
      stringPtr = start;
      input.pos++;
      return <i64>(input.pos - 1 - start);
    }
    if (c == 0x5C) break;
    if (c < 0x20) return -ParseError.ControlCharacter;
    if (c < 0x80) {
      input.pos++;
      continue;
    }
    const width = utf8Sequence(input.pos);
    if (width == 0) return invalidUtf8();
    input.pos += width;
  }
  if (input.pos >= input.end) return -ParseError.UnterminatedString;
  // Escapes: copy into the unescape buffer, decoding as we go.
  const prefix = <u32>(input.pos - start);
  if (!ensureUnescaped(<u32>(input.end - start))) return -ParseError.OutOfMemory;
  memory.copy(unescaped, start, prefix);
  let out = unescaped + prefix;
  while (input.pos < input.end) {
    const c = <u32>load<u8>(input.pos);
    if (c == 0x22) {
      input.pos++;
      stringPtr = unescaped;
      return <i64>(out - unescaped);
    }
    if (c < 0x20) return -ParseError.ControlCharacter;
    if (c == 0x5C) {
      if (input.pos + 1 >= input.end) {
        input.pos = input.end;
        return -ParseError.UnterminatedString;
      }
      const e = <u32>load<u8>(input.pos + 1);
      input.pos += 2;
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
          if (input.pos + 4 > input.end) {
            input.pos = input.end;
            return -ParseError.UnterminatedString;
          }
          let unit = hex4(input.pos);
          if (unit < 0) return -ParseError.BadEscape;
          input.pos += 4;
          let point = <u32>unit;
          // A high surrogate followed by an escaped low one is one code point; alone it stays a
          // lone surrogate (WTF-8), as JSON.parse keeps it.
          if (point >= 0xD800 && point <= 0xDBFF && input.pos + 6 > input.end && !input.final) {
            input.pos = input.end; // its low half may be in the next chunk
            return -ParseError.UnterminatedString;
          }
          if (point >= 0xD800 && point <= 0xDBFF && input.pos + 6 <= input.end && load<u8>(input.pos) == 0x5C && load<u8>(input.pos + 1) == 0x75) {
            const low = hex4(input.pos + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
              point = 0x10000 + ((point - 0xD800) << 10) + (<u32>low - 0xDC00);
              input.pos += 6;
            }
          }
          out = writeCodePoint(out, point);
          continue;
        }
        default:
          input.pos -= 2;
          return -ParseError.BadEscape;
      }
      store<u8>(out, <u8>byte);
      out++;
      continue;
    }
    if (c < 0x80) {
      store<u8>(out, <u8>c);
      out++;
      input.pos++;
      continue;
    }
    const width = utf8Sequence(input.pos);
    if (width == 0) return invalidUtf8();
    memory.copy(out, input.pos, width);
    out += width;
    input.pos += width;
  }
  return -ParseError.UnterminatedString;
}

/** Invalid UTF-8 — unless the sequence is merely cut off by the end of a chunk. */
function invalidUtf8(): i64 {
  if (!input.final && input.end - input.pos < 4) {
    input.pos = input.end;
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
  if (at + 4 > input.end) return -1;
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
  const available = input.end - at;
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
export function dictionaryLookup(column: usize, bytes: usize, length: u32): u32 {
  const entries = get(column, Descriptor.DictLength);
  if (entries <= 8) {
    for (let code: u32 = 0; code < entries; code++) {
      const id = dictionaryId(column, code);
      if (stringLength(id) == length && bytesEqual(stringStart(id), bytes, length)) return id;
    }
  }
  return intern(bytes, length);
}

/** Gives back the unescape buffer (after a load or append). */
export function releaseUnescaped(): void {
  release(unescaped, unescapedCapacity);
  unescaped = 0;
  unescapedCapacity = 0;
}
