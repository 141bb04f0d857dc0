// The schema node: one per column of the schema tree. Each kind (scalars.ts, containers.ts)
// knows its own WASM column and node kind, its storage as users see it, how to write a JSON
// value into its column (ingest), read a row back as a view or a value (access) and as plain
// JSON (toJSON / toArray), and how its children hang below it. Planned by plan.ts, mirrored
// from WASM by mirror.ts; queries ask query/kinds.ts, views view/record.ts. A mirrored node's
// Column (its typed-array views) is made on first use: a column nobody reads costs this node only.
import { appendStep } from '../path';
import { type ColumnType, Descriptor, NodeField, type NodeKind, Status } from '../wasm/abi';
import type { Engine } from '../engine';
import type { Column } from '../column';
import type { SchemaStorage, SchemaType } from './describe';
import type { AddressLookup } from '../util/addressTable';

const hasOwn = Object.prototype.hasOwnProperty;

export abstract class Node {
  readonly engine: Engine;
  /** Display path: `product.name`, `tags[]`, `attrs{}` (map values), `attrs{key}`. */
  readonly path: string;
  /** Key in the parent struct; null for the root, list elements and map parts. */
  readonly key: string | null;
  /** The WASM schema node behind this one (schema.ts); 0 until published. */
  wasmNode = 0;
  /**
   * The column's handle (its descriptor's address), kept current for the nodes of the store's
   * tree (a compaction re-points it: moved), which are the ones written: appends pass it to WASM
   * with no Column made. A made Column holds it too (Column.handle, which reads go through).
   */
  protected handle = 0;
  /** What a planned node creates its column with (plan.ts); null for a mirrored node. */
  private planning: Planning | null = null;

  constructor(engine: Engine, path: string, key: string | null, capacity: number) {
    this.engine = engine;
    this.path = path;
    this.key = key;
    this.plan('capacity', capacity);
  }

  /** The node's planning, made on the first value other than the default (mirrored nodes, whose constructors set defaults, have none). */
  private planned(): Planning {
    return (this.planning ??= { ...PLANNED_DEFAULTS });
  }

  private plan<K extends keyof Planning>(field: K, value: Planning[K]): void {
    if (this.planning !== null || value !== PLANNED_DEFAULTS[field]) this.planned()[field] = value;
  }

  /** Rows a planned node creates its column for (0 for a mirrored one). */
  get capacity(): number {
    return this.planning?.capacity ?? 0;
  }

  protected get width(): number {
    return this.planning?.width ?? 0;
  }

  protected set width(width: number) {
    this.plan('width', width);
  }

  /** An int column's base, as planned (columnCreate takes it with the width). */
  protected get base(): number {
    return this.planning?.base ?? 0;
  }

  protected set base(base: number) {
    this.plan('base', base);
  }

  protected get dictionaryCapacity(): number {
    return this.planning?.dictionaryCapacity ?? 0;
  }

  protected set dictionaryCapacity(entries: number) {
    this.plan('dictionaryCapacity', entries);
  }

  /** Whether the first pass saw nulls / missing rows here (then a bitmap will exist). */
  get hasNulls(): boolean {
    return this.planning?.hasNulls ?? false;
  }

  set hasNulls(seen: boolean) {
    this.plan('hasNulls', seen);
  }

  get hasMissing(): boolean {
    return this.planning?.hasMissing ?? false;
  }

  set hasMissing(seen: boolean) {
    this.plan('hasMissing', seen);
  }

  /**
   * The JS side of the node's column (views of its buffers), made on first use: its Column (the
   * one per handle: another node of the column may have made it), as the column is now. It then
   * becomes the node's own field, which every later read loads: a getter that checks first kept
   * V8 from inlining it into queries (sel.first() 15 -> 19-27 ns).
   */
  get column(): Column {
    const column = this.engine.columnFor(this.handle);
    column.refresh(this.engine);
    this.column = column;
    return column;
  }

  set column(column: Column) {
    this.handle = column.handle;
    Object.defineProperty(this, 'column', { value: column, writable: true, enumerable: true, configurable: true });
  }

  /** Whether the Column was made (the node has it as its own field). */
  get columnOpened(): boolean {
    return hasOwn.call(this, 'column');
  }

  /** The column's handle (its descriptor's address). */
  get columnHandle(): number {
    return this.columnOpened ? this.column.handle : this.handle;
  }

  /** Sets the column's handle without making its Column (mirror.ts). */
  set columnHandle(handle: number) {
    if (!this.columnOpened) this.handle = handle;
  }

  /**
   * The store moved into a fresh instance (compaction; `moved`: old address → new): the node's
   * addresses there. A made Column follows by itself (engine.adopt).
   */
  moved(moved: AddressLookup): void {
    this.wasmNode = moved.get(this.wasmNode) ?? 0;
    this.handle = moved.get(this.handle) ?? 0;
  }

  /** A field of the column's descriptor, read from WASM memory: no Column is made. */
  stored(field: Descriptor): number {
    return this.engine.descriptorField(this.columnHandle, field);
  }

  /** The column's rows (a sparse column's Rows, else its Length), read as `stored` reads: no Column is made. */
  rows(): number {
    return this.stored(this.stored(Descriptor.Sparse) !== 0 ? Descriptor.Rows : Descriptor.Length);
  }

  abstract readonly schemaType: SchemaType;
  /** The WASM column type this kind creates. */
  abstract readonly columnType: ColumnType;
  /** The WASM schema node kind (assembly/schema.ts) standing for this one. */
  abstract readonly nodeKind: NodeKind;

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

  /**
   * Whether values of the first pass's `kinds` (Kind bits of observe.ts, nulls aside) can be
   * appended to this column as it is; if not, an append rebuilds it (schema/extend.ts).
   */
  abstract takes(kinds: number): boolean;

  /** Bytes the column will take once filled, for a single exact memory reservation. */
  estimateBytes(): number {
    const bitmap = (this.capacity + 7) >>> 3;
    // Its schema node and column descriptor (records of abi.ts's sizes), then its buffers, each
    // block rounded up to the arena's 8 bytes.
    return NodeField.Bytes + Descriptor.Bytes + 8 + this.dataBytes() + (this.hasNulls ? bitmap + 8 : 0) + (this.hasMissing ? bitmap + 8 : 0) +
      (this.dictionaryCapacity > 0 ? this.dictionaryCapacity * 4 + 8 + dictionaryIndexSlots(this.dictionaryCapacity) * 4 + 8 : 0);
  }

  protected dataBytes(): number {
    return 0;
  }

  /** Creates the planned subtree's columns; their Columns are made on first read, as a mirrored node's (writes need the handle only). */
  createColumns(): void {
    const handle = this.engine.exports.columnCreate(this.columnType, this.capacity, this.width, this.dictionaryCapacity, this.base) >>> 0;
    if (handle === 0) throw this.engine.capacityError(`creating the column ${this.path}`);
    this.handle = handle;
    // Planned and created: the store keeps the node, not its plan (a wide store's 100,000 plans
    // stayed on the heap with it).
    this.planning = null;
    for (const child of this.children()) child.createColumns();
  }

  /**
   * Missing rows owed to the column: written as one run before its next value, or by
   * settleWrites once a pass of writes is over. A record lacking most of a wide schema's fields
   * (an event feed: ~200 of its 248 columns) cost a WASM call per absent column, a tenth of
   * fromRecords; a count costs nothing, and a run is one call however long.
   */
  private owedMissing = 0;

  /** Appends `value` (present: never undefined) as the next row. */
  write(value: unknown): void {
    if (this.owedMissing !== 0) this.writeOwed();
    if (value === null) this.writeNull();
    else this.writeValue(value);
  }

  /** Writes the missing rows owed (a struct's fields then owe them in turn). */
  private writeOwed(): void {
    const count = this.owedMissing;
    this.owedMissing = 0;
    this.writeMissingRun(count);
  }

  /** A pass of writes is over (settleWrites): what it owes is written, what it kept for itself dropped. */
  finishWrites(): void {
    if (this.owedMissing !== 0) this.writeOwed();
  }

  /** A pass of writes failed and was undone in WASM (dropWrites): nothing of it is kept. */
  abandonWrites(): void {
    this.owedMissing = 0;
  }

  /**
   * Throws for a write's failed status. Its message is made only then: made for every value
   * written, `storing ${path}` was a string allocated per value.
   */
  protected checkWrite(status: Status): void {
    if (status !== Status.Ok) this.engine.check(status, `storing ${this.path}`);
  }

  /** Appends a value that is neither null nor undefined. */
  protected abstract writeValue(value: unknown): void;

  /** Appends a missing row (the key is absent, or an ancestor is absent or null): owed, see owedMissing. */
  writeMissing(): void {
    if (this.owedMissing++ === 0) this.engine.writesPending = true;
  }

  /** Appends `count` missing rows at once (a field first seen after `count` rows of its parent): owed too. */
  writeMissingRows(count: number): void {
    this.owedMissing += count;
    this.engine.writesPending = true;
  }

  /** Writes `count` missing rows to the column now. */
  protected writeMissingRun(count: number): void {
    this.checkWrite(this.engine.exports.appendMissingRun(this.handle, count));
  }

  /** Appends a null row (a struct's fields get a missing row each). */
  protected writeNull(): void {
    this.checkWrite(this.engine.exports.appendNull(this.handle));
  }

  /** The row as users read it: views for structs and lists, values otherwise; undefined if missing. */
  abstract read(row: number): unknown;

  /** The row as plain JSON (what JSON.parse gave); undefined if missing. */
  plain(row: number): unknown {
    // Scalars read as plain values already; containers and mixed columns override this.
    return this.read(row);
  }

  /**
   * Where row `row`'s value is in the column's buffers (the row itself, or a sparse column's
   * stored position: Column.storedRow), or MISSING / NULL. Shared by every reader.
   */
  locate(row: number): number {
    const column = this.column;
    let at = row;
    if (column.sparse !== null) at = column.storedRow(row);
    else if (column.missing !== null && column.isMissing(row)) at = MISSING;
    return at >= 0 && column.nulls !== null && column.isNullAt(at) ? NULL : at;
  }

  /** Null, missing, or present? For readers that need no stored position (containers, paths). */
  absentValue(row: number): null | undefined | typeof PRESENT {
    const at = this.locate(row);
    return at >= 0 ? PRESENT : absent(at);
  }
}

/**
 * A planned node's column, as plan.ts decides it: one object, so that every node of a kind has one
 * shape whether planned or mirrored (a field of its own each, assigned only when planned, gave
 * nodes many shapes: V8 then deoptimised `column`, shared by all of them).
 */
interface Planning {
  capacity: number;
  width: number;
  /** An int column's base (the smallest value seen). */
  base: number;
  dictionaryCapacity: number;
  hasNulls: boolean;
  hasMissing: boolean;
}

const PLANNED_DEFAULTS: Readonly<Planning> = { capacity: 0, width: 0, base: 0, dictionaryCapacity: 0, hasNulls: false, hasMissing: false };

/** Marker returned by `absentValue` for rows that hold a value. */
export const PRESENT = Symbol('present');
/** `locate` of a missing row, and of a null one. */
export const MISSING = -1;
export const NULL = -2;

/** What a row `locate` found absent reads as: undefined when missing, null when null. */
export function absent(at: number): null | undefined {
  return at === MISSING ? undefined : null;
}

/** What a child is to its parent: a struct's field, a list's element, a map's keys or values. */
export type LinkRole = 'field' | 'element' | 'keys' | 'values';
export interface Link {
  readonly role: LinkRole;
  readonly node: Node;
}
const NO_LINKS: readonly Link[] = [];

function dictionaryIndexSlots(entries: number): number {
  let slots = 8;
  while (slots < entries * 2) slots *= 2;
  return slots;
}


/** A struct field's display path: the path grammar's (path.ts), so every printed path parses back. */
export function joinPath(parent: string, key: string): string {
  return appendStep(parent, key);
}

/**
 * Ends a pass of writes through the tree at `root`: every missing row still owed is written
 * (parents first: a struct's run makes its fields owe it). Every JS writer calls this before the
 * columns are read or committed, and dropWrites when its writes fail.
 */
export function settleWrites(root: Node): void {
  if (!root.engine.writesPending) return;
  for (const node of allNodes(root)) node.finishWrites();
}

/** After a failed pass of writes (undone in WASM): no node keeps rows it owed, or anything else of the pass. */
export function dropWrites(root: Node): void {
  for (const node of allNodes(root)) node.abandonWrites();
}

/** The columns of the tree at `root`. */
export function columnHandles(root: Node): Set<number> {
  return new Set(allNodes(root).map((node) => node.columnHandle));
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

