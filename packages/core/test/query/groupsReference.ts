// The plain-JS reference for groupBy by value, composite keys, distinct, countDistinct and the
// orders orderBy promises (mixed values by kind, then value), written from the issue's contract
// over `store.toArray()`: deep equality through a key-sorted JSON text of its own.
import { getPath, keysOf } from './reference';

/** JSON text with object keys sorted at every level: equal exactly for deep-equal JSON values. */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${sortedJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A path as the tests give it: dotted, or an array of keys (keys holding dots). */
export type RefPath = string | readonly string[];

function keysOfPath(path: RefPath): readonly string[] {
  return typeof path === 'string' ? keysOf(path) : path;
}

/** The value at `path` of a record, null for null and missing (as group keys read it). */
export function keyAt(record: unknown, path: RefPath): unknown {
  return getPath(record, keysOfPath(path)) ?? null;
}

export interface RefGrouping {
  /** First-seen key per group: the value (one path) or the array of values (several). */
  keys: unknown[];
  rows: number[][];
}

/** Groups `rows` by deep equality of the value at one path, or of the values at several. */
export function refGrouping(records: readonly unknown[], paths: readonly RefPath[], rows?: readonly number[]): RefGrouping {
  const index = new Map<string, number>();
  const out: RefGrouping = { keys: [], rows: [] };
  for (const row of rows ?? records.map((_, i) => i)) {
    const parts = paths.map((path) => keyAt(records[row], path));
    const key = paths.length === 1 ? parts[0] : parts;
    const text = sortedJson(key);
    let group = index.get(text);
    if (group === undefined) {
      group = out.keys.length;
      index.set(text, group);
      out.keys.push(key);
      out.rows.push([]);
    }
    out.rows[group].push(row);
  }
  return out;
}

/** Distinct present values (deep equality) at `path` among `rows`. */
export function refCountDistinct(records: readonly unknown[], rows: readonly number[], path: RefPath): number {
  const seen = new Set<string>();
  for (const row of rows) {
    const value = getPath(records[row], keysOfPath(path));
    if (value !== null && value !== undefined) seen.add(sortedJson(value));
  }
  return seen.size;
}

/** Sum and mean of the numbers at `path` among `rows`, added in row order. */
export function refSum(records: readonly unknown[], rows: readonly number[], path: string): { sum: number; mean: number | undefined } {
  let sum = 0;
  let count = 0;
  for (const row of rows) {
    const value = getPath(records[row], keysOf(path));
    if (typeof value === 'number') {
      sum += value;
      count++;
    }
  }
  return { sum, mean: count === 0 ? undefined : sum / count };
}

/** The documented total order of JSON values: booleans < numbers < strings < lists < objects, then by value. */
export function compareJson(x: unknown, y: unknown): number {
  const rank = (value: unknown) => (typeof value === 'boolean' ? 0 : typeof value === 'number' ? 1 : typeof value === 'string' ? 2 : Array.isArray(value) ? 3 : 4);
  const kind = rank(x) - rank(y);
  if (kind !== 0) return kind;
  if (typeof x === 'boolean' || typeof x === 'number') return Number(x) - Number(y);
  const a = typeof x === 'string' ? x : sortedJson(x);
  const b = typeof y === 'string' ? y : sortedJson(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable sort of `rows` by the value at `path` in that order (descending: reversed), nulls and missing last. */
export function refOrderJson(records: readonly unknown[], path: RefPath, direction: 'asc' | 'desc', rows?: readonly number[]): number[] {
  const keys = keysOfPath(path);
  const all = [...(rows ?? records.map((_, i) => i))];
  const present = all.filter((row) => getPath(records[row], keys) != null);
  const absent = all.filter((row) => getPath(records[row], keys) == null);
  const sign = direction === 'asc' ? 1 : -1;
  present.sort((a, b) => sign * compareJson(getPath(records[a], keys), getPath(records[b], keys)));
  return [...present, ...absent];
}
