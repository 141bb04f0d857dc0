// Compaction: a store copied into a fresh WebAssembly instance sized to its data, since WASM
// memory never shrinks. Every block the module's roots reach — schema nodes, column descriptors
// and their buffers, the string table — is copied at the bytes its rows take, and every field
// that holds an address (the `Pointers` masks of abi.ts) re-pointed at the copy. Records are
// copied whole, so a field that holds no address needs nothing here; the module's side (block
// sizes, its roots, capacities set to lengths) is assembly/compact.ts.
import type { Engine } from './engine';
import type { WorkingMemory } from './query/workspace';
import { allNodes, type Node } from './schema/node';
import { Descriptor, Limit, NodeField, Pointers, RecordKind, Roots, type MemstoreExports } from './wasm/abi';
import { instantiate } from './wasm/load';
import { type AddressLookup, AddressTable } from './util/addressTable';

/** A record's size and which of its fields address what (bit i: the u32 field at byte 4 × i). */
interface RecordLayout {
  readonly bytes: number;
  /** Blocks that hold no addresses. */
  readonly buffers: number;
  /** Blocks of node addresses (0: an unused slot). */
  readonly lists: number;
  readonly nodes: number;
  readonly columns: number;
  /** Fields zeroed in the copy. */
  readonly transient: number;
}

const LAYOUTS: Readonly<Record<RecordKind, RecordLayout>> = {
  [RecordKind.Roots]: { bytes: Roots.Bytes, buffers: Pointers.RootsBuffers, lists: 0, nodes: Pointers.RootsNodes, columns: 0, transient: 0 },
  [RecordKind.Node]: {
    bytes: NodeField.Bytes, buffers: Pointers.NodeBuffers, lists: Pointers.NodeLists, nodes: Pointers.NodeNodes, columns: Pointers.NodeColumns,
    transient: Pointers.NodeTransient,
  },
  [RecordKind.Column]: { bytes: Descriptor.Bytes, buffers: Pointers.ColumnBuffers, lists: 0, nodes: 0, columns: 0, transient: 0 },
};

/** Byte offsets of the fields in `mask`. */
function fieldsOf(mask: number): number[] {
  const fields: number[] = [];
  for (let bits = mask; bits !== 0; bits &= bits - 1) fields.push((31 - Math.clz32(bits & -bits)) << 2);
  return fields;
}

export const FIELDS = new Map(Object.entries(LAYOUTS).map(([kind, layout]) => [Number(kind) as RecordKind, {
  buffers: fieldsOf(layout.buffers), lists: fieldsOf(layout.lists), nodes: fieldsOf(layout.nodes), columns: fieldsOf(layout.columns),
  addresses: fieldsOf(layout.buffers | layout.lists | layout.nodes | layout.columns), transient: fieldsOf(layout.transient),
}]));

/** What a block is: a record (RecordKind: its fields re-pointed), a list of node addresses, or plain bytes. */
export type CopiedKind = RecordKind | 'list' | 'buffer';

/** A block to copy (CompactionPlan.block(i)). */
export interface Block {
  readonly from: number;
  /** Bytes copied (what its rows take)… */
  readonly copied: number;
  /** …into a block of these (with room for the plan's headroom). */
  readonly bytes: number;
  readonly kind: CopiedKind;
}

/** Block kinds as the plan stores them: RecordKind's values, then these two. */
const LIST = 3;
const BUFFER = 4;
const KIND_OF: readonly CopiedKind[] = [RecordKind.Roots, RecordKind.Node, RecordKind.Column, 'list', 'buffer'];

/**
 * What a store's instance holds that compaction copies: every block its roots reach, each once,
 * as columns (block i: from[i], copied[i], sizes[i], kinds[i]). Columns, not an object a block:
 * a store of 100,000 columns has 300,000 blocks, and reading that many objects scattered over the
 * heap cost more than copying the bytes they name.
 */
export interface CompactionPlan {
  readonly count: number;
  readonly from: Uint32Array;
  /** Bytes copied (what its rows take)… */
  readonly copied: Uint32Array;
  /** …into a block of these (with room for the plan's headroom). */
  readonly sizes: Uint32Array;
  /** RecordKind, LIST or BUFFER. */
  readonly kinds: Uint8Array;
  /** The old instance's Roots record. */
  readonly roots: number;
  /** Room the copies get for 1/headroom more rows (0: none). */
  readonly headroom: number;
  /** Bytes the blocks' rows take, and of the copies (with the headroom), each rounded up to the arena's 8-byte alignment. */
  readonly usedBytes: number;
  readonly bytes: number;
}

/** Block `i` of `plan` as an object (for writers that filter and reorder blocks: persist/write.ts). */
export function planBlock(plan: CompactionPlan, i: number): Block {
  return { from: plan.from[i], copied: plan.copied[i], bytes: plan.sizes[i], kind: KIND_OF[plan.kinds[i]] };
}

/** Blocks of at most these bytes are copied by a loop (copyInto). */
const SMALL_BLOCK = 64;

/** The fields of each record kind, by kind (RecordKind indexes it): FIELDS as an array, for the walk's inner loop. */
const FIELDS_BY_KIND = [RecordKind.Roots, RecordKind.Node, RecordKind.Column].map((kind) => FIELDS.get(kind)!);

/**
 * Finds every block the roots of `wasm` reach (reads only: it allocates nothing), to be copied
 * into blocks with room for 1/`headroom` more rows (0: exactly their rows).
 */
export function planCompaction(wasm: MemstoreExports, headroom: number): CompactionPlan {
  const roots = wasm.compactRoots(headroom) >>> 0;
  const planner = new Planner(wasm, headroom);
  planner.record(RecordKind.Roots, roots);
  planner.walk();
  return planner.plan(roots);
}

/**
 * The walk behind planCompaction: records still to visit on a stack of (kind, address) pairs,
 * each block taken once (a table of the addresses seen), the plan's columns grown by doubling.
 * No closure or object is made per block.
 */
class Planner {
  private count = 0;
  private from = new Uint32Array(1024);
  private copied = new Uint32Array(1024);
  private sizes = new Uint32Array(1024);
  private kinds = new Uint8Array(1024);
  private usedBytes = 0;
  private bytes = 0;
  private readonly seen = new AddressTable(1024);
  /** (kind, address) pairs of records whose fields are still to walk. */
  private readonly pending: number[] = [];
  private readonly words: Uint32Array;

  constructor(
    private readonly wasm: MemstoreExports,
    private readonly headroom: number,
  ) {
    this.words = new Uint32Array(wasm.memory.buffer);
  }

  plan(roots: number): CompactionPlan {
    const { count } = this;
    return {
      count, from: this.from.subarray(0, count), copied: this.copied.subarray(0, count), sizes: this.sizes.subarray(0, count),
      kinds: this.kinds.subarray(0, count), roots, headroom: this.headroom, usedBytes: this.usedBytes, bytes: this.bytes,
    };
  }

  /** Takes the block at `from` once (none at 0 or of no bytes); true when it is new. */
  private add(from: number, copied: number, size: number, kind: number): boolean {
    if (from === 0 || copied === 0 || this.seen.has(from)) return false;
    this.seen.set(from, 1);
    if (this.count === this.from.length) this.grow();
    const i = this.count++;
    this.from[i] = from;
    this.copied[i] = copied;
    this.sizes[i] = size;
    this.kinds[i] = kind;
    this.usedBytes += Math.ceil(copied / 8) * 8;
    this.bytes += Math.ceil(size / 8) * 8;
    return true;
  }

  private grow(): void {
    const widen = <A extends Uint32Array | Uint8Array>(array: A, make: (length: number) => A): A => {
      const wider = make(array.length * 2);
      wider.set(array);
      return wider;
    };
    this.from = widen(this.from, (n) => new Uint32Array(n));
    this.copied = widen(this.copied, (n) => new Uint32Array(n));
    this.sizes = widen(this.sizes, (n) => new Uint32Array(n));
    this.kinds = widen(this.kinds, (n) => new Uint8Array(n));
  }

  record(kind: RecordKind, at: number): void {
    const bytes = LAYOUTS[kind].bytes;
    if (this.add(at, bytes, bytes, kind)) this.pending.push(kind, at);
  }

  /** The block field `field` of the record at `at` addresses, taken once: its bytes copied when new, else 0. */
  private buffer(kind: RecordKind, at: number, field: number, what: number): number {
    const from = this.words[(at + field) >>> 2];
    if (from === 0) return 0;
    const copied = this.wasm.blockBytes(kind, at, field, 0) >>> 0;
    const size = this.headroom === 0 ? copied : this.wasm.blockBytes(kind, at, field, this.headroom) >>> 0;
    return this.add(from, copied, size, what) ? copied : 0;
  }

  walk(): void {
    const { pending, words } = this;
    while (pending.length > 0) {
      const at = pending.pop()!;
      const kind = pending.pop()! as RecordKind;
      const fields = FIELDS_BY_KIND[kind];
      for (const field of fields.buffers) this.buffer(kind, at, field, BUFFER);
      for (const field of fields.lists) {
        const copied = this.buffer(kind, at, field, LIST);
        const list = words[(at + field) >>> 2];
        for (let slot = list >>> 2; slot < (list + copied) >>> 2; slot++) this.record(RecordKind.Node, words[slot]);
      }
      for (const field of fields.nodes) this.record(RecordKind.Node, words[(at + field) >>> 2]);
      for (const field of fields.columns) this.record(RecordKind.Column, words[(at + field) >>> 2]);
    }
  }
}

/**
 * The rule: a store is compacted when its memory passes what it uses by more than 5% and a page
 * (64 KiB), and compaction gives back at least a page. `baseBytes`: the module's static data below
 * its arena; `usedBytes`: what the store's blocks (and its query workspace) take; `copyBytes`: what
 * their copies would (with any headroom).
 */
export function worthCompacting(reservedBytes: number, baseBytes: number, usedBytes: number, copyBytes: number): boolean {
  const fitted = Math.ceil((baseBytes + copyBytes) / Limit.PageBytes) * Limit.PageBytes;
  return reservedBytes > 1.05 * (baseBytes + usedBytes) + Limit.PageBytes && fitted < reservedBytes;
}

/**
 * Copies `plan` from `old` into `fresh` (a new instance, nothing allocated yet), re-points every
 * address, and has `fresh` take the roots. `extraBytes` more are reserved with it (the query
 * workspace, made again by its owner). Returns where each block went (old address → new), or null
 * when `fresh` cannot hold it all (then `old` is untouched and still the store).
 */
export function copyInto(plan: CompactionPlan, old: MemstoreExports, fresh: MemstoreExports, extraBytes: number): AddressLookup | null {
  if (!fresh.reserve(plan.bytes + extraBytes)) return null;
  const { count, copied, kinds } = plan;
  const moved = new AddressTable(count);
  const targets = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const to = fresh.arenaAllocate(plan.sizes[i]) >>> 0;
    if (to === 0) return null;
    moved.set(plan.from[i], to);
    targets[i] = to;
  }
  const from = new Uint8Array(old.memory.buffer);
  const into = new Uint8Array(fresh.memory.buffer);
  for (let i = 0; i < count; i++) {
    const at = plan.from[i];
    const bytes = copied[i];
    // Most blocks are records and small buffers: a byte loop beats a subarray made for each.
    if (bytes <= SMALL_BLOCK) for (let b = 0; b < bytes; b++) into[targets[i] + b] = from[at + b];
    else into.set(from.subarray(at, at + bytes), targets[i]);
  }
  const words = new Uint32Array(fresh.memory.buffer);
  // An address of a block that was not copied (one of no bytes) becomes 0: no block.
  const repoint = (at: number) => {
    words[at >>> 2] = moved.get(words[at >>> 2]) ?? 0;
  };
  const repointRecord = (kind: RecordKind, at: number) => {
    const fields = FIELDS_BY_KIND[kind];
    for (const field of fields.addresses) repoint(at + field);
    for (const field of fields.transient) words[(at + field) >>> 2] = 0;
  };
  for (let i = 0; i < count; i++) {
    const kind = kinds[i];
    const at = targets[i];
    if (kind === LIST) {
      for (let slot = at; slot < at + copied[i]; slot += 4) if (words[slot >>> 2] !== 0) repoint(slot);
    } else if (kind !== BUFFER) repointRecord(kind as RecordKind, at);
  }
  // Only the record's address is wanted here (the copy's roots overwrite it): any headroom does.
  const roots = fresh.compactRoots(plan.headroom) >>> 0;
  into.set(from.subarray(plan.roots, plan.roots + Roots.Bytes), roots);
  repointRecord(RecordKind.Roots, roots);
  fresh.compactAdopt(plan.headroom);
  return moved;
}

/**
 * After a load or an append: a store whose memory passed what it uses by more than the rule
 * allows (worthCompacting) moves into a fresh instance of its size, its columns holding their
 * rows and 1/`headroom` more (0: none). Its Columns follow (engine.adopt), the nodes of its tree
 * (`root()`, read after the wait) are re-pointed, the workspace is made again or its room held:
 * it answers as before. When the copy does not fit (never expected: it is smaller) it stays put.
 * `handedOut`: the store is its user's already (an append), so a query may run while the fresh
 * instance is made; a load's store is nobody's yet, and its plan stays true across that wait.
 */
export async function fitMemory(engine: Engine, working: WorkingMemory, root: () => Node, headroom: number, handedOut: boolean): Promise<void> {
  // Memory that has not grown since the store was last fitted still fits: what it holds only grew.
  if (engine.disposed || engine.reservedBytes === engine.fittedBytes) return;
  // Mostly missing columns turn sparse first (assembly/sparse.ts): the copy then holds their stored rows only.
  engine.exports.schemaReviewDensity();
  engine.refresh();
  const planned = planCompaction(engine.exports, headroom);
  if (!worthCompacting(engine.reservedBytes, engine.baseBytes, planned.usedBytes + working.bytes, planned.bytes + working.bytes)) {
    engine.fittedBytes = engine.reservedBytes;
    return;
  }
  const fresh = await instantiate(engine.pageLimit);
  // The store may have been disposed meanwhile, or (handed out) have made its workspace or run
  // a query: then it is planned as it is now. Planning 100,000 columns takes ~200 ms.
  if (engine.disposed) return;
  const plan = handedOut ? planCompaction(engine.exports, headroom) : planned;
  const moved = copyInto(plan, engine.exports, fresh, working.bytes);
  if (moved === null) return;
  engine.adopt(fresh, moved);
  for (const node of allNodes(root())) node.moved(moved);
  working.moved();
  engine.fittedBytes = engine.reservedBytes;
}
