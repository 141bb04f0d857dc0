// One store's WASM instance and everything that reads or writes its memory: string interning,
// string decoding, status checks, and the typed-array views that go stale when memory grows or
// the store moves into a fresh instance (compaction, compact.ts).
import { MemstoreCapacityError, MemstoreDisposedError, MemstoreError, MemstoreUnsupportedError } from './errors';
import type { StoreOptions } from './types';
import { argumentError } from './util/argumentError';
import { instantiate } from './wasm/load';
import { ArenaStat, CompactStep, Status, Sentinel, Limit, StringTableField, type Descriptor, type MemstoreExports, type NodeField } from './wasm/abi';
import { decodeWtf8At, encodeWtf8Into } from './util/wtf8';
import { Column } from './column';
import type { AddressLookup } from './util/addressTable';

/**
 * A read while an append parses: toArray of a stream's half-parsed append threw a RangeError,
 * toArrow read a detached buffer, and toBytes wrote a file its own load refused.
 */
function readDuringAppend(what = 'store'): MemstoreUnsupportedError {
  const subject = what === 'store' ? 'This memstore store cannot be read while an append to it' : `This memstore ${what} cannot be read while an append to its store`;
  return new MemstoreUnsupportedError(`${subject} is being parsed (from a stream, or in its onProgress or onSkip callback): await the append first.`);
}

export class Engine {
  private wasm: MemstoreExports | null;
  readonly limitBytes: number;
  // The whole-memory views, current whenever they are read (the getters below): growth detaches
  // the old buffer, and a reader handed a stale view reads `undefined` or nothing at all.
  private buffer: ArrayBuffer;
  private bytes: Uint8Array;
  private words: Uint32Array;
  /** Ingest-time cache: string → id, so each distinct string crosses into WASM once; made by the first intern, dropped when ingest ends. */
  private internCache: Map<string, number> | null = null;
  /**
   * Decoded strings by id, filled on first read. A Map, not an array indexed by id: most reads
   * here are field names (a dictionary column caches its own codes, column.ts), whose ids lie
   * anywhere in the table, and an array grew to the highest (15 KiB for a store of 100 tweets).
   */
  private readonly decoded = new Map<number, string>();
  private columns: Column[] = [];
  private readonly columnsByHandle = new Map<number, Column>();
  /**
   * Columns that rebuilds left behind (schema/rebuild.ts: a field turned mixed, a struct turned
   * map), whose buffers stay for nodes of earlier snapshots to read: those of the load or append
   * being parsed (`leftPending`), and those a kept append left of the snapshot before it
   * (`leftBehind`), until the next compaction, which freezes their Columns first (freezeLeftBehind).
   * A column made by the same append (or an undone one) is no earlier snapshot's, and its buffers
   * may be given back.
   */
  private readonly leftPending = new Set<number>();
  private readonly leftBehind = new Set<number>();
  /** The store's record view classes, built on first use (view/record.ts): dispose() reaches them here. */
  readonly viewClasses: Array<{ prototype: object }> = [];
  /** The module's static data below its arena: what an empty instance already uses. */
  readonly baseBytes: number;
  /** The memory's size when the store was last fitted to it (compact.ts): while it has not grown, the store still fits. */
  fittedBytes = 0;
  /**
   * Whether JS writes into this store ever left a node something to finish (missing rows owed, a
   * string column's sequence: schema/node.ts settleWrites), which settleWrites' walk of the tree
   * is for: a load that never did (a wide record of ints, 100,000 nodes) skips it, 8 ms. Never
   * reset: a pass inside another (a rebuild during an append) settles only its own subtree.
   */
  writesPending = false;

  /** `wasm`: a new instance, nothing allocated in it yet. */
  constructor(wasm: MemstoreExports, limitBytes: number) {
    this.wasm = wasm;
    this.limitBytes = limitBytes;
    this.baseBytes = wasm.arenaStat(ArenaStat.Top) >>> 0;
    this.buffer = wasm.memory.buffer;
    this.bytes = new Uint8Array(this.buffer);
    this.words = new Uint32Array(this.buffer);
  }

  get exports(): MemstoreExports {
    const wasm = this.wasm;
    if (wasm === null) throw new MemstoreDisposedError();
    return wasm;
  }

  /**
   * The WASM memory's current buffer (replaced by every growth), and byte and u32 views of it.
   * Each checks that it is current: growth detaches the old buffer (its length becomes 0, and the
   * module's memory is never empty), so one load and compare tells, and only then is
   * `memory.buffer` (a call into the runtime) asked. No caller has to remember to sync first: a
   * node opening a Column that another node had made once read its descriptor through a stale
   * view after an append grew memory, and back-filled none of a new field's rows.
   */
  get memoryBuffer(): ArrayBuffer {
    if (this.buffer.byteLength === 0) this.syncBuffer();
    return this.buffer;
  }

  get u8(): Uint8Array {
    if (this.bytes.length === 0) this.syncBuffer();
    return this.bytes;
  }

  get u32(): Uint32Array {
    if (this.words.length === 0) this.syncBuffer();
    return this.words;
  }

  get disposed(): boolean {
    return this.wasm === null;
  }

  /**
   * An append's parse is under way (storeCore appendParsed): between a stream's chunks, or in its
   * onProgress / onSkip callbacks. Its columns then hold rows not yet settled (missing rows owed,
   * a compressed column's rows as bytes) and may have been widened, rebased or turned into text
   * under the snapshot's views, so nothing reads the store until the parse ends.
   */
  parsingAppend = false;

  /**
   * The one liveness check: everything a store hands out (the store, list views, iterators,
   * selections, predicates, groupings, column views, value lists) calls it before it reads
   * anything, with its own name for the message. Two loads and compares, so hot paths take it.
   * Record views do not: dispose() redefines their getters instead (view/record.ts).
   */
  assertLive(what?: string): void {
    if (this.wasm === null) throw new MemstoreDisposedError(what);
    if (this.parsingAppend) throw readDuringAppend(what);
  }

  dispose(): void {
    const wasm = this.wasm;
    if (wasm === null) return;
    // grow(0) from JS detaches the memory's ArrayBuffer (it always makes a new one): every typed
    // array ever handed out over it (column().values, codes, bitmaps…) now reads as empty,
    // instead of showing the disposed store's bytes and keeping its whole memory alive.
    wasm.memory.grow(0);
    this.wasm = null;
    this.buffer = new ArrayBuffer(0);
    this.internCache = null;
    this.decoded.clear();
    this.leftPending.clear();
    this.leftBehind.clear();
    for (const column of this.columns) column.detach();
    this.bytes = new Uint8Array(0);
    this.words = new Uint32Array(0);
  }

  /**
   * The store now lives in `fresh`, into which compaction copied it (`moved`: old address → new):
   * every Column follows its column to its new handle (one no root reaches is detached), the
   * views are re-made, and the old memory is detached (views of it read as empty, as after
   * dispose, and it can be reclaimed). String ids, and so both string caches, stay as they are.
   */
  adopt(fresh: MemstoreExports, moved: AddressLookup): void {
    const old = this.exports;
    this.wasm = fresh;
    this.columnsByHandle.clear();
    const kept: Column[] = [];
    for (const column of this.columns) {
      const handle = moved.get(column.handle);
      if (handle === undefined) {
        column.detach();
        continue;
      }
      column.moveTo(handle);
      this.columnsByHandle.set(handle, column);
      kept.push(column);
    }
    this.columns = kept;
    this.leftBehind.clear();
    old.memory.grow(0);
    // Now, not on the next read: the detached buffer links to the old Memory, whose (re-made)
    // buffer still holds every old page, so until then the store held both memories (22.6 MB
    // retained for a 10 MB store of 1M cargo records: `memstore measure`).
    this.syncBuffer();
    this.refresh();
  }

  /** A u32 field of the descriptor at `column`, from memory as it is now. */
  descriptorField(column: number, field: Descriptor): number {
    return this.u32[(column + field) >>> 2];
  }

  /** A u32 field of the schema node at `handle` (NodeField), from memory as it is now: no call into the module (a load mirrors every node). */
  nodeField(handle: number, field: NodeField): number {
    return this.u32[(handle + field) >>> 2];
  }

  /** A rebuild wrote the rows of these columns into new ones: they stay readable until the next compaction (leftBehind). */
  leaveBehind(handles: Iterable<number>): void {
    for (const handle of handles) this.leftPending.add(handle);
  }

  /**
   * A load or an append ended. Kept, what its rebuilds left of the snapshot before it
   * (`previous`: that snapshot's columns, asked only when a rebuild left something) stays readable
   * until the next compaction; undone, or a load (`previous` null: no snapshot came before), it is
   * forgotten.
   */
  settleLeftBehind(previous: (() => ReadonlySet<number>) | null): void {
    if (this.leftPending.size === 0) return;
    if (previous !== null) {
      const held = previous();
      for (const handle of this.leftPending) if (held.has(handle)) this.leftBehind.add(handle);
    }
    this.leftPending.clear();
  }

  /**
   * Before a compaction of a store its user holds (compact.ts): the Columns of columns rebuilds
   * left behind, which the copy will not take, are frozen (Column.freeze), so that views and
   * selections of earlier snapshots read them as before, and leave the Columns the engine keeps
   * current. `schemaColumns`: the columns the schema holds (an undone rebuild put its old column
   * back), asked only when a rebuild left something behind.
   */
  freezeLeftBehind(schemaColumns: () => ReadonlySet<number>): void {
    if (this.leftBehind.size === 0) return;
    const reachable = schemaColumns();
    const kept: Column[] = [];
    for (const column of this.columns) {
      if (!this.leftBehind.has(column.handle) || reachable.has(column.handle)) {
        kept.push(column);
        continue;
      }
      // Its descriptor and buffers are as the snapshot left them; the views are made once more over memory as it is now.
      column.refresh(this);
      column.freeze(this);
      this.columnsByHandle.delete(column.handle);
    }
    this.columns = kept;
  }

  /** The Column object for a WASM column handle: one per handle, so views taken before an append stay live. */
  columnFor(handle: number): Column {
    let column = this.columnsByHandle.get(handle);
    if (column === undefined) {
      column = new Column(handle);
      this.columnsByHandle.set(handle, column);
      this.columns.push(column);
      if (this.wasm !== null) column.refresh(this);
    }
    return column;
  }

  /** Re-reads every column descriptor; call after anything that may have grown memory. */
  refresh(): void {
    for (const column of this.columns) column.refresh(this);
  }

  /** Re-makes the whole-memory views if `memory.grow` replaced the buffer. */
  private syncBuffer(): void {
    const buffer = this.exports.memory.buffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    this.bytes = new Uint8Array(buffer);
    this.words = new Uint32Array(buffer);
  }

  /** Ingest is over: drop the intern cache, trim the string table, make the read views. */
  finishIngest(): void {
    this.internCache = null;
    this.exports.finishIngest();
    this.refresh();
  }

  check(status: Status, what: string): void {
    if (status === Status.Ok) return;
    if (status === Status.OutOfMemory) throw this.capacityError(what);
    throw new MemstoreError('INTERNAL', `memstore internal error: ${what} hit a column of another type (status ${status}).`);
  }

  capacityError(what: string, requestedBytes?: number): MemstoreCapacityError {
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    const wanted = requestedBytes === undefined ? '' : ` (needs about ${mib(requestedBytes)} more)`;
    return new MemstoreCapacityError(
      `memstore capacity exceeded while ${what}${wanted}: a store holds at most ${mib(this.limitBytes)} ` +
        `(the WebAssembly 4 GiB ceiling, or maxMemoryBytes). Split the data across several stores.`,
      this.limitBytes,
      requestedBytes,
    );
  }

  /** Grows memory once so `bytes` more fit; throws MemstoreCapacityError past the cap. */
  reserve(bytes: number, what: string): void {
    if (!this.exports.reserve(bytes)) throw this.capacityError(what, bytes);
  }

  /** The id of `text` in the string table, interned if new; `remember`: kept in the cache (values repeat, a schema's keys are interned once). */
  intern(text: string, remember = true): number {
    const cache = (this.internCache ??= new Map());
    const known = cache.get(text);
    if (known !== undefined) return known;
    const wasm = this.exports;
    const maxBytes = text.length * 3;
    const pointer = wasm.scratch(maxBytes) >>> 0;
    if (pointer === 0) throw this.capacityError('storing a string', maxBytes);
    const length = encodeWtf8Into(text, this.u8, pointer);
    const id = wasm.intern(length) >>> 0;
    if (id === Sentinel.InternFailed) throw this.capacityError('storing a string', length);
    if (remember) cache.set(text, id);
    return id;
  }

  /**
   * Appends `text` to the text column of the node at `path` (encoded into the scratch buffer,
   * copied by the module: nothing interned). The error's message is made only on failure.
   */
  appendText(column: number, text: string, path: string): void {
    const wasm = this.exports;
    const maxBytes = text.length * 3;
    const pointer = wasm.scratch(maxBytes) >>> 0;
    if (pointer === 0) throw this.capacityError(`storing ${path}`, maxBytes);
    const length = encodeWtf8Into(text, this.u8, pointer);
    const status = wasm.appendText(column, pointer, length);
    if (status !== Status.Ok) this.check(status, `storing ${path}`);
  }

  /**
   * Strings past the table's count were taken back (an undone append, a skipped line): their
   * ids will name other strings, so neither cache may keep them.
   */
  forgetUndoneStrings(): void {
    const count = this.exports.stringTable(StringTableField.Count);
    for (const id of this.decoded.keys()) if (id >= count) this.decoded.delete(id);
    this.internCache = null;
    this.refresh(); // and each column's decoded dictionary codes past its dictionary's length
  }

  /**
   * What a compaction leaves behind (assembly/collect.ts): the strings nothing holds any more, the
   * rest renumbered, and the dictionaries' indexes. How many strings were dropped: ids changed, so
   * neither cache keeps any.
   */
  collect(): number {
    const dropped = this.exports.compact(CompactStep.Collect, 0, 0) >>> 0;
    if (dropped > 0) {
      this.decoded.clear();
      this.internCache = null;
    }
    return dropped;
  }

  /** Re-points a schema node (journaled by the module, so a failed append puts it back). */
  setNodeField(handle: number, field: NodeField, value: number): void {
    if (!this.exports.nodeSetField(handle, field, value)) throw this.capacityError('changing the schema');
  }

  /** The string with id `id`, decoded once and cached. */
  string(id: number): string {
    const cached = this.decoded.get(id);
    if (cached !== undefined) return cached;
    const text = this.decodeString(id);
    this.decoded.set(id, text);
    return text;
  }

  /**
   * The string with id `id`, decoded now and not cached: for a caller that keeps it (a schema
   * node its key). The mirror of a struct of 100,000 keys spent a tenth of its load caching
   * them (packages/bench/dist/wide.js, in a cpu profile).
   */
  decodeString(id: number): string {
    const wasm = this.exports;
    const offsets = (wasm.stringTable(StringTableField.Offsets) >>> 2) + id;
    const heap = wasm.stringTable(StringTableField.Heap) >>> 0;
    return decodeWtf8At(this.u8, heap + this.u32[offsets], heap + this.u32[offsets + 1]);
  }

  /**
   * The string table as views of WASM memory (valid until memory grows): string `id`'s WTF-8 bytes
   * are `heap[offsets[id]] .. heap[offsets[id + 1]]`. For readers of many strings at once (a
   * dictionary handed to Arrow): two export calls in all, not two per string.
   */
  stringTable(): { offsets: Uint32Array; heap: Uint8Array } {
    const wasm = this.exports;
    const count = wasm.stringTable(StringTableField.Count);
    const offsets = wasm.stringTable(StringTableField.Offsets) >>> 2;
    return {
      offsets: this.u32.subarray(offsets, offsets + count + 1),
      heap: this.u8.subarray(wasm.stringTable(StringTableField.Heap) >>> 0),
    };
  }

  get reservedBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  get pageLimit(): number {
    return Math.floor(this.limitBytes / Limit.PageBytes);
  }
}

const MAX_MEMORY_BYTES = Limit.MaxPages * Limit.PageBytes;

function memoryLimit(options: StoreOptions): number {
  const limit = options.maxMemoryBytes ?? MAX_MEMORY_BYTES;
  // Infinity reads as "no cap of my own": the 4 GiB ceiling.
  if (typeof limit !== 'number' || !(limit > 0) || !(Number.isInteger(limit) || limit === Infinity)) {
    throw argumentError('options.maxMemoryBytes', 'a positive integer number of bytes', limit);
  }
  if (limit < 2 * Limit.PageBytes) {
    throw new MemstoreCapacityError(`maxMemoryBytes ${limit} is below the 128 KiB a store needs to start.`, limit);
  }
  return Math.min(limit, MAX_MEMORY_BYTES);
}

/** The engine of a new store: an instance of the module capped at the options' maxMemoryBytes (else 4 GiB). */
export async function createEngine(options: StoreOptions): Promise<Engine> {
  const limitBytes = memoryLimit(options);
  const wasm = await instantiate(Math.floor(limitBytes / Limit.PageBytes));
  return new Engine(wasm, limitBytes);
}
