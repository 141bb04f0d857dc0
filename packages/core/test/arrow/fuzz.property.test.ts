// Fuzzing Arrow IPC from outside: mutations of real files memstore wrote (file and stream format,
// stores of every column shape) — truncations, bit flips, 32-bit words set to boundary values,
// splices of one part of the file over another, chunks cut out or repeated — each either fails
// with MemstoreFormatError (or MemstoreUnsupportedError, for a type memstore has no JSON value for),
// or gives a store whose records are exactly what the mutated bytes say: Arrow JS's own getters
// read through the mapping's metadata (reference.ts), never a crash, an untyped error, a hang or a
// silently wrong store. A mutation can rename a type to one the reference does not read (a
// timestamp, a decimal); such a store is held to its row count only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { MemstoreFormatError, MemstoreUnsupportedError, Store } from '../../src/node';
import { exampleText } from '../helpers';
import { referenceRecords, supports } from './reference';

/** ARROW_FUZZ_RUNS=<n>: cases per file (CI: 300). */
const RUNS = Number(process.env.ARROW_FUZZ_RUNS ?? 300);

const wide = Array.from({ length: 40 }, (_, i) => ({
  id: i * 7919 - 100,
  big: 2 ** 40 + i,
  f: i % 5 === 0 ? -0 : i / 3,
  s: ['Duper', 'Scrap', 'x\ud800'][i % 3],
  t: `unique-${i}-${'é'.repeat(i % 4)}`,
  ...(i % 4 === 0 ? {} : { maybe: i % 4 === 1 ? null : i }),
  sub: i % 6 === 0 ? null : { a: i, l: [i, null, { k: 'v' }].slice(0, i % 4) },
  m: Object.fromEntries(Array.from({ length: i % 3 }, (_, k) => [`${i * 100 + k}`, k])),
  mixed: [1, 'one', [true], { o: null }][i % 4],
  flag: i % 3 === 0,
}));

const SOURCES: [string, string][] = [
  ['cargo (100 records)', JSON.stringify(JSON.parse(exampleText('cargo.json')).slice(0, 100))],
  ['github events', exampleText('github_events.json')],
  ['every column shape', JSON.stringify(wide)],
  ['scalars, not objects', JSON.stringify([1, 'a', null, [1, 2], { k: 1 }, true])],
];

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; bits: number[] }
  | { kind: 'word'; at: number; value: number }
  | { kind: 'splice'; from: number; to: number; length: number }
  | { kind: 'cut'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('flip' as const), bits: fc.array(position, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('word' as const), at: position, value: fc.constantFrom(0, 1, -1, 0x7fffffff, -0x80000000, 0xffff, 8, 1 << 20) }),
  fc.record({ kind: fc.constant('splice' as const), from: position, to: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
);

function mutate(original: Uint8Array, change: Mutation): Uint8Array {
  const bytes = original.slice();
  const at = (share: number) => Math.floor(share * bytes.length);
  switch (change.kind) {
    case 'truncate':
      return bytes.subarray(0, at(change.at));
    case 'flip':
      for (const bit of change.bits) bytes[Math.floor(bit * bytes.length * 8) >>> 3] ^= 1 << (Math.floor(bit * bytes.length * 8) & 7);
      return bytes;
    case 'word': {
      const offset = at(change.at) & ~3;
      if (offset + 4 <= bytes.length) new DataView(bytes.buffer).setInt32(offset, change.value, true);
      return bytes;
    }
    case 'splice':
      bytes.copyWithin(at(change.to), at(change.from), at(change.from) + change.length);
      return bytes;
    case 'cut':
      return new Uint8Array([...bytes.subarray(0, at(change.at)), ...bytes.subarray(at(change.at) + change.length)]);
    case 'repeat':
      return new Uint8Array([...bytes.subarray(0, at(change.at) + change.length), ...bytes.subarray(at(change.at))]);
  }
}

/** What the mutated bytes are, read by Arrow JS and the reference; undefined when Arrow JS or the reference cannot read them. */
function referenceOf(bytes: Uint8Array): { rows: number; records: unknown[] | null } | undefined {
  try {
    const table = tableFromIPC(bytes);
    return { rows: table.numRows, records: supports(table.schema.fields) ? referenceRecords(table) : null };
  } catch {
    return undefined;
  }
}

describe.each(SOURCES)('mutated IPC of %s', (_name, text) => {
  for (const format of ['file', 'stream'] as const) {
    it(`${format}: MemstoreFormatError or the exact store the bytes describe`, async () => {
      const original = await Store.fromJSON(text);
      const bytes = original.toArrowIPC({ format });
      original.dispose();
      let stores = 0;
      let errors = 0;
      await fc.assert(
        fc.asyncProperty(mutation, async (change) => {
          const mutated = mutate(bytes, change);
          let store: Store;
          try {
            store = await Store.fromArrowIPC(mutated);
          } catch (error) {
            if (!(error instanceof MemstoreFormatError || error instanceof MemstoreUnsupportedError)) throw error;
            errors++;
            return;
          }
          try {
            stores++;
            const reference = referenceOf(mutated);
            expect(reference, 'Arrow JS reads what memstore accepted').toBeDefined();
            expect(store.length).toBe(reference!.rows);
            if (reference!.records !== null) expect(store.toArray()).toEqual(reference!.records);
          } finally {
            store.dispose();
          }
        }),
        { numRuns: RUNS },
      );
      // Both outcomes occur: the fuzzing reaches past the framing checks.
      expect(errors).toBeGreaterThan(0);
      expect(stores + errors).toBe(RUNS);
      if (process.env.ARROW_FUZZ_RUNS) console.log(`${format}: ${stores} stores, ${errors} errors`);
    }, 120_000 * Math.max(1, RUNS / 300));
  }
});
