// The path grammar (src/path.ts): parsing and printing agree, every API reads a path the same
// way, and every path the store prints (schema, formatSchema labels, suggestions) is accepted.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EACH, KEYS, MemstorePathError, Store, VALUES, formatSchema, parsePath, printPath, type PathStep, type SchemaField } from '../src/index';
import { key } from './arbitraries';
import { exampleText, withStore } from './helpers';

const step: fc.Arbitrary<PathStep> = fc.oneof(
  { weight: 4, arbitrary: key },
  { weight: 1, arbitrary: fc.nat(1000) },
  { weight: 1, arbitrary: fc.constantFrom<PathStep>(EACH, VALUES, KEYS) },
);

function walk(node: SchemaField): SchemaField[] {
  const children = [...(node.fields ?? []), ...(node.element ? [node.element] : []), ...(node.keys ? [node.keys, node.values!] : [])];
  return [node, ...children.flatMap(walk)];
}

describe('the path grammar', () => {
  it('reads back what it prints, for any steps (weird keys included)', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 6 }), (steps) => {
        // A plain key is printed bare only when it holds nothing the grammar reads.
        assert.deepStrictEqual(parsePath(printPath(steps)), steps);
      }),
      { numRuns: 2000 },
    );
  });

  it('spells each element, element k, each map value and key, and quoted keys', () => {
    expect(parsePath('entities.hashtags[].text')).toEqual(['entities', 'hashtags', EACH, 'text']);
    expect(parsePath('geometry.coordinates[2]')).toEqual(['geometry', 'coordinates', 2]);
    expect(parsePath('scores{}')).toEqual(['scores', VALUES]);
    expect(parsePath('scores{key}')).toEqual(['scores', KEYS]);
    expect(parsePath('["a.b"].c[0][]')).toEqual(['a.b', 'c', 0, EACH]);
    expect(parsePath('a.b')).toEqual(['a', 'b']);
    expect(printPath(['a b', 'x.y', '', 'ok', 3, EACH])).toBe('["a b"]["x.y"][""].ok[3][]');
  });

  it('names the character where a path goes wrong', () => {
    for (const bad of ['a[', 'a[x]', 'a[01]', 'a{', 'a{value}', 'a[]b', 'a.[0]', 'a["b]', 'a["\\q"]']) {
      expect(() => parsePath(bad), bad).toThrow(MemstorePathError);
    }
    expect(() => parsePath('a[x]')).toThrow(/at character 3, expected '\]', a list index or a quoted key/);
  });
});

const RECORDS = [
  { id: 1, geo: { coords: [10, 20, 30] }, tags: ['a', 'b'], items: [{ n: 1 }, { n: 2 }], scores: { alice: 5, bob: 7 }, 'a.b': { 'c d': 1 } },
  { id: 2, geo: { coords: [11, 21] }, tags: [], items: [{ n: 3 }], scores: { alice: 1 }, 'a.b': { 'c d': 2 } },
  { id: 3, geo: null, tags: ['c'], items: [], scores: { carol: 9 } },
  { id: 4, geo: { coords: [12, 22, 32, 42] }, items: [{ n: 4 }, {}], scores: {} },
];

describe('one path, one meaning in every API', () => {
  // scores is a map: build with enough distinct keys? documentMaps decides; force it through keys data.
  const load = () => Store.fromRecords(RECORDS);

  it('get and values read [], [k], {}, {key}, map keys and quoted keys as plain JS would', async () => {
    await withStore(load(), (store) => {
      const plain = store.toArray() as any[];
      const cases: Array<[string, (r: any) => unknown]> = [
        ['geo.coords[2]', (r) => r.geo?.coords?.[2]],
        ['geo.coords.2', (r) => r.geo?.coords?.[2]],
        ['tags[]', (r) => r.tags],
        ['items[].n', (r) => r.items?.map((item: any) => item.n)],
        ['items.n', (r) => r.items?.map((item: any) => item.n)],
        ['items[0].n', (r) => r.items?.[0]?.n],
        ['["a.b"]["c d"]', (r) => r['a.b']?.['c d']],
      ];
      const scores = store.schema.fields!.find((f) => f.key === 'scores')!;
      if (scores.type === 'map') {
        cases.push(['scores{}', (r) => Object.values(r.scores)], ['scores{key}', (r) => Object.keys(r.scores)], ['scores.alice', (r) => r.scores.alice]);
      }
      for (const [path, expected] of cases) {
        const values = store.values(path);
        plain.forEach((record, i) => {
          const want = expected(record);
          assert.deepStrictEqual(JSON.parse(JSON.stringify(store.get(i, path) ?? null)), JSON.parse(JSON.stringify(want ?? null)), `get(${i}, ${path})`);
          assert.deepStrictEqual(JSON.parse(JSON.stringify(values.at(i) ?? null)), JSON.parse(JSON.stringify(want ?? null)), `values(${path}).at(${i})`);
        });
      }
    });
  });

  it('where and sum index lists and reach into maps', async () => {
    await withStore(load(), (store) => {
      const plain = store.toArray() as any[];
      const rows = (test: (r: any) => boolean) => plain.flatMap((r, i) => (test(r) ? [i] : []));
      expect([...store.where('geo.coords[2]').gt(25).indices()]).toEqual(rows((r) => r.geo?.coords?.[2] > 25));
      expect([...store.where('geo.coords.0').eq(11).indices()]).toEqual(rows((r) => r.geo?.coords?.[0] === 11));
      expect([...store.where('items[].n').any().gte(3).indices()]).toEqual(rows((r) => r.items.some((item: any) => item.n >= 3)));
      expect([...store.where('items[1].n').gte(2).indices()]).toEqual(rows((r) => r.items[1]?.n >= 2));
      expect(store.sum('geo.coords[1]')).toBe(plain.reduce((t, r) => t + (r.geo?.coords?.[1] ?? 0), 0));
      expect(store.sum('geo.coords[]')).toBe(plain.reduce((t, r) => t + (r.geo?.coords ?? []).reduce((a: number, b: number) => a + b, 0), 0));
      expect(store.where('id').gt(1).sum('geo.coords[0]')).toBe(plain.slice(1).reduce((t, r) => t + (r.geo?.coords?.[0] ?? 0), 0));
      expect(() => store.where('items[].n').gt(1)).toThrow(/say which elements count/);
      expect(store.column('geo.coords[]').toArray()).toEqual(plain.flatMap((r) => r.geo?.coords ?? []));
    });
  });

  it('map values, keys and one key in queries', async () => {
    const records = Array.from({ length: 300 }, (_, i) => ({ scores: Object.fromEntries(Array.from({ length: 1 + (i % 3) }, (_, k) => [`u${(i + k) % 50}`, i * 10 + k])) }));
    await withStore(Store.fromRecords(records), (store) => {
      expect(store.schema.fields![0].type).toBe('map');
      const rows = (test: (r: any) => boolean) => records.flatMap((r, i) => (test(r) ? [i] : []));
      expect([...store.where('scores{}').any().gt(2500).indices()]).toEqual(rows((r) => Object.values(r.scores).some((v) => (v as number) > 2500)));
      expect([...store.where('scores{key}').any().eq('u7').indices()]).toEqual(rows((r) => 'u7' in r.scores));
      expect([...store.where('scores.u7').gt(1000).indices()]).toEqual(rows((r) => r.scores.u7 > 1000));
      expect(store.sum('scores.u3')).toBe(records.reduce((t, r: any) => t + (r.scores.u3 ?? 0), 0));
      expect(store.sum('scores{}')).toBe(records.reduce((t, r) => t + Object.values(r.scores).reduce((a, b) => a + b, 0), 0));
      expect(store.get(5, 'scores.u5')).toBe(records[5].scores.u5);
    });
  });
});

describe('presence through a picked element', () => {
  // isMissing / isNull / in([undefined]) of `items[1].n` or `scores.alice` agree with get(): a row
  // without the element (a shorter list, no list, a map without the key) reads as missing.
  const element = fc.oneof(fc.constant({}), fc.record({ n: fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 3 })) }));
  const record = fc.oneof(
    fc.constant({}),
    fc.record({ items: fc.oneof(fc.constant(null), fc.array(element, { maxLength: 3 })) }),
    fc.record({ scores: fc.dictionary(fc.constantFrom('alice', 'bob', 'carol'), fc.oneof(fc.constant(null), fc.integer())) }),
  );
  /** Whether the schema has `path`: one that no record had is a path error, not an empty answer. */
  const resolves = (store: { where(path: string): unknown }, path: string): boolean => {
    try {
      store.where(path);
      return true;
    } catch (error) {
      expect(error).toBeInstanceOf(MemstorePathError);
      return false;
    }
  };
  it('matches the rows where get() reads undefined / null', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 60 }), async (records) => {
        await withStore(Store.fromRecords(records), (store) => {
          for (const path of ['items[1].n', 'items[0].n', 'scores.alice']) {
            if (!resolves(store, path)) continue;
            const read = Array.from({ length: store.length }, (_, i) => store.get(i, path));
            const rows = (test: (value: unknown) => boolean) => read.flatMap((value, i) => (test(value) ? [i] : []));
            expect([...store.where(path).isMissing().indices()], `${path} isMissing`).toEqual(rows((v) => v === undefined));
            expect([...store.where(path).isNull().indices()], `${path} isNull`).toEqual(rows((v) => v === null));
            expect([...store.where(path).in([undefined, null]).indices()], `${path} in`).toEqual(rows((v) => v === undefined || v === null));
            expect(store.where(path).isMissing().count()).toBe(rows((v) => v === undefined).length);
          }
        });
      }),
      { numRuns: 120 },
    );
  });
});

describe.each(['cargo.json', 'shipments.json', 'small_json.json', 'github_events.json'])('every printed path of %s is accepted', (name) => {
  it('by get, values, column and where, and formatSchema labels spell the same paths', async () => {
    await withStore(Store.fromJSON(exampleText(name)), (store) => {
      const fields = walk(store.schema).filter((field) => field.path !== '');
      for (const field of fields) {
        expect(() => store.values(field.path), field.path).not.toThrow();
        expect(() => store.get(0, field.path), field.path).not.toThrow();
        // column() of a struct is refused as a query (take a field), never as a path.
        try {
          store.column(field.path);
        } catch (error) {
          expect(error, field.path).not.toBeInstanceOf(MemstorePathError);
        }
        if (field.type !== 'struct' && field.type !== 'list' && field.type !== 'map') {
          const inside = /\[\]|\{/.test(field.path);
          expect(() => (inside ? store.where(field.path).any() : store.where(field.path)).isNull(), field.path).not.toThrow();
        }
        // Suggestions for a near miss are paths too.
        try {
          store.where(`${field.path}x`);
        } catch (error) {
          for (const suggestion of (error as MemstorePathError).suggestions ?? []) expect(() => store.values(suggestion), suggestion).not.toThrow();
        }
      }
      // formatSchema: each line's label, joined to its parent's path, is that field's path.
      const labels = formatSchema(store.schema).split('\n').slice(1);
      const stack: string[] = [''];
      const printed = labels.map((line) => {
        const depth = (line.length - line.trimStart().length) / 2;
        const label = line.trimStart().slice(0, line.trimStart().indexOf(': '));
        const parent = stack[depth - 1];
        const path = label.startsWith('[') || label.startsWith('{') || parent === '' ? parent + label : `${parent}.${label}`;
        stack[depth] = path;
        return path;
      });
      expect(printed).toEqual(fields.map((field) => field.path));
    });
  });
});
