// The JS side of one WASM column: its descriptor, re-read into typed-array views of the
// column's buffers after every change to memory. Readers index these views directly; they
// never call into WASM per value.
import { ColumnType, Descriptor, descriptorWord, FsstTable, MixedTag } from './wasm/abi';
import type { Engine } from './engine';
import { decodeWtf8At } from './util/wtf8';
import { FsstSymbols } from './util/fsst';

/** The base's high word: Base is an i64, two u32 words (little-endian). */
const BASE_HIGH = (Descriptor.Base + 4) as Descriptor;

/** The descriptor fields the views are made from (Length and the counts are read every time). */
const LAYOUT_FIELDS = [
  Descriptor.Type, Descriptor.Width, Descriptor.Capacity, Descriptor.Data, Descriptor.Nulls,
  Descriptor.Missing, Descriptor.Base, BASE_HIGH, Descriptor.Dict, Descriptor.DictLength, Descriptor.Payload,
  Descriptor.Heap, Descriptor.HeapCapacity, Descriptor.Sparse, Descriptor.Groups,
] as const;

type UintArray = Uint8Array | Uint16Array | Uint32Array;

export class Column {
  /** The descriptor's address; it changes only when the store moves into a fresh instance (moveTo). */
  handle: number;
  type: ColumnType = ColumnType.Null;
  width = 0;
  /** Rows (the parent's rows: records, or list elements), stored or missing. */
  length = 0;
  /** Rows the buffers hold: `length` for a dense column, the rows not missing for a sparse one. */
  storedLength = 0;
  nullCount = 0;
  /** Missing rows (a sparse column's are the rows it does not store). */
  missingCount = 0;
  /**
   * Sparse columns (assembly/sparse.ts): 3 u32 per 64 rows — the stored rows before them, then
   * their bits (low, high word; set = stored). Every buffer then holds the stored rows only:
   * read row r at storedRow(r). Null for a dense column.
   */
  sparse: Uint32Array | null = null;
  /**
   * Int: unsigned deltas from `base` (8-byte deltas as u32 words, low then high: see `wide`);
   * String: codes; Float64: values; Bool: bits; List and Text: offsets; Mixed: tags. Width 0:
   * empty (every row is `base`, or code 0).
   */
  data: UintArray | Float64Array = EMPTY;
  /** Int columns: the frame of reference, row i = base + data[i] (exact: |value| ≤ 2^53); 0 for other types. */
  base = 0;
  /** Int columns of 8-byte deltas: row i's delta is data[2i] + data[2i + 1] × 2^32 (read it with intAt). */
  wide = false;
  /** Bitmaps: bit `row` set when the row is null / missing; null when no row is. */
  nulls: Uint8Array | null = null;
  missing: Uint8Array | null = null;
  /** String columns: code → string id. */
  dictionary: Uint32Array = EMPTY_U32;
  /** Mixed columns: the f64 payload per row. */
  payload: Float64Array = EMPTY_F64;
  /** Text columns: every row's WTF-8 bytes (or its codes, when `symbols`), row i at heap[data[i] .. data[i + 1]). */
  heap: Uint8Array = EMPTY;
  /** Text columns compressed by FSST (assembly/fsst.ts): the symbol table their heap's codes name; null for WTF-8 as it is. */
  symbols: FsstSymbols | null = null;
  /** String columns: code → decoded string, filled on first read. */
  readonly decoded: (string | undefined)[] = [];
  /** A frozen mixed column (freeze): the strings its payloads name, by string id; null otherwise. */
  private frozenStrings: Map<number, string> | null = null;
  /** Frozen (freeze): the views are copies, and refresh leaves them be. */
  private frozen = false;

  constructor(handle: number) {
    this.handle = handle;
  }

  /** What the views were made from: when none of it changed, refresh only re-reads the counts. */
  private madeFrom: ArrayBuffer | null = null;
  private readonly layout = new Uint32Array(LAYOUT_FIELDS.length);

  refresh(engine: Engine): void {
    if (this.frozen) return;
    const words = engine.u32;
    const at = this.handle >>> 2;
    const field = (name: Descriptor): number => words[at + descriptorWord(name)];
    const buffer = engine.memoryBuffer;
    this.storedLength = field(Descriptor.Length);
    const sparse = field(Descriptor.Sparse) !== 0;
    this.length = sparse ? field(Descriptor.Rows) : this.storedLength;
    this.nullCount = field(Descriptor.NullCount);
    this.missingCount = sparse ? this.length - this.storedLength : field(Descriptor.MissingCount);
    // Schema rebuilds refresh every column many times over (a struct of 20,000 fields, a third
    // of them turning mixed, re-made 13 million views): unchanged columns keep theirs.
    if (!this.layoutChanged(buffer, field)) return;
    this.width = field(Descriptor.Width);
    const capacity = field(Descriptor.Capacity);
    const data = field(Descriptor.Data);
    const bitmapBytes = (capacity + 7) >>> 3;
    this.nulls = field(Descriptor.Nulls) ? new Uint8Array(buffer, field(Descriptor.Nulls), bitmapBytes) : null;
    this.missing = field(Descriptor.Missing) ? new Uint8Array(buffer, field(Descriptor.Missing), bitmapBytes) : null;
    const { type, base, wide } = this;
    const wasSparse = this.sparse !== null;
    this.sparse = field(Descriptor.Sparse) ? new Uint32Array(buffer, field(Descriptor.Sparse), field(Descriptor.Groups) * 3) : null;
    this.type = field(Descriptor.Type) as ColumnType;
    this.base = this.type === ColumnType.Int ? field(Descriptor.Base) + (field(BASE_HIGH) | 0) * 2 ** 32 : 0;
    this.wide = this.type === ColumnType.Int && this.width === 8;
    switch (this.type) {
      case ColumnType.Int:
        this.data = this.width === 0 ? EMPTY : new (this.width === 1 ? Uint8Array : this.width === 2 ? Uint16Array : Uint32Array)(buffer, data, this.wide ? capacity * 2 : capacity);
        break;
      case ColumnType.String:
        this.data = this.width === 0
          ? new Uint8Array(1)
          : new (this.width === 1 ? Uint8Array : this.width === 2 ? Uint16Array : Uint32Array)(buffer, data, capacity);
        this.dictionary = new Uint32Array(buffer, field(Descriptor.Dict), field(Descriptor.DictLength));
        break;
      case ColumnType.Float64:
        this.data = new Float64Array(buffer, data, capacity);
        break;
      case ColumnType.Bool:
        this.data = new Uint8Array(buffer, data, bitmapBytes);
        break;
      case ColumnType.List:
        this.data = new Uint32Array(buffer, data, capacity + 1);
        break;
      case ColumnType.Text:
        this.dictionary = EMPTY_U32; // turned from a dictionary into text: the old one is gone
        this.data = new Uint32Array(buffer, data, capacity + 1);
        this.heap = new Uint8Array(buffer, field(Descriptor.Heap), field(Descriptor.HeapCapacity));
        // A text column's Dict is its symbol table (abi.ts Descriptor.Dict).
        this.symbols = field(Descriptor.Dict) === 0 ? null : new FsstSymbols(new Uint8Array(buffer, field(Descriptor.Dict), FsstTable.Bytes));
        break;
      case ColumnType.Mixed:
        this.data = new Uint8Array(buffer, data, capacity);
        this.payload = new Float64Array(buffer, field(Descriptor.Payload), capacity);
        break;
      default:
        this.data = EMPTY;
    }
    // An undone append takes its dictionary entries back: their codes will name other strings.
    const entries = this.type === ColumnType.String ? this.dictionary.length : 0;
    if (this.decoded.length > entries) this.decoded.length = entries;
    if (this.type !== type || this.base !== base || this.wide !== wide || (this.sparse !== null) !== wasSparse) this.frameChanged();
  }

  private layoutChanged(buffer: ArrayBuffer, field: (name: Descriptor) => number): boolean {
    const layout = this.layout;
    let changed = this.madeFrom !== buffer;
    const names = LAYOUT_FIELDS;
    for (let i = 0; i < names.length; i++) {
      const value = field(names[i]);
      if (layout[i] !== value) {
        layout[i] = value;
        changed = true;
      }
    }
    this.madeFrom = buffer;
    return changed;
  }

  /** The column was copied into a fresh instance (compaction): its descriptor is at `handle` now; refresh re-makes the views. */
  moveTo(handle: number): void {
    this.handle = handle;
    this.madeFrom = null;
  }

  /** Run by refresh when the column's type, base or 8-byte deltas changed, or it turned sparse or dense (onFrameChange). */
  private frameHooks: (() => void)[] = [];

  /**
   * `hook` runs once, the next time this column's frame changes — its type, its base (a rebase),
   * its deltas turning 8-byte, or the column turning sparse or dense: record views' plain getters
   * read rows straight from the buffers (int getters capture the base and read 1-4 byte deltas
   * with no width check), so they are defined anew then (view/record.ts).
   */
  onFrameChange(hook: () => void): void {
    this.frameHooks.push(hook);
  }

  private frameChanged(): void {
    const hooks = this.frameHooks;
    this.frameHooks = [];
    for (const hook of hooks) hook();
  }

  /** After dispose: drop every view so nothing keeps the WASM memory alive. */
  detach(): void {
    this.madeFrom = null;
    this.data = EMPTY;
    this.nulls = null;
    this.missing = null;
    this.sparse = null;
    this.dictionary = EMPTY_U32;
    this.payload = EMPTY_F64;
    this.heap = EMPTY;
    this.symbols = null;
    this.decoded.length = 0;
    this.frameHooks = [];
  }

  /**
   * Where row `row` (< length) is in the buffers: the row itself in a dense column; in a sparse one
   * its stored position (the stored rows before it: the group's count plus a popcount), or -1 when
   * the row is missing.
   */
  storedRow(row: number): number {
    const index = this.sparse;
    if (index === null) return row;
    const word = index[(row >>> 6) * 3 + 1 + ((row >>> 5) & 1)];
    return ((word >>> (row & 31)) & 1) === 0 ? -1 : this.storedBefore(row);
  }

  /** Stored rows before row `row` (≤ length): the first stored row of a range that starts there. */
  storedBefore(row: number): number {
    const index = this.sparse;
    if (index === null) return row;
    if (row >= this.length) return this.storedLength;
    const at = (row >>> 6) * 3;
    const bit = row & 31;
    const word = index[at + 1 + ((row >>> 5) & 1)];
    // The bits below `bit` (shifted to the top: a shift by 32 would shift by 0), and the low word's when in the high one.
    return index[at] + (bit === 0 ? 0 : popcount32(word << (32 - bit))) + ((row & 32) !== 0 ? popcount32(index[at + 1]) : 0);
  }

  /** A list (or map) column's elements before row `row` (≤ length): where the row's elements start. */
  elementsBefore(row: number): number {
    return this.data[this.storedBefore(row)];
  }

  /** Whether stored row `at` (a storedRow) is null. */
  isNullAt(at: number): boolean {
    const bits = this.nulls;
    return bits !== null && (bits[at >>> 3] & (1 << (at & 7))) !== 0;
  }

  isNull(row: number): boolean {
    if (this.nulls === null) return false;
    const at = this.storedRow(row);
    return at >= 0 && this.isNullAt(at);
  }

  isMissing(row: number): boolean {
    if (this.sparse !== null) return this.storedRow(row) < 0;
    const bits = this.missing;
    return bits !== null && (bits[row >>> 3] & (1 << (row & 7))) !== 0;
  }

  /**
   * The int column's value at stored row `row` (present rows only; a dense column's rows are its stored rows). 8-byte deltas: base + low word first,
   * then the high word's 2^32s — each step exact, since |base + low| and the result are ≤ 2^53.
   */
  intAt(row: number): number {
    if (this.wide) {
      const words = this.data;
      return this.base + words[2 * row] + words[2 * row + 1] * 4294967296;
    }
    return this.width === 0 ? this.base : this.base + this.data[row];
  }

  /** The string column's value at stored row `row` (present rows only): text is decoded on every read, never cached. */
  stringAt(row: number, engine: Engine): string {
    if (this.type === ColumnType.Text) {
      const symbols = this.symbols;
      return symbols === null ? decodeWtf8At(this.heap, this.data[row], this.data[row + 1]) : symbols.string(this.heap, this.data[row], this.data[row + 1]);
    }
    return this.stringOfCode(this.width === 0 ? 0 : this.data[row], engine);
  }

  /**
   * A text column's stored rows as offsets (`storedLength + 1`) and WTF-8 bytes: views of its
   * buffers, or, compressed, a decoded copy (Arrow, store.column()).
   */
  textRows(): { offsets: Uint32Array; bytes: Uint8Array } {
    const offsets = (this.data as Uint32Array).subarray(0, this.storedLength + 1);
    const symbols = this.symbols;
    if (symbols === null) return { offsets, bytes: this.heap.subarray(0, offsets[this.storedLength]) };
    return symbols.decodeRows(offsets, this.heap, this.storedLength);
  }

  /** The string or JSON text a mixed column's stored row `at` (tagged String or Json) names. */
  payloadString(at: number, engine: Engine): string {
    const id = this.payload[at];
    return this.frozenStrings?.get(id) ?? engine.string(id);
  }

  /**
   * The column left the store's schema: a rebuild (schema/rebuild.ts) wrote its rows into another
   * column, a field's turned mixed or a struct's turned map, and left its buffers where they were,
   * for nodes of earlier snapshots (views taken before the append, their lists, toJSON) to read.
   * The compaction about to run copies only the schema's columns, and its collection drops
   * strings only this column holds: so its views become copies of its buffers, and its strings are
   * decoded now. It then holds JS memory as long as something can read it, and refresh leaves it be.
   */
  freeze(engine: Engine): void {
    if (this.frozen) return;
    if (this.type === ColumnType.String) for (let code = 0; code < this.dictionary.length; code++) this.stringOfCode(code, engine);
    if (this.type === ColumnType.Mixed) {
      const strings = new Map<number, string>();
      for (let at = 0; at < this.storedLength; at++) {
        const tag = this.data[at];
        if (tag === MixedTag.String || tag === MixedTag.Json) strings.set(this.payload[at], engine.string(this.payload[at]));
      }
      this.frozenStrings = strings;
    }
    this.data = this.data.slice();
    this.nulls = this.nulls?.slice() ?? null;
    this.missing = this.missing?.slice() ?? null;
    this.sparse = this.sparse?.slice() ?? null;
    this.dictionary = this.dictionary.slice();
    this.payload = this.payload.slice();
    this.heap = this.type === ColumnType.Text ? this.heap.slice(0, this.data[this.storedLength]) : EMPTY;
    this.frameHooks = [];
    // Not the memory's buffer: once detached it still links to its Memory, and held every page of it.
    this.madeFrom = null;
    this.frozen = true;
  }

  /** The string a dictionary code stands for, decoded once. */
  stringOfCode(code: number, engine: Engine): string {
    const cached = this.decoded[code];
    return cached !== undefined ? cached : (this.decoded[code] = engine.string(this.dictionary[code]));
  }
}

/** Set bits of a 32-bit word. */
function popcount32(word: number): number {
  let bits = word - ((word >>> 1) & 0x55555555);
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  return (((bits + (bits >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const EMPTY = new Uint8Array(0);
const EMPTY_U32 = new Uint32Array(0);
const EMPTY_F64 = new Float64Array(0);
