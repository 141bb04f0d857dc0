// Property: what goes in comes out. For arbitrary JSON (weird keys, -0, ±Infinity, extreme doubles, ints at
// every width boundary, lone surrogates, astral characters), toArray() deep-equals JSON.parse
// of the text — through fromRecords, fromJSON(string), fromJSON(UTF-8 bytes) and fromStream alike — and
// reading record by record (at, iteration) agrees with it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Store } from '../src/index';
import { number, shapedRecord, text, topLevel } from './arbitraries';
import { exactJson, plainOf, recordsOf, withStore } from './helpers';

const NUM_RUNS = 250;

async function checkRoundTrip(jsonText: string): Promise<void> {
  const expected = recordsOf(JSON.parse(jsonText));
  // The input is a fresh parse each time: nothing the store does can touch `expected`.
  await withStore(Store.fromRecords(recordsOf(JSON.parse(jsonText))), (store) => {
    assert.equal(store.length, expected.length);
    assert.deepStrictEqual(store.toArray(), expected);
    for (let i = 0; i < expected.length; i++) assert.deepStrictEqual(plainOf(store.at(i)), expected[i], `record ${i} via at()`);
    let i = 0;
    for (const record of store) assert.deepStrictEqual(plainOf(record), expected[i++], `record ${i - 1} via iteration`);
    assert.equal(i, expected.length);
  });
  await withStore(Store.fromJSON(jsonText), (store) => assert.deepStrictEqual(store.toArray(), expected));
  await withStore(Store.fromJSON(new TextEncoder().encode(jsonText)), (store) => assert.deepStrictEqual(store.toArray(), expected));
}

describe('round trip of arbitrary JSON', () => {
  it('text built by the generator parses to the generated value (sanity check of exactJson)', () => {
    fc.assert(
      fc.property(topLevel, (value) => {
        assert.deepStrictEqual(JSON.parse(exactJson(value)), value);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('toArray() deep-equals JSON.parse(text), via fromRecords, fromJSON(string) and fromJSON(bytes)', async () => {
    await fc.assert(fc.asyncProperty(topLevel, (value) => checkRoundTrip(exactJson(value))), { numRuns: NUM_RUNS });
  });

  it('fromStream: the same bytes split into chunks anywhere (inside numbers, strings, multi-byte characters) give the same records', async () => {
    await fc.assert(
      fc.asyncProperty(topLevel, fc.array(fc.nat(), { maxLength: 8 }), async (value, cuts) => {
        const jsonText = exactJson(value);
        const bytes = new TextEncoder().encode(jsonText);
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((from, i, all) => bytes.slice(from, i + 1 < all.length ? all[i + 1] : bytes.length));
        await withStore(Store.fromStream(chunks), (store) => assert.deepStrictEqual(store.toArray(), recordsOf(JSON.parse(jsonText))));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('keeps doubles exactly: -0, ±Infinity, subnormals, extremes, ints at int8/int16/int32 boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(number, fc.constant(null)), { minLength: 1, maxLength: 40 }), async (numbers) => {
        // As records, as a field of records, and as list elements.
        await checkRoundTrip(exactJson(numbers));
        await checkRoundTrip(exactJson(numbers.map((n) => ({ n }))));
        await checkRoundTrip(exactJson([{ list: numbers }, { list: [] }]));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps strings exactly: lone surrogates, astral characters, NUL, BOM, line separators', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 30 }), async (strings) => {
        await checkRoundTrip(exactJson(strings));
        await checkRoundTrip(exactJson(strings.map((s, i) => ({ s, [s]: i }))));
      }),
      { numRuns: 150 },
    );
  });

  it('explicit edge values', async () => {
    const cases: unknown[] = [
      [-0, 0, -0],
      [{ a: -0 }, { a: 1 }],
      [{ a: 1 }, { a: -0 }],
      ['\ud800', '\udfff', 'a\ud800b', '\udbff\udfff', '😀', ''],
      [{ '\ud800': '\udc00' }],
      [Number.MAX_VALUE, Number.MIN_VALUE, -Number.MAX_VALUE],
      [Infinity, -Infinity, { a: [Infinity, -0] }, 'x'],
      [{ i: 1 }, { i: Infinity }, { i: -Infinity }],
      [2147483647, -2147483648, 2147483648],
      [[[[]]], [[]], []],
      [null, null],
      [],
      [{}],
      [{}, {}],
      JSON.parse('[{"__proto__":{"x":1}},{"__proto__":null}]'),
    ];
    for (const value of cases) await checkRoundTrip(exactJson(value));
  });
});

describe('round trip of records of a fixed nested shape', () => {
  it('toArray() deep-equals the records (structs, lists of structs, lists of lists, maps, mixed)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(shapedRecord, { maxLength: 80 }), (records) => checkRoundTrip(exactJson(records))), {
      numRuns: 200,
    });
  });

  it('the generator does reach maps, mixed columns and lists of structs', async () => {
    // fc.record makes null-prototype objects; JSON.parse makes plain ones, which is what comes back.
    const records = JSON.parse(exactJson(fc.sample(fc.array(shapedRecord, { minLength: 80, maxLength: 80 }), { numRuns: 1, seed: 42 })[0]));
    await withStore(Store.fromRecords(records), (store) => {
      const types = new Map(store.schema.fields!.map((field) => [field.key, field.type]));
      assert.equal(types.get('attrs'), 'map');
      assert.equal(types.get('extra'), 'mixed');
      assert.equal(types.get('items'), 'list');
      assert.equal(store.schema.fields!.find((field) => field.key === 'items')!.element!.type, 'struct');
      assert.deepStrictEqual(store.toArray(), records);
    });
  });
});
