// Maps inside one document (schema/plan.ts: documentMapVerdict): an object of many entries
// whose keys look like ids, or whose values are objects of one shape, is stored as a map even
// when it is the only object of its kind — through fromJSON, fromStream in any chunking and
// fromRecords alike; wide records (a flattened GitHub event, 300 named fields of many kinds,
// fields that are objects of different kinds) and keys repeated across records stay structs.
import { assert, describe, expect, it } from 'vitest';
import { prng } from '@memstore/testkit/prng';
import { idKeyedEntries, pluginIndex, projectRegistry } from '@memstore/testkit/keyed';
import { formatSchema, MemstoreParseError, Store, type SchemaField } from '../src/node';
import { caught, exampleText, withStore } from './helpers';
import { split, utf8 } from './ingest/util';

/** The schema text of `records` loaded through fromJSON, fromStream (in pieces) and fromRecords; fails unless all three agree. */
async function schemaEveryWay(document: unknown, cuts: readonly number[] = []): Promise<string> {
  const text = JSON.stringify(document);
  const schemas: string[] = [];
  const bytes = utf8(text);
  for (const load of [() => Store.fromJSON(text), () => Store.fromStream(split(bytes, cuts.map((cut) => Math.floor(cut * bytes.length)))), () => Store.fromRecords([document])]) {
    await withStore(load(), (store) => {
      assert.deepStrictEqual(store.toArray(), [JSON.parse(text)]);
      schemas.push(formatSchema(store.schema));
    });
  }
  expect(schemas[1]).toBe(schemas[0]);
  expect(schemas[2]).toBe(schemas[0]);
  return schemas[0];
}

const typeAt = (schema: SchemaField, key: string) => schema.fields?.find((field) => field.key === key)?.type;

/** A GitHub event (examples/github_events.json) flattened to one level: 95 named keys, values of every kind. */
function flattened(value: unknown, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flattened(inner, prefix === '' ? key : `${prefix}_${key}`, into);
  } else into[prefix] = value;
  return into;
}

/** 300 distinct named fields of many kinds, as a wide API record has (a tweet's user object, a profile). */
function wideRecord(seed: number): Record<string, unknown> {
  const random = prng(seed);
  const parts = ['profile', 'followers', 'friends', 'listed', 'favourites', 'statuses', 'created', 'default', 'geo', 'verified', 'media', 'contributors', 'translator', 'background', 'sidebar', 'text', 'link', 'banner', 'location', 'time'];
  const ends = ['count', 'url', 'enabled', 'color', 'image', 'id', 'str', 'at', 'type', 'tile', 'name', 'zone', 'offset', 'https', 'border', 'fill'];
  const record: Record<string, unknown> = {};
  for (let i = 0; Object.keys(record).length < 300; i++) {
    const key = `${parts[i % parts.length]}_${ends[Math.floor(i / parts.length) % ends.length]}${i >= parts.length * ends.length ? `_${i}` : ''}`;
    const roll = random();
    record[key] = roll < 0.3 ? `v${Math.floor(random() * 1e6)}` : roll < 0.55 ? Math.floor(random() * 1e6) : roll < 0.7 ? random() * 100 : roll < 0.85 ? random() < 0.5 : null;
  }
  return record;
}

describe('maps within one document', () => {
  it('10,000 id-keyed objects of one shape: a map ({key}, {}), exact, in any chunking; with pointer 10,000 records', async () => {
    const entries = idKeyedEntries(10_000);
    const schema = await schemaEveryWay(entries, [0.001, 0.3, 0.30001, 0.9]);
    expect(schema).toMatch(/^\(records\): map \(offsets\)\n {2}\{key\}: string \(text\)\n {2}\{\}: struct \(presence\)/);
    const nested = await schemaEveryWay({ version: 2, items: entries }, [0.5]);
    expect(nested).toContain('items: map (offsets)');
    const text = JSON.stringify({ items: entries });
    await withStore(Store.fromJSON(text, { pointer: '/items' }), (store) => {
      expect(store.length).toBe(10_000);
      assert.deepStrictEqual(store.toArray(), Object.values(entries));
      expect(typeAt(store.schema, 'owner')).toBe('struct');
    });
    await withStore(Store.fromStream(split(utf8(text), [1000, 400_000]), { pointer: '/items', keyAs: 'key' }), (store) => {
      expect(store.length).toBe(10_000);
      assert.deepStrictEqual(store.toArray(), Object.entries(entries).map(([key, value]) => ({ key, ...(value as object) })));
      expect(store.schema.fields?.[0]).toMatchObject({ key: 'key', type: 'string', storage: 'text', fromKey: true });
    });
  });

  it('the 1,264-project registry (ids) and the 654-plugin index (names, shared fields, some optional) are maps', async () => {
    expect(await schemaEveryWay(projectRegistry(), [0.25, 0.75])).toMatch(/^\(records\): map/);
    const plugins = await schemaEveryWay({ plugins: pluginIndex() }, [0.5]);
    expect(plugins).toMatch(/\n {2}plugins: map \(offsets\)\n {4}\{key\}: string \(dict16, 654 distinct\)\n {4}\{\}: struct/);
    expect(plugins).toMatch(/ {6}homepage: string \(dict16, \d+ distinct, optional\)/);
  });

  it('ids of many spellings are keys of a map, whatever the values', async () => {
    const random = prng(5);
    const spellings: Array<(i: number) => string> = [
      (i) => String(1000 + i),
      (i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:${String(Math.floor(i / 24)).padStart(2, '0')}`.replace(/T.*/, `-${i}`),
      (i) => `${(0x10000000 + i * 7919).toString(16)}${(i * 31).toString(16).padStart(4, '0')}`,
      (i) => `${(0x10000000 + i).toString(16)}-1234-4abc-8def-${String(i).padStart(12, '0')}`,
      (i) => `1.${i}.0`,
    ];
    for (const spell of spellings) {
      const values = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [spell(i), random() < 0.5 ? Math.floor(random() * 100) : `s${i}`]));
      expect(await schemaEveryWay({ byId: values }), spell(3)).toContain('byId: map (offsets)');
    }
  });

  it('wide records stay structs: a flattened GitHub event, 300 named fields of many kinds, objects of different kinds', async () => {
    const events = JSON.parse(exampleText('github_events.json')) as Record<string, unknown>[];
    const widest = events.map((event) => flattened(event)).reduce((a, b) => (Object.keys(b).length > Object.keys(a).length ? b : a));
    expect(Object.keys(widest).length).toBeGreaterThan(64);
    expect(await schemaEveryWay(widest)).toMatch(/^\(records\): struct/);
    const fork = events.find((event) => event.type === 'ForkEvent')!;
    const forkee = { ...((fork.payload as Record<string, unknown>).forkee as object), ...flattened(fork.actor, 'actor') };
    expect(Object.keys(forkee).length).toBeGreaterThan(64);
    expect(typeAt(await storeSchema({ forkee }), 'forkee')).toBe('struct');
    expect(await schemaEveryWay(wideRecord(1))).toMatch(/^\(records\): struct/);
    expect(typeAt(await storeSchema({ user: wideRecord(2) }), 'user')).toBe('struct');
    // 100 fields, each an object of its own kind (a settings document): few keys in common.
    const sections = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`section_${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`, { [`a${i}`]: i, [`b${i}`]: 'x', [`c${i}`]: i % 2 === 0 }]));
    expect(await schemaEveryWay(sections)).toMatch(/^\(records\): struct/);
    // The 30 events as records: nothing in them is a map.
    await withStore(Store.fromJSON(exampleText('github_events.json')), (store) => expect(formatSchema(store.schema)).not.toMatch(/: map/));
  });

  it('keys repeated across records stay a struct; ids spread over records are still a map', async () => {
    const named = Array.from({ length: 50 }, (_, i) => ({ stats: Object.fromEntries(Array.from({ length: 100 }, (_, j) => [`metric_${j}`, i * j])) }));
    for (const store of [await Store.fromJSON(JSON.stringify(named)), await Store.fromRecords(named)]) {
      expect(typeAt(store.schema, 'stats')).toBe('struct');
      assert.deepStrictEqual(store.toArray(), named);
      store.dispose();
    }
    const spread = Array.from({ length: 200 }, (_, i) => ({ byUser: { [`user-${i}`]: i, [`user-${i + 500}`]: -i } }));
    for (const store of [await Store.fromJSON(JSON.stringify(spread)), await Store.fromRecords(spread)]) {
      expect(typeAt(store.schema, 'byUser')).toBe('map');
      store.dispose();
    }
  });

  it('an append whose document becomes a map and then fails leaves the store as it was', async () => {
    await withStore(Store.fromJSON('[{"id":1,"m":{"a":1}}]'), async (store) => {
      // Types, not storage: a widening made along the way stays (int constant → int8), values unchanged.
      const state = () => ({ records: store.toArray(), schema: formatSchema(store.schema).replace(/ \(.*\)/g, ''), strings: store.memory().strings.count });
      const before = state();
      const entries = JSON.stringify(idKeyedEntries(200));
      for (const bad of [`{"id":2,"m":${entries},"x":@}`, `[{"id":2,"m":${entries}},{"id":}]`, `{"id":2,"more":${entries}`]) {
        expect(await caught(() => store.append(bad))).toBeInstanceOf(MemstoreParseError);
        assert.deepStrictEqual(state(), before);
      }
      await store.append(`{"id":2,"more":${entries}}`);
      expect(typeAt(store.schema, 'more')).toBe('map');
      assert.deepStrictEqual(store.toArray(), [...before.records, { id: 2, more: JSON.parse(entries) }]);
    });
  });
});

async function storeSchema(document: unknown): Promise<SchemaField> {
  await schemaEveryWay(document);
  return withStore(Store.fromJSON(JSON.stringify(document)), (store) => store.schema);
}
