// `pointer` (RFC 6901) loads the array a JSON Pointer names inside one document (escapes ~0 ~1,
// array indices), validating and skipping everything around it; a pointer that names nothing
// or a scalar is an error (an object's values are records: pointerObject.test.ts). Checked
// against JSON.parse + a reference resolver, in any chunking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemstoreParseError, MemstorePathError, Store } from '../../src/node';
import { json, key, writeJson } from './json';
import { byteOffset, caught, expectLoads, expectPosition, parseError, positionAt, split, utf8, withStore } from './util';

/** What the pointer names in JSON.parse(text) (undefined: nothing). */
function resolve(text: string, pointer: string): unknown {
  let value: unknown = JSON.parse(text);
  if (pointer === '') return value;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token) || Number(token) >= value.length) return undefined;
      value = value[Number(token)];
    } else if (value !== null && typeof value === 'object') {
      if (!Object.hasOwn(value, token)) return undefined;
      value = (value as Record<string, unknown>)[token];
    } else return undefined;
  }
  return value;
}

const escapeToken = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

async function expectPointer(text: string, pointer: string, cuts: number[] = []): Promise<void> {
  const expected = resolve(text, pointer);
  expect(Array.isArray(expected)).toBe(true);
  await expectLoads(Store.fromJSON(text, { pointer }), expected as unknown[]);
  const bytes = utf8(text);
  await expectLoads(Store.fromStream(split(bytes, cuts), { pointer }), expected as unknown[]);
}

describe('pointer', () => {
  const geo = JSON.stringify({
    type: 'FeatureCollection',
    name: 'features are here: "features"',
    bbox: [[1, 2], { features: ['decoy'] }],
    features: [
      { type: 'Feature', id: 1, geometry: { type: 'Point', coordinates: [1.5, -2e-5] }, properties: { name: 'é😀' } },
      { type: 'Feature', id: 2, geometry: null, properties: { name: 'b', extra: [true] } },
    ],
    'a/b': { 'm~n': [[1], [2, 3], { deep: [{ x: 1 }, { x: 2 }] }] },
    '': { '': [9] },
    '0': ['zero'],
    after: { skipped: ['all', { of: 'this', n: [1, 2, 3] }], s: '\\"}]' },
  });

  it('names the records array: keys, ~0 ~1 escapes, indices, empty keys, numeric keys', async () => {
    for (const pointer of ['/features', '/bbox/0', '/bbox/1/features', '/a~1b/m~0n', '/a~1b/m~0n/1', '/a~1b/m~0n/2/deep', '//', '/0', '/after/skipped']) {
      const bytes = utf8(geo);
      for (let cut = 0; cut <= bytes.length; cut += 5) await expectPointer(geo, pointer, [cut, cut + 1]);
    }
  });

  it('every single cut, and byte by byte', async () => {
    const bytes = utf8(geo);
    const expected = resolve(geo, '/a~1b/m~0n/2/deep') as unknown[];
    for (let cut = 0; cut <= bytes.length; cut++) await expectLoads(Store.fromStream(split(bytes, [cut]), { pointer: '/a~1b/m~0n/2/deep' }), expected);
    await expectLoads(Store.fromStream(Array.from(bytes, (byte) => Uint8Array.of(byte)), { pointer: '/features' }), resolve(geo, '/features') as unknown[]);
  });

  it('random documents with the records array at a random path', async () => {
    const step = fc.oneof(fc.record({ kind: fc.constant('key' as const), key, before: fc.array(fc.tuple(key, json), { maxLength: 3 }), after: fc.array(fc.tuple(key, json), { maxLength: 3 }) }), fc.record({ kind: fc.constant('index' as const), before: fc.array(json, { maxLength: 3 }), after: fc.array(json, { maxLength: 3 }) }));
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 5 }), fc.array(json, { maxLength: 6 }), fc.integer(), fc.array(fc.nat(), { maxLength: 6 }), async (steps, records, seed, cuts) => {
        // Build the document inside out; the path's keys are distinct from their siblings.
        let value: unknown = records;
        const tokens: string[] = [];
        for (const s of [...steps].reverse()) {
          if (s.kind === 'key') {
            const entries = [...s.before.filter(([k]) => k !== s.key), [s.key, value] as [string, unknown], ...s.after.filter(([k]) => k !== s.key)];
            const object: Record<string, unknown> = {};
            for (const [k, v] of entries) if (!(k in object) || k === s.key) Object.defineProperty(object, k, { value: k === s.key ? value : v, enumerable: true, writable: true, configurable: true });
            value = object;
            tokens.unshift(escapeToken(s.key));
          } else {
            value = [...s.before, value, ...s.after];
            tokens.unshift(String(s.before.length));
          }
        }
        const pointer = tokens.length === 0 ? '' : `/${tokens.join('/')}`;
        const text = writeJson(value, seed, { rawLoneSurrogates: false, noise: 1 });
        const length = utf8(text).length;
        await expectPointer(text, pointer, cuts.map((cut) => cut % (length + 1)));
      }),
      { numRuns: 200 },
    );
  });

  it('a pointer naming nothing or a scalar is a MemstorePathError (pointer.test: an object is records); a malformed pointer a MemstoreInputError', async () => {
    for (const pointer of ['/missing', '/features/2', '/features/01', '/features/-', '/type', '/a~1b/m~0n/2/deep/0/x', '/a~2b', '/features/0/id/x']) {
      for (const load of [() => Store.fromJSON(geo, { pointer }), () => Store.fromStream(split(utf8(geo), [10, 200]), { pointer })]) {
        const error = await caught(load);
        expect(error, pointer).toBeInstanceOf(MemstorePathError);
        expect(error).toMatchObject({ path: pointer, pointer });
      }
    }
    for (const pointer of ['/features/0', '/bbox/1']) await expectLoads(Store.fromJSON(geo, { pointer }), Object.values(resolve(geo, pointer) as object));
    for (const text of ['1', '"s"', 'null', '{}', '[]']) expect(await caught(() => Store.fromJSON(text, { pointer: '/a' }))).toBeInstanceOf(MemstorePathError);
    expect(await caught(() => Store.fromJSON(geo, { pointer: 'features' }))).toMatchObject({ code: 'INPUT', path: 'options.pointer' });
    expect(await caught(() => Store.fromJSON(geo, { pointer: '/a'.repeat(65) }))).toMatchObject({ code: 'INPUT', path: 'options.pointer' });
  });

  it('the skipped parts are validated: an error before or after the array is located exactly', async () => {
    const cases: Array<[string, string]> = [
      ['{"meta":{"a":[1,2,}],"features":[{"id":1}]}', ',}'],
      ['{"meta":"é😀\u0001","features":[{"id":1}]}', '\u0001'],
      ['{"features":[{"id":1}],"after":{"x":tru}}', 'tru'],
      ['{"features":[{"id":1}],"after":[1 2]}', '2]'],
      ['{"features":[{"id":1}]} trailing', 'trailing'],
      ['{"features":[{"id":1}],}', '}'],
      ['{"features":[{"id":1}] "x":1}', '"x"'],
      ['{"meta" 1,"features":[]}', '1,'],
      ['{"features":[{"id":1}],"a":{"é":"\\q"}}', '\\q'],
    ];
    for (const [text, at] of cases) {
      const expected = positionAt(text, byteOffset(text, text.lastIndexOf(at) + (at === ',}' ? 1 : 0)));
      const bytes = utf8(text);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const error = await parseError(() => Store.fromStream(split(bytes, [cut]), { pointer: '/features' }));
        expectPosition(error, expected);
      }
      expectPosition(await parseError(() => Store.fromJSON(text, { pointer: '/features' })), expected);
    }
    // Cut short anywhere after the array: still an error, never a silent success.
    const text = '{"features":[{"id":1},{"id":2}],"after":{"x":[1,2,{"y":"z"}]}}';
    for (let end = text.indexOf('],') + 1; end < text.length; end++) {
      expect(await caught(() => Store.fromJSON(text.slice(0, end), { pointer: '/features' })), text.slice(0, end)).toBeInstanceOf(MemstoreParseError);
    }
  });

  it("a key on the pointer's path twice in its object is a MemstorePathError (RFC 6901), never the first value silently", async () => {
    // JSON.parse keeps the last of duplicate keys; RFC 6901 leaves such a pointer undefined.
    const cases: Array<[string, string, string]> = [
      ['{"features":[{"id":"first"}],"x":1,"features":[{"id":"last"}]}', '/features', '"features":[{"id":"last"'],
      ['{"a":{"r":[1]},"a":{"r":[2]}}', '/a/r', '"a":{"r":[2]'],
      ['{"a":{"r":[1],"r":[3]}}', '/a/r', '"r":[3]'],
      ['{"a":[{"r":[1]},{"r":[2],"r":7}]}', '/a/1/r', '"r":7'],
    ];
    for (const [text, pointer, at] of cases) {
      const expected = positionAt(text, byteOffset(text, text.lastIndexOf(at)));
      const bytes = utf8(text);
      const matched = { '{"a":{"r":[1],"r":[3]}}': '/a', '{"a":[{"r":[1]},{"r":[2],"r":7}]}': '/a/1' }[text] ?? ''; // the object holding the key twice
      for (let cut = 0; cut <= bytes.length; cut++) {
        const error = await caught(() => Store.fromStream(split(bytes, [cut]), { pointer }));
        // A valid document: a MemstorePathError (never "Invalid JSON"), with the second key's place in its message.
        expect(error).toBeInstanceOf(MemstorePathError);
        expect(error).toMatchObject({ path: pointer, pointer, matched, found: 'object' });
        expect((error as Error).message).toContain(`twice (again at byte ${expected.offset} (line ${expected.line}, column ${expected.column}))`);
      }
    }
    // Duplicates elsewhere (inside records, or off the path) are fine: last wins there.
    const text = '{"x":1,"x":2,"features":[{"id":1,"id":2}],"y":{"features":1,"features":2}}';
    await expectPointer(text, '/features', [30]);
  });

  it('append with a pointer', async () => {
    await withStore(Store.fromJSON(geo, { pointer: '/features' }), async (store) => {
      const result = await store.append(utf8(geo), { pointer: '/a~1b/m~0n/2/deep' });
      expect(result.appended).toBe(2);
      expect(store.toArray()).toEqual([...(resolve(geo, '/features') as unknown[]), { x: 1 }, { x: 2 }]);
      const before = store.toArray();
      expect(await caught(() => store.append('{"features":[{"id":3}],"bad":}', { pointer: '/features' }))).toBeInstanceOf(MemstoreParseError);
      expect(store.toArray()).toEqual(before);
    });
  });
});
