// store.memory(): what a store's WASM memory holds — each column (its descriptor and buffers),
// the schema's nodes, the string table, the module's static data — against what it reserves,
// and the query workspace. Read from the descriptors: reporting makes no Column.
import type { Engine } from './engine';
import { allNodes, type Node } from './schema/node';
import type { MemoryReport } from './types';
import { NodeField, RecordKind, StringTableField, type MemstoreExports } from './wasm/abi';

export function memoryReport(engine: Engine, root: Node, workspaceBytes: number): MemoryReport {
  const wasm = engine.exports;
  const nodes = allNodes(root);
  const columns = nodes.map((node) => ({
    path: node.path === '' ? '(records)' : node.path,
    type: node.schemaType,
    bytes: wasm.columnBytes(node.columnHandle) >>> 0,
  }));
  const strings = { count: wasm.stringTable(StringTableField.Count) >>> 0, bytes: wasm.stringTable(StringTableField.Bytes) >>> 0 };
  const schemaBytes = nodes.reduce((sum, node) => sum + nodeBytes(wasm, node.wasmNode), 0);
  const moduleBytes = engine.baseBytes;
  const totalBytes = columns.reduce((sum, column) => sum + column.bytes, 0) + schemaBytes + strings.bytes + moduleBytes;
  return { totalBytes, reservedBytes: engine.reservedBytes, columns, strings, schemaBytes, moduleBytes, workspaceBytes };
}

/** A schema node's bytes: the node, its field list and its field index. */
function nodeBytes(wasm: MemstoreExports, node: number): number {
  return NodeField.Bytes + (wasm.blockBytes(RecordKind.Node, node, NodeField.Fields, 0) >>> 0) + (wasm.blockBytes(RecordKind.Node, node, NodeField.FieldIndex, 0) >>> 0);
}

/**
 * `util.inspect(store)` (console.log): records, columns (as memory() lists them) and the bytes the
 * store holds, on one line — not the engine, snapshot and workspace the object is made of.
 */
export function storeSummary(records: number, report: MemoryReport): string {
  const bytes = report.totalBytes;
  const memory = bytes < 2 ** 20 ? `${(bytes / 2 ** 10).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `Store { records: ${records}, columns: ${report.columns.length}, memory: '${memory}' }`;
}
