// The column kinds: a node per column of the schema tree, one class per kind. Each kind knows
// its own WASM column and node kind, its storage as users see it, how to write a JSON value
// into its column (ingest), read a row back as a view or a value (access) and as plain JSON
// (toJSON / toArray), and how its children hang below it. Planned by plan.ts, mirrored from
// WASM by mirror.ts; queries ask query/kinds.ts, views view/record.ts.
import { ColumnType, MixedTag, NodeKind, type Status } from '../wasm/abi';
import type { Engine } from '../engine';
import type { Column } from '../column';
import { exactStringify } from '../util/exactJson';
import type { SchemaStorage, SchemaType } from './describe';

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
  /** The WASM column type this kind creates. */
  abstract readonly columnType: ColumnType;
  /** The WASM schema node kind (assembly/schema.ts) standing for this one. */
  abstract readonly nodeKind: NodeKind;
  protected width = 0;
  protected dictionaryCapacity = 0;
  /** Whether the first pass saw nulls / missing rows here (then a bitmap will exist). */
  hasNulls = false;
  hasMissing = false;

  /** The child nodes and what each is to this one, in order. */
  links(): readonly Link[] {
    return NO_LINKS;
  }

  children(): Node[] {
    return this.links().map((link) => link.node);
  }

  /** Hangs a child below this node (mirroring the WASM schema); only structural kinds have children. */
  attach(role: LinkRole, child: Node): void {
    throw new Error(`memstore internal error: a ${this.schemaType} node has no ${role} (${child.path}).`);
  }

  /** How the column stores its values, as store.schema and column() report it. */
  abstract storage(): SchemaStorage;

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

/** What a child is to its parent: a struct's field, a list's element, a map's keys or values. */
export type LinkRole = 'field' | 'element' | 'keys' | 'values';
export interface Link {
  readonly role: LinkRole;
  readonly node: Node;
}
const NO_LINKS: readonly Link[] = [];

function widthStorage(width: number, names: readonly [SchemaStorage, SchemaStorage, SchemaStorage]): SchemaStorage {
  return width === 0 ? 'constant' : width === 1 ? names[0] : width === 2 ? names[1] : names[2];
}

function dictionaryIndexSlots(entries: number): number {
  let slots = 8;
  while (slots < entries * 2) slots *= 2;
  return slots;
}

function codeWidth(entries: number): number {
  return entries <= 1 ? 0 : entries <= 256 ? 1 : entries <= 65536 ? 2 : 4;
}

export class NullNode extends Node {
  readonly schemaType = 'null';
  readonly columnType = ColumnType.Null;
  readonly nodeKind = NodeKind.Unset;
  storage(): SchemaStorage {
    return 'presence';
  }
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
  readonly columnType = ColumnType.Bool;
  readonly nodeKind = NodeKind.Scalar;
  storage(): SchemaStorage {
    return 'bits';
  }
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
  readonly columnType = ColumnType.Int;
  readonly nodeKind = NodeKind.Scalar;
  storage(): SchemaStorage {
    return widthStorage(this.column.width, ['int8', 'int16', 'int32']);
  }
  /** `width`: the narrowest width holding every value the first pass saw (0: one value). */
  constructor(engine: Engine, path: string, key: string | null, capacity: number, width = 0) {
    super(engine, path, key, capacity);
    this.width = width;
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
  readonly columnType = ColumnType.Float64;
  readonly nodeKind = NodeKind.Scalar;
  storage(): SchemaStorage {
    return 'float64';
  }
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
  readonly columnType = ColumnType.String;
  readonly nodeKind = NodeKind.Scalar;
  storage(): SchemaStorage {
    return widthStorage(this.column.width, ['dict8', 'dict16', 'dict32']);
  }
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
  readonly columnType = ColumnType.Mixed;
  readonly nodeKind = NodeKind.Mixed;
  storage(): SchemaStorage {
    return 'tagged';
  }
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
  readonly columnType = ColumnType.Struct;
  readonly nodeKind = NodeKind.Struct;
  storage(): SchemaStorage {
    return 'presence';
  }
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

  /** Puts `node` in the place of the field it replaces (a rebuilt or retyped column of the same key). */
  replaceField(node: Node): void {
    const key = node.key!;
    const index = this.fieldList.indexOf(this.fields.get(key)!);
    this.fields.set(key, node);
    this.fieldList[index] = node;
  }

  override links(): readonly Link[] {
    return this.fieldList.map((node) => ({ role: 'field', node }));
  }

  override children(): Node[] {
    return this.fieldList;
  }

  override attach(role: LinkRole, child: Node): void {
    if (role !== 'field') super.attach(role, child);
    this.addField(child.key!, child);
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
  readonly columnType = ColumnType.List;
  readonly nodeKind = NodeKind.List;
  storage(): SchemaStorage {
    return 'offsets';
  }
  element!: Node;
  /** Set by the view layer: makes the list view for a row. */
  listView: ((node: ListNode, start: number, end: number) => object) | null = null;

  protected override dataBytes(): number {
    return (this.capacity + 1) * 4;
  }

  override links(): readonly Link[] {
    return [{ role: 'element', node: this.element }];
  }

  override attach(role: LinkRole, child: Node): void {
    if (role !== 'element') super.attach(role, child);
    this.element = child;
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
  readonly columnType = ColumnType.List;
  readonly nodeKind = NodeKind.Map;
  storage(): SchemaStorage {
    return 'offsets';
  }
  keys!: StringNode;
  values!: Node;

  protected override dataBytes(): number {
    return (this.capacity + 1) * 4;
  }

  override links(): readonly Link[] {
    return [{ role: 'keys', node: this.keys }, { role: 'values', node: this.values }];
  }

  override attach(role: LinkRole, child: Node): void {
    if (role === 'keys') this.keys = child as StringNode;
    else if (role === 'values') this.values = child;
    else super.attach(role, child);
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

