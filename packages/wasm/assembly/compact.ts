// Compaction, the module's side. A store whose memory holds much more than its data is copied
// into a fresh instance sized to it (WASM memory cannot shrink); the facade moves the bytes
// between the two (packages/core/src/compact.ts), walking the records by the `Pointers` masks of
// abi.ts. Here: the bytes of each block a record addresses (`blockBytes`), the module's roots —
// its globals that outlive a load — written out as a `Roots` record and taken back
// (`compactRoots`, `compactAdopt`), and the copy's capacities set to its lengths.
import { RecordKind, Roots } from './abi';
import { fitColumn } from './column';
import { bufferBytes } from './descriptor';
import { forEachNode, nodeBufferBytes, nodeColumn, schemaRoot, setRoot } from './schema';
import { stringsAdopt, stringsBlockBytes, stringsSave } from './strings';

const roots: usize = memory.data(<i32>Roots.Bytes, 8);

/**
 * Bytes to copy of the block that field `field` (a byte offset) of a record of `kind` at
 * `record` addresses: what its rows, entries or strings take, not what it could hold (0: no
 * block). Column buffers by descriptor.ts, node lists and indexes by schema.ts, the string
 * table's blocks by strings.ts.
 */
export function blockBytes(kind: u32, record: usize, field: u32): u32 {
  if (kind == RecordKind.Column) return <u32>bufferBytes(record, field, true);
  if (kind == RecordKind.Node) return nodeBufferBytes(record, field);
  return stringsBlockBytes(record, field, true);
}

/** The module's roots as a `Roots` record (a static block, rewritten by each call): its address. */
export function compactRoots(): usize {
  store<u32>(roots + Roots.Schema, <u32>schemaRoot());
  stringsSave(roots);
  return roots;
}

/**
 * A fresh instance takes the store the facade copied into it: the roots from the `Roots` record
 * at compactRoots()'s address (its addresses already re-pointed at the copies), and every
 * column's capacities become its lengths (their buffers were copied at what their rows take).
 */
export function compactAdopt(): void {
  const root = <usize>load<u32>(roots + Roots.Schema);
  setRoot(root);
  stringsAdopt(roots);
  if (root != 0) forEachNode(root, fitNode);
}

function fitNode(node: usize): void {
  fitColumn(nodeColumn(node));
}
