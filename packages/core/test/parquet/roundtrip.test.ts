// Parquet round trips of Arrow tables shaped as memstore's Arrow mapping: nested structs,
// lists, dictionary strings, nulls, int64 past 2^53, field and schema metadata — in memory,
// streamed to a file, and the example datasets; and the options' errors.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Arrow from 'apache-arrow';
import { parquetMetadata } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { MemstoreInputError, MemstoreUnsupportedError, readParquet, writeParquet, writeParquetFile } from '../../src/node';
import { caught, example } from '../helpers';
import { MIXED, plainRows, recordsToTable, schemaOf } from './tables';

const dir = mkdtempSync(join(tmpdir(), 'memstore-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const records = [
  { id: 2n ** 60n + 1n, product: { name: 'Duper', uid: 'duper123', tags: ['a', 'b'] }, quantity: { value: 1200.5, unit: 'mt' }, note: null, mixed: 1 },
  { id: 2n ** 53n + 1n, product: { name: 'Super', uid: 'super123', tags: [] }, quantity: { value: -0, unit: 'mt' }, mixed: 'one' },
  { id: -(2n ** 62n), product: null, quantity: { value: null, unit: null }, note: 'x', mixed: { deep: [1, { a: null }] } },
  { id: 7n, product: { name: 'Duper', uid: null, tags: [null, 'c'] }, quantity: { value: Infinity, unit: 'mt' }, mixed: [true] },
];

describe('writeParquet / readParquet', () => {
  it('gives back the same table: types, nullability, field and schema metadata, values (int64 past 2^53, -0, nulls)', async () => {
    const { table, model } = recordsToTable(records, new Map([['memstore:records', '4'], ['other', 'é😀']]));
    for (const compression of ['snappy', 'zstd', 'gzip', 'brotli', 'lz4_raw', 'uncompressed'] as const) {
      const back = await readParquet(await writeParquet(table, { compression, rowGroupSize: 3 }));
      expect(schemaOf(back.schema)).toEqual(schemaOf(table.schema));
      expect(plainRows(back)).toEqual(model);
      expect(Object.is(plainRows(back)[1].quantity && (plainRows(back)[1].quantity as { value: number }).value, -0)).toBe(true);
    }
    expect(table.schema.fields.find((field) => field.name === 'mixed')?.metadata).toEqual(MIXED);
  });

  it('writes structs as Parquet groups, lists as LISTs, dictionary strings dictionary-encoded, in row groups of rowGroupSize', async () => {
    const { table } = recordsToTable(Array.from({ length: 1000 }, (_, i) => ({ name: ['Duper', 'Super'][i % 2], q: { v: i, tags: [String(i % 3)] }, text: `free text ${i}` })));
    const bytes = await writeParquet(table, { rowGroupSize: 300 });
    const metadata = parquetMetadata(bytes);
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([300, 300, 300, 100]);
    const q = metadata.schema.find((element) => element.name === 'q');
    expect(q?.num_children).toBe(2);
    expect(metadata.schema.find((element) => element.name === 'tags')?.converted_type).toBe('LIST');
    const nameChunk = metadata.row_groups[0].columns.find((chunk) => chunk.meta_data?.path_in_schema.join('.') === 'name');
    expect(nameChunk?.meta_data?.encodings).toContain('RLE_DICTIONARY');
    expect(nameChunk?.meta_data?.dictionary_page_offset).toBeDefined();
    // Dictionary columns inside lists too; top-level others (free text) plainly.
    const encodings = (path: string) => metadata.row_groups[0].columns.find((chunk) => chunk.meta_data?.path_in_schema.join('.') === path)?.meta_data?.encodings;
    expect(encodings('q.tags.list.element')).toContain('RLE_DICTIONARY');
    expect(encodings('text')).not.toContain('RLE_DICTIONARY');
  });

  it('an empty table, and a table of only nulls', async () => {
    const empty = new Arrow.Table(new Arrow.Schema([new Arrow.Field('a', new Arrow.Float64(), true)]));
    expect((await readParquet(await writeParquet(empty))).numRows).toBe(0);
    const { table, model } = recordsToTable([{ a: null }, {}, { a: null }]);
    expect(plainRows(await readParquet(await writeParquet(table)))).toEqual(model);
  });

  it('refuses wrong options with MemstoreInputError, and a table Parquet cannot hold with MemstoreUnsupportedError', async () => {
    const { table } = recordsToTable([{ a: 1 }]);
    const codec = await caught(() => writeParquet(table, { compression: 'lzo' as never }));
    expect(codec).toBeInstanceOf(MemstoreInputError);
    expect((codec as MemstoreInputError).path).toBe('options.compression');
    expect((codec as Error).message).toContain('"lzo"');
    expect(await caught(() => writeParquet(table, { rowGroupSize: 0 }))).toBeInstanceOf(MemstoreInputError);
    expect(await caught(() => writeParquet([{ a: 1 }] as never))).toMatchObject({ path: 'table', message: expect.stringMatching(/an apache-arrow Table, got an array of 1/) });
    expect(await caught(() => readParquet('PAR1' as never))).toMatchObject({ path: 'bytes', message: expect.stringMatching(/a Uint8Array.*got "PAR1"/) });
    const emptyStruct = new Arrow.Table({ s: Arrow.vectorFromArray([{}, {}], new Arrow.Struct([])) });
    const error = await caught(() => writeParquet(emptyStruct));
    expect(error).toBeInstanceOf(MemstoreUnsupportedError);
    expect((error as Error).message).toMatch(/Parquet cannot hold this table/);
  });
});

describe('writeParquetFile', () => {
  it('streams tables into one file, row group by row group, and reads back as their concatenation', async () => {
    const batches = [0, 1, 2].map((part) => recordsToTable(Array.from({ length: 500 }, (_, i) => ({ n: part * 500 + i, s: { k: ['x', 'y'][i % 2] } }))));
    const file = join(dir, 'streamed.parquet');
    async function* tables() {
      for (const batch of batches) yield batch.table;
    }
    await writeParquetFile(file, tables(), { rowGroupSize: 400, compression: 'zstd' });
    const bytes = new Uint8Array(readFileSync(file));
    expect(parquetMetadata(bytes).row_groups.map((group) => Number(group.num_rows))).toEqual([400, 400, 400, 300]);
    expect(plainRows(await readParquet(bytes))).toEqual(batches.flatMap((batch) => batch.model));
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves nothing under the name when the write fails, and keeps an existing file', async () => {
    const file = join(dir, 'kept.parquet');
    const { table, model } = recordsToTable([{ a: 1 }]);
    await writeParquetFile(file, table);
    const broken = new Arrow.Table({ s: Arrow.vectorFromArray([{}], new Arrow.Struct([])) });
    expect(await caught(() => writeParquetFile(file, broken))).toBeInstanceOf(MemstoreUnsupportedError);
    expect(plainRows(await readParquet(new Uint8Array(readFileSync(file))))).toEqual(model);
    expect(await caught(() => writeParquetFile(join(dir, 'no-such-dir', 'x.parquet'), table))).toMatchObject({ code: 'IO' });
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('example datasets', () => {
  // The repo's examples, and the shared data folder's where this machine has it.
  const shared = '/work/shared/data';
  const files = [...readdirSync(join(example('cargo.json'), '..')).filter((name) => name.endsWith('.json')), ...(existsSync(shared) ? readdirSync(shared).filter((name) => name.endsWith('.json')).map((name) => join(shared, name)) : [])];
  for (const name of files) {
    it(`${name}: the records' table comes back equal`, async () => {
      const parsed = JSON.parse(readFileSync(name.startsWith('/') ? name : example(name), 'utf8'));
      const rows = (Array.isArray(parsed) ? parsed : [parsed]).map((row: unknown) => (row !== null && typeof row === 'object' && !Array.isArray(row) ? row : { value: row }));
      const { table, model } = recordsToTable(rows as Record<string, unknown>[]);
      const back = await readParquet(await writeParquet(table, { compression: 'zstd' }));
      expect(schemaOf(back.schema)).toEqual(schemaOf(table.schema));
      expect(plainRows(back)).toEqual(model);
    });
  }
});
