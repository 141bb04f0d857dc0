// A store's records split by the values of its partition paths (store.writeDataset): one
// partition per distinct combination (groupBy's keys: deep equality, null standing for null and
// missing alike), each with the rows that hold it, in store order. Partition values are scalars,
// as folder names are: a path that reaches a struct, a list or a map is refused.
import type { Path } from '../path';
import { printPath, parsePath } from '../path';
import { argumentError } from '../util/argumentError';
import { MemstoreInputError } from '../errors';
import type { DatasetPartition, PartitionValue } from './dataset';
import type { TableSource } from './fileWriter';
import type { Node } from '../schema/node';

/** What partitions() needs of a store: its distinct key combinations and the rows of one. */
export interface Partitionable {
  groupBy(...paths: Path[]): { count(): Map<unknown, number> };
  where(path: Path): RowFilter;
}
interface RowFilter {
  eq(value: unknown): RowSet;
  in(values: unknown[]): RowSet;
}
interface RowSet {
  and(path: Path): RowFilter;
  indices(): Uint32Array;
}

export interface Partition {
  /** Each partition path, printed, with this partition's value at it. */
  readonly keys: ReadonlyArray<readonly [path: string, value: PartitionValue]>;
  readonly rows: Uint32Array;
}

/** `partitionBy` checked: a non-empty array of paths. */
export function partitionPaths(partitionBy: unknown): Path[] {
  if (!Array.isArray(partitionBy) || partitionBy.length === 0) {
    throw argumentError('options.partitionBy', "a non-empty array of paths (['product.name'])", partitionBy, 'store.writeDataset');
  }
  return partitionBy as Path[];
}

/** The partitions of `store` by `paths`, in the order groupBy first meets their combinations. */
export function partitions(store: Partitionable, paths: readonly Path[]): Partition[] {
  const printed = paths.map((path) => printPath(parsePath(path)));
  const combinations = [...store.groupBy(...paths).count().keys()].map((key) => (paths.length === 1 ? [key] : (key as unknown[])));
  return combinations.map((values) => {
    let rows: RowSet | null = null;
    values.forEach((value, i) => {
      if (value !== null && typeof value === 'object') {
        throw new MemstoreInputError(`options.partitionBy: "${printed[i]}" holds objects or lists; a partition folder is named by a string, number or boolean.`, 'options.partitionBy');
      }
      const filter = rows === null ? store.where(paths[i]) : rows.and(paths[i]);
      // groupBy keeps null and missing as one key (null): the folder of both is the default partition.
      rows = value === null ? filter.in([null, undefined]) : filter.eq(value);
    });
    return { keys: printed.map((path, i) => [path, values[i] as PartitionValue] as const), rows: (rows as RowSet | null)?.indices() ?? new Uint32Array(0) };
  });
}

/**
 * The partitions' records one after another: stored as a store of their own, each partition is
 * then a row range of one Arrow schema, so every file of the folder has the same columns.
 */
export function recordsByPartition(root: Node, parts: readonly Partition[]): unknown[] {
  const records: unknown[] = [];
  for (const part of parts) for (const row of part.rows) records.push(root.plain(row));
  return records;
}

/** Each partition as its row range of `tables` (over the records in recordsByPartition's order). */
export function datasetPartitions(parts: readonly Partition[], tables: (start: number, end: number) => TableSource): DatasetPartition[] {
  let start = 0;
  return parts.map((part) => {
    const from = start;
    start += part.rows.length;
    return { keys: part.keys, rows: tables(from, start) };
  });
}
