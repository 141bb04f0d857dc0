// Writing a store as a .msx file (MSX.md): the blocks compaction walks (planCompaction), every
// address field rewritten as a block number, the hash indexes left out (the reader builds them
// again), capacities written as the rows' lengths. The records (Roots, nodes, descriptors, field
// lists: a few bytes per column) are copied into one region and rewritten in JS; the buffers
// are written from WASM memory as they lie, hashed there (`msxHash`).
import { type Block, type CopiedKind, FIELDS, planBlock, planCompaction } from '../compact';
import type { Engine } from '../engine';
import { Descriptor, NodeField, RecordKind, Roots } from '../wasm/abi';
import { MemstoreError } from '../errors';
import { xxh64 } from './xxhash';
import { align8, BlockKind, Entry, Header, MAGIC, RECORD_BYTES, Trailer, VERSION, type FileMeta } from './format';

/** A block as the file holds it: where its bytes come from, and where they go. */
interface PlannedBlock {
  readonly kind: BlockKind;
  readonly length: number;
  readonly offset: number;
  readonly checksum: bigint;
  /** A buffer's WASM address (its bytes are written from memory as they lie); -1 for the records region's and the metadata's. */
  readonly from: number;
}

/** A store's file, planned: the small parts made in JS, the buffers still in WASM memory. */
export interface FilePlan {
  readonly header: Uint8Array;
  /** The records region: from the header's end up to the first buffer, padding included. */
  readonly records: Uint8Array;
  readonly buffers: readonly PlannedBlock[];
  /** The metadata block and its padding, at `metaOffset`. */
  readonly meta: Uint8Array;
  readonly metaOffset: number;
  readonly footer: Uint8Array;
  readonly size: number;
}

/** Fields whose blocks are derived (hash indexes): a reader builds them again rather than trusting them (validate.ts). */
const INDEX_FIELDS: Readonly<Record<RecordKind, number>> = {
  [RecordKind.Roots]: Roots.StringIndex,
  [RecordKind.Node]: NodeField.FieldIndex,
  [RecordKind.Column]: Descriptor.DictIndex,
};

/**
 * The blocks the file holds: what the roots reach through the schema as the store reads it — a
 * struct's fields up to FieldCount (compaction also carries nodes left in slots past it, which
 * only an append's undo could need), no hash index. Returns each block's address, and each field
 * list's count of fields.
 */
function reachable(words: Uint32Array, roots: number): { blocks: Set<number>; listCounts: Map<number, number> } {
  const blocks = new Set<number>();
  const listCounts = new Map<number, number>();
  const pending: Array<[RecordKind, number]> = [[RecordKind.Roots, roots]];
  while (pending.length > 0) {
    const [kind, at] = pending.pop()!;
    const fields = FIELDS.get(kind)!;
    const address = (field: number) => words[(at + field) >>> 2];
    const push = (next: RecordKind, to: number) => {
      if (to === 0 || blocks.has(to)) return;
      blocks.add(to);
      pending.push([next, to]);
    };
    for (const field of fields.buffers) if (field !== INDEX_FIELDS[kind] && address(field) !== 0) blocks.add(address(field));
    for (const field of fields.nodes) if (field !== NodeField.Parent) push(RecordKind.Node, address(field));
    for (const field of fields.columns) push(RecordKind.Column, address(field));
    for (const field of fields.lists) {
      const list = address(field);
      if (list === 0) continue;
      const count = words[(at + NodeField.FieldCount) >>> 2];
      blocks.add(list);
      listCounts.set(list, count);
      for (let slot = 0; slot < count; slot++) push(RecordKind.Node, words[(list >>> 2) + slot]);
    }
  }
  return { blocks, listCounts };
}

const BLOCK_OF: Readonly<Record<CopiedKind, BlockKind>> = {
  [RecordKind.Roots]: BlockKind.Roots,
  [RecordKind.Node]: BlockKind.Node,
  [RecordKind.Column]: BlockKind.Column,
  list: BlockKind.List,
  buffer: BlockKind.Buffer,
};

/** Plans the file of the store in `engine` (reads only; the store is unchanged). */
export function planFile(engine: Engine, meta: FileMeta): FilePlan {
  const wasm = engine.exports;
  const plan = planCompaction(wasm, 0);
  const { blocks: reached, listCounts } = reachable(engine.u32, plan.roots);
  const kept: Block[] = [];
  for (let i = 0; i < plan.count; i++) if (reached.has(plan.from[i])) kept.push(planBlock(plan, i));
  // Records first (the reader takes them in one read), then buffers; the Roots record is block 1.
  const records = [{ from: plan.roots, copied: Roots.Bytes, kind: RecordKind.Roots as CopiedKind }, ...kept.filter((block) => block.kind !== 'buffer')];
  const buffers = kept.filter((block) => block.kind === 'buffer');
  const numbers = new Map<number, number>();
  for (const block of [...records, ...buffers]) numbers.set(block.from, numbers.size + 1);

  const entries: Array<{ kind: BlockKind; length: number; offset: number; checksum: bigint }> = [];
  let offset: number = Header.Bytes;
  const recordOffsets: number[] = [];
  for (const block of records) {
    recordOffsets.push(offset);
    offset = align8(offset + block.copied);
  }
  const region = new Uint8Array(offset - Header.Bytes);
  const words = new DataView(region.buffer);
  const memory = engine.u8;
  records.forEach((block, i) => {
    const at = recordOffsets[i] - Header.Bytes;
    region.set(memory.subarray(block.from, block.from + block.copied), at);
    const number = (field: number) => words.setUint32(at + field, numbers.get(words.getUint32(at + field, true)) ?? 0, true);
    if (block.kind === 'list') {
      const count = listCounts.get(block.from)!;
      for (let slot = 0; slot < block.copied; slot += 4) {
        if (slot < count * 4) number(slot);
        else words.setUint32(at + slot, 0, true);
      }
    } else if (block.kind !== 'buffer') {
      for (const field of FIELDS.get(block.kind)!.addresses) number(field);
      canonical(block.kind, words, at);
    }
    const bytes = region.subarray(at, at + block.copied);
    entries.push({ kind: BLOCK_OF[block.kind], length: block.copied, offset: recordOffsets[i], checksum: xxh64(bytes) });
  });
  const planned: PlannedBlock[] = [];
  for (const block of buffers) {
    const checksum = BigInt.asUintN(64, wasm.msxHash(block.from, block.copied));
    const entry = { kind: BlockKind.Buffer, length: block.copied, offset, checksum };
    entries.push(entry);
    planned.push({ ...entry, from: block.from });
    offset = align8(offset + block.copied);
  }
  const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  const metaOffset = offset;
  const metaBlock = new Uint8Array(align8(metaBytes.length));
  metaBlock.set(metaBytes);
  entries.push({ kind: BlockKind.Meta, length: metaBytes.length, offset, checksum: xxh64(metaBytes) });
  offset += metaBlock.length;

  const header = new Uint8Array(Header.Bytes);
  const head = new DataView(header.buffer);
  header.set(MAGIC, Header.Magic);
  head.setUint32(Header.Version, VERSION, true);
  head.setUint32(Header.DescriptorBytes, RECORD_BYTES[BlockKind.Column]!, true);
  head.setUint32(Header.NodeBytes, RECORD_BYTES[BlockKind.Node]!, true);
  head.setUint32(Header.RootsBytes, RECORD_BYTES[BlockKind.Roots]!, true);

  const footerBytes = entries.length * Entry.Bytes + Trailer.Bytes;
  const footer = new Uint8Array(footerBytes);
  const foot = new DataView(footer.buffer);
  entries.forEach((entry, i) => {
    const at = i * Entry.Bytes;
    foot.setUint32(at + Entry.Kind, entry.kind, true);
    foot.setUint32(at + Entry.Length, entry.length, true);
    foot.setBigUint64(at + Entry.Offset, BigInt(entry.offset), true);
    foot.setBigUint64(at + Entry.Checksum, entry.checksum, true);
  });
  const trailer = footerBytes - Trailer.Bytes;
  foot.setUint32(trailer + Trailer.BlockCount, entries.length, true);
  foot.setUint32(trailer + Trailer.RootsBlock, 1, true);
  foot.setUint32(trailer + Trailer.MetaBlock, entries.length, true);
  foot.setUint32(trailer + Trailer.FooterBytes, footerBytes, true);
  foot.setBigUint64(trailer + Trailer.Checksum, footerChecksum(header, footer), true);
  footer.set(MAGIC, trailer + Trailer.Magic);
  return { header, records: region, buffers: planned, meta: metaBlock, metaOffset, footer, size: offset + footerBytes };
}

/** The footer's checksum: the header, the directory and the trailer up to the checksum field. */
export function footerChecksum(header: Uint8Array, footer: Uint8Array): bigint {
  const covered = new Uint8Array(header.length + footer.length - Trailer.Bytes + Trailer.Checksum);
  covered.set(header);
  covered.set(footer.subarray(0, footer.length - Trailer.Bytes + Trailer.Checksum), header.length);
  return xxh64(covered);
}

/**
 * A record as the file holds it: capacities are the lengths (what a compacted copy holds), the
 * parser-private fields and the derived ones (rebuilt on load) are 0.
 */
function canonical(kind: RecordKind, words: DataView, at: number): void {
  const get = (field: number) => words.getUint32(at + field, true);
  const set = (field: number, value: number) => words.setUint32(at + field, value, true);
  if (kind === RecordKind.Column) {
    set(Descriptor.Capacity, get(Descriptor.Length));
    set(Descriptor.DictCapacity, get(Descriptor.DictLength));
    set(Descriptor.HeapCapacity, get(Descriptor.HeapLength));
    set(Descriptor.DictIndexCapacity, 0);
    if (get(Descriptor.Sparse) !== 0) set(Descriptor.Groups, Math.ceil(get(Descriptor.Rows) / 64));
  } else if (kind === RecordKind.Node) {
    set(NodeField.Stamp, 0);
    set(NodeField.Cursor, 0);
    set(NodeField.PlainKey, 0);
  } else {
    set(Roots.StringHeapCapacity, get(Roots.StringHeapLength));
    set(Roots.StringOffsetsCapacity, get(Roots.StringCount) + 1);
    set(Roots.StringIndexCapacity, 0);
    set(Roots.Bytes - 4, 0);
  }
}

/** The whole file in one array (`store.toBytes()`). */
export function fileBytes(engine: Engine, plan: FilePlan): Uint8Array {
  const out = new Uint8Array(plan.size);
  out.set(plan.header, 0);
  out.set(plan.records, Header.Bytes);
  const memory = engine.u8;
  for (const block of plan.buffers) out.set(memory.subarray(block.from, block.from + block.length), block.offset);
  out.set(plan.meta, plan.metaOffset);
  out.set(plan.footer, plan.size - plan.footer.length);
  return out;
}

/** Where a streamed save writes: bytes in file order (each call's array may be reused once it resolves). */
export type ByteSink = (bytes: Uint8Array) => Promise<void>;

/** Bytes of a buffer copied out of WASM memory per write: a save holds this much, never the file. */
const CHUNK_BYTES = 1 << 20;

/**
 * Writes the file block by block. A buffer is copied out of WASM memory a chunk at a time into
 * one staging array, re-read from the engine's current memory each time, so neither a query that
 * grows memory meanwhile nor a dispose (which detaches it: the save then fails) leaves a pending
 * write reading a detached buffer. The caller keeps appends out until it resolves.
 */
export async function writeFile(engine: Engine, plan: FilePlan, sink: ByteSink): Promise<void> {
  await sink(plan.header);
  await sink(plan.records);
  const staging = new Uint8Array(CHUNK_BYTES);
  let written = Header.Bytes + plan.records.length;
  for (const block of plan.buffers) {
    const end = block.from + align8(block.length);
    for (let at = block.from; at < end; at += CHUNK_BYTES) {
      const bytes = Math.min(CHUNK_BYTES, end - at);
      const chunk = staging.subarray(0, bytes);
      const valid = Math.max(0, Math.min(bytes, block.from + block.length - at));
      chunk.set(engine.u8.subarray(at, at + valid));
      chunk.fill(0, valid); // the padding to 8
      await sink(chunk);
      written += bytes;
    }
  }
  await sink(plan.meta);
  await sink(plan.footer);
  written += plan.meta.length + plan.footer.length;
  if (written !== plan.size) throw new MemstoreError('INTERNAL', `memstore internal error: wrote ${written} bytes of a ${plan.size}-byte file.`);
}
