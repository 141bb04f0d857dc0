// FSST text columns through the ABI (assembly/fsst.ts): a text column past Limit.FsstFrom
// compressed by schemaCompressText, every row decoding to its string; equality and first-match
// searches on the codes against a JS reference; ranges left to the facade (WrongType); rows
// appended after compression spelled as the compression spelled them (the append's scan of the
// table, its index past 16 KiB of a column, the parser's rows encoded a column at a time when it
// settles, and the compression's index agree), so group ids stay one per string; and the .msx check
// of a column and of a table that is not one the module makes.
import { describe, expect, it } from 'vitest';
import { ArenaStat, ColumnType, Descriptor, FeedResult, FsstTable, GroupResult, Limit, MsxCheck, NodeKind, ParseFormat, Sentinel, Status, TextTest } from '../assembly/abi';
import { prng as createPrng } from '@memstore/testkit/prng';
import { wtf8Encode } from '@memstore/testkit/wtf8';
import { descriptor, feed, field, instance, nodeFields, presenceAt, setBits, textValueAt, type Wasm } from './harness';
import { column, decode, load, rows } from './parsed';

function scratchBytes(wasm: Wasm, bytes: Uint8Array): number {
  const pointer = wasm.scratch(Math.max(1, bytes.length)) >>> 0;
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  return pointer;
}

function append(wasm: Wasm, column: number, value: string | null | undefined): void {
  if (value === null) expect(wasm.appendNull(column)).toBe(Status.Ok);
  else if (value === undefined) expect(wasm.appendMissing(column)).toBe(Status.Ok);
  else {
    const bytes = wtf8Encode(value);
    expect(wasm.appendText(column, scratchBytes(wasm, bytes), bytes.length)).toBe(Status.Ok);
  }
}

function valueAt(wasm: Wasm, column: number, row: number): string | null | undefined {
  const presence = presenceAt(wasm, column, row);
  return presence === 'present' ? textValueAt(wasm, column, row) : presence === 'null' ? null : undefined;
}

/** A compressed row's codes as the column holds them. */
function rowCodes(wasm: Wasm, column: number, row: number): number[] {
  const d = descriptor(wasm, column);
  const offsets = new Uint32Array(wasm.memory.buffer, d.data, d.length + 1);
  const heap = field(wasm, column, Descriptor.Heap);
  return Array.from(new Uint8Array(wasm.memory.buffer, heap + offsets[row], offsets[row + 1] - offsets[row]));
}

/** Feed-like strings: urls, hex ids, timestamps, words, other scripts, lone surrogates, empty. */
function feedString(random: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const hex = () => Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
  const words = ['fix', 'the', 'parser', 'crash', 'on', 'empty', 'input', 'héllo', 'wörld', '日本語', '\u{1f600}', 'naïve', 'café'];
  switch (Math.floor(random() * 6)) {
    case 0: return `https://api.github.com/repos/${pick(['octo', 'acme', 'memstore'])}${Math.floor(random() * 500)}/issues/${Math.floor(random() * 9000)}/comments`;
    case 1: return hex();
    case 2: return `2026-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}T${String(Math.floor(random() * 24)).padStart(2, '0')}:17:0${Math.floor(random() * 10)}Z`;
    case 3: return Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(words)).join(' ');
    case 4: return pick(['', '\ud800', 'a\udfffb', '\u{10ffff}x', '12345678', '1234567', '123456789']);
    default: return `${pick(words)}-${Math.floor(random() * 1e9)}`;
  }
}

/** NDJSON of `{"t": string}` records. */
function lines(values: string[]): string {
  return values.map((value) => JSON.stringify({ t: value })).join('\n');
}

/** 2,500 feed strings parsed as `{"t": …}` records, their column compressed. */
function parsedCompressed(wasm: Wasm, seed: number): { strings: string[]; root: number; text: number } {
  const random = createPrng(seed);
  const strings = Array.from({ length: 2500 }, () => feedString(random));
  expect(load(wasm, lines(strings), ParseFormat.Ndjson)).toBe(FeedResult.Done);
  wasm.finishIngest();
  const root = wasm.schemaRoot();
  const text = column(wasm, nodeFields(wasm, root)[0]);
  expect(wasm.schemaCompressText(0)).toBe(1);
  expect(field(wasm, text, Descriptor.Dict)).not.toBe(0);
  return { strings, root, text };
}

/** A root text column of `count` rows (some null, some missing) past Limit.FsstFrom, compressed. */
function compressedColumn(wasm: Wasm, seed: number, count: number): { column: number; rows: (string | null | undefined)[] } {
  const random = createPrng(seed);
  const rows = Array.from({ length: count }, () => (random() < 0.05 ? null : random() < 0.05 ? undefined : feedString(random)));
  const column = wasm.columnCreate(ColumnType.Text, 4, 0, 0, 0);
  wasm.setRoot(wasm.nodeCreate(NodeKind.Scalar, column, Sentinel.NoKey, 0));
  for (const value of rows) append(wasm, column, value);
  return { column, rows };
}

describe('FSST text columns', () => {
  it('compress past Limit.FsstFrom into fewer bytes, every row decoding to its string, and are judged once until they double', () => {
    const wasm = instance();
    const { column, rows } = compressedColumn(wasm, 1, 3000);
    const raw = field(wasm, column, Descriptor.HeapLength);
    expect(raw).toBeGreaterThan(Limit.FsstFrom);
    expect(wasm.schemaCompressText(0)).toBe(1);
    expect(field(wasm, column, Descriptor.Dict)).not.toBe(0);
    expect(field(wasm, column, Descriptor.HeapLength)).toBeLessThan(raw * 0.8);
    expect(Array.from({ length: rows.length }, (_, row) => valueAt(wasm, column, row))).toEqual(rows);
    expect(wasm.schemaCompressText(0)).toBe(0); // compressed already
  });

  it('leaves a small column as it is', () => {
    const wasm = instance();
    const { column, rows } = compressedColumn(wasm, 2, 200);
    expect(field(wasm, column, Descriptor.HeapLength)).toBeLessThan(Limit.FsstFrom);
    expect(wasm.schemaCompressText(0)).toBe(0);
    expect(field(wasm, column, Descriptor.Dict)).toBe(0);
    expect(Array.from({ length: rows.length }, (_, row) => valueAt(wasm, column, row))).toEqual(rows);
  });

  it('answer equality and first matches on the codes as on the strings; ranges are the facade\'s (WrongType)', () => {
    const wasm = instance();
    const { column, rows } = compressedColumn(wasm, 3, 3000);
    expect(wasm.schemaCompressText(0)).toBe(1);
    const out = wasm.arenaAllocate(rows.length) >>> 0;
    const present = [...new Set(rows.filter((row): row is string => typeof row === 'string'))];
    const literals = [...present.slice(0, 300), ...present.slice(0, 40).map((text) => `${text}x`), ...present.slice(0, 40).map((text) => text.slice(0, -1)), 'never there', '', '\ud800'];
    // With room after the literal for its codes (compared as text compares bytes), and without (symbol by symbol).
    for (const room of [true, false]) {
      for (const literal of literals) {
        const bytes = wtf8Encode(literal);
        const key = scratchBytes(wasm, Uint8Array.from([...bytes, ...new Uint8Array(2 * bytes.length + 8)]));
        const [hi, hiLength] = room ? [key + bytes.length, 2 * bytes.length + 8] : [key, 0];
        expect(wasm.scanText(column, key, bytes.length, hi, hiLength, TextTest.Equal, 0, rows.length, out)).toBe(Status.Ok);
        wasm.maskPresent(column, 0, rows.length, out);
        const expected = rows.flatMap((value, row) => (value === literal ? [row] : []));
        expect(setBits(wasm, out, rows.length), `${literal} (room: ${room})`).toEqual(expected);
        expect(wasm.firstText(column, key, bytes.length, hi, hiLength, TextTest.Equal, 0, rows.length, out), literal).toBe(expected.length === 0 ? -1 : expected[0]);
      }
    }
    expect(wasm.scanText(column, 0, 0, 0, 0, TextTest.Low, 0, rows.length, out)).toBe(Status.WrongType);
    expect(wasm.firstText(column, 0, 0, 0, 0, TextTest.High, 0, rows.length, out)).toBe(-2 /* FirstResult.WrongType */);
    // Against another column (field()): also the facade's.
    expect(wasm.scanColumns(column, column, 2, 0, rows.length, out)).toBe(Status.WrongType);
  });

  it('spell an appended row as the compression spelled it, so equal strings keep one group id', () => {
    const wasm = instance();
    const { column, rows } = compressedColumn(wasm, 4, 2500);
    expect(wasm.schemaCompressText(0)).toBe(1);
    const codesOf = (row: number) => rowCodes(wasm, column, row);
    for (const value of rows) append(wasm, column, value);
    const all = [...rows, ...rows];
    expect(Array.from({ length: all.length }, (_, row) => valueAt(wasm, column, row))).toEqual(all);
    for (let row = 0; row < rows.length; row++) if (typeof rows[row] === 'string') expect(codesOf(rows.length + row), String(rows[row])).toEqual(codesOf(row));
    const ids = wasm.arenaAllocate(all.length * 4) >>> 0;
    const capacity = 16384;
    const table = wasm.arenaAllocate(capacity * 8) >>> 0;
    const state = wasm.arenaAllocate(8) >>> 0;
    const groups = wasm.groupIds(column, 0, all.length, ids, table, capacity, state);
    expect(groups).not.toBe(GroupResult.Overflow);
    const seen = new Map<string, number>();
    const expected = all.map((value) => {
      if (typeof value !== 'string') return 0xffffffff;
      if (!seen.has(value)) seen.set(value, seen.size);
      return seen.get(value)!;
    });
    expect(groups).toBe(seen.size);
    expect([...new Uint32Array(wasm.memory.buffer, ids, all.length)]).toEqual(expected);
  });

  it('encode an append by an index of the table once a column has taken 16 KiB in it, the same codes, given back when the append ends', () => {
    const wasm = instance();
    const { column, rows } = compressedColumn(wasm, 7, 2500);
    expect(wasm.schemaCompressText(0)).toBe(1);
    const codesOf = (row: number) => rowCodes(wasm, column, row);
    const held = () => wasm.arenaStat(ArenaStat.Top) - wasm.arenaStat(ArenaStat.FreeBytes);
    // A small append makes no index (one per column would grow a wide store's memory for one record).
    const before = held();
    append(wasm, column, rows.find((value) => typeof value === 'string'));
    expect(held() - before).toBeLessThan(FsstTable.IndexBytes);
    wasm.finishIngest();
    for (let pass = 1; pass <= 2; pass++) {
      for (const value of rows) append(wasm, column, value);
      const during = held();
      wasm.finishIngest();
      expect(during - held(), 'the index given back').toBeGreaterThanOrEqual(FsstTable.IndexBytes);
      const first = 1 + pass * rows.length;
      for (let row = 0; row < rows.length; row++) if (typeof rows[row] === 'string') expect(codesOf(first + row), String(rows[row])).toEqual(codesOf(row));
    }
    expect(Array.from({ length: 1 + 3 * rows.length }, (_, row) => valueAt(wasm, column, row))).toEqual([...rows, rows.find((value) => typeof value === 'string'), ...rows, ...rows]);
  });

  it("take the parser's rows as bytes and encode them a column at a time when it settles: the compression's codes, through chunks, skipped lines, repeated keys and an undone append", () => {
    const wasm = instance();
    const { strings, root, text } = parsedCompressed(wasm, 11);
    const expected: unknown[] = strings.map((t) => ({ t }));

    // An append in chunks (rows left as bytes across them), a malformed line skipped, a key given twice.
    const input = `${lines(strings.slice(0, 1200))}\n{"t": oops}\n{"t":"dropped","t":${JSON.stringify(strings[7])}}\n${lines(strings.slice(1200))}`;
    const bytes = new TextEncoder().encode(input);
    wasm.transactionBegin();
    expect(wasm.parseBegin(ParseFormat.Ndjson, 1, 0)).toBeTruthy();
    const cuts = [0, 1000, 50_000, 90_000, bytes.length];
    let skipped = 0;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const last = i + 2 === cuts.length;
      let result = feed(wasm, bytes.subarray(cuts[i], cuts[i + 1]), last);
      for (; result === FeedResult.RecordSkipped; result = wasm.parseFeed(0, last ? 1 : 0)) skipped++;
      expect(result).toBe(last ? FeedResult.Done : FeedResult.NeedInput);
    }
    expect(skipped).toBe(1);
    wasm.transactionEnd(1, 0);
    wasm.finishIngest();
    expected.push(...strings.slice(0, 1200).map((t) => ({ t })), { t: strings[7] }, ...strings.slice(1200).map((t) => ({ t })));
    expect(rows(wasm)).toBe(expected.length);
    expect(Array.from({ length: expected.length }, (_, row) => decode(wasm, root, row))).toEqual(expected);
    const codes = (row: number) => rowCodes(wasm, text, row);
    for (let row = 0; row < strings.length; row++) {
      const appended = row < 1200 ? strings.length + row : strings.length + row + 1;
      expect(codes(appended), strings[row]).toEqual(codes(row));
    }
    expect(codes(strings.length + 1200)).toEqual(codes(7));

    // An append that fails at its end is undone whole: its rows as bytes never become codes.
    const heapBefore = field(wasm, text, Descriptor.HeapLength);
    wasm.transactionBegin();
    expect(load(wasm, `${lines(strings)}\n{"t": oops}`, ParseFormat.Ndjson, [30_000])).toBe(FeedResult.Error);
    wasm.transactionEnd(0, expected.length);
    wasm.finishIngest();
    expect([rows(wasm), field(wasm, text, Descriptor.HeapLength)]).toEqual([expected.length, heapBefore]);
    wasm.transactionBegin();
    expect(load(wasm, lines(strings.slice(0, 10)), ParseFormat.Ndjson)).toBe(FeedResult.Done);
    wasm.transactionEnd(1, 0);
    wasm.finishIngest();
    for (let row = 0; row < 10; row++) expect(codes(expected.length + row)).toEqual(codes(row));
    expect(decode(wasm, root, expected.length + 9)).toEqual({ t: strings[9] });
  });

  it("keep a column's rows as bytes pending when a skipped line untypes another column that turned into text inside it", () => {
    const wasm = instance();
    const { strings, root, text } = parsedCompressed(wasm, 12);
    // The bad line's new list of 3,000 distinct strings turns text (text.ts) before the line fails: its undo untypes that column.
    const unique = JSON.stringify(Array.from({ length: 3000 }, (_, i) => `unique-${i}-${'u'.repeat(i % 7)}`));
    const input = `${lines(strings.slice(0, 500))}\n{"t":"x","u":${unique},"v":oops}\n${lines(strings.slice(500, 1000))}`;
    wasm.transactionBegin();
    expect(wasm.parseBegin(ParseFormat.Ndjson, 1, 0)).toBeTruthy();
    let result = feed(wasm, new TextEncoder().encode(input), true);
    let skipped = 0;
    for (; result === FeedResult.RecordSkipped; result = wasm.parseFeed(0, 1)) skipped++;
    expect([result, skipped]).toEqual([FeedResult.Done, 1]);
    wasm.transactionEnd(1, 0);
    wasm.finishIngest();
    const expected = [...strings, ...strings.slice(0, 1000)].map((t) => ({ t }));
    expect(Array.from({ length: expected.length }, (_, row) => decode(wasm, root, row))).toEqual(expected);
    for (let row = 0; row < 1000; row++) expect(rowCodes(wasm, text, strings.length + row), strings[row]).toEqual(rowCodes(wasm, text, row));
  });

  it('a loaded row spelled otherwise than the table spells it (a one-byte symbol as its escaped byte) decodes alike and is refused', () => {
    const wasm = instance();
    const { column } = compressedColumn(wasm, 5, 3000);
    expect(wasm.schemaCompressText(0)).toBe(1);
    expect(wasm.msxCheck(MsxCheck.Fsst, column, 0, 0)).toBe(-1);
    const table = field(wasm, column, Descriptor.Dict);
    const heap = field(wasm, column, Descriptor.Heap);
    const heapLength = field(wasm, column, Descriptor.HeapLength);
    const { data, length: rows } = descriptor(wasm, column);
    const u8 = () => new Uint8Array(wasm.memory.buffer);
    const offsets = () => new Uint32Array(wasm.memory.buffer, data, rows + 1);
    // The first code of a one-byte symbol, walking each row's codes.
    let row = -1;
    let at = -1;
    for (let r = 0; r < rows && at < 0; r++) {
      for (let p = offsets()[r]; p < offsets()[r + 1]; ) {
        const code = u8()[heap + p];
        if (code === FsstTable.Escape) p += 2;
        else if (u8()[table + FsstTable.Lengths + code] === 1) {
          [row, at] = [r, p];
          break;
        } else p += 1;
      }
    }
    expect(at).toBeGreaterThanOrEqual(0);
    const before = valueAt(wasm, column, row);
    const byte = u8()[table + FsstTable.Symbols + u8()[heap + at] * 8];
    // The heap again, one byte longer: the symbol's code replaced by the escape and its byte.
    const moved = wasm.arenaAllocate(heapLength + 1) >>> 0;
    const bytes = u8();
    bytes.copyWithin(moved, heap, heap + at);
    bytes[moved + at] = FsstTable.Escape;
    bytes[moved + at + 1] = byte;
    bytes.copyWithin(moved + at + 2, heap + at + 1, heap + heapLength);
    const words = new Uint32Array(wasm.memory.buffer);
    words[(column + Descriptor.Heap) >>> 2] = moved;
    words[(column + Descriptor.HeapLength) >>> 2] = heapLength + 1;
    words[(column + Descriptor.HeapCapacity) >>> 2] = heapLength + 1;
    const shifted = offsets();
    for (let r = row + 1; r <= rows; r++) shifted[r] += 1;
    expect(valueAt(wasm, column, row)).toBe(before);
    expect(wasm.msxCheck(MsxCheck.Fsst, column, 0, 0)).toBe(row);
  });

  it('a loaded column is checked (MsxCheck.Fsst): a code past the table, an escape without its byte, and tables the module would not make', () => {
    const wasm = instance();
    const { column, rows } = compressedColumn(wasm, 5, 3000);
    expect(wasm.schemaCompressText(0)).toBe(1);
    expect(wasm.msxCheck(MsxCheck.Fsst, column, 0, 0)).toBe(-1);
    const table = field(wasm, column, Descriptor.Dict);
    const memory = () => new Uint8Array(wasm.memory.buffer);
    const count = new Uint32Array(wasm.memory.buffer, table + FsstTable.Count, 1)[0];
    expect(count).toBeGreaterThan(0);
    const d = descriptor(wasm, column);
    const offsets = new Uint32Array(wasm.memory.buffer, d.data, d.length + 1);
    const heap = field(wasm, column, Descriptor.Heap);
    const row = rows.findIndex((value, i) => typeof value === 'string' && value.length > 4 && offsets[i + 1] - offsets[i] > 1 && memory()[heap + offsets[i]] !== FsstTable.Escape);
    // A code past the table's symbols.
    if (count < 255) {
      const held = memory()[heap + offsets[row]];
      memory()[heap + offsets[row]] = count;
      expect(wasm.msxCheck(MsxCheck.Fsst, column, 0, 0)).toBe(row);
      memory()[heap + offsets[row]] = held;
    }
    // A row whose last code is an escape that lacks its byte.
    const last = heap + offsets[row + 1] - 1;
    const kept = memory()[last];
    memory()[last] = FsstTable.Escape;
    const lastIsEscapedByte = memory()[last - 1] === FsstTable.Escape;
    if (!lastIsEscapedByte) expect(wasm.msxCheck(MsxCheck.Fsst, column, 0, 0)).toBe(row);
    memory()[last] = kept;
    expect(wasm.msxCheck(MsxCheck.Fsst, column, 0, 0)).toBe(-1);
    // Tables: a length of 9, two symbols out of order, a first-byte index that disagrees.
    const corrupt = (at: number, value: number) => {
      const held = memory()[table + at];
      memory()[table + at] = value;
      expect(wasm.msxCheck(MsxCheck.Fsst, column, 0, 0), `byte ${at} = ${value}`).toBe(-2);
      memory()[table + at] = held;
    };
    corrupt(FsstTable.Lengths, 9);
    corrupt(FsstTable.Lengths + count, 1);
    corrupt(FsstTable.Symbols + (count - 1) * 8, 0); // the last symbol's first byte moved before its neighbours'
    corrupt(FsstTable.FirstCount + memory()[table + FsstTable.Symbols], memory()[table + FsstTable.FirstCount + memory()[table + FsstTable.Symbols]] + 1);
    corrupt(FsstTable.Count + 1, 1); // 256 symbols or more
    expect(wasm.msxCheck(MsxCheck.Fsst, column, 0, 0)).toBe(-1);
  });
});
