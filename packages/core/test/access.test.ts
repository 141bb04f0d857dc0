// Reading records: attribute, keyed and path access agree with toArray(); list views; maps as
// plain objects; fields whose names collide with methods or Object.prototype; JSON and inspect.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListView, Store, printPath, type Path } from '../src/index';
import { json, shapedRecord } from './arbitraries';
import { exactJson, exampleText, plainOf, viewAt, withStore } from './helpers';

interface Cargo {
  id: number;
  product: { name: string; uid: string };
  quantity: { value: number; id: string };
  dates: { start: string; end: string };
}

const cargoText = exampleText('cargo.json');
const cargo = JSON.parse(cargoText) as Cargo[];

/** A record view (not a plain object, not a list view): the store's own class with toJSON and get. */
function isRecordView(value: unknown): value is { get(path: Path): unknown; toJSON(): unknown } & Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof ListView) &&
    Object.getPrototypeOf(value) !== Object.prototype &&
    typeof (value as { get?: unknown }).get === 'function'
  );
}

/**
 * Checks a value read from the store against the plain value, recursively and by every way of
 * reading it: attribute/keyed access, get([key]), get('key') where the key has no dot, list
 * at(i) and at(-n), iteration, map, toJSON.
 */
function checkAgainst(read: unknown, plain: unknown, where: string): void {
  if (read instanceof ListView) {
    assert.ok(Array.isArray(plain), `${where}: a list view where the plain value is not an array`);
    assert.equal(read.length, plain.length, `${where}.length`);
    plain.forEach((element, i) => {
      checkAgainst(read.at(i), element, `${where}[${i}]`);
      checkAgainst(read.at(i - plain.length), element, `${where}.at(${i - plain.length})`);
    });
    assert.equal(read.at(plain.length), undefined);
    assert.equal(read.at(-plain.length - 1), undefined);
    assert.deepStrictEqual([...read].map(plainOf), plain, `${where} iteration`);
    assert.deepStrictEqual(read.map((element, i) => [plainOf(element), i]), plain.map((element, i) => [element, i]), `${where}.map`);
    assert.deepStrictEqual(read.toJSON(), plain, `${where}.toJSON()`);
    return;
  }
  if (isRecordView(read)) {
    assert.ok(plain !== null && typeof plain === 'object' && !Array.isArray(plain), `${where}: a record view where the plain value is not an object`);
    assert.deepStrictEqual(read.toJSON(), plain, `${where}.toJSON()`);
    // Key order is the schema's first-seen order, which may differ from this record's own.
    assert.equal(JSON.stringify(read), JSON.stringify(read.toJSON()), `${where} JSON.stringify`);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(read)), JSON.parse(JSON.stringify(plain)), `${where} JSON.stringify`);
    const object = plain as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      checkAgainst(read.get([key]), object[key], `${where}.get([${JSON.stringify(key)}])`);
      if (key !== 'get' && key !== 'toJSON') checkAgainst(read[key], object[key], `${where}[${JSON.stringify(key)}]`);
      // Every key as the grammar prints it: bare, or quoted when it holds '.', brackets or blanks.
      checkAgainst(read.get(printPath([key])), object[key], `${where}.get(${JSON.stringify(printPath([key]))})`);
    }
    return;
  }
  // Scalars, and maps and mixed values (plain objects).
  assert.deepStrictEqual(read, plain, where);
  if (read !== null && typeof read === 'object') assert.equal(Object.getPrototypeOf(read), Array.isArray(read) ? Array.prototype : Object.prototype);
}

/** Every path from a plain value down to each of its leaves (and the inner nodes on the way). */
function* paths(value: unknown, prefix: (string | number)[] = []): Generator<[(string | number)[], unknown]> {
  yield [prefix, value];
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* paths(value[i], [...prefix, i]);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* paths(v, [...prefix, k]);
}

describe('attribute, keyed and path access agree with toArray()', () => {
  it('for every cargo record', async () => {
    await withStore(Store.fromJSON<Cargo>(cargoText), (store) => {
      const plain = store.toArray();
      assert.deepStrictEqual(plain, cargo);
      for (let i = 0; i < store.length; i++) {
        const r = store.at(i)!;
        const p = plain[i];
        assert.equal(r.id, p.id);
        assert.equal(r.product.name, p.product.name);
        assert.equal(r['product']['name'], p.product.name);
        assert.equal(r.get('product.name'), p.product.name);
        assert.equal(r.get(['product', 'name']), p.product.name);
        assert.equal(r.product.get('uid'), p.product.uid);
        assert.equal(r.quantity.value, p.quantity.value);
        assert.equal(r.get('quantity.value'), p.quantity.value);
        assert.equal(r.quantity.id, p.quantity.id);
        assert.equal(r.dates.start, p.dates.start);
        assert.equal(store.get(i, 'dates.end'), p.dates.end);
        assert.equal(store.get(i, ['quantity', 'id']), p.quantity.id);
      }
      for (let i = 0; i < 200; i++) checkAgainst(store.at(i), plain[i], `cargo[${i}]`);
    });
  });

  it('for generated records of a nested shape (structs, lists, maps, mixed, fields named get/toJSON)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shapedRecord, { minLength: 1, maxLength: 60 }), async (generated) => {
        const records = JSON.parse(exactJson(generated)) as unknown[];
        await withStore(Store.fromRecords(records), (store) => {
          records.forEach((record, i) => {
            checkAgainst(store.at(i), record, `records[${i}]`);
            for (const [path, value] of paths(record)) {
              assert.deepStrictEqual(plainOf(viewAt(store, i).get(path)), value, `records[${i}].get(${JSON.stringify(path)})`);
              assert.deepStrictEqual(plainOf(store.get(i, path)), value);
            }
          });
        });
      }),
      { numRuns: 100 },
    );
  });

  it('for arbitrary JSON records (weird keys included)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(json, { minLength: 1, maxLength: 20 }), async (generated) => {
        const records = JSON.parse(exactJson(generated)) as unknown[];
        await withStore(Store.fromRecords(records), (store) => {
          records.forEach((record, i) => {
            checkAgainst(store.at(i), record, `records[${i}]`);
            const view = store.at(i);
            for (const [path, value] of paths(record)) {
              assert.deepStrictEqual(plainOf(store.get(i, path)), value, `store.get(${i}, ${JSON.stringify(path)})`);
              if (isRecordView(view)) assert.deepStrictEqual(plainOf(view.get(path)), value);
            }
          });
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('paths', () => {
  it('an array path reaches keys containing dots; a string path splits on dots', async () => {
    await withStore(Store.fromRecords([{ 'a.b': 1, a: { b: 2, 'c.d': { e: 3 } } }]), (store) => {
      const r = viewAt(store, 0);
      expect(r.get(['a.b'])).toBe(1);
      expect(r.get('a.b')).toBe(2);
      expect(r.get(['a', 'b'])).toBe(2);
      expect(r.get(['a', 'c.d', 'e'])).toBe(3);
      expect((r as any)['a.b']).toBe(1);
      expect(plainOf(r.get([]))).toEqual(store.toArray()[0]);
      expect(plainOf(r.get(''))).toEqual(store.toArray()[0]);
    });
  });

  it('into lists: numbers and numeric strings index; out of range is undefined', async () => {
    await withStore(Store.fromRecords([{ tags: ['x', 'y', 'z'], items: [{ n: 1 }, { n: 2 }] }, { tags: [] }]), (store) => {
      const r = viewAt(store, 0);
      expect(r.get(['tags', 0])).toBe('x');
      expect(r.get('tags.0')).toBe('x');
      expect(r.get(['tags', '2'])).toBe('z');
      expect(r.get(['tags', 3])).toBeUndefined();
      expect(r.get('items.1.n')).toBe(2);
      expect(r.get(['items', 0, 'n'])).toBe(1);
      expect(viewAt(store, 1).get('tags.0')).toBeUndefined();
      expect(viewAt(store, 1).get('items.0.n')).toBeUndefined();
    });
  });

  it('store.get(i, path) reads as store.at(i).get(path), undefined out of range', async () => {
    await withStore(Store.fromJSON<Cargo>(cargoText), (store) => {
      expect(store.get(3, 'product.name')).toBe(cargo[3].product.name);
      expect(store.get(6000, 'product.name')).toBeUndefined();
      expect(store.get(-6001, 'product.name')).toBeUndefined();
      expect(store.get(-1, 'product.name')).toBe(viewAt(store, -1).get('product.name'));
      expect(store.get(-1, ['id'])).toBe(cargo[5999].id);
    });
  });
});

describe('list views', () => {
  it('length, at, negative at, iteration, map, toJSON, JSON.stringify, inspect', async () => {
    const records = [{ tags: ['a', 'b', 'c'], grid: [[1, 2], [3]], items: [{ n: 1 }, { n: 2, m: 'x' }] }];
    await withStore(Store.fromRecords(records), (store) => {
      const r = store.at(0) as any;
      const tags = r.tags as ListView<string>;
      expect(tags).toBeInstanceOf(ListView);
      expect(tags.length).toBe(3);
      expect(tags.at(0)).toBe('a');
      expect(tags.at(-1)).toBe('c');
      expect(tags.at(-3)).toBe('a');
      expect(tags.at(3)).toBeUndefined();
      expect(tags.at(-4)).toBeUndefined();
      expect([...tags]).toEqual(['a', 'b', 'c']);
      expect(tags.map((t, i) => t + i)).toEqual(['a0', 'b1', 'c2']);
      expect(tags.toJSON()).toEqual(['a', 'b', 'c']);
      expect(Array.isArray(tags.toJSON())).toBe(true);
      expect(JSON.stringify(tags)).toBe('["a","b","c"]');
      expect(inspect(tags)).toBe(inspect(['a', 'b', 'c']));
      expect(Object.prototype.toString.call(tags)).toBe('[object ListView]');
      // Lists of lists and of structs hand out views.
      expect(r.grid.at(0)).toBeInstanceOf(ListView);
      expect(r.grid.at(1).at(0)).toBe(3);
      expect(r.grid.toJSON()).toEqual([[1, 2], [3]]);
      expect(r.items.at(1).m).toBe('x');
      expect(r.items.at(0).m).toBeUndefined();
      expect(r.items.map((item: any) => item.n)).toEqual([1, 2]);
      expect(r.get(['items', 1]).toJSON()).toEqual({ n: 2, m: 'x' });
    });
  });
});

describe('maps', () => {
  it('map fields read as plain objects', async () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ m: { [`key${i}`]: { x: i } } }));
    await withStore(Store.fromRecords(records), (store) => {
      expect(store.schema.fields![0].type).toBe('map');
      const m = (store.at(7) as any).m;
      expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
      expect(m).toEqual({ key7: { x: 7 } });
      expect(Object.getPrototypeOf(m.key7)).toBe(Object.prototype);
      // A fresh object per read: mutating it does not change the store.
      m.key7.x = 1000;
      expect((store.at(7) as any).m.key7.x).toBe(7);
      expect(viewAt(store, 7).get('m.key7.x')).toBe(7);
      expect(viewAt(store, 7).get('m.key8')).toBeUndefined();
    });
  });
});

describe('fields that collide with methods or Object.prototype', () => {
  it('fields named get and toJSON: reachable via get([name]), present in toJSON(), methods still work', async () => {
    const records = [{ get: 1, toJSON: 'j', other: { get: true } }];
    await withStore(Store.fromRecords(records), (store) => {
      const r = viewAt(store, 0);
      expect(typeof r.get).toBe('function');
      expect(typeof r.toJSON).toBe('function');
      expect(r.get(['get'])).toBe(1);
      expect(r.get('get')).toBe(1);
      expect(r.get(['toJSON'])).toBe('j');
      expect(r.get('other.get')).toBe(true);
      expect(r.toJSON()).toEqual(records[0]);
      expect(Object.keys(r.toJSON() as object)).toEqual(['get', 'toJSON', 'other']);
      expect(JSON.stringify(r)).toBe(JSON.stringify(records[0]));
      expect(JSON.parse(JSON.stringify(r))).toEqual(records[0]);
    });
  });

  it('__proto__, constructor, toString and friends are read via getters and never touch Object.prototype', async () => {
    const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
    const text = '[{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted2":true}},"toString":"str","hasOwnProperty":1,"valueOf":null}]';
    const expected = JSON.parse(text);
    await withStore(Store.fromJSON(text), (store) => {
      const r = store.at(0) as any;
      expect(r.__proto__.polluted).toBe(true);
      expect(r['__proto__'].toJSON()).toEqual({ polluted: true });
      expect(r.constructor.prototype.polluted2).toBe(true);
      expect(r.toString).toBe('str');
      expect(r.hasOwnProperty).toBe(1);
      expect(r.valueOf).toBeNull();
      expect(r.get(['__proto__', 'polluted'])).toBe(true);
      expect(r.get('constructor.prototype.polluted2')).toBe(true);
      // The view's real prototype is untouched (its class, with the methods), and so is Object.prototype.
      expect(Object.getPrototypeOf(r)).not.toBe(Object.prototype);
      expect(Object.getPrototypeOf(r)).not.toBe(r.__proto__);
      expect(typeof Object.getPrototypeOf(r).get).toBe('function');
      expect(Object.hasOwn(r, '__proto__')).toBe(true);
      const plain = store.toArray()[0] as Record<string, unknown>;
      assert.deepStrictEqual(plain, expected[0]);
      expect(Object.hasOwn(plain, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
      expect(Object.hasOwn(r.toJSON(), '__proto__')).toBe(true);
      expect(JSON.stringify(r)).toBe(JSON.stringify(expected[0]));
    });
    expect(({} as any).polluted).toBeUndefined();
    expect(({} as any).polluted2).toBeUndefined();
    expect(typeof ({} as any).toString).toBe('function');
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('fromRecords stores the own keys of a record only, when Object.prototype has an enumerable key of its own (a polluted realm)', async () => {
    // The first pass walks a record's keys with for…in (schema/observe.ts), which also yields inherited enumerable keys.
    Object.defineProperty(Object.prototype, 'injected', { value: 'from the prototype', enumerable: true, configurable: true, writable: true });
    try {
      const records = [{ a: 1, nested: { b: 'x' } }, { a: 2, nested: { b: 'y', c: [{ d: true }] } }];
      await withStore(Store.fromRecords(records), (store) => {
        expect((store.schema.fields ?? []).map((field) => field.path)).toEqual(['a', 'nested']);
        expect(JSON.stringify(store.toArray())).toBe(JSON.stringify(records));
      });
    } finally {
      delete (Object.prototype as Record<string, unknown>).injected;
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('records without such a field fall back to nothing from the input, and views of other stores are unaffected', async () => {
    const one = await Store.fromRecords<unknown>([{ constructor: 5 }, {}]);
    const two = await Store.fromRecords([{ a: 1 }]);
    try {
      expect((one.at(0) as any).constructor).toBe(5);
      // Absent from the record, absent from its view: what it inherits is its class, as a plain object inherits Object.
      expect(Object.hasOwn(one.at(1) as object, 'constructor')).toBe(false);
      expect((one.at(1) as any).constructor).not.toBe(5);
      expect(one.toArray()).toEqual([{ constructor: 5 }, {}] as unknown[]);
      expect('constructor' in (one.toArray()[1] as object)).toBe(true); // inherited, as for any object
      expect(Object.hasOwn(one.toArray()[1] as object, 'constructor')).toBe(false);
      expect(typeof (two.at(0) as any).constructor).toBe('function');
    } finally {
      one.dispose();
      two.dispose();
    }
  });
});

describe('views as values', () => {
  it('JSON.stringify(view) equals JSON.stringify(plain); inspect shows the record', async () => {
    await withStore(Store.fromJSON<Cargo>(cargoText), (store) => {
      for (let i = 0; i < store.length; i += 97) {
        const r = store.at(i)!;
        expect(JSON.stringify(r)).toBe(JSON.stringify(cargo[i]));
        expect(JSON.stringify(r.product)).toBe(JSON.stringify(cargo[i].product));
        expect(JSON.stringify({ wrapped: [r] })).toBe(JSON.stringify({ wrapped: [cargo[i]] }));
        expect(inspect(r)).toBe(inspect(cargo[i]));
        expect(inspect(r.quantity)).toBe(inspect(cargo[i].quantity));
      }
      expect(inspect(store.at(0))).toContain("name: 'Duper'");
    });
  });

  it('for (const r of store) iterates views; at(-1) is the last; out of range is undefined', async () => {
    await withStore(Store.fromJSON<Cargo>(cargoText), (store) => {
      let count = 0;
      let sum = 0;
      for (const r of store) {
        expect(isRecordView(r)).toBe(true);
        sum += r.quantity.value;
        count++;
      }
      expect(count).toBe(cargo.length);
      expect(sum).toBe(cargo.reduce((total, r) => total + r.quantity.value, 0));
      expect(store.at(-1)!.toJSON()).toEqual(cargo[cargo.length - 1]);
      expect(store.at(-cargo.length)!.toJSON()).toEqual(cargo[0]);
      expect(store.at(cargo.length)).toBeUndefined();
      expect(store.at(-cargo.length - 1)).toBeUndefined();
      expect(store.at(1.9)!.id).toBe(cargo[1].id);
      // Two iterators are independent.
      const a = store[Symbol.iterator]();
      const b = store[Symbol.iterator]();
      a.next();
      expect(b.next().value!.id).toBe(cargo[0].id);
      expect(a.next().value!.id).toBe(cargo[1].id);
    });
  });

  it('an iterator goes over the records the store held when it was taken, an append after it aside', async () => {
    await withStore(Store.fromJSON('[{"a": 1}, {"a": 2}]'), async (store) => {
      const iterator = store[Symbol.iterator]();
      expect((iterator.next().value as { a: number }).a).toBe(1);
      await store.append('[{"a": 3}]');
      const rest: unknown[] = [];
      for (let step = iterator.next(); !step.done; step = iterator.next()) rest.push((step.value as { toJSON(): unknown }).toJSON());
      expect(rest).toEqual([{ a: 2 }]);
      expect([...store].length).toBe(3);
    });
  });

  it("the iterator's done step carries the last record (for-of and spread ignore it), and stays done; an empty store's is undefined", async () => {
    const cases: Array<[string, unknown[]]> = [
      ['[{"a": 1}, {"a": 2}]', [{ a: 1 }, { a: 2 }]],
      ['[1, "x", null, [2]]', [1, 'x', null, [2]]],
      ['[]', []],
    ];
    for (const [text, expected] of cases) {
      await withStore(Store.fromJSON(text), (store) => {
        expect([...store].map((r) => (isRecordView(r) ? (r as { toJSON(): unknown }).toJSON() : r))).toEqual(expected);
        const iterator = store[Symbol.iterator]();
        for (let i = 0; i < expected.length; i++) expect(iterator.next().done).toBe(false);
        for (let again = 0; again < 2; again++) {
          const end = iterator.next();
          expect(end.done).toBe(true);
          const last = end.value as unknown;
          expect(isRecordView(last) ? (last as { toJSON(): unknown }).toJSON() : last).toEqual(expected.at(-1));
        }
      });
    }
  });

  it('views are independent of each other and re-readable', async () => {
    await withStore(Store.fromJSON<Cargo>(cargoText), (store) => {
      const r0 = store.at(0)!;
      const r1 = store.at(1)!;
      expect(r0.id).toBe(cargo[0].id);
      expect(r1.id).toBe(cargo[1].id);
      expect(r0.product.name).toBe(cargo[0].product.name);
      expect(r0.product.name).toBe(cargo[0].product.name);
      expect(store.at(0)!.toJSON()).not.toBe(store.at(0)!.toJSON()); // a fresh object each time
    });
  });

  it('toJSON keys come in first-seen order', async () => {
    const records = [{ b: 1, a: 2 }, { a: 3, c: 4, b: 5 }, { d: { y: 1, x: 2 } }, { d: { x: 3, z: 4 } }];
    await withStore(Store.fromRecords(records), (store) => {
      expect(Object.keys(store.at(1)!.toJSON() as object)).toEqual(['b', 'a', 'c']);
      expect(Object.keys(store.toArray()[1] as object)).toEqual(['b', 'a', 'c']);
      expect(Object.keys((store.toArray()[3] as any).d)).toEqual(['x', 'z']);
      expect(Object.keys((store.toArray()[2] as any).d)).toEqual(['y', 'x']);
      expect(store.schema.fields!.map((f) => f.key)).toEqual(['b', 'a', 'c', 'd']);
    });
  });

  it('string reads are correct in any order, repeated, across fields sharing strings', async () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({ a: `s${i % 7}`, b: `s${(i * 3) % 11}`, c: i % 2 ? 'é😀\ud800' : '' }));
    await withStore(Store.fromRecords(records), (store) => {
      for (const i of [999, 0, 500, 0, 999, 3]) {
        const r = store.at(i) as any;
        expect([r.a, r.b, r.c]).toEqual([records[i].a, records[i].b, records[i].c]);
        expect([r.a, r.b, r.c]).toEqual([records[i].a, records[i].b, records[i].c]);
      }
      assert.deepStrictEqual(store.toArray(), records);
      // The string table holds each distinct value once, and the field names.
      expect(store.memory().strings.count).toBe(new Set([...records.flatMap((r) => [r.a, r.b, r.c]), 'a', 'b', 'c']).size);
    });
  });

  it('records that are not structs: at() gives lists, values and nulls', async () => {
    await withStore(Store.fromJSON('[[1,2],null,[3]]'), (store) => {
      expect(store.at(0)).toBeInstanceOf(ListView);
      expect((store.at(0) as ListView).toJSON()).toEqual([1, 2]);
      expect(store.at(1)).toBeNull();
      expect(store.get(2, [0])).toBe(3);
      expect(store.get(1, [0])).toBeUndefined();
    });
  });
});
