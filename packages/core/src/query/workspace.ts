// Working memory for queries, carved once out of the store's WASM memory: selection bitmaps
// ("slots"), a lookup table for string predicates, group tables. Reserved on the first query
// (or column() call) and never grown afterwards, so a query never replaces memory.buffer and
// never invalidates the typed-array views `column()` handed out.
import { MemstoreUnsupportedError } from '../errors';
import type { Engine } from '../engine';
import { allNodes, type Node } from '../schema/node';

/** Selection bitmaps available to one evaluation (a query nests and/or/lists at most this deep). */
export const SLOT_COUNT = 8;
/** Rows per block when rows are mapped to group ids. */
const GROUP_BLOCK_ROWS = 65536;
/** Bytes for a string literal's WTF-8 when a query looks it up (longer literals test every dictionary entry). */
export const KEY_BYTES = 4096;
/** Groups the WASM group tables hold; more distinct keys fall back to a JS Map. */
export const MAX_WASM_GROUPS = 16384;

export class Workspace {
  readonly slotBytes: number;
  readonly slots: number[] = [];
  readonly lut: number;
  /** The table a codes test last copied into `lut` (tests are immutable: the same one needs no copy). */
  lutHolds: Uint8Array | null = null;
  readonly lutBytes: number;
  /** KEY_BYTES for a string literal being looked up in the string table. */
  readonly key: number;
  readonly result: number;
  readonly ids: number;
  readonly blockRows: number;
  readonly groupCapacity: number;
  readonly table: number;
  readonly tableSlots: number;
  readonly state: number;
  readonly counts: number;
  readonly firstRows: number;
  readonly sums: number;
  readonly sumCounts: number;
  private readonly base: number;
  private readonly total: number;
  private readonly engine: Engine;

  constructor(engine: Engine, root: Node) {
    let maxRows = 1;
    let maxDictionary = 16;
    for (const node of allNodes(root)) {
      maxRows = Math.max(maxRows, node.column.length);
      maxDictionary = Math.max(maxDictionary, node.column.dictionary.length);
    }
    this.slotBytes = Math.ceil(maxRows / 64) * 8;
    this.lutBytes = Math.ceil(maxDictionary / 8) * 8;
    this.blockRows = Math.min(GROUP_BLOCK_ROWS, Math.ceil(maxRows / 64) * 64);
    this.groupCapacity = Math.min(MAX_WASM_GROUPS, maxRows + 1);
    this.tableSlots = 16;
    while (this.tableSlots < this.groupCapacity * 2) this.tableSlots *= 2;
    const groupArrays = (this.groupCapacity + 1) * (4 + 4 + 8 + 8);
    const total = SLOT_COUNT * this.slotBytes + this.lutBytes + KEY_BYTES + 32 + 8 + this.blockRows * 4 + this.tableSlots * 8 + groupArrays + 64;
    // Grows memory by exactly this much when there is room above the arena's top; near the cap
    // a block released by a failed load may serve instead, so only the allocation decides.
    engine.exports.reserve(total);
    const base = engine.exports.arenaAllocate(total) >>> 0;
    if (base === 0) throw engine.capacityError('reserving working memory for queries', total);
    this.engine = engine;
    this.base = base;
    this.total = total;
    engine.refresh();
    let at = base;
    const take = (bytes: number) => {
      const start = at;
      at += Math.ceil(bytes / 8) * 8;
      return start;
    };
    for (let i = 0; i < SLOT_COUNT; i++) this.slots.push(take(this.slotBytes));
    this.lut = take(this.lutBytes);
    this.key = take(KEY_BYTES);
    this.result = take(32);
    this.state = take(8);
    this.ids = take(this.blockRows * 4);
    this.table = take(this.tableSlots * 8);
    this.counts = take((this.groupCapacity + 1) * 4);
    this.firstRows = take((this.groupCapacity + 1) * 4);
    this.sums = take((this.groupCapacity + 1) * 8);
    this.sumCounts = take((this.groupCapacity + 1) * 8);
  }

  release(): void {
    this.engine.exports.arenaRelease(this.base, this.total);
  }

  slot(index: number): number {
    if (index >= SLOT_COUNT) {
      throw new MemstoreUnsupportedError(`This query nests and/or/lists more than ${SLOT_COUNT - 1} levels deep; split it into several selections.`);
    }
    return this.slots[index];
  }
}
