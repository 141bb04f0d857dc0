// The ABI has one source (assembly/abi.ts for numbers, exports.ts for signatures); these tests
// fail when the built module, that source, or the README describing it disagree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ColumnType, Descriptor, FeedResult, Limit, NodeField, NodeKind, ParseError, ParseFormat, Sentinel, Status } from '../assembly/abi';
import { abiEnums, declaredExports } from './abiSource';
import { descriptor, field, instance, internText, module, parseStatus, type Wasm } from './harness';

const enums = abiEnums();
const readme = readFileSync(new URL('../assembly/README.md', import.meta.url), 'utf8');

/** Rows of the markdown table that follows `heading` in the README, as cells. */
function tableAfter(heading: string): string[][] {
  const start = readme.indexOf(heading);
  expect(start, `README section "${heading}"`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of readme.slice(start).split('\n').slice(1)) {
    if (!line.startsWith('|')) {
      if (rows.length > 0) break;
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    if (cells.every((cell) => /^-+$/.test(cell))) continue;
    rows.push(cells);
  }
  return rows.slice(1); // without the header row
}

function u32(wasm: Wasm, address: number): number {
  return new Uint32Array(wasm.memory.buffer, address >>> 0, 1)[0];
}

describe('the exports', () => {
  it('exports.ts declares every export of the module, with its parameter count, and nothing else', () => {
    const declared = declaredExports();
    const wasm = new WebAssembly.Instance(module, { env: { parseNumber: Number } }).exports;
    const actual = new Map<string, number>();
    for (const { name, kind } of WebAssembly.Module.exports(module)) {
      actual.set(name, kind === 'function' ? (wasm[name] as (...args: unknown[]) => unknown).length : -1);
    }
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(actual));
  });

  it('imports only env.parseNumber', () => {
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'parseNumber', kind: 'function' }]);
  });

  it('the README lists every export, and only those', () => {
    // Each backticked span of the first column names exports, with or without their parameters.
    const listed = tableAfter('## Exports').flatMap(([cell]) =>
      [...cell.matchAll(/`([^`]+)`/g)].flatMap((span) => span[1].replace(/\([^)]*\)/g, '').split(/[\s,/]+/).filter((word) => /^[a-z]\w*$/.test(word))),
    );
    const names = WebAssembly.Module.exports(module).filter((entry) => entry.kind === 'function').map((entry) => entry.name);
    expect([...new Set(listed)].sort()).toEqual(names.sort());
  });
});

describe('abi.ts', () => {
  it('holds only explicit, distinct-per-enum values where distinctness matters', () => {
    for (const name of ['ColumnType', 'MixedTag', 'Descriptor', 'Status', 'NodeKind', 'NodeField', 'FeedResult', 'ParseError', 'PointerMiss', 'PointerValue', 'AggregateResult', 'GroupSum']) {
      const values = [...enums.get(name)!.values()];
      expect(new Set(values).size, name).toBe(values.length);
    }
  });

  it('layouts are u32 fields (and the descriptor i64 Base, 8-aligned) at increasing offsets, none overlapping, each struct ending at Bytes', () => {
    // Fields wider than a u32 word: the only one is an int column's base.
    const bytesOf = (name: string, member: string) => (name === 'Descriptor' && member === 'Base' ? 8 : 4);
    for (const name of ['Descriptor', 'NodeField', 'Roots']) {
      const fields = [...enums.get(name)!.entries()].filter(([member]) => member !== 'Bytes');
      let end = 0;
      for (const [member, offset] of fields) {
        expect(offset % bytesOf(name, member), `${name}.${member} is aligned`).toBe(0);
        expect(offset, `${name}.${member} follows the field before it`).toBeGreaterThanOrEqual(end);
        end = offset + bytesOf(name, member);
      }
      expect(enums.get(name)!.get('Bytes')! % 8, `${name}.Bytes keeps arena blocks 8-aligned`).toBe(0);
      expect(enums.get(name)!.get('Bytes')!).toBeGreaterThanOrEqual(end);
    }
    // The schema node's fields are packed without gaps.
    [...enums.get('NodeField')!.values()].filter((offset) => offset < NodeField.Bytes).forEach((offset, i) => { expect(offset).toBe(i * 4); });
  });

  it('the README tables of the descriptor and the schema node match abi.ts', () => {
    for (const [heading, name] of [['## Column descriptor', 'Descriptor'], ['## Schema node', 'NodeField'], ['## Roots', 'Roots']] as const) {
      const rows = tableAfter(heading).map(([offset, member]) => [member, Number(offset)] as const);
      const expected = [...enums.get(name)!.entries()].filter(([member]) => member !== 'Bytes');
      expect(rows, heading).toEqual(expected);
      expect(readme, `${heading} states the size`).toContain(`${heading} (${enums.get(name)!.get('Bytes')} bytes`);
    }
  });

  it('each Pointers mask names fields of its record, no field twice, and the README says which', () => {
    const records: Record<string, string> = { Column: 'Descriptor', Node: 'NodeField', Roots: 'Roots' };
    const pointers = enums.get('Pointers')!;
    const rows = new Map(tableAfter('### Pointers').map(([mask, fields]) => [mask, fields.split(', ')]));
    expect([...rows.keys()]).toEqual([...pointers.keys()]);
    const claimed = new Map<string, Set<number>>();
    for (const [mask, bits] of pointers) {
      const record = Object.keys(records).find((prefix) => mask.startsWith(prefix))!;
      const layout = enums.get(records[record])!;
      const fields: string[] = [];
      for (let bit = 0; bit < 32; bit++) {
        if ((bits & (1 << bit)) === 0) continue;
        const name = [...layout.entries()].find(([member, offset]) => member !== 'Bytes' && offset === bit * 4)?.[0];
        expect(name, `${mask} bit ${bit} is a field of ${records[record]}`).toBeDefined();
        const taken = claimed.get(record) ?? new Set<number>();
        expect(taken.has(bit), `${mask}: ${name} is in one mask only`).toBe(false);
        taken.add(bit);
        claimed.set(record, taken);
        fields.push(name!);
      }
      expect(fields, mask).toEqual(rows.get(mask));
    }
    expect([...enums.get('RecordKind')!.keys()].sort()).toEqual(Object.keys(records).sort());
  });

  it('the README table of the parse status matches abi.ts', () => {
    const rows = tableAfter('### ParseStatus').map(([offset, member]) => [member, Number(offset)] as const);
    expect(rows).toEqual([...enums.get('ParseStatus')!.entries()].filter(([member]) => member !== 'Bytes'));
  });

  it('the README table of a pointer miss matches abi.ts, and its slots fill the block', () => {
    const rows = tableAfter('### PointerMiss').map(([offset, member]) => [member, Number(offset)] as const);
    const miss = enums.get('PointerMiss')!;
    expect(rows).toEqual([...miss.entries()].filter(([member]) => member !== 'Slot' && member !== 'Bytes'));
    const limits = enums.get('Limit')!;
    expect(miss.get('Slot')).toBe(4 + limits.get('PointerKeyBytes')!);
    expect(miss.get('Bytes')).toBe(miss.get('Keys')! + limits.get('PointerKeys')! * miss.get('Slot')!);
  });

  it('the README names the column types and node kinds with their values', () => {
    for (const name of ['ColumnType', 'NodeKind', 'FeedResult']) {
      const rows = tableAfter(`### ${name}`).map(([value, member]) => [member, Number(value)] as const);
      expect(rows, name).toEqual([...enums.get(name)!.entries()]);
    }
  });
});

describe('the module reads and writes memory where abi.ts says', () => {
  it('descriptor fields: type, width, length, capacity, data, presence, counts, base', () => {
    const wasm = instance();
    const column = wasm.columnCreate(ColumnType.Int, 5, 0, 0, 0);
    expect(field(wasm, column, Descriptor.Type)).toBe(ColumnType.Int);
    expect(field(wasm, column, Descriptor.Capacity)).toBe(5);
    const big = 2 ** 40 + 7;
    expect(wasm.appendInt(column, big)).toBe(Status.Ok);
    expect(wasm.appendInt(column, big)).toBe(Status.Ok);
    expect(descriptor(wasm, column)).toMatchObject({ width: 0, length: 2, nulls: 0, missing: 0 });
    // Base: an i64 at its offset (both words: 2^40 passes the low one).
    expect(new BigInt64Array(wasm.memory.buffer, column + Descriptor.Base, 1)[0]).toBe(BigInt(big));
    expect(wasm.appendNull(column)).toBe(Status.Ok);
    expect(wasm.appendMissing(column)).toBe(Status.Ok);
    expect(wasm.appendInt(column, big + 300)).toBe(Status.Ok);
    const d = descriptor(wasm, column);
    expect(d).toMatchObject({ width: 2, length: 5, nullCount: 1, missingCount: 1 });
    // A value outside the frame moved the base (the spread of 300 now sits inside a u16's room).
    const deltas = new Uint16Array(wasm.memory.buffer, d.data, 5);
    expect([d.base + deltas[0], d.base + deltas[1], d.base + deltas[4]]).toEqual([big, big, big + 300]);
    expect(new Uint8Array(wasm.memory.buffer, d.nulls, 1)[0]).toBe(0b00100);
    expect(new Uint8Array(wasm.memory.buffer, d.missing, 1)[0]).toBe(0b01000);
  });

  it('descriptor fields: dictionary, its index, and the mixed payload', () => {
    const wasm = instance();
    const strings = wasm.columnCreate(ColumnType.String, 4, 0, 0, 0);
    const a = internText(wasm, 'a');
    const b = internText(wasm, 'b');
    for (const id of [a, b, a]) expect(wasm.appendString(strings, id)).toBe(Status.Ok);
    const d = descriptor(wasm, strings);
    expect(d.dictLength).toBe(2);
    expect([...new Uint32Array(wasm.memory.buffer, d.dict, 2)]).toEqual([a, b]);
    expect(field(wasm, strings, Descriptor.DictCapacity)).toBeGreaterThanOrEqual(2);
    // A small dictionary has no index (it is scanned); past Limit.SmallDictionary entries it gets one.
    expect(field(wasm, strings, Descriptor.DictIndex)).toBe(0);
    expect(wasm.dictionaryFind(strings, b)).toBe(1);
    const more = Array.from({ length: Limit.SmallDictionary }, (_, i) => internText(wasm, `s${i}`));
    for (const id of more) expect(wasm.appendString(strings, id)).toBe(Status.Ok);
    const indexCapacity = field(wasm, strings, Descriptor.DictIndexCapacity);
    expect(indexCapacity * 3).toBeGreaterThanOrEqual((Limit.SmallDictionary + 2) * 4); // at most 3/4 full
    const index = new Uint32Array(wasm.memory.buffer, field(wasm, strings, Descriptor.DictIndex), indexCapacity);
    // code + 1 under the capacity's mask per distinct string, the id's low bits above it
    const slots = [...index].filter((slot) => slot !== 0);
    expect(slots.map((slot) => slot & (indexCapacity - 1)).sort((x, y) => x - y)).toEqual(Array.from({ length: Limit.SmallDictionary + 2 }, (_, code) => code + 1));
    const ids = [a, b, ...more];
    for (const slot of slots) expect(slot >>> Math.log2(indexCapacity)).toBe(ids[(slot & (indexCapacity - 1)) - 1] % 2 ** (32 - Math.log2(indexCapacity)));
    expect(wasm.dictionaryFind(strings, b)).toBe(1);
    expect(wasm.dictionaryFind(strings, more[100])).toBe(102);

    const mixed = wasm.columnCreate(ColumnType.Mixed, 2, 0, 0, 0);
    expect(wasm.appendMixed(mixed, 2, 2.5)).toBe(Status.Ok);
    expect(new Float64Array(wasm.memory.buffer, descriptor(wasm, mixed).payload, 1)[0]).toBe(2.5);
  });

  it('schema node fields, and nodeField reads the same words', () => {
    const wasm = instance();
    const key = internText(wasm, 'id');
    const parentColumn = wasm.columnCreate(ColumnType.Struct, 1, 0, 0, 0);
    const parent = wasm.nodeCreate(NodeKind.Struct, parentColumn, Sentinel.NoKey, 0);
    const childColumn = wasm.columnCreate(ColumnType.Int, 1, 0, 0, 0);
    const child = wasm.nodeCreate(NodeKind.Scalar, childColumn, key, parent);
    expect(wasm.addField(parent, child)).toBeTruthy();
    expect(u32(wasm, child + NodeField.Kind)).toBe(NodeKind.Scalar);
    expect(u32(wasm, child + NodeField.Column)).toBe(childColumn);
    expect(u32(wasm, child + NodeField.Key)).toBe(key);
    expect(u32(wasm, child + NodeField.Parent)).toBe(parent);
    expect(u32(wasm, parent + NodeField.Key)).toBe(Sentinel.NoKey);
    expect(u32(wasm, parent + NodeField.FieldCount)).toBe(1);
    expect(u32(wasm, parent + NodeField.FieldCapacity)).toBeGreaterThanOrEqual(1);
    expect(u32(wasm, u32(wasm, parent + NodeField.Fields))).toBe(child);
    expect(u32(wasm, child + NodeField.PlainKey)).toBe(1);
    expect(u32(wasm, parent + NodeField.ReviewAt)).toBeGreaterThan(0);
    for (const [, offset] of enums.get('NodeField')!) {
      if (offset < NodeField.Bytes) expect(wasm.nodeField(child, offset) >>> 0).toBe(u32(wasm, child + offset));
    }
  });

  it('the parser links list elements through Element, and reports FeedResult and ParseError codes', () => {
    const wasm = instance();
    const feed = (text: string, format = ParseFormat.Json) => {
      expect(wasm.parseBegin(format, 0, 0)).toBeTruthy();
      const bytes = new TextEncoder().encode(text);
      const at = wasm.parseInput(bytes.length) >>> 0;
      new Uint8Array(wasm.memory.buffer, at, bytes.length).set(bytes);
      return wasm.parseFeed(bytes.length, 1);
    };
    expect(feed('[{"tags": [1, 2]}]')).toBe(FeedResult.Done);
    const root = wasm.schemaRoot() >>> 0;
    expect(u32(wasm, root + NodeField.Kind)).toBe(NodeKind.Struct);
    const tags = u32(wasm, u32(wasm, root + NodeField.Fields));
    expect(u32(wasm, tags + NodeField.Kind)).toBe(NodeKind.List);
    const element = u32(wasm, tags + NodeField.Element);
    expect(u32(wasm, element + NodeField.Parent)).toBe(tags);
    expect(field(wasm, u32(wasm, element + NodeField.Column), Descriptor.Length)).toBe(2);

    const feedBad = (text: string) => {
      const bad = instance();
      bad.parseBegin(ParseFormat.Json, 0, 0);
      const bytes = new TextEncoder().encode(text);
      const at = bad.parseInput(bytes.length) >>> 0;
      new Uint8Array(bad.memory.buffer, at, bytes.length).set(bytes);
      return [bad.parseFeed(bytes.length, 1), parseStatus(bad).errorCode];
    };
    expect(feedBad('[1,]')).toEqual([FeedResult.Error, ParseError.TrailingComma]);
    expect(feedBad('[1')).toEqual([FeedResult.Error, ParseError.UnexpectedEnd]);
    expect(feedBad('{"a" 1}')).toEqual([FeedResult.Error, ParseError.ExpectedColon]);
    expect(feedBad('[01]')).toEqual([FeedResult.Error, ParseError.BadNumber]);
    expect(feedBad('')).toEqual([FeedResult.Error, ParseError.EmptyInput]);
  });
});
