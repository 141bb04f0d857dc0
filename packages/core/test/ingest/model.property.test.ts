// A store against a plain-JS model of it (issue 10, item 8): random sequences of good appends
// (text, bytes, streams, records), failing appends (bad JSON at a random point, the memory cap,
// an abort), queries and dispose. After every step the store must answer as the model does:
// the records, the schema's fields, a count, a sum and a column read; a failed step changes
// nothing, and once disposed, everything throws MemstoreDisposedError.
import fc from 'fast-check';
import { assert, describe, expect, it } from 'vitest';
import { MemstoreAbortedError, MemstoreCapacityError, MemstoreDisposedError, MemstoreParseError, Store } from '../../src/node';
import { recordLike, writeJson } from './json';
import { asyncChunks, caught, split, utf8 } from './util';

type Step =
  | { kind: 'append'; records: unknown[]; how: 'string' | 'bytes' | 'stream' | 'records'; cuts: number[]; seed: number }
  | { kind: 'bad json'; records: unknown[]; at: number; seed: number }
  | { kind: 'too big'; records: unknown[] }
  | { kind: 'abort'; records: unknown[]; how: 'before' | 'midway' }
  | { kind: 'query' }
  | { kind: 'dispose' };

const records = fc.array(fc.oneof({ weight: 4, arbitrary: recordLike }, { weight: 1, arbitrary: fc.record({ id: fc.string(), extra: fc.array(fc.integer(), { maxLength: 3 }) }) }), { maxLength: 6 });

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('append' as const), records, how: fc.constantFrom('string' as const, 'bytes' as const, 'stream' as const, 'records' as const), cuts: fc.array(fc.nat(), { maxLength: 3 }), seed: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bad json' as const), records, at: fc.nat(), seed: fc.integer() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('too big' as const), records }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort' as const), records, how: fc.constantFrom('before' as const, 'midway' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('query' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dispose' as const) }) },
);

/** Top-level keys in first-seen order over the model's object records. */
function keysOf(model: unknown[]): string[] {
  const keys = new Set<string>();
  for (const record of model) if (record !== null && typeof record === 'object' && !Array.isArray(record)) for (const key of Object.keys(record)) keys.add(key);
  return [...keys];
}

/** The store answers as the model does. */
function check(store: Store, model: unknown[]): void {
  assert.deepStrictEqual(store.toArray(), model);
  expect(store.length).toBe(model.length);
  const schema = store.schema;
  if (model.length > 0 && schema.type === 'struct') {
    expect(schema.fields!.map((field) => field.key)).toEqual(keysOf(model));
    const ids = model.map((record) => (record as { id?: unknown }).id);
    const numbers = ids.filter((id): id is number => typeof id === 'number');
    const type = schema.fields!.find((field) => field.key === 'id')?.type;
    // A range on a string column is a query error; on a mixed one it sees only the numbers.
    if (type === 'int' || type === 'float' || type === 'mixed') expect(store.where('id').gte(0).count()).toBe(numbers.filter((id) => id >= 0).length);
    if (type === 'int') expect(store.sum('id')).toBe(numbers.reduce((a, b) => a + b, 0));
    expect(store.column('id').toArray()).toEqual(ids.map((id) => (id === undefined ? null : id)));
  }
}

describe('a store against a plain-JS model', () => {
  it('random appends, failing appends, queries and dispose', async () => {
    await fc.assert(
      fc.asyncProperty(records, fc.array(step, { minLength: 1, maxLength: 8 }), async (first, steps) => {
        // A cap the base fits in with room, which a 'too big' append (6 MiB of strings) passes.
        const store = await Store.fromRecords<unknown>(first, { maxMemoryBytes: 4 << 20 });
        const model: unknown[] = [...first];
        let disposed = false;
        try {
          for (const s of steps) {
            if (disposed) {
              expect(() => store.toArray()).toThrow(MemstoreDisposedError);
              expect(await caught(() => store.append('[1]'))).toBeInstanceOf(MemstoreDisposedError);
              continue;
            }
            switch (s.kind) {
              case 'append': {
                const text = writeJson(s.records, s.seed, { rawLoneSurrogates: false, noise: 1 });
                const bytes = utf8(text);
                const result =
                  s.how === 'string' ? await store.append(text)
                  : s.how === 'bytes' ? await store.append(bytes)
                  : s.how === 'stream' ? await store.append(asyncChunks(split(bytes, s.cuts.map((cut) => cut % (bytes.length + 1)))))
                  : await store.append(s.records);
                expect(result.appended).toBe(s.records.length);
                model.push(...s.records);
                break;
              }
              case 'bad json': {
                const parts = s.records.map((record, i) => writeJson(record, s.seed + i, { rawLoneSurrogates: false, noise: 0 }));
                const slot = s.at % (parts.length + 1);
                const bad = `[${[...parts.slice(0, slot), '{"id":@}', ...parts.slice(slot)].join(',')}]`;
                expect(await caught(() => store.append(bad))).toBeInstanceOf(MemstoreParseError);
                break;
              }
              case 'too big': {
                const big = [...s.records, ...Array.from({ length: 6 }, (_, i) => ({ id: i, name: `${i}${'x'.repeat(1 << 20)}` }))];
                expect(await caught(() => store.append(JSON.stringify(big)))).toBeInstanceOf(MemstoreCapacityError);
                expect(await caught(() => store.append(big))).toBeInstanceOf(MemstoreCapacityError);
                break;
              }
              case 'abort': {
                const controller = new AbortController();
                const reason = new Error('stop');
                if (s.how === 'before') controller.abort(reason);
                const head = `[${s.records.map((record) => JSON.stringify(record)).join(',')}${s.records.length > 0 ? ',' : ''}`;
                async function* stream(): AsyncIterable<Uint8Array> {
                  yield utf8(head);
                  controller.abort(reason);
                  yield utf8('{"id":1}]');
                }
                const error = await caught(() => store.append(stream(), { signal: controller.signal }));
                expect(error).toBeInstanceOf(MemstoreAbortedError);
                expect((error as Error).cause).toBe(reason);
                break;
              }
              case 'query':
                break;
              case 'dispose':
                store.dispose();
                disposed = true;
                continue;
            }
            check(store, model);
          }
        } finally {
          store.dispose();
        }
      }),
      { numRuns: 60 },
    );
  });
});
