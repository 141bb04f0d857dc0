// The .msx file's layout: its numbers, written down once (the prose is packages/core/MSX.md,
// byte by byte). A file is a header, the store's blocks at 8-aligned offsets (records first:
// the Roots record, schema nodes, column descriptors, lists of nodes; then buffers; then the
// metadata), and a footer: the block directory and a trailer whose last bytes are the magic.
import { Descriptor, NodeField, Roots } from '../wasm/abi';

/** First and last 8 bytes of every file: PNG's scheme (a high byte, CR LF, ^Z, LF), so text-mode transfers and truncations show. */
export const MAGIC = new Uint8Array([0x89, 0x4d, 0x53, 0x58, 0x0d, 0x0a, 0x1a, 0x0a]);
export const VERSION = 1;

/** Header: byte offsets of its fields (u32 but the magic). */
export const enum Header {
  Magic = 0,
  Version = 8,
  /** No flag is defined: must be 0. */
  Flags = 12,
  /** The ABI layout sizes the file was written with: a reader refuses any it does not share. */
  DescriptorBytes = 16,
  NodeBytes = 20,
  RootsBytes = 24,
  /** Must be 0. */
  Reserved = 28,
  Bytes = 32,
}

/** A directory entry: byte offsets of its fields. */
export const enum Entry {
  /** A BlockKind. */
  Kind = 0,
  /** The block's bytes (its padding to 8 not counted). */
  Length = 4,
  /** u64: where the block starts in the file. */
  Offset = 8,
  /** u64: xxHash64 (seed 0) of the block's Length bytes. */
  Checksum = 16,
  Bytes = 24,
}

/** Trailer, the file's last bytes: byte offsets of its fields. */
export const enum Trailer {
  BlockCount = 0,
  /** Block numbers (index + 1) of the Roots record and of the metadata. */
  RootsBlock = 4,
  MetaBlock = 8,
  /** The directory's and the trailer's bytes. */
  FooterBytes = 12,
  /** u64: xxHash64 of the header, the directory and the trailer's first 16 bytes. */
  Checksum = 16,
  Magic = 24,
  Bytes = 32,
}

/** What a block is; the directory says it, and every address field must name a block of the kind it addresses. */
export const enum BlockKind {
  Roots = 1,
  Node = 2,
  Column = 3,
  /** A node's field list: u32 block numbers of nodes (0: an unused slot). */
  List = 4,
  /** A column's or the string table's bytes: no addresses. */
  Buffer = 5,
  /** UTF-8 JSON: what the facade keeps that WASM does not (FileMeta). */
  Meta = 6,
}

export const BLOCK_KIND_NAMES: Readonly<Record<BlockKind, string>> = {
  [BlockKind.Roots]: 'roots',
  [BlockKind.Node]: 'schema node',
  [BlockKind.Column]: 'column descriptor',
  [BlockKind.List]: 'field list',
  [BlockKind.Buffer]: 'buffer',
  [BlockKind.Meta]: 'metadata',
};

/** Bytes of each record kind's block. */
export const RECORD_BYTES: Readonly<Partial<Record<BlockKind, number>>> = {
  [BlockKind.Roots]: Roots.Bytes,
  [BlockKind.Node]: NodeField.Bytes,
  [BlockKind.Column]: Descriptor.Bytes,
};

/** The metadata block. */
export interface FileMeta {
  /** The writer: `@memstore/core` and its format version. */
  writer: string;
  /** Records in the store (its root column's rows). */
  records: number;
  /** Top-level fields filled with the records' keys (options.keyAs), for store.schema. */
  keyFields: string[];
}

/** The metadata block of a store of `records` records and those `keyFields`. */
export function fileMeta(records: number, keyFields: ReadonlySet<string>): FileMeta {
  return { writer: `@memstore/core .msx ${VERSION}`, records, keyFields: [...keyFields] };
}

/** Bytes of the metadata block at most: it holds a few names. */
export const MAX_META_BYTES = 1 << 20;

export const align8 = (bytes: number): number => Math.ceil(bytes / 8) * 8;
