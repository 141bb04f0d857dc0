// Every failure is a MemstoreError that says where: invalid input values by path, wrong
// arguments by name, malformed JSON by offset/line/column, unknown paths with suggestions, use
// after dispose, and the memory cap.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  MemstoreCapacityError,
  MemstoreDisposedError,
  MemstoreError,
  MemstoreInputError,
  MemstoreParseError,
  MemstorePathError,
  MemstoreUnsupportedError,
  Store,
  type ListView,
} from '../src/index';
import { caught, exampleText, viewAt, withStore } from './helpers';

const cargoText = exampleText('cargo.json');

async function inputError(records: unknown[]): Promise<MemstoreInputError> {
  const error = await caught(() => Store.fromRecords(records));
  expect(error).toBeInstanceOf(MemstoreInputError);
  expect(error).toBeInstanceOf(MemstoreError);
  expect((error as MemstoreInputError).code).toBe('INPUT');
  expect((error as MemstoreInputError).name).toBe('MemstoreInputError');
  return error as MemstoreInputError;
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('fromRecords rejects what JSON.parse cannot produce, naming the path', () => {
  const good = { id: 1, product: { name: 'a', tags: ['x'] } };
  const cases: Array<[string, unknown, RegExp]> = [
    ['undefined', undefined, /undefined is not a JSON value/],
    ['a function', () => 1, /a function is not a JSON value/],
    ['NaN', NaN, /NaN is not a JSON number/],
    ['a Date', new Date(0), /a Date is not a plain object/],
    ['a Map', new Map([['a', 1]]), /a Map is not a plain object/],
    ['a Set', new Set([1]), /a Set is not a plain object/],
    ['a class instance', new Point(1, 2), /a Point is not a plain object/],
    ['a typed array', new Uint8Array(2), /a Uint8Array is not a plain object/],
    ['a boxed string', new String('s'), /a String is not a plain object/],
    ['a BigInt', 10n, /the BigInt 10n is not a JSON value/],
    ['a symbol', Symbol('s'), /a symbol is not a JSON value/],
    ['a regular expression', /x/, /a RegExp is not a plain object/],
  ];

  it.each(cases)('%s', async (_, bad, message) => {
    const records = [good, good, good, { id: 4, product: { name: bad, tags: [] } }];
    const error = await inputError(records);
    expect(error.path).toBe('records[3].product.name');
    expect(error.message).toContain('records[3].product.name');
    expect(error.message).toMatch(message);
  });

  it('paths name list indices and quote keys that are not identifiers', async () => {
    expect((await inputError([good, { tags: ['a', undefined] }])).path).toBe('records[1].tags[1]');
    expect((await inputError([{ 'a.b': { 'c d': [[1, NaN]] } }])).path).toBe('records[0]["a.b"]["c d"][0][1]');
    // biome-ignore lint/suspicious/noSparseArray: the hole is the input under test
    expect((await inputError([{ l: [1, , 3] }])).path).toBe('records[0].l[1]'); // a hole reads as undefined
    expect((await inputError([1, 2, undefined])).path).toBe('records[2]');
    expect((await inputError([{ '': NaN }])).path).toBe('records[0][""]');
  });

  it('cycles are input errors naming where the value contains itself', async () => {
    const cyclic: Record<string, unknown> = { id: 1 };
    cyclic.self = cyclic;
    const error = await inputError([{ ok: true }, { wrapper: cyclic }]);
    expect(error.message).toMatch(/cycle/);
    expect(error.path).toBe('records[1].wrapper.self');
    expect(error.message).toContain('records[1].wrapper.self');

    const list: unknown[] = [1];
    list.push({ back: list });
    const listError = await inputError([list]);
    expect(listError.path).toBe('records[0][1].back');

    // The same object twice (not nested in itself) is fine: it is not a cycle.
    const shared = { a: 1 };
    await withStore(Store.fromRecords([{ x: shared, y: shared }, shared]), (store) => {
      expect(store.toArray()).toEqual([{ x: { a: 1 }, y: { a: 1 } }, { a: 1 }]);
    });
  });

  it('objects with a null prototype are accepted (JSON-shaped data)', async () => {
    const record = Object.assign(Object.create(null), { a: 1, b: { c: 'x' } });
    await withStore(Store.fromRecords([record]), (store) => expect(store.toArray()).toEqual([{ a: 1, b: { c: 'x' } }]));
  });

  it('a failed fromRecords leaves nothing behind: the next store builds normally', async () => {
    await inputError([{ a: 1 }, { a: NaN }]);
    await withStore(Store.fromRecords([{ a: 1 }, { a: 2 }]), (store) => expect(store.toArray()).toEqual([{ a: 1 }, { a: 2 }]));
  });

  it.each([[{}], ['[1,2]'], [null], [undefined], [new Set([1])], [new Uint8Array(1)], [{ length: 1, 0: 1 }]])(
    'a non-array argument (%o) is a MemstoreInputError naming records',
    async (argument) => {
      const error = await caught(() => Store.fromRecords(argument as unknown[]));
      expect(error).toBeInstanceOf(MemstoreInputError);
      expect((error as MemstoreInputError).path).toBe('records');
      expect((error as Error).message).toMatch(/^records must be an array of records/);
    },
  );
});

describe('±Infinity: JSON.parse gives them (1e309), so every path stores them exactly', () => {
  // JSON.parse('[1e309, -1e309]') is [Infinity, -Infinity]; deepStrictEqual tells -0 from 0.
  const parsed = JSON.parse('[{"v":1e309},{"v":-1e999},{"v":-0},{"v":1.5}]');

  it('fromRecords and fromJSON of the same text give back JSON.parse of it, in float columns', async () => {
    expect(parsed[0].v).toBe(Infinity);
    await withStore(Store.fromRecords(parsed), (store) => {
      assert.deepStrictEqual(store.toArray(), parsed);
      expect(store.schema.fields![0].type).toBe('float');
      expect(store.max('v')).toBe(Infinity);
      expect(store.min('v')).toBe(-Infinity);
      expect(Array.from(store.where('v').gt(1e308).indices())).toEqual([0]);
    });
    await withStore(Store.fromJSON('[{"v":1e309},{"v":-1e999},{"v":-0},{"v":1.5}]'), (store) => assert.deepStrictEqual(store.toArray(), parsed));
  });

  it('in mixed columns, as scalars and nested (written as ±1e999 JSON text), and in lists', async () => {
    const records = [{ m: Infinity }, { m: 'x' }, { m: [-Infinity, [Infinity], -0] }, { m: { o: -Infinity, z: -0 } }, { l: [Infinity, -Infinity, 1] }];
    await withStore(Store.fromRecords(records), (store) => {
      expect(store.schema.fields![0].type).toBe('mixed');
      assert.deepStrictEqual(store.toArray(), records);
    });
    // The parser meeting them, then a rebuild as mixed that reads the old rows back from JS.
    const text = '[{"m":[1e400,-1e400]},{"m":{"o":-1e999}},{"m":"x"},{"m":1e309}]';
    await withStore(Store.fromJSON(text), (store) => assert.deepStrictEqual(store.toArray(), JSON.parse(text)));
  });

  it('append(records): an int column widens to float64, a mixed column takes them, nothing else changes', async () => {
    await withStore(Store.fromRecords([{ i: 1, m: 'a', n: { k: 2 } }]), async (store) => {
      expect(store.schema.fields![0].type).toBe('int');
      const more = [{ i: Infinity, m: -Infinity, n: { k: -Infinity } }, { i: -Infinity, m: [Infinity], n: { k: 3 } }];
      expect(await store.append(more)).toEqual({ appended: 2, skipped: [] });
      assert.deepStrictEqual(store.toArray(), [{ i: 1, m: 'a', n: { k: 2 } }, ...more]);
      expect(store.schema.fields![0].type).toBe('float');
      await store.append('[{"i":2,"m":1e999,"n":{"k":-1e999}}]');
      assert.deepStrictEqual(store.toArray().at(-1), { i: 2, m: Infinity, n: { k: -Infinity } });
    });
  });

  it('values JSON.parse never gives stay input errors: NaN, undefined, functions, symbols, BigInt', async () => {
    for (const bad of [NaN, undefined, () => 1, Symbol('s'), 1n]) {
      expect((await inputError([{ v: Infinity }, { v: bad }])).path).toBe('records[1].v');
      await withStore(Store.fromRecords([{ v: 1 }]), async (store) => {
        expect(await caught(() => store.append([{ v: bad }]))).toBeInstanceOf(MemstoreInputError);
        expect(store.toArray()).toEqual([{ v: 1 }]);
      });
    }
  });
});

describe('fromJSON: malformed text', () => {
  // Reasons: what a reader needs, whatever the parser's exact wording; never "end of input"
  // where the input goes on.
  const cases: Array<[string, number, number, number, RegExp]> = [
    ['[1,\n  2,]', 8, 2, 5, /trailing comma|unexpected character "\]"/],
    ['', 0, 1, 1, /no JSON value|unexpected end of input/],
    ['   ', 3, 1, 4, /no JSON value|unexpected end of input/],
    ['{"a":1,}', 7, 1, 8, /expected a string key/],
    ['[1 2]', 3, 1, 4, /expected "," or "\]"/],
    ['{"a" 1}', 5, 1, 6, /expected ":"/],
    ['{"a":1 "b":2}', 7, 1, 8, /expected "," or "}"/],
    ['[1]x', 3, 1, 4, /unexpected data after the JSON value/],
    ['"abc', 4, 1, 5, /unterminated string|unexpected end of input/],
    ['[01]', 2, 1, 3, /bad number/],
    ['[1.]', 3, 1, 4, /bad number|unexpected character "\]"/],
    ['[-]', 2, 1, 3, /bad number|unexpected character "\]"/],
    ['[1e]', 3, 1, 4, /bad number|unexpected character "\]"/],
    ['[NaN]', 1, 1, 2, /unexpected character "N"/],
    ["['a']", 1, 1, 2, /unexpected character "'"/],
    ['{"é":tru}', 6, 1, 6, /unexpected character "t"/],
    ['[\n\n   nul]', 6, 3, 4, /unexpected character "n"/],
    ['[1,\n2\n', 6, 3, 1, /unexpected end of input/],
    ['{"a":"\u0001"}', 6, 1, 7, /control character/],
    ['["\\x"]', 2, 1, 3, /bad escape/],
    ['[1,\r\n 2,,3]', 8, 2, 4, /unexpected character ","/],
    ['[1,2,]', 5, 1, 6, /trailing comma|unexpected character "\]"/],
    ['[,1]', 1, 1, 2, /unexpected character ","/],
    ['{"a":[1,{"b":}]}', 13, 1, 14, /unexpected character "}"/],
    ['[{"a":1]]', 7, 1, 8, /expected "," or "}"/],
    ['{"a":1}}', 7, 1, 8, /unexpected data after the JSON value/],
  ];

  it.each(cases)('%j → offset %i, line %i, column %i', async (text, offset, line, column, reason) => {
    for (const input of [text, new TextEncoder().encode(text)]) {
      const error = await caught(() => Store.fromJSON(input));
      expect(error).toBeInstanceOf(MemstoreParseError);
      const parseError = error as MemstoreParseError;
      expect(parseError.code).toBe('PARSE');
      expect({ offset: parseError.offset, line: parseError.line, column: parseError.column }).toEqual({ offset, line, column });
      expect(parseError.message).toMatch(reason);
      expect(parseError.message).toContain(`at byte ${offset} (line ${line}, column ${column})`);
      expect(parseError.message).not.toMatch(offset < new TextEncoder().encode(text).length ? /end of input/ : /$^/);
    }
    // The offset counts UTF-8 bytes: it is where the bytes go wrong.
    const bytes = new TextEncoder().encode(text);
    expect(new TextDecoder().decode(bytes.subarray(0, offset))).toBe(text.split('\n').slice(0, line - 1).concat(text.split('\n')[line - 1].slice(0, column - 1)).join('\n'));
  });

  it('a bad \\u escape is located inside the escape', async () => {
    const error = (await caught(() => Store.fromJSON('["\\u12g4"]'))) as MemstoreParseError;
    expect(error).toBeInstanceOf(MemstoreParseError);
    expect(error.message).toMatch(/bad escape|bad \\u escape/);
    expect(error.offset).toBeGreaterThanOrEqual(2);
    expect(error.offset).toBeLessThanOrEqual(6);
    expect(error.line).toBe(1);
    expect(error.column).toBe(error.offset! + 1);
  });

  it('a big document: the error is located on the right line', async () => {
    const lines = cargoText.split('\n');
    const bad = lines.findIndex((line, i) => i >= 4000 && line.includes('"'));
    lines[bad] = lines[bad].replace('"', "'");
    const error = (await caught(() => Store.fromJSON(lines.join('\n')))) as MemstoreParseError;
    expect(error).toBeInstanceOf(MemstoreParseError);
    expect(error.line).toBe(bad + 1);
    expect(error.column).toBe(lines[bad].indexOf("'") + 1);
    expect(error.offset).toBe(new TextEncoder().encode(lines.slice(0, bad).join('\n')).length + 1 + lines[bad].indexOf("'"));
  });
});

describe('fromJSON: invalid UTF-8', () => {
  const cases: Array<[string, number[], number, number, number]> = [
    ['a 0xFF byte', [0x5b, 0x22, 0xff, 0x22, 0x5d], 2, 1, 3],
    ['a lead byte without its continuation', [0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d], 2, 1, 3],
    ['a stray continuation byte', [0x5b, 0x31, 0x2c, 0x80, 0x5d], 3, 1, 4],
    ['an overlong encoding', [0x5b, 0x22, 0xc0, 0x80, 0x22, 0x5d], 2, 1, 3],
    ['an encoded surrogate (CESU/WTF-8, not UTF-8)', [0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d], 2, 1, 3],
    ['a truncated sequence at the end', [0x5b, 0x0a, 0x22, 0xe2, 0x82], 3, 2, 2],
    ['after a multi-byte character', [0x5b, 0x22, 0xc3, 0xa9, 0xff, 0x22, 0x5d], 4, 1, 4],
  ];

  it.each(cases)('%s', async (_, bytes, offset, line, column) => {
    const error = await caught(() => Store.fromJSON(new Uint8Array(bytes)));
    expect(error).toBeInstanceOf(MemstoreParseError);
    const parseError = error as MemstoreParseError;
    // Inside a string: invalid UTF-8; outside one, a stray byte is an unexpected character.
    expect(parseError.message).toMatch(/invalid UTF-8|unexpected character \(byte 0x80\)/i);
    expect({ offset: parseError.offset, line: parseError.line, column: parseError.column }).toEqual({ offset, line, column });
    expect(parseError.message).toContain(`at byte ${offset} (line ${line}, column ${column})`);
  });

  it('a UTF-8 byte order mark is skipped; well-formed multi-byte text is read exactly', async () => {
    const body = new TextEncoder().encode('["é😀中", {"\\ud800": 1}]');
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...body]);
    await withStore(Store.fromJSON(withBom), (store) => expect(store.toArray()).toEqual(['é😀中', { '\ud800': 1 }]));
  });
});

describe('wrong arguments are MemstoreInputErrors naming the argument', () => {
  const bytes = new TextEncoder().encode('[{"id":1}]');
  const deep = '/a'.repeat(65);
  const loads: Array<[string, () => unknown, string, RegExp]> = [
    ['fromJSON(5)', () => Store.fromJSON(5 as unknown as string), 'input', /^input must be JSON text: a string or UTF-8 bytes \(Uint8Array\), got 5\.$/],
    ['fromJSON(null)', () => Store.fromJSON(null as unknown as string), 'input', /got null/],
    ["format: 'xml'", () => Store.fromJSON('[1]', { format: 'xml' as 'json' }), 'options.format', /^options\.format must be 'json', 'ndjson' or 'jsonl', got "xml"\.$/],
    ["onError: 'ignore'", () => Store.fromJSON('1', { format: 'ndjson', onError: 'ignore' as 'skip' }), 'options.onError', /'throw' or 'skip', got "ignore"/],
    ["onError: 'skip' on JSON", () => Store.fromJSON('[1]', { onError: 'skip' }), 'options.onError', /applies to NDJSON input/],
    ['onSkip: 5', () => Store.fromJSON('1', { format: 'ndjson', onSkip: 5 as unknown as () => void }), 'options.onSkip', /must be a function, got 5/],
    ['onProgress: {}', () => Store.fromJSON('[1]', { onProgress: {} as unknown as () => void }), 'options.onProgress', /must be a function, got an object/],
    ['signal: true', () => Store.fromJSON('[1]', { signal: true as unknown as AbortSignal }), 'options.signal', /must be an AbortSignal, got true/],
    ['pointer: 5', () => Store.fromJSON('{"a":[1]}', { pointer: 5 as unknown as string }), 'options.pointer', /must be a JSON Pointer.*got 5/],
    ["pointer: 'features'", () => Store.fromJSON('{"a":[1]}', { pointer: 'features' }), 'options.pointer', /starting with '\/'.*got "features"/],
    ['a pointer 65 levels deep', () => Store.fromJSON('{"a":[1]}', { pointer: deep }), 'options.pointer', /65 levels; JSON Pointers deeper than 64/],
    ['a pointer on NDJSON', () => Store.fromJSON('1', { format: 'ndjson', pointer: '/a' }), 'options.pointer', /applies to JSON input/],
    ['options: null', () => Store.fromJSON('[1]', null as unknown as object), 'options', /^options must be an object, got null\.$/],
    ["options: 'ndjson'", () => Store.fromRecords([1], 'ndjson' as unknown as object), 'options', /got "ndjson"/],
    ['fromStream(5)', () => Store.fromStream(5 as unknown as Uint8Array[]), 'source', /^source must be a ReadableStream, a Node Readable or an \(async\) iterable of Uint8Array chunks, got 5\.$/],
    ['fromStream({})', () => Store.fromStream({} as unknown as Uint8Array[]), 'source', /got an object/],
    ['a number chunk', () => Store.fromStream([bytes.subarray(0, 3), 7 as unknown as Uint8Array]), 'source', /^source must yield chunks of JSON text \(Uint8Array, or string\); chunk 2 is 7\.$/],
    ['a Uint16Array chunk', () => Store.fromStream([new Uint16Array(2) as unknown as Uint8Array]), 'source', /chunk 1 is a Uint16Array/],
    ['totalBytes: -1', () => Store.fromStream([bytes], { totalBytes: -1 }), 'options.totalBytes', /got -1/],
    ['fromFile(5)', () => Store.fromFile(5 as unknown as string), 'path', /^path must be a file path \(a string\), got 5\.$/],
  ];

  it.each(loads)('%s', async (_, load, argument, message) => {
    const error = await caught(load);
    expect(error).toBeInstanceOf(MemstoreInputError);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as MemstoreInputError).code).toBe('INPUT');
    expect((error as MemstoreInputError).path).toBe(argument);
    expect((error as Error).message).toMatch(message);
  });

  it('append: a wrong input, option or chunk rejects and leaves the store as it was', async () => {
    await withStore(Store.fromJSON('[{"id":1}]'), async (store) => {
      const appends: Array<[() => unknown, string]> = [
        [() => store.append(5 as unknown as string), 'input'],
        [() => store.append(null as unknown as string), 'input'],
        [() => store.append('[{"id":2}]', { format: 'csv' as 'json' }), 'options.format'],
        [() => store.append([{ id: 2 }], { signal: {} as AbortSignal }), 'options.signal'],
        [() => store.append((function* () { yield bytes; yield 5 as unknown as Uint8Array; })()), 'input'],
        [() => store.append(bytes, 7 as unknown as object), 'options'],
      ];
      for (const [append, argument] of appends) {
        const error = await caught(append);
        expect(error).toBeInstanceOf(MemstoreInputError);
        expect((error as MemstoreInputError).path).toBe(argument);
        expect(store.toArray()).toEqual([{ id: 1 }]);
      }
      expect(await store.append(bytes)).toEqual({ appended: 1, skipped: [] });
    });
  });

  it('queries: the path, orderBy direction, in() values, length() literals, select() paths', async () => {
    await withStore(Store.fromRecords([{ id: 1, tags: ['a'] }]), (store) => {
      const queries: Array<[() => unknown, string, RegExp]> = [
        [() => store.where(42 as unknown as string), 'path', /^path must be a string .* got 42\.$/],
        [() => store.sum({} as unknown as string), 'path', /got an object/],
        [() => store.column(null as unknown as string), 'path', /got null/],
        [() => store.orderBy('id', 'up' as 'asc'), 'direction', /^orderBy: direction must be 'asc' or 'desc', got "up"\.$/],
        [() => store.where('id').in(5 as unknown as number[]), 'values', /^in\(\): values must be an array of values, got 5\.$/],
        [() => store.where('tags').length().gt(NaN), 'n', /^length\(\)\.gt\(\): n must be a number .* got NaN\.$/],
        [() => store.where('tags').length().between(0, '2' as unknown as number), 'hi', /got "2"/],
        [() => store.where('id').gte(0).select('id' as unknown as string[]), 'paths', /^select: paths must be an array of paths/],
      ];
      for (const [query, argument, message] of queries) {
        let error: unknown;
        try {
          query();
        } catch (thrown) {
          error = thrown;
        }
        expect(error, message.source).toBeInstanceOf(MemstoreInputError);
        expect((error as MemstoreInputError).path).toBe(argument);
        expect((error as Error).message).toMatch(message);
      }
    });
  });
});

describe('paths that name no field', () => {
  it('unknown paths raise MemstorePathError with the closest paths as suggestions', async () => {
    await withStore(Store.fromJSON(cargoText), (store) => {
      const r = viewAt(store, 0);
      const error = (() => {
        try {
          r.get('product.nmae');
        } catch (e) {
          return e as MemstorePathError;
        }
        throw new Error('no error');
      })();
      expect(error).toBeInstanceOf(MemstorePathError);
      expect(error.code).toBe('PATH');
      expect(error.path).toBe('product.nmae');
      expect(error.suggestions[0]).toBe('product.name');
      expect(error.message).toContain('Did you mean "product.name"');
      expect(() => store.get(0, ['prodcut', 'name'])).toThrow(MemstorePathError);
      expect(() => store.get(0, 'quantity.vlaue')).toThrow(/Did you mean "quantity.value"/);
      expect(() => r.get('dates.begin')).toThrow(MemstorePathError);
      expect(() => (r as any).product.get('nmae')).toThrow(MemstorePathError);
      // Unknown fields are errors even on a record where the parent is present and the path is deep.
      expect(() => r.get('product.name.first')).toThrow(MemstorePathError);
    });
  });

  it('no suggestion when nothing is close', async () => {
    await withStore(Store.fromJSON(cargoText), (store) => {
      try {
        viewAt(store, 0).get('zzzzzzzzzzzz');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(MemstorePathError);
        expect((error as MemstorePathError).suggestions).toEqual([]);
        expect((error as MemstorePathError).message).not.toContain('Did you mean');
      }
    });
  });

  it('unknown paths fail even where the parent is null or missing (the schema decides)', async () => {
    await withStore(Store.fromRecords([{ o: { a: 1 } }, { o: null }, {}]), (store) => {
      for (let i = 0; i < 3; i++) expect(() => store.get(i, 'o.b')).toThrow(MemstorePathError);
      expect(store.get(1, 'o.a')).toBeUndefined();
      expect(store.get(2, 'o.a')).toBeUndefined();
    });
  });

  it('a list indexed with anything but a non-negative integer is a MemstorePathError', async () => {
    await withStore(Store.fromRecords([{ tags: ['a', 'b'], items: [{ n: 1 }] }]), (store) => {
      const r = viewAt(store, 0);
      for (const path of ['tags.x', 'tags.-1', 'tags.01', 'tags. 1', 'tags.1e0', 'tags[x]', 'tags[01]', 'tags{}', 'items{key}'] as const) {
        expect(() => r.get(path), path).toThrow(MemstorePathError);
      }
      for (const path of [['tags', -1], ['tags', 1.5], ['tags', NaN], ['tags', 'x']] as const) {
        expect(() => r.get(path), JSON.stringify(path)).toThrow(MemstorePathError);
      }
      expect(() => r.get('tags.x')).toThrow(/"tags" is a list of string values; index it with a number \("tags\[1\]"\) or take each element/);
      // A field of a list's elements is read in each of them, as queries read it.
      expect(r.get('items.n')).toEqual([1]);
      expect(r.get('items[].n')).toEqual([1]);
      expect(r.get('items[0].n')).toBe(1);
      expect(r.get('tags.1')).toBe('b');
    });
  });

  it('a path below a scalar is a MemstorePathError; a path that is not a string or array is a MemstoreInputError', async () => {
    await withStore(Store.fromRecords([{ n: 1, s: 'x', b: true, f: 1.5 }]), (store) => {
      const r = viewAt(store, 0);
      expect(() => r.get('n.x')).toThrow(/holds numbers/);
      expect(() => r.get('s.length')).toThrow(MemstorePathError);
      expect(() => r.get('b.x')).toThrow(MemstorePathError);
      expect(() => r.get('f.x')).toThrow(MemstorePathError);
      expect(() => r.get(42 as unknown as string)).toThrow(MemstoreInputError);
      expect(() => r.get({} as unknown as string)).toThrow(/^path must be a string \('a\.b'\) or an array of keys \(\['a', 'b'\]\), got an object\.$/);
    });
  });
});

describe('use after dispose', () => {
  const records = [
    { id: 1, name: 'a', n: null as number | null, f: 1.5, tags: ['x', 'y'], o: { k: 'v' }, constructor: 7, items: [{ q: 1 }] },
    { id: 2, name: 'b', n: 3, f: 2, tags: [], o: { k: 'w' }, constructor: 8, items: [] },
  ];

  it('the store: at, toArray, length, schema, get, iteration, memory all throw MemstoreDisposedError', async () => {
    const store = await Store.fromRecords(records);
    expect(store.disposed).toBe(false);
    store.dispose();
    expect(store.disposed).toBe(true);
    store.dispose(); // twice is fine
    for (const use of [
      () => store.at(0),
      () => store.toArray(),
      () => store.length,
      () => store.schema,
      () => store.get(0, 'id'),
      () => [...store],
      () => store.memory(),
    ]) {
      const error = await caught(use);
      expect(error).toBeInstanceOf(MemstoreDisposedError);
      expect((error as MemstoreDisposedError).code).toBe('DISPOSED');
    }
  });

  it('existing record views: get() and toJSON() throw, list fields throw when read, fields keep their values', async () => {
    const store = await Store.fromRecords(records);
    const r = store.at(0) as any;
    const nested = r.o;
    const item = r.items.at(0);
    expect(r.constructor).toBe(7);
    const fields = { ...r };
    store.dispose();
    // A view's fields were copied when it was made (plain data, as toArray's): they stay.
    for (const key of ['id', 'name', 'n', 'f', 'tags', 'o', 'constructor', 'items']) expect(r[key], key).toBe(fields[key]);
    expect(() => r.tags.length).toThrow(MemstoreDisposedError);
    expect(() => r.items.at(0)).toThrow(MemstoreDisposedError);
    expect(() => nested.get('k')).toThrow(MemstoreDisposedError);
    expect(() => item.toJSON()).toThrow(MemstoreDisposedError);
    expect(() => r.toJSON()).toThrow(MemstoreDisposedError);
    expect(() => r.get('id')).toThrow(MemstoreDisposedError);
    expect(() => JSON.stringify(r)).toThrow(MemstoreDisposedError);
  });

  it('inspecting a disposed record view says so instead of throwing', async () => {
    const store = await Store.fromRecords([{ id: 1, o: { k: 'v' } }]);
    const r = store.at(0) as any;
    const nested = r.o;
    store.dispose();
    expect(inspect(r)).toBe('[disposed memstore record view]');
    expect(inspect(nested)).toBe('[disposed memstore record view]');
  });

  it('existing list views: at(), toJSON(), iteration and map throw', async () => {
    const store = await Store.fromRecords(records);
    const tags = (store.at(0) as any).tags as ListView<string>;
    const items = (store.at(0) as any).items as ListView<unknown>;
    store.dispose();
    expect(() => tags.at(0)).toThrow(MemstoreDisposedError);
    expect(() => tags.toJSON()).toThrow(MemstoreDisposedError);
    expect(() => [...tags]).toThrow(MemstoreDisposedError);
    expect(() => tags.map((t) => t)).toThrow(MemstoreDisposedError);
    expect(() => items.at(0)).toThrow(MemstoreDisposedError);
  });

  it('disposing one store leaves the others working', async () => {
    const one = await Store.fromRecords(records);
    const two = await Store.fromRecords(records);
    const view = two.at(0) as any;
    one.dispose();
    expect(view.name).toBe('a');
    expect(two.toArray()).toEqual(records);
    two.dispose();
  });
});

describe('a record that fails part-way leaves nothing behind', () => {
  // Lists and maps get their row after their elements: a record that fails inside one must
  // take those elements away too, or later rows read them (a bug this guards against).
  it('NDJSON with onError "skip": a line that fails inside a list does not shift later lists', async () => {
    const text = '{"a":[1,2,3],"m":{"k":[4]}}\n{"a":[5,6,x]}\n{"a":[7],"m":{"k":[8,9,}}}\n{"a":[10],"m":{"k":[]}}\n';
    await withStore(Store.fromJSON(text, { format: 'ndjson', onError: 'skip' }), (store) => {
      expect(store.toArray()).toEqual([{ a: [1, 2, 3], m: { k: [4] } }, { a: [10], m: { k: [] } }]);
    });
  });

  it('a failed append inside a list leaves the store as it was; the next append lines up', async () => {
    await withStore(Store.fromJSON('[{"a":[1,2]}]'), async (store) => {
      const error = await caught(() => store.append('[{"a":[3,4,'));
      expect(error).toBeInstanceOf(MemstoreParseError);
      expect(store.toArray()).toEqual([{ a: [1, 2] }]);
      await store.append('[{"a":[5]},{"a":[[6]]}]');
      expect(store.toArray()).toEqual([{ a: [1, 2] }, { a: [5] }, { a: [[6]] }]);
      expect(store.length).toBe(3);
    });
  });

  it('a value of a new kind inside a list (the column becomes mixed mid-record) keeps every element', async () => {
    for (const text of ['[[{},false]]', '[[false,{}]]', '[[{"a":1},{"a":2},"x"]]', '[{"l":[[1],[2],{"k":3}]},{"l":[4]}]']) {
      await withStore(Store.fromJSON(text), (store) => assert.deepStrictEqual(store.toArray(), JSON.parse(text)));
    }
  });
});

describe('the memory cap', () => {
  const cargoLike = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: 1_000_000 + i,
      product: { name: ['Duper', 'Super', 'NewProd'][i % 3], uid: `u${i % 50}` },
      quantity: { value: 1000 + (i % 1500), id: 'mt' },
    }));

  it('maxMemoryBytes of 1 MiB with 200k records raises MemstoreCapacityError; the next store builds', async () => {
    const records = cargoLike(200_000);
    const error = await caught(() => Store.fromRecords(records, { maxMemoryBytes: 2 ** 20 }));
    expect(error).toBeInstanceOf(MemstoreCapacityError);
    const capacity = error as MemstoreCapacityError;
    expect(capacity.code).toBe('CAPACITY');
    expect(capacity.limitBytes).toBe(2 ** 20);
    expect(capacity.requestedBytes).toBeGreaterThan(2 ** 20 / 2);
    expect(capacity.message).toMatch(/capacity exceeded/);
    expect(capacity.message).toContain('1.0 MiB');
    // Nothing half-built: a small store under the same cap, and the big one without it, work.
    await withStore(Store.fromRecords(records.slice(0, 1000), { maxMemoryBytes: 2 ** 20 }), (store) => {
      expect(store.length).toBe(1000);
      expect(store.memory().reservedBytes).toBeLessThanOrEqual(2 ** 20);
      expect(store.toArray()).toEqual(records.slice(0, 1000));
    });
    await withStore(Store.fromRecords(records), (store) => {
      expect(store.length).toBe(200_000);
      expect(store.at(-1)!.toJSON()).toEqual(records[199_999]);
    });
  });

  it('fromJSON passes the cap on', async () => {
    const text = JSON.stringify(cargoLike(200_000));
    expect(await caught(() => Store.fromJSON(text, { maxMemoryBytes: 2 ** 20 }))).toBeInstanceOf(MemstoreCapacityError);
  });

  it('running out while ingesting (values the up-front estimate does not cover) is a MemstoreCapacityError too', async () => {
    // Mixed nested values are stored as JSON text, interned during ingest: the reservation
    // made before ingest does not include them.
    const records = [{ v: 'x' }, ...Array.from({ length: 12_000 }, (_, i) => ({ v: [i, i * 3, -i, i / 7] }))];
    const error = await caught(() => Store.fromRecords(records, { maxMemoryBytes: 256 * 1024 }));
    expect(error).toBeInstanceOf(MemstoreCapacityError);
    await withStore(Store.fromRecords(records, { maxMemoryBytes: 8 * 2 ** 20 }), (store) => expect(store.toArray()).toEqual(records));
  });

  it('an append that would pass the cap raises MemstoreCapacityError and leaves the store as it was, still usable', async () => {
    const store = await Store.fromJSON('[{"id":1,"name":"a"},{"id":2,"name":"b"}]', { maxMemoryBytes: 2 * 2 ** 20 });
    const before = store.toArray();
    const big = Array.from({ length: 200_000 }, (_, i) => ({ id: i, name: `name-${i}` }));
    const error = await caught(() => store.append(big));
    expect(error).toBeInstanceOf(MemstoreCapacityError);
    expect(store.toArray()).toStrictEqual(before);
    expect(store.length).toBe(2);
    expect(await store.append('[{"id":3,"name":"a"}]')).toStrictEqual({ appended: 1, skipped: [] });
    expect(store.where('name').eq('a').count()).toBe(2);
    expect(store.sum('id')).toBe(6);
    store.dispose();
  });

  it('a cap below 128 KiB is a MemstoreCapacityError; a cap that is not a positive integer is a MemstoreInputError', async () => {
    expect(await caught(() => Store.fromRecords([1], { maxMemoryBytes: 64 * 1024 }))).toBeInstanceOf(MemstoreCapacityError);
    for (const bad of [0, -1, NaN, 1_500_000.5, -Infinity, '1' as unknown as number]) {
      const error = await caught(() => Store.fromRecords([1], { maxMemoryBytes: bad }));
      expect(error).toBeInstanceOf(MemstoreInputError);
      expect((error as MemstoreInputError).path).toBe('options.maxMemoryBytes');
      expect(await caught(() => Store.fromJSON('[1]', { maxMemoryBytes: bad }))).toBeInstanceOf(MemstoreInputError);
    }
    expect(((await caught(() => Store.fromRecords([1], { maxMemoryBytes: -1 }))) as Error).message).toBe(
      'options.maxMemoryBytes must be a positive integer number of bytes, got -1.',
    );
    // Infinity: no cap below the 4 GiB ceiling.
    await withStore(Store.fromRecords([1], { maxMemoryBytes: Infinity }), (store) => expect(store.length).toBe(1));
    await withStore(Store.fromRecords([1], { maxMemoryBytes: 128 * 1024 }), (store) => expect(store.toArray()).toEqual([1]));
    await withStore(Store.fromRecords([1], { maxMemoryBytes: 2 ** 40 }), (store) => expect(store.length).toBe(1));
  });
});

describe('error classes', () => {
  it('every error is a MemstoreError with a stable code and its class name', async () => {
    const errors = [
      await caught(() => Store.fromJSON('[')),
      await caught(() => Store.fromRecords([NaN])),
      await caught(() => Store.fromRecords([1], { maxMemoryBytes: 1024 * 64 })),
    ];
    expect(errors.map((e) => (e as MemstoreError).code)).toEqual(['PARSE', 'INPUT', 'CAPACITY']);
    for (const error of errors) {
      expect(error).toBeInstanceOf(MemstoreError);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe((error as Error).constructor.name);
    }
  });

  it('Store.fromFile through the platform-neutral entry is MemstoreUnsupportedError (as in a browser)', async () => {
    // This file imports ../src/index only (vitest isolates test files), so no file reading is installed.
    const error = await caught(() => Store.fromFile('examples/cargo.json'));
    expect(error).toBeInstanceOf(MemstoreUnsupportedError);
    expect((error as MemstoreUnsupportedError).code).toBe('UNSUPPORTED');
    expect((error as Error).message).toMatch(/needs Node\.js.*Store\.fromJSON/);
  });
});
