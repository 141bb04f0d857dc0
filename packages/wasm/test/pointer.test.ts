// The JSON Pointer walk through the ABI (parsePointer, parseKeyAs, parsePointerMiss): down to
// an array of records or an object whose values are the records (keyAs: each key stored in its
// record), validating the rest, in any chunking; what a miss reports; undo of a failed keyed load.
import { describe, expect, it } from 'vitest';
import { FeedResult, Limit, ParseError, ParseFormat, PointerMiss, PointerValue, Sentinel, StringTableField } from '../assembly/abi';
import { feed, instance, internText, nodeFields, parseStatus, type Wasm } from './harness';
import { encoder, keyOf, load, records, rows, shape } from './parsed';

/** Starts a JSON parse with a pointer of (key, index) tokens (and keyAs); returns the result of feeding `text`. */
function loadAt(wasm: Wasm, text: string, tokens: (string | number)[], splits: number[] = [], keyAs?: string): number {
  const bytes = encoder.encode(text);
  expect(wasm.parseBegin(ParseFormat.Json, 0, 0)).toBeTruthy();
  const keys = wasm.arenaAllocate(tokens.length * 4);
  const indices = wasm.arenaAllocate(tokens.length * 4);
  const ids = tokens.map((token) => internText(wasm, String(token)));
  new Uint32Array(wasm.memory.buffer, keys, tokens.length).set(ids);
  new Uint32Array(wasm.memory.buffer, indices, tokens.length).set(tokens.map((token) => (typeof token === 'number' ? token : Sentinel.NoIndex)));
  expect(wasm.parsePointer(tokens.length, keys, indices)).toBeTruthy();
  if (keyAs !== undefined) wasm.parseKeyAs(internText(wasm, keyAs));
  const cuts = [0, ...splits, bytes.length];
  let result: number = FeedResult.NeedInput;
  for (let i = 0; i + 1 < cuts.length && result === FeedResult.NeedInput; i++) result = feed(wasm, bytes.subarray(cuts[i], cuts[i + 1]), i + 2 === cuts.length);
  return result;
}

describe('JSON Pointer', () => {
  const document = '{"meta":{"records":[0]},"data":[{"items":[9]},{"skip":[1,{"x":"]"}],"items":[{"a":1},{"a":2,"b":[true]}]}],"tail":{"items":null}}';

  it('reaches a nested records array through keys and indices, validating the rest', () => {
    const wasm = instance();
    expect(loadAt(wasm, document, ['data', 1, 'items'])).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual(JSON.parse(document).data[1].items);
    const chunked = instance();
    const bytes = encoder.encode(document).length;
    expect(loadAt(chunked, document, ['data', 1, 'items'], Array.from({ length: bytes - 1 }, (_, i) => i + 1))).toBe(FeedResult.Done);
    expect(shape(chunked, chunked.schemaRoot())).toEqual(shape(wasm, wasm.schemaRoot()));
  });

  it('reports a pointer that finds nothing, names no array, or passes a duplicate key', () => {
    const at = (text: string, marker: string) => text.indexOf(marker);
    const cases: [string, (string | number)[], ParseError, number][] = [
      [document, ['nope'], ParseError.PointerNotFound, document.length - 1],
      [document, ['data', 5], ParseError.PointerNotFound, at(document, '],"tail"')],
      [document, ['meta', 'records', 0], ParseError.PointerNotRecords, at(document, '0]}')],
      [document, ['meta', 'records', 0, 'x'], ParseError.PointerNotFound, at(document, '0]}')],
      ['{"a":tru}', ['a'], ParseError.UnexpectedCharacter, 5], // not JSON where the pointer looks: a parse error
      ['{"data":[{"a":1}],"data":[]}', ['data'], ParseError.PointerDuplicate, 18],
      ['{"data":[{"a":1}],"x":[1,}', ['data'], ParseError.UnexpectedCharacter, 25],
    ];
    for (const [text, tokens, code, offset] of cases) {
      const wasm = instance();
      expect(loadAt(wasm, text, tokens), JSON.stringify(tokens)).toBe(FeedResult.Error);
      expect([parseStatus(wasm).errorCode, parseStatus(wasm).errorOffset], JSON.stringify(tokens)).toEqual([code, offset]);
    }
  });
});

describe('JSON Pointer to an object: its values are the records', () => {
  const registry = '{"meta":{"n":3},"projects":{"10":{"a":1},"2":{"a":2,"b":[true]},"x \\"y\\"":{"a":3}},"tail":[{"x":1}]}';
  const inOrder = [{ a: 1 }, { a: 2, b: [true] }, { a: 3 }]; // document order, not JSON.parse's (integer keys first)

  it('reads each member as a record, in document order, in any chunking', () => {
    const wasm = instance();
    expect(loadAt(wasm, registry, ['projects'])).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual(inOrder);
    const length = encoder.encode(registry).length;
    for (let cut = 0; cut <= length; cut++) {
      const chunked = instance();
      expect(loadAt(chunked, registry, ['projects'], [cut, Math.min(length, cut + 3)]), `cut ${cut}`).toBe(FeedResult.Done);
      expect(shape(chunked, chunked.schemaRoot())).toEqual(shape(wasm, wasm.schemaRoot()));
    }
    // '' (no tokens) names the whole document; an empty object holds no records.
    const whole = instance();
    expect(loadAt(whole, '{"1":{"a":1}, "2" : {"a":2}}', [])).toBe(FeedResult.Done);
    expect(records(whole)).toEqual([{ a: 1 }, { a: 2 }]);
    const empty = instance();
    expect(loadAt(empty, '{"x":{}}', ['x'])).toBe(FeedResult.Done);
    expect(rows(empty)).toBe(0);
  });

  it('keyAs stores each key first in its record, as a string field, in any chunking', () => {
    const wasm = instance();
    expect(loadAt(wasm, registry, ['projects'], [], 'name')).toBe(FeedResult.Done);
    expect(records(wasm)).toEqual([{ name: '10', a: 1 }, { name: '2', a: 2, b: [true] }, { name: 'x "y"', a: 3 }]);
    expect(nodeFields(wasm, wasm.schemaRoot()).map((field) => keyOf(wasm, field))).toEqual(['name', 'a', 'b']);
    const bytes = encoder.encode(registry).length;
    const byteByByte = instance();
    expect(loadAt(byteByByte, registry, ['projects'], Array.from({ length: bytes - 1 }, (_, i) => i + 1), 'name')).toBe(FeedResult.Done);
    expect(shape(byteByByte, byteByByte.schemaRoot())).toEqual(shape(wasm, wasm.schemaRoot()));
  });

  it('keyAs errors: a record with that field, a record that is no object, an array of records', () => {
    const cases: [string, (string | number)[], ParseError, string][] = [
      ['{"p":{"a":{"x":1},"b":{"x":2,"name":"own"}}}', ['p'], ParseError.KeyAsTaken, '"name":"own"'],
      ['{"p":{"a":{"x":1},"b":7}}', ['p'], ParseError.KeyAsNotObject, '7}'],
      ['{"p":{"a":{"x":1},"b":[{"x":2}]}}', ['p'], ParseError.KeyAsNotObject, '[{"x":2}]'],
      ['{"p":[{"x":1}]}', ['p'], ParseError.KeyAsNoKeys, '[{'],
    ];
    for (const [text, tokens, code, marker] of cases) {
      const wasm = instance();
      expect(loadAt(wasm, text, tokens, [], 'name'), text).toBe(FeedResult.Error);
      expect([parseStatus(wasm).errorCode, parseStatus(wasm).errorOffset], text).toEqual([code, text.indexOf(marker)]);
    }
  });

  it('a failed keyed load inside a transaction is undone whole: rows, fields, kinds, strings', () => {
    const wasm = instance();
    expect(load(wasm, '[{"a":1}]')).toBe(FeedResult.Done);
    const strings = wasm.stringTable(StringTableField.Count);
    wasm.transactionBegin();
    expect(loadAt(wasm, '{"p":{"k1":{"a":2,"s":"new"},"k2":{"a":3,"t":[1]},"k3":{"a":}}}', ['p'], [20], 'name')).toBe(FeedResult.Error);
    wasm.transactionEnd(0, 1);
    expect(records(wasm)).toEqual([{ a: 1 }]);
    expect(nodeFields(wasm, wasm.schemaRoot()).map((field) => keyOf(wasm, field))).toEqual(['a']);
    expect(wasm.stringTable(StringTableField.Count)).toBe(strings);
  });

  it('a miss says where the walk stopped: the level, what is there, its members and first keys', () => {
    const miss = (wasm: Wasm) => {
      const block = wasm.parsePointerMiss() >>> 0;
      const word = (offset: number) => new Uint32Array(wasm.memory.buffer, block + offset, 1)[0];
      const keys = Array.from({ length: word(PointerMiss.Sampled) }, (_, i) => {
        const slot = block + PointerMiss.Keys + i * PointerMiss.Slot;
        return new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, slot + 4, Math.min(word(PointerMiss.Keys + i * PointerMiss.Slot), Limit.PointerKeyBytes)));
      });
      return { level: word(PointerMiss.Level), found: word(PointerMiss.Found), members: word(PointerMiss.Members), keys };
    };
    const many = JSON.stringify({ top: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [i === 3 ? 'k'.repeat(70) : `key${i}`, i])) });
    const cases: [string, (string | number)[], ParseError, ReturnType<typeof miss>][] = [
      [registry, ['nope'], ParseError.PointerNotFound, { level: 0, found: PointerValue.Object, members: 3, keys: ['meta', 'projects', 'tail'] }],
      [registry, ['tail', 1], ParseError.PointerNotFound, { level: 1, found: PointerValue.Array, members: 1, keys: [] }],
      [registry, ['meta', 'n', 'x'], ParseError.PointerNotFound, { level: 2, found: PointerValue.Scalar, members: 0, keys: [] }],
      [registry, ['meta', 'n'], ParseError.PointerNotRecords, { level: 2, found: PointerValue.Scalar, members: 0, keys: [] }],
      [many, ['top', 'x'], ParseError.PointerNotFound, { level: 1, found: PointerValue.Object, members: 40, keys: Array.from({ length: Limit.PointerKeys }, (_, i) => (i === 3 ? 'k'.repeat(Limit.PointerKeyBytes) : `key${i}`)) }],
    ];
    for (const [text, tokens, code, expected] of cases) {
      const length = encoder.encode(text).length;
      for (const splits of [[], Array.from({ length: length - 1 }, (_, i) => i + 1)]) {
        const wasm = instance();
        expect(loadAt(wasm, text, tokens, splits), JSON.stringify(tokens)).toBe(FeedResult.Error);
        expect(parseStatus(wasm).errorCode).toBe(code);
        expect(miss(wasm), JSON.stringify(tokens)).toEqual(expected);
      }
    }
  });
});
