// Compaction: a store copied into a fresh WebAssembly instance sized to its data, since WASM
// memory never shrinks. Every block the module's roots reach — schema nodes, column descriptors
// and their buffers, the string table — is copied at the bytes its rows take, and every field
// that holds an address (the `Pointers` masks of abi.ts) re-pointed at the copy. Records are
// copied whole, so a field that holds no address needs nothing here; the module's side (block
// sizes, its roots, capacities set to lengths) is assembly/compact.ts.
import type { Engine } from './engine';
import type { WorkingMemory } from './query/workspace';
import { allNodes, columnHandles, type Node } from './schema/node';
import { CompactSizes, CompactStep, Descriptor, Limit, NodeField, Pointers, RecordKind, Roots, type MemstoreExports } from './wasm/abi';
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
    bytes: NodeField.Bytes, buffers: Pointers.NodeBuffers, lists: Pointers.NodeLists, nodes: Pointers.NodeChildren | Pointers.NodeParent, columns: Pointers.NodeColumns,
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
  /**
   * Every address the blocks hold, as edges (edge e: the u32 at byte edgeFields[e] of block
   * edgeBlocks[e] addresses block edgeTargets[e]), so that the copy re-points them by index, with
   * no lookup of an address: 300,000 blocks took ~600,000 hash lookups there.
   */
  readonly edges: number;
  readonly edgeBlocks: Uint32Array;
  readonly edgeFields: Uint32Array;
  readonly edgeTargets: Uint32Array;
  /** Block index by old address. */
  readonly index: AddressTable;
}

/** Block `i` of `plan` as an object (for writers that filter and reorder blocks: persist/write.ts). */
export function planBlock(plan: CompactionPlan, i: number): Block {
  return { from: plan.from[i], copied: plan.copied[i], bytes: plan.sizes[i], kind: KIND_OF[plan.kinds[i]] };
}

/** Blocks of at most these bytes are copied by a loop (copyInto). */
const SMALL_BLOCK = 256;

/** The fields of each record kind, by kind (RecordKind indexes it): FIELDS as an array, for the walk's inner loop. */
const FIELDS_BY_KIND = [RecordKind.Roots, RecordKind.Node, RecordKind.Column].map((kind) => FIELDS.get(kind)!);

/**
 * Finds every block the roots of `wasm` reach (reads only: it allocates nothing), to be copied
 * into blocks with room for 1/`headroom` more rows (0: exactly their rows). `expectedBlocks`
 * sizes the plan up front (growing its table by doubling cost a 300,000-block walk a third of its time).
 */
export function planCompaction(wasm: MemstoreExports, headroom: number, expectedBlocks = 1024): CompactionPlan {
  const roots = wasm.compact(CompactStep.Roots, 0, 0) >>> 0;
  const planner = new Planner(wasm, headroom, expectedBlocks);
  planner.record(RecordKind.Roots, roots);
  planner.walk();
  return planner.plan(roots);
}

/**
 * The walk behind planCompaction: records still to visit on a stack of (kind, address, index)
 * triples, each block taken once (a table of the addresses seen, to their index), every address
 * field an edge, the plan's columns grown by doubling. No closure or object is made per block.
 */
class Planner {
  private count = 0;
  private from: Uint32Array;
  private copied: Uint32Array;
  private sizes: Uint32Array;
  private kinds: Uint8Array;
  private edges = 0;
  private edgeBlocks: Uint32Array;
  private edgeFields: Uint32Array;
  private edgeTargets: Uint32Array;
  private usedBytes = 0;
  private bytes = 0;
  private readonly index: AddressTable;
  /** Whether the block add() returned last was new. */
  private fresh = false;
  /** (kind, address, index) triples of records whose fields are still to walk. */
  private readonly pending: number[] = [];
  private readonly words: Uint32Array;

  constructor(
    private readonly wasm: MemstoreExports,
    private readonly headroom: number,
    expectedBlocks: number,
  ) {
    this.words = new Uint32Array(wasm.memory.buffer);
    const blocks = Math.max(16, expectedBlocks);
    this.index = new AddressTable(blocks);
    this.from = new Uint32Array(blocks);
    this.copied = new Uint32Array(blocks);
    this.sizes = new Uint32Array(blocks);
    this.kinds = new Uint8Array(blocks);
    this.edgeBlocks = new Uint32Array(blocks * 2);
    this.edgeFields = new Uint32Array(blocks * 2);
    this.edgeTargets = new Uint32Array(blocks * 2);
  }

  plan(roots: number): CompactionPlan {
    const { count, edges } = this;
    return {
      count, from: this.from.subarray(0, count), copied: this.copied.subarray(0, count), sizes: this.sizes.subarray(0, count),
      kinds: this.kinds.subarray(0, count), roots, headroom: this.headroom, usedBytes: this.usedBytes, bytes: this.bytes,
      edges, edgeBlocks: this.edgeBlocks.subarray(0, edges), edgeFields: this.edgeFields.subarray(0, edges),
      edgeTargets: this.edgeTargets.subarray(0, edges), index: this.index,
    };
  }

  /** The index of the block at `from`, taken once (-1: none, at 0 or of no bytes); `fresh` is set when it is new. */
  private add(from: number, copied: number, size: number, kind: number): number {
    if (from === 0 || copied === 0) return -1;
    const seen = this.index.get(from);
    if (seen !== undefined) {
      this.fresh = false;
      return seen;
    }
    if (this.count === this.from.length) this.grow();
    const i = this.count++;
    this.index.set(from, i);
    this.from[i] = from;
    this.copied[i] = copied;
    this.sizes[i] = size;
    this.kinds[i] = kind;
    this.usedBytes += Math.ceil(copied / 8) * 8;
    this.bytes += Math.ceil(size / 8) * 8;
    this.fresh = true;
    return i;
  }

  private grow(): void {
    this.from = widen(this.from, this.from.length * 2);
    this.copied = widen(this.copied, this.from.length);
    this.sizes = widen(this.sizes, this.from.length);
    this.kinds = widen(this.kinds, this.from.length);
  }

  /** Block `block`'s u32 at byte `field` addresses block `target` (none when -1). */
  private edge(block: number, field: number, target: number): void {
    if (target < 0) return;
    if (this.edges === this.edgeBlocks.length) {
      this.edgeBlocks = widen(this.edgeBlocks, this.edges * 2);
      this.edgeFields = widen(this.edgeFields, this.edges * 2);
      this.edgeTargets = widen(this.edgeTargets, this.edges * 2);
    }
    const e = this.edges++;
    this.edgeBlocks[e] = block;
    this.edgeFields[e] = field;
    this.edgeTargets[e] = target;
  }

  /** The record of `kind` at `at`: its index (-1: none), its fields walked later when new. */
  record(kind: RecordKind, at: number): number {
    const bytes = LAYOUTS[kind].bytes;
    const i = this.add(at, bytes, bytes, kind);
    if (i >= 0 && this.fresh) this.pending.push(kind, at, i);
    return i;
  }

  /** The block field `field` of the record at `at` addresses, taken once: its index (-1: none). */
  private buffer(kind: RecordKind, at: number, field: number, what: number): number {
    const from = this.words[(at + field) >>> 2];
    if (from === 0) return -1;
    const copied = this.wasm.blockBytes(kind, at, field, 0) >>> 0;
    const size = this.headroom === 0 ? copied : this.wasm.blockBytes(kind, at, field, this.headroom) >>> 0;
    return this.add(from, copied, size, what);
  }

  walk(): void {
    const { pending, words } = this;
    while (pending.length > 0) {
      const i = pending.pop()!;
      const at = pending.pop()!;
      const kind = pending.pop()! as RecordKind;
      const fields = FIELDS_BY_KIND[kind];
      for (const field of fields.buffers) this.edge(i, field, this.buffer(kind, at, field, BUFFER));
      for (const field of fields.lists) {
        const list = this.buffer(kind, at, field, LIST);
        this.edge(i, field, list);
        // A list shared by two records (none are) is walked once: its slots' edges are its own.
        if (list < 0 || !this.fresh) continue;
        const from = this.from[list];
        for (let slot = 0; slot < this.copied[list]; slot += 4) {
          const node = words[(from + slot) >>> 2];
          if (node !== 0) this.edge(list, slot, this.record(RecordKind.Node, node));
        }
      }
      for (const field of fields.nodes) this.edge(i, field, this.record(RecordKind.Node, words[(at + field) >>> 2]));
      for (const field of fields.columns) this.edge(i, field, this.record(RecordKind.Column, words[(at + field) >>> 2]));
    }
  }
}

/** A copy of `array` of `length` elements (longer: zero-filled). */
function widen<A extends Uint32Array | Uint8Array>(array: A, length: number): A {
  const wider = new (array.constructor as new (length: number) => A)(length);
  wider.set(array);
  return wider;
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
  // One allocation, carved into the blocks in plan order: the arena keeps no header per block, so
  // a block carved here is released later like any other (a call per block cost 300,000 calls).
  const base = plan.bytes === 0 ? 0 : fresh.arenaAllocate(plan.bytes) >>> 0;
  if (plan.bytes !== 0 && base === 0) return null;
  const targets = new Uint32Array(count);
  for (let i = 0, to = base; i < count; i++) {
    targets[i] = to;
    to += Math.ceil(plan.sizes[i] / 8) * 8;
  }
  const from = new Uint8Array(old.memory.buffer);
  const into = new Uint8Array(fresh.memory.buffer);
  const words = new Uint32Array(fresh.memory.buffer);
  const fromWords = new Uint32Array(old.memory.buffer);
  for (let i = 0; i < count; i++) {
    const at = plan.from[i];
    const bytes = copied[i];
    const to = targets[i];
    // Most blocks are records and small buffers: a loop beats a subarray made for each. Both
    // addresses are 8-byte aligned, so whole words go first, then the last 0-3 bytes.
    if (bytes <= SMALL_BLOCK) {
      const whole = bytes >>> 2;
      for (let w = 0; w < whole; w++) words[(to >>> 2) + w] = fromWords[(at >>> 2) + w];
      for (let b = whole << 2; b < bytes; b++) into[to + b] = from[at + b];
    } else into.set(from.subarray(at, at + bytes), to);
    // A record's addresses are 0 (no block: one of no bytes was not copied) until its edges set them.
    const kind = kinds[i];
    if (kind !== LIST && kind !== BUFFER) {
      const fields = FIELDS_BY_KIND[kind];
      for (const field of fields.addresses) words[(to + field) >>> 2] = 0;
      for (const field of fields.transient) words[(to + field) >>> 2] = 0;
    }
  }
  const { edgeBlocks, edgeFields, edgeTargets } = plan;
  for (let e = 0; e < plan.edges; e++) words[(targets[edgeBlocks[e]] + edgeFields[e]) >>> 2] = targets[edgeTargets[e]];
  // Block 0 is the Roots record (planCompaction takes it first), re-pointed above; the copy's
  // roots live in its static block.
  const roots = fresh.compact(CompactStep.Roots, 0, 0) >>> 0;
  into.copyWithin(roots, targets[0], targets[0] + Roots.Bytes);
  fresh.compact(CompactStep.Adopt, plan.headroom, 0);
  const { index } = plan;
  return {
    get(address: number): number | undefined {
      const i = index.get(address);
      return i === undefined ? undefined : targets[i];
    },
  };
}

/** What compacting would copy (the module's walk, compactMeasure: it allocates nothing). */
interface CompactionSizes {
  /** Bytes the blocks' rows take, and of their copies (with the headroom), each rounded up to 8. */
  readonly usedBytes: number;
  readonly copyBytes: number;
}

/** The CompactSizes block at `at` (what compactMeasure, compactPrepare and compactImage return): its f64s by field. */
function sizesAt(wasm: MemstoreExports, at: number): (field: CompactSizes) => number {
  const sizes = new Float64Array(wasm.memory.buffer, at >>> 0, CompactSizes.Bytes / 8);
  return (field) => sizes[field / 8];
}

function measure(wasm: MemstoreExports, headroom: number): CompactionSizes {
  const sizes = sizesAt(wasm, wasm.compact(CompactStep.Measure, headroom, 0));
  // What the copy leaves out is held until then: used, not slack (assembly/compact.ts indexLeftOut).
  return { usedBytes: sizes(CompactSizes.UsedBytes) + sizes(CompactSizes.LeftOutBytes), copyBytes: sizes(CompactSizes.CopyBytes) };
}

/**
 * Copies the store of `old` into `fresh` (a new instance, nothing allocated yet) as the module
 * lays it out (compactPrepare, compactImage: the blocks with their addresses re-pointed, as runs
 * written in `old`'s memory and large buffers where they lie, a `set` each), `extraBytes` more
 * reserved with it; `measured`: nothing changed since compactMeasure(headroom), whose walk then
 * sizes the image. When `old` cannot make that image (its memory is at its cap, or its tree is
 * not one the module's walk takes) the planner copies it block by block (copyInto). Returns where
 * each record went, or null when `fresh` cannot hold the store.
 */
function copyStore(old: MemstoreExports, fresh: MemstoreExports, headroom: number, extraBytes: number, measured: boolean): AddressLookup | null {
  const prepared = old.compact(CompactStep.Prepare, headroom, measured ? 1 : 0) >>> 0;
  if (prepared === 0) return copyInto(planCompaction(old, headroom), old, fresh, extraBytes);
  const copyBytes = sizesAt(old, prepared)(CompactSizes.CopyBytes);
  const base = fresh.reserve(copyBytes + extraBytes) ? fresh.arenaAllocate(copyBytes) >>> 0 : 0;
  if (base === 0) {
    old.compact(CompactStep.Image, 0, 0);
    return null;
  }
  const sizes = sizesAt(old, old.compact(CompactStep.Image, base, 0));
  const table = new Uint32Array(old.memory.buffer, sizes(CompactSizes.CopyTable), sizes(CompactSizes.Copies) * 3);
  const from = new Uint8Array(old.memory.buffer);
  const into = new Uint8Array(fresh.memory.buffer);
  for (let i = 0; i < table.length; i += 3) into.set(from.subarray(table[i], table[i] + table[i + 2]), table[i + 1]);
  // The copy's first block is the Roots record; the fresh instance's roots live in its static block.
  const roots = fresh.compact(CompactStep.Roots, 0, 0) >>> 0;
  into.copyWithin(roots, base, base + Roots.Bytes);
  fresh.compact(CompactStep.Adopt, headroom, 0);
  return {
    get(address: number): number | undefined {
      const to = old.compact(CompactStep.Forward, address, 0) >>> 0;
      return to === 0 ? undefined : to;
    },
  };
}

/**
 * After a load or an append: a store whose memory passed what it uses by more than the rule
 * allows (worthCompacting) moves into a fresh instance of its size, its columns holding their
 * rows and 1/`headroom` more (0: none). Its Columns follow (engine.adopt), the nodes of its tree
 * (`root()`, read after the wait) are re-pointed, the workspace is made again or its room held:
 * it answers as before. When the copy does not fit (never expected: it is smaller) it stays put.
 * `handedOut`: the store is its user's already (an append), so a query may run while the fresh
 * instance is made, and the copy is measured again after that wait; a load's store is nobody's
 * yet, and the walk that measured it for the rule sizes its image. `collect`: what the copy can
 * leave behind is dropped first (assembly/collect.ts; false after an undone append).
 */
export async function fitMemory(engine: Engine, working: WorkingMemory, root: () => Node, headroom: number, handedOut: boolean, collect: boolean): Promise<void> {
  // A load's store has no earlier snapshot: nothing will read the columns its rebuilds left behind.
  if (!handedOut) engine.settleLeftBehind(null);
  // Memory that has not grown since the store was last fitted still fits: what it holds only grew.
  if (engine.disposed || engine.reservedBytes === engine.fittedBytes) return;
  // Mostly missing columns turn sparse first (assembly/sparse.ts), and text worth it is compressed
  // (assembly/fsst.ts): the copy then holds their stored rows only, and the codes. A store that
  // keeps headroom (after an append) expects more rows: a dictionary is weighed as it will grow.
  engine.exports.schemaReviewDensity();
  engine.exports.schemaCompressText(headroom > 0 ? 1 : 0);
  engine.refresh();
  const sizes = measure(engine.exports, headroom);
  if (!worthCompacting(engine.reservedBytes, engine.baseBytes, sizes.usedBytes + working.bytes, sizes.copyBytes + working.bytes)) {
    engine.fittedBytes = engine.reservedBytes;
    return;
  }
  // The copy leaves out the strings nothing holds (a column turned into text leaves its dictionary's
  // behind in the table) and the dictionaries' indexes (`collect`: not after an undone append, which
  // leaves the table as it was): the store is then measured again by the copy.
  // Columns rebuilds left behind are not copied, and the collection drops strings only they hold:
  // earlier snapshots' nodes of a store already handed out read frozen copies of them from now on.
  if (handedOut) engine.freezeLeftBehind(() => columnHandles(root()));
  if (collect) engine.collect();
  const fresh = await instantiate(engine.pageLimit);
  // The store may have been disposed meanwhile, or (handed out: after an append) have run a
  // query that made its workspace or interned a literal: then its image is measured again.
  if (engine.disposed) return;
  const moved = copyStore(engine.exports, fresh, headroom, working.bytes, !handedOut && !collect);
  if (moved === null) {
    // Readying the image may have grown this memory: the Columns' views are made again.
    engine.refresh();
    return;
  }
  engine.adopt(fresh, moved);
  for (const node of allNodes(root())) node.moved(moved);
  working.moved();
  engine.fittedBytes = engine.reservedBytes;
}
