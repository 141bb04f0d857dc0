// Shared by the ingest tests (not a test file: vitest collects *.test.ts only).
import { assert, expect } from 'vitest';
import { MemstoreParseError, type Store } from '../../src/node';
import { caught } from '../helpers';

export { caught };

const encoder = new TextEncoder();

/** UTF-8 bytes of well-formed text (lone surrogates must be escaped in it). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** What the store must hold for JSON text: an array's elements, or the value as one record. */
export function expectedRecords(text: string): unknown[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** `bytes` cut at the given offsets (sorted, deduplicated, any values in [0, length]). */
export function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => Math.max(0, Math.min(bytes.length, cut))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.slice(start, point)); // empty chunks too: a stream may yield them
    start = point;
  }
  chunks.push(bytes.slice(start));
  return chunks;
}

/** `bytes` one byte at a time. */
export function bytewise(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (byte) => Uint8Array.of(byte));
}

/** An async iterable over chunks (what a Node Readable looks like to the loader). */
export async function* asyncChunks<C extends Uint8Array | string>(chunks: readonly C[]): AsyncIterable<C> {
  for (const chunk of chunks) {
    await Promise.resolve();
    yield chunk;
  }
}


/** The parse error `fn` throws; fails the test on anything else. */
export async function parseError(fn: () => unknown): Promise<MemstoreParseError> {
  const error = await caught(fn);
  if (!(error instanceof MemstoreParseError)) {
    assert.fail(`expected MemstoreParseError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  return error;
}

/**
 * Where byte `offset` of the UTF-8 encoding of `text` is: 1-based line, and 1-based column in
 * characters (code points) — the reference the parser's positions are checked against.
 */
export function positionAt(text: string, offset: number): { offset: number; line: number; column: number } {
  const bytes = utf8(text);
  assert.isAtMost(offset, bytes.length);
  const before = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, offset)); // a BOM is a character here
  assert.strictEqual(utf8(before).length, offset, 'the offset is on a character boundary');
  const lines = before.split('\n');
  return { offset, line: lines.length, column: [...lines[lines.length - 1]].length + 1 };
}

/** Byte offset in UTF-8 of UTF-16 index `index` of `text`. */
export function byteOffset(text: string, index: number): number {
  return utf8(text.slice(0, index)).length;
}

export function expectPosition(error: MemstoreParseError, expected: { offset: number; line: number; column: number }): void {
  expect({ offset: error.offset, line: error.line, column: error.column }).toEqual(expected);
}

/** Loads, checks the records against `expected` exactly, disposes. */
export async function expectLoads(load: Promise<Store>, expected: unknown[]): Promise<void> {
  const store = await load;
  try {
    assert.deepStrictEqual(store.toArray(), expected);
  } finally {
    store.dispose();
  }
}

/** Runs `fn` with the store and disposes it afterwards, pass or fail. */
export async function withStore<R>(load: Store | Promise<Store>, fn: (store: Store) => R | Promise<R>): Promise<R> {
  const store = await load;
  try {
    return await fn(store);
  } finally {
    store.dispose();
  }
}

/** Rejects after `ms` so a hanging case fails instead of stalling the run. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (a hang?)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
