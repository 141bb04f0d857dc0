// The container kinds: a struct (a presence column, each key a child column aligned row for
// row), a list (u32 offsets per row into its element column) and a map (an object whose keys
// are data: a list of key and value rows).
import { ColumnType, NodeKind } from '../wasm/abi';
import type { SchemaStorage } from './describe';
import { absent, Node, PRESENT, type Link, type LinkRole } from './node';
import { Kind } from './observe';
import type { StringNode } from './scalars';
import { buildView, type MakeView } from '../view/record';
import { makeListView } from '../view/list';

const hasOwn = Object.prototype.hasOwnProperty;

/** A struct: presence in its own column, each key a child column aligned row for row. */
export class StructNode extends Node {
  get schemaType() { return 'struct' as const; }
  get columnType() { return ColumnType.Struct; }
  get nodeKind() { return NodeKind.Struct; }
  /**
   * A struct's buffers are its field list and, from 8 fields on, its key index: u32 entries and
   * twice as many u32 slots for a capacity that doubles (schema.ts addField).
   */
  protected override dataBytes(): number {
    // The list, not `fields`: that Map is made on first use, and a load's estimate is not one.
    const fields = this.fieldList.length;
    if (fields === 0) return 0;
    const capacity = Math.max(4, 2 ** Math.ceil(Math.log2(fields)));
    return capacity * 4 + (fields >= 8 ? capacity * 8 : 0) + 16;
  }

  storage(): SchemaStorage {
    return 'presence';
  }
  takes(kinds: number): boolean {
    return kinds === Kind.Object;
  }
  /** Fields in first-seen order. */
  private fieldList: Node[] = [];
  private fieldMap: Map<string, Node> | null = null;
  /**
   * The fields by key, in first-seen order. Made on first use: a load mirrors every struct, and
   * the Map of a struct's 100,000 keys was an eighth of its load's time (packages/bench/dist/wide.js,
   * in a cpu profile) that a load need not spend: a view, a query or an append asks for it.
   */
  get fields(): ReadonlyMap<string, Node> {
    if (this.fieldMap === null) {
      const map = new Map<string, Node>();
      for (const node of this.fieldList) map.set(node.key!, node);
      this.fieldMap = map;
    }
    return this.fieldMap;
  }
  /**
   * Which keys `obj[key]` could find on Object.prototype, for writing JS records: worked out on
   * the first write (`key in` interns every key, a second string each for a store that is never
   * written through JS).
   */
  private inherited: boolean[] | null = null;
  /**
   * Makes this struct's record view of a row, built on first use (view/record.ts). It then becomes
   * the node's own read-only field, as Node.column does: a query's view function
   * (`root.makeView(row)`) then calls one known function. Cached in a field assigned later, the
   * view class was a value V8 could not rely on, and once a second store's views went through the
   * same code sel.first() constructed its view out of line (the query benchmark: 12 -> 17.6 ns).
   */
  get makeView(): MakeView {
    const make = buildView(this);
    Object.defineProperty(this, 'makeView', { value: make, enumerable: true, configurable: true });
    return make;
  }

  addField(key: string, node: Node): void {
    this.fieldMap?.set(key, node);
    this.fieldList.push(node);
    this.inherited?.push(key in Object.prototype);
  }

  /** Puts `node` in the place of the field it replaces (a rebuilt or retyped column of the same key). */
  replaceField(node: Node): void {
    const key = node.key!;
    const index = this.fieldList.indexOf(this.fields.get(key)!);
    this.fieldMap!.set(key, node);
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

  protected override writeNull(): void {
    super.writeNull();
    for (const field of this.fieldList) field.writeMissing();
  }

  protected writeValue(value: unknown): void {
    this.checkWrite(this.engine.exports.appendStruct(this.handle));
    const record = value as Record<string, unknown>;
    const fields = this.fieldList;
    const inherited = (this.inherited ??= fields.map((field) => field.key! in Object.prototype));
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      const key = field.key!;
      // Absent keys read as undefined, except names Object.prototype has ("constructor", "__proto__"…).
      const fieldValue = inherited[i] && !hasOwn.call(record, key) ? undefined : record[key];
      if (fieldValue === undefined) field.writeMissing();
      else field.write(fieldValue);
    }
  }

  /** Its own column's run, then its fields owe the rows (written at their next value or by settleWrites). */
  protected override writeMissingRun(count: number): void {
    super.writeMissingRun(count);
    for (const field of this.fieldList) field.writeMissingRows(count);
  }

  read(row: number): object | null | undefined {
    const presence = this.absentValue(row);
    if (presence !== PRESENT) return presence;
    return this.makeView(row);
  }

  plain(row: number): Record<string, unknown> | null | undefined {
    const presence = this.absentValue(row);
    if (presence !== PRESENT) return presence;
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
  get schemaType() { return 'list' as const; }
  get columnType() { return ColumnType.List; }
  get nodeKind() { return NodeKind.List; }
  storage(): SchemaStorage {
    return 'offsets';
  }
  takes(kinds: number): boolean {
    return kinds === Kind.Array;
  }
  element!: Node;

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

  protected writeValue(value: unknown): void {
    const items = value as unknown[];
    this.checkWrite(this.engine.exports.appendList(this.handle, items.length));
    const element = this.element;
    for (let i = 0; i < items.length; i++) element.write(items[i]);
  }

  read(row: number): object | null | undefined {
    const at = this.locate(row);
    if (at < 0) return absent(at);
    const offsets = this.column.data;
    return makeListView(this, offsets[at], offsets[at + 1]);
  }

  plain(row: number): unknown[] | null | undefined {
    const at = this.locate(row);
    if (at < 0) return absent(at);
    const offsets = this.column.data;
    const start = offsets[at];
    const end = offsets[at + 1];
    const result = new Array(end - start);
    for (let i = start; i < end; i++) result[i - start] = this.element.plain(i);
    return result;
  }
}

/** An object used as a map (ids as keys): entries as a list of (key, value) rows. */
export class MapNode extends Node {
  get schemaType() { return 'map' as const; }
  get columnType() { return ColumnType.List; }
  get nodeKind() { return NodeKind.Map; }
  storage(): SchemaStorage {
    return 'offsets';
  }
  takes(kinds: number): boolean {
    return kinds === Kind.Object;
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

  protected writeValue(value: unknown): void {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    this.checkWrite(this.engine.exports.appendList(this.handle, keys.length));
    for (const key of keys) {
      this.keys.writeString(key);
      this.values.write(record[key]);
    }
  }

  /** Entry row of `key` in `row` (present), or -1. */
  entryOf(row: number, key: string): number {
    const offsets = this.column.data;
    const at = this.column.storedRow(row);
    for (let entry = offsets[at]; entry < offsets[at + 1]; entry++) {
      if (this.keys.column.stringAt(entry, this.engine) === key) return entry;
    }
    return -1;
  }

  /** Maps read as plain objects: their keys are data, so a view class per map would not fit. */
  read(row: number): Record<string, unknown> | null | undefined {
    return this.plain(row);
  }

  plain(row: number): Record<string, unknown> | null | undefined {
    const at = this.locate(row);
    if (at < 0) return absent(at);
    const offsets = this.column.data;
    const result: Record<string, unknown> = {};
    for (let entry = offsets[at]; entry < offsets[at + 1]; entry++) {
      setOwn(result, this.keys.column.stringAt(entry, this.engine), this.values.plain(entry));
    }
    return result;
  }
}
