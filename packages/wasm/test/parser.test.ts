// The streaming parser through the ABI (parseBegin / parseInput / parseFeed /
// transactionBegin / transactionEnd / parseError*): JSON arrays, single values and NDJSON into columns, the schema
// it builds, chunking at every byte, error codes and positions, NDJSON skipping, rollback and
// rebuilds (JSON Pointers: pointer.test.ts). Every stored row is decoded back and compared with JSON.parse.
import { describe, expect, it } from 'vitest';
import { ColumnType, FeedResult, Limit, MixedTag, NodeField, NodeKind, ParseError, ParseFormat, Sentinel, Status, StringTableField } from '../assembly/abi';
import { codeAt, descriptor, feed, instance, intAt, listOffsets, nodeFields, parseStatus, presenceAt, stringAt, type Wasm } from './harness';
import { bytesOf, column, encoder, keyOf, load, records, rows, shape } from './parsed';

/** Line (1-based) and column (1-based, in code points) of byte `offset`: the reference for parseErrorLine / Column. */
function position(bytes: Uint8Array, offset: number) {
  const before = new TextDecoder().decode(bytes.subarray(0, offset)).split('\n');
  return { offset, line: before.length, column: [...before[before.length - 1]].length + 1 };
}

const errorOf = (wasm: Wasm) => ({
  code: parseStatus(wasm).errorCode, offset: parseStatus(wasm).errorOffset, line: parseStatus(wasm).errorLine, column: parseStatus(wasm).errorColumn,
});

describe('input formats', () => {
  it('stores a JSON array of records as one row per element, with columns by kind', () => {
    const text = '[{"id":1,"name":"a","tags":["x","y"],"ok":true,"w":1.5},{"id":300,"name":"b","tags":[],"ok":false,"w":null}]';
    const wasm = instance();
    expect(load(wasm, text)).toBe(FeedResult.Done);
    expect(parseStatus(wasm).committedRows).toBe(2);
    expect(records(wasm)).toEqual(JSON.parse(text));
    const root = wasm.schemaRoot();
    expect([wasm.nodeField(root, NodeField.Kind), wasm.nodeField(root, NodeField.Key) >>> 0, wasm.nodeField(root, NodeField.Parent)])
      .toEqual([NodeKind.Struct, Sentinel.NoKey, 0]);
    const fields = nodeFields(wasm, root);
    expect(fields.map((field) => keyOf(wasm, field))).toEqual(['id', 'name', 'tags', 'ok', 'w']);
    expect(fields.map((field) => wasm.nodeField(field, NodeField.Kind))).toEqual([NodeKind.Scalar, NodeKind.Scalar, NodeKind.List, NodeKind.Scalar, NodeKind.Scalar]);
    expect(fields.map((field) => descriptor(wasm, column(wasm, field)).type)).toEqual([ColumnType.Int, ColumnType.String, ColumnType.List, ColumnType.Bool, ColumnType.Float64]);
    expect(fields.every((field) => wasm.nodeField(field, NodeField.Parent) === root)).toBe(true);
    expect(descriptor(wasm, column(wasm, fields[0])).width).toBe(2); // 1 and 300: i16
    expect(descriptor(wasm, column(wasm, fields[4])).nullCount).toBe(1);
    const element = wasm.nodeField(fields[2], NodeField.Element);
    expect([wasm.nodeField(element, NodeField.Kind), wasm.nodeField(element, NodeField.Key) >>> 0, wasm.nodeField(element, NodeField.Parent)])
      .toEqual([NodeKind.Scalar, Sentinel.NoKey, fields[2]]);
    expect(listOffsets(wasm, column(wasm, fields[2]))).toEqual([0, 2, 2]);
  });

  it('stores a single top-level value as the only record, and an array of scalars as scalar rows', () => {
    for (const text of ['{"a":{"b":[1,2]},"c":"é"}', ' 42 ', '"text"', 'true', 'null', '[1, 2.5, -3]', '[]', '[[1],[2,3]]']) {
      const wasm = instance();
      expect(load(wasm, text), text).toBe(FeedResult.Done);
      const value = JSON.parse(text);
      expect(records(wasm), text).toEqual(Array.isArray(value) ? value : [value]);
    }
    const wasm = instance();
    load(wasm, '[1, 2.5, -3]');
    expect(descriptor(wasm, column(wasm, wasm.schemaRoot())).type).toBe(ColumnType.Float64); // the int column widened
  });

  it('stores NDJSON lines as records, skipping blank lines and CRLF endings', () => {
    const text = '{"a":1}\n\n{"a":2,"b":"x"}\r\n  \n{"b":"y"}';
    const wasm = instance();
    expect(load(wasm, text, ParseFormat.Ndjson)).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual([{ a: 1 }, { a: 2, b: 'x' }, { b: 'y' }]);
    const [a, b] = nodeFields(wasm, wasm.schemaRoot());
    expect([0, 1, 2].map((row) => presenceAt(wasm, column(wasm, a), row))).toEqual(['present', 'present', 'missing']);
    expect([0, 1, 2].map((row) => presenceAt(wasm, column(wasm, b), row))).toEqual(['missing', 'present', 'present']);
  });
});

describe('the schema the parser builds', () => {
  it('keeps fields in first-seen order and back-fills a late key with missing rows', () => {
    const text = '[{"b":1,"a":2},{"a":3,"b":4},{"late":true,"a":5},{"c":[]}]';
    const wasm = instance();
    expect(load(wasm, text)).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual(JSON.parse(text));
    const fields = nodeFields(wasm, wasm.schemaRoot());
    expect(fields.map((field) => keyOf(wasm, field))).toEqual(['b', 'a', 'late', 'c']);
    const late = descriptor(wasm, column(wasm, fields[2]));
    expect([late.type, late.length, late.missingCount]).toEqual([ColumnType.Bool, 4, 3]);
    expect(new Uint8Array(wasm.memory.buffer, late.missing, 1)[0]).toBe(0b1011);
    const c = descriptor(wasm, column(wasm, fields[3]));
    expect([c.type, c.length, c.missingCount]).toEqual([ColumnType.List, 4, 3]);
    expect(listOffsets(wasm, column(wasm, fields[3]))).toEqual([0, 0, 0, 0, 0]);
    expect(wasm.nodeField(wasm.nodeField(fields[3], NodeField.Element), NodeField.Kind)).toBe(NodeKind.Unset);
  });

  it('marks a null struct missing below it, and keeps the last of duplicate keys as JSON.parse does', () => {
    const text = '[{"s":{"x":1,"y":"a"}},{"s":null},{"s":{"x":2,"x":3}},{}]';
    const wasm = instance();
    expect(load(wasm, text)).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual(JSON.parse(text));
    const [s] = nodeFields(wasm, wasm.schemaRoot());
    const [x, y] = nodeFields(wasm, s);
    expect([0, 1, 2, 3].map((row) => presenceAt(wasm, column(wasm, s), row))).toEqual(['present', 'null', 'present', 'missing']);
    expect([0, 1, 2, 3].map((row) => presenceAt(wasm, column(wasm, x), row))).toEqual(['present', 'missing', 'present', 'missing']);
    expect(descriptor(wasm, column(wasm, x)).length).toBe(4);
    expect(descriptor(wasm, column(wasm, y)).missingCount).toBe(3);
  });
});

describe('chunked input', () => {
  const json = '[{"n":12345,"f":-0.5e2,"s":"h\\u00e9\\ud83d\\ude00 é😀","t":true,"z":null,"l":[[1],[2,3]]},{"n":-7,"s":"\\"q\\"","t":false,"o":{"k":[]}}]';
  const ndjson = '{"n":12345,"s":"é😀"}\n{"n":-1.25,"l":[true,false]}\n\n{"s":"\\n"}\n';

  for (const [name, text, format] of [['JSON', json, ParseFormat.Json], ['NDJSON', ndjson, ParseFormat.Ndjson]] as const) {
    it(`gives the same columns for ${name} split at every byte, and fed a byte at a time`, () => {
      const bytes = encoder.encode(text);
      const whole = instance();
      expect(load(whole, bytes, format)).toBe(FeedResult.Done);
      const expected = shape(whole, whole.schemaRoot());
      const reference = format === ParseFormat.Json ? JSON.parse(text) : text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
      expect(records(whole)).toEqual(reference);
      for (let split = 0; split <= bytes.length; split++) {
        const wasm = instance();
        expect(load(wasm, bytes, format, [split]), `split at ${split}`).toBe(FeedResult.Done);
        expect(shape(wasm, wasm.schemaRoot()), `split at ${split}`).toEqual(expected);
        expect(records(wasm), `split at ${split}`).toEqual(reference);
      }
      const wasm = instance();
      expect(load(wasm, bytes, format, Array.from({ length: bytes.length }, (_, i) => i + 1))).toBe(FeedResult.Done);
      expect(shape(wasm, wasm.schemaRoot())).toEqual(expected);
      expect(records(wasm)).toEqual(reference);
    });
  }
});

describe('errors', () => {
  const cases: [string | Uint8Array, ParseError, number][] = [
    ['[1,2,]', ParseError.TrailingComma, 5],
    ['[1 2]', ParseError.ExpectedCommaOrBracket, 3],
    ['[{"a":1}\n,{"a" 2}]', ParseError.ExpectedColon, 15],
    ['[{"a":1,}]', ParseError.ExpectedKey, 8],
    ['[{"a":1 "b":2}]', ParseError.ExpectedCommaOrBrace, 8],
    ['{"a":1} x', ParseError.TrailingData, 8],
    ['[1] [2]', ParseError.TrailingData, 4],
    ['   ', ParseError.EmptyInput, 3],
    ['[01]', ParseError.BadNumber, 2],
    ['[-]', ParseError.BadNumber, 2],
    ['[1.]', ParseError.BadNumber, 3],
    ['[12a]', ParseError.BadNumber, 3],
    ['["a\\qb"]', ParseError.BadEscape, 3],
    ['["a\u0001"]', ParseError.ControlCharacter, 3],
    [new Uint8Array([0x5b, 0x22, 0x61, 0xff, 0x22, 0x5d]), ParseError.InvalidUtf8, 3],
    ['[tru]', ParseError.UnexpectedCharacter, 1],
    ['[@]', ParseError.UnexpectedCharacter, 1],
    ['[nul', ParseError.UnexpectedEnd, 4],
    ['[{"a":1},', ParseError.UnexpectedEnd, 9],
    ['["abc', ParseError.UnterminatedString, 5],
    ['[\n  "é",\n  "😀", x]', ParseError.UnexpectedCharacter, 20],
  ];
  for (const [input, code, offset] of cases) {
    it(`reports ${typeof input === 'string' ? JSON.stringify(input) : 'invalid UTF-8'} as error ${code} at byte ${offset}`, () => {
      const wasm = instance();
      expect(load(wasm, input)).toBe(FeedResult.Error);
      expect(errorOf(wasm)).toEqual({ code, ...position(bytesOf(input), offset) });
    });
  }

  it('refuses nesting past Limit.Depth levels in a record, at the bracket that passes it', () => {
    const nested = (levels: number) => `[${'['.repeat(levels)}${']'.repeat(levels)}]`;
    const ok = instance();
    expect(load(ok, nested(Limit.Depth))).toBe(FeedResult.Done);
    const wasm = instance();
    expect(load(wasm, nested(Limit.Depth + 1))).toBe(FeedResult.Error);
    expect([parseStatus(wasm).errorCode, parseStatus(wasm).errorOffset]).toEqual([ParseError.TooDeep, 1 + Limit.Depth]);
  });

  it('keeps offsets, lines and columns exact when earlier chunks were dropped, and cuts the failed record back', () => {
    const lines = ['{"a":1,"s":"é"}', '{"a":2}', '{"a":3,"s":"😀😀",', '{"a":4,"b":[1]}', '{"a":5} {"a":6}', '{"a":7}'];
    const text = `${lines.join('\n')}\n`;
    const bytes = encoder.encode(text);
    const expected = { code: ParseError.TrailingData, ...position(bytes, encoder.encode(text.slice(0, text.indexOf(' {"a":6}') + 1)).length) };
    for (const size of [1, 7, 16, bytes.length]) {
      const wasm = instance();
      const splits = Array.from({ length: Math.ceil(bytes.length / size) - 1 }, (_, i) => (i + 1) * size);
      // Line 3 is cut short: without skipping, its error stops the stream first.
      expect(wasm.parseBegin(ParseFormat.Ndjson, 0, 0)).toBeTruthy();
      let result: number = FeedResult.NeedInput;
      for (let i = 0; i <= splits.length && result === FeedResult.NeedInput; i++) {
        result = feed(wasm, bytes.subarray(i === 0 ? 0 : splits[i - 1], splits[i] ?? bytes.length), i === splits.length);
      }
      expect(result).toBe(FeedResult.Error);
      expect(errorOf(wasm)).toEqual({ code: ParseError.UnexpectedEnd, ...position(bytes, encoder.encode(lines.slice(0, 3).join('\n')).length) });
      expect([parseStatus(wasm).committedRows, rows(wasm)]).toEqual([2, 2]);
      expect(nodeFields(wasm, wasm.schemaRoot()).map((field) => descriptor(wasm, column(wasm, field)).length)).toEqual([2, 2]);
      expect(descriptor(wasm, column(wasm, nodeFields(wasm, wasm.schemaRoot())[1])).missingCount).toBe(1);
      expect(records(wasm)).toEqual([{ a: 1, s: 'é' }, { a: 2 }]);
      // With skipping, the stream goes on to the trailing data on line 5.
      const skipping = instance();
      expect(skipping.parseBegin(ParseFormat.Ndjson, 1, 0)).toBeTruthy();
      const results: number[] = [];
      for (let i = 0; i <= splits.length; i++) {
        let step = feed(skipping, bytes.subarray(i === 0 ? 0 : splits[i - 1], splits[i] ?? bytes.length), i === splits.length);
        while (step === FeedResult.RecordSkipped) {
          results.push(step, ...Object.values(errorOf(skipping)));
          step = skipping.parseFeed(0, i === splits.length ? 1 : 0);
        }
        if (step !== FeedResult.NeedInput) results.push(step);
      }
      const line3 = position(bytes, encoder.encode(lines.slice(0, 3).join('\n')).length);
      expect(results).toEqual([FeedResult.RecordSkipped, ParseError.UnexpectedEnd, line3.offset, line3.line, line3.column,
        FeedResult.RecordSkipped, ...Object.values(expected), FeedResult.Done]);
      expect(records(skipping)).toEqual([{ a: 1, s: 'é' }, { a: 2 }, { a: 4, b: [1] }, { a: 7 }]);
    }
  });
});

describe('wide objects', () => {
  it('finds each key of a wide struct through its index, in any order, and takes duplicates as JSON.parse does', () => {
    const wasm = instance();
    const keys = Array.from({ length: 3000 }, (_, i) => `k${(i * 7919) % 3000}`);
    const first = Object.fromEntries(keys.map((key, i) => [key, i]));
    // Keys in reverse, then shuffled with a duplicate, then a few known and a new one.
    const reversed = `{${keys.toReversed().map((key, i) => `"${key}":${-i}`).join(',')}}`;
    const shuffled = `{${keys.filter((_, i) => i % 3 === 0).map((key) => `"${key}":1`).join(',')},"${keys[0]}":2}`;
    const text = `[${JSON.stringify(first)},${reversed},${shuffled},{"k5":5,"new":true}]`;
    wasm.transactionBegin(); // keeps the review out: a struct of 3,000 keys asks the facade first
    expect(load(wasm, text)).toBe(FeedResult.Rebuild);
    const root = wasm.schemaRoot();
    wasm.nodeSetField(root, NodeField.ReviewAt, 1 << 20); // the facade's answer: go on as a struct
    expect(wasm.parseFeed(0, 1)).toBe(FeedResult.Done);
    wasm.transactionEnd(1, 0);
    expect(records(wasm)).toEqual(JSON.parse(text));
    expect(nodeFields(wasm, root).map((field) => keyOf(wasm, field))).toEqual([...keys, 'new']);
    expect(wasm.nodeField(root, NodeField.FieldIndex)).not.toBe(0);
  });

  it('a rolled-back append takes its keys out of the index: the same keys come back as new fields', () => {
    const wasm = instance();
    const object = (from: number, to: number) => `{${Array.from({ length: to - from }, (_, i) => `"f${from + i}":${i}`).join(',')}}`;
    expect(load(wasm, `[${object(0, 20)}]`)).toBe(FeedResult.Done);
    wasm.transactionBegin();
    expect(load(wasm, `[${object(10, 40)},@]`)).toBe(FeedResult.Error);
    wasm.transactionEnd(0, 1);
    expect(nodeFields(wasm, wasm.schemaRoot()).length).toBe(20);
    expect(load(wasm, `[{"f35":"now a string","f3":3}]`)).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual([JSON.parse(object(0, 20)), { f35: 'now a string', f3: 3 }]);
    expect(nodeFields(wasm, wasm.schemaRoot()).map((field) => keyOf(wasm, field)).slice(19)).toEqual(['f19', 'f35']);
  });
});

describe('rollback', () => {
  it('transactionEnd(0, rows) cuts an appended batch back: rows, counts, fields, dictionary entries and strings', () => {
    const wasm = instance();
    expect(load(wasm, '[{"a":1,"s":"x"},{"a":2}]')).toBe(FeedResult.Done);
    const root = wasm.schemaRoot();
    const strings = wasm.stringTable(StringTableField.Count);
    wasm.transactionBegin();
    expect(load(wasm, '[{"a":300,"s":"y","n":[1,2,3]},{"a":4,"s":null},{"n":[4]}]')).toBe(FeedResult.Done);
    expect([parseStatus(wasm).committedRows, rows(wasm)]).toEqual([5, 5]);
    wasm.transactionEnd(0, 2);
    expect(rows(wasm)).toBe(2);
    const [a, s, ...rest] = nodeFields(wasm, root);
    expect(rest).toEqual([]); // `n` came with the batch, and went with it
    expect(wasm.stringTable(StringTableField.Count)).toBe(strings); // so did "y" and "n"
    expect([a, s].map((field) => descriptor(wasm, column(wasm, field)).length)).toEqual([2, 2]);
    expect(descriptor(wasm, column(wasm, s))).toMatchObject({ nullCount: 0, missingCount: 1, dictLength: 1 });
    expect(descriptor(wasm, column(wasm, a)).width).toBe(2); // widths stay as they are; values do not change
    expect(records(wasm)).toEqual([{ a: 1, s: 'x' }, { a: 2 }]);
    expect(load(wasm, '[{"n":[9],"a":5,"s":"z"}]')).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual([{ a: 1, s: 'x' }, { a: 2 }, { n: [9], a: 5, s: 'z' }]);
    expect(listOffsets(wasm, column(wasm, nodeFields(wasm, root)[2]))).toEqual([0, 0, 0, 1]);
  });

  it('an undone row leaves no dictionary code behind for a null row appended in its place', () => {
    // Scans index a table by every row's code before presence masks the row: a code the undo took
    // out of the dictionary, left in the buffer, would be read past that table.
    const wasm = instance();
    expect(load(wasm, '[{"s":"a"},{"s":"b"}]')).toBe(FeedResult.Done);
    const s = nodeFields(wasm, wasm.schemaRoot())[0];
    wasm.transactionBegin();
    expect(load(wasm, '[{"s":"c"},{"s":"d"}]')).toBe(FeedResult.Done);
    expect([codeAt(wasm, column(wasm, s), 2), codeAt(wasm, column(wasm, s), 3)]).toEqual([2, 3]);
    wasm.transactionEnd(0, 2);
    expect(load(wasm, '[{"s":null},{}]')).toBe(FeedResult.Done);
    expect(descriptor(wasm, column(wasm, s))).toMatchObject({ length: 4, dictLength: 2, nullCount: 1, missingCount: 1 });
    expect([codeAt(wasm, column(wasm, s), 2), codeAt(wasm, column(wasm, s), 3)]).toEqual([0, 0]);
  });

  it('transactionEnd(1) keeps the batch; a later rollback stops at it', () => {
    const wasm = instance();
    expect(load(wasm, '[{"a":1}]')).toBe(FeedResult.Done);
    wasm.transactionBegin();
    expect(load(wasm, '[{"a":2,"b":"kept"}]')).toBe(FeedResult.Done);
    wasm.transactionEnd(1, 0);
    wasm.transactionBegin();
    expect(load(wasm, '[{"a":1.5,"b":"new","c":{"d":[true]}}]')).toBe(FeedResult.Done);
    wasm.transactionEnd(0, 2);
    expect(records(wasm)).toEqual([{ a: 1 }, { a: 2, b: 'kept' }]);
    const [a, b, ...rest] = nodeFields(wasm, wasm.schemaRoot());
    expect(rest).toEqual([]);
    expect(descriptor(wasm, column(wasm, a))).toMatchObject({ type: ColumnType.Int, width: 1 }); // float64 taken back
    expect(descriptor(wasm, column(wasm, b))).toMatchObject({ type: ColumnType.String, dictLength: 1 }); // "new" taken back
  });

  it('an undone record leaves no field, kind or string behind', () => {
    const wasm = instance();
    expect(load(wasm, '{"a":1}\n{"a":2,"c":"x",\n{"a":3,"c":5}\n', ParseFormat.Ndjson, [], true)).toBe(FeedResult.RecordSkipped);
    expect(wasm.parseFeed(0, 1)).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual([{ a: 1 }, { a: 3, c: 5 }]);
    expect(descriptor(wasm, column(wasm, nodeFields(wasm, wasm.schemaRoot())[1])).type).toBe(ColumnType.Int);
    expect(wasm.stringTable(StringTableField.Count)).toBe(2); // "a" and "c": the skipped line's "x" is forgotten
    const failed = instance();
    expect(load(failed, '[{"a":1}]')).toBe(FeedResult.Done);
    const strings = failed.stringTable(StringTableField.Count);
    failed.transactionBegin();
    expect(load(failed, '[{"a":2,"zz":"x"},{"a":}]')).toBe(FeedResult.Error);
    failed.transactionEnd(0, 1);
    expect(nodeFields(failed, failed.schemaRoot()).map((field) => keyOf(failed, field))).toEqual(['a']);
    expect(failed.stringTable(StringTableField.Count)).toBe(strings);
  });
});

describe('rebuilds', () => {
  it('returns Rebuild with the field whose kind changed, and resumes once the facade made it mixed', () => {
    const wasm = instance();
    expect(load(wasm, '[{"a":1},{"a":{"b":1}},{"a":"s"}]')).toBe(FeedResult.Rebuild);
    const [a] = nodeFields(wasm, wasm.schemaRoot());
    expect(parseStatus(wasm).rebuildNode).toBe(a);
    expect([parseStatus(wasm).committedRows, rows(wasm), descriptor(wasm, column(wasm, a)).length]).toEqual([1, 1, 1]);
    // What the facade does: a mixed column holding the rows so far, put in the node's place.
    const mixed = wasm.columnCreate(ColumnType.Mixed, 4, 0, 0, 0);
    expect(wasm.appendMixed(mixed, MixedTag.Number, intAt(wasm, column(wasm, a), 0))).toBe(Status.Ok);
    wasm.nodeSetField(a, NodeField.Column, mixed);
    wasm.nodeSetField(a, NodeField.Kind, NodeKind.Mixed);
    expect(wasm.parseFeed(0, 1)).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual([{ a: 1 }, { a: { b: 1 } }, { a: 's' }]);
    const d = descriptor(wasm, mixed);
    expect(Array.from(new Uint8Array(wasm.memory.buffer, d.data, d.length))).toEqual([MixedTag.Number, MixedTag.Json, MixedTag.String]);
    expect(stringAt(wasm, new Float64Array(wasm.memory.buffer, d.payload, d.length)[1])).toBe('{"b":1}');
  });

  it('asks for the root when top-level scalars change kind, and for a struct reaching its review key count', () => {
    const scalars = instance();
    expect(load(scalars, '[1,"x"]')).toBe(FeedResult.Rebuild);
    expect(parseStatus(scalars).rebuildNode).toBe(scalars.schemaRoot());
    expect(rows(scalars)).toBe(1);

    const wasm = instance();
    const wide = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, i]));
    const text = JSON.stringify([{ k0: -1 }, wide]);
    expect(load(wasm, text)).toBe(FeedResult.Rebuild);
    const root = wasm.schemaRoot();
    expect(parseStatus(wasm).rebuildNode).toBe(root);
    expect(wasm.nodeField(root, NodeField.FieldCount)).toBe(wasm.nodeField(root, NodeField.ReviewAt));
    expect(rows(wasm)).toBe(1);
    // Keep it a struct: review again at the next doubling, and parse on.
    wasm.nodeSetField(root, NodeField.ReviewAt, 2 * wasm.nodeField(root, NodeField.ReviewAt));
    expect(wasm.parseFeed(0, 1)).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual(JSON.parse(text));
    expect(nodeFields(wasm, root).map((field) => keyOf(wasm, field))).toEqual(Object.keys(wide));
  });
});
