// The DuckDB side of the query benchmark: the same cargo records in an in-memory table (loaded
// once from an NDJSON temp file, not timed), and the SQL variants and answers of an operation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCargoFile } from '../measure/cargoFile';
import type { Operation, Variant } from './operation';

export interface Duck {
  version: string;
  threads: number;
  loadMs: number;
  rows: (sql: string) => Promise<unknown[][]>;
  close: () => void;
}

export async function openDuck(count: number, seed: number): Promise<Duck> {
  const { DuckDBInstance, version } = await import('@duckdb/node-api');
  const dir = mkdtempSync(join(tmpdir(), 'memstore-bench-query-'));
  try {
    const file = writeCargoFile(join(dir, 'cargo.ndjson'), { format: 'ndjson', count, seed });
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const started = performance.now();
    await connection.run(`CREATE TABLE t AS SELECT * FROM read_json_auto('${file.path.replace(/'/g, "''")}', format = 'newline_delimited')`);
    const loadMs = performance.now() - started;
    const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRows() as unknown[][];
    const threads = Number((await rows("SELECT current_setting('threads')"))[0][0]);
    return {
      version: version(),
      threads,
      loadMs,
      rows,
      close: () => {
        connection.closeSync();
        instance.closeSync();
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function duckVariant(duck: Duck | null, sql: string): Variant[] {
  return duck === null ? [] : [{ impl: 'duckdb', code: sql, run: () => duck.rows(sql).then((rows) => rows.length) }];
}

export function duckAnswer(duck: Duck | null, sql: string, normalise: (rows: unknown[][]) => unknown): Operation['answers'] {
  return duck === null ? [] : [{ impl: 'duckdb', answer: async () => normalise(await duck.rows(sql)) }];
}
