// AddressTable: the hash table compaction maps old addresses to new with, checked against a Map.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressTable } from '../src/util/addressTable';

describe('AddressTable (compaction: old address → new)', () => {
  it('answers as a Map does, across growth, for addresses at a fixed stride and at random', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })), { maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        (pairs, expected) => {
          const table = new AddressTable(expected);
          const model = new Map<number, number>();
          // A store's blocks lie at a fixed stride: 5,000 of them, then the random pairs (some repeated).
          for (let i = 1; i <= 5000; i++) {
            table.set(i * 72, i);
            model.set(i * 72, i);
          }
          for (const [address, value] of pairs) {
            table.set(address, value);
            model.set(address, value);
          }
          expect(table.size).toBe(model.size);
          for (const [address, value] of model) {
            expect(table.get(address)).toBe(value);
          }
          for (const [address] of pairs) if (!model.has(address + 1)) expect(table.get(address + 1)).toBeUndefined();
        },
      ),
      { numRuns: 50 },
    );
  });
});
