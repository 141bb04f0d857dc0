// WTF-8 (UTF-8 with lone surrogates as 3-byte sequences), written out plainly for tests: how the
// store holds strings (text heaps, the string table), checked against the engine's own codec
// rather than through it.

/** WTF-8 (UTF-8 with lone surrogates) of a JS string, as the facade writes it. */
export function wtf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let point = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (point >= 0xd800 && point <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      point = 0x10000 + ((point - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    if (point < 0x80) out.push(point);
    else if (point < 0x800) out.push(0xc0 | (point >> 6), 0x80 | (point & 0x3f));
    else if (point < 0x10000) out.push(0xe0 | (point >> 12), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f));
    else out.push(0xf0 | (point >> 18), 0x80 | ((point >> 12) & 0x3f), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f));
  }
  return Uint8Array.from(out);
}

/** The JS string of WTF-8 bytes (lone surrogates back as such). */
export function wtf8Decode(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    let point: number;
    if (lead < 0x80) { point = lead; i += 1; }
    else if (lead < 0xe0) { point = ((lead & 0x1f) << 6) | (bytes[i + 1] & 0x3f); i += 2; }
    else if (lead < 0xf0) { point = ((lead & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f); i += 3; }
    else { point = ((lead & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f); i += 4; }
    text += String.fromCodePoint(point);
  }
  return text;
}
