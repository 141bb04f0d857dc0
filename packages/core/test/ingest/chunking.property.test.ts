// The round trip is exact in ANY chunking: for random JSON (weird keys, lone surrogates,
// escapes, astral characters, every number form), cut at random byte boundaries — inside
// strings, escapes, surrogate pairs, multi-byte characters, numbers, literals — the store holds
// exactly JSON.parse(text) (an array's elements, or the value as one record). Through
// fromJSON (string and bytes), fromStream (sync and async chunks, a web ReadableStream, a Node
// Readable) and append.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { assert, describe, expect, it } from 'vitest';
import { Store } from '../../src/node';
import { topLevel, writeJson } from './json';
import { asyncChunks, bytewise, expectedRecords, expectLoads, split, utf8, withStore } from './util';

const cuts = fc.array(fc.nat(), { maxLength: 16 });

describe('chunking: any split, exact round trip', () => {
  it('fromJSON(string) with raw lone surrogates, and fromJSON(bytes)', async () => {
    await fc.assert(
      fc.asyncProperty(topLevel, fc.integer(), fc.integer({ min: 0, max: 3 }), async (value, seed, noise) => {
        const raw = writeJson(value, seed, { rawLoneSurrogates: true, noise });
        await expectLoads(Store.fromJSON(raw), expectedRecords(raw));
        const escaped = writeJson(value, seed, { rawLoneSurrogates: false, noise });
        await expectLoads(Store.fromJSON(utf8(escaped)), expectedRecords(escaped));
      }),
      { numRuns: 300 },
    );
  });

  it('fromStream: random chunk boundaries (sync and async iterables of Uint8Array)', async () => {
    await fc.assert(
      fc.asyncProperty(topLevel, fc.integer(), fc.integer({ min: 0, max: 3 }), cuts, fc.boolean(), async (value, seed, noise, at, async) => {
        const text = writeJson(value, seed, { rawLoneSurrogates: false, noise });
        const bytes = utf8(text);
        const chunks = split(bytes, at.map((cut) => cut % (bytes.length + 1)));
        await expectLoads(Store.fromStream(async ? asyncChunks(chunks) : chunks), expectedRecords(text));
      }),
      { numRuns: 400 },
    );
  });

  it('fromStream: string chunks cut anywhere (inside surrogate pairs too), raw lone surrogates kept', async () => {
    await fc.assert(
      fc.asyncProperty(topLevel, fc.integer(), cuts, async (value, seed, at) => {
        const text = writeJson(value, seed, { rawLoneSurrogates: true, noise: 1 });
        const points = [...new Set(at.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [...points, text.length].map((point, i) => text.slice(i === 0 ? 0 : points[i - 1], point));
        await expectLoads(Store.fromStream(asyncChunks(chunks)), expectedRecords(text));
        await expectLoads(Store.fromStream(chunks), expectedRecords(text));
      }),
      { numRuns: 200 },
    );
  });

  it('fromStream: one byte per chunk', async () => {
    await fc.assert(
      fc.asyncProperty(topLevel, fc.integer(), async (value, seed) => {
        const text = writeJson(value, seed, { rawLoneSurrogates: false, noise: 2 });
        await expectLoads(Store.fromStream(bytewise(utf8(text))), expectedRecords(text));
      }),
      { numRuns: 100 },
    );
  });

  it('append: a store grown by several appends of random chunkings holds every record in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(topLevel, fc.integer(), cuts, fc.constantFrom('string', 'bytes', 'stream', 'records')), { minLength: 1, maxLength: 4 }),
        async (parts) => {
          const store = await Store.fromJSON('[]');
          try {
            const expected: unknown[] = [];
            for (const [value, seed, at, how] of parts) {
              const text = writeJson(value, seed, { rawLoneSurrogates: how === 'string', noise: 1 });
              const records = expectedRecords(text);
              const bytes = utf8(text);
              const result =
                how === 'string' ? await store.append(text)
                : how === 'bytes' ? await store.append(bytes)
                : how === 'stream' ? await store.append(asyncChunks(split(bytes, at.map((cut) => cut % (bytes.length + 1)))))
                : await store.append(records);
              expect(result).toEqual({ appended: records.length, skipped: [] });
              expected.push(...records);
              assert.deepStrictEqual(store.toArray(), expected);
            }
          } finally {
            store.dispose();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  // Every single cut of a text packed with the awkward places to cut.
  const tricky = [
    '[{"s":"a\\u1234b\\ud83d\\ude00c\\uD800\\u00e9\\/\\"\\\\\\b\\f\\n\\r\\t","é中😀":"é中😀\u{10ffff}","n":[-0,1.5e-300,123456789012345678901,-2147483649,1E+2,0.5],',
    '"l":[true,false,null],"k\\u0022":{"\\ud800":"\\udc00"}},{"n":[1,2],"l":[],"s":"😀😀😀"},"top\\ud83d\\ude00",12345.678e-3,true,null,false,[]]',
  ].join('');

  it('every single cut and every byte of a text of escapes, pairs, multi-byte characters, numbers, literals', async () => {
    const bytes = utf8(tricky);
    const expected = expectedRecords(tricky);
    for (let cut = 0; cut <= bytes.length; cut++) await expectLoads(Store.fromStream(split(bytes, [cut])), expected);
    for (let cut = 0; cut + 3 <= bytes.length; cut += 3) await expectLoads(Store.fromStream(split(bytes, [cut, cut + 1, cut + 2])), expected);
    await expectLoads(Store.fromStream(bytewise(bytes)), expected);
  });

  it('NDJSON: every single cut', async () => {
    const lines = ['{"a":"\\ud83d\\ude00é","b":1}', '', '  ', '[1,2.5e3]', '"x\\u0041"', 'null', '{"a":"😀","c":-0}', '12'];
    const text = `${lines.join('\n')}\r\n`;
    const expected = lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
    const bytes = utf8(text);
    for (let cut = 0; cut <= bytes.length; cut++) await expectLoads(Store.fromStream(split(bytes, [cut]), { format: 'ndjson' }), expected);
    await expectLoads(Store.fromStream(bytewise(bytes), { format: 'jsonl' }), expected);
  });

  it('records far larger than a chunk (thousands of 4 KiB chunks each): JSON, NDJSON, with a pointer', async () => {
    // A record cut off by a chunk's end is parsed again once more input came; this used to be
    // on every chunk, O(n²) in the chunks a record spans (minutes for this one).
    const big = { l: Array.from({ length: 1_200_000 }, (_, i) => ({ i })), s: 'é'.repeat(100_000) };
    const cutsOf = (bytes: Uint8Array) => Array.from({ length: Math.floor(bytes.length / 4096) }, (_, i) => (i + 1) * 4096);
    // (Compared as JSON text: exact for these values, and far quicker than a deep compare.)
    const expected = JSON.stringify([1, big, 2]);
    const json = utf8(expected);
    await withStore(Store.fromStream(split(json, cutsOf(json))), (store) => expect(JSON.stringify(store.toArray())).toBe(expected));
    const ndjson = utf8(`1\n${JSON.stringify(big)}\n2`);
    await withStore(Store.fromStream(split(ndjson, cutsOf(ndjson)), { format: 'ndjson' }), (store) => expect(JSON.stringify(store.toArray())).toBe(expected));
    const pointed = utf8(JSON.stringify({ before: big, r: [1, 2], after: big }));
    await expectLoads(Store.fromStream(split(pointed, cutsOf(pointed)), { pointer: '/r' }), [1, 2]);
  });

  it('long JS strings and byte arrays: pairs, lone surrogates and multi-byte characters across the internal slices', async () => {
    for (const pattern of ['a😀\ud800b', 'é\udfff😀中', '\ud83d\ude00\ud83d', 'xyz\udbff']) {
      const value = pattern.repeat(70_000 / pattern.length + 1);
      const records = [value, { [value.slice(0, 9999)]: value.slice(3) }, value.slice(1)];
      const raw = `[${records.map((record, i) => writeJson(record, i, { rawLoneSurrogates: true, noise: 0 })).join(',')}]`;
      await expectLoads(Store.fromJSON(raw), JSON.parse(raw) as unknown[]);
      const escaped = JSON.stringify(records);
      await expectLoads(Store.fromJSON(utf8(escaped)), records);
    }
  });

  it('a web ReadableStream and a Node Readable', async () => {
    const bytes = utf8(tricky);
    const expected = expectedRecords(tricky);
    const chunks = split(bytes, [5, 17, 18, 19, 40, 41, 100]);
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    await expectLoads(Store.fromStream(web), expected);
    await expectLoads(Store.fromStream(Readable.from(chunks.map((chunk) => Buffer.from(chunk)))), expected);
  });
});
