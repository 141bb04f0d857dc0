// Schema inference while streaming: a field first seen late is missing before; an int column
// meeting 1.5 widens to float64; a column meeting another kind becomes mixed; null and missing
// stay distinct — every earlier value unchanged, whether the change comes in the same load, in
// a later chunk, or in a later append.
import fc from 'fast-check';
import { assert, describe, expect, it } from 'vitest';
import { Store, type SchemaField } from '../../src/node';
import { json, text, writeJson } from './json';
import { asyncChunks, split, utf8, withStore } from './util';

function field(store: Store, path: string): SchemaField {
  let node: SchemaField | undefined = store.schema;
  for (const part of path.split('.')) {
    node = part === '[]' ? node?.element : node?.fields?.find((candidate) => candidate.key === part);
  }
  if (node === undefined) throw new Error(`no field ${path}`);
  return node;
}

/**
 * Loads `records` every way: one string, bytes byte by byte, one append per record, NDJSON;
 * `check` gets the store and JSON.parse of the text (written so that -0 stays -0).
 */
async function eachWay(records: unknown[], check: (store: Store, how: string) => void | Promise<void>): Promise<void> {
  const lines = records.map((record) => writeJson(record, 0, { rawLoneSurrogates: false, noise: 0 }));
  const textOf = `[${lines.join(',')}]`;
  assert.deepStrictEqual(JSON.parse(textOf), records);
  await withStore(Store.fromJSON(textOf), (store) => check(store, 'fromJSON'));
  await withStore(Store.fromStream(asyncChunks(Array.from(utf8(textOf), (byte) => Uint8Array.of(byte)))), (store) => check(store, 'byte by byte'));
  await withStore(Store.fromJSON('[]'), async (store) => {
    for (const line of lines) await store.append(`[${line}]`);
    await check(store, 'appends');
  });
  await withStore(Store.fromJSON(lines.join('\n'), { format: 'ndjson' }), (store) => check(store, 'ndjson'));
}

describe('schema evolution while streaming', () => {
  it('a field first seen at the last record is missing (not null) in every earlier one', async () => {
    const records: unknown[] = [...Array.from({ length: 200 }, (_, i) => ({ id: i, a: i % 3 === 0 ? null : `s${i}` })), { id: 200, late: { x: [1, 2] } }];
    await eachWay(records, (store, how) => {
      assert.deepStrictEqual(store.toArray(), records, how);
      const late = field(store, 'late');
      expect(late.type, how).toBe('struct');
      expect(late.missingCount, how).toBe(200);
      expect(late.nullCount, how).toBe(0);
      expect(Object.hasOwn(store.toArray()[0] as object, 'late'), how).toBe(false);
      expect(field(store, 'a').missingCount, how).toBe(1);
      expect(field(store, 'a').nullCount, how).toBe(67);
    });
  });

  it('null and missing stay distinct, at the top level, nested and in lists', async () => {
    const records = [{ a: null, n: { x: null } }, {}, { a: 1, n: {} }, { n: null }, { a: null, l: [null, { x: null }, {}] }, { l: [] }];
    await eachWay(records, (store, how) => {
      assert.deepStrictEqual(store.toArray(), records, how);
      expect(field(store, 'a')).toMatchObject({ nullCount: 2, missingCount: 3 });
      expect(field(store, 'n')).toMatchObject({ nullCount: 1, missingCount: 3 });
    });
  });

  it('an int column meeting 1.5 widens to float64; every earlier int unchanged', async () => {
    const ints = [0, -1, 2147483647, -2147483648, 123456, 7, -0 + 0];
    const records = [...ints.map((v) => ({ v, l: [v, v] })), { v: 1.5, l: [1, 2.5] }, { v: 3, l: [4] }];
    await eachWay(records, (store, how) => {
      assert.deepStrictEqual(store.toArray(), records, how);
      expect(field(store, 'v'), how).toMatchObject({ type: 'float', storage: 'float64' });
      expect(field(store, 'l.[]'), how).toMatchObject({ type: 'float', storage: 'float64' });
    });
    // Ints beyond int32, -0, and floats first, then ints.
    const more = [{ v: 5 }, { v: 2 ** 31 }, { v: 6 }, { v: -0 }, { v: -(2 ** 53) }, { v: 1e300 }, { v: 8 }];
    await eachWay(more, (store, how) => {
      assert.deepStrictEqual(store.toArray(), more, how);
      expect(field(store, 'v').type, how).toBe('float');
    });
  });

  it('a column meeting another kind becomes mixed; earlier values unchanged', async () => {
    const cases: Array<[string, unknown[]]> = [
      ['string where numbers were', [1, 2.5, -0, 3, 'four', 5]],
      ['object where strings were', ['a', 'b', null, { c: [1, { d: 'e' }] }, 'f']],
      ['array where objects were', [{ x: 1, y: [1] }, { x: 2 }, [1, 'two', { three: 3 }], { y: [] }]],
      ['bool where lists were', [[1, 2], [], true, [3]]],
      ['number where bools were', [true, false, 0, true]],
      ['object where lists of structs were', [[{ a: 1 }], [{ a: 2, b: 'x' }], { a: [3] }]],
    ];
    for (const [name, values] of cases) {
      const records = values.map((v, i) => (i === 1 ? { v, other: i } : { v }));
      await eachWay(records, (store, how) => {
        assert.deepStrictEqual(store.toArray(), records, `${name} (${how})`);
        expect(field(store, 'v').type, `${name} (${how})`).toBe('mixed');
      });
      // As list elements and as a nested field too.
      const nested = values.map((v) => ({ list: [v, v], deep: { v } }));
      await eachWay(nested, (store, how) => {
        assert.deepStrictEqual(store.toArray(), nested, `${name} nested (${how})`);
        expect(field(store, 'list.[]').type).toBe('mixed');
        expect(field(store, 'deep.v').type).toBe('mixed');
      });
    }
  });

  it('a change of kind arriving in a later chunk or a later append keeps every earlier value', async () => {
    const first = Array.from({ length: 5_000 }, (_, i) => ({ id: i, v: i, s: `s${i % 10}`, o: { a: i }, l: [i] }));
    const second = [{ id: 5_000, v: 0.5, s: 7, o: 'not an object', l: { not: 'a list' } }, { id: 5_001, v: 'str', extra: true }];
    const all = [...first, ...second];
    const bytes = utf8(JSON.stringify(all));
    await withStore(Store.fromStream(split(bytes, [1000, bytes.length - 60, bytes.length - 30])), (store) => assert.deepStrictEqual(store.toArray(), all));
    await withStore(Store.fromJSON(JSON.stringify(first)), async (store) => {
      await store.append(asyncChunks(split(utf8(JSON.stringify(second)), [10, 40])));
      assert.deepStrictEqual(store.toArray(), all);
      for (const path of ['v', 's', 'o', 'l']) expect(field(store, path).type, path).toBe('mixed');
    });
  });

  it('objects with many id-like keys become a map while streaming; every row unchanged', async () => {
    const records = Array.from({ length: 400 }, (_, i) => ({ byId: { [`id-${i}`]: { n: i }, [`id-${i + 1000}`]: { n: -i - 1 } }, k: i }));
    await eachWay(records.slice(0, 150), (store, how) => assert.deepStrictEqual(store.toArray(), records.slice(0, 150), how));
    await withStore(Store.fromStream(split(utf8(JSON.stringify(records)), [5000, 9000])), (store) => {
      assert.deepStrictEqual(store.toArray(), records);
      expect(field(store, 'byId').type).toBe('map');
    });
  });

  it('random records of random kinds per field: exact round trip, and the schema type follows the values', async () => {
    const value = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      text,
      fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 }),
      fc.record({ a: fc.option(fc.integer()), b: json }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(value, value, value), { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { maxLength: 6 }), async (rows, cuts) => {
        const records = rows.map(([x, y, z]) => Object.fromEntries(Object.entries({ x, y, z }).filter(([, v]) => v !== undefined)));
        const bytes = utf8(JSON.stringify(records));
        const expected = JSON.parse(JSON.stringify(records)) as Array<Record<string, unknown>>;
        await withStore(Store.fromStream(split(bytes, cuts.map((cut) => cut % (bytes.length + 1)))), (store) => {
          assert.deepStrictEqual(store.toArray(), expected);
          for (const name of ['x', 'y', 'z']) {
            const seen = expected.map((record) => record[name]).filter((v) => v !== undefined && v !== null);
            if (!expected.some((record) => name in record)) continue;
            expect(field(store, name).type, name).toBe(kindOf(seen));
            expect(field(store, name).missingCount).toBe(expected.filter((record) => !(name in record)).length);
            expect(field(store, name).nullCount).toBe(expected.filter((record) => record[name] === null).length);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});

/** The schema type a field's non-null values call for. */
function kindOf(values: unknown[]): string {
  if (values.length === 0) return 'null';
  const kinds = new Set(
    values.map((v) => {
      // An int column holds every integer exact in a double (|n| ≤ 2^53, not -0: assembly/numbers.ts); fc.double gives such integers now and then.
      if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 2 ** 53 && !Object.is(v, -0) ? 'int' : 'float';
      if (typeof v === 'string') return 'string';
      if (typeof v === 'boolean') return 'bool';
      return Array.isArray(v) ? 'list' : 'struct';
    }),
  );
  if (kinds.size === 1) return [...kinds][0];
  if (kinds.size === 2 && kinds.has('int') && kinds.has('float')) return 'float';
  return 'mixed';
}
