// The schema lives in WASM (assembly/schema.ts) so the streaming parser can extend it; the
// facade's node tree mirrors it. `publishSchema` sends a tree planned in JS (fromRecords) to
// WASM; `mirrorSchema` reads the WASM tree back after every load or append.
import type { Engine } from '../engine';
import { ColumnType, NodeField, NodeKind, Sentinel } from '../wasm/abi';
import {
  BoolNode, FloatNode, IntNode, ListNode, MapNode, MixedNode, Node, NullNode, StringNode, StructNode, joinPath,
} from './nodes';

/** Creates the WASM schema nodes of a planned tree (columns already created) and sets its root. */
export function publishSchema(engine: Engine, root: Node): void {
  engine.exports.setRoot(publishNode(engine, root, 0));
}

/** Creates the WASM nodes of a planned subtree under `parent`; returns its handle. */
export function publishNode(engine: Engine, node: Node, parent: number): number {
  const wasm = engine.exports;
  const kind =
    node instanceof StructNode ? NodeKind.Struct
    : node instanceof ListNode ? NodeKind.List
    : node instanceof MapNode ? NodeKind.Map
    : node instanceof MixedNode ? NodeKind.Mixed
    : node instanceof NullNode ? NodeKind.Unset
    : NodeKind.Scalar;
  const key = node.key === null ? Sentinel.NoKey : engine.intern(node.key);
  const handle = wasm.nodeCreate(kind, node.column.handle, key, parent) >>> 0;
  if (handle === 0) throw engine.capacityError('creating the schema');
  node.wasmNode = handle;
  if (node instanceof StructNode) {
    for (const field of node.children()) {
      if (!wasm.addField(handle, publishNode(engine, field, handle))) throw engine.capacityError('creating the schema');
    }
  } else if (node instanceof ListNode) {
    wasm.nodeSetField(handle, NodeField.Element, publishNode(engine, node.element, handle));
  } else if (node instanceof MapNode) {
    wasm.nodeSetField(handle, NodeField.MapKeys, publishNode(engine, node.keys, handle));
    wasm.nodeSetField(handle, NodeField.Element, publishNode(engine, node.values, handle));
  }
  return handle;
}

/** Builds the facade's node tree from the WASM schema at `handle` (the root by default). */
export function mirrorSchema(engine: Engine, handle = engine.exports.schemaRoot() >>> 0, path = '', key: string | null = null): Node {
  const wasm = engine.exports;
  const column = engine.columnFor(wasm.nodeField(handle, NodeField.Column) >>> 0);
  const capacity = column.length;
  let node: Node;
  switch (wasm.nodeField(handle, NodeField.Kind) as NodeKind) {
    case NodeKind.Struct: {
      const struct = new StructNode(engine, path, key, capacity);
      const fields = wasm.nodeField(handle, NodeField.Fields) >>> 0;
      const count = wasm.nodeField(handle, NodeField.FieldCount);
      for (let i = 0; i < count; i++) {
        const field = engine.u32[(fields >>> 2) + i];
        const fieldKey = engine.string(wasm.nodeField(field, NodeField.Key) >>> 0);
        struct.addField(fieldKey, mirrorSchema(engine, field, joinPath(path, fieldKey), fieldKey));
      }
      node = struct;
      break;
    }
    case NodeKind.List: {
      const list = new ListNode(engine, path, key, capacity);
      list.element = mirrorSchema(engine, wasm.nodeField(handle, NodeField.Element) >>> 0, `${path}[]`, null);
      node = list;
      break;
    }
    case NodeKind.Map: {
      const map = new MapNode(engine, path, key, capacity);
      map.keys = mirrorSchema(engine, wasm.nodeField(handle, NodeField.MapKeys) >>> 0, `${path}{key}`, null) as StringNode;
      map.values = mirrorSchema(engine, wasm.nodeField(handle, NodeField.Element) >>> 0, `${path}{}`, null);
      node = map;
      break;
    }
    case NodeKind.Mixed:
      node = new MixedNode(engine, path, key, capacity);
      break;
    case NodeKind.Scalar:
      node =
        column.type === ColumnType.Bool ? new BoolNode(engine, path, key, capacity)
        : column.type === ColumnType.Int ? new IntNode(engine, path, key, capacity)
        : column.type === ColumnType.Float64 ? new FloatNode(engine, path, key, capacity)
        : new StringNode(engine, path, key, capacity);
      break;
    default:
      node = new NullNode(engine, path, key, capacity);
  }
  node.column = column;
  node.wasmNode = handle;
  return node;
}
