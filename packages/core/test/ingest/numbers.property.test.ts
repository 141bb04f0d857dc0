// Every JSON number literal becomes exactly the double JSON.parse gives (Object.is: -0 too),
// whatever its form: String(), toExponential(k), toFixed(k), extra zeros, a mantissa shifted
// into a 0.000… fraction or a long integer, more than 17 significant digits, huge and tiny
// exponents, subnormals. Many literals go into one JSON array per store to keep this fast.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/node';
import { bytewise, split, utf8 } from './util';

/** The literals' mismatches against JSON.parse after one load of `[lit, lit, …]`. */
async function mismatches(literals: readonly string[], load: (text: string) => Promise<Store> = (text) => Store.fromJSON(text)): Promise<string[]> {
  const text = `[${literals.join(',')}]`;
  const expected = JSON.parse(text) as number[];
  const store = await load(text);
  try {
    const actual = store.toArray() as number[];
    expect(actual).toHaveLength(literals.length);
    const wrong: string[] = [];
    for (let i = 0; i < literals.length; i++) {
      if (!Object.is(actual[i], expected[i])) wrong.push(`${literals[i]} → ${String(actual[i])}, JSON.parse: ${String(expected[i])}`);
    }
    return wrong;
  } finally {
    store.dispose();
  }
}

const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true });

/** Decimal digits and exponent of a double's shortest form: value = 0.d1d2… × 10^point. */
function decimal(value: number): { negative: boolean; digits: string; point: number } {
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  return { negative: value < 0 || Object.is(value, -0), digits, point: Number(exponent) + 1 };
}

/** Many spellings of one double (every one a valid JSON literal of the same value or a rounding of it). */
function spellings(value: number, k: number, zeros: number): string[] {
  const forms = [String(value), value.toExponential(), value.toExponential(k % 21), value.toExponential(Math.min(100, 17 + k))];
  if (Math.abs(value) < 1e21) forms.push(value.toFixed(k % 21), value.toFixed(Math.min(100, k + 20)));
  const { negative, digits, point } = decimal(value);
  const sign = negative ? '-' : '';
  const pad = '0'.repeat(zeros);
  forms.push(
    `${sign}0.${pad}${digits}e${point + zeros}`, // leading-zero fraction: 0.000123e5
    `${sign}0.${pad}${digits}${pad}E${point + zeros >= 0 ? '+' : ''}${point + zeros}`, // and trailing zeros, E / E+
    digits === '0' ? `${sign}0e${zeros}` : `${sign}${digits}${pad}e${point - digits.length - zeros}`, // an integer mantissa with trailing zeros
    `${sign}${digits[0]}.${digits.slice(1)}${pad}e${point - 1}`.replace('.e', '.0e'),
  );
  if (point > 0 && point <= 30) forms.push(`${sign}${digits.padEnd(point, '0')}.${digits.slice(point) || '0'}${pad}`);
  if (point <= 0 && point > -30) forms.push(`${sign}0.${'0'.repeat(-point)}${digits}${pad}`);
  // toExponential can print '1e+21' forms that JSON accepts, and toFixed '-0' / '0.000': all JSON.
  return forms.map((form) => (form.startsWith('-') || /^[0-9]/.test(form) ? form : `0`));
}

/** Long decimal literals: 18–40 significant digits (rounding, halfway cases) with any exponent. */
const longLiteral = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^[1-9][0-9]{17,39}$/),
    fc.integer({ min: 0, max: 39 }),
    fc.integer({ min: -360, max: 330 }),
  )
  .map(([negative, digits, dot, exponent]) => {
    const at = Math.min(dot, digits.length - 1) + 1;
    return `${negative ? '-' : ''}${digits.slice(0, at)}${at < digits.length ? `.${digits.slice(at)}` : ''}e${exponent}`;
  });

/** A double's shortest digits, then a halfway 5 and more: the hardest roundings. */
const nearHalfway = fc.tuple(finiteDouble, fc.constantFrom('5', '49999999999999999999', '50000000000000000001', '5000000000000000000000000000000')).map(([value, tail]) => {
  const { negative, digits, point } = decimal(value);
  const padded = digits.padEnd(17, '0');
  return `${negative ? '-' : ''}0.${padded}${tail}e${point}`;
});

describe('numbers: exactly JSON.parse', () => {
  it('fixed literals: -0, exponents, huge, tiny, subnormals, >17 digits', async () => {
    const literals = [
      '0', '-0', '0.0', '-0.0', '-0e0', '0e-999', '-0E+999', '-0.000000e-5', '1', '-1', '1.0', '1.5', '-1.5', '1e0', '1E2', '1e+2', '1e-2',
      '2147483647', '2147483648', '-2147483648', '-2147483649', '4294967296', '9007199254740991', '9007199254740992', '9007199254740993',
      '18446744073709551615', '18446744073709551616', '123456789012345678901234567890', '-9223372036854775808',
      '1e22', '1e23', '9.999999999999999e22', '1e308', '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '1e309', '-1e400', '123.456e789',
      '5e-324', '2e-324', '3e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '4.9406564584124654e-324', '2.2250738585072011e-308',
      '2.2250738585072012e-308', '2.2250738585072014e-308', '1e-400', '-123.456e-789', '0.1', '0.2', '0.30000000000000004', '100000000000000000000000',
      '0.000000000000000000000000000000000000000000001', '1.00000000000000011102230246251565404236316680908203125',
      '1.00000000000000011102230246251565404236316680908203124', '1.00000000000000011102230246251565404236316680908203126',
      '9007199254740993.0000000000000000000000000001', '0.' + '0'.repeat(400) + '1e400', '1' + '0'.repeat(400) + 'e-400',
      '7.038531e-26', '8.31e-309', '1e-22', '1e-23', '4.35679e-130', '1.2345678901234567890123e-300', '2.9802322387695312E-8',
    ];
    expect(await mismatches(literals)).toEqual([]);
    // The same literals cut into every possible pair of chunks, and byte by byte.
    const text = `[${literals.join(',')}]`;
    const bytes = utf8(text);
    expect(await mismatches(literals, () => Store.fromStream(bytewise(bytes)))).toEqual([]);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      expect(await mismatches(literals, () => Store.fromStream(split(bytes, [cut])))).toEqual([]);
    }
  });

  it('fast-check: 20,000+ random doubles in many spellings (String, toExponential, toFixed, padded, shifted)', async () => {
    let doubles = 0;
    let literals = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(finiteDouble, fc.nat(120), fc.nat(25)), { minLength: 2_000, maxLength: 2_500 }), async (samples) => {
        const batch = samples.flatMap(([value, k, zeros]) => spellings(value, k, zeros));
        doubles += samples.length;
        literals += batch.length;
        expect((await mismatches(batch)).slice(0, 20)).toEqual([]);
      }),
      { numRuns: 10 },
    );
    expect(doubles).toBeGreaterThanOrEqual(20_000);
    expect(literals).toBeGreaterThan(150_000);
  });

  it('fast-check property: random doubles, String() and toExponential, one array per run', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(finiteDouble, fc.nat(20)), { minLength: 1, maxLength: 200 }), async (values) => {
        const literals = values.flatMap(([value, k]) => [String(value), value.toExponential(k), Object.is(value, -0) ? '-0' : JSON.stringify(value)]);
        expect(await mismatches(literals)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('long literals (18–40 digits) and near-halfway roundings', async () => {
    const literals = [...fc.sample(longLiteral, { numRuns: 10_000, seed: 7 }), ...fc.sample(nearHalfway, { numRuns: 10_000, seed: 11 })];
    expect((await mismatches(literals)).slice(0, 20)).toEqual([]);
  });

  it('literals of any length (hundreds of thousands of digits) parse as JSON.parse reads them, from strings, bytes and chunks', async () => {
    // The host's slow path used to build the literal's string with String.fromCharCode.apply,
    // one argument per byte: past ~125,000 digits that overflowed the call stack (RangeError).
    const literals = [
      '1' + '0'.repeat(130_000),
      '-' + '9'.repeat(400_000),
      '0.' + '3'.repeat(200_000),
      '1' + '0'.repeat(150_000) + 'e-150000',
      '2.' + '5'.repeat(130_000) + 'E+2',
      '0.' + '0'.repeat(300_000) + '1',
    ];
    expect(await mismatches(literals)).toEqual([]);
    expect(await mismatches(literals, (text) => Store.fromJSON(utf8(text)))).toEqual([]);
    expect(await mismatches(literals, (text) => Store.fromStream(split(utf8(text), [1, 65_537, 300_001])))).toEqual([]);
  });

  it('numbers split across chunks at every byte, in objects, widening int → float64', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(finiteDouble, fc.nat(25)), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (values, cuts) => {
          const literals = values.flatMap(([value, zeros]) => spellings(value, zeros, zeros % 4));
          const text = `[${literals.map((literal) => `{"n":${literal}}`).join(',')}]`;
          const bytes = utf8(text);
          const store = await Store.fromStream(split(bytes, cuts.map((cut) => cut % (bytes.length + 1))));
          try {
            const actual = store.toArray() as Array<{ n: number }>;
            const expected = JSON.parse(text) as Array<{ n: number }>;
            for (let i = 0; i < literals.length; i++) expect(Object.is(actual[i].n, expected[i].n), literals[i]).toBe(true);
          } finally {
            store.dispose();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
