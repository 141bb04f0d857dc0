// NDJSON / JSON Lines: one record per non-blank line; onError: 'skip' stores every good line
// and reports each bad one (line, offset, reason) in `skipped` and through onSkip; fromFile
// picks the format from the extension; onProgress reports growing bytesRead and records.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, assert, describe, expect, it } from 'vitest';
import { MemstoreParseError, Store, type Progress, type SkippedRecord } from '../../src/node';
import { json, recordLike, writeJson } from './json';
import { asyncChunks, byteOffset, caught, expectLoads, parseError, positionAt, split, utf8, withStore } from './util';

const directory = mkdtempSync(join(tmpdir(), 'memstore-ndjson-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A line of JSON for a value: compact JSON.stringify (lone surrogates escaped), or null. */
const line = (value: unknown) => JSON.stringify(value) ?? 'null';

const BAD_LINES: Array<[string, RegExp]> = [
  ['{"a":1', /unexpected end|unterminated/],
  ['{"a":1} {"b":2}', /unexpected data/],
  ['[1,]', /trailing comma|unexpected character/],
  ['{"a":tru}', /unexpected character/],
  ['"unterminated', /unterminated/],
  ['{"a":"\u0001"}', /control character/],
  ['@', /unexpected character/],
  ['1 2', /unexpected data/],
  ['{"a":1}}', /unexpected data/],
  ['[[[', /unexpected end/],
];

describe('NDJSON', () => {
  it('one record per non-blank line; blank and whitespace-only lines, CRLF, no final newline', async () => {
    const text = '{"a":1}\r\n\n   \n\t\n[1,"x"]\n"s"\nnull\n  {"b":{"c":[true]}}  \r\n0\n-0\n1e400';
    const expected = [{ a: 1 }, [1, 'x'], 's', null, { b: { c: [true] } }, 0, -0, Infinity];
    for (const format of ['ndjson', 'jsonl'] as const) {
      await expectLoads(Store.fromJSON(text, { format }), expected);
      await expectLoads(Store.fromJSON(utf8(text), { format }), expected);
      await expectLoads(Store.fromStream(split(utf8(text), [1, 8, 9, 30]), { format }), expected);
    }
    await expectLoads(Store.fromJSON('', { format: 'ndjson' }), []);
    await expectLoads(Store.fromJSON('\n\n \r\n', { format: 'ndjson' }), []);
  });

  it('random records, any chunking, round-trip exactly (raw lone surrogates from a string too)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(json, recordLike), { maxLength: 15 }), fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), async (records, cuts, crlf) => {
        const text = records.map(line).join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '');
        const bytes = utf8(text);
        const expected = records.map((record) => JSON.parse(line(record)) as unknown);
        await expectLoads(Store.fromStream(asyncChunks(split(bytes, cuts.map((cut) => cut % (bytes.length + 1)))), { format: 'ndjson' }), expected);
        // Raw lone surrogates in a JS string (JSON.parse keeps them).
        const raw = records.map((record, i) => writeJson(record, i, { rawLoneSurrogates: true, noise: 0 })).join('\n');
        await expectLoads(Store.fromJSON(raw, { format: 'jsonl' }), records.map((record, i) => JSON.parse(writeJson(record, i, { rawLoneSurrogates: true, noise: 0 })) as unknown));
      }),
      { numRuns: 150 },
    );
  });

  it('a skipped line that typed a column leaves nothing of it behind (an int constant once widened string codes)', async () => {
    // '1 2' makes the root an int column of constant 1, then fails; "" and " " then made it a
    // string column whose width-0 codes widened from that stale constant: [" ", " "].
    for (const text of ['1 2\n""\n" "', '{"a":7 x}\n{"a":""}\n{"a":" "}', '5 5\n[1]\n[2]']) {
      await expectLoads(Store.fromJSON(text, { format: 'ndjson', onError: 'skip' }), text.split('\n').slice(1).map((line) => JSON.parse(line)));
    }
  });

  it("onError: 'skip' stores every good line and reports each bad one with its line, offset and reason", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.oneof(json, recordLike).map((value) => ({ good: true as const, value })), fc.nat(BAD_LINES.length - 1).map((which) => ({ good: false as const, which }))), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (entries, cuts) => {
          const lines = entries.map((entry) => (entry.good ? line(entry.value) : BAD_LINES[entry.which][0]));
          const text = lines.join('\n');
          const bytes = utf8(text);
          const expectedRecords = entries.filter((entry) => entry.good).map((entry) => JSON.parse(line((entry as { value: unknown }).value)) as unknown);
          const expectedLines = entries.flatMap((entry, i) => (entry.good ? [] : [i + 1]));
          for (const chunked of [false, true]) {
            const reported: SkippedRecord[] = [];
            const options = { format: 'ndjson' as const, onError: 'skip' as const, onSkip: (skipped: SkippedRecord) => reported.push(skipped) };
            const store = await (chunked ? Store.fromStream(split(bytes, cuts.map((cut) => cut % (bytes.length + 1))), options) : Store.fromJSON(text, options));
            try {
              assert.deepStrictEqual(store.toArray(), expectedRecords);
            } finally {
              store.dispose();
            }
            expect(reported.map((skipped) => skipped.line)).toEqual(expectedLines);
            for (const skipped of reported) {
              const [, reason] = BAD_LINES[(entries[skipped.line - 1] as { which: number }).which];
              expect(skipped.reason).toMatch(reason);
              // The offset is inside (or at the end of) the bad line.
              const lineStart = byteOffset(text, lines.slice(0, skipped.line - 1).join('\n').length + (skipped.line > 1 ? 1 : 0));
              expect(skipped.offset).toBeGreaterThanOrEqual(lineStart);
              expect(skipped.offset).toBeLessThanOrEqual(lineStart + utf8(lines[skipped.line - 1]).length);
              expect(positionAt(text, skipped.offset).line).toBe(skipped.line);
            }
          }
          // append reports the same, and appends only the good lines.
          await withStore(Store.fromJSON('[{"first":true}]'), async (store) => {
            const result = await store.append(bytes, { format: 'ndjson', onError: 'skip' });
            expect(result.appended).toBe(expectedRecords.length);
            expect(result.skipped.map((skipped) => skipped.line)).toEqual(expectedLines);
            assert.deepStrictEqual(store.toArray(), [{ first: true }, ...expectedRecords]);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('skip: exact offsets and reasons for known bad lines, and a bad line of invalid UTF-8', async () => {
    const text = '{"a":1}\n{"a":@}\n\n{"a":2}\n[1,,2]\n{"a":3}';
    const skipped: SkippedRecord[] = [];
    await withStore(Store.fromJSON(text, { format: 'ndjson', onError: 'skip', onSkip: (s) => skipped.push(s) }), (store) => {
      expect(store.toArray()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    });
    expect(skipped).toEqual([
      { line: 2, offset: text.indexOf('@'), reason: expect.stringMatching(/unexpected character/) },
      { line: 5, offset: text.indexOf(',,') + 1, reason: expect.stringMatching(/unexpected character/) },
    ]);
    const bytes = new Uint8Array([...utf8('{"s":"ok"}\n{"s":"'), 0xff, ...utf8('"}\n{"s":"é"}\n')]);
    await withStore(Store.fromJSON(bytes, { format: 'ndjson', onError: 'skip' }), async (store) => {
      expect(store.toArray()).toEqual([{ s: 'ok' }, { s: 'é' }]);
      const result = await store.append(bytes, { format: 'ndjson', onError: 'skip' });
      expect(result).toEqual({ appended: 2, skipped: [{ line: 2, offset: 17, reason: expect.stringMatching(/UTF-8/) }] });
    });
  });

  it("without onError: 'skip' the first bad line throws with its exact position", async () => {
    const text = '{"a":"é😀"}\n{"a":2}\n  {"a": x}\n{"a":3}';
    const offset = byteOffset(text, text.indexOf('x'));
    for (const load of [() => Store.fromJSON(text, { format: 'ndjson' }), () => Store.fromStream(split(utf8(text), [3, 15, 26]), { format: 'jsonl' })]) {
      const error = await parseError(load);
      expect({ offset: error.offset, line: error.line, column: error.column }).toEqual(positionAt(text, offset));
    }
  });

  it("onError: 'skip' and pointer are rejected for plain JSON / NDJSON; unknown formats too", async () => {
    expect(await caught(() => Store.fromJSON('[1]', { onError: 'skip' }))).toMatchObject({ code: 'INPUT', path: 'options.onError' });
    expect(await caught(() => Store.fromJSON('1', { format: 'ndjson', pointer: '/a' }))).toMatchObject({ code: 'INPUT', path: 'options.pointer' });
    expect(await caught(() => Store.fromJSON('1', { format: 'csv' as 'json' }))).toMatchObject({ code: 'INPUT', path: 'options.format' });
  });
});

describe('fromFile', () => {
  const records = Array.from({ length: 30_000 }, (_, i) => ({ i, s: i % 3 === 0 ? 'ünï😀' : null, t: [i, i / 2] }));

  it('the format comes from the extension (.ndjson, .jsonl, else JSON); an explicit format wins', async () => {
    const ndjson = records.map(line).join('\n');
    const files = { 'a.ndjson': ndjson, 'b.jsonl': ndjson, 'c.NDJSON': ndjson, 'd.json': JSON.stringify(records), 'e.txt': JSON.stringify(records) };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(directory, name), content);
      await expectLoads(Store.fromFile(join(directory, name)), records);
    }
    writeFileSync(join(directory, 'f.json'), ndjson);
    await expectLoads(Store.fromFile(join(directory, 'f.json'), { format: 'ndjson' }), records);
    expect(await caught(() => Store.fromFile(join(directory, 'f.json')))).toBeInstanceOf(MemstoreParseError);
    expect(await caught(() => Store.fromFile(join(directory, 'missing.json')))).toMatchObject({ code: 'IO' });
  });
});

describe('onProgress', () => {
  const records = Array.from({ length: 50_000 }, (_, i) => ({ i, name: `record ${i}`, v: i * 1.5 }));

  function checkProgress(seen: Progress[], totalBytes: number | undefined, bytes: number, count: number): void {
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].bytesRead).toBeGreaterThanOrEqual(seen[i - 1].bytesRead);
      expect(seen[i].records).toBeGreaterThanOrEqual(seen[i - 1].records);
    }
    expect(seen.some((progress, i) => i > 0 && progress.bytesRead > seen[i - 1].bytesRead)).toBe(true);
    expect(seen.some((progress, i) => i > 0 && progress.records > seen[i - 1].records)).toBe(true);
    for (const progress of seen) {
      expect(progress.totalBytes).toBe(totalBytes);
      expect(progress.bytesRead).toBeLessThanOrEqual(bytes);
      expect(progress.records).toBeLessThanOrEqual(count);
    }
    expect(seen.at(-1)!.bytesRead).toBe(bytes);
  }

  it('files: increasing bytesRead and records, totalBytes the file size (JSON and NDJSON)', async () => {
    for (const [name, content] of [['p.json', JSON.stringify(records)], ['p.ndjson', records.map(line).join('\n')]]) {
      const file = join(directory, name);
      writeFileSync(file, content);
      const size = statSync(file).size;
      const seen: Progress[] = [];
      await withStore(Store.fromFile(file, { onProgress: (progress) => seen.push({ ...progress }) }), (store) => expect(store.length).toBe(records.length));
      checkProgress(seen, size, size, records.length);
    }
  });

  it('streams, byte arrays and strings report too; append counts only its own records', async () => {
    const text = JSON.stringify(records);
    const bytes = utf8(text);
    const chunks = split(bytes, Array.from({ length: 30 }, (_, i) => Math.floor(((i + 1) * bytes.length) / 31)));
    let seen: Progress[] = [];
    await withStore(Store.fromStream(asyncChunks(chunks), { onProgress: (progress) => seen.push({ ...progress }) }), () => undefined);
    checkProgress(seen, undefined, bytes.length, records.length);
    seen = [];
    await withStore(Store.fromStream(chunks, { totalBytes: bytes.length, onProgress: (progress) => seen.push({ ...progress }) }), () => undefined);
    checkProgress(seen, bytes.length, bytes.length, records.length);
    seen = [];
    await withStore(Store.fromJSON(bytes, { onProgress: (progress) => seen.push({ ...progress }) }), () => undefined);
    checkProgress(seen, bytes.length, bytes.length, records.length);
    seen = [];
    await withStore(Store.fromJSON('[1,2,3]'), async (store) => {
      await store.append(asyncChunks(chunks), { onProgress: (progress) => seen.push({ ...progress }) });
      checkProgress(seen, undefined, bytes.length, records.length);
      expect(seen.at(-1)!.records).toBe(records.length);
    });
  });
});
