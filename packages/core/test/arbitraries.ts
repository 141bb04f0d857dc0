// fast-check arbitraries shared by the property tests: JSON with awkward keys, numbers and strings.
import fc from 'fast-check';

/** Keys that trip naive code: empty, dotted, Object.prototype names, view method names, lone surrogates. */
export const WEIRD_KEYS = [
  '', 'a.b', '.', 'a..b', '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'get', 'toJSON',
  'hasOwnProperty', 'isPrototypeOf', 'length', '0', '1', '-1', '00', 'a[0]', '[]', '{}', '{key}', ' ',
  '\ud800', 'x\udfff', '\udfff\ud800', '😀', '\u0000', 'é', '"', '\\',
];

const oneChar = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '😀', '\u{10ffff}', 'é', '中', '\u0000', '\u001f', '"', '\\', '\n', '\u2028', '\ufeff'),
  },
);

/** Strings with lone surrogates (\ud800, \udfff), astral characters, NUL, BOM, quotes. */
export const text = fc.string({ unit: oneChar, maxLength: 10 });

export const key = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...WEIRD_KEYS) }, { weight: 3, arbitrary: text });

export const BOUNDARY_NUMBERS = [
  -0, 0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535, 65536,
  2147483647, 2147483648, -2147483648, -2147483649, 4294967295, 4294967296,
  2 ** 53, -(2 ** 53), 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308,
  1e21, 1e-7, 0.1, 0.5, 1.5, -1.5, 1e300, -1e-300, Infinity, -Infinity,
];

/** Doubles (-0, subnormals, extremes, ±Infinity as JSON.parse gives for 1e309) and ints around the int8/int16/int32 boundaries. */
export const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(...BOUNDARY_NUMBERS),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.integer({ min: -140, max: 140 }),
  fc.integer({ min: -33000, max: 33000 }),
  fc.maxSafeInteger(),
);

/**
 * Any JSON value built from these leaves and keys. Objects come from Object.fromEntries:
 * "__proto__" is an own key, as JSON.parse makes it.
 */
export function jsonOf(leaves: { number: fc.Arbitrary<number>; text: fc.Arbitrary<string>; key: fc.Arbitrary<string> }, maxDepth: number): fc.Arbitrary<unknown> {
  return fc.letrec<{ json: unknown }>((tie) => ({
    json: fc.oneof(
      { depthSize: 'small', maxDepth },
      fc.constant(null),
      fc.boolean(),
      leaves.number,
      leaves.text,
      fc.array(tie('json'), { maxLength: 5 }),
      fc.uniqueArray(fc.tuple(leaves.key, tie('json')), { selector: (entry) => entry[0], maxLength: 6 }).map((entries) => Object.fromEntries(entries)),
    ),
  })).json;
}

/** Any JSON value. */
export const json = jsonOf({ number, text, key }, 5);

/** A top-level value: usually an array of records, sometimes a single value (one record). */
export const topLevel = fc.oneof({ weight: 3, arbitrary: fc.array(json, { maxLength: 25 }) }, { weight: 1, arbitrary: json });

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null, freq: 4 });

const item = fc.record(
  {
    sku: text,
    qty: maybe(fc.integer({ min: -1000, max: 100000 })),
    dims: fc.array(fc.array(maybe(number), { maxLength: 3 }), { maxLength: 3 }),
  },
  { requiredKeys: ['sku'] },
);

/** Keys from a wide id space: across many records, many distinct keys each used rarely (a map). */
const attributes = fc.dictionary(
  fc.integer({ min: 0, max: 1_000_000 }).map((n) => `id${n}`),
  fc.record({ v: number, note: maybe(text) }, { requiredKeys: ['v'] }),
  { maxKeys: 3 },
);

/**
 * Records of one nested shape with optional and null fields: structs, lists of structs, lists of
 * lists, a map, a mixed field. (fc.record makes null-prototype objects: compare against
 * JSON.parse(exactJson(records)), which is what a store gives back.)
 */
export const shapedRecord = fc.record(
  {
    id: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    name: maybe(text),
    flag: maybe(fc.boolean()),
    score: maybe(number),
    count: maybe(fc.integer({ min: -200, max: 200 })),
    kind: fc.constantFrom('a', 'b', 'c'),
    pos: maybe(fc.record({ x: number, y: number, z: maybe(number) }, { requiredKeys: ['x'] })),
    tags: maybe(fc.array(maybe(text), { maxLength: 4 })),
    items: fc.array(maybe(item), { maxLength: 4 }),
    matrix: fc.array(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 }), { maxLength: 3 }),
    attrs: attributes,
    extra: fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.array(number, { maxLength: 2 }), fc.record({ k: number, s: text })),
    get: maybe(fc.integer()),
    toJSON: maybe(text),
  },
  { requiredKeys: ['id', 'items'] },
);
