// The text encoding through the ABI (assembly/text.ts): text columns' appends and truncation,
// a dictionary column turning into text as its rows keep bringing new strings (and staying a
// dictionary when they repeat), the parser writing text without interning, UTF-16 order over
// WTF-8 against JavaScript's `<`, text scans, first-match searches and group ids against a JS
// reference, and undo across a conversion.
import { describe, expect, it } from 'vitest';
import { ColumnType, Descriptor, FeedResult, GroupResult, NodeField, NodeKind, ParseFormat, Sentinel, Status, TextTest, StringTableField } from '../assembly/abi';
import { prng as createPrng } from '@memstore/testkit/prng';
import { descriptor, feed, field, instance, internText, presenceAt, setBits, stringValueAt, textValueAt, type Wasm } from './harness';
import { wtf8Encode } from '@memstore/testkit/wtf8';

/** Writes bytes into the scratch buffer; returns their address. */
function scratchBytes(wasm: Wasm, bytes: Uint8Array): number {
  const pointer = wasm.scratch(Math.max(1, bytes.length)) >>> 0;
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  return pointer;
}

function appendText(wasm: Wasm, column: number, text: string): number {
  const bytes = wtf8Encode(text);
  return wasm.appendText(column, scratchBytes(wasm, bytes), bytes.length);
}

function valueAt(wasm: Wasm, column: number, row: number): string | null | undefined {
  const presence = presenceAt(wasm, column, row);
  if (presence !== 'present') return presence === 'null' ? null : undefined;
  const type = descriptor(wasm, column).type;
  return type === ColumnType.Text ? textValueAt(wasm, column, row) : stringValueAt(wasm, column, row);
}

const values = (wasm: Wasm, column: number) => Array.from({ length: descriptor(wasm, column).length }, (_, row) => valueAt(wasm, column, row));

/** Strings with every kind of code point that orders differently in UTF-8 and UTF-16. */
function randomString(random: () => number): string {
  const pieces = ['a', 'b', 'z', '', 'é', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{1f600}', '\u{10ffff}', '\ud800', '\udbff', '\udc00', '\udfff', ' '];
  let text = '';
  const length = Math.floor(random() * 5);
  for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
  // A lone high surrogate followed by a lone low one would be a pair: JS strings may hold it, WTF-8 may not.
  return text.replace(/[\ud800-\udbff](?=[\udc00-\udfff])/g, 'x');
}

describe('text columns', () => {
  it('append strings, nulls and missing rows into their own offsets and heap, and truncate back', () => {
    const wasm = instance();
    const column = asRoot(wasm, wasm.columnCreate(ColumnType.Text, 2, 0, 0, 0));
    expect(descriptor(wasm, column)).toMatchObject({ type: ColumnType.Text, width: 4 });
    const strings = stringCount(wasm);
    expect(appendText(wasm, column, 'héllo')).toBe(Status.Ok);
    expect(wasm.appendNull(column)).toBe(Status.Ok);
    expect(appendText(wasm, column, '')).toBe(Status.Ok);
    expect(wasm.appendMissing(column)).toBe(Status.Ok);
    expect(wasm.appendMissingRun(column, 2)).toBe(Status.Ok);
    expect(appendText(wasm, column, '\ud800 lone \u{1f600}')).toBe(Status.Ok);
    expect(values(wasm, column)).toEqual(['héllo', null, '', undefined, undefined, undefined, '\ud800 lone \u{1f600}']);
    expect(stringCount(wasm)).toBe(strings); // nothing interned
    expect(field(wasm, column, Descriptor.HeapLength)).toBe(wtf8Encode('héllo').length + wtf8Encode('\ud800 lone \u{1f600}').length);
    // appendString on a text column takes a copy of the interned string's bytes
    expect(wasm.appendString(column, internText(wasm, 'copied'))).toBe(Status.Ok);
    expect(valueAt(wasm, column, 7)).toBe('copied');
    expect(wasm.appendInt(column, 1)).toBe(Status.WrongType);

    wasm.transactionBegin();
    expect(appendText(wasm, column, 'undone')).toBe(Status.Ok);
    wasm.transactionEnd(0, 8);
    expect(values(wasm, column)).toEqual(['héllo', null, '', undefined, undefined, undefined, '\ud800 lone \u{1f600}', 'copied']);
    expect(field(wasm, column, Descriptor.HeapLength)).toBe(wtf8Encode('héllo').length + wtf8Encode('\ud800 lone \u{1f600}').length + 6);
  });

  it('a dictionary column whose rows keep bringing new strings turns into text at a doubling, values unchanged', () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.String, 16, 0, 0, 0);
    const expected: (string | null)[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 97 === 5) {
        expect(wasm.appendNull(column)).toBe(Status.Ok);
        expected.push(null);
        continue;
      }
      const text = `id-${i}-${'x'.repeat(i % 13)}`;
      expect(wasm.appendString(column, internText(wasm, text))).toBe(Status.Ok);
      expected.push(text);
      if (descriptor(wasm, column).type === ColumnType.String) continue;
      // Reviewed when the dictionary reached 2,048 entries: the rows since 1,024 were all new.
      expect(descriptor(wasm, column).dictLength).toBe(0);
    }
    const d = descriptor(wasm, column);
    expect(d.type).toBe(ColumnType.Text);
    expect(field(wasm, column, Descriptor.Dict)).toBe(0);
    expect(values(wasm, column)).toEqual(expected);
  });

  it('a column whose strings repeat stays a dictionary: a pool, or half the rows repeating', () => {
    const wasm = instance();
    const random = createPrng(7);
    const pool = wasm.columnCreate(ColumnType.String, 16, 0, 0, 0);
    const half = wasm.columnCreate(ColumnType.String, 16, 0, 0, 0);
    for (let i = 0; i < 20_000; i++) {
      expect(wasm.appendString(pool, internText(wasm, `user-${Math.floor(random() * 3000)}`))).toBe(Status.Ok);
      expect(wasm.appendString(half, internText(wasm, i % 2 === 0 ? `unique-${i}` : `common-${i % 20}`))).toBe(Status.Ok);
    }
    expect(descriptor(wasm, pool).type).toBe(ColumnType.String);
    expect(descriptor(wasm, half).type).toBe(ColumnType.String);
  });

  it('textPreferred: the rule both planners share', () => {
    const wasm = instance();
    expect(wasm.textPreferred(4000, 4000, 4000, 20, 2)).toBeTruthy();
    expect(wasm.textPreferred(4000, 3950, 3950, 40, 2)).toBeTruthy();
    expect(wasm.textPreferred(4000, 3800, 3800, 20, 2)).toBeFalsy(); // 5% repeats: a pool, perhaps; codes
    expect(wasm.textPreferred(1500, 1500, 1500, 20, 1)).toBeFalsy(); // fewer than the parser would ever review
  });
});

describe('the parser and text', () => {
  /** NDJSON records with a unique `id`, a repeating `kind`, and a unique string with escapes. */
  function feedText(count: number): { text: string; records: unknown[] } {
    const records = Array.from({ length: count }, (_, i) => ({
      id: `evt-${(i * 7919) % 1_000_003}-${i}`,
      kind: ['push', 'watch', 'fork'][i % 3],
      note: i % 11 === 0 ? null : `line "${i}"\n\u00e9\u{1f600}\\${i % 5 === 0 ? '\ud800' : ''}`,
    }));
    return { text: records.map((record) => JSON.stringify(record)).join('\n'), records };
  }

  function fieldNode(wasm: Wasm, key: string): number {
    const root = wasm.schemaRoot();
    const count = wasm.nodeField(root, NodeField.FieldCount);
    const fields = new Uint32Array(wasm.memory.buffer, wasm.nodeField(root, NodeField.Fields) >>> 0, count);
    for (const node of fields) {
      const id = wasm.nodeField(node, NodeField.Key);
      const offsets = new Uint32Array(wasm.memory.buffer, wasm.stringTable(StringTableField.Offsets) >>> 0, wasm.stringTable(StringTableField.Count) + 1);
      const bytes = new Uint8Array(wasm.memory.buffer, (wasm.stringTable(StringTableField.Heap) >>> 0) + offsets[id], offsets[id + 1] - offsets[id]);
      if (new TextDecoder().decode(bytes) === key) return node;
    }
    throw new Error(`no field ${key}`);
  }

  it('writes unique strings as text, chunked anywhere, and interns only what repeats', () => {
    const { text, records } = feedText(3000);
    const bytes = new TextEncoder().encode(text.replace(/\\ud800/g, '\\ud800'));
    const random = createPrng(11);
    for (const chunk of [bytes.length, 4096, 997]) {
      const wasm = instance();
      expect(wasm.parseBegin(ParseFormat.Ndjson, 0, 0)).toBeTruthy();
      for (let at = 0; at < bytes.length; at += chunk) {
        const end = Math.min(bytes.length, at + chunk + Math.floor(random() * 3));
        const result = feed(wasm, bytes.subarray(at, end), end === bytes.length);
        expect(result).toBe(end === bytes.length ? FeedResult.Done : FeedResult.NeedInput);
        at = end - chunk;
      }
      const id = wasm.nodeField(fieldNode(wasm, 'id'), NodeField.Column);
      const kind = wasm.nodeField(fieldNode(wasm, 'kind'), NodeField.Column);
      const note = wasm.nodeField(fieldNode(wasm, 'note'), NodeField.Column);
      expect(descriptor(wasm, id).type).toBe(ColumnType.Text);
      expect(descriptor(wasm, note).type).toBe(ColumnType.Text);
      expect(descriptor(wasm, kind).type).toBe(ColumnType.String);
      expect(values(wasm, id)).toEqual(records.map((record) => (record as { id: string }).id));
      expect(values(wasm, note)).toEqual(records.map((record) => (record as { note: string | null }).note));
      expect(values(wasm, kind)).toEqual(records.map((record) => (record as { kind: string }).kind));
      // Interned: the keys, the 3 kinds, and the strings seen before each column turned into text.
      expect(wasm.stringTable(StringTableField.Count)).toBeLessThan(3 + 3 + 2 * 2048 + 10);
    }
  });
});

describe('UTF-16 order over WTF-8', () => {
  it('compareUtf16 orders as JavaScript < does, astral, U+E000–U+FFFF and lone surrogates included', () => {
    const wasm = instance();
    const random = createPrng(3);
    for (let i = 0; i < 5000; i++) {
      const a = randomString(random);
      const b = random() < 0.2 ? a : randomString(random);
      const left = wtf8Encode(a);
      const right = wtf8Encode(b);
      const pointer = wasm.scratch(left.length + right.length + 1) >>> 0;
      new Uint8Array(wasm.memory.buffer, pointer, left.length).set(left);
      new Uint8Array(wasm.memory.buffer, pointer + left.length, right.length).set(right);
      const expected = a < b ? -1 : a > b ? 1 : 0;
      expect(wasm.compareUtf16(pointer, left.length, pointer + left.length, right.length), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(expected);
    }
  });
});

describe('text scans, searches and groups', () => {
  function textColumn(wasm: Wasm, rows: (string | null | undefined)[]): number {
    const column = wasm.columnCreate(ColumnType.Text, 4, 0, 0, 0);
    for (const value of rows) {
      const status = value === null ? wasm.appendNull(column) : value === undefined ? wasm.appendMissing(column) : appendText(wasm, column, value);
      expect(status).toBe(Status.Ok);
    }
    return column;
  }

  it('scanText and firstText match a JS reference for equality and every kind of bound', () => {
    const wasm = instance();
    const random = createPrng(5);
    const rows = Array.from({ length: 300 }, () => (random() < 0.1 ? null : random() < 0.1 ? undefined : randomString(random)));
    const column = textColumn(wasm, rows);
    const out = wasm.arenaAllocate(64) >>> 0;
    for (let trial = 0; trial < 200; trial++) {
      const lo = randomString(random);
      const hi = randomString(random);
      const kind = trial % 4;
      const flags = kind === 0 ? TextTest.Equal : kind === 1 ? TextTest.Low | TextTest.LowOpen : kind === 2 ? TextTest.High : TextTest.Low | TextTest.High | TextTest.HighOpen;
      const passes = (value: string) =>
        kind === 0 ? value === lo : kind === 1 ? value > lo : kind === 2 ? value <= hi : value >= lo && value < hi;
      const loBytes = wtf8Encode(lo);
      const hiBytes = wtf8Encode(hi);
      const key = scratchBytes(wasm, Uint8Array.from([...loBytes, ...hiBytes]));
      const start = Math.floor(random() * 100);
      const end = start + Math.floor(random() * (rows.length - start));
      expect(wasm.scanText(column, key, loBytes.length, key + loBytes.length, hiBytes.length, flags, start, end, out)).toBe(Status.Ok);
      wasm.maskPresent(column, start, end, out);
      const expected = rows.map((value, row) => [value, row] as const).filter(([value, row]) => row >= start && row < end && typeof value === 'string' && passes(value)).map(([, row]) => row - start);
      expect(setBits(wasm, out, end - start)).toEqual(expected);
      const first = wasm.firstText(column, key, loBytes.length, key + loBytes.length, hiBytes.length, flags, start, end, out);
      expect(first).toBe(expected.length === 0 ? -1 : expected[0] + start);
    }
    expect(wasm.scanText(wasm.columnCreate(ColumnType.String, 1, 0, 0, 0), 0, 0, 0, 0, TextTest.Equal, 0, 0, out)).toBe(Status.WrongType);
  });

  it('equality compares the last 8 bytes first, then all of them: strings that share their ends, their starts, or are about 8 bytes long', () => {
    // textEquals turns rows away on their last 8 bytes; rows whose ends match must still differ elsewhere.
    const wasm = instance();
    const stems = ['a', 'b', 'ab', 'é', '\u{1f600}', '\ud800', 'same-start-'];
    const ends = ['', '1', '1234567', '12345678', '123456789', '-00000042', '\u{1f600}\u{1f600}'];
    const rows: (string | null | undefined)[] = [];
    for (const stem of stems) for (const end of ends) rows.push(stem + end, end + stem, null);
    rows.push(undefined, '', '12345678');
    const column = textColumn(wasm, rows);
    const out = wasm.arenaAllocate(64) >>> 0;
    const literals = [...new Set(rows.filter((row): row is string => typeof row === 'string')), 'c12345678', '1234567x', 'same-start-00000042'];
    for (const literal of literals) {
      const bytes = wtf8Encode(literal);
      const key = scratchBytes(wasm, bytes);
      expect(wasm.scanText(column, key, bytes.length, key + bytes.length, 0, TextTest.Equal, 0, rows.length, out)).toBe(Status.Ok);
      wasm.maskPresent(column, 0, rows.length, out);
      const expected = rows.flatMap((value, row) => (value === literal ? [row] : []));
      expect(setBits(wasm, out, rows.length), literal).toEqual(expected);
      expect(wasm.firstText(column, key, bytes.length, key + bytes.length, 0, TextTest.Equal, 0, rows.length, out), literal).toBe(expected.length === 0 ? -1 : expected[0]);
    }
  });

  it('groupIds gives equal strings one id in order of first appearance, absent rows the null group, and overflows a small table', () => {
    const wasm = instance();
    const random = createPrng(9);
    const rows = Array.from({ length: 500 }, () => (random() < 0.1 ? null : random() < 0.05 ? undefined : `k${Math.floor(random() * 40)}${random() < 0.1 ? '' : ''}`));
    rows[3] = '';
    rows[4] = null; // "" and absent rows are different groups
    const column = textColumn(wasm, rows);
    const capacity = 128;
    const ids = wasm.arenaAllocate(rows.length * 4) >>> 0;
    const table = wasm.arenaAllocate(capacity * 8) >>> 0;
    const state = wasm.arenaAllocate(8) >>> 0;
    const groups = wasm.groupIds(column, 0, rows.length, ids, table, capacity, state);
    const seen = new Map<string, number>();
    const expected = rows.map((value) => {
      if (typeof value !== 'string') return 0xffffffff;
      if (!seen.has(value)) seen.set(value, seen.size);
      return seen.get(value)!;
    });
    expect(groups).toBe(seen.size);
    expect([...new Uint32Array(wasm.memory.buffer, ids, rows.length)]).toEqual(expected);

    const small = wasm.arenaAllocate(16 * 8) >>> 0;
    new Uint8Array(wasm.memory.buffer, state, 8).fill(0);
    expect(wasm.groupIds(column, 0, rows.length, ids, small, 16, state)).toBe(GroupResult.Overflow);
  });
});

describe('undo across a conversion', () => {
  it('an undone append that turned the column into text keeps the text, cut back to the committed rows', () => {
    const wasm = instance();
    const column = asRoot(wasm, wasm.columnCreate(ColumnType.String, 16, 0, 0, 0));
    for (let i = 0; i < 100; i++) expect(wasm.appendString(column, internText(wasm, `kept-${i}`))).toBe(Status.Ok);
    const strings = wasm.stringTable(StringTableField.Count);
    wasm.transactionBegin();
    for (let i = 0; i < 3000; i++) expect(wasm.appendString(column, internText(wasm, `undone-${i}`))).toBe(Status.Ok);
    expect(descriptor(wasm, column).type).toBe(ColumnType.Text);
    wasm.transactionEnd(0, 100);
    expect(descriptor(wasm, column)).toMatchObject({ type: ColumnType.Text, length: 100 });
    expect(values(wasm, column)).toEqual(Array.from({ length: 100 }, (_, i) => `kept-${i}`));
    expect(wasm.stringTable(StringTableField.Count)).toBe(strings);
    expect(appendText(wasm, column, 'next')).toBe(Status.Ok);
    expect(valueAt(wasm, column, 100)).toBe('next');
  });
});

/** Makes `column` the schema's root, so transactionEnd cuts it back. */
function asRoot(wasm: Wasm, column: number): number {
  wasm.setRoot(wasm.nodeCreate(NodeKind.Scalar, column, Sentinel.NoKey, 0));
  return column;
}

function stringCount(wasm: Wasm): number {
  return wasm.stringTable(StringTableField.Count);
}
