// The scalar column kinds — null (unset), bool, int, float64, string, mixed — each over one
// WASM column, with no children. Int columns are a base plus unsigned deltas and string columns
// dictionary codes, each at the narrowest width their values allow (0: one constant); mixed rows
// are tagged, nested values kept as exact JSON.
import { ColumnType, Descriptor, MixedTag, NodeKind, type Status } from '../wasm/abi';
import type { Engine } from '../engine';
import { exactStringify } from '../util/exactJson';
import { encodeWtf8Into } from '../util/wtf8';
import type { SchemaStorage } from './describe';
import { absent, Node } from './node';
import { Kind, type StringsSeen } from './observe';

function codeStorage(width: number): SchemaStorage {
  return width === 0 ? 'constant' : width === 1 ? 'dict8' : width === 2 ? 'dict16' : 'dict32';
}

/** Narrowest code width for a dictionary of `entries` strings (0: a constant column), as assembly/column.ts codeWidth. */
export function codeWidth(entries: number): number {
  return entries <= 1 ? 0 : entries <= 256 ? 1 : entries <= 65536 ? 2 : 4;
}

/** The strings one pass writes to a column, as the first pass saw them (StringNode.sequence). */
class StringSequence {
  private next = 0;
  /** The column's dictionary code of each distinct string; -1 until known (lookUp, or its first row). */
  readonly codes: Int32Array;

  constructor(
    /** The index in `order` of each string, in the order seen; `count` of them. */
    private readonly indices: Int32Array,
    private readonly count: number,
    private readonly order: readonly string[],
  ) {
    this.codes = new Int32Array(order.length).fill(-1);
  }

  /** The index of the next string, if it is `value` (else -1: the writes left the order seen). */
  take(value: string): number {
    if (this.next >= this.count) return -1;
    const index = this.indices[this.next++];
    return this.order[index] === value ? index : -1;
  }

  /** The codes of every distinct string in `column`'s dictionary (new ones added, in order), a batch a call. */
  lookUp(engine: Engine, column: number, path: string): void {
    const order = this.order;
    for (let start = 0; start < order.length; ) {
      let end = start;
      let bytes = 0;
      while (end < order.length && end - start < LOOKUP_BATCH && bytes < LOOKUP_BATCH_BYTES) bytes += order[end++].length * 3;
      this.lookUpBatch(engine, column, path, start, end, bytes);
      start = end;
    }
  }

  private lookUpBatch(engine: Engine, column: number, path: string, start: number, end: number, bytes: number): void {
    const wasm = engine.exports;
    const count = end - start;
    const entries = wasm.scratch(count * 4 + bytes) >>> 0;
    if (entries === 0) throw engine.capacityError(`storing ${path}`, count * 4 + bytes);
    const u8 = engine.u8;
    const u32 = engine.u32;
    let at = entries + count * 4;
    for (let i = 0; i < count; i++) {
      const length = encodeWtf8Into(this.order[start + i], u8, at);
      u32[(entries >>> 2) + i] = length;
      at += length;
    }
    if (!wasm.dictionaryCodes(column, entries, count)) throw engine.capacityError(`storing ${path}`);
    // Read through the current view: interning may have grown memory. A code past 2^31 reads as
    // negative, unknown: its string goes by appendString.
    this.codes.set(new Int32Array(engine.memoryBuffer, entries, count), start);
  }
}

/**
 * Strings (and bytes, at 3 a UTF-16 unit) a dictionaryCodes request holds at most: its scratch
 * buffer is given back after the load, a hole in the store's memory.
 */
const LOOKUP_BATCH = 2048;
const LOOKUP_BATCH_BYTES = 192 * 1024;

/** Narrowest delta width for ints spread over `spread` above their base (0: one value), as assembly/widths.ts unsignedWidth. */
export function deltaWidth(spread: number): number {
  return spread === 0 ? 0 : spread <= 0xff ? 1 : spread <= 0xffff ? 2 : spread <= 0xffffffff ? 4 : 8;
}

/** How an int column of each delta width is stored (store.schema, column()). */
const INT_STORAGE: Readonly<Record<number, SchemaStorage>> = {
  0: 'constant', 1: 'uint8 + base', 2: 'uint16 + base', 4: 'uint32 + base', 8: 'uint64 + base',
};

export class NullNode extends Node {
  get schemaType() { return 'null' as const; }
  get columnType() { return ColumnType.Null; }
  get nodeKind() { return NodeKind.Unset; }
  storage(): SchemaStorage {
    return 'presence';
  }
  /** Settled on its first kind instead (schema/extend.ts). */
  takes(): boolean {
    return false;
  }
  /** Only nulls and missing rows were seen: nothing else is ever written here. */
  protected writeValue(): void {
    this.writeNull();
  }
  read(row: number): null | undefined {
    return this.column.isMissing(row) ? undefined : null;
  }
}

export class BoolNode extends Node {
  get schemaType() { return 'bool' as const; }
  get columnType() { return ColumnType.Bool; }
  get nodeKind() { return NodeKind.Scalar; }
  storage(): SchemaStorage {
    return 'bits';
  }
  takes(kinds: number): boolean {
    return kinds === Kind.Bool;
  }
  protected override dataBytes(): number {
    return (this.capacity + 7) >>> 3;
  }
  protected writeValue(value: unknown): void {
    this.checkWrite(this.engine.exports.appendBool(this.handle, value ? 1 : 0));
  }
  read(row: number): boolean | null | undefined {
    const at = this.locate(row);
    if (at < 0) return absent(at);
    return (this.column.data[at >>> 3] & (1 << (at & 7))) !== 0;
  }
}

export class IntNode extends Node {
  get schemaType() { return 'int' as const; }
  get columnType() { return ColumnType.Int; }
  get nodeKind() { return NodeKind.Scalar; }
  storage(): SchemaStorage {
    return INT_STORAGE[this.stored(Descriptor.Width)];
  }
  /** Doubles too: the column turns float64 in place. */
  takes(kinds: number): boolean {
    return (kinds & ~(Kind.Int | Kind.Float)) === 0;
  }
  /** `base`, `width`: the smallest value the first pass saw, and the narrowest width holding every value's delta from it (0: one value). */
  constructor(engine: Engine, path: string, key: string | null, capacity: number, width = 0, base = 0) {
    super(engine, path, key, capacity);
    this.width = width;
    this.base = base;
  }
  protected override dataBytes(): number {
    return this.capacity * this.width;
  }
  protected writeValue(value: unknown): void {
    this.checkWrite(this.engine.exports.appendInt(this.handle, value as number));
  }
  read(row: number): number | null | undefined {
    const at = this.locate(row);
    return at < 0 ? absent(at) : this.column.intAt(at);
  }
}

export class FloatNode extends Node {
  get schemaType() { return 'float' as const; }
  get columnType() { return ColumnType.Float64; }
  get nodeKind() { return NodeKind.Scalar; }
  storage(): SchemaStorage {
    return 'float64';
  }
  takes(kinds: number): boolean {
    return (kinds & ~(Kind.Int | Kind.Float)) === 0;
  }
  protected override dataBytes(): number {
    return this.capacity * 8;
  }
  protected writeValue(value: unknown): void {
    this.checkWrite(this.engine.exports.appendFloat64(this.handle, value as number));
  }
  read(row: number): number | null | undefined {
    const at = this.locate(row);
    return at < 0 ? absent(at) : this.column.data[at];
  }
}

/**
 * Strings: dictionary codes (a code per row into the column's distinct strings, interned in
 * the store's string table) or, for strings that rarely repeat, text (the column's own offsets
 * and bytes: assembly/text.ts). A column starts as a dictionary and the module may turn it
 * into text as rows arrive; planned JS records choose text up front by the same rule.
 */
export class StringNode extends Node {
  get schemaType() { return 'string' as const; }
  get nodeKind() { return NodeKind.Scalar; }
  /** Planned as text (JS records): the heap's exact size; -1 for a dictionary. */
  private readonly textBytes: number;
  get columnType(): ColumnType {
    return this.textBytes >= 0 ? ColumnType.Text : ColumnType.String;
  }
  storage(): SchemaStorage {
    if (this.stored(Descriptor.Type) !== ColumnType.Text) return codeStorage(this.stored(Descriptor.Width));
    // A text column's Dict is its FSST symbol table when it has one (assembly/fsst.ts).
    return this.stored(Descriptor.Dict) === 0 ? 'text' : 'fsst';
  }
  takes(kinds: number): boolean {
    return kinds === Kind.String;
  }
  constructor(engine: Engine, path: string, key: string | null, capacity: number, distinct = 0, textBytes = -1) {
    super(engine, path, key, capacity);
    this.textBytes = textBytes;
    this.width = textBytes >= 0 ? 4 : codeWidth(distinct);
    this.dictionaryCapacity = textBytes >= 0 ? 0 : distinct;
  }
  protected override dataBytes(): number {
    return this.textBytes >= 0 ? (this.capacity + 1) * 4 + this.textBytes + 8 : this.capacity * this.width;
  }
  override createColumns(): void {
    super.createColumns();
    if (this.textBytes > 0 && !this.engine.exports.textReserve(this.handle, this.textBytes)) {
      throw this.engine.capacityError(`creating the column ${this.path}`, this.textBytes);
    }
    this.sequence?.lookUp(this.engine, this.handle, this.path);
  }
  protected writeValue(value: unknown): void {
    this.writeString(value as string);
  }
  /**
   * This pass's strings as the first pass saw them: which distinct one each string written is,
   * and the column's code for each. A string the column holds is appended by its code, with no
   * hash of it in JS or in WASM (two hash lookups a string, the engine's intern cache and the
   * column's dictionary, were most of fromRecords on an event feed). A column planned in this
   * pass looks every code up (and adds it) a batch a call once created (dictionaryCodes): the
   * first pass chose its encoding from all its strings. An existing one (an append) learns each
   * code at the string's first row, by appendString, which reviews the dictionary for text over
   * its rows as they come. Each string is checked against the one it stands for, so writes in an
   * order the first pass did not see only go without the shortcut. Dropped when the pass ends.
   */
  private sequence: StringSequence | null = null;

  /** The strings this pass writes, as the first pass saw them at this path. */
  expect(strings: StringsSeen): void {
    this.sequence = strings.indices !== null && strings.order !== null ? new StringSequence(strings.indices, strings.rows, strings.order) : null;
    this.engine.writesPending = true;
  }

  override finishWrites(): void {
    super.finishWrites();
    this.sequence = null;
  }

  override abandonWrites(): void {
    super.abandonWrites();
    this.sequence = null;
  }

  writeString(value: string): void {
    const handle = this.handle;
    const engine = this.engine;
    // From the descriptor: the column may turn text as strings arrive (assembly/text.ts).
    if (engine.descriptorField(handle, Descriptor.Type) === ColumnType.Text) {
      engine.appendText(handle, value, this.path);
      return;
    }
    const sequence = this.sequence;
    const index = sequence === null ? -1 : sequence.take(value);
    const code = index < 0 ? -1 : sequence!.codes[index];
    if (code >= 0) {
      this.checkWrite(engine.exports.appendCode(handle, code));
      return;
    }
    const id = engine.intern(value);
    this.checkWrite(engine.exports.appendString(handle, id));
    if (index < 0) return;
    // Its code from now on, unless this string turned the column text (then there are no codes).
    if (engine.descriptorField(handle, Descriptor.Type) === ColumnType.Text) this.sequence = null;
    else sequence!.codes[index] = engine.exports.dictionaryFind(handle, id);
  }
  read(row: number): string | null | undefined {
    const at = this.locate(row);
    return at < 0 ? absent(at) : this.column.stringAt(at, this.engine);
  }
}

export class MixedNode extends Node {
  get schemaType() { return 'mixed' as const; }
  get columnType() { return ColumnType.Mixed; }
  get nodeKind() { return NodeKind.Mixed; }
  storage(): SchemaStorage {
    return 'tagged';
  }
  takes(): boolean {
    return true;
  }
  protected override dataBytes(): number {
    return this.capacity * 9 + 8;
  }
  protected writeValue(value: unknown): void {
    this.checkWrite(appendMixedValue(this.engine, this.handle, value));
  }
  read(row: number): unknown {
    return this.plain(row);
  }
  plain(row: number): unknown {
    const at = this.locate(row);
    if (at < 0) return absent(at);
    const column = this.column;
    switch (column.data[at] as MixedTag) {
      case MixedTag.False:
        return false;
      case MixedTag.True:
        return true;
      case MixedTag.Number:
        return column.payload[at];
      case MixedTag.String:
        return column.payloadString(at, this.engine);
      default:
        // Parsed anew on every read: callers get their own copy to mutate.
        return JSON.parse(column.payloadString(at, this.engine));
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
