// DuckDB's own Parquet writer, the yardstick: the records loaded once into a DuckDB table
// (read_json_auto of their NDJSON, not timed), then `COPY t TO 'x.parquet' (FORMAT parquet,
// COMPRESSION …, ROW_GROUP_SIZE …)` timed, and the file read back into a table.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Codec } from './libraries';

export interface DuckdbWriter {
  version: string;
  /** Writes the loaded table to `file`; resolves when the file is complete. */
  copy(file: string, codec: Codec, rowGroupSize: number): Promise<void>;
  /** Reads `file` into a new table (materialised); returns its row count. */
  read(file: string): Promise<number>;
  close(): void;
}

export async function duckdbWriter(records: readonly unknown[], dir: string, name: string): Promise<DuckdbWriter> {
  const { DuckDBInstance, version } = await import('@duckdb/node-api');
  const ndjson = join(dir, `${name}.ndjson`);
  writeFileSync(ndjson, records.map((record) => JSON.stringify(record)).join('\n'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE t AS SELECT * FROM read_json_auto('${ndjson}', sample_size = -1, maximum_object_size = 104857600)`);
  return {
    version: version(),
    async copy(file, codec, rowGroupSize) {
      await connection.run(`COPY t TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${rowGroupSize})`);
    },
    async read(file) {
      await connection.run(`CREATE OR REPLACE TABLE r AS SELECT * FROM read_parquet('${file}')`);
      const rows = (await connection.runAndReadAll('SELECT count(*) FROM r')).getRows();
      await connection.run('DROP TABLE r');
      return Number(rows[0][0]);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
