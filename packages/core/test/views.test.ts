// Views are records: Object.keys, Object.entries, spread and for…in give a record's fields, in the
// store's field order — the keys, in order, of store.toArray()[i] (missing fields absent, null
// fields present), for nested struct views too (fields named get / toJSON aside: those names stay
// the methods). On every example dataset (examples/ and /work/shared/data), on generated records
// (nested structs, lists, maps, mixed, weird keys, sparse columns), and for records of a root that
// is not a struct (mixed kinds, null records). util.inspect shows a record as a plain object, and a
// store as a one-line summary.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListView, MemstoreDisposedError, Store } from '../src/index';
import '../src/node'; // installs file reading, as the package's "node" entry does
import { json, shapedRecord } from './arbitraries';
import { example, exactJson, withStore } from './helpers';

const METHOD_KEYS = new Set(['get', 'toJSON']);

/** A record view of the store (a struct's or a plain record's): an object whose class gives get and toJSON. */
function isRecordView(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !(value instanceof ListView) && Object.getPrototypeOf(value) !== Object.prototype && typeof (value as { get?: unknown }).get === 'function';
}

/**
 * `read` (what a view gives) against `plain` (toArray's), by what users do with records: keys,
 * entries, spread and for…in of every record view, recursively; list views element by element.
 */
function expectRecord(read: unknown, plain: unknown, where: string): void {
  if (read instanceof ListView) {
    assert.ok(Array.isArray(plain), `${where}: a list view where the plain value is not an array`);
    const elements = [...read];
    assert.equal(elements.length, plain.length, `${where}.length`);
    for (let i = 0; i < elements.length; i++) expectRecord(elements[i], plain[i], `${where}[${i}]`);
    return;
  }
  if (isRecordView(read)) {
    assert.ok(plain !== null && typeof plain === 'object' && !Array.isArray(plain), `${where}: a record view where the plain value is not an object`);
    const keys = Object.keys(plain).filter((key) => !METHOD_KEYS.has(key));
    assert.deepStrictEqual(Object.keys(read), keys, `${where}: Object.keys`);
    const spread = { ...read };
    assert.deepStrictEqual(Object.keys(spread), keys, `${where}: spread's keys`);
    assert.deepStrictEqual(Object.entries(read).map(([key]) => key), keys, `${where}: Object.entries`);
    const inKeys: string[] = [];
    for (const key in read) inKeys.push(key);
    assert.deepStrictEqual(inKeys, keys, `${where}: for…in`);
    for (const key of keys) expectRecord(spread[key], (plain as Record<string, unknown>)[key], `${where}[${JSON.stringify(key)}]`);
    return;
  }
  // Scalars, and the plain objects of maps and mixed values.
  assert.deepStrictEqual(read, plain, where);
}

/** Every record of `store` (or every `step`-th) against toArray()'s. */
function expectRecords(store: Store<any>, step = 1): void {
  const plain = store.toArray();
  for (let i = 0; i < store.length; i += step) expectRecord(store.at(i), plain[i], `records[${i}]`);
  let i = 0;
  for (const view of store) {
    if (i % step === 0) expectRecord(view, plain[i], `iterated records[${i}]`);
    i++;
  }
}

const SHARED = '/work/shared/data';
const DATASETS = [
  ...readdirSync(join(example('cargo.json'), '..')).filter((name) => name.endsWith('.json')).map((name) => example(name)),
  ...(existsSync(SHARED) ? readdirSync(SHARED).filter((name) => name.endsWith('.json')).map((name) => join(SHARED, name)) : []),
];

describe('views are records: keys, entries, spread and for…in equal toArray()', () => {
  it('covers the example datasets', () => {
    expect(DATASETS.length).toBeGreaterThanOrEqual(4);
  });

  it.each(DATASETS)('on every record of %s', async (file) => {
    await withStore(Store.fromFile(file), (store) => {
      expect(store.length).toBeGreaterThan(0);
      // Every record of the small files, a sample of the large ones (and each record still read twice: at and for…of).
      expectRecords(store, store.length > 2000 ? 7 : 1);
    });
  });

  it('on generated records of a nested shape (structs, lists, maps, mixed, fields named get / toJSON)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shapedRecord, { minLength: 1, maxLength: 40 }), async (generated) => {
        const records = JSON.parse(exactJson(generated)) as unknown[];
        await withStore(Store.fromRecords(records), (store) => expectRecords(store));
        await withStore(Store.fromJSON(exactJson(records)), (store) => expectRecords(store));
      }),
      { numRuns: 80 },
    );
  });

  it('on arbitrary JSON records (weird keys, integer-like keys, a root of mixed kinds)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(json, { minLength: 1, maxLength: 20 }), async (generated) => {
        const records = JSON.parse(exactJson(generated)) as unknown[];
        await withStore(Store.fromRecords(records), (store) => {
          expectRecords(store);
          for (let i = 0; i < store.length; i++) {
            const view = store.at(i);
            const plain = store.toArray()[i];
            if (plain !== null && typeof plain === 'object' && !Array.isArray(plain)) {
              // Every record that is an object answers get and toJSON, whatever its column's kind.
              assert.ok(isRecordView(view), `records[${i}] is a view`);
              assert.deepStrictEqual((view as unknown as { toJSON(): unknown }).toJSON(), plain);
            }
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('on sparse columns (fields present in under half of 2,100 records)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shapedRecord, { minLength: 20, maxLength: 20 }), async (generated) => {
        const shaped = JSON.parse(exactJson(generated)) as Record<string, unknown>[];
        const records = Array.from({ length: 2100 }, (_, i) => (i % 9 === 0 ? { row: i, ...shaped[i % 20] } : { row: i }));
        await withStore(Store.fromRecords(records), (store) => {
          expect(store.schema.fields!.find((field) => field.key === 'id')!.sparse).toBe(true);
          expectRecords(store, 3);
        });
      }),
      { numRuns: 5 },
    );
  });

  it('keys keep the store\'s field order (first seen across records), so JSON.stringify may differ from a record\'s line while deep equality holds', async () => {
    const lines = ['{"a":1,"b":2}', '{"b":3,"a":4}', '{"c":null,"a":5}'];
    await withStore(Store.fromJSON(lines.join('\n'), { format: 'ndjson' }), (store) => {
      expect(Object.keys(store.at(1)!)).toEqual(['a', 'b']);
      expect(Object.keys(store.at(2)!)).toEqual(['a', 'c']);
      expect({ ...store.at(2)! }).toEqual({ a: 5, c: null });
      expect(JSON.stringify(store.at(1))).toBe('{"a":4,"b":3}');
      assert.deepStrictEqual(store.toArray()[1], JSON.parse(lines[1]));
    });
  });
});

describe('records of a root that is not a struct', () => {
  it('a root of mixed kinds: objects are views with get and toJSON; scalars are their values', async () => {
    await withStore(Store.fromJSON('[1, "a", {"x": 1, "y": {"z": [true]}}, null, [1, 2], {"get": 2, "__proto__": 3}]'), (store) => {
      expect(store.at(0)).toBe(1);
      expect(store.at(1)).toBe('a');
      expect(store.at(3)).toBeNull();
      expect(store.at(4)).toEqual([1, 2]);
      const record = store.at(2) as unknown as { x: number; get(path: string): unknown; toJSON(): unknown };
      expect(record.get('y.z')).toEqual([true]);
      expect(record.toJSON()).toEqual({ x: 1, y: { z: [true] } });
      expect({ ...record }).toEqual({ x: 1, y: { z: [true] } });
      expect(inspect(record)).toBe(inspect({ x: 1, y: { z: [true] } }));
      const keyed = store.at(5) as unknown as { get(path: string[]): unknown };
      expect(keyed.get(['get'])).toBe(2);
      expect(Object.keys(keyed)).toEqual(['__proto__']); // the method wins over a field named get, as on struct views
      expect(Object.hasOwn(keyed, '__proto__')).toBe(true);
      expect([...store].map((view) => (isRecordView(view) ? 'view' : typeof view))).toEqual(['number', 'string', 'view', 'object', 'object', 'view']);
      store.dispose();
      expect(() => record.get('x')).toThrow(MemstoreDisposedError);
      expect(() => record.toJSON()).toThrow(MemstoreDisposedError);
      expect(record.x).toBe(1); // a field: copied when the record was read
      expect(inspect(record)).toBe('[disposed memstore record view]');
    });
  });

  it('a struct root with null records: the objects are struct views, the nulls null', async () => {
    await withStore(Store.fromRecords([{ a: 1 }, null, { a: 2, b: 'x' }]), (store) => {
      expect(store.at(1)).toBeNull();
      expectRecords(store);
      expect(store.at(2)!.get('b')).toBe('x');
    });
  });
});

describe('inspect', () => {
  it('a view prints as its record; a store as one line of records, columns and memory', async () => {
    const records = [{ id: 1, tags: ['a'], o: { k: null } }, { id: 2, tags: [], o: { k: 'v' } }];
    await withStore(Store.fromRecords(records), (store) => {
      expect(inspect(store.at(0))).toBe(inspect(records[0]));
      expect(inspect({ ...store.at(1)!, o: { ...store.at(1)!.o } })).toBe(inspect({ ...records[1], tags: [] }));
      const report = store.memory();
      const summary = inspect(store);
      expect(summary).toBe(`Store { records: 2, columns: ${report.columns.length}, memory: '${(report.totalBytes / 1024).toFixed(1)} KiB' }`);
      expect(summary.split('\n')).toHaveLength(1);
      store.dispose();
      expect(inspect(store)).toBe('[disposed memstore store]');
    });
  });
});

describe('views of wide structs (more than 32 fields: a Proxy over getters, view/wideRecord.ts)', () => {
  /** 2,100 records of 48 fields: f0..f39 in every record (some null), s0..s7 in every 9th (sparse), a nested narrow struct. */
  const wide = (): Record<string, unknown>[] =>
    Array.from({ length: 2100 }, (_, row) => {
      const record: Record<string, unknown> = { id: row };
      for (let f = 0; f < 40; f++) record[`f${f}`] = (row + f) % 13 === 0 ? null : f % 3 === 0 ? `t${row}-${f}` : f % 3 === 1 ? row * f : { n: f, tags: [row % 5] };
      if (row % 9 === 0) for (let s = 0; s < 8; s++) record[`s${s}`] = s % 2 === 0 ? row : `x${row}`;
      if (row % 7 === 0) Object.defineProperty(record, '__proto__', { value: 'own', enumerable: true, writable: true, configurable: true });
      record.nested = { a: row, b: row % 2 === 0 ? 'even' : null };
      return record;
    });

  it('keys, entries, spread and for…in equal toArray(), through both loads', async () => {
    const records = JSON.parse(JSON.stringify(wide())) as Record<string, unknown>[];
    await withStore(Store.fromRecords(records), (store) => expectRecords(store, 5));
    await withStore(Store.fromJSON(JSON.stringify(records)), (store) => expectRecords(store, 5));
  });

  it('`in`, own descriptors and reads agree with the record; writes and deletes are refused; dispose stops every read', async () => {
    const records = wide();
    await withStore(Store.fromRecords(records), (store) => {
      const with9 = store.at(9)! as Record<string, unknown>;
      const without = store.at(10)! as Record<string, unknown>;
      expect('s0' in with9).toBe(true);
      expect('s0' in without).toBe(false);
      expect('get' in without).toBe(true); // the method
      expect(Object.hasOwn(with9, 's1')).toBe(true);
      expect(Object.hasOwn(without, 's1')).toBe(false);
      expect(Object.getOwnPropertyDescriptor(with9, 's1')).toEqual({ value: 'x9', writable: false, enumerable: true, configurable: true });
      expect(without.s0).toBeUndefined();
      expect(with9.f0).toBe(records[9].f0);
      expect(store.at(13)!.f0 as unknown).toBeNull();
      expect(JSON.stringify(with9)).toBe(JSON.stringify(store.toArray()[9]));
      expect(inspect(with9)).toBe(inspect(store.toArray()[9]));
      expect(Object.keys({ ...store.at(14)! })).toContain('__proto__');
      expect(() => {
        with9.f1 = 1;
      }).toThrow(TypeError);
      expect(() => delete with9.f1).toThrow(TypeError);
      expect(with9.f1).toBe(records[9].f1);
      store.dispose();
      expect(() => with9.f1).toThrow(MemstoreDisposedError);
      expect(() => ({ ...with9 })).toThrow(MemstoreDisposedError);
      expect(() => Object.keys(without)).toThrow(MemstoreDisposedError);
      expect(() => (with9 as unknown as { toJSON(): unknown }).toJSON()).toThrow(MemstoreDisposedError);
    });
  });
});
