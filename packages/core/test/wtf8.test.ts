// WTF-8 (src/util/wtf8.ts): encodeWtf8Into takes a loop for short strings and TextEncoder for
// long well-formed ones; both must write what wtf8Length promises and decode back exactly, lone
// surrogates included, whatever the offset and wherever the first non-ASCII unit falls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWtf8, encodeWtf8Into, isWellFormed, wtf8Length } from '../src/util/wtf8';

const unit = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0x7ff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x800, max: 0xffff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }) },
);
const text = fc.array(unit, { maxLength: 60 }).map((units) => String.fromCharCode(...units));

describe('encodeWtf8Into', () => {
  it('writes wtf8Length bytes that decode back to the same string, short or long, lone surrogates included', () => {
    fc.assert(
      fc.property(text, fc.nat(7), (value, offset) => {
        const target = new Uint8Array(offset + value.length * 3);
        const written = encodeWtf8Into(value, target, offset);
        expect(written).toBe(wtf8Length(value));
        expect(decodeWtf8(target.subarray(offset, offset + written))).toBe(value);
        if (isWellFormed(value)) expect(target.subarray(offset, offset + written)).toEqual(new TextEncoder().encode(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('encodes a short string whose first non-ASCII unit comes late, and a lone surrogate', () => {
    const target = new Uint8Array(32);
    expect(encodeWtf8Into('abcé', target, 2)).toBe(5);
    expect([...target.subarray(2, 7)]).toEqual([0x61, 0x62, 0x63, 0xc3, 0xa9]);
    expect(encodeWtf8Into('x\ud800', target, 0)).toBe(4);
    expect([...target.subarray(0, 4)]).toEqual([0x78, 0xed, 0xa0, 0x80]);
  });
});
