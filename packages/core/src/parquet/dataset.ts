// writeDataset (Node): partitions of a table as a Hive-partitioned folder of Parquet files —
// `dir/product.name=Duper/part-0.parquet` — that DuckDB (`read_parquet('dir/**/*.parquet',
// hive_partitioning = true)`), Spark, Polars, BigQuery and Trino read as one table. Keys and
// values are escaped as Hive and Spark escape path names (ExternalCatalogUtils.escapePathName:
// %XX for control characters and "#%'*/:=?\{[]^ and DEL); null and '' name the
// __HIVE_DEFAULT_PARTITION__ folder, as Spark writes them. The caller chooses the rows and the
// columns of each partition (whether a partition column stays in its files too).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { argumentError } from '../util/argumentError';
import { type TableSource, writeParquetFile } from './fileWriter';
import type { ParquetWriteOptions } from './options';

export type PartitionValue = string | number | boolean | bigint | null;

export interface DatasetPartition {
  /** The partition's key paths and values, outermost folder first: [['product.name', 'Duper']]. */
  keys: ReadonlyArray<readonly [path: string, value: PartitionValue]>;
  /** Its rows: a Table, or Tables streamed one after the other into one file. */
  rows: TableSource;
}

export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** Writes each partition to its folder under `dir` (part-0, part-1… where partitions share one); returns the files' paths. */
export async function writeDataset(dir: string, partitions: Iterable<DatasetPartition> | AsyncIterable<DatasetPartition>, options?: ParquetWriteOptions): Promise<string[]> {
  const parts = new Map<string, number>();
  const written: string[] = [];
  for await (const partition of partitions) {
    if (!Array.isArray(partition?.keys)) throw argumentError('partitions[].keys', 'an array of [path, value] pairs', partition?.keys, 'writeDataset');
    const folder = join(dir, ...partition.keys.map(([path, value]) => `${escapePathName(path)}=${partitionName(value)}`));
    const part = parts.get(folder) ?? 0;
    parts.set(folder, part + 1);
    await mkdir(folder, { recursive: true });
    const file = join(folder, `part-${part}.parquet`);
    await writeParquetFile(file, partition.rows, options);
    written.push(file);
  }
  return written;
}

/** A partition value's folder name: escaped text, or the default partition for null and ''. */
export function partitionName(value: PartitionValue): string {
  if (value === null || value === '') return HIVE_DEFAULT_PARTITION;
  if (typeof value === 'string') return escapePathName(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return escapePathName(String(value));
  throw argumentError('partitions[].keys[][1]', 'a string, number, boolean, bigint or null', value, 'writeDataset');
}

const ESCAPED = new Set(['"', '#', '%', "'", '*', '/', ':', '=', '?', '\\', '\x7f', '{', '[', ']', '^']);

/** Hive's escapePathName: the characters a path or a `key=value` split would misread, as %XX (upper-case hex of the UTF-16 unit). */
export function escapePathName(text: string): string {
  let escaped = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    escaped += code < 0x20 || ESCAPED.has(char) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : char;
  }
  return escaped;
}
