// Interop with real engines on this machine: DuckDB (and nodejs-polars) read memstore's Parquet
// — one file and a Hive-partitioned folder — and compute the same count / sum / group-by as the
// same computation in plain JS over the table's rows; memstore reads Parquet that DuckDB wrote
// and gets the values DuckDB holds (PARQUET.md lists what each type reads as).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIVE_DEFAULT_PARTITION, readParquet, writeDataset, writeParquet, writeParquetFile } from '../../src/node';
import { plainRows, recordsToTable } from './tables';

const dir = mkdtempSync(join(tmpdir(), 'memstore-parquet-engines-'));
let connection: DuckDBConnection;
beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => {
  connection.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

const rowsOf = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson();

// Cargo-like rows: nested structs, a list, dictionary strings with a quote and a slash, nulls, ids past 2^53.
const NAMES = ['Duper', "Elec'sOil", 'a/b=c', null];
const records = Array.from({ length: 3000 }, (_, i) => ({
  id: 2n ** 60n + BigInt(i) * 7919n,
  product: { name: NAMES[i % 4], uid: `uid${i % 50}` },
  quantity: { value: 1000 + ((i * 37) % 1450), unit: i % 9 === 0 ? null : 'mt' },
  tags: i % 5 === 0 ? null : Array.from({ length: i % 3 }, (_, j) => `t${j}`),
}));
const { table, model } = recordsToTable(records);
type Row = (typeof model)[number] & { product: { name: string | null } | null; quantity: { value: number }; id: bigint; tags: string[] | null };
const rows = model as Row[];

/** The plain-JS answers: count, sum of quantity.value and of id, total tags, and per product.name count and sum. */
function reference(subset: readonly Row[]) {
  const groups = new Map<string | null, { c: number; s: number }>();
  for (const row of subset) {
    const key = row.product?.name ?? null;
    const group = groups.get(key) ?? { c: 0, s: 0 };
    group.c++;
    group.s += row.quantity.value;
    groups.set(key, group);
  }
  return {
    count: subset.length,
    sum: subset.reduce((total, row) => total + row.quantity.value, 0),
    ids: String(subset.reduce((total, row) => total + row.id, 0n)),
    tags: subset.reduce((total, row) => total + (row.tags?.length ?? 0), 0),
    groups: [...groups].map(([k, { c, s }]) => ({ k, c: String(c), s })).sort((a, b) => String(a.k).localeCompare(String(b.k))),
  };
}

describe('DuckDB reads memstore Parquet', () => {
  it('one file: the same count, sums (int64 past 2^53 included), list lengths and group-by', async () => {
    const file = join(dir, 'cargo.parquet');
    await writeParquetFile(file, table, { compression: 'zstd', rowGroupSize: 1000 });
    const expected = reference(rows);
    const [totals] = await rowsOf(`SELECT count(*)::VARCHAR AS c, sum(quantity.value)::DOUBLE AS s, sum(id)::VARCHAR AS ids, sum(len(tags))::INTEGER AS tags FROM read_parquet('${file}')`);
    expect(totals).toEqual({ c: String(expected.count), s: expected.sum, ids: expected.ids, tags: expected.tags });
    const groups = await rowsOf(`SELECT product.name AS k, count(*)::VARCHAR AS c, sum(quantity.value)::DOUBLE AS s FROM read_parquet('${file}') GROUP BY ALL`);
    expect(groups.sort((a, b) => String(a.k).localeCompare(String(b.k)))).toEqual(expected.groups);
    // Structs are structs and lists are lists to DuckDB, not JSON text.
    const types = await rowsOf(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`);
    expect(types).toEqual([
      { column_name: 'id', column_type: 'BIGINT' },
      { column_name: 'product', column_type: 'STRUCT("name" VARCHAR, uid VARCHAR)' },
      { column_name: 'quantity', column_type: 'STRUCT("value" DOUBLE, unit VARCHAR)' },
      { column_name: 'tags', column_type: 'VARCHAR[]' },
    ]);
  });

  it('a Hive-partitioned folder by product.name: one table, partition values as written (escaped names, null)', async () => {
    const root = join(dir, 'dataset');
    const partitions = NAMES.map((name) => {
      const indices = rows.flatMap((row, index) => ((row.product?.name ?? null) === name ? [index] : []));
      return { keys: [['product.name', name]] as const, rows: recordsToTable(indices.map((index) => records[index])).table };
    });
    const files = await writeDataset(root, partitions, { compression: 'snappy' });
    expect(files.map((file) => file.slice(root.length + 1))).toEqual([
      'product.name=Duper/part-0.parquet',
      'product.name=Elec%27sOil/part-0.parquet',
      'product.name=a%2Fb%3Dc/part-0.parquet',
      `product.name=${HIVE_DEFAULT_PARTITION}/part-0.parquet`,
    ]);
    const source = `read_parquet('${root}/**/*.parquet', hive_partitioning = true)`;
    const expected = reference(rows);
    const [totals] = await rowsOf(`SELECT count(*)::VARCHAR AS c, sum(quantity.value)::DOUBLE AS s, sum(id)::VARCHAR AS ids, sum(len(tags))::INTEGER AS tags FROM ${source}`);
    expect(totals).toEqual({ c: String(expected.count), s: expected.sum, ids: expected.ids, tags: expected.tags });
    const groups = await rowsOf(`SELECT "product.name" AS k, count(*)::VARCHAR AS c, sum(quantity.value)::DOUBLE AS s FROM ${source} GROUP BY ALL`);
    expect(groups.sort((a, b) => String(a.k).localeCompare(String(b.k)))).toEqual(expected.groups);
    // The folder names decode back to the values the rows hold.
    const [mismatch] = await rowsOf(`SELECT count(*)::INTEGER AS n FROM ${source} WHERE "product.name" IS DISTINCT FROM product.name`);
    expect(mismatch.n).toBe(0);
  });
});

describe('nodejs-polars reads memstore Parquet', () => {
  it('the same count, sum and group-by', async () => {
    const frame = pl.readParquet(Buffer.from(await writeParquet(table, { compression: 'snappy' })));
    const expected = reference(rows);
    expect(frame.height).toBe(expected.count);
    const values = frame.getColumn('quantity').struct.field('value');
    expect(values.sum()).toBe(expected.sum);
    const names = frame.getColumn('product').struct.field('name').toArray();
    const counts = new Map<unknown, number>();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    expect([...counts].map(([k, c]) => ({ k, c: String(c) })).sort((a, b) => String(a.k).localeCompare(String(b.k)))).toEqual(expected.groups.map(({ k, c }) => ({ k, c })));
  });
});

describe('memstore reads Parquet DuckDB wrote', () => {
  it('ints, bigints past 2^53, doubles, strings, dictionary strings, STRUCT, LIST, NULL, timestamps, dates, decimals: the values DuckDB holds', async () => {
    const file = join(dir, 'duckdb.parquet');
    const select = `SELECT i::INTEGER AS i32, (i * 3000000000000000)::BIGINT + 1 AS big, i / 3.0 AS dbl, 'row ' || i AS s,
      ['Duper', 'Super', 'NewProd'][i % 3 + 1] AS d, {'x': i, 'y': 'k' || (i % 2)} AS st, [i, NULL, i + 1] AS l,
      CASE WHEN i % 2 = 0 THEN NULL ELSE i END AS n, TIMESTAMP '2024-01-02 03:04:05.123456' + to_seconds(i) AS ts,
      DATE '2024-01-02' + i::INTEGER AS dt, (i * 1.125)::DECIMAL(10, 3) AS dec, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tstz
      FROM range(2000) t(i)`;
    await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    const back = await readParquet(new Uint8Array(readFileSync(file)));
    expect(back.schema.fields.map((field) => `${field.name}: ${field.type}`)).toEqual([
      'i32: Int32', 'big: Int64', 'dbl: Float64', 's: Utf8', 'd: Utf8', 'st: Struct<{x:Int64, y:Utf8}>', 'l: List<Int64>', 'n: Int64',
      'ts: Timestamp<MICROSECOND>', 'dt: Date32<DAY>', 'dec: Decimal[10e+3]', 'tstz: Timestamp<MICROSECOND, UTC>',
    ]);
    // DuckDB's values as text, and ours written the same way.
    const duck = await rowsOf(`SELECT i32, big::VARCHAR AS big, dbl, s, d, st.x::VARCHAR AS x, st.y AS y, list_transform(l, v -> v::VARCHAR) AS l, n::VARCHAR AS n,
      epoch_us(ts)::VARCHAR AS ts, (dt - DATE '1970-01-01')::INTEGER AS dt, (dec * 1000)::BIGINT::VARCHAR AS dec, epoch_us(tstz)::VARCHAR AS tstz FROM read_parquet('${file}')`);
    const column = (name: string) => back.getChild(name)!;
    const micros = (name: string) => [...(column(name).data.flatMap((data) => [...(data.values as BigInt64Array)]) as bigint[])].map(String);
    const ours = plainRows(back).map((row, index) => {
      const st = row.st as { x: bigint; y: string };
      return {
        i32: row.i32, big: String(row.big), dbl: row.dbl, s: row.s, d: row.d, x: String(st.x), y: st.y,
        l: (row.l as (bigint | null)[]).map((v) => (v === null ? null : String(v))), n: row.n === null ? null : String(row.n),
        ts: micros('ts')[index], dt: (row.dt as number) / 86_400_000, dec: String(column('dec').get(index)), tstz: micros('tstz')[index],
      };
    });
    expect(ours).toEqual(duck);
  });
});
