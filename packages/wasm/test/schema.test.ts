// The schema tree through the ABI: nodeCreate / addField / nodeField / nodeSetField / setRoot /
// schemaRoot, a hand-built tree the parser then extends (the fromRecords → append path), and
// schemaReserveRows growing every column's capacity by its rows per record without changing a
// length or a value, and refusing (growing nothing) past a small memory cap.
import { describe, expect, it } from 'vitest';
import { ColumnType, Descriptor, FeedResult, FieldEntry, NodeField, NodeKind, ParseFormat, Sentinel, Status } from '../assembly/abi';
import { descriptor, feed, field, instance, intAt, internText, listOffsets, nodeFields, presenceAt, stringAt, stringValueAt, type Wasm } from './harness';

const u32 = (value: number) => value >>> 0;

function load(wasm: Wasm, text: string): number {
  expect(wasm.parseBegin(ParseFormat.Json, 0, 0)).toBe(1);
  return feed(wasm, new TextEncoder().encode(text), true);
}

/** Every node of the tree below `node` (fields, list element, map parts), `node` first. */
function nodesBelow(wasm: Wasm, node: number): number[] {
  const below = [node, ...nodeFields(wasm, node).flatMap((child) => nodesBelow(wasm, child))];
  for (const part of [NodeField.Element, NodeField.MapKeys]) if (wasm.nodeField(node, part) !== 0) below.push(...nodesBelow(wasm, wasm.nodeField(node, part)));
  return below;
}

const columnOf = (wasm: Wasm, node: number) => wasm.nodeField(node, NodeField.Column);
const lengths = (wasm: Wasm) => nodesBelow(wasm, wasm.schemaRoot()).map((node) => field(wasm, columnOf(wasm, node), Descriptor.Length));
const capacities = (wasm: Wasm) => nodesBelow(wasm, wasm.schemaRoot()).map((node) => field(wasm, columnOf(wasm, node), Descriptor.Capacity));

/** Ten records: ints, strings, a list of three, a nested struct, nulls and a late key. */
const records = (from: number, count: number) =>
  JSON.stringify(Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return { id: n * 1000, name: `n${n % 3}`, list: [n, n + 1, n + 2], inner: n % 4 === 0 ? null : { x: n % 2 === 0 }, ...(n >= 5 ? { late: n } : {}) };
  }));

/** Row values through the columns, for checking that reserving rows changed none. */
function values(wasm: Wasm) {
  const [id, name, list, inner, late] = nodeFields(wasm, wasm.schemaRoot());
  const element = wasm.nodeField(list, NodeField.Element);
  const rows = field(wasm, columnOf(wasm, wasm.schemaRoot()), Descriptor.Length);
  return Array.from({ length: rows }, (_, row) => [
    intAt(wasm, columnOf(wasm, id), row), stringValueAt(wasm, columnOf(wasm, name), row),
    listOffsets(wasm, columnOf(wasm, list)).slice(row, row + 2).join('-'), presenceAt(wasm, columnOf(wasm, inner), row),
    presenceAt(wasm, columnOf(wasm, late), row), intAt(wasm, columnOf(wasm, element), 3 * row + 2),
  ]);
}

describe('schema nodes', () => {
  it('nodeCreate stores kind, column, key and parent; PlainKey says whether the key needs escaping', () => {
    const wasm = instance();
    expect(wasm.schemaRoot()).toBe(0);
    const column = wasm.columnCreate(ColumnType.Struct, 4, 0, 0, 0);
    const root = wasm.nodeCreate(NodeKind.Struct, column, Sentinel.NoKey, 0);
    expect(root).not.toBe(0);
    const read = (node: number, name: NodeField) => u32(wasm.nodeField(node, name));
    expect([NodeField.Kind, NodeField.Column, NodeField.Key, NodeField.Parent, NodeField.Fields, NodeField.FieldCount, NodeField.FieldCapacity,
      NodeField.Element, NodeField.MapKeys, NodeField.PlainKey, NodeField.ReviewAt].map((name) => read(root, name)))
      .toEqual([NodeKind.Struct, column, Sentinel.NoKey, 0, 0, 0, 0, 0, 0, 0, 64]);
    const keys = ['name', 'a"b', 'a\\b', 'line\nbreak', 'é'];
    const nodes = keys.map((key) => wasm.nodeCreate(NodeKind.Scalar, wasm.columnCreate(ColumnType.Int, 4, 0, 0, 0), internText(wasm, key), root));
    expect(nodes.map((node) => stringAt(wasm, read(node, NodeField.Key)))).toEqual(keys);
    expect(nodes.map((node) => read(node, NodeField.PlainKey))).toEqual([1, 0, 0, 0, 1]);
    expect(nodes.every((node) => read(node, NodeField.Parent) === root)).toBe(true);
    expect(new Set([root, ...nodes]).size).toBe(6);
  });

  it('addField appends in order, growing the field array; nodeSetField writes what nodeField reads', () => {
    const wasm = instance();
    const root = wasm.nodeCreate(NodeKind.Struct, wasm.columnCreate(ColumnType.Struct, 4, 0, 0, 0), Sentinel.NoKey, 0);
    const children = Array.from({ length: 9 }, (_, i) => wasm.nodeCreate(NodeKind.Unset, wasm.columnCreate(ColumnType.Null, 4, 0, 0, 0), internText(wasm, `f${i}`), root));
    const capacity: number[] = [];
    for (const child of children) {
      expect(wasm.addField(root, child)).toBe(1);
      capacity.push(wasm.nodeField(root, NodeField.FieldCapacity));
    }
    expect(capacity).toEqual([4, 4, 4, 4, 8, 8, 8, 8, 16]);
    expect(nodeFields(wasm, root)).toEqual(children);
    const [list, element] = children;
    wasm.nodeSetField(list, NodeField.Kind, NodeKind.List);
    wasm.nodeSetField(list, NodeField.Element, element);
    wasm.nodeSetField(list, NodeField.ReviewAt, 128);
    wasm.nodeSetField(list, NodeField.Key, Sentinel.NoKey);
    expect([wasm.nodeField(list, NodeField.Kind), wasm.nodeField(list, NodeField.Element), wasm.nodeField(list, NodeField.ReviewAt), u32(wasm.nodeField(list, NodeField.Key))])
      .toEqual([NodeKind.List, element, 128, Sentinel.NoKey]);
    expect(wasm.nodeField(children[1], NodeField.Kind)).toBe(NodeKind.Unset); // its neighbour is untouched
    wasm.setRoot(root);
    expect(wasm.schemaRoot()).toBe(root);
  });

  it('publishFields creates, keys and adds a request of fields in order, each entry then naming its node', () => {
    const wasm = instance();
    const root = wasm.nodeCreate(NodeKind.Struct, wasm.columnCreate(ColumnType.Struct, 4, 0, 0, 0), Sentinel.NoKey, 0);
    const first = wasm.nodeCreate(NodeKind.Scalar, wasm.columnCreate(ColumnType.Bool, 4, 0, 0, 0), internText(wasm, 'first'), root);
    expect(wasm.addField(root, first)).toBe(1);
    const keys = ['id', 'a"b', 'é', 'first-again', 'x'.repeat(300)];
    const kinds = [NodeKind.Scalar, NodeKind.Scalar, NodeKind.Struct, NodeKind.List, NodeKind.Scalar];
    const columns = kinds.map((kind) => wasm.columnCreate(kind === NodeKind.Struct ? ColumnType.Struct : kind === NodeKind.List ? ColumnType.List : ColumnType.Int, 4, 0, 0, 0));
    const encoded = keys.map((key) => new TextEncoder().encode(key));
    const entries = wasm.scratch(keys.length * FieldEntry.Bytes + encoded.reduce((sum, bytes) => sum + bytes.length, 0)) >>> 0;
    const words = new Uint32Array(wasm.memory.buffer);
    let at = entries + keys.length * FieldEntry.Bytes;
    keys.forEach((_, i) => {
      const entry = (entries + i * FieldEntry.Bytes) >>> 2;
      [words[entry], words[entry + 1], words[entry + 2]] = [kinds[i], columns[i], encoded[i].length];
      new Uint8Array(wasm.memory.buffer).set(encoded[i], at);
      at += encoded[i].length;
    });
    expect(wasm.publishFields(root, entries, keys.length)).toBe(1);
    const fields = nodeFields(wasm, root);
    const handles = keys.map((_, i) => new Uint32Array(wasm.memory.buffer)[((entries + i * FieldEntry.Bytes) >>> 2)]);
    expect(fields).toEqual([first, ...handles]);
    const read = (node: number, name: NodeField) => u32(wasm.nodeField(node, name));
    expect(handles.map((node) => stringAt(wasm, read(node, NodeField.Key)))).toEqual(keys);
    expect(handles.map((node) => [read(node, NodeField.Kind), read(node, NodeField.Column), read(node, NodeField.Parent)])).toEqual(kinds.map((kind, i) => [kind, columns[i], root]));
    expect(handles.map((node) => read(node, NodeField.PlainKey))).toEqual([1, 0, 1, 1, 1]);
  });

  it('the parser appends to a hand-built tree and extends it with new keys', () => {
    const wasm = instance();
    const rootColumn = wasm.columnCreate(ColumnType.Struct, 4, 0, 0, 0);
    const root = wasm.nodeCreate(NodeKind.Struct, rootColumn, Sentinel.NoKey, 0);
    const aColumn = wasm.columnCreate(ColumnType.Int, 4, 1, 0, 0);
    const a = wasm.nodeCreate(NodeKind.Scalar, aColumn, internText(wasm, 'a'), root);
    const tagsColumn = wasm.columnCreate(ColumnType.List, 4, 0, 0, 0);
    const tags = wasm.nodeCreate(NodeKind.List, tagsColumn, internText(wasm, 'tags'), root);
    const elementColumn = wasm.columnCreate(ColumnType.String, 4, 0, 0, 0);
    const element = wasm.nodeCreate(NodeKind.Scalar, elementColumn, Sentinel.NoKey, tags);
    wasm.nodeSetField(tags, NodeField.Element, element);
    expect([wasm.addField(root, a), wasm.addField(root, tags)]).toEqual([1, 1]);
    // One record stored as fromRecords would, then the parser appends.
    expect([wasm.appendStruct(rootColumn), wasm.appendInt(aColumn, 7), wasm.appendList(tagsColumn, 0)]).toEqual([Status.Ok, Status.Ok, Status.Ok]);
    wasm.setRoot(root);
    expect(load(wasm, '[{"a":1,"tags":["x","y"],"b":true},{"tags":["x"]}]')).toBe(FeedResult.Done);
    expect(wasm.schemaRoot()).toBe(root);
    const fields = nodeFields(wasm, root);
    expect(fields.slice(0, 2)).toEqual([a, tags]);
    expect(fields.map((child) => stringAt(wasm, wasm.nodeField(child, NodeField.Key)))).toEqual(['a', 'tags', 'b']);
    expect(wasm.nodeField(fields[2], NodeField.Parent)).toBe(root);
    expect([0, 1, 2].map((row) => (presenceAt(wasm, aColumn, row) === 'present' ? intAt(wasm, aColumn, row) : null))).toEqual([7, 1, null]);
    expect(listOffsets(wasm, tagsColumn)).toEqual([0, 0, 2, 3]);
    expect([0, 1, 2].map((row) => stringValueAt(wasm, elementColumn, row))).toEqual(['x', 'y', 'x']);
    const b = descriptor(wasm, columnOf(wasm, fields[2]));
    expect([b.type, b.length, b.missingCount]).toEqual([ColumnType.Bool, 3, 2]);
  });
});

describe('schemaReserveRows', () => {
  it('is a no-op without a root or rows to add', () => {
    const wasm = instance();
    expect(wasm.schemaReserveRows(1000)).toBe(1);
    expect(load(wasm, records(0, 10))).toBe(FeedResult.Done);
    const before = capacities(wasm);
    expect([wasm.schemaReserveRows(10), wasm.schemaReserveRows(3)]).toEqual([1, 1]);
    expect(capacities(wasm)).toEqual(before);
  });

  it('grows every column to its rows per record times the estimate, keeping lengths and values', () => {
    const wasm = instance();
    expect(load(wasm, records(0, 10))).toBe(FeedResult.Done);
    const rows = lengths(wasm);
    const before = capacities(wasm);
    const stored = values(wasm);
    expect(rows).toEqual([10, 10, 10, 10, 30, 10, 10, 10]); // root, id, name, list, list[], inner, inner.x, late
    expect(wasm.schemaReserveRows(1000)).toBe(1);
    expect(lengths(wasm)).toEqual(rows);
    expect(capacities(wasm)).toEqual(rows.map((length, i) => Math.max(before[i], Math.ceil(length * 100))));
    expect(values(wasm)).toEqual(stored);
    // A fractional factor rounds up per column; list elements scale with them (30 → 75).
    const other = instance();
    load(other, records(0, 10));
    const otherBefore = capacities(other);
    expect(other.schemaReserveRows(25)).toBe(1);
    const scaled = capacities(other);
    expect(scaled).toEqual(lengths(other).map((length, i) => Math.max(otherBefore[i], Math.ceil(length * 2.5))));
    expect(scaled[4]).toBe(75);
    // Appending within the reserve grows nothing.
    const reserved = capacities(wasm);
    expect(load(wasm, records(10, 90))).toBe(FeedResult.Done);
    expect(capacities(wasm)).toEqual(reserved);
    expect(values(wasm).slice(0, 10)).toEqual(stored);
    expect(values(wasm)[99]).toEqual([99_000, 'n0', '297-300', 'present', 'present', 101]);
  });

  it('returns false past the memory cap, growing nothing, and the store goes on', () => {
    const wasm = instance(8); // 512 KiB
    expect(load(wasm, records(0, 10))).toBe(FeedResult.Done);
    const rows = lengths(wasm);
    const before = capacities(wasm);
    const bytes = wasm.memory.buffer.byteLength;
    expect(wasm.schemaReserveRows(10_000_000)).toBe(0);
    expect([lengths(wasm), capacities(wasm), wasm.memory.buffer.byteLength]).toEqual([rows, before, bytes]);
    expect(wasm.schemaReserveRows(200)).toBe(1);
    expect(capacities(wasm)[0]).toBe(200);
    expect(load(wasm, records(10, 5))).toBe(FeedResult.Done);
    expect(values(wasm)[14]).toEqual([14_000, 'n2', '42-45', 'present', 'present', 16]);
    expect(wasm.memory.buffer.byteLength).toBeLessThanOrEqual(8 * 65536);
  });
});
