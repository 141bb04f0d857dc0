// Sparse columns (assembly/sparse.ts) through the ABI: turning sparse and dense by density as rows
// arrive, the index's ranks, truncation, and the maps between rows and stored rows that queries use.
import { describe, expect, it } from 'vitest';
import { ColumnType, Descriptor, FeedResult, NodeField, ParseFormat, Status } from '../assembly/abi';
import { codeAt, descriptor, feed, field, instance, intAt, internText, nodeFields, setBits, textValueAt, writeBits } from './harness';
import { wtf8Encode } from '@memstore/testkit/wtf8';
import type { Wasm } from './harness';

/** A row of a column as a model: a value, null, or missing. */
type Row = number | null | undefined;

/** Appends `rows` to an int column: lazily missing runs as the parser writes them. */
function appendRows(wasm: Wasm, column: number, rows: readonly Row[]): void {
  let missing = 0;
  for (const row of rows) {
    if (row === undefined) {
      missing++;
      continue;
    }
    expect(wasm.appendMissingRun(column, missing)).toBe(Status.Ok);
    missing = 0;
    expect(row === null ? wasm.appendNull(column) : wasm.appendInt(column, row)).toBe(Status.Ok);
  }
  expect(wasm.appendMissingRun(column, missing)).toBe(Status.Ok);
}

const isSparse = (wasm: Wasm, column: number) => field(wasm, column, Descriptor.Sparse) !== 0;
const rowsOf = (wasm: Wasm, column: number) => (isSparse(wasm, column) ? field(wasm, column, Descriptor.Rows) : descriptor(wasm, column).length);

/** Every row read back through the ranks: the model's value, null or missing. */
function readBack(wasm: Wasm, column: number): Row[] {
  const d = descriptor(wasm, column);
  const nulls = d.nulls === 0 ? null : new Uint8Array(wasm.memory.buffer, d.nulls, (d.capacity + 7) >>> 3);
  const rows: Row[] = [];
  for (let row = 0; row < rowsOf(wasm, column); row++) {
    const at = wasm.sparseRank(column, row);
    const missingBit = d.missing !== 0 && ((new Uint8Array(wasm.memory.buffer, d.missing, (d.capacity + 7) >>> 3)[row >>> 3] >>> (row & 7)) & 1) === 1;
    if (at < 0 || missingBit) rows.push(undefined);
    else if (nulls !== null && ((nulls[at >>> 3] >>> (at & 7)) & 1) === 1) rows.push(null);
    else rows.push(intAt(wasm, column, at));
  }
  return rows;
}

/** `count` rows, each present with probability `density` (a fixed pattern), some null. */
function pattern(count: number, every: number, offset = 0): Row[] {
  return Array.from({ length: count }, (_, i) => ((i + offset) % every === 0 ? ((i + offset) % (every * 7) === 0 ? null : i * 3 - 1000) : undefined));
}

describe('sparse columns', () => {
  it('turn sparse when at most half of 2,048 rows or more is stored, keeping every value', () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.Int, 16, 0, 0, 0);
    const rows = pattern(10_000, 10);
    appendRows(wasm, column, rows);
    expect(isSparse(wasm, column)).toBe(true);
    expect(descriptor(wasm, column).length).toBe(1000); // stored rows only
    expect(descriptor(wasm, column).missing).toBe(0);
    expect(field(wasm, column, Descriptor.Rows)).toBe(10_000);
    expect(readBack(wasm, column)).toEqual(rows);
    // The stored rows and an index of 12 bytes per 64 rows, not 10,000 slots.
    expect(wasm.columnBytes(column)).toBeLessThan(1000 * 1.5 * 2 + 2000 + 400);
  });

  it('stay dense below 2,048 rows and when more than half is stored', () => {
    const wasm = instance();
    const small = wasm.columnCreate(ColumnType.Int, 16, 0, 0, 0);
    appendRows(wasm, small, pattern(2000, 10));
    expect(isSparse(wasm, small)).toBe(false);
    const most = wasm.columnCreate(ColumnType.Int, 16, 0, 0, 0);
    appendRows(wasm, most, Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? undefined : i)));
    expect(isSparse(wasm, most)).toBe(false);
    const bools = wasm.columnCreate(ColumnType.Bool, 16, 0, 0, 0);
    for (let i = 0; i < 10_000; i++) expect(i % 10 === 0 ? wasm.appendBool(bools, 1) : wasm.appendMissing(bools)).toBe(Status.Ok);
    expect(isSparse(wasm, bools)).toBe(false); // a bit a row: nothing to save
  });

  it('turn dense again when more than 3/4 of the rows come to be stored', () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.Int, 16, 0, 0, 0);
    const rows = [...pattern(8000, 20), ...Array.from({ length: 40_000 }, (_, i) => i)];
    appendRows(wasm, column, rows.slice(0, 8000));
    expect(isSparse(wasm, column)).toBe(true);
    appendRows(wasm, column, rows.slice(8000));
    expect(isSparse(wasm, column)).toBe(false);
    expect(descriptor(wasm, column).length).toBe(48_000);
    expect(readBack(wasm, column)).toEqual(rows);
  });

  it('cut back by an undone append: ranks, nulls and later appends stay right', () => {
    const wasm = instance();
    const lines = (rows: readonly Row[]) => new TextEncoder().encode(rows.map((a) => (a === undefined ? '{"b":1}' : JSON.stringify({ a, b: 1 }))).join('\n'));
    const parse = (rows: readonly Row[]) => {
      expect(wasm.parseBegin(ParseFormat.Ndjson, 0, 0)).toBeTruthy();
      return feed(wasm, lines(rows), true);
    };
    const kept = pattern(6016, 9);
    expect(parse(kept)).toBe(FeedResult.Done);
    const column = wasm.nodeField(nodeFields(wasm, wasm.schemaRoot())[0], NodeField.Column);
    expect(isSparse(wasm, column)).toBe(true);
    // Undone at a 64-row group's start (6,016 rows kept), then inside one (6,056).
    for (const [undone, extra] of [[pattern(3000, 4), pattern(40, 3)], [pattern(5000, 50), []]] as const) {
      wasm.transactionBegin();
      expect(parse(undone)).toBe(FeedResult.Done);
      wasm.transactionEnd(0, kept.length);
      expect(readBack(wasm, column)).toEqual(kept);
      if (extra.length > 0) {
        expect(parse(extra)).toBe(FeedResult.Done);
        kept.push(...extra);
      }
    }
    const more = pattern(4000, 11, 5);
    expect(parse(more)).toBe(FeedResult.Done);
    expect(readBack(wasm, column)).toEqual([...kept, ...more]);
  });

  it('map rows to stored rows and back: a scan of stored rows spread over rows, a selection gathered', () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.Int, 16, 0, 0, 0);
    const rows = pattern(9000, 6, 3);
    appendRows(wasm, column, rows);
    expect(isSparse(wasm, column)).toBe(true);
    const stored = rows.flatMap((row, i) => (row === undefined ? [] : [i]));
    stored.forEach((row, at) => {
      expect(wasm.sparseRank(column, row)).toBe(at);
      expect(wasm.sparseRowOf(column, at)).toBe(row);
    });
    const out = wasm.scratch(4096) >>> 0;
    // Ranges that start and end anywhere (list elements' do): bit k of the stored scan is stored row first + k.
    for (const [start, end] of [[0, 9000], [64, 4096], [100, 101], [5, 3333], [8999, 9000]]) {
      const first = start === 0 ? 0 : wasm.sparseRank(column, stored.find((row) => row >= start) ?? 9000);
      const inRange = stored.filter((row) => row >= start && row < end);
      const scanned = inRange.map((_, k) => k % 3 !== 0); // any pattern over the stored rows
      writeBits(wasm, out, scanned);
      wasm.sparseExpand(column, start, end, first < 0 ? stored.length : first, out);
      expect(setBits(wasm, out, end - start)).toEqual(inRange.filter((_, k) => scanned[k]).map((row) => row - start));
      const selection = Array.from({ length: end - start }, (_, i) => (i * 7) % 5 !== 0);
      writeBits(wasm, out, selection);
      wasm.sparseCompress(column, start, end, out);
      expect(setBits(wasm, out, inRange.length)).toEqual(inRange.flatMap((row, k) => (selection[row - start] ? [k] : [])));
    }
    // Presence scans answer for rows: missing ones, and the nulls among the stored.
    wasm.scanPresence(column, 1, 0, 9000, out);
    expect(setBits(wasm, out, 9000)).toEqual(rows.flatMap((row, i) => (row === undefined ? [i] : [])));
    wasm.scanPresence(column, 0, 0, 9000, out);
    expect(setBits(wasm, out, 9000)).toEqual(rows.flatMap((row, i) => (row === null ? [i] : [])));
  });

  it('hold dictionary strings and text the same way', () => {
    const wasm = instance();
    const codes = wasm.columnCreate(ColumnType.String, 16, 0, 0, 0);
    const text = wasm.columnCreate(ColumnType.Text, 16, 0, 0, 0);
    const names = ['a', 'bb', 'ccc'].map((name) => internText(wasm, name));
    for (let i = 0; i < 8000; i++) {
      if (i % 8 !== 0) {
        expect(wasm.appendMissing(codes)).toBe(Status.Ok);
        expect(wasm.appendMissing(text)).toBe(Status.Ok);
        continue;
      }
      expect(wasm.appendString(codes, names[i % 3])).toBe(Status.Ok);
      const bytes = wtf8Encode(`row ${i} \u{1F600}`);
      const pointer = wasm.scratch(bytes.length) >>> 0;
      new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
      expect(wasm.appendText(text, pointer, bytes.length)).toBe(Status.Ok);
    }
    expect([isSparse(wasm, codes), isSparse(wasm, text)]).toEqual([true, true]);
    for (let i = 0; i < 8000; i += 8) {
      expect(codeAt(wasm, codes, wasm.sparseRank(codes, i))).toBe([0, 2, 1][i % 3]); // codes by first appearance: names 0, 2, 1
      expect(textValueAt(wasm, text, wasm.sparseRank(text, i))).toBe(`row ${i} \u{1F600}`);
    }
    expect(wasm.sparseRank(text, 1)).toBe(-1);
  });
});

describe('sparse lists', () => {
  it('keep the offsets of their stored rows; reduceAny and expandToElements answer for rows', () => {
    const wasm = instance();
    const list = wasm.columnCreate(ColumnType.List, 16, 0, 0, 0);
    // Row i holds (i % 3) + 1 elements when i % 10 === 0, else it is missing.
    const lengths = Array.from({ length: 6000 }, (_, i) => (i % 10 === 0 ? (i % 3) + 1 : -1));
    for (const length of lengths) expect(length < 0 ? wasm.appendMissing(list) : wasm.appendList(list, length)).toBe(Status.Ok);
    expect(isSparse(wasm, list)).toBe(true);
    const offsets = new Uint32Array(wasm.memory.buffer, descriptor(wasm, list).data, descriptor(wasm, list).length + 1);
    const starts: number[] = [];
    let total = 0;
    for (const length of lengths) {
      starts.push(total);
      total += Math.max(0, length);
    }
    lengths.forEach((length, row) => {
      const at = wasm.sparseRank(list, row);
      if (length < 0) expect(at).toBe(-1);
      else expect([offsets[at], offsets[at + 1]]).toEqual([starts[row], starts[row] + length]);
    });
    // One scratch buffer: element bits in its first half, row bits in its second.
    const elements = wasm.scratch(8192) >>> 0;
    const rowsOut = elements + 4096;
    for (const [start, end] of [[0, 6000], [64, 4096], [5, 3333]]) {
      const first = starts[start];
      const count = (end === 6000 ? total : starts[end]) - first;
      const marked = Array.from({ length: count }, (_, e) => (first + e) % 7 === 0);
      writeBits(wasm, elements, marked);
      wasm.reduceAny(list, start, end, elements, rowsOut);
      const expected = lengths.slice(start, end).flatMap((length, i) => (length > 0 && marked.slice(starts[start + i] - first, starts[start + i] - first + length).some(Boolean) ? [i] : []));
      expect(setBits(wasm, rowsOut, end - start)).toEqual(expected);
      const selected = Array.from({ length: end - start }, (_, i) => (start + i) % 20 === 0);
      writeBits(wasm, rowsOut, selected);
      wasm.expandToElements(list, start, end, rowsOut, elements);
      const elementsOf = lengths.slice(start, end).flatMap((length, i) => (length > 0 && selected[i] ? Array.from({ length }, (_, k) => starts[start + i] - first + k) : []));
      expect(setBits(wasm, elements, count)).toEqual(elementsOf);
    }
  });
});
