// `memstore query <file> --where '…'`: the filter grammar (filter/parse.ts) over the query API.
// What it prints, to stdout: the matching records (NDJSON by default, `--json` an array), or with
// `--select` only those paths of each; `--count` the number of matches; `--sum` the sum of a path
// over them; `--group-by` the matches counted (or, with --sum, summed) per distinct value.
import { exactStringify, type Selection, type Store } from '@memstore/core';
import { compileFilter } from '../filter/compile';
import { FilterSyntaxError, parseFilter } from '../filter/parse';
import { openStore } from '../open';
import { UsageError } from '../text/errors';
import type { Progress } from '../text/progress';
import { plainRecord } from './head';
import { positiveInt } from './measure';

export interface QueryOptions {
  pointer?: string;
  where?: string;
  count?: boolean;
  limit?: string;
  select?: string;
  groupBy?: string;
  sum?: string;
  json?: boolean;
  ndjson?: boolean;
}

export async function queryCommand(file: string, options: QueryOptions, progress: Progress, out: (text: string) => void): Promise<void> {
  if (options.json && options.ndjson) throw new UsageError('--json and --ndjson: choose one');
  if (options.count && options.limit !== undefined) throw new UsageError('--count and --limit: choose one');
  const limit = options.limit === undefined ? Infinity : positiveInt(options.limit, '--limit');
  // The expression is read before the file: a typo costs no load.
  const filter = options.where === undefined ? null : parseWhere(options.where);
  const store = await openStore(file, { pointer: options.pointer, progress });
  try {
    const selection = filter === null ? null : whereError(options.where!, () => compileFilter(store, filter));
    const asJson = options.json === true;
    if (options.groupBy !== undefined) return out(groups(store, selection, options.groupBy, options.sum, asJson));
    if (options.sum !== undefined) return out(`${asJson ? JSON.stringify({ sum: sumOf(store, selection, options.sum) }) : sumOf(store, selection, options.sum)}\n`);
    if (options.count) return out(`${asJson ? JSON.stringify({ count: countOf(store, selection) }) : countOf(store, selection)}\n`);
    const rows = selection === null ? null : selection.indices();
    const total = Math.min(limit, rows === null ? store.length : rows.length);
    const paths = options.select?.split(',').map((path) => path.trim()).filter((path) => path !== '');
    const recordOf = (row: number): unknown => {
      const record = plainRecord(store.at(row));
      if (paths === undefined) return record;
      const picked: Record<string, unknown> = {};
      // A path the record lacks is left out, as JSON leaves out an undefined value.
      for (const path of paths) {
        const value = plainRecord(store.get(row, path));
        if (value !== undefined) picked[path] = value;
      }
      return picked;
    };
    if (asJson) out('[');
    for (let i = 0; i < total; i++) {
      const row = rows === null ? i : rows[i];
      const text = exactStringify(recordOf(row));
      out(asJson ? `${i === 0 ? '' : ','}\n${text}` : `${text}\n`);
    }
    if (asJson) out(total === 0 ? ']\n' : '\n]\n');
  } finally {
    store.dispose();
  }
}

function parseWhere(source: string) {
  return whereError(source, () => parseFilter(source));
}

/** A mistake in --where as one line: the column, the message, and the expression marked there. */
function whereError<R>(source: string, run: () => R): R {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    const marked = `${source.slice(0, error.column - 1)}⟨here⟩${source.slice(error.column - 1)}`;
    throw new UsageError(`--where, column ${error.column}: ${error.message} (in: ${marked})`);
  }
}

function countOf(store: Store, selection: Selection | null): number {
  return selection === null ? store.length : selection.count();
}

function sumOf(store: Store, selection: Selection | null, path: string): number {
  return selection === null ? store.sum(path) : selection.sum(path);
}

function groups(store: Store, selection: Selection | null, groupBy: string, sum: string | undefined, asJson: boolean): string {
  const paths = groupBy.split(',').map((path) => path.trim()).filter((path) => path !== '');
  const grouping = (selection ?? store).groupBy(...paths);
  const result: Map<unknown, number> = sum === undefined ? grouping.count() : grouping.sum(sum);
  const entries = [...result].sort((a, b) => b[1] - a[1]);
  if (asJson) return `${JSON.stringify(entries.map(([key, value]) => ({ key: plainRecord(key), [sum === undefined ? 'count' : 'sum']: value })), null, 2)}\n`;
  return entries.map(([key, value]) => `${exactStringify(plainRecord(key) ?? null)}\t${value}\n`).join('');
}
