// groupBy(path, …).count() / .sum(path) / .mean(path) / .countDistinct(path): Maps from group key
// to result, in first-seen order. One scalar key path: rows are mapped to group ids block by block
// in WASM (string codes, bools, ints and texts through a hash table), and the Map's keys are the
// values (null for null and missing). Several dense string and bool keys: their codes combined
// into one id per row in WASM (groupCombine). Struct, list, map and mixed keys group by deep
// equality, and other key sets by the combination of their values, in JS over dense ids per column
// (keyIds.ts), combined per row as numbers, never as strings; float, sparse and very
// high-cardinality keys take the same JS route. Once a key is an object or an array (a struct,
// list or map value, a composite key) the Map is a GroupMap (groupMap.ts), whose lookups take any
// equal value. Sums of int values are exact in WASM (the true sum, rounded once); the JS route
// adds doubles in row order, as a JS loop does.
import { MemstoreQueryError } from '../errors';
import type { Node } from '../schema/node';
import type { StringNode } from '../schema/scalars';
import { ColumnType, GroupSum, Status } from '../wasm/abi';
import { intSum } from './aggregate';
import type { QueryContext } from './context';
import { queryKind, type GroupKey } from './kinds';
import { retarget, type Target } from './target';
import type { Path } from '../path';
import { forEachBlock, selectBlock } from './blocks';
import { GroupMap } from './groupMap';
import { keyIds } from './keyIds';

interface GroupTable {
  keys: unknown[];
  counts: number[];
  sums: number[];
  valueCounts: number[];
  /** countDistinct: distinct present values per group. */
  distinct: number[];
}

/** Rows whose key ids the JS route holds at once: its working memory is a block's, as WASM's is. */
const JS_BLOCK_ROWS = 65536;

/** Up to this many combinations of fixed-size ids (codes, bits) count in one dense table; more go through a Map. */
const DENSE_COMBINATIONS = 1 << 20;

/** A key's ids stay below this (they are at most its rows): two of them pair into one exact double. */
const PAIR_BASE = 2 ** 26;

/**
 * Records grouped by the value at one path, or by the combination of several (`groupBy(a, b)`),
 * in first-seen order; null stands for null and missing. Every method returns a Map from key to
 * result: a plain Map while every key is a scalar; a GroupMap once a key is an object or an array
 * (a struct, list or map value, compared by deep equality, or a composite key: the array of the
 * paths' values, `[a, b]`), whose `get` / `has` take any deep-equal value.
 */
export class Grouping<K = unknown> {
  /** @internal */
  constructor(
    private readonly context: QueryContext,
    private readonly keys: readonly Target[],
    private readonly selection: Uint8Array | null,
  ) {
    if (keys.length === 0) throw new MemstoreQueryError('groupBy(): name at least one path to group by.', '');
    for (const key of keys) {
      if (key.lists.length > 0) {
        throw new MemstoreQueryError(`groupBy("${key.path}"): the key is inside a list; group by a field of the records.`, key.path);
      }
    }
  }

  /** Records per group. */
  count(): Map<K | null, number> {
    const table = this.run(null, 'count');
    return this.result(table, table.counts);
  }

  /** Sum of the numbers present at `path` per group (0 for a group without any). */
  sum(path: Path): Map<K | null, number> {
    const table = this.run(path, 'sum');
    return this.result(table, table.sums);
  }

  /** Mean of the numbers present at `path` per group (undefined for a group without any). */
  mean(path: Path): Map<K | null, number | undefined> {
    const table = this.run(path, 'mean');
    return this.result(table, table.keys.map((_, i) => (table.valueCounts[i] === 0 ? undefined : table.sums[i] / table.valueCounts[i])));
  }

  /**
   * Distinct values present at `path` per group (null and missing are not values: a group whose
   * rows hold none counts 0). Values are distinct by deep equality: 1 and "1" are two, two equal
   * structs one.
   */
  countDistinct(path: Path): Map<K | null, number> {
    const table = this.run(path, 'countDistinct');
    return this.result(table, table.distinct);
  }

  /** @internal The group keys in first-seen order (store.distinct). */
  groupKeys(): unknown[] {
    return this.run(null, 'count').keys;
  }

  /**
   * A plain Map while every key is a scalar (the shape groupBy always had: number, string, bool
   * keys, and mixed columns holding only those); a GroupMap (lookups by an equal value) once a key
   * is an object or an array: a struct, list or map value, or a composite key.
   */
  private result<V>(table: GroupTable, values: readonly V[]): Map<K | null, V> {
    const entries = table.keys.map((key, i) => [key as K | null, values[i]] as const);
    const scalar = table.keys.every((key) => key === null || typeof key !== 'object');
    return scalar ? new Map(entries) : new GroupMap(entries);
  }

  private valueTarget(path: Path, operator: string): Node {
    const target = this.context.target(path);
    if (target.lists.length > 0) {
      throw new MemstoreQueryError(`groupBy(…).${operator}("${target.path}"): the value is inside a list; aggregate a field of the records.`, target.path);
    }
    const node = target.node;
    if (operator === 'countDistinct') return node;
    const kind = queryKind(node);
    if (kind.numbers === null) throw new MemstoreQueryError(`groupBy(…).${operator}("${target.path}") needs numbers, and it holds ${kind.holds}.`, target.path);
    return node;
  }

  /** Every method runs here: the store is checked live before the value's path is even resolved. */
  private run(path: Path | null, operator: string): GroupTable {
    this.context.assertLive('grouping');
    const value = path === null ? null : this.valueTarget(path, operator);
    const distinct = operator === 'countDistinct';
    // Keys resolved again in the store's tree once an append replaced the snapshot: their columns as stored now (target.ts retarget).
    const context = this.context;
    const keys = (context.replaced ? this.keys.map((target) => retarget(target, context.current)) : this.keys).map((target) => target.node);
    const wasmValue = value === null || queryKind(value).numbers === 'wasm';
    if (keys.length === 1 && !distinct) {
      const key = keys[0];
      // A sparse key groups in JS (the WASM group ids read a key's rows as stored); a sparse value
      // is summed in WASM (groupSum reads its stored rows), exactly for ints.
      const wasmKey = queryKind(key).groupKey(key) !== null && key.column.sparse === null;
      if (wasmKey && wasmValue) {
        const table = this.runWasm(key, value);
        if (table !== null) return table;
      }
    }
    if (keys.length > 1 && !distinct && wasmValue && keys.every(combinable)) {
      const table = this.runCombined(keys, value);
      if (table !== null) return table;
    }
    return this.runJs(keys, distinct ? null : value, distinct ? value : null);
  }

  /** null when the keys outgrow the WASM group tables (or memory was too tight for any). */
  private runWasm(key: Node, value: Node | null): GroupTable | null {
    const { engine, rowCount } = this.context;
    const workspace = this.context.workspace;
    if (!workspace.groupTables) return null;
    const capacity = workspace.groupCapacity;
    const groupKey = queryKind(key).groupKey(key);
    if (groupKey === 'codes' && key.column.dictionary.length > capacity) return null;
    const wasm = engine.exports;
    resetGroupTables(this.context);
    // A selection is copied into the workspace a block of rows at a time (bit 0: the block's first row).
    const selection = this.selection;
    const selected = (start: number, end: number): number => (selection === null ? 0 : selectBlock(engine, workspace, selection, start, end));
    let groups = 0;
    if (groupKey === 'codes' && value === null) {
      // The common case (count per string) needs no group ids: one histogram pass over the codes
      // (a block at a time when selected).
      groups = key.column.dictionary.length;
      const countCodes = (start: number, end: number) => {
        wasm.groupCountCodes(key.column.handle, selected(start, end), start, end, capacity, workspace.counts, workspace.firstRows);
      };
      if (selection === null) countCodes(0, rowCount);
      else forEachBlock(rowCount, countCodes);
    } else {
      for (let start = 0; start < rowCount; start += workspace.blockRows) {
        const end = Math.min(rowCount, start + workspace.blockRows);
        groups = wasm.groupIds(key.column.handle, start, end, workspace.ids, workspace.table, workspace.tableSlots, workspace.state);
        if (groups < 0 || groups > capacity) return null;
        const blockSelection = selected(start, end);
        wasm.groupCount(workspace.ids, blockSelection, start, end, capacity, workspace.counts, workspace.firstRows);
        if (value !== null && value.column.length > 0) {
          const status = wasm.groupSum(workspace.ids, value.column.handle, blockSelection, start, end, capacity, workspace.sums, workspace.sumCounts);
          if (status !== Status.Ok) return null;
        }
      }
    }
    const buffer = engine.memoryBuffer;
    const counts = new Uint32Array(buffer, workspace.counts, capacity + 1);
    const firstRows = new Uint32Array(buffer, workspace.firstRows, capacity + 1);
    const tallies = new Uint32Array(buffer, workspace.sumCounts, ((capacity + 1) * GroupSum.Bytes) / 4);
    const sumCount = (group: number) => tallies[(group * GroupSum.Bytes + GroupSum.Count) / 4];
    const sumOf = groupSums(value, buffer, workspace.sums, tallies, capacity + 1);
    const groupKeys = groupKeyValues(key, groupKey!, groups, workspace.table, workspace.tableSlots, engine.u8.buffer as ArrayBuffer);
    const present: number[] = [];
    for (let group = 0; group < groups; group++) if (counts[group] > 0) present.push(group);
    if (counts[capacity] > 0) present.push(capacity);
    present.sort((a, b) => firstRows[a] - firstRows[b]);
    return {
      keys: present.map((group) => (group === capacity ? null : groupKeys(group))),
      counts: present.map((group) => counts[group]),
      sums: present.map(sumOf),
      valueCounts: present.map(sumCount),
      distinct: [],
    };
  }

  /**
   * Several dense string and bool keys, counted and summed in WASM: their codes folded into one id
   * per row (groupCombine: the keys' digits of one number, each 0 for null and missing, else its
   * code + 1), then groupCount / groupSum over those ids as over one key's. null when the
   * combinations outnumber the group tables (the JS route then takes them).
   */
  private runCombined(keys: readonly Node[], value: Node | null): GroupTable | null {
    const { engine, rowCount } = this.context;
    const workspace = this.context.workspace;
    if (!workspace.groupTables) return null;
    const capacity = workspace.groupCapacity;
    const bounds = keys.map((key) => (key.schemaType === 'bool' ? 3 : key.column.dictionary.length + 1));
    if (bounds.reduce((product, bound) => product * bound, 1) > capacity) return null;
    const wasm = engine.exports;
    resetGroupTables(this.context);
    const selection = this.selection;
    for (let start = 0; start < rowCount; start += workspace.blockRows) {
      const end = Math.min(rowCount, start + workspace.blockRows);
      engine.u8.fill(0, workspace.ids, workspace.ids + (end - start) * 4);
      for (let k = 0; k < keys.length; k++) {
        if (wasm.groupCombine(workspace.ids, keys[k].column.handle, start, end, bounds[k]) !== Status.Ok) return null;
      }
      const blockSelection = selection === null ? 0 : selectBlock(engine, workspace, selection, start, end);
      wasm.groupCount(workspace.ids, blockSelection, start, end, capacity, workspace.counts, workspace.firstRows);
      if (value !== null && value.column.length > 0) {
        if (wasm.groupSum(workspace.ids, value.column.handle, blockSelection, start, end, capacity, workspace.sums, workspace.sumCounts) !== Status.Ok) return null;
      }
    }
    const buffer = engine.memoryBuffer;
    const counts = new Uint32Array(buffer, workspace.counts, capacity + 1);
    const firstRows = new Uint32Array(buffer, workspace.firstRows, capacity + 1);
    const tallies = new Uint32Array(buffer, workspace.sumCounts, ((capacity + 1) * GroupSum.Bytes) / 4);
    const sumOf = groupSums(value, buffer, workspace.sums, tallies, capacity + 1);
    const present: number[] = [];
    for (let id = 0; id < capacity; id++) if (counts[id] > 0) present.push(id);
    present.sort((a, b) => firstRows[a] - firstRows[b]);
    // An id's digits, last key lowest: 0 is null (null or missing), d a code (d - 1) or a bit.
    const keyOf = (id: number): unknown[] => {
      const parts = new Array<unknown>(keys.length);
      for (let k = keys.length - 1; k >= 0; k--) {
        const digit = id % bounds[k];
        id = (id - digit) / bounds[k];
        const key = keys[k];
        parts[k] = digit === 0 ? null : key.schemaType === 'bool' ? digit === 2 : key.column.stringOfCode(digit - 1, (key as StringNode).engine);
      }
      return parts;
    };
    return {
      keys: present.map(keyOf),
      counts: present.map((id) => counts[id]),
      sums: present.map(sumOf),
      valueCounts: present.map((id) => tallies[(id * GroupSum.Bytes + GroupSum.Count) / 4]),
      distinct: [],
    };
  }

  /**
   * The JS route, a block of rows at a time: each key's dense ids (keyIds.ts), combined per row
   * into one number — a slot of a dense table when the keys' ids are fixed and their combinations
   * few (codes of two string fields: 5 × 5 slots), else a Map key of paired ids — then each row's
   * group found (or made, in first-seen order), then the block's rows added to their groups.
   */
  private runJs(keys: readonly Node[], value: Node | null, distinctOf: Node | null): GroupTable {
    const { rowCount } = this.context;
    const selection = this.selection;
    const table: GroupTable = { keys: [], counts: [], sums: [], valueCounts: [], distinct: [] };
    const firstRows: number[] = [];
    const encoders = keys.map(keyIds);
    const blockRows = Math.max(1, Math.min(JS_BLOCK_ROWS, rowCount));
    const ids = encoders.map(() => new Uint32Array(blockRows));
    const distinctIds = distinctOf === null ? null : keyIds(distinctOf);
    const valueIds = new Uint32Array(distinctIds === null ? 0 : blockRows);
    const distinctSets: Set<number>[] = [];
    const bounds = encoders.map((encoder) => encoder.bound);
    const combinations = bounds.reduce<number | null>((product, bound) => (product === null || bound === null ? null : product * bound), 1);
    const dense = combinations !== null && combinations <= DENSE_COMBINATIONS ? new Int32Array(combinations).fill(-1) : null;
    const byKey = new Map<number | string, number>();
    // Ids are at most the rows (or a fixed bound): pairs of them are exact doubles below 2^52.
    const pairable = keys.length <= 2 && rowCount < PAIR_BASE && bounds.every((bound) => bound === null || bound < PAIR_BASE);
    const denseSlots = new Int32Array(dense === null ? 0 : blockRows);
    const groups = new Int32Array(blockRows);
    const counts = table.counts;
    const newGroup = (row: number): number => {
      firstRows.push(row);
      counts.push(0);
      table.sums.push(0);
      table.valueCounts.push(0);
      if (distinctIds !== null) distinctSets.push(new Set());
      return firstRows.length - 1;
    };
    for (let start = 0; start < rowCount; start += blockRows) {
      const end = Math.min(rowCount, start + blockRows);
      const length = end - start;
      for (let k = 0; k < encoders.length; k++) encoders[k].fill(start, end, ids[k]);
      distinctIds?.fill(start, end, valueIds);
      if (dense !== null) {
        // A slot of the dense table per row: the keys' ids as the digits of one number.
        denseSlots.set(ids[0].subarray(0, length));
        for (let k = 1; k < ids.length; k++) {
          const digits = ids[k];
          const bound = bounds[k]!;
          for (let i = 0; i < length; i++) denseSlots[i] = denseSlots[i] * bound + digits[i];
        }
        for (let i = 0; i < length; i++) {
          if (selection !== null && !selected(selection, start + i)) {
            groups[i] = -1;
            continue;
          }
          let group = dense[denseSlots[i]];
          if (group < 0) dense[denseSlots[i]] = group = newGroup(start + i);
          groups[i] = group;
        }
      } else {
        for (let i = 0; i < length; i++) {
          if (selection !== null && !selected(selection, start + i)) {
            groups[i] = -1;
            continue;
          }
          const slot = ids.length === 1 ? ids[0][i] : pairable ? ids[0][i] * PAIR_BASE + ids[1][i] : Array.from(ids, (block) => block[i]).join(',');
          let group = byKey.get(slot);
          if (group === undefined) byKey.set(slot, (group = newGroup(start + i)));
          groups[i] = group;
        }
      }

      for (let i = 0; i < length; i++) if (groups[i] >= 0) counts[groups[i]]++;
      if (value !== null) {
        for (let i = 0; i < length; i++) {
          if (groups[i] < 0) continue;
          const number = value.plain(start + i);
          if (typeof number === 'number') {
            table.sums[groups[i]] += number;
            table.valueCounts[groups[i]]++;
          }
        }
      }
      if (distinctIds !== null) for (let i = 0; i < length; i++) if (groups[i] >= 0 && valueIds[i] !== 0) distinctSets[groups[i]].add(valueIds[i]);
    }
    // A group's key is its first row's value(s), as plain JSON: null for null and missing.
    const keyOf = (node: Node, row: number) => node.plain(row) ?? null;
    table.keys = firstRows.map((row) => (keys.length === 1 ? keyOf(keys[0], row) : keys.map((node) => keyOf(node, row))));
    table.distinct = distinctSets.map((set) => set.size);
    return table;
  }
}

/** A key groupCombine folds in WASM: a dense column of dictionary codes or of bools. */
function combinable(key: Node): boolean {
  const groupKey = queryKind(key).groupKey(key);
  return (groupKey === 'codes' || groupKey === 'bool') && key.column.sparse === null;
}

/** Zeroes the workspace's group tables (and sets every first row unseen) before a grouping fills them. */
function resetGroupTables(context: QueryContext): void {
  const workspace = context.workspace;
  const capacity = workspace.groupCapacity;
  const u8 = context.engine.u8;
  u8.fill(0, workspace.table, workspace.table + workspace.tableSlots * 8);
  u8.fill(0, workspace.state, workspace.state + 8);
  u8.fill(0, workspace.counts, workspace.counts + (capacity + 1) * 4);
  u8.fill(0xff, workspace.firstRows, workspace.firstRows + (capacity + 1) * 4);
  u8.fill(0, workspace.sums, workspace.sums + (capacity + 1) * 8);
  u8.fill(0, workspace.sumCounts, workspace.sumCounts + (capacity + 1) * GroupSum.Bytes);
}

/** Whether a selection bitmap holds `row`. */
function selected(selection: Uint8Array, row: number): boolean {
  return (selection[row >>> 3] & (1 << (row & 7))) !== 0;
}

/** The first word of each slot of groupIds' hash table (slots of (key, id + 1)), by group id. */
function slotKeysById(entries: Uint32Array, groups: number): number[] {
  const keys = new Array<number>(groups);
  for (let slot = 0; slot * 2 < entries.length; slot++) {
    const id = entries[slot * 2 + 1];
    if (id !== 0) keys[id - 1] = entries[slot * 2];
  }
  return keys;
}

/**
 * groupSum's sums by group (GroupSum): a float64 column's f64 sums; an int column's u128 sums of
 * deltas (low word in `sums`, high word beside each count in `tallies`) plus count × base, exactly.
 */
function groupSums(value: Node | null, buffer: ArrayBuffer, sums: number, tallies: Uint32Array, groups: number): (group: number) => number {
  if (value === null) return () => 0;
  const word = (group: number, field: GroupSum) => tallies[(group * GroupSum.Bytes + field) / 4];
  if (value.column.type === ColumnType.Int) {
    // Each group's low 64 bits as two u32 words (little-endian), its high bits beside its count.
    const lows = new Uint32Array(buffer, sums, groups * 2);
    const base = value.column.base;
    return (group) => intSum(lows[2 * group], lows[2 * group + 1], word(group, GroupSum.High), 0, word(group, GroupSum.Count), base);
  }
  const doubles = new Float64Array(buffer, sums, groups);
  return (group) => doubles[group];
}

/** Decodes group ids back to key values: codes to strings, bits to booleans, ids to an int (base + delta, or a row's) or a row's text. */
function groupKeyValues(key: Node, groupKey: GroupKey, groups: number, table: number, tableSlots: number, buffer: ArrayBuffer): (group: number) => unknown {
  switch (groupKey) {
    case 'codes':
      return (group) => key.column.stringOfCode(group, (key as StringNode).engine);
    case 'bool':
      return (group) => group === 1;
    case 'int':
    case 'text': {
      // Slots of (key, id + 1): an int's delta (1-4 byte deltas, width 0: 0), else the group's first row.
      const held = slotKeysById(new Uint32Array(buffer, table, tableSlots * 2), groups);
      const column = key.column;
      if (groupKey === 'int' && !column.wide) return (group) => column.base + held[group];
      return (group) => key.read(held[group]);
    }
    case 'null':
      return () => null;
  }
}
