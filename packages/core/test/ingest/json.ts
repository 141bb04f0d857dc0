// fast-check arbitraries and a randomised JSON writer for the ingest tests (not a test file).
import fc from 'fast-check';
import { jsonOf } from '../arbitraries';
import { prng } from '@memstore/testkit/prng';

/** Keys that trip naive code: empty, dotted, prototype names, escapes, lone surrogates, astral. */
export const WEIRD_KEYS = [
  '', ' ', 'a.b', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'length', '0', '-1', 'a[0]', '/', '~', '~1', 'a/b',
  '\ud800', '\udfff', 'x\udbff', '\udc00\ud800', '😀', '\u0000', '\u001f', 'é', '中', '"', '\\', '\\u0041', '\n', '\u2028', '\ufeff', '\u{10ffff}',
];

const oneChar = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '😀', '\u{10ffff}', 'é', 'ß', '中', '\u0000', '\u001f', '\u007f', '"', '\\', '/', '\n', '\t', '\b', '\f', '\r', '\u2028', '\ufeff', '\uffff'),
  },
);

/** Strings with lone surrogates, astral characters, controls, quotes, backslashes. */
export const text = fc.string({ unit: oneChar, maxLength: 12 });

export const key = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...WEIRD_KEYS) }, { weight: 3, arbitrary: text });

export const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.integer({ min: -100, max: 100 }),
  fc.constantFrom(-0, 0, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 1e-7),
);

/** Any JSON value from this file's leaves (more escapes and number forms than the core's). */
export const json = jsonOf({ number, text, key }, 4);

/** Records that share a shape (so columns are typed, not all mixed), with random gaps and kinds. */
export const recordLike = fc.record(
  {
    id: fc.integer(),
    name: text,
    score: number,
    tags: fc.array(text, { maxLength: 3 }),
    nested: fc.record({ a: fc.option(number), b: fc.option(text), c: json }, { requiredKeys: [] }),
    any: json,
  },
  { requiredKeys: ['id'] },
);

export const topLevel = fc.oneof({ weight: 4, arbitrary: fc.array(fc.oneof(json, recordLike), { maxLength: 20 }) }, { weight: 1, arbitrary: json });

// ---- a JSON writer that picks random spellings --------------------------------------------

export interface WriteOptions {
  /** Write lone surrogates raw (only for JS-string input: UTF-8 cannot hold them). */
  rawLoneSurrogates: boolean;
  /** 0: compact; higher: more random whitespace, escapes and number spellings. */
  noise: number;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(unit: number, upper: boolean): string {
  const digits = unit.toString(16).padStart(4, '0');
  return `\\u${upper ? digits.toUpperCase() : digits}`;
}

/**
 * JSON text for `value` that JSON.parse turns back into exactly `value`, spelled randomly:
 * whitespace, \u escapes for any character (surrogate pairs as two escapes), \/, number forms.
 */
export function writeJson(value: unknown, seed: number, options: WriteOptions): string {
  const random = prng(seed);
  const chance = (p: number) => random() < p * options.noise;
  const space = () => (chance(0.3) ? [' ', '\n', '\t', '\r\n', '  '][Math.floor(random() * 5)] : '');

  function writeString(s: string): string {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
      const unit = s.charCodeAt(i);
      const isHigh = unit >= 0xd800 && unit <= 0xdbff;
      const pairs = isHigh && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      const lone = (unit & 0xf800) === 0xd800 && !pairs;
      if (pairs) {
        if (chance(0.3)) out += hex(unit, chance(0.5)) + hex(s.charCodeAt(i + 1), chance(0.5));
        else out += s[i] + s[i + 1];
        i++;
      } else if (lone) {
        out += options.rawLoneSurrogates && !chance(0.5) ? s[i] : hex(unit, chance(0.5));
      } else if (s[i] in SHORT_ESCAPES) {
        out += chance(0.3) ? hex(unit, chance(0.5)) : SHORT_ESCAPES[s[i]];
      } else if (unit < 0x20) {
        out += hex(unit, chance(0.5));
      } else if (s[i] === '/' && chance(0.5)) {
        out += '\\/';
      } else {
        out += chance(0.15) ? hex(unit, chance(0.5)) : s[i];
      }
    }
    return `${out}"`;
  }

  function writeNumber(n: number): string {
    if (Object.is(n, -0)) return chance(0.5) ? '-0.0e0' : '-0';
    if (!chance(0.5)) return String(n);
    const forms = [n.toExponential(), n.toExponential().replace('e', 'E'), n.toExponential().replace('e+', 'e')];
    if (Number.isInteger(n) && Math.abs(n) < 1e21) forms.push(`${BigInt(n)}.000`);
    return forms[Math.floor(random() * forms.length)];
  }

  function write(v: unknown): string {
    if (v === null) return 'null';
    if (typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return writeNumber(v);
    if (typeof v === 'string') return writeString(v);
    if (Array.isArray(v)) return `[${space()}${v.map((element) => `${space()}${write(element)}${space()}`).join(',')}${space()}]`;
    const object = v as Record<string, unknown>;
    const members = Object.keys(object).map((k) => `${space()}${writeString(k)}${space()}:${space()}${write(object[k])}${space()}`);
    return `{${space()}${members.join(',')}${space()}}`;
  }

  return `${space()}${write(value)}${space()}`;
}
