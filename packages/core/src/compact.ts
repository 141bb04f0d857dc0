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

/** A block to copy: a record (its fields re-pointed), a list of node addresses, or plain bytes. */
interface Block {
  readonly from: number;
  /** Bytes copied (what its rows take)… */
  readonly copied: number;
  /** …into a block of these (with room for the plan's headroom). */
  readonly bytes: number;
  readonly kind: RecordKind | 'list' | 'buffer';
}

/** What a store's instance holds that compaction copies: every block its roots reach, each once. */
export interface CompactionPlan {
  readonly blocks: readonly Block[];
  /** The old instance's Roots record. */
  readonly roots: number;
  /** Room the copies get for 1/headroom more rows (0: none). */
  readonly headroom: number;
  /** Bytes the blocks' rows take, and of the copies (with the headroom), each rounded up to the arena's 8-byte alignment. */
  readonly usedBytes: number;
  readonly bytes: number;
}

/**
 * Finds every block the roots of `wasm` reach (reads only: it allocates nothing), to be copied
 * into blocks with room for 1/`headroom` more rows (0: exactly their rows).
 */
export function planCompaction(wasm: MemstoreExports, headroom: number): CompactionPlan {
  const roots = wasm.compactRoots() >>> 0;
  const words = new Uint32Array(wasm.memory.buffer);
  const blocks: Block[] = [];
  const seen = new Set<number>();
  let usedBytes = 0;
  let bytes = 0;
  const add = (from: number, copied: number, size: number, kind: Block['kind']): boolean => {
    if (from === 0 || copied === 0 || seen.has(from)) return false;
    seen.add(from);
    blocks.push({ from, copied, bytes: size, kind });
    usedBytes += Math.ceil(copied / 8) * 8;
    bytes += Math.ceil(size / 8) * 8;
    return true;
  };
  const pending: Array<[RecordKind, number]> = [[RecordKind.Roots, roots]];
  const record = (kind: RecordKind, at: number): void => {
    if (add(at, LAYOUTS[kind].bytes, LAYOUTS[kind].bytes, kind)) pending.push([kind, at]);
  };
  while (pending.length > 0) {
    const [kind, at] = pending.pop()!;
    const fields = FIELDS.get(kind)!;
    const address = (field: number) => words[(at + field) >>> 2];
    const buffer = (field: number, what: 'list' | 'buffer') =>
      add(address(field), wasm.blockBytes(kind, at, field, 0) >>> 0, wasm.blockBytes(kind, at, field, headroom) >>> 0, what);
    for (const field of fields.buffers) buffer(field, 'buffer');
    for (const field of fields.lists) {
      if (!buffer(field, 'list')) continue;
      const list = address(field);
      const end = list + (wasm.blockBytes(kind, at, field, 0) >>> 0);
      for (let slot = list >>> 2; slot < end >>> 2; slot++) record(RecordKind.Node, words[slot]);
    }
    for (const field of fields.nodes) record(RecordKind.Node, address(field));
    for (const field of fields.columns) record(RecordKind.Column, address(field));
  }
  return { blocks, roots, headroom, usedBytes, bytes };
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
export function copyInto(plan: CompactionPlan, old: MemstoreExports, fresh: MemstoreExports, extraBytes: number): Map<number, number> | null {
  if (!fresh.reserve(plan.bytes + extraBytes)) return null;
  const moved = new Map<number, number>();
  for (const block of plan.blocks) {
    const to = fresh.arenaAllocate(block.bytes) >>> 0;
    if (to === 0) return null;
    moved.set(block.from, to);
  }
  const from = new Uint8Array(old.memory.buffer);
  const into = new Uint8Array(fresh.memory.buffer);
  for (const block of plan.blocks) into.set(from.subarray(block.from, block.from + block.copied), moved.get(block.from)!);
  const words = new Uint32Array(fresh.memory.buffer);
  // An address of a block that was not copied (one of no bytes) becomes 0: no block.
  const repoint = (at: number) => {
    words[at >>> 2] = moved.get(words[at >>> 2]) ?? 0;
  };
  const repointRecord = (kind: RecordKind, at: number) => {
    const fields = FIELDS.get(kind)!;
    for (const field of fields.addresses) repoint(at + field);
    for (const field of fields.transient) words[(at + field) >>> 2] = 0;
  };
  for (const block of plan.blocks) {
    const at = moved.get(block.from)!;
    if (block.kind === 'list') {
      for (let slot = at; slot < at + block.copied; slot += 4) if (words[slot >>> 2] !== 0) repoint(slot);
    } else if (block.kind !== 'buffer') repointRecord(block.kind, at);
  }
  const roots = fresh.compactRoots() >>> 0;
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
 */
export async function fitMemory(engine: Engine, working: WorkingMemory, root: () => Node, headroom: number): Promise<void> {
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
  // The store may have been disposed meanwhile, or made its workspace (a query): plan it as it is now.
  if (engine.disposed) return;
  const plan = planCompaction(engine.exports, headroom);
  const moved = copyInto(plan, engine.exports, fresh, working.bytes);
  if (moved === null) return;
  engine.adopt(fresh, moved);
  for (const node of allNodes(root())) node.moved(moved);
  working.moved();
  engine.fittedBytes = engine.reservedBytes;
}
