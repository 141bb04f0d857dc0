// Shared by the test files (not a test file itself: vitest collects *.test.ts only).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ColumnData, Path, Store } from '../src/index';

/** Absolute path of a file in the monorepo's examples/ directory. */
export function example(name: string): string {
  return fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url));
}

export function exampleText(name: string): string {
  return readFileSync(example(name), 'utf8');
}

/**
 * JSON text that JSON.parse turns back into exactly `value`: like JSON.stringify, but -0 is
 * written as "-0" (valid JSON, parsed back to -0) and ±Infinity as ±1e999 (parsed back to
 * ±Infinity). Lone surrogates come out escaped (JSON.stringify does that), so the text is
 * well-formed and TextEncoder keeps it intact.
 */
export function exactJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (value === Infinity || value === -Infinity) return value > 0 ? '1e999' : '-1e999';
    return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(exactJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object).map((key) => `${JSON.stringify(key)}:${exactJson(object[key])}`).join(',')}}`;
}

/** The records a top-level JSON value stands for: an array's elements, or the value alone. */
export function recordsOf(parsed: unknown): unknown[] {
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** Runs `fn` with the store and disposes it afterwards, pass or fail. */
export async function withStore<S extends Store<any>, R>(store: S | Promise<S>, fn: (store: S) => R | Promise<R>): Promise<R> {
  const resolved = await store;
  try {
    return await fn(resolved);
  } finally {
    resolved.dispose();
  }
}

/** A record view, list view or plain value as plain JSON (views through their toJSON). */
export function plainOf(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON(): unknown }).toJSON();
  }
  return value;
}

/** The error `fn` throws (sync or async); fails the test if it throws nothing. */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but nothing was thrown');
}

/** A record view of any store, typed loosely (Store<unknown> hands out `unknown`). */
export type AnyView = { get(path: Path): unknown; toJSON(): unknown; readonly [key: string]: any };

export function viewAt(store: Store<any>, index: number): AnyView {
  const view = store.at(index);
  if (view === null || typeof view !== 'object' || typeof (view as AnyView).get !== 'function') {
    throw new Error(`record ${index} is not a record view`);
  }
  return view as AnyView;
}


/** Row `row` of an int column as column() describes it: base + its delta (8-byte deltas added as BigInts). */
export function intAt(column: ColumnData, row: number): number {
  if (column.deltas === null) return column.base!;
  const delta = column.deltas[row];
  return typeof delta === 'bigint' ? Number(BigInt(column.base!) + delta) : column.base! + delta;
}
