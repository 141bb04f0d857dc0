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
 * Bytes of the block that field `field` (a byte offset) of a record of `kind` at `record`
 * addresses, as compaction copies it: what its rows, entries or strings take (0: no block), with
 * room for 1/`headroom` more rows (0: none; the copy is allocated so, and copies headroom 0's
 * bytes). Column buffers by descriptor.ts, node lists and indexes by schema.ts (as they are),
 * the string table's blocks by strings.ts.
 */
export function blockBytes(kind: u32, record: usize, field: u32, headroom: u32): u32 {
  if (kind == RecordKind.Column) return <u32>bufferBytes(record, field, true, headroom);
  if (kind == RecordKind.Node) return nodeBufferBytes(record, field);
  return stringsBlockBytes(record, field, headroom);
}

/**
 * The module's roots as a `Roots` record (a static block, rewritten by each call): its address.
 * `headroom` as blockBytes takes it: 0 (a load's compaction, which holds what it will hold) lets a
 * small string table go without its hash index (stringsSave).
 */
export function compactRoots(headroom: u32): usize {
  store<u32>(roots + Roots.Schema, <u32>schemaRoot());
  stringsSave(roots, headroom == 0);
  return roots;
}

/**
 * A fresh instance takes the store the facade copied into it: the roots from the `Roots` record
 * at compactRoots()'s address (its addresses already re-pointed at the copies), and every
 * column's capacities become what its blocks were allocated for (blockBytes with `headroom`).
 */
export function compactAdopt(headroom: u32): void {
  const root = <usize>load<u32>(roots + Roots.Schema);
  setRoot(root);
  stringsAdopt(roots, headroom);
  adoptedHeadroom = headroom;
  if (root != 0) forEachNode(root, fitNode);
}

let adoptedHeadroom: u32 = 0;

function fitNode(node: usize): void {
  fitColumn(nodeColumn(node), adoptedHeadroom);
}
