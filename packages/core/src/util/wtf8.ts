// UTF-8 for every JS string, including lone surrogates: those (which JSON.parse keeps and
// UTF-8 cannot hold) are written as WTF-8, UTF-8's scheme applied to the surrogate code point
// (0xED 0xA0..0xBF 0x80..0xBF). TextEncoder/TextDecoder would turn them into U+FFFD.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Bytes `text` takes in WTF-8. A loop, not a regular expression's test for ASCII (a third faster
 * on an event feed's strings): a RegExp keeps its last input, so the last string measured, and
 * the file text it may be a slice of, stayed alive until the next match anywhere.
 */
export function wtf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 4 bytes for 2 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Strings of at most these UTF-16 units go through encodeWtf8Into's loop rather than TextEncoder. */
const SHORT_TEXT = 24;

/** Writes `text` into `target` at `offset`; returns the byte count. `target` must have room. */
export function encodeWtf8Into(text: string, target: Uint8Array, offset: number): number {
  // Short ASCII (keys, ids, most literals) by a loop: TextEncoder.encodeInto costs a call into the
  // runtime and a subarray, ~60-100 ns whatever the length, which a loop beats below ~24 units.
  let i = 0;
  if (text.length <= SHORT_TEXT) {
    for (; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) break;
      target[offset + i] = unit;
    }
    if (i === text.length) return i;
  } else if (isWellFormed(text)) return encoder.encodeInto(text, target.subarray(offset)).written;
  let at = offset + i;
  for (; i < text.length; i++) {
    let point = text.charCodeAt(i);
    if (point >= 0xd800 && point <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if ((next & 0xfc00) === 0xdc00) {
        point = 0x10000 + ((point - 0xd800) << 10) + (next - 0xdc00);
        i++;
      }
    }
    if (point < 0x80) target[at++] = point;
    else if (point < 0x800) {
      target[at++] = 0xc0 | (point >> 6);
      target[at++] = 0x80 | (point & 0x3f);
    } else if (point < 0x10000) {
      target[at++] = 0xe0 | (point >> 12);
      target[at++] = 0x80 | ((point >> 6) & 0x3f);
      target[at++] = 0x80 | (point & 0x3f);
    } else {
      target[at++] = 0xf0 | (point >> 18);
      target[at++] = 0x80 | ((point >> 12) & 0x3f);
      target[at++] = 0x80 | ((point >> 6) & 0x3f);
      target[at++] = 0x80 | (point & 0x3f);
    }
  }
  return at - offset;
}

/** Decodes WTF-8 bytes back to the exact JS string. */
export function decodeWtf8(bytes: Uint8Array): string {
  return decodeWtf8At(bytes, 0, bytes.length);
}

const fromCharCode = String.fromCharCode;

/**
 * Decodes `buffer[start, end)` (WTF-8) to the exact JS string, without a subarray for short ASCII.
 * Short ASCII (ids, timestamps, most dictionary strings) is built from 8, 4 and 1 codes a call:
 * a call with its codes as arguments is several times faster for them than
 * `String.fromCharCode.apply` over a subarray or TextDecoder, which cost a text column's short id
 * more than the rest of its read.
 */
export function decodeWtf8At(buffer: Uint8Array, start: number, end: number): string {
  if (end - start <= 24) {
    let ascii = true;
    for (let i = start; i < end; i++) if (buffer[i] >= 0x80) { ascii = false; break; }
    if (ascii) {
      let text = '';
      let i = start;
      for (; i + 8 <= end; i += 8) {
        text += fromCharCode(buffer[i], buffer[i + 1], buffer[i + 2], buffer[i + 3], buffer[i + 4], buffer[i + 5], buffer[i + 6], buffer[i + 7]);
      }
      if (i + 4 <= end) {
        text += fromCharCode(buffer[i], buffer[i + 1], buffer[i + 2], buffer[i + 3]);
        i += 4;
      }
      for (; i < end; i++) text += fromCharCode(buffer[i]);
      return text;
    }
  }
  return decodeLong(buffer.subarray(start, end));
}

/** decodeWtf8 past the short-ASCII path: TextDecoder, or by hand where a lone surrogate is encoded. */
function decodeLong(bytes: Uint8Array): string {
  const length = bytes.length;
  if (!hasSurrogateSequence(bytes)) return decoder.decode(bytes);
  let text = '';
  for (let i = 0; i < length; ) {
    const lead = bytes[i];
    let point: number;
    if (lead < 0x80) { point = lead; i += 1; }
    else if (lead < 0xe0) { point = ((lead & 0x1f) << 6) | (bytes[i + 1] & 0x3f); i += 2; }
    else if (lead < 0xf0) { point = ((lead & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f); i += 3; }
    else {
      point = ((lead & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
      i += 4;
    }
    text += String.fromCodePoint(point);
  }
  return text;
}

function hasSurrogateSequence(bytes: Uint8Array): boolean {
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xed && bytes[i + 1] >= 0xa0) return true;
  return false;
}

const nativeIsWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

/** Whether `text` has no lone surrogate (String.prototype.isWellFormed, where the platform has it). */
export function isWellFormed(text: string): boolean {
  if (nativeIsWellFormed) return nativeIsWellFormed.call(text);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (unit > 0xdbff || i + 1 >= text.length || (text.charCodeAt(i + 1) & 0xfc00) !== 0xdc00) return false;
    i++;
  }
  return true;
}
