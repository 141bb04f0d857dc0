// Malformed input throws MemstoreParseError with the exact offset (UTF-8 bytes), line and
// column (1-based, in characters: code points), checked against a reference computed from the
// text — whichever way the input comes in: a string, bytes, a stream cut anywhere (errors far
// into a multi-chunk stream and a file included), NDJSON. Deep nesting is a parse error too.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DEPTH, MemstoreDepthError, MemstoreParseError, Store } from '../../src/node';
import { json, recordLike, writeJson } from './json';
import { asyncChunks, bytewise, byteOffset, caught, expectPosition, parseError, positionAt, split, utf8, withStore } from './util';

/** Bad records: the text, the text at (and after) the error, and the reason given. */
const BAD_RECORDS: Array<[string, number, RegExp]> = (
  [
    ['{"a":@}', '@', /unexpected character "@"/],
    ['{"é😀":1 "b":2}', '"b"', /expected "," or "}"/],
    ['{"k":"x\u0001"}', '\u0001', /control character/],
    ['["\\x"]', '\\x', /bad escape/],
    ['{"é":tru}', 'tru', /unexpected character "t"/],
    ['[1,,2]', ',2', /unexpected character ","/],
    ['{"a" 1}', '1', /expected ":"/],
    ['{"a":1,}', '}', /expected a string key/],
    ['[01]', '1]', /bad number/],
    ['{"中":-x}', 'x', /bad number/],
    ['[1 2]', '2', /expected "," or "\]"/],
    ['{1:2}', '1', /expected a string key/],
    ["'str'", "'str", /unexpected character "'"/],
    ['[nulll]', 'l]', /unexpected character "l"/],
    ['{"a":[1,{"b":}]}', '}]', /unexpected character "}"/],
  ] as Array<[string, string, RegExp]>
).map(([text, at, reason]) => [text, text.indexOf(at), reason]);

/** A document of good records with one bad record at `index`; the error's byte offset in it. */
function documentWithError(records: unknown[], index: number, bad: string, at: number, seed: number, noise: number): { text: string; offset: number } {
  const parts = records.map((record, i) => writeJson(record, seed + i, { rawLoneSurrogates: false, noise }));
  const slot = Math.min(index, parts.length);
  const before = `[${parts.slice(0, slot).map((part) => `${part},`).join('')}${noise > 0 ? '\n ' : ''}`;
  const text = `${before}${bad}${parts.slice(slot).map((part) => `,${part}`).join('')}]`;
  return { text, offset: byteOffset(text, before.length + at) };
}

async function expectErrorEverywhere(text: string, expected: { offset: number; line: number; column: number }, reason: RegExp | null, cuts: number[]): Promise<void> {
  const bytes = utf8(text);
  const loads: Array<[string, () => Promise<Store>]> = [
    ['string', () => Store.fromJSON(text)],
    ['bytes', () => Store.fromJSON(bytes)],
    ['chunks', () => Store.fromStream(split(bytes, cuts))],
    ['async chunks', () => Store.fromStream(asyncChunks(split(bytes, cuts)))],
  ];
  for (const [how, load] of loads) {
    const error = await parseError(load);
    expect({ how, offset: error.offset, line: error.line, column: error.column }).toEqual({ how, ...expected });
    expect(error.message).toContain(`at byte ${expected.offset} (line ${expected.line}, column ${expected.column})`);
    if (reason) expect(error.message).toMatch(reason);
  }
}

describe('errors: exact positions against a reference', () => {
  it('a bad record anywhere in a random document, cut into random chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(json, recordLike), { maxLength: 12 }),
        fc.nat(),
        fc.nat(BAD_RECORDS.length - 1),
        fc.integer(),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (records, index, which, seed, noise, at) => {
          const [bad, errorAt, reason] = BAD_RECORDS[which];
          const { text, offset } = documentWithError(records, index % (records.length + 1), bad, errorAt, seed, noise);
          const length = utf8(text).length;
          await expectErrorEverywhere(text, positionAt(text, offset), reason, at.map((cut) => cut % (length + 1)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every bad record at every single cut of a multi-line document with multi-byte characters', async () => {
    const good = [{ é: '😀', n: [1, 2.5] }, 'x\n', { k: '中文', l: [true, null] }];
    for (const [bad, errorAt, reason] of BAD_RECORDS) {
      const { text, offset } = documentWithError(good, 2, bad, errorAt, 1, 2);
      const expected = positionAt(text, offset);
      const bytes = utf8(text);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const error = await parseError(() => Store.fromStream(split(bytes, [cut])));
        expect({ cut, offset: error.offset, line: error.line, column: error.column }).toEqual({ cut, ...expected });
        expect(error.message).toMatch(reason);
      }
      const error = await parseError(() => Store.fromStream(bytewise(bytes)));
      expectPosition(error, expected);
    }
  });

  it('a document cut short anywhere: unexpected end at the last byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(json, recordLike), { minLength: 1, maxLength: 8 }), fc.integer(), fc.nat(), fc.array(fc.nat(), { maxLength: 6 }), async (records, seed, cutAt, at) => {
        const full = writeJson(records, seed, { rawLoneSurrogates: false, noise: 1 }).trimEnd();
        // Cut on a character boundary strictly before the closing bracket: never valid JSON.
        const characters = [...full];
        const truncated = characters.slice(0, cutAt % (characters.length - 1) + 1 - (full.endsWith(']') ? 1 : 0) || 1).join('');
        if (truncated.trim() === '' || /^\s*\[/.test(truncated) === false) return;
        const length = utf8(truncated).length;
        const error = await parseError(() => Store.fromStream(split(utf8(truncated), at.map((cut) => cut % (length + 1)))));
        expectPosition(error, positionAt(truncated, length));
        expect(error.message).toMatch(/unexpected end|unterminated/);
        expectPosition(await parseError(() => Store.fromJSON(truncated)), positionAt(truncated, length));
      }),
      { numRuns: 200 },
    );
  });

  it('an error far into a multi-chunk stream (MiBs in, past many slices) and in a file', async () => {
    const line = '{"id":1234,"name":"ünïcödé 😀 text","tags":["a","b"],"v":1.5}';
    const records = Array.from({ length: 60_000 }, () => line);
    const bad = 57_321;
    records[bad] = '{"id":1234,"name":"ünïcödé 😀 text","tags":["a" "b"],"v":1.5}';
    const text = `[\n${records.join(',\n')}\n]`;
    const index = text.indexOf('"a" "b"') + 4;
    const expected = positionAt(text, byteOffset(text, index));
    expect(expected.line).toBe(bad + 2);
    const bytes = utf8(text);
    expect(bytes.length).toBeGreaterThan(3 * (1 << 20));
    // Chunks of odd sizes (none aligned to characters) and 1 MiB+ chunks (sliced inside).
    const odd: number[] = [];
    for (let at = 0; at < bytes.length; at += 65_521) odd.push(at);
    for (const chunks of [split(bytes, odd), split(bytes, [3 << 20])]) {
      const error = await parseError(() => Store.fromStream(asyncChunks(chunks)));
      expectPosition(error, expected);
    }
    expectPosition(await parseError(() => Store.fromJSON(text)), expected);
    expectPosition(await parseError(() => Store.fromJSON(bytes)), expected);
    // NDJSON of the same records, as a file (read in 1 MiB chunks).
    const ndjson = records.join('\n');
    const ndIndex = ndjson.indexOf('"a" "b"') + 4;
    const ndExpected = positionAt(ndjson, byteOffset(ndjson, ndIndex));
    expect(ndExpected.line).toBe(bad + 1);
    const file = join(directory, 'bad.ndjson');
    writeFileSync(file, ndjson);
    expectPosition(await parseError(() => Store.fromFile(file)), ndExpected);
    writeFileSync(join(directory, 'bad.json'), text);
    expectPosition(await parseError(() => Store.fromFile(join(directory, 'bad.json'))), expected);
  });

  it('NDJSON: a bad line anywhere, cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(json, recordLike), { maxLength: 10 }),
        fc.nat(),
        fc.nat(BAD_RECORDS.length - 1),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (records, index, which, at) => {
          const lines = records.map((record) => JSON.stringify(record) ?? 'null');
          const slot = index % (lines.length + 1);
          const [bad, errorAt, reason] = BAD_RECORDS[which];
          lines.splice(slot, 0, `  ${bad}`);
          const text = lines.join(slot % 2 === 0 ? '\n' : '\r\n');
          const before = lines.slice(0, slot).join(slot % 2 === 0 ? '\n' : '\r\n');
          const offset = byteOffset(text, before.length + (slot > 0 ? (slot % 2 === 0 ? 1 : 2) : 0) + 2 + errorAt);
          const expected = positionAt(text, offset);
          const bytes = utf8(text);
          for (const load of [() => Store.fromJSON(text, { format: 'ndjson' }), () => Store.fromStream(split(bytes, at.map((cut) => cut % (bytes.length + 1))), { format: 'ndjson' })]) {
            const error = await parseError(load);
            expectPosition(error, expected);
            expect(error.message).toMatch(reason);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('trailing data after a single value and after the array, and an empty input', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['{"a":1} {"b":2}', 8, /unexpected data/],
      ['[1,2] [3]', 6, /unexpected data/],
      ['"é"\n"x"', 5, /unexpected data/],
      ['', 0, /no JSON value|unexpected end/],
      [' \n\t ', 4, /no JSON value|unexpected end/],
    ];
    for (const [text, offset, reason] of cases) {
      const bytes = utf8(text);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const error = await parseError(() => Store.fromStream(split(bytes, [cut])));
        expectPosition(error, positionAt(text, offset));
        expect(error.message).toMatch(reason);
      }
    }
  });
});

describe('errors: deep nesting', () => {
  const arrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
  const objects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

  it('1,000 levels load (arrays, objects; in the records array, as one value, streamed, in a mixed field, NDJSON)', async () => {
    for (const record of [arrays(MAX_DEPTH), objects(MAX_DEPTH)]) {
      const value: unknown = JSON.parse(record);
      await withStore(Store.fromJSON(`[${record}]`), (store) => expect(store.toArray()).toEqual([value]));
      await withStore(Store.fromJSON(record.startsWith('{') ? record : `[${record}]`), (store) => expect(store.toArray()).toEqual([value]));
      await withStore(Store.fromStream(split(utf8(`[1,${record}]`), [7, 999, 1500])), (store) => expect(store.toArray()).toEqual([1, value]));
      // A mixed field: the record is level 1, its value's 999 levels make 1,000.
      const inner = record.startsWith('{') ? objects(MAX_DEPTH - 1) : arrays(MAX_DEPTH - 1);
      const mixed = `[{"m":"s"},{"m":${inner}}]`;
      await withStore(Store.fromJSON(mixed), (store) => expect(store.toArray()).toEqual(JSON.parse(mixed)));
      await withStore(Store.fromJSON(`1\n${record}\n`, { format: 'ndjson' }), (store) => expect(store.toArray()).toEqual([1, value]));
    }
  });

  it('1,001 levels (and 100,000) throw MemstoreParseError at the first level too deep — never RangeError', async () => {
    const cases: Array<[string, number, string?]> = [
      [`[${arrays(MAX_DEPTH + 1)}]`, MAX_DEPTH + 1],
      [objects(MAX_DEPTH + 1), 5 * MAX_DEPTH],
      [`[1,${objects(MAX_DEPTH + 1)}]`, 3 + 5 * MAX_DEPTH],
      [`[${arrays(100_000)}]`, MAX_DEPTH + 1],
      ['['.repeat(100_000), MAX_DEPTH + 1],
      ['{"a":'.repeat(100_000), 5 * MAX_DEPTH],
      [`[{"m":"s"},{"m":${arrays(MAX_DEPTH)}}]`, 16 + MAX_DEPTH - 1],
      [`1\n${arrays(MAX_DEPTH + 1)}`, 2 + MAX_DEPTH, 'ndjson'],
    ];
    for (const [text, offset, format] of cases) {
      const options = format === 'ndjson' ? { format: 'ndjson' as const } : {};
      const bytes = utf8(text);
      for (const load of [() => Store.fromJSON(text, options), () => Store.fromStream(split(bytes, [offset - 1, offset + 3]), options)]) {
        const error = await parseError(load);
        expect(error).toBeInstanceOf(MemstoreDepthError);
        expect(error.message).toMatch(/deeper than 1000 levels/);
        expectPosition(error, positionAt(text, offset));
      }
    }
  });

  it('too deep inside what a pointer skips is rejected, not a RangeError', async () => {
    for (const text of [`{"skip":${arrays(100_000)},"r":[1]}`, `{"r":[1],"after":${objects(100_000)}}`]) {
      const error = await caught(() => Store.fromJSON(text, { pointer: '/r' }));
      expect(error).toBeInstanceOf(MemstoreParseError);
    }
  });
});

const directory = mkdtempSync(join(tmpdir(), 'memstore-errors-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
