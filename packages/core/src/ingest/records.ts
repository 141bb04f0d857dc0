// JS records into a store: the one route fromRecords and append(records) share. A first pass
// (observe.ts) validates every value and gathers what the schema needs before WASM memory is
// touched; the schema is then planned (a new store, with every column sized exactly and memory
// reserved once) or extended (an append: new keys, kinds settling or changing, see
// schema/extend.ts); then each record is written through the node tree, value by value.
import type { Engine } from '../engine';
import { extendNode } from '../schema/extend';
import { publishSchema } from '../schema/mirror';
import { allNodes, dropWrites, settleWrites, type Node } from '../schema/node';
import { observeRecords, type Observed } from '../schema/observe';
import { estimateStringBytes, planSchema, textRule } from '../schema/plan';

/**
 * Stores `records` after the rows of `root` (the store's mirrored schema), or as a new store's
 * first rows when `root` is null. Returns the schema they were written through, ready to serve
 * reads. Throws before touching memory when a record is not JSON data.
 */
export function storeRecords(engine: Engine, records: readonly unknown[], root: Node | null): Node {
  const observed = observeRecords(records, textRule(engine));
  const target = root === null ? planNew(engine, observed, records.length) : planAppend(engine, root, observed, records.length);
  try {
    for (let i = 0; i < records.length; i++) target.write(records[i]);
    settleWrites(target);
  } catch (error) {
    // The append is undone in WASM; the scalar nodes of this tree serve the store's snapshot too.
    dropWrites(target);
    throw error;
  }
  return target;
}

/** A new store: every column at its exact final size, memory reserved in one step. */
function planNew(engine: Engine, observed: Observed, rows: number): Node {
  const root = planSchema(engine, observed, rows);
  const nodes = allNodes(root);
  const columnBytes = nodes.reduce((sum, node) => sum + node.estimateBytes(), 0);
  const tableBytes = (strings: { count: number; bytes: number }) => strings.bytes + (strings.count + 1) * 4 + strings.count * 8 + 64;
  let strings = estimateStringBytes(engine, observed);
  // An upper bound past the store's cap is counted exactly before the store is refused.
  if (strings.bound && !engine.exports.reserve(columnBytes + tableBytes(strings))) strings = estimateStringBytes(engine, observed, true);
  const stringBytes = tableBytes(strings);
  engine.reserve(columnBytes + stringBytes, 'reserving memory for the store');
  if (!engine.exports.stringsReserve(strings.count, strings.bytes)) throw engine.capacityError('reserving the string table', stringBytes);
  root.createColumns();
  publishSchema(engine, root);
  return root;
}

/**
 * An append: existing columns grow as rows arrive (by half again when full, as parsed input does:
 * sizing every column exactly for each append made repeated small appends reallocate every
 * column each time), new ones are created at their final size as the schema is extended.
 */
function planAppend(engine: Engine, root: Node, observed: Observed, added: number): Node {
  engine.refresh();
  // A node taking another's place keeps its WASM handle: the root stays where it is.
  return extendNode(engine, root, observed, added);
}
