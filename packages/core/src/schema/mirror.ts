// The schema lives in WASM (assembly/schema.ts) so the streaming parser can extend it; the
// facade's node tree mirrors it. `publishSchema` sends a tree planned in JS (fromRecords) to
// WASM; `mirrorSchema` reads the WASM tree back after every load or append. This file is the
// one place that maps node classes to WASM node kinds and links to node fields.
import type { Engine } from '../engine';
import { ColumnType, Descriptor, FieldEntry, NodeField, NodeKind, Sentinel } from '../wasm/abi';
import { encodeWtf8Into } from '../util/wtf8';
import { allNodes, joinPath, type LinkRole, type Node } from './node';
import { BoolNode, FloatNode, IntNode, MixedNode, NullNode, StringNode } from './scalars';
import { ListNode, MapNode, StructNode } from './containers';

type NodeClass = new (engine: Engine, path: string, key: string | null, capacity: number) => Node;

/** The node class of a WASM node: by its kind, and for scalars by its column's type. */
const NODE_CLASSES: Record<NodeKind, NodeClass | null> = {
  [NodeKind.Unset]: NullNode,
  [NodeKind.Struct]: StructNode,
  [NodeKind.List]: ListNode,
  [NodeKind.Map]: MapNode,
  [NodeKind.Scalar]: null,
  [NodeKind.Mixed]: MixedNode,
};
const SCALAR_CLASSES: Partial<Record<ColumnType, NodeClass>> = {
  [ColumnType.Bool]: BoolNode,
  [ColumnType.Int]: IntNode,
  [ColumnType.Float64]: FloatNode,
  [ColumnType.String]: StringNode,
  [ColumnType.Text]: StringNode,
};

/** Where a single child (not a struct field) hangs in the WASM node. */
const LINK_FIELDS: Record<Exclude<LinkRole, 'field'>, NodeField> = {
  element: NodeField.Element,
  values: NodeField.Element,
  keys: NodeField.MapKeys,
};

/** Creates the WASM schema nodes of a planned tree (columns already created) and sets its root. */
export function publishSchema(engine: Engine, root: Node): void {
  engine.exports.setRoot(publishNode(engine, root, 0));
}

/** Creates the WASM nodes of a planned subtree under `parent`; returns its handle. */
export function publishNode(engine: Engine, node: Node, parent: number): number {
  // A key is published once (its id is then the node's): not kept in the engine's cache, which
  // a wide record's 100,000 keys filled for nothing.
  const key = node.key === null ? Sentinel.NoKey : engine.intern(node.key, false);
  const handle = engine.exports.nodeCreate(node.nodeKind, node.columnHandle, key, parent) >>> 0;
  if (handle === 0) throw engine.capacityError('creating the schema');
  publishChildren(engine, node, handle);
  return handle;
}

/**
 * Makes the existing WASM node `handle` (an unset one: no children yet) stand for `node`, a
 * planned subtree with its columns created: its column, kind and children.
 */
export function publishInto(engine: Engine, node: Node, handle: number): void {
  engine.setNodeField(handle, NodeField.Column, node.columnHandle);
  engine.setNodeField(handle, NodeField.Kind, node.nodeKind);
  publishChildren(engine, node, handle);
}

function publishChildren(engine: Engine, node: Node, handle: number): void {
  node.wasmNode = handle;
  if (node instanceof StructNode) {
    // Its fields from their list (links() makes an object for each), all at once; then theirs.
    const fields = node.children();
    publishFields(engine, handle, fields);
    for (const field of fields) publishChildren(engine, field, field.wasmNode);
    return;
  }
  // A list's element, a map's keys and values: a node field each.
  for (const { role, node: child } of node.links()) engine.setNodeField(handle, LINK_FIELDS[role as Exclude<LinkRole, 'field'>], publishNode(engine, child, handle));
}

/**
 * Creates the WASM nodes of a struct's planned `fields` (their columns created) and adds them to
 * the struct node `struct`, in one call (publishFields): a wide record's 100,000 fields took four
 * calls each. Their keys are interned there, not in the engine's cache, which they would only fill.
 */
function publishFields(engine: Engine, struct: number, fields: readonly Node[]): void {
  for (let start = 0; start < fields.length; start += PUBLISH_BATCH) publishBatch(engine, struct, fields, start, Math.min(fields.length, start + PUBLISH_BATCH));
}

/**
 * Fields a publishFields request holds at most: the scratch buffer it fills is given back after
 * the load, a hole in the store's memory (a request for all of 100,000 fields, 2.4 MB, made
 * every wide load pay a compaction).
 */
const PUBLISH_BATCH = 2048;

function publishBatch(engine: Engine, struct: number, fields: readonly Node[], start: number, end: number): void {
  const wasm = engine.exports;
  const count = end - start;
  let bytes = count * FieldEntry.Bytes;
  for (let i = start; i < end; i++) bytes += fields[i].key!.length * 3;
  const entries = wasm.scratch(bytes) >>> 0;
  if (entries === 0) throw engine.capacityError('creating the schema', bytes);
  const u8 = engine.u8;
  const u32 = engine.u32;
  let key = entries + count * FieldEntry.Bytes;
  for (let i = 0; i < count; i++) {
    const field = fields[start + i];
    const entry = (entries + i * FieldEntry.Bytes) >>> 2;
    const length = encodeWtf8Into(field.key!, u8, key);
    u32[entry + (FieldEntry.Kind >>> 2)] = field.nodeKind;
    u32[entry + (FieldEntry.Column >>> 2)] = field.columnHandle;
    u32[entry + (FieldEntry.KeyLength >>> 2)] = length;
    key += length;
  }
  if (!wasm.publishFields(struct, entries, count)) throw engine.capacityError('creating the schema');
  // Read through the current views: interning may have grown memory.
  const nodes = engine.u32;
  for (let i = 0; i < count; i++) fields[start + i].wasmNode = nodes[((entries + i * FieldEntry.Bytes) >>> 2) + (FieldEntry.Kind >>> 2)];
}

/**
 * Builds the facade's node tree from the WASM schema at `handle` (the root by default). No
 * Column is made (a node makes its own on first use). `previous`: the node that stood for this
 * WASM node in the snapshot before (the store's last tree), if any. A scalar node that stands for
 * the same WASM node and column is that node again, so a wide store's unread columns cost a node
 * each, not one per snapshot; any other previous node has its Column made, so that views of the
 * old snapshot still read it after a compaction (which re-points made Columns, and the current
 * tree's nodes).
 */
export function mirrorSchema(engine: Engine, handle = engine.exports.schemaRoot() >>> 0, path = '', key: string | null = null, previous?: Node): Node {
  const columnHandle = engine.nodeField(handle, NodeField.Column);
  const kind = engine.nodeField(handle, NodeField.Kind) as NodeKind;
  const Class = NODE_CLASSES[kind] ?? SCALAR_CLASSES[engine.descriptorField(columnHandle, Descriptor.Type) as ColumnType] ?? NullNode;
  if (previous !== undefined && isLeaf(kind) && previous.constructor === Class && previous.wasmNode === handle && previous.columnHandle === columnHandle) {
    // Its Column, if made, as the column is now (a rebuild reads its rows mid-parse).
    if (previous.columnOpened) previous.column.refresh(engine);
    return previous;
  }
  if (previous !== undefined) {
    // Not mirrored again below when it was of another kind (a struct turned map or mixed): its whole subtree then.
    if (previous.constructor === Class) void previous.column;
    else for (const old of allNodes(previous)) void old.column;
  }
  const node = new Class(engine, path, key, 0);
  node.columnHandle = columnHandle;
  node.wasmNode = handle;
  if (kind === NodeKind.Struct) {
    const fields = engine.nodeField(handle, NodeField.Fields);
    const count = engine.nodeField(handle, NodeField.FieldCount);
    const before = previous instanceof StructNode ? previous.fields : undefined;
    for (let i = 0; i < count; i++) {
      const field = engine.u32[(fields >>> 2) + i];
      const fieldKey = engine.decodeString(engine.nodeField(field, NodeField.Key));
      node.attach('field', mirrorSchema(engine, field, joinPath(path, fieldKey), fieldKey, before?.get(fieldKey)));
    }
  } else if (kind === NodeKind.List) {
    const before = previous instanceof ListNode ? previous.element : undefined;
    node.attach('element', mirrorSchema(engine, engine.nodeField(handle, NodeField.Element), `${path}[]`, null, before));
  } else if (kind === NodeKind.Map) {
    const before = previous instanceof MapNode ? previous : undefined;
    node.attach('keys', mirrorSchema(engine, engine.nodeField(handle, NodeField.MapKeys), `${path}{key}`, null, before?.keys));
    node.attach('values', mirrorSchema(engine, engine.nodeField(handle, NodeField.Element), `${path}{}`, null, before?.values));
  }
  return node;
}

/** Nodes with no children in WASM, whose facade node can stand for them across snapshots. */
function isLeaf(kind: NodeKind): boolean {
  return kind === NodeKind.Scalar || kind === NodeKind.Mixed || kind === NodeKind.Unset;
}

/**
 * The subtree at WASM node `handle`, with its path walked up through its parents: a rebuild mirrors the node it rebuilds, not the whole schema (a struct
 * of 20,000 fields with a third of them turning mixed mirrored 13 million nodes).
 */
export function mirrorSubtree(engine: Engine, handle: number): Node {
  const keyId = engine.nodeField(handle, NodeField.Key);
  return mirrorSchema(engine, handle, pathOf(engine, handle), keyId === Sentinel.NoKey ? null : engine.string(keyId));
}

/** The display path of WASM node `handle` (as mirrorSchema names it), from its parents. */
export function pathOf(engine: Engine, handle: number): string {
  const parent = engine.nodeField(handle, NodeField.Parent);
  if (parent === 0) return '';
  const above = pathOf(engine, parent);
  switch (engine.nodeField(parent, NodeField.Kind) as NodeKind) {
    case NodeKind.List:
      return `${above}[]`;
    case NodeKind.Map:
      return engine.nodeField(parent, NodeField.MapKeys) === handle ? `${above}{key}` : `${above}{}`;
    default:
      return joinPath(above, engine.string(engine.nodeField(handle, NodeField.Key)));
  }
}
