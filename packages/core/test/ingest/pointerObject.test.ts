// `pointer` naming an object: its values are the records, in document order; `keyAs` adds each
// key to its record as a string field (store.schema says so); a pointer that names nothing or a
// scalar is a MemstorePathError naming the pointer, the part that matched and the keys there.
// Every chunking gives the same store; a failed load or append leaves nothing behind.
import fc from 'fast-check';
import { assert, describe, expect, it } from 'vitest';
import { pluginIndex, projectRegistry } from '@memstore/testkit/keyed';
import { formatSchema, MemstoreInputError, MemstorePathError, Store } from '../../src/node';
import { json, key, writeJson } from './json';
import { byteOffset, caught, expectLoads, expectPosition, parseError, positionAt, split, utf8, withStore } from './util';

/** An object with these members (the last of a repeated key wins, as in JSON.parse), any key (__proto__ included). */
function objectOf(members: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [name, value] of members) Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const escapeToken = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The records a pointer to `object` gives when the text is JSON.stringify's: its values (in
 * property order, which is the order JSON.stringify writes), with keyAs the key first.
 */
function keyedRecords(object: Record<string, unknown>, keyAs?: string): unknown[] {
  return Object.entries(object).map(([key, value]) => (keyAs === undefined ? value : { [keyAs]: key, ...(value as object) }));
}

// Written by hand: integer-like keys after a name, where JSON.parse's objects list them first.
const text = '{"meta":{"generated":"2026-01-01","count":3},"projects":{"b":{"id":1,"tags":["x"]},"10":{"id":2,"tags":[]},"2":{"id":3,"note":null,"tags":["y","z"]}},"after":[1,{"x":2}]}';
const inDocumentOrder = [{ id: 1, tags: ['x'] }, { id: 2, tags: [] }, { id: 3, note: null, tags: ['y', 'z'] }];
const keysInOrder = ['b', '10', '2'];

describe('a pointer naming an object', () => {
  it('gives its values as records, in document order, in every chunking', async () => {
    const parsed = JSON.parse(text).projects as Record<string, unknown>;
    assert.deepStrictEqual(keysInOrder.map((key) => parsed[key]), inDocumentOrder);
    const records = inDocumentOrder;
    await expectLoads(Store.fromJSON(text, { pointer: '/projects' }), records);
    const bytes = utf8(text);
    for (let cut = 0; cut <= bytes.length; cut++) await expectLoads(Store.fromStream(split(bytes, [cut, cut + 7]), { pointer: '/projects' }), records);
    await expectLoads(Store.fromStream(Array.from(bytes, (byte) => Uint8Array.of(byte)), { pointer: '/projects' }), records);
  });

  it("'' names the whole document: an object's values, an array's elements", async () => {
    const whole = { a: { n: 1 }, b: { n: 2 }, '0': { n: 0 } };
    await expectLoads(Store.fromJSON(JSON.stringify(whole), { pointer: '' }), keyedRecords(whole));
    await expectLoads(Store.fromJSON('[{"n":1},{"n":2}]', { pointer: '' }), [{ n: 1 }, { n: 2 }]);
    await expectLoads(Store.fromJSON(JSON.stringify(whole)), [whole]); // no pointer: one record, as before
    await expectLoads(Store.fromJSON('{"p":{}}', { pointer: '/p' }), []);
  });

  it('the 1,264-project registry and the 654-plugin index load as records', async () => {
    for (const document of [projectRegistry(), pluginIndex()]) {
      const json = JSON.stringify({ data: document });
      await withStore(Store.fromJSON(json, { pointer: '/data' }), (store) => {
        assert.deepStrictEqual(store.toArray(), keyedRecords(JSON.parse(json).data));
        expect(store.schema.type).toBe('struct');
      });
    }
    await withStore(Store.fromJSON(JSON.stringify(projectRegistry()), { pointer: '' }), (store) => expect(store.length).toBe(1264));
  });

  it('malformed JSON in or around the records is a MemstoreParseError at its exact place, in every chunking', async () => {
    const cases: Array<[string, string]> = [
      ['{"p":{"a":{"x":1},"b":{"x":tru}}}', 'tru}'],
      ['{"p":{"a":{"x":1} "b":{"x":2}}}', '"b"'],
      ['{"p":{"a":{"x":1},"b" {"x":2}}}', '{"x":2}'],
      ['{"p":{"a":{"x":1},}}', '}}'],
      ['{"p":{"a":{"x":1},7:{}}}', '7:'],
      ['{"p":{"a":{"x":1}},"q":[1,}', '}'],
    ];
    for (const [json, at] of cases) {
      const expected = positionAt(json, byteOffset(json, json.lastIndexOf(at)));
      const bytes = utf8(json);
      for (const keyAs of [undefined, 'name']) {
        expectPosition(await parseError(() => Store.fromJSON(json, { pointer: '/p', keyAs })), expected);
        for (let cut = 0; cut <= bytes.length; cut++) expectPosition(await parseError(() => Store.fromStream(split(bytes, [cut]), { pointer: '/p', keyAs })), expected);
      }
    }
  });

  it('append with a pointer to an object, and an append that fails leaves the store as it was', async () => {
    await withStore(Store.fromJSON(text, { pointer: '/projects' }), async (store) => {
      const result = await store.append(utf8(JSON.stringify({ more: { z: { id: 4, tags: [] } } })), { pointer: '/more' });
      expect(result.appended).toBe(1);
      const before = store.toArray();
      const schema = formatSchema(store.schema);
      const strings = store.memory().strings.count;
      for (const bad of ['{"more":{"y":{"id":5,"fresh":"s"},"w":{"id":}}}', '{"more":{"y":{"id":5,"fresh":"s"}},"after":tru}', '{"more":{"y":{"id":5}}']) {
        expect(await caught(() => store.append(bad, { pointer: '/more' }))).toMatchObject({ code: 'PARSE' });
        assert.deepStrictEqual(store.toArray(), before);
        expect(formatSchema(store.schema)).toBe(schema);
        expect(store.memory().strings.count).toBe(strings);
      }
    });
  });
});

describe('random documents', () => {
  it('an object of records at a random path, with or without keyAs, in any chunking, as JSON.parse and Object.entries say', async () => {
    const record = fc.oneof(json, fc.array(fc.tuple(key, json), { maxLength: 4 }).map(objectOf));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, record), { maxLength: 8 }),
        fc.option(fc.constantFrom('name', '', '__proto__', 'k', 'é😀')),
        fc.array(key, { maxLength: 3 }),
        fc.integer(),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (members, keyAs, path, seed, cuts) => {
          const records = objectOf(members);
          let document: unknown = records;
          for (const name of [...path].reverse()) document = objectOf([[name, document]]);
          const pointer = path.length === 0 ? '' : `/${path.map(escapeToken).join('/')}`;
          const text = writeJson(document, seed, { rawLoneSurrogates: false, noise: 1 });
          const bytes = utf8(text);
          const chunks = split(bytes, cuts.map((cut) => cut % (bytes.length + 1)));
          const options = keyAs === null ? { pointer } : { pointer, keyAs };
          let values: unknown = JSON.parse(text);
          for (const name of path) values = (values as Record<string, unknown>)[name];
          const pairs = Object.entries(values as Record<string, unknown>);
          if (keyAs === null) {
            await expectLoads(Store.fromJSON(text, options), pairs.map(([, value]) => value));
            await expectLoads(Store.fromStream(chunks, options), pairs.map(([, value]) => value));
            return;
          }
          const fits = pairs.every(([, value]) => value !== null && typeof value === 'object' && !Array.isArray(value) && !Object.hasOwn(value, keyAs));
          if (!fits) {
            for (const load of [() => Store.fromJSON(text, options), () => Store.fromStream(chunks, options)]) expect(await caught(load)).toMatchObject({ code: 'INPUT', path: 'options.keyAs' });
            return;
          }
          const expected = pairs.map(([name, value]) => ({ [keyAs]: name, ...(value as object) }));
          await expectLoads(Store.fromJSON(text, options), expected);
          await expectLoads(Store.fromStream(chunks, options), expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('keyAs', () => {
  it('adds each key as a string field of its record, first, and store.schema says it came from the key', async () => {
    const expected = inDocumentOrder.map((record, i) => ({ name: keysInOrder[i], ...record }));
    await withStore(Store.fromJSON(text, { pointer: '/projects', keyAs: 'name' }), (store) => {
      assert.deepStrictEqual(store.toArray(), expected);
      expect(store.schema.fields?.map((field) => field.key)).toEqual(['name', 'id', 'tags', 'note']);
      expect(store.schema.fields?.[0]).toMatchObject({ key: 'name', type: 'string', fromKey: true });
      expect(store.schema.fields?.[1].fromKey).toBeUndefined();
      expect(formatSchema(store.schema)).toContain('name: string (dict8, 3 distinct, from the key)');
      expect((store.where('name').eq('10').first() as { toJSON(): unknown } | undefined)?.toJSON()).toEqual({ name: '10', id: 2, tags: [] });
    });
    const bytes = utf8(text);
    for (let cut = 0; cut <= bytes.length; cut++) await expectLoads(Store.fromStream(split(bytes, [cut]), { pointer: '/projects', keyAs: 'name' }), expected);
  });

  it('with the registry and the plugin index, any field name, and on append', async () => {
    for (const document of [projectRegistry(200), pluginIndex(120)]) {
      const json = JSON.stringify(document);
      await expectLoads(Store.fromJSON(json, { pointer: '', keyAs: 'key' }), keyedRecords(JSON.parse(json), 'key'));
      await expectLoads(Store.fromJSON(json, { pointer: '', keyAs: '__proto__' }), keyedRecords(JSON.parse(json), '__proto__'));
    }
    await withStore(Store.fromJSON('[{"id":0}]'), async (store) => {
      await store.append(text, { pointer: '/projects', keyAs: 'slug' });
      assert.deepStrictEqual(store.toArray(), [{ id: 0 }, ...inDocumentOrder.map((record, i) => ({ slug: keysInOrder[i], ...record }))]);
      expect(store.schema.fields?.find((field) => field.key === 'slug')?.fromKey).toBe(true);
    });
  });

  it('a record with a field of that name, a record that is no object, or an array pointer: MemstoreInputError, nothing stored', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['{"p":{"a":{"x":1},"b":{"x":2,"name":"own"}}}', '/p', /has a field "name" of its own/],
      ['{"p":{"a":{"x":1},"b":"text"}}', '/p', /not an object/],
      ['{"p":{"a":{"x":1},"b":null}}', '/p', /not an object/],
      ['{"p":[{"x":1}]}', '/p', /names an array/],
    ];
    for (const [json, pointer, message] of cases) {
      const error = await caught(() => Store.fromJSON(json, { pointer, keyAs: 'name' }));
      expect(error, json).toBeInstanceOf(MemstoreInputError);
      expect(error).toMatchObject({ path: 'options.keyAs' });
      expect((error as Error).message).toMatch(message);
      await withStore(Store.fromJSON('[{"x":0}]'), async (store) => {
        expect(await caught(() => store.append(json, { pointer, keyAs: 'name' }))).toBeInstanceOf(MemstoreInputError);
        assert.deepStrictEqual(store.toArray(), [{ x: 0 }]);
        expect(store.schema.fields?.map((field) => field.key)).toEqual(['x']);
      });
    }
    expect(await caught(() => Store.fromJSON(text, { keyAs: 'name' }))).toMatchObject({ code: 'INPUT', path: 'options.keyAs' });
    expect(await caught(() => Store.fromJSON(text, { pointer: '/projects', keyAs: 7 as unknown as string }))).toMatchObject({ code: 'INPUT', path: 'options.keyAs' });
  });
});

describe('a pointer that names nothing, or a scalar', () => {
  const geo = JSON.stringify({ type: 'FeatureCollection', features: [{ id: 1, geometry: { type: 'Point' } }, { id: 2 }], 'a/b': { 'm~n': 1 } });

  it('is a MemstorePathError naming the pointer, the part that matched and what is there, in every chunking', async () => {
    const cases: Array<[string, Partial<MemstorePathError>, RegExp]> = [
      ['/missing', { matched: '', found: 'object', available: ['type', 'features', 'a/b'], availableCount: 3 }, /the document is an object of 3 keys without "missing" \(its keys: "type", "features", "a\/b"\)/],
      ['/features/2', { matched: '/features', found: 'array', available: [], availableCount: 2 }, /"\/features" is an array of 2 elements, and "2" is not an index below 2/],
      ['/features/0/geometry/x', { matched: '/features/0/geometry', found: 'object', available: ['type'], availableCount: 1 }, /without "x"/],
      ['/features/0/id/x', { matched: '/features/0/id', found: 'scalar', availableCount: 0 }, /"\/features\/0\/id" is a number, which has no member "x"/],
      ['/type', { matched: '/type', found: 'scalar' }, /names no records: "\/type" is a string, not an array or an object of records/],
      ['/a~1b/m~0n', { matched: '/a~1b/m~0n', found: 'scalar' }, /is a number, not an array/],
      ['/a~1b/zz', { matched: '/a~1b', found: 'object', available: ['m~n'] }, /"\/a~1b" is an object of 1 key without "zz"/],
    ];
    const bytes = utf8(geo);
    for (const [pointer, fields, message] of cases) {
      for (const load of [() => Store.fromJSON(geo, { pointer }), () => Store.fromStream(split(bytes, [9, 40]), { pointer }), () => Store.fromStream(Array.from(bytes, (byte) => Uint8Array.of(byte)), { pointer })]) {
        const error = await caught(load);
        expect(error, pointer).toBeInstanceOf(MemstorePathError);
        expect(error).toMatchObject({ code: 'PATH', path: pointer, pointer, ...fields });
        expect((error as Error).message, pointer).toMatch(message);
        expect((error as Error).message).not.toMatch(/Invalid JSON/);
      }
    }
    for (const [json, found] of [['1', 'scalar'], ['"s"', 'scalar'], ['null', 'scalar'], ['{}', 'object'], ['[]', 'array']] as const) {
      expect(await caught(() => Store.fromJSON(json, { pointer: '/a' })), json).toMatchObject({ code: 'PATH', matched: '', found });
    }
    expect(await caught(() => Store.fromJSON('7', { pointer: '' }))).toMatchObject({ code: 'PATH', matched: '', found: 'scalar' });
  });

  it('names the first 16 keys and counts the rest; invalid JSON where the pointer looks stays a parse error', async () => {
    const wide = JSON.stringify({ top: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, { v: i }])) });
    const error = (await caught(() => Store.fromJSON(wide, { pointer: '/top/nope' }))) as MemstorePathError;
    expect(error).toBeInstanceOf(MemstorePathError);
    expect(error.available).toEqual(Array.from({ length: 16 }, (_, i) => `k${i}`));
    expect(error.suggestions).toEqual(error.available);
    expect(error.availableCount).toBe(1000);
    expect(error.message).toMatch(/"k15" and 984 more\)/);
    for (const json of ['{"a":tru}', '{"a" 1}', '\ufeff{"a":[1]}']) expect(await caught(() => Store.fromJSON(json, { pointer: '/a/0' })), json).toMatchObject({ code: 'PARSE' });
  });
});
