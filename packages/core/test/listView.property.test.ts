// List views' array methods agree with Array.prototype's on the array toArray() gives, on
// generated lists of every element kind (numbers with -0, strings, nulls, structs, lists, mixed),
// lists missing or null in some records, and a sparse list column (present in under half of
// 2,100 rows); plus the errors of a callback that is not a function and of reducing an empty list.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListView, MemstoreInputError, Store } from '../src/index';
import { json, number, text } from './arbitraries';
import { exactJson, plainOf, withStore } from './helpers';

/** A value as text, for callbacks that must give the same answer on a view and on its plain value. */
const keyOf = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(plainOf(value)) ?? 'undefined');
/** A predicate that picks about a third of the elements, the same ones on both sides. */
const picks = (value: unknown): boolean => [...keyOf(value)].reduce((hash, char) => (hash * 31 + char.codePointAt(0)!) | 0, 7) % 3 === 0;

const structElement = fc.record({ a: fc.option(number, { nil: null }), b: text }, { requiredKeys: ['b'] });
const elements = fc.oneof(
  fc.array(number, { maxLength: 8 }),
  fc.array(fc.constantFrom(0, -0, 1, -1, 2.5), { maxLength: 8 }),
  fc.array(fc.option(text, { nil: null }), { maxLength: 8 }),
  fc.array(structElement, { maxLength: 6 }),
  fc.array(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 }), { maxLength: 5 }),
  fc.array(json, { maxLength: 6 }),
);
/** Records whose field `l` is a list, null, or missing. */
const records = elements.chain((first) =>
  fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant(first).chain(() => elements) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(undefined) }), { minLength: 1, maxLength: 12 }).map((lists) => [first, ...lists]),
);
/** What `run` returns, or the class of what it throws. */
function outcome(run: () => unknown): { value: unknown } | { threw: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

const index = fc.option(fc.integer({ min: -12, max: 12 }), { nil: undefined });

/** Every method of `list` against the same method of `plain` (the array of the same elements). */
function checkList(list: ListView, plain: unknown[], probe: { start: number | undefined; end: number | undefined; from: number | undefined; pick: number; separator: string | undefined }): void {
  assert.equal(list.length, plain.length);
  const seen: unknown[] = [];
  list.forEach(function (this: unknown, element, i, self) {
    seen.push([plainOf(element), i, self === list, this]);
  }, 'this');
  assert.deepStrictEqual(seen, plain.map((element, i) => [element, i, true, 'this']), 'forEach');
  assert.deepStrictEqual(list.map((element, i) => [keyOf(element), i]), plain.map((element, i) => [keyOf(element), i]), 'map');
  assert.deepStrictEqual(list.filter(picks).map(plainOf), plain.filter(picks), 'filter');
  assert.deepStrictEqual(plainOf(list.find(picks)), plain.find(picks), 'find');
  assert.equal(list.findIndex(picks), plain.findIndex(picks), 'findIndex');
  assert.equal(list.some(picks), plain.some(picks), 'some');
  assert.equal(list.every(picks), plain.every(picks), 'every');
  const fold = (accumulator: unknown, element: unknown, i: number) => `${keyOf(accumulator)}|${keyOf(element)}@${i}`;
  assert.equal(list.reduce(fold, 'start'), plain.reduce(fold, 'start'), 'reduce with an initial value');
  if (plain.length > 0) assert.equal(keyOf(list.reduce(fold as (a: unknown, e: unknown) => unknown)), keyOf(plain.reduce(fold as (a: unknown, e: unknown) => unknown)), 'reduce');
  assert.deepStrictEqual(list.slice(probe.start, probe.end).map(plainOf), plain.slice(probe.start, probe.end), 'slice');
  assert.deepStrictEqual(list.slice(probe.start).map(plainOf), plain.slice(probe.start), 'slice(start)');
  // An element String() cannot convert ({"toString": null} in a mixed list) throws on both sides.
  assert.deepStrictEqual(outcome(() => list.join(probe.separator)), outcome(() => plain.join(probe.separator)), 'join');
  assert.deepStrictEqual(outcome(() => String(list)), outcome(() => String(plain)), 'toString');
  assert.deepStrictEqual(plainOf(list.at(probe.start ?? 0)), plain.at(probe.start ?? 0), 'at');
  assert.deepStrictEqual([...list.keys()], [...plain.keys()], 'keys');
  assert.deepStrictEqual([...list.values()].map(plainOf), plain, 'values');
  assert.deepStrictEqual([...list.entries()].map(([i, element]) => [i, plainOf(element)]), [...plain.entries()], 'entries');
  assert.deepStrictEqual([...list].map(plainOf), plain, 'iteration');
  // Searches take scalars (a view is a new object at each read, as a copy of an object is): one of
  // the list's own when it has any, and values it may lack, -0 among them (SameValueZero finds 0).
  const scalars = plain.filter((element) => element === null || typeof element !== 'object');
  for (const value of [scalars[probe.pick % Math.max(scalars.length, 1)], 0, -0, '', null, 1, 'b']) {
    assert.equal(list.includes(value, probe.from), plain.includes(value, probe.from), `includes(${String(value)}, ${probe.from})`);
    assert.equal(list.indexOf(value, probe.from), plain.indexOf(value, probe.from), `indexOf(${String(value)}, ${probe.from})`);
    assert.equal(list.lastIndexOf(value, ...(probe.from === undefined ? [] : [probe.from])), plain.lastIndexOf(value, ...(probe.from === undefined ? [] : [probe.from])), `lastIndexOf(${String(value)}, ${probe.from})`);
  }
}

const probes = fc.record({ start: index, end: index, from: index, pick: fc.nat(), separator: fc.option(fc.constantFrom('', ',', ' - ', '|'), { nil: undefined }) });

describe('list views have the array methods, answering as Array.prototype on the same elements', () => {
  it('on generated lists of every element kind, null and missing lists among them', async () => {
    await fc.assert(
      fc.asyncProperty(records, probes, async (lists, probe) => {
        const input = JSON.parse(exactJson(lists.map((l) => (l === undefined ? {} : { l })))) as Array<{ l?: unknown[] | null }>;
        await withStore(Store.fromRecords(input), (store) => {
          const plain = store.toArray() as Array<{ l?: unknown[] | null }>;
          for (let i = 0; i < store.length; i++) {
            const list = (store.at(i) as { l?: unknown }).l;
            const expected = plain[i].l;
            if (!Array.isArray(expected)) {
              assert.equal(list, expected);
              continue;
            }
            assert.ok(list instanceof ListView);
            checkList(list, expected, probe);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('on a sparse list column (present in under half of 2,100 rows)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(elements, { minLength: 30, maxLength: 30 }), probes, async (lists, probe) => {
        const input = JSON.parse(exactJson(Array.from({ length: 2100 }, (_, i) => (i % 70 === 3 ? { id: i, l: lists[i % 30] } : { id: i })))) as object[];
        await withStore(Store.fromRecords(input), (store) => {
          expect(store.schema.fields!.find((field) => field.key === 'l')!.sparse).toBe(true);
          const plain = store.toArray() as Array<{ l?: unknown[] }>;
          for (let i = 3; i < store.length; i += 70) checkList((store.at(i) as unknown as { l: ListView }).l, plain[i].l!, probe);
        });
      }),
      { numRuns: 10 },
    );
  });

  it('a callback that is not a function, and reducing an empty list without an initial value, are MemstoreInputErrors', async () => {
    await withStore(Store.fromRecords([{ l: [1, 2] }, { l: [] }]), (store) => {
      const list = (store.at(0) as { l: ListView<number> }).l;
      const empty = (store.at(1) as { l: ListView<number> }).l;
      for (const run of [() => list.map(3 as never), () => list.filter(null as never), () => list.find('x' as never), () => list.reduce({} as never)]) {
        expect(run).toThrow(MemstoreInputError);
        expect(run).toThrow(/callback must be a function/);
      }
      expect(() => empty.reduce((a, b) => a + b)).toThrow(MemstoreInputError);
      expect(empty.reduce((a, b) => a + b, 10)).toBe(10);
      expect(list.reduce((a, b) => a + b)).toBe(3);
    });
  });
});
