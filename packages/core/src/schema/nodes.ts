// The schema as a tree of nodes, one column each. A node knows how to write a JSON value into
// its column (ingest), read a row back as a view or a value (access), and as plain JSON
// (toJSON / toArray). Built from the first pass's observations by `planSchema`.
import { ColumnType, MixedTag, type Status } from '../wasm/abi';
import type { Engine } from '../engine';
import type { Column } from '../column';
import { Kind, Observed } from './observe';
import { exactStringify } from '../util/exactJson';
import { wtf8Length } from '../util/wtf8';
import type { SchemaType } from './describe';

/** A struct with at least this many keys, each in few of its objects, is stored as a map. */
export const MAP_MIN_KEYS = 32;

const hasOwn = Object.prototype.hasOwnProperty;

export abstract class Node {
  readonly engine: Engine;
  /** Display path: `product.name`, `tags[]`, `attrs{}` (map values), `attrs{key}`. */
  readonly path: string;
  /** Key in the parent struct; null for the root, list elements and map parts. */
  readonly key: string | null;
  readonly capacity: number;
  column!: Column;
  /** The WASM schema node behind this one (schema.ts); 0 until published. */
  wasmNode = 0;

  constructor(engine: Engine, path: string, key: string | null, capacity: number) {
    this.engine = engine;
    this.path = path;
    this.key = key;
    this.capacity = capacity;
  }

  abstract readonly schemaType: SchemaType;
  protected abstract readonly columnType: ColumnType;
  protected width = 0;
  protected dictionaryCapacity = 0;
  /** Whether the first pass saw nulls / missing rows here (then a bitmap will exist). */
  hasNulls = false;
  hasMissing = false;

  children(): Node[] {
    return [];
  }

  /** Bytes the column will take once filled, for a single exact memory reservation. */
  estimateBytes(): number {
    const bitmap = (this.capacity + 7) >>> 3;
    return 64 + 8 + this.dataBytes() + (this.hasNulls ? bitmap + 8 : 0) + (this.hasMissing ? bitmap + 8 : 0) +
      (this.dictionaryCapacity > 0 ? this.dictionaryCapacity * 4 + 8 + dictionaryIndexSlots(this.dictionaryCapacity) * 4 + 8 : 0);
  }

  protected dataBytes(): number {
    return 0;
  }

  createColumns(): void {
    const handle = this.engine.exports.columnCreate(this.columnType, this.capacity, this.width, this.dictionaryCapacity) >>> 0;
    if (handle === 0) throw this.engine.capacityError(`creating the column ${this.path}`);
    this.column = this.engine.columnFor(handle);
    for (const child of this.children()) child.createColumns();
  }

  /** Appends `value` (present: never undefined) as the next row. */
  abstract write(value: unknown): void;

  /** Appends a missing row: the key is absent, or an ancestor is absent or null. */
  writeMissing(): void {
    this.engine.check(this.engine.exports.appendMissing(this.column.handle), `storing ${this.path}`);
  }

  protected writeNull(): void {
    this.engine.check(this.engine.exports.appendNull(this.column.handle), `storing ${this.path}`);
  }

  /** The row as users read it: views for structs and lists, values otherwise; undefined if missing. */
  abstract read(row: number): unknown;

  /** The row as plain JSON (what JSON.parse gave); undefined if missing. */
  abstract plain(row: number): unknown;

  /** Null, missing, or present? Shared by every reader. */
  absentValue(row: number): null | undefined | typeof PRESENT {
    const column = this.column;
    if (column.missing !== null && column.isMissing(row)) return undefined;
    if (column.nulls !== null && column.isNull(row)) return null;
    return PRESENT;
  }
}

/** Marker returned by `absentValue` for rows that hold a value. */
export const PRESENT = Symbol('present');

function dictionaryIndexSlots(entries: number): number {
  let slots = 8;
  while (slots < entries * 2) slots *= 2;
  return slots;
}

function intWidth(value: number): number {
  return value >= -128 && value <= 127 ? 1 : value >= -32768 && value <= 32767 ? 2 : 4;
}

function codeWidth(entries: number): number {
  return entries <= 1 ? 0 : entries <= 256 ? 1 : entries <= 65536 ? 2 : 4;
}

export class NullNode extends Node {
  readonly schemaType = 'null';
  protected readonly columnType = ColumnType.Null;
  write(): void {
    this.writeNull();
  }
  read(row: number): null | undefined {
    return this.column.isMissing(row) ? undefined : null;
  }
  plain(row: number): null | undefined {
    return this.read(row);
  }
}

export class BoolNode extends Node {
  readonly schemaType = 'bool';
  protected readonly columnType = ColumnType.Bool;
  protected override dataBytes(): number {
    return (this.capacity + 7) >>> 3;
  }
  write(value: unknown): void {
    if (value === null) return this.writeNull();
    this.engine.check(this.engine.exports.appendBool(this.column.handle, value ? 1 : 0), `storing ${this.path}`);
  }
  read(row: number): boolean | null | undefined {
    const absent = this.absentValue(row);
    if (absent !== PRESENT) return absent;
    return (this.column.data[row >>> 3] & (1 << (row & 7))) !== 0;
  }
  plain(row: number): boolean | null | undefined {
    return this.read(row);
  }
}

export class IntNode extends Node {
  readonly schemaType = 'int';
  protected readonly columnType = ColumnType.Int;
  constructor(engine: Engine, path: string, key: string | null, capacity: number, observed?: Observed) {
    super(engine, path, key, capacity);
    if (observed) this.width = observed.intMin === observed.intMax ? 0 : Math.max(intWidth(observed.intMin), intWidth(observed.intMax));
  }
  protected override dataBytes(): number {
    return this.capacity * this.width;
  }
  write(value: unknown): void {
    if (value === null) return this.writeNull();
    this.engine.check(this.engine.exports.appendInt(this.column.handle, value as number), `storing ${this.path}`);
  }
  read(row: number): number | null | undefined {
    const absent = this.absentValue(row);
    if (absent !== PRESENT) return absent;
    const column = this.column;
    return column.width === 0 ? column.data[0] : column.data[row];
  }
  plain(row: number): number | null | undefined {
    return this.read(row);
  }
}

export class FloatNode extends Node {
  readonly schemaType = 'float';
  protected readonly columnType = ColumnType.Float64;
  protected override dataBytes(): number {
    return this.capacity * 8;
  }
  write(value: unknown): void {
    if (value === null) return this.writeNull();
    this.engine.check(this.engine.exports.appendFloat64(this.column.handle, value as number), `storing ${this.path}`);
  }
  read(row: number): number | null | undefined {
    const absent = this.absentValue(row);
    if (absent !== PRESENT) return absent;
    return this.column.data[row];
  }
  plain(row: number): number | null | undefined {
    return this.read(row);
  }
}

export class StringNode extends Node {
  readonly schemaType = 'string';
  protected readonly columnType = ColumnType.String;
  constructor(engine: Engine, path: string, key: string | null, capacity: number, distinct = 0) {
    super(engine, path, key, capacity);
    this.width = codeWidth(distinct);
    this.dictionaryCapacity = distinct;
  }
  protected override dataBytes(): number {
    return this.capacity * this.width;
  }
  write(value: unknown): void {
    if (value === null) return this.writeNull();
    this.writeString(value as string);
  }
  writeString(value: string): void {
    const id = this.engine.intern(value);
    this.engine.check(this.engine.exports.appendString(this.column.handle, id), `storing ${this.path}`);
  }
  read(row: number): string | null | undefined {
    const absent = this.absentValue(row);
    if (absent !== PRESENT) return absent;
    return this.column.stringAt(row, this.engine);
  }
  plain(row: number): string | null | undefined {
    return this.read(row);
  }
}

export class MixedNode extends Node {
  readonly schemaType = 'mixed';
  protected readonly columnType = ColumnType.Mixed;
  protected override dataBytes(): number {
    return this.capacity * 9 + 8;
  }
  write(value: unknown): void {
    if (value === null) return this.writeNull();
    this.engine.check(appendMixedValue(this.engine, this.column.handle, value), `storing ${this.path}`);
  }
  read(row: number): unknown {
    return this.plain(row);
  }
  plain(row: number): unknown {
    const absent = this.absentValue(row);
    if (absent !== PRESENT) return absent;
    const column = this.column;
    switch (column.data[row] as MixedTag) {
      case MixedTag.False:
        return false;
      case MixedTag.True:
        return true;
      case MixedTag.Number:
        return column.payload[row];
      case MixedTag.String:
        return this.engine.string(column.payload[row]);
      default:
        // Parsed anew on every read: callers get their own copy to mutate.
        return JSON.parse(this.engine.string(column.payload[row]));
    }
  }
}

/** Appends a non-null JSON value to a mixed column: scalars tagged, nested values as exact JSON text. */
export function appendMixedValue(engine: Engine, column: number, value: unknown): Status {
  switch (typeof value) {
    case 'boolean':
      return engine.exports.appendMixed(column, value ? MixedTag.True : MixedTag.False, 0);
    case 'number':
      return engine.exports.appendMixed(column, MixedTag.Number, value);
    case 'string':
      return engine.exports.appendMixed(column, MixedTag.String, engine.intern(value));
    default:
      return engine.exports.appendMixed(column, MixedTag.Json, engine.intern(exactStringify(value)));
  }
}

/** A struct: presence in its own column, each key a child column aligned row for row. */
export class StructNode extends Node {
  readonly schemaType = 'struct';
  protected readonly columnType = ColumnType.Struct;
  readonly fields = new Map<string, Node>();
  /** Fields in first-seen order, and which keys `obj[key]` could find on Object.prototype. */
  private fieldList: Node[] = [];
  private inherited: boolean[] = [];
  /** Set by the view layer: the class whose instances are this struct's record views. */
  viewClass: (new (row: number) => object) | null = null;

  addField(key: string, node: Node): void {
    this.fields.set(key, node);
    this.fieldList.push(node);
    this.inherited.push(key in Object.prototype);
  }

  override children(): Node[] {
    return this.fieldList;
  }

  write(value: unknown): void {
    if (value === null) {
      this.writeNull();
      for (const field of this.fieldList) field.writeMissing();
      return;
    }
    this.engine.check(this.engine.exports.appendStruct(this.column.handle), `storing ${this.path}`);
    const record = value as Record<string, unknown>;
    const fields = this.fieldList;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      const key = field.key!;
      // Absent keys read as undefined, except names Object.prototype has ("constructor", "__proto__"…).
      const fieldValue = this.inherited[i] && !hasOwn.call(record, key) ? undefined : record[key];
      if (fieldValue === undefined) field.writeMissing();
      else field.write(fieldValue);
    }
  }

  override writeMissing(): void {
    super.writeMissing();
    for (const field of this.fieldList) field.writeMissing();
  }

  read(row: number): object | null | undefined {
    const absent = this.absentValue(row);
    if (absent !== PRESENT) return absent;
    return new this.viewClass!(row);
  }

  plain(row: number): Record<string, unknown> | null | undefined {
    const absent = this.absentValue(row);
    if (absent !== PRESENT) return absent;
    const result: Record<string, unknown> = {};
    for (const field of this.fieldList) {
      const value = field.plain(row);
      if (value !== undefined) setOwn(result, field.key!, value);
    }
    return result;
  }
}

/** Sets an own enumerable property, even for "__proto__" (plain assignment would set the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** A list: u32 offsets per row into the element column. */
export class ListNode extends Node {
  readonly schemaType = 'list';
  protected readonly columnType = ColumnType.List;
  element!: Node;
  /** Set by the view layer: makes the list view for a row. */
  listView: ((node: ListNode, start: number, end: number) => object) | null = null;

  protected override dataBytes(): number {
    return (this.capacity + 1) * 4;
  }

  override children(): Node[] {
    return [this.element];
  }

  write(value: unknown): void {
    if (value === null) return this.writeNull();
    const items = value as unknown[];
    this.engine.check(this.engine.exports.appendList(this.column.handle, items.length), `storing ${this.path}`);
    const element = this.element;
    for (let i = 0; i < items.length; i++) element.write(items[i]);
  }

  read(row: number): object | null | undefined {
    const absent = this.absentValue(row);
    if (absent !== PRESENT) return absent;
    const offsets = this.column.data;
    return this.listView!(this, offsets[row], offsets[row + 1]);
  }

  plain(row: number): unknown[] | null | undefined {
    const absent = this.absentValue(row);
    if (absent !== PRESENT) return absent;
    const offsets = this.column.data;
    const start = offsets[row];
    const end = offsets[row + 1];
    const result = new Array(end - start);
    for (let i = start; i < end; i++) result[i - start] = this.element.plain(i);
    return result;
  }
}

/** An object used as a map (ids as keys): entries as a list of (key, value) rows. */
export class MapNode extends Node {
  readonly schemaType = 'map';
  protected readonly columnType = ColumnType.List;
  keys!: StringNode;
  values!: Node;

  protected override dataBytes(): number {
    return (this.capacity + 1) * 4;
  }

  override children(): Node[] {
    return [this.keys, this.values];
  }

  write(value: unknown): void {
    if (value === null) return this.writeNull();
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    this.engine.check(this.engine.exports.appendList(this.column.handle, keys.length), `storing ${this.path}`);
    for (const key of keys) {
      this.keys.writeString(key);
      this.values.write(record[key]);
    }
  }

  /** Entry row of `key` in `row`, or -1. */
  entryOf(row: number, key: string): number {
    const offsets = this.column.data;
    for (let entry = offsets[row]; entry < offsets[row + 1]; entry++) {
      if (this.keys.column.stringAt(entry, this.engine) === key) return entry;
    }
    return -1;
  }

  /** Maps read as plain objects: their keys are data, so a view class per map would not fit. */
  read(row: number): Record<string, unknown> | null | undefined {
    return this.plain(row);
  }

  plain(row: number): Record<string, unknown> | null | undefined {
    const absent = this.absentValue(row);
    if (absent !== PRESENT) return absent;
    const offsets = this.column.data;
    const result: Record<string, unknown> = {};
    for (let entry = offsets[row]; entry < offsets[row + 1]; entry++) {
      setOwn(result, this.keys.column.stringAt(entry, this.engine), this.values.plain(entry));
    }
    return result;
  }
}

/** Turns the first pass's observations into the node tree, deciding every column's type. */
export function planSchema(engine: Engine, observed: Observed, rows: number): Node {
  return planNode(engine, observed, rows, '', null);
}

function planNode(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): Node {
  const node = chooseNode(engine, observed, capacity, path, key);
  node.hasNulls = observed.nullCount > 0 && !(node instanceof NullNode);
  node.hasMissing = observed.present < capacity;
  return node;
}

function chooseNode(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): Node {
  const kinds = observed.kinds & ~Kind.Null;
  switch (kinds) {
    case 0:
      return new NullNode(engine, path, key, capacity);
    case Kind.Bool:
      return new BoolNode(engine, path, key, capacity);
    case Kind.Int:
      return new IntNode(engine, path, key, capacity, observed);
    case Kind.Float:
    case Kind.Int | Kind.Float:
      return new FloatNode(engine, path, key, capacity);
    case Kind.String:
      return new StringNode(engine, path, key, capacity, observed.strings!.size);
    case Kind.Array: {
      const list = new ListNode(engine, path, key, capacity);
      list.element = planNode(engine, observed.element ?? new Observed(), observed.elementTotal, `${path}[]`, null);
      return list;
    }
    case Kind.Object:
      return isMapLike(observed) ? planMap(engine, observed, capacity, path, key) : planStruct(engine, observed, capacity, path, key);
    default:
      return new MixedNode(engine, path, key, capacity);
  }
}

/** Many distinct keys, each in few of the objects: ids used as keys, not a record shape. */
function isMapLike(observed: Observed): boolean {
  const keyCount = observed.fields?.size ?? 0;
  return keyCount >= MAP_MIN_KEYS && (observed.keyTotal / keyCount) * 8 <= observed.objectCount;
}

function planStruct(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): StructNode {
  const struct = new StructNode(engine, path, key, capacity);
  for (const [fieldKey, field] of observed.fields ?? []) {
    struct.addField(fieldKey, planNode(engine, field, capacity, joinPath(path, fieldKey), fieldKey));
  }
  return struct;
}

function planMap(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): MapNode {
  const values = new Observed();
  for (const field of observed.fields!.values()) values.mergeFrom(field);
  return planMapOf(engine, values, observed.keyTotal, observed.fields!.size, capacity, path, key);
}

/** A map node for `capacity` rows holding `entries` entries with `distinctKeys` keys, values as observed. */
export function planMapOf(
  engine: Engine, values: Observed, entries: number, distinctKeys: number, capacity: number, path: string, key: string | null,
): MapNode {
  const map = new MapNode(engine, path, key, capacity);
  map.keys = new StringNode(engine, `${path}{key}`, null, entries, distinctKeys);
  map.values = planNode(engine, values, entries, `${path}{}`, null);
  return map;
}

/** The map test on finished columns (the parser's view of a struct): see isMapLike. */
export function looksLikeMap(struct: StructNode): boolean {
  const column = struct.column;
  const objects = column.length - column.nullCount - column.missingCount;
  let keyTotal = 0;
  for (const field of struct.children()) keyTotal += field.column.length - field.column.missingCount;
  const keyCount = struct.fields.size;
  // No finished object yet (the first record has many keys): nothing to judge by.
  return objects > 0 && keyCount >= MAP_MIN_KEYS && (keyTotal / keyCount) * 8 <= objects;
}

export function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** Every node of the tree, depth first. */
export function allNodes(root: Node): Node[] {
  const nodes: Node[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes.push(node);
    const children = node.children();
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return nodes;
}

/**
 * The string table's size once loaded: distinct strings over all columns (and the keys of
 * objects that become maps). Nested values of mixed columns are not counted; the table grows for them.
 */
export function estimateStringBytes(observed: Observed): { count: number; bytes: number } {
  const distinct = new Set<string>();
  const stack = [observed];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.strings) for (const text of node.strings) distinct.add(text);
    if (node.fields) {
      const mapLike = isMapLike(node);
      for (const [key, field] of node.fields) {
        if (mapLike) distinct.add(key);
        stack.push(field);
      }
    }
    if (node.element) stack.push(node.element);
  }
  let bytes = 0;
  for (const text of distinct) bytes += wtf8Length(text);
  return { count: distinct.size, bytes };
}
