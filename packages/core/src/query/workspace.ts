// Working memory for queries: selection bitmaps ("slots"), a lookup table for string
// predicates, a key buffer for string literals, and group tables, carved as one block out of
// the store's WASM memory.
//
// Queries run over blocks of BLOCK_ROWS record rows (a JS selection is copied in a block at a
// time), so the workspace is not proportional to the store but to a block:
// - a slot is a bitmap over one block's rows, or over the list elements those rows hold at any
//   depth when that is more (a block whose records hold 200,000 list elements: 25 KB a slot);
// - the lookup table is a byte per entry of the largest dictionary;
// - the group tables hold as many groups as a key of the records can have — its dictionary's
//   size, 2 for a bool, an int column's rows or its width's range (256 for 1-byte deltas) — up to
//   MAX_WASM_GROUPS, and the group-ids block min(rows, GROUP_BLOCK_ROWS) ids.
// A 100-row store's workspace is a few KB; a store of a million cargo records, about 0.3 MB
// (8 slots of 8 KB, the group tables of 4,096 groups, 64 KB of group ids).
//
// Made on first use, secured with the data's own growth. A store's first query (or column(),
// before it hands out views) makes the blocks; until then only their room is held under the
// memory cap (arenaHold: no load or append can take it), so a store nobody queries holds none of
// it (eight bitmaps over a block of rows, group tables of up to 4,096 groups: about 0.3 MB
// past a block). Every load or append that changes
// the store's shape secures the new shape as its last step before it commits (`WorkingMemory.secure`,
// called by store.ts): the held room, or the made blocks re-sized. With no room the load or append
// fails with MemstoreCapacityError and is rolled back, and the previous blocks (or room) are still
// in place (arenaReplace leaves them intact), so the unchanged store answers every query as
// before. Hence: a store that holds its data holds the working memory for its queries, and once it
// is made no query allocates: none grows memory or replaces memory.buffer, and typed-array views
// from column() stay valid across queries. A compaction (compact.ts) makes the blocks again in the
// fresh instance, or holds their room there. A snapshot taken before an append is served too:
// its blocks are the same rows, or a prefix.
//
// Two blocks: what every query needs (bitmaps, lookup table, key buffer) and the group tables with
// the group-ids block. Both stop changing once a store passes a block of rows (as long as its
// lists and dictionaries keep their size), so appends to a large store rarely re-make them; each
// block is re-sized with room to grow by half again, as columns are, so appends re-make it once
// per such step (a block that moves leaves a hole for later data).
//
// The group tables are optional: when they do not fit, smaller ones (keys of at most 256 values),
// else the ones the store had, else none, and groupBy runs in JS (a Map) for keys the tables cannot
// hold, as it does for keys past MAX_WASM_GROUPS. They give way to data: an append to a store whose
// memory cap is nearer than their size first gives their block back (a release: it cannot fail),
// and takes them back at its end if they still fit. The first block is never left out.
//
// After a failed append the store may hold more than the block was sized for without holding
// more rows (a dictionary entry, a widening made along the way stays, see ARCHITECTURE.md):
// group tables then fall back to JS (their capacity is checked), and a lookup table is copied in
// only as far as the block holds, which covers every code a stored row can have (rows are only
// committed once the block covers their dictionary).
import { MemstoreError, MemstoreUnsupportedError } from '../errors';
import type { Engine } from '../engine';
import { ListNode, MapNode, StructNode } from '../schema/containers';
import type { Container } from './target';
import type { Node } from '../schema/node';
import { AggregateResult, ColumnType, Descriptor, GroupSum } from '../wasm/abi';
import { BLOCK_ROWS } from './blocks';
import { type GroupKey, queryKind } from './kinds';

/** Selection bitmaps available to one evaluation (a query nests and/or/lists at most this deep). */
export const SLOT_COUNT = 8;
/** Record rows mapped to group ids at a time (4 bytes of ids each). */
const GROUP_BLOCK_ROWS = 16384;
/** Bytes for a string literal's WTF-8 when a query looks it up (longer literals test every dictionary entry). */
export const KEY_BYTES = 4096;
/**
 * Groups the WASM group tables hold; more distinct keys fall back to a JS Map. 24 bytes a group
 * plus 16 of hash table: 4,096 groups take 160 KB, which a million-record store pays whether or
 * not it groups (16,384 took 0.65 MB: 0.65 B/record on cargo-1M, where the data is 10).
 */
export const MAX_WASM_GROUPS = 4096;
/** Groups of the smaller tables reserved when the full ones do not fit: u8 dictionaries, bools, ints of 1-byte deltas. */
const SMALL_GROUPS = 256;
/** Distinct values an int column of each delta width can hold (width 0: the constant). */
const INT_VALUES: Record<number, number> = { 0: 1, 1: 256, 2: 65536, 4: 2 ** 32, 8: 2 ** 64 };

/** What a workspace is laid out for. */
export interface WorkspaceShape {
  /** Bits of a slot: a block's record rows, or the most list elements a block's records hold at one depth. */
  readonly slotBits: number;
  /** Entries of the largest dictionary, at least 16 (the small-dictionary scans read 16 bytes). */
  readonly lutEntries: number;
  /** Groups (null excluded) the group tables hold; -1: no group tables (groupBy runs in JS). */
  readonly groups: number;
  /** Distinct ints or texts the hash table for hashed keys holds (it has twice as many slots, a power of two). */
  readonly hashedGroups: number;
  /** Record rows mapped to group ids per WASM call; 0 without group tables. */
  readonly blockRows: number;
}

/** The shape the store's queries need: bitmaps for a block of every queryable column, tables for every group key of the records. */
export function shapeOf(root: Node): WorkspaceShape {
  const records = root.stored(Descriptor.Length);
  const rows = Math.max(1, records);
  let slotBits = Math.min(BLOCK_ROWS, Math.ceil(rows / 64) * 64);
  let lutEntries = 16;
  let groups = -1;
  let hashedGroups = 0;
  // Group keys are fields of the records (the root and struct fields below it, no list crossed);
  // bitmaps also cover list elements and map entries (paths cross both). Mixed columns cannot be looked inside.
  const stack: Array<{ node: Node; lists: readonly Container[] }> = [{ node: root, lists: [] }];
  while (stack.length > 0) {
    const { node, lists } = stack.pop()!;
    // From the descriptors: securing a wide store's workspace makes no Column but a list's (schema/node.ts).
    if (node.stored(Descriptor.Type) === ColumnType.String) lutEntries = Math.max(lutEntries, node.stored(Descriptor.DictLength));
    if (lists.length === 0) {
      const groupKey = queryKind(node).groupKey(node);
      const keys = distinctKeys(node, groupKey);
      groups = Math.max(groups, keys);
      if (groupKey === 'int' || groupKey === 'text') hashedGroups = Math.max(hashedGroups, keys);
    }
    if (node instanceof StructNode) for (const field of node.children()) stack.push({ node: field, lists });
    else if (node instanceof ListNode || node instanceof MapNode) {
      const inner = [...lists, node];
      slotBits = Math.max(slotBits, elementsPerBlock(inner, records));
      if (node instanceof ListNode) stack.push({ node: node.element, lists: inner });
      else stack.push({ node: node.keys, lists: inner }, { node: node.values, lists: inner });
    }
  }
  return {
    slotBits,
    lutEntries,
    groups: Math.min(MAX_WASM_GROUPS, groups),
    hashedGroups: Math.min(MAX_WASM_GROUPS, hashedGroups),
    blockRows: groups < 0 ? 0 : Math.min(GROUP_BLOCK_ROWS, Math.ceil(rows / 64) * 64),
  };
}

/**
 * The most elements of the innermost of `lists` (each an element of the one before, the first a
 * field of the records) that the records of one block hold: offsets composed down the lists at
 * the block's bounds. Rows/BLOCK_ROWS reads per list level.
 */
function elementsPerBlock(lists: readonly Container[], rows: number): number {
  // One block (a small store) holds every element of the innermost list, which its element
  // column's rows say with no Column opened: a store of 100 tweets opened 55 here, ~30 KiB of JS
  // heap for columns nobody had read.
  if (rows <= BLOCK_ROWS) {
    const inner = lists[lists.length - 1];
    return (inner instanceof ListNode ? inner.element : (inner as MapNode).keys).rows();
  }
  let most = 0;
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    let from = start;
    let to = Math.min(rows, start + BLOCK_ROWS);
    for (const list of lists) {
      from = list.column.elementsBefore(from);
      to = list.column.elementsBefore(to);
    }
    most = Math.max(most, to - from);
  }
  return most;
}

/** Distinct non-null keys a record-level column (grouped as `groupKey`) can group into in WASM; -1 when WASM does not group it. */
function distinctKeys(node: Node, groupKey: GroupKey | null): number {
  switch (groupKey) {
    case 'codes':
      return node.stored(Descriptor.DictLength);
    case 'text':
      return node.stored(Descriptor.Length);
    case 'bool':
      return 2;
    case 'int':
      return Math.min(node.stored(Descriptor.Length), INT_VALUES[node.stored(Descriptor.Width)] ?? node.stored(Descriptor.Length));
    case 'null':
      return 0;
    case null:
      return -1;
  }
}

/** The shape's parts every query needs: selection bitmaps, the lookup table (and the fixed key, result, state). */
function coversCore(have: WorkspaceShape, need: WorkspaceShape): boolean {
  return have.slotBits >= need.slotBits && have.lutEntries >= need.lutEntries;
}

/** The shape's group tables and group-ids block (optional: without them groupBy runs in JS). */
function coversGroups(have: WorkspaceShape, need: WorkspaceShape): boolean {
  return have.groups >= need.groups && have.hashedGroups >= need.hashedGroups && have.blockRows >= need.blockRows;
}

/**
 * `shape` with room for the store to grow by half again, as columns grow: appends then re-size
 * the blocks once per such step, not once each (2,000 appends of 10 records re-made the block
 * 2,000 times: 2.5 s where the same appends took 1.8 s before the workspace was secured by appends).
 */
function withHeadroom(shape: WorkspaceShape): WorkspaceShape {
  const more = (n: number) => Math.ceil(n * 1.5);
  return {
    slotBits: Math.ceil(more(shape.slotBits) / 64) * 64,
    lutEntries: more(shape.lutEntries),
    groups: shape.groups < 0 ? -1 : Math.min(MAX_WASM_GROUPS, more(shape.groups)),
    hashedGroups: Math.min(MAX_WASM_GROUPS, more(shape.hashedGroups)),
    blockRows: Math.min(GROUP_BLOCK_ROWS, Math.ceil(more(shape.blockRows) / 64) * 64),
  };
}

/** `shape` with group tables of at most `groups` groups (-1: none). */
function withGroups(shape: WorkspaceShape, groups: number): WorkspaceShape {
  if (groups < 0) return { ...shape, groups: -1, hashedGroups: 0, blockRows: 0 };
  return { ...shape, groups: Math.min(shape.groups, groups), hashedGroups: Math.min(shape.hashedGroups, groups) };
}

/** A part of the workspace: one block of WASM memory, laid out for its part of a shape. */
interface Block<Offsets> {
  readonly base: number;
  readonly bytes: number;
  readonly shape: WorkspaceShape;
  readonly at: Offsets;
}

/** Offsets of the parts every query needs. */
interface CoreOffsets {
  readonly slotBytes: number;
  readonly lutBytes: number;
  readonly slots: number;
  readonly lut: number;
  readonly key: number;
  readonly result: number;
  readonly state: number;
}

/** Offsets of the group tables and the group-ids block. */
interface GroupOffsets {
  readonly tableSlots: number;
  readonly ids: number;
  readonly table: number;
  readonly counts: number;
  readonly firstRows: number;
  readonly sums: number;
  readonly sumCounts: number;
}

/** Lays out parts of 8-aligned sizes one after another: `take` returns each part's offset. */
function packer(): { take: (bytes: number) => number; total: () => number } {
  let at = 0;
  return {
    take: (bytes) => {
      const start = at;
      at += Math.ceil(bytes / 8) * 8;
      return start;
    },
    total: () => at,
  };
}

function coreLayout(shape: WorkspaceShape): { at: CoreOffsets; bytes: number } {
  const slotBytes = Math.ceil(shape.slotBits / 64) * 8;
  const lutBytes = Math.ceil(shape.lutEntries / 8) * 8;
  const { take, total } = packer();
  const at = { slotBytes, lutBytes, slots: take(SLOT_COUNT * slotBytes), lut: take(lutBytes), key: take(KEY_BYTES), result: take(AggregateResult.Bytes), state: take(8) };
  return { at, bytes: total() };
}

function groupLayout(shape: WorkspaceShape): { at: GroupOffsets; bytes: number } {
  // groupIds keeps the table at most half full; 16 slots at least, so no int key meets an empty table.
  let tableSlots = 16;
  while (tableSlots < shape.hashedGroups * 2) tableSlots *= 2;
  // Per group, the null group (index `groups`) included.
  const entries = shape.groups + 1;
  const { take, total } = packer();
  const at = {
    tableSlots,
    ids: take(shape.blockRows * 4),
    table: take(tableSlots * 8),
    counts: take(entries * 4),
    firstRows: take(entries * 4),
    sums: take(entries * 8),
    sumCounts: take(entries * GroupSum.Bytes),
  };
  return { at, bytes: total() };
}

/**
 * A block laid out by `layout` for `shape`, in place of `old` (null: none); null when there is no
 * room, `old` then intact (arenaReplace).
 */
function place<Offsets>(
  engine: Engine,
  old: Block<Offsets> | null,
  shape: WorkspaceShape,
  layout: (shape: WorkspaceShape) => { at: Offsets; bytes: number },
): Block<Offsets> | null {
  const { at, bytes } = layout(shape);
  const base = engine.exports.arenaReplace(old?.base ?? 0, old?.bytes ?? 0, bytes) >>> 0;
  if (base === 0) return null;
  // The block may have grown memory: every view is re-made before anything reads through one.
  engine.refresh();
  return { base, bytes, shape, at };
}

/** The working memory as queries use it: addresses in its blocks. Fixed for its life. */
export class Workspace {
  readonly slotBytes: number;
  readonly slots: number[] = [];
  readonly lut: number;
  /** The table a codes test last copied into `lut` (tests are immutable: the same one needs no copy). */
  lutHolds: Uint8Array | null = null;
  readonly lutBytes: number;
  /** KEY_BYTES for a string literal being looked up in the string table, or a text test's literals. */
  readonly key: number;
  /** The text test whose literals the key buffer holds (null after any other use of it). */
  keyHolds: object | null = null;
  readonly result: number;
  readonly state: number;
  /** False when memory was too tight for group tables: groupBy runs in JS. */
  readonly groupTables: boolean;
  /** Groups the tables hold; the null group is counted at this index. */
  readonly groupCapacity: number;
  readonly blockRows: number;
  readonly ids: number;
  readonly table: number;
  readonly tableSlots: number;
  readonly counts: number;
  readonly firstRows: number;
  readonly sums: number;
  readonly sumCounts: number;

  /** @internal */
  constructor(
    readonly core: Block<CoreOffsets>,
    readonly groups: Block<GroupOffsets> | null,
  ) {
    const base = core.base;
    const at = core.at;
    this.slotBytes = at.slotBytes;
    for (let i = 0; i < SLOT_COUNT; i++) this.slots.push(base + at.slots + i * at.slotBytes);
    this.lutBytes = at.lutBytes;
    this.lut = base + at.lut;
    this.key = base + at.key;
    this.result = base + at.result;
    this.state = base + at.state;
    this.groupTables = groups !== null;
    const g = groups?.at;
    const groupBase = groups?.base ?? 0;
    this.groupCapacity = groups?.shape.groups ?? 0;
    this.blockRows = groups?.shape.blockRows ?? 0;
    this.tableSlots = g?.tableSlots ?? 0;
    this.ids = groupBase + (g?.ids ?? 0);
    this.table = groupBase + (g?.table ?? 0);
    this.counts = groupBase + (g?.counts ?? 0);
    this.firstRows = groupBase + (g?.firstRows ?? 0);
    this.sums = groupBase + (g?.sums ?? 0);
    this.sumCounts = groupBase + (g?.sumCounts ?? 0);
  }

  /** Bytes of its blocks. */
  get bytes(): number {
    return this.core.bytes + (this.groups?.bytes ?? 0);
  }

  slot(index: number): number {
    if (index >= SLOT_COUNT) {
      throw new MemstoreUnsupportedError(`This query nests and/or/lists more than ${SLOT_COUNT - 1} levels deep; split it into several selections.`);
    }
    return this.slots[index];
  }
}

/** A store's query working memory: the one workspace every snapshot's queries use. */
export class WorkingMemory {
  private current: Workspace | null = null;
  /**
   * Until a query (or column()) first needs the workspace it is not made, only its room held under
   * the memory cap (arenaHold), for the shape the last load or append secured: `pending`.
   */
  private pending: WorkspaceShape | null = null;

  constructor(private readonly engine: Engine) {}

  /** The workspace, made on first use in the room held for it. */
  get workspace(): Workspace {
    return this.current ?? this.make();
  }

  /** Whether the workspace was made (a query, or column(), needed it). */
  get made(): boolean {
    return this.current !== null;
  }

  /** Bytes the workspace takes (for store.memory()): 0 until it is made. */
  get bytes(): number {
    return this.current?.bytes ?? 0;
  }

  /**
   * Makes the workspace of the shape secured for, in the room held for it (which nothing else
   * could take). Memory may grow here, once: no query after it grows memory (column() makes the
   * workspace before it hands out views).
   */
  private make(): Workspace {
    const shape = this.pending;
    if (shape === null) throw new MemstoreError('INTERNAL', 'memstore internal error: a query ran before its working memory was reserved.');
    this.engine.exports.arenaHold(0);
    const made = this.build(shape);
    if (made === null) throw new MemstoreError('INTERNAL', 'memstore internal error: the room held for the working memory was taken.');
    return made;
  }

  /** The workspace of `shape` made now: its first block, then group tables if they fit; null when the first does not fit. */
  private build(shape: WorkspaceShape): Workspace | null {
    const core = place(this.engine, null, shape, coreLayout);
    if (core === null) return null;
    const groups = shape.groups >= 0 ? this.placeFirst(null, [shape, withGroups(shape, SMALL_GROUPS)], groupLayout) : null;
    this.pending = null;
    return (this.current = new Workspace(core, groups));
  }

  /**
   * Makes sure the workspace serves the store whose schema is `root`. Not made yet: its room is
   * held for the shape the store needs (or, when that room is not free above the arena, it is made
   * now, where a released block can hold it). Made: each block is kept when it covers what the
   * store needs, else replaced by one of the shape it needs (with room to grow when an append
   * outgrew it, as columns have). The parts every query needs: when they do not fit, the current
   * workspace (or held room) is kept, and MemstoreCapacityError thrown if `required` (a load or
   * append about to commit; after a rollback the store's rows are the ones the current workspace
   * was secured for). The group tables: when they do not fit, smaller ones (keys of at most
   * SMALL_GROUPS values), else the ones the workspace had, else none.
   */
  secure(root: Node, required = true): void {
    const need = shapeOf(root);
    const wasm = this.engine.exports;
    if (this.current === null) {
      if (wasm.arenaHold(coreLayout(need).bytes)) {
        this.pending = need;
        return;
      }
      // The earlier hold's room is this workspace's too: released for the attempt, taken back if it fails.
      const previous = this.pending;
      wasm.arenaHold(0);
      if (this.build(need) !== null) return;
      if (previous !== null) wasm.arenaHold(coreLayout(previous).bytes);
      if (required) throw this.engine.capacityError('reserving working memory for queries', coreLayout(need).bytes);
      return;
    }
    const have = this.current;
    let core = have.core;
    if (!coversCore(core.shape, need)) {
      const placed = this.placeFirst(core, [withHeadroom(need), need], coreLayout);
      if (placed === null) {
        if (required) throw this.engine.capacityError('reserving working memory for queries', coreLayout(need).bytes);
        return;
      }
      core = placed;
    }
    let groups = have.groups;
    if (need.groups >= 0 && (groups === null || !coversGroups(groups.shape, need))) {
      const shapes = [withHeadroom(need), need, withGroups(need, SMALL_GROUPS)].filter((shape) => groups === null || !coversGroups(groups.shape, shape));
      groups = this.placeFirst(groups, shapes, groupLayout) ?? groups;
    }
    if (core !== have.core || groups !== have.groups) this.current = new Workspace(core, groups);
  }

  /**
   * The store moved into a fresh instance (compaction): a workspace that was made is made there
   * again, block for block (the copy reserved its bytes), else its room is held there.
   */
  moved(): void {
    const have = this.current;
    const engine = this.engine;
    if (have === null) {
      if (this.pending !== null) engine.exports.arenaHold(coreLayout(this.pending).bytes);
      return;
    }
    const core = place(engine, null, have.core.shape, coreLayout);
    if (core === null) throw new MemstoreError('INTERNAL', 'memstore internal error: the working memory did not fit the compacted store.');
    const groups = have.groups === null ? null : place(engine, null, have.groups.shape, groupLayout);
    this.current = new Workspace(core, groups);
  }

  /** The first of `shapes` (largest first) that fits in place of `old`, or null. */
  private placeFirst<Offsets>(
    old: Block<Offsets> | null,
    shapes: readonly WorkspaceShape[],
    layout: (shape: WorkspaceShape) => { at: Offsets; bytes: number },
  ): Block<Offsets> | null {
    let tried = -1;
    for (const shape of shapes) {
      const bytes = layout(shape).bytes;
      if (bytes === tried) continue; // the same size as the one that did not fit
      tried = bytes;
      const placed = place(this.engine, old, shape, layout);
      if (placed !== null) return placed;
    }
    return null;
  }

  /**
   * Before an append: gives the group tables' memory back when the store's memory cap is nearer
   * than their size, so they never stand in the way of data (`secure` takes them back after).
   */
  yieldGroupTables(): void {
    const have = this.current;
    if (have === null || have.groups === null) return;
    const engine = this.engine;
    if (engine.limitBytes - engine.reservedBytes >= have.groups.bytes) return;
    engine.exports.arenaRelease(have.groups.base, have.groups.bytes);
    this.current = new Workspace(have.core, null);
  }
}
