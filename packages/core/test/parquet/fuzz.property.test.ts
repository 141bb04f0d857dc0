// Fuzzing readParquet with mutations of real files — truncations, bit flips, splices, byte
// overwrites. A file memstore wrote (sealed) must give a MemstoreFormatError or a table equal
// to the original: never another error, a crash, a hang or other values. A file without the
// seal (as another writer makes it) must give a MemstoreFormatError or a table; Parquet itself
// has no checksum a flipped bit in a value would break, so other values can't be told apart there.
import * as Arrow from 'apache-arrow';
import fc from 'fast-check';
import * as ParquetWasm from 'parquet-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemstoreFormatError, readParquet, writeParquet } from '../../src/node';
import { plainRows, recordsToTable, schemaOf } from './tables';

const rows = Array.from({ length: 300 }, (_, i) => ({
  id: BigInt(i) * 2n ** 40n,
  name: ['Duper', "Elec'sOil", 'NewProd'][i % 3],
  quantity: { value: i * 1.5, unit: i % 7 === 0 ? null : 'mt' },
  tags: i % 5 === 0 ? null : Array.from({ length: i % 4 }, (_, j) => `t${j}`),
  text: `row ${i} ${'x'.repeat(i % 13)}`,
}));
const { table, model } = recordsToTable(rows);

type Mutation = { kind: 'truncate'; length: number } | { kind: 'flip'; at: number; bit: number } | { kind: 'splice'; from: number; to: number; length: number } | { kind: 'overwrite'; at: number; bytes: number[] };

const mutation = (size: number): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), length: fc.integer({ min: 0, max: size - 1 }) }),
    fc.record({ kind: fc.constant('flip' as const), at: fc.integer({ min: 0, max: size - 1 }), bit: fc.integer({ min: 0, max: 7 }) }),
    // Flips near the end hit the footer, where most of the structure is.
    fc.record({ kind: fc.constant('flip' as const), at: fc.integer({ min: Math.max(0, size - 2000), max: size - 1 }), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('splice' as const), from: fc.integer({ min: 0, max: size - 1 }), to: fc.integer({ min: 0, max: size - 1 }), length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('overwrite' as const), at: fc.integer({ min: 0, max: size - 1 }), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
  );

function mutate(original: Uint8Array, change: Mutation): Uint8Array {
  if (change.kind === 'truncate') return original.slice(0, change.length);
  const bytes = original.slice();
  if (change.kind === 'flip') bytes[change.at] ^= 1 << change.bit;
  else if (change.kind === 'splice') bytes.set(original.subarray(change.from, Math.min(original.length, change.from + change.length)).subarray(0, bytes.length - change.to), change.to);
  else bytes.set(change.bytes.slice(0, bytes.length - change.at), change.at);
  return bytes;
}

/** What reading gives: the table, or the error; anything thrown that is not a MemstoreFormatError fails the test. */
async function outcome(bytes: Uint8Array): Promise<Arrow.Table | MemstoreFormatError> {
  try {
    return await readParquet(bytes);
  } catch (error) {
    if (error instanceof MemstoreFormatError) return error;
    throw error;
  }
}

describe.each(['snappy', 'zstd', 'uncompressed'] as const)('%s files', (compression) => {
  let sealed: Uint8Array;
  let unsealed: Uint8Array;
  beforeAll(async () => {
    sealed = await writeParquet(table, { compression, rowGroupSize: 128 });
    const codec = { snappy: ParquetWasm.Compression.SNAPPY, zstd: ParquetWasm.Compression.ZSTD, uncompressed: ParquetWasm.Compression.UNCOMPRESSED }[compression];
    unsealed = ParquetWasm.writeParquet(ParquetWasm.Table.fromIPCStream(Arrow.tableToIPC(table, 'stream')), new ParquetWasm.WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(128).build());
  });

  it('a mutated sealed file reads as MemstoreFormatError or as the original table', async () => {
    await fc.assert(
      fc.asyncProperty(mutation(sealed.length), async (change) => {
        const result = await outcome(mutate(sealed, change));
        if (result instanceof MemstoreFormatError) {
          expect(result.format).toBe('parquet');
          return;
        }
        expect(schemaOf(result.schema)).toEqual(schemaOf(table.schema));
        expect(plainRows(result)).toEqual(model);
      }),
      { numRuns: 300 },
    );
  });

  it('a mutated unsealed file reads as MemstoreFormatError or as a table, never another error', async () => {
    const seen = { errors: 0, tables: 0 };
    await fc.assert(
      fc.asyncProperty(mutation(unsealed.length), async (change) => {
        const result = await outcome(mutate(unsealed, change));
        if (result instanceof MemstoreFormatError) seen.errors++;
        else {
          seen.tables++;
          expect(result.numRows).toBeLessThanOrEqual(rows.length * 2);
        }
      }),
      { numRuns: 300 },
    );
    // Both ways out were taken: the mutations reach the validation and get past it to the decoder.
    expect(seen.errors).toBeGreaterThan(0);
    expect(seen.tables).toBeGreaterThan(0);
    // After all those failures the decoder still reads a good file right.
    expect(plainRows(await readParquet(unsealed))).toEqual(model);
  });
});
