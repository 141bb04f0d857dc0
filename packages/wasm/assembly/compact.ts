// Compaction, the module's side. A store whose memory holds much more than its data is copied
// into a fresh instance sized to it (WASM memory cannot shrink); the facade moves the bytes
// between the two (packages/core/src/compact.ts). Here: the bytes of each block a record
// addresses (`blockBytes`), the module's roots — its globals that outlive a load — written out as
// a `Roots` record and taken back (`compactRoots`, `compactAdopt`), the copy's capacities set to
// its lengths, and the walk by the `Pointers` masks of abi.ts that measures the copy and lays it
// out for the fresh instance: runs of an image here and a table of copies (`compactMeasure`,
// `compactPrepare`, `compactImage`, `compactForward`).
import { CompactSizes, CompactStep, Descriptor, NodeField, Pointers, RecordKind, Roots } from './abi';
import { allocate, arenaFitted, arenaTop, canAllocate, release } from './arena';
import { fitColumn } from './column';
import { bufferBytes } from './descriptor';
import { forEachNode, nodeBufferBytes, nodeColumn, schemaRoot, setRoot } from './schema';
import { stringsAdopt, stringsBlockBytes, stringsSave } from './strings';
import { collect } from './collect';

const roots: usize = memory.data(<i32>Roots.Bytes, 8);
const sizes: usize = memory.data(<i32>CompactSizes.Bytes, 8);

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
 * The string table goes without its hash index (stringsSave), after a load or an append alike:
 * the next append builds it again (transactionBegin), and a compaction comes only once the store
 * outgrew its room (1/64 after an append), so that rebuild is paid once per such growth, while
 * with the dictionaries' (collect.ts), an index kept made an events store appended 10,000 lines at a time 2.76 MB larger.
 */
function compactRoots(): usize {
  store<u32>(roots + Roots.Schema, <u32>schemaRoot());
  indexLeftOut = stringsSave(roots, true);
  return roots;
}

/**
 * Bytes of the string table's index that compactRoots left out of the copy (LeftOutBytes): held
 * until the copy is made, so the rule (core's worthCompacting) counts them as used, not as slack,
 * and copies a load for the slack it holds, not to leave the index behind. WebAssembly memory
 * cannot shrink, so dropping it without a copy would only turn it into slack; and a load sized
 * exactly (fromRecords of 2 records of 100,000 keys: 20.1 MB reserved, 19.8 held, 1 MiB of it the
 * index) was copied for it, 70 ms of its 290.
 */
let indexLeftOut: u32 = 0;

/**
 * A fresh instance takes the store the facade copied into it: the roots from the `Roots` record
 * at compactRoots()'s address (its addresses already re-pointed at the copies), and every
 * column's capacities become what its blocks were allocated for (blockBytes with `headroom`).
 */
function compactAdopt(headroom: u32): void {
  const root = <usize>load<u32>(roots + Roots.Schema);
  setRoot(root);
  stringsAdopt(roots, headroom);
  adoptedHeadroom = headroom;
  if (root != 0) forEachNode(root, fitNode);
  arenaFitted();
}

let adoptedHeadroom: u32 = 0;

function fitNode(node: usize): void {
  fitColumn(nodeColumn(node), adoptedHeadroom);
}

// The image: the store's blocks laid out as the fresh instance will hold them from `base` on,
// their addresses re-pointed. Records, field lists and small buffers are written into this
// instance's memory, packed in runs that are contiguous in the fresh layout; buffers over
// DIRECT_BLOCK bytes hold no addresses and are not written here at all. Either way the image
// ends in a table of copies (from here, to there, bytes): one per run, one per large buffer, which
// the facade makes with one `set` each. So the image of a store of few large columns (cargo) is a
// few KiB, and a store of 100,000 small columns is copied in a few runs, not 300,000 calls.
// Before it, compactMeasure() says what it would take, allocating nothing: a store that is not
// worth compacting must not grow for being asked. Both run one walk, in one order: a record, the
// blocks its buffer and list fields address, the nodes in its lists, its column, its child nodes.
// The walk relies on ownership: each block is addressed by one field, and the only address that
// points back is a node's Parent (Pointers.NodeParent), which the image sets to the parent's copy.
// The facade's planner (packages/core/src/compact.ts) walks the same masks by address with a
// table of the blocks seen, as the .msx writer needs; the tests hold both to the same sizes, so
// a shared block would show there.

/** Buffers over these bytes are copied by the facade straight from their place here (a call each). */
const DIRECT_BLOCK: u32 = 4096;

let walkHeadroom: u32 = 0;
/** Where the image is written in this memory (0: measuring), and the address the copy starts at. */
let imageAt: usize = 0;
let imageBase: usize = 0;
/** Bytes of the copy laid out so far (from imageBase), and of the image written (from imageAt). */
let freshOffset: u64 = 0;
let imageBytes: u64 = 0;
/** The run being written: whether one is open, where it starts in the copy and in the image. */
let runOpen = false;
let runFresh: usize = 0;
let runImage: u64 = 0;
/** The table of copies (0: measuring), and the copies in it. */
let copyTable: usize = 0;
let copies: u32 = 0;
/** Where in the image the block takeBlock took last was written (0: measuring, or copied directly). */
let taken: usize = 0;
let usedBytes: u64 = 0;
let records: u32 = 0;
let blocks: u32 = 0;
/** Set by a walk that met a node whose Parent is not the node that addresses it: then no image is made (the facade's planner copies such a store). */
let disowned = false;
/** The bitmap the image walk marks, a bit per 8 bytes of this memory (set by compactImage before its walk). */
let forwardBits: usize = 0;
/** After compactImage: where the copied records' bits are (0: none), and the addresses they cover. */
let forwarded: usize = 0;
let forwardedBelow: usize = 0;

@inline function align8(bytes: u64): u64 {
  return (bytes + 7) & ~(<u64>7);
}

/** Blocks up to these bytes are copied by a loop: memory.copy is a call out of the module (300,000 of them took ~40 ms). */
const SMALL_BLOCK: u32 = 256;

/** Copies `bytes` from `from` to `to` (both 8-aligned); the image's bytes past them stay 0. */
@inline function copyBytes(to: usize, from: usize, bytes: u32): void {
  if (bytes > SMALL_BLOCK) {
    memory.copy(to, from, bytes);
    return;
  }
  const words = bytes & ~7;
  for (let i: u32 = 0; i < words; i += 8) store<u64>(to + i, load<u64>(from + i));
  for (let i = words; i < bytes; i++) store<u8>(to + i, load<u8>(from + i));
}

/** One entry of the table of copies: `bytes` from `from` (this memory) to `to` (the fresh one). */
function addCopy(from: usize, to: usize, bytes: u64): void {
  if (copyTable != 0) {
    const entry = copyTable + <usize>copies * 12;
    store<u32>(entry, <u32>from);
    store<u32>(entry + 4, <u32>to);
    store<u32>(entry + 8, <u32>bytes);
  }
  copies++;
}

function closeRun(): void {
  if (!runOpen) return;
  runOpen = false;
  addCopy(imageAt + <usize>runImage, runFresh, imageBytes - runImage);
}

/**
 * Takes the block of `copied` bytes at `from` into one of `size` in the copy: its address there
 * (0: no block). A buffer (`direct`) over DIRECT_BLOCK bytes becomes a copy of its own; any other
 * block is written into the image (where: `taken`).
 */
function takeBlock(from: usize, copied: u32, size: u32, direct: bool): usize {
  taken = 0;
  if (from == 0 || copied == 0) return 0;
  blocks++;
  usedBytes += align8(copied);
  const to = imageBase + <usize>freshOffset;
  freshOffset += align8(size);
  if (direct && copied > DIRECT_BLOCK) {
    closeRun();
    addCopy(from, to, copied);
    return to;
  }
  if (!runOpen) {
    runOpen = true;
    runFresh = to;
    runImage = imageBytes;
  }
  if (imageAt != 0) {
    taken = imageAt + <usize>imageBytes;
    copyBytes(taken, from, copied);
  }
  imageBytes += align8(size);
  return to;
}

function recordBytes(kind: u32): u32 {
  if (kind == RecordKind.Node) return NodeField.Bytes;
  if (kind == RecordKind.Column) return Descriptor.Bytes;
  return Roots.Bytes;
}

/** The masks of a record kind (abi.ts Pointers): buffers, lists, columns, children. */
function buffersOf(kind: u32): u32 {
  if (kind == RecordKind.Node) return Pointers.NodeBuffers;
  if (kind == RecordKind.Column) return Pointers.ColumnBuffers;
  return Pointers.RootsBuffers;
}

function childrenOf(kind: u32): u32 {
  if (kind == RecordKind.Node) return Pointers.NodeChildren;
  return kind == RecordKind.Roots ? Pointers.RootsNodes : 0;
}

/** Sets the u32 at byte `field` of a block written at `image` in the image (0: measuring). */
@inline function setField(image: usize, field: u32, value: usize): void {
  if (image != 0) store<u32>(image + field, <u32>value);
}

/**
 * Walks the record of `kind` at `at`, owned by the node at `owner` (0: none) whose copy is at
 * `ownerCopy`: its copy's address. A Parent that is not the owner makes the walk `disowned`.
 */
function walkRecord(kind: u32, at: usize, owner: usize, ownerCopy: usize): usize {
  const bytes = recordBytes(kind);
  const copy = takeBlock(at, bytes, bytes, false);
  const image = taken;
  records++;
  for (let fields = buffersOf(kind); fields != 0; fields &= fields - 1) {
    const field = ctz(fields) << 2;
    const from = <usize>load<u32>(at + field);
    // Most of a column's eight buffer fields are 0 (no nulls, no dictionary…): skipped before
    // blockBytes is asked, a copy then holds 0 there as its image does.
    if (from == 0) {
      setField(image, field, 0);
      continue;
    }
    const copied = blockBytes(kind, at, field, 0);
    const size = walkHeadroom == 0 ? copied : blockBytes(kind, at, field, walkHeadroom);
    setField(image, field, takeBlock(from, copied, size, true));
  }
  if (kind == RecordKind.Node) {
    for (let fields: u32 = Pointers.NodeLists; fields != 0; fields &= fields - 1) {
      const field = ctz(fields) << 2;
      const from = <usize>load<u32>(at + field);
      const copied = blockBytes(kind, at, field, 0);
      // A list holds addresses: it is re-pointed in the image, whatever its size.
      setField(image, field, takeBlock(from, copied, copied, false));
      const list = taken;
      if (from == 0 || copied == 0) continue;
      for (let slot: u32 = 0; slot < copied; slot += 4) {
        const node = <usize>load<u32>(from + slot);
        if (node != 0) setField(list, slot, walkRecord(RecordKind.Node, node, at, copy));
      }
    }
    for (let fields: u32 = Pointers.NodeColumns; fields != 0; fields &= fields - 1) {
      const field = ctz(fields) << 2;
      const column = <usize>load<u32>(at + field);
      setField(image, field, column == 0 ? 0 : walkRecord(RecordKind.Column, column, 0, 0));
    }
    for (let fields: u32 = Pointers.NodeParent; fields != 0; fields &= fields - 1) {
      const field = ctz(fields) << 2;
      if (<usize>load<u32>(at + field) != owner) disowned = true;
      setField(image, field, ownerCopy);
    }
    for (let fields: u32 = Pointers.NodeTransient; fields != 0; fields &= fields - 1) setField(image, ctz(fields) << 2, 0);
  }
  // The schema's root has no parent: a node's children are its own.
  const owns = kind == RecordKind.Node;
  for (let fields = childrenOf(kind); fields != 0; fields &= fields - 1) {
    const field = ctz(fields) << 2;
    const node = <usize>load<u32>(at + field);
    setField(image, field, node == 0 ? 0 : walkRecord(RecordKind.Node, node, owns ? at : 0, owns ? copy : 0));
  }
  // Last: nothing reads this record's fields after it (a child compares its Parent with the owner's address, not its words).
  if (imageAt != 0 && kind != RecordKind.Roots) forward(at, copy);
  return copy;
}

function walk(headroom: u32, at: usize, base: usize, table: usize): void {
  walkHeadroom = headroom;
  imageAt = at;
  imageBase = base;
  copyTable = table;
  freshOffset = 0;
  imageBytes = 0;
  runOpen = false;
  copies = 0;
  usedBytes = 0;
  records = 0;
  blocks = 0;
  disowned = false;
  walkRecord(RecordKind.Roots, compactRoots(), 0, 0);
  closeRun();
}

function writeSizes(): void {
  store<f64>(sizes + CompactSizes.UsedBytes, <f64>usedBytes);
  store<f64>(sizes + CompactSizes.CopyBytes, <f64>freshOffset);
  store<f64>(sizes + CompactSizes.LeftOutBytes, <f64>indexLeftOut);
  store<f64>(sizes + CompactSizes.Records, <f64>records);
  store<f64>(sizes + CompactSizes.Blocks, <f64>blocks);
  store<f64>(sizes + CompactSizes.ImageBytes, <f64>imageBytes);
  store<f64>(sizes + CompactSizes.Copies, <f64>copies);
  store<f64>(sizes + CompactSizes.CopyTable, <f64>copyTable);
}

/**
 * What compacting the store would copy with room for 1/`headroom` more rows: the address of a
 * CompactSizes block. Reads only; allocates nothing.
 */
function compactMeasure(headroom: u32): usize {
  walk(headroom, 0, 0, 0);
  writeSizes();
  return sizes;
}

/** What compactPrepare allocated here for the image (0: nothing), as compactImage will use it. */
let preparedImage: usize = 0;
let preparedImageBytes: u64 = 0;
let preparedTable: usize = 0;
let preparedTableBytes: u64 = 0;
let preparedBitmap: usize = 0;
let preparedBitmapBytes: u64 = 0;
let preparedBelow: usize = 0;

/**
 * Readies an image of the store with room for 1/`headroom` more rows: allocates the image, its
 * table of copies and the forwarding bitmap here, measured by a walk, or (`measured`: the store
 * has not changed since compactMeasure(headroom) ran) by that walk's figures. Changes nothing
 * else. The address of the CompactSizes block (CopyBytes: what the fresh instance must
 * allocate for compactImage's `base`); 0 when the image does not fit here or a node's Parent
 * is not its owner. compactImage follows: with a base, or 0 to give the image back.
 */
function compactPrepare(headroom: u32, measured: bool): usize {
  cancelPrepared();
  forwarded = 0;
  if (!measured || walkHeadroom != headroom || imageAt != 0) compactMeasure(headroom);
  const bytes = imageBytes;
  const tableBytes = <u64>copies * 12;
  // A bit per 8 bytes below the top: set for each record that holds its copy's address.
  const below = arenaTop();
  const bitmapBytes = <u64>(below >>> 6) + 8;
  if (disowned || bytes == 0 || freshOffset > 0xFFFFFFF0 || !canAllocate(bytes + tableBytes + bitmapBytes + 24)) return 0;
  const image = allocate(<usize>bytes, true);
  if (image == 0) return 0;
  const table = allocate(<usize>tableBytes);
  const bitmap: usize = table == 0 ? 0 : allocate(<usize>bitmapBytes, true);
  if (bitmap == 0) {
    if (table != 0) release(table, <usize>tableBytes);
    release(image, <usize>bytes);
    return 0;
  }
  preparedImage = image;
  preparedImageBytes = bytes;
  preparedTable = table;
  preparedTableBytes = tableBytes;
  preparedBitmap = bitmap;
  preparedBitmapBytes = bitmapBytes;
  preparedBelow = below;
  return sizes;
}

/** Gives back what compactPrepare allocated (the store stays as it was). */
function cancelPrepared(): void {
  if (preparedImage == 0) return;
  release(preparedBitmap, <usize>preparedBitmapBytes);
  release(preparedTable, <usize>preparedTableBytes);
  release(preparedImage, <usize>preparedImageBytes);
  preparedImage = 0;
}

/**
 * The image compactPrepare readied, laid out for a copy at `base` in a fresh instance (its
 * first block the Roots record), every address as it will be there: the address of the
 * CompactSizes block, whose CopyTable lists the copies to make (`u32 from, to, bytes` each,
 * Copies of them); 0 when nothing was readied. Made, it leaves the store here garbage but for
 * its buffers: each copied node and descriptor holds its copy's address in its first word
 * (compactForward), so the facade makes the copies and adopts them, or drops this instance.
 * Nothing may change the store between compactPrepare and this (the facade calls both in one
 * synchronous step). `base` 0: the fresh instance cannot take the copy; the image is given
 * back and the store stays as it was (0).
 */
function compactImage(base: usize): usize {
  if (base == 0) cancelPrepared();
  if (preparedImage == 0) return 0;
  forwardBits = preparedBitmap;
  walk(walkHeadroom, preparedImage, base, preparedTable);
  writeSizes();
  forwarded = preparedBitmap;
  forwardedBelow = preparedBelow;
  preparedImage = 0;
  return sizes;
}

/** Marks the record at `at` (walked, its fields read) as copied to `copy`: its first word says where. */
function forward(at: usize, copy: usize): void {
  const bit = <u32>(at >>> 3);
  const byte = forwardBits + (<usize>bit >>> 3);
  store<u8>(byte, load<u8>(byte) | <u8>(<u32>1 << (bit & 7)));
  store<u32>(at, <u32>copy);
}

/** After compactImage: the address in the image's instance of the node or descriptor at `address` here (0: not copied). */
function compactForward(address: usize): usize {
  if (forwarded == 0 || address == 0 || address >= forwardedBelow || (address & 7) != 0) return 0;
  const bit = <u32>(address >>> 3);
  if ((load<u8>(forwarded + (<usize>bit >>> 3)) & (1 << (bit & 7))) == 0) return 0;
  return <usize>load<u32>(address);
}

/**
 * The one export for compaction's steps (CompactStep in abi.ts: each step's arguments and
 * answer), in place of six (README.md, Exports: each export costs every instance JS heap).
 */
export function compact(step: u32, a: u32, b: u32): usize {
  switch (step) {
    case CompactStep.Roots: return compactRoots();
    case CompactStep.Adopt: compactAdopt(a); return 0;
    case CompactStep.Measure: return compactMeasure(a);
    case CompactStep.Prepare: return compactPrepare(a, b != 0);
    case CompactStep.Image: return compactImage(<usize>a);
    case CompactStep.Forward: return compactForward(<usize>a);
    case CompactStep.Collect: return <usize>collect();
  }
  return 0;
}
