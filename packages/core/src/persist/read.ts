// Reading a .msx file (MSX.md) into a fresh engine, trusting nothing in it. In order: the
// trailer and header (magic, version, layout), the footer's checksum, the directory (every entry
// in bounds, packed in order, of a known kind and size), the records region (checksums, then the
// graph: every address names a block of the kind it addresses, every block is reached once, the
// schema is a tree no deeper than Limit.Depth, each record's fields are in range), then memory is
// reserved once, each block read into its place (buffers straight from the source into WASM
// memory) and its checksum taken there, addresses become WASM addresses, the columns' buffers and
// values are checked (checkColumns.ts, through the module's column loops: assembly/validate.ts), and
// the store adopts the roots with its hash indexes built again. Every fault is a MemstoreFormatError naming the block,
// the field and the byte of the file.
import { createEngine, type Engine } from '../engine';
import { MemstoreError, MemstoreFormatError } from '../errors';
import type { StoreOptions } from '../types';
import { ColumnType, CompactStep, Descriptor, FsstTable, Limit, MsxCheck, NodeField, NodeKind, Pointers, Roots, Sentinel } from '../wasm/abi';
import { xxh64 } from './xxhash';
import { footerChecksum } from './write';
import { checkColumns, checkJsonValues, type DirectoryEntry, type LoadedFile } from './checkColumns';
import { COLUMN_BUFFERS, DESCRIPTOR_FIELDS, fieldsOf, NODE_FIELDS, ROOTS_FIELDS, TYPE_NAMES } from './fieldNames';
import {
  align8, BLOCK_KIND_NAMES, BlockKind, Entry, Header, MAGIC, MAX_META_BYTES, RECORD_BYTES, Trailer, VERSION, type FileMeta,
} from './format';

/** Where a file's bytes come from: its size, and reads of any range (a file, or bytes in memory). */
export interface ByteSource {
  readonly size: number;
  /** Fills `into` with the bytes at `position`; throws MemstoreError 'IO' on a short read. */
  read(into: Uint8Array, position: number): Promise<void>;
}


/** The column types each node kind stands over. */
const KIND_TYPES: Readonly<Record<NodeKind, readonly ColumnType[]>> = {
  [NodeKind.Unset]: [ColumnType.Null],
  [NodeKind.Struct]: [ColumnType.Struct],
  [NodeKind.List]: [ColumnType.List],
  [NodeKind.Map]: [ColumnType.List],
  [NodeKind.Scalar]: [ColumnType.Bool, ColumnType.Int, ColumnType.Float64, ColumnType.String, ColumnType.Text],
  [NodeKind.Mixed]: [ColumnType.Mixed],
};

/** Widths each column type takes (descriptor.ts, column.ts columnCreate). */
const WIDTHS: Readonly<Record<ColumnType, readonly number[]>> = {
  [ColumnType.Null]: [0], [ColumnType.Struct]: [0], [ColumnType.List]: [0], [ColumnType.Bool]: [0], [ColumnType.Int]: [0, 1, 2, 4, 8],
  [ColumnType.Float64]: [8], [ColumnType.String]: [0, 1, 2, 4], [ColumnType.Mixed]: [0], [ColumnType.Text]: [4],
};

/** Bytes of one read into WASM memory at most: blocks that lie together are read together, up to this. */
const READ_BYTES = 16 << 20;

const fault = (message: string, offset?: number) => new MemstoreFormatError('msx', message, offset);

/** A .msx file read into a fresh engine (options: maxMemoryBytes), and its metadata. */
export async function readMsx(source: ByteSource, options: StoreOptions): Promise<{ engine: Engine; meta: FileMeta }> {
  const engine = await createEngine(options);
  // A file larger than the cap cannot fit: refused before a byte is read.
  if (source.size > engine.limitBytes) throw engine.capacityError('loading a .msx file', source.size);
  const reader = new FileReader(source, engine);
  const meta = await reader.read();
  return { engine, meta };
}

class FileReader implements LoadedFile {
  readonly directory: DirectoryEntry[] = [];
  private region: Uint8Array = new Uint8Array(0);
  private regionView: DataView = new DataView(this.region.buffer);
  /** Block number → WASM address once placed. */
  placed: number[] = [];
  stringCount = 0;
  /** Column blocks with the node block that stands over them, and that node's kind. */
  readonly columns: Array<{ block: number; node: number; kind: NodeKind }> = [];
  private readonly nodes: number[] = [];

  constructor(private readonly source: ByteSource, readonly engine: Engine) {}

  async read(): Promise<FileMeta> {
    const size = this.source.size;
    if (size < Header.Bytes + Trailer.Bytes) throw fault(`The file is ${size} bytes: shorter than a .msx header and trailer (${Header.Bytes + Trailer.Bytes} bytes).`, 0);
    const trailer = await this.bytes(size - Trailer.Bytes, Trailer.Bytes);
    if (!startsWith(trailer, Trailer.Magic, MAGIC)) throw fault(`The file does not end with the .msx magic (bytes ${size - 8}..${size}): it is not a .msx file, or it was cut short.`, size - 8);
    const tail = view(trailer);
    const blockCount = tail.getUint32(Trailer.BlockCount, true);
    const footerBytes = tail.getUint32(Trailer.FooterBytes, true);
    const footerAt = size - footerBytes;
    if (footerBytes !== blockCount * Entry.Bytes + Trailer.Bytes || footerAt < Header.Bytes) {
      throw fault(`The trailer's FooterBytes (${footerBytes}) is not ${Entry.Bytes} bytes for each of its ${blockCount} blocks and ${Trailer.Bytes} more, within the ${size}-byte file.`, size - Trailer.Bytes + Trailer.FooterBytes);
    }
    const header = await this.bytes(0, Header.Bytes);
    this.checkHeader(header);
    const footer = await this.bytes(footerAt, footerBytes);
    if (footerChecksum(header, footer) !== tail.getBigUint64(Trailer.Checksum, true)) {
      throw fault('The footer checksum does not match the header, directory and trailer: the file is corrupt.', size - Trailer.Bytes + Trailer.Checksum);
    }
    this.readDirectory(footer, blockCount, footerAt);
    if (tail.getUint32(Trailer.RootsBlock, true) !== 1 || tail.getUint32(Trailer.MetaBlock, true) !== blockCount) {
      throw fault(`The trailer names block ${tail.getUint32(Trailer.RootsBlock, true)} as the roots and ${tail.getUint32(Trailer.MetaBlock, true)} as the metadata; they are blocks 1 and ${blockCount}.`, size - Trailer.Bytes + Trailer.RootsBlock);
    }
    const meta = await this.readMeta(this.directory[blockCount - 1]);
    await this.readRecords();
    this.checkGraph();
    this.place();
    await this.readBuffers();
    this.toAddresses();
    checkColumns(this, meta);
    this.adopt();
    return meta;
  }

  private async bytes(position: number, length: number): Promise<Uint8Array> {
    const into = new Uint8Array(length);
    await this.source.read(into, position);
    return into;
  }

  private checkHeader(header: Uint8Array): void {
    if (!startsWith(header, Header.Magic, MAGIC)) throw fault('The file does not start with the .msx magic: it is not a .msx file.', 0);
    const head = view(header);
    const expect = (field: Header, wanted: number, what: string) => {
      const found = head.getUint32(field, true);
      if (found !== wanted) throw fault(`The header's ${what} is ${found}; this reader knows ${wanted} only.`, field);
    };
    expect(Header.Version, VERSION, 'format version');
    expect(Header.Flags, 0, 'flags field');
    expect(Header.DescriptorBytes, RECORD_BYTES[BlockKind.Column]!, 'column descriptor size');
    expect(Header.NodeBytes, RECORD_BYTES[BlockKind.Node]!, 'schema node size');
    expect(Header.RootsBytes, RECORD_BYTES[BlockKind.Roots]!, 'roots record size');
    expect(Header.Reserved, 0, 'reserved field');
  }

  /** Every entry: a known kind and size, packed in order from the header's end (records, buffers, then the metadata) up to the footer. */
  private readDirectory(footer: Uint8Array, count: number, footerAt: number): void {
    const foot = view(footer);
    let next = Header.Bytes;
    let stage = BlockKind.Roots;
    for (let i = 0; i < count; i++) {
      const at = i * Entry.Bytes;
      const where = footerAt + at;
      const kind = foot.getUint32(at + Entry.Kind, true) as BlockKind;
      const length = foot.getUint32(at + Entry.Length, true);
      const offset = Number(foot.getBigUint64(at + Entry.Offset, true));
      const number = i + 1;
      if (!(kind in BLOCK_KIND_NAMES)) throw fault(`Directory entry ${number} has kind ${kind}, which is no block kind.`, where + Entry.Kind);
      const last = number === count;
      const order = kind === BlockKind.Roots ? (number === 1) : kind === BlockKind.Meta ? last : number !== 1 && !last &&
        (kind === BlockKind.Buffer ? stage !== BlockKind.Meta : stage !== BlockKind.Buffer);
      if (!order) throw fault(`Directory entry ${number} is a ${BLOCK_KIND_NAMES[kind]} block out of order (the roots first, then schema records, then buffers, the metadata last).`, where + Entry.Kind);
      stage = kind === BlockKind.Buffer || kind === BlockKind.Meta ? kind : BlockKind.Roots;
      const recordBytes = RECORD_BYTES[kind];
      const sized = recordBytes !== undefined ? length === recordBytes : kind === BlockKind.List ? length > 0 && length % 4 === 0
        : kind === BlockKind.Meta ? length <= MAX_META_BYTES : length > 0;
      if (!sized) throw fault(`Directory entry ${number} (${BLOCK_KIND_NAMES[kind]}) has length ${length}, which no such block has.`, where + Entry.Length);
      if (offset !== next) throw fault(`Directory entry ${number} (${BLOCK_KIND_NAMES[kind]}) starts at ${offset}; blocks are packed at 8-aligned offsets, and it starts at ${next}.`, where + Entry.Offset);
      next = align8(offset + length);
      if (next > footerAt) throw fault(`Directory entry ${number} (${BLOCK_KIND_NAMES[kind]}, ${length} bytes at ${offset}) passes the directory's start at ${footerAt}.`, where + Entry.Length);
      this.directory.push({ number, kind, length, offset, checksum: foot.getBigUint64(at + Entry.Checksum, true) });
    }
    if (count < 2 || next !== footerAt) throw fault(`The blocks end at ${next} and the directory starts at ${footerAt}: bytes between them belong to no block.`, next);
  }

  entry(number: number): DirectoryEntry {
    return this.directory[number - 1];
  }

  private checkBlock(entry: DirectoryEntry, bytes: Uint8Array, padded: Uint8Array): void {
    if (xxh64(bytes) !== entry.checksum) throw this.blockFault(entry, 'its checksum does not match: the block is corrupt', 0);
    for (let i = bytes.length; i < padded.length; i++) if (padded[i] !== 0) throw this.blockFault(entry, 'its padding to 8 bytes is not zero', i);
  }

  blockFault(entry: DirectoryEntry, what: string, at: number, field?: string): MemstoreFormatError {
    return fault(`Block ${entry.number} (${BLOCK_KIND_NAMES[entry.kind]}, ${entry.length} bytes at offset ${entry.offset})${field === undefined ? '' : `, field ${field}`}: ${what}.`, entry.offset + at);
  }

  private async readMeta(entry: DirectoryEntry): Promise<FileMeta> {
    const padded = await this.bytes(entry.offset, align8(entry.length));
    this.checkBlock(entry, padded.subarray(0, entry.length), padded);
    let meta: unknown;
    try {
      meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(padded.subarray(0, entry.length)));
    } catch (error) {
      throw this.blockFault(entry, `it is not UTF-8 JSON (${(error as Error).message})`, 0);
    }
    const m = meta as FileMeta;
    if (typeof m !== 'object' || m === null || typeof m.writer !== 'string' || !Number.isInteger(m.records) || m.records < 0 ||
      !Array.isArray(m.keyFields) || !m.keyFields.every((key) => typeof key === 'string')) {
      throw this.blockFault(entry, 'it is not an object of writer (a string), records (a count) and keyFields (strings)', 0);
    }
    return { writer: m.writer, records: m.records, keyFields: [...m.keyFields] };
  }

  /** The records region (roots, nodes, descriptors, field lists), read in one piece and checked block by block. */
  private async readRecords(): Promise<void> {
    const firstBuffer = this.directory.find((entry) => entry.kind === BlockKind.Buffer || entry.kind === BlockKind.Meta)!;
    this.region = await this.bytes(Header.Bytes, firstBuffer.offset - Header.Bytes);
    this.regionView = view(this.region);
    for (const entry of this.directory) {
      if (entry.kind === BlockKind.Buffer || entry.kind === BlockKind.Meta) break;
      const at = entry.offset - Header.Bytes;
      this.checkBlock(entry, this.region.subarray(at, at + entry.length), this.region.subarray(at, at + align8(entry.length)));
    }
  }

  /** A u32 field of a record block, from the records region. */
  field(block: number, field: number): number {
    return this.regionView.getUint32(this.entry(block).offset - Header.Bytes + field, true);
  }

  slot(list: number, slot: number): number {
    return this.field(list, slot * 4);
  }

  /**
   * The graph the records make: from the roots, every address field names a block of the kind
   * it addresses, every block is reached exactly once (no sharing, no cycle), the schema is a
   * tree no deeper than Limit.Depth whose parents are their parents, and each record's plain
   * fields are in range (kinds, types, widths, counts, capacities as written).
   */
  private checkGraph(): void {
    this.reached = new Uint8Array(this.directory.length + 1);
    this.reached[1] = 1; // the roots: the trailer names them
    this.reached[this.directory.length] = 1; // the metadata
    const count = this.field(1, Roots.StringCount);
    this.stringCount = count;
    const heapLength = this.field(1, Roots.StringHeapLength);
    const roots = this.entry(1);
    if (this.field(1, Roots.StringHeapCapacity) !== heapLength) throw this.blockFault(roots, 'it is not StringHeapLength', Roots.StringHeapCapacity, 'StringHeapCapacity');
    if (this.field(1, Roots.StringOffsetsCapacity) !== count + 1) throw this.blockFault(roots, 'it is not StringCount + 1', Roots.StringOffsetsCapacity, 'StringOffsetsCapacity');
    for (const field of [Roots.StringIndex, Roots.StringIndexCapacity, Roots.Bytes - 4]) this.zero(1, field, ROOTS_FIELDS[field]);
    this.link(1, Roots.StringHeap, 'StringHeap', BlockKind.Buffer, heapLength > 0, heapLength);
    this.link(1, Roots.StringOffsets, 'StringOffsets', BlockKind.Buffer, true, (count + 1) * 4);
    const root = this.link(1, Roots.Schema, 'Schema', BlockKind.Node, false);
    const pending: Array<[node: number, parent: number, depth: number, keyed: boolean]> = root === 0 ? [] : [[root, 0, 0, false]];
    while (pending.length > 0) {
      const [node, parent, depth, keyed] = pending.pop()!;
      this.checkNode(node, parent, depth, keyed, pending);
    }
    const missed = this.reached.indexOf(0, 1);
    if (missed > 0) throw this.blockFault(this.entry(missed), 'no field of the store names it (a block the roots do not reach)', 0);
  }

  /** Blocks named so far (each may be named once). */
  private reached = new Uint8Array(0);

  /**
   * The block number at `at` of record block `from` (a field, or a list's slot): 0 (none, unless
   * `required`), or a block of `kind`, not named before, of `length` bytes when that is given.
   */
  private link(from: number, at: number, name: string, kind: BlockKind, required: boolean, length?: number): number {
    const number = this.field(from, at);
    const where = this.entry(from);
    if (number === 0) {
      if (required) throw this.blockFault(where, `it names no block, and a ${BLOCK_KIND_NAMES[kind]} must be there`, at, name);
      return 0;
    }
    if (number > this.directory.length) throw this.blockFault(where, `it names block ${number}, and the file has ${this.directory.length}`, at, name);
    const target = this.entry(number);
    if (target.kind !== kind) throw this.blockFault(where, `it names block ${number}, a ${BLOCK_KIND_NAMES[target.kind]}, where a ${BLOCK_KIND_NAMES[kind]} belongs`, at, name);
    if (this.reached[number] !== 0) throw this.blockFault(where, `it names block ${number}, which another field already names (a shared block or a cycle)`, at, name);
    if (length !== undefined && target.length !== length) throw this.blockFault(where, `it names block ${number} of ${target.length} bytes; it must hold ${length}`, at, name);
    this.reached[number] = 1;
    return number;
  }

  private zero(block: number, field: number, name: string): void {
    if (this.field(block, field) !== 0) throw this.blockFault(this.entry(block), `it is ${this.field(block, field)}; a saved store holds 0 there`, field, name);
  }

  private checkNode(node: number, parent: number, depth: number, keyed: boolean, pending: Array<[number, number, number, boolean]>): void {
    const entry = this.entry(node);
    const get = (field: NodeField) => this.field(node, field);
    const bad = (field: NodeField, what: string) => this.blockFault(entry, what, field, NODE_FIELDS[field]);
    if (depth > Limit.Depth) throw bad(NodeField.Kind, `the schema nests deeper than ${Limit.Depth} levels`);
    const kind = get(NodeField.Kind) as NodeKind;
    if (!(kind in KIND_TYPES)) throw bad(NodeField.Kind, `${kind} is no node kind`);
    if (get(NodeField.Parent) !== parent) throw bad(NodeField.Parent, `it names block ${get(NodeField.Parent)}, and the node that holds it is block ${parent}`);
    const key = get(NodeField.Key);
    if (keyed ? key === Sentinel.NoKey || key >= this.stringCount : key !== Sentinel.NoKey) {
      throw bad(NodeField.Key, keyed ? `${key} is no string id of the table's ${this.stringCount}, and a struct field's key must be` : `${key} is not NoKey, as a record, list element or map part's is`);
    }
    for (const field of [NodeField.Stamp, NodeField.Cursor, NodeField.PlainKey, NodeField.FieldIndex]) this.zero(node, field, NODE_FIELDS[field]);
    const count = get(NodeField.FieldCount);
    const capacity = get(NodeField.FieldCapacity);
    if (count > capacity || (count > 0 && kind !== NodeKind.Struct)) throw bad(NodeField.FieldCount, `${count} fields (capacity ${capacity}) in a node of kind ${kind}`);
    const fields = this.link(node, NodeField.Fields, 'Fields', BlockKind.List, capacity > 0, capacity * 4);
    if (fields === 0 && capacity > 0) throw bad(NodeField.FieldCapacity, `${capacity} slots and no field list`);
    const column = this.link(node, NodeField.Column, 'Column', BlockKind.Column, true);
    this.checkDescriptor(column, kind);
    this.columns.push({ block: column, node, kind });
    this.nodes.push(node);
    const element = this.link(node, NodeField.Element, 'Element', BlockKind.Node, kind === NodeKind.List || kind === NodeKind.Map);
    const keys = this.link(node, NodeField.MapKeys, 'MapKeys', BlockKind.Node, kind === NodeKind.Map);
    if ((element !== 0 && kind !== NodeKind.List && kind !== NodeKind.Map) || (keys !== 0 && kind !== NodeKind.Map)) {
      throw bad(element !== 0 ? NodeField.Element : NodeField.MapKeys, `a node of kind ${kind} has no element or map keys`);
    }
    if (element !== 0) pending.push([element, node, depth + 1, false]);
    if (keys !== 0) pending.push([keys, node, depth + 1, false]);
    if (fields === 0) return;
    const seen = new Set<number>();
    for (let slot = 0; slot < capacity; slot++) {
      const at = slot * 4;
      if (slot >= count) {
        this.zero(fields, at, `slot ${slot} (past the node's ${count} fields)`);
        continue;
      }
      const child = this.link(fields, at, `slot ${slot}`, BlockKind.Node, true);
      const childKey = this.field(child, NodeField.Key);
      if (seen.has(childKey)) throw this.blockFault(this.entry(child), `key ${childKey} is another field's of the same struct`, NodeField.Key, 'Key');
      seen.add(childKey);
      pending.push([child, node, depth + 1, true]);
    }
  }

  /** A descriptor's plain fields: its type for the node's kind, its width, counts and capacities as a saved store writes them. */
  private checkDescriptor(column: number, kind: NodeKind): void {
    const entry = this.entry(column);
    const get = (field: Descriptor) => this.field(column, field);
    const bad = (field: Descriptor, what: string) => this.blockFault(entry, what, field, DESCRIPTOR_FIELDS[field]);
    // Its buffers are its own (sizes are checked once the module can say what its rows need: checkColumns).
    for (const buffer of COLUMN_BUFFERS) this.link(column, buffer, DESCRIPTOR_FIELDS[buffer], BlockKind.Buffer, false);
    const type = get(Descriptor.Type) as ColumnType;
    if (!KIND_TYPES[kind].includes(type)) throw bad(Descriptor.Type, `${type} is no column type of a node of kind ${kind}`);
    if (!WIDTHS[type].includes(get(Descriptor.Width))) throw bad(Descriptor.Width, `${get(Descriptor.Width)} is no width of a ${TYPE_NAMES[type]} column`);
    const length = get(Descriptor.Length);
    const same = (field: Descriptor, of: Descriptor) => {
      if (get(field) !== get(of)) throw bad(field, `it is ${get(field)}, and a saved ${TYPE_NAMES[type]} column holds its ${DESCRIPTOR_FIELDS[of]} (${get(of)}) there`);
    };
    same(Descriptor.Capacity, Descriptor.Length);
    same(Descriptor.DictCapacity, Descriptor.DictLength);
    same(Descriptor.HeapCapacity, Descriptor.HeapLength);
    for (const field of [Descriptor.DictIndex, Descriptor.DictIndexCapacity]) {
      if (get(field) !== 0) throw bad(field, `it is ${get(field)}; a saved store holds 0 there (the index is built on load)`);
    }
    for (const [count, bitmap] of [[Descriptor.NullCount, Descriptor.Nulls], [Descriptor.MissingCount, Descriptor.Missing]] as const) {
      // A null column (only nulls and missing rows) counts its nulls with no bitmap.
      if (get(count) > length || (get(bitmap) === 0 && get(count) !== 0 && !(type === ColumnType.Null && count === Descriptor.NullCount))) throw bad(count, `${get(count)} of ${length} rows, ${get(bitmap) === 0 ? 'with no bitmap' : 'more than the rows'}`);
    }
    if (type === ColumnType.String && get(Descriptor.Width) < 4 && get(Descriptor.DictLength) > 2 ** (8 * get(Descriptor.Width))) {
      throw bad(Descriptor.DictLength, `${get(Descriptor.DictLength)} entries do not fit codes of ${get(Descriptor.Width)} bytes`);
    }
    if (get(Descriptor.Sparse) !== 0) {
      if (get(Descriptor.Missing) !== 0 || get(Descriptor.MissingCount) !== 0) throw bad(Descriptor.Missing, 'a sparse column stores no missing row');
      if (get(Descriptor.Rows) < length) throw bad(Descriptor.Rows, `${get(Descriptor.Rows)} rows, fewer than the ${length} stored`);
      if (get(Descriptor.Groups) !== Math.ceil(get(Descriptor.Rows) / 64)) throw bad(Descriptor.Groups, `${get(Descriptor.Groups)} groups of 64 rows for ${get(Descriptor.Rows)} rows`);
      if (type === ColumnType.Bool || type === ColumnType.Struct || type === ColumnType.Mixed || type === ColumnType.Null) throw bad(Descriptor.Sparse, `a ${TYPE_NAMES[type]} column is never sparse`);
    } else if (get(Descriptor.Rows) !== 0 || get(Descriptor.Groups) !== 0) {
      throw bad(get(Descriptor.Rows) !== 0 ? Descriptor.Rows : Descriptor.Groups, 'a dense column holds 0 there');
    }
  }

  /** Memory reserved once for every block and the indexes built on load, then each block given its place. */
  private place(): void {
    const wasm = this.engine.exports;
    let bytes = 0;
    for (const entry of this.directory) if (entry.kind !== BlockKind.Meta) bytes += align8(entry.length);
    const slots = (entries: number, least: number) => {
      let capacity = least;
      while (capacity < entries * 2) capacity *= 2;
      return capacity * 4;
    };
    if (this.stringCount > 0) bytes += slots(this.stringCount, 16);
    let fsst = false;
    for (const { block } of this.columns) {
      const entries = this.field(block, Descriptor.DictLength);
      if (this.field(block, Descriptor.Type) === ColumnType.String && entries > 0) bytes += slots(entries, 8);
      // A text column's Dict is its FSST symbol table (assembly/fsst.ts).
      if (this.field(block, Descriptor.Type) === ColumnType.Text && this.field(block, Descriptor.Dict) !== 0) fsst = true;
    }
    // Checking FSST columns takes an encoding index and a row decoded and encoded again (MsxCheck.Fsst).
    if (fsst) bytes += FsstTable.CheckBytes;
    for (const node of this.nodes) if (this.field(node, NodeField.FieldCount) >= 8) bytes += this.field(node, NodeField.FieldCapacity) * 8;
    this.engine.reserve(bytes, 'loading a .msx file');
    this.placed = [0];
    for (const entry of this.directory) {
      if (entry.kind === BlockKind.Meta) continue;
      const at = wasm.arenaAllocate(entry.length) >>> 0;
      if (at === 0) throw this.engine.capacityError('loading a .msx file', entry.length);
      this.placed.push(at);
      if (entry.kind !== BlockKind.Buffer) {
        const from = entry.offset - Header.Bytes;
        this.engine.u8.set(this.region.subarray(from, from + entry.length), at);
      }
    }
  }

  /**
   * Each buffer read from the source straight into its place in WASM memory, and its checksum
   * taken there. Blocks placed one after another in a fresh arena lie as they lie in the file
   * (both packed at 8-byte alignment), so each run of them is one read of up to READ_BYTES, not
   * one per block (1,128 blocks of 100k events took ~1,100 reads).
   */
  private async readBuffers(): Promise<void> {
    const wasm = this.engine.exports;
    const buffers = this.directory.filter((entry) => entry.kind === BlockKind.Buffer);
    for (let first = 0; first < buffers.length;) {
      let last = first;
      const start = buffers[first];
      const at = this.placed[start.number];
      while (last + 1 < buffers.length) {
        const next = buffers[last + 1];
        if (this.placed[next.number] - at !== next.offset - start.offset || next.offset + next.length - start.offset > READ_BYTES) break;
        last++;
      }
      const end = buffers[last].offset + align8(buffers[last].length);
      // Memory was reserved for every block before the first was placed: it does not grow here, so the view stays current.
      await this.source.read(this.engine.u8.subarray(at, at + end - start.offset), start.offset);
      for (let i = first; i <= last; i++) {
        const entry = buffers[i];
        const place = this.placed[entry.number];
        if (BigInt.asUintN(64, wasm.msxHash(place, entry.length)) !== entry.checksum) throw this.blockFault(entry, 'its checksum does not match: the block is corrupt', 0);
        const memory = this.engine.u8;
        for (let b = entry.length; b < align8(entry.length); b++) if (memory[place + b] !== 0) throw this.blockFault(entry, 'its padding to 8 bytes is not zero', b);
      }
      first = last + 1;
    }
  }

  /** Block numbers become the blocks' WASM addresses, in every record placed (checkGraph named each). */
  private toAddresses(): void {
    const words = this.engine.u32;
    const rewrite = (at: number) => {
      words[at >>> 2] = this.placed[words[at >>> 2]] ?? 0;
    };
    const masks: Partial<Record<BlockKind, number>> = {
      [BlockKind.Roots]: Pointers.RootsBuffers | Pointers.RootsNodes,
      [BlockKind.Node]: Pointers.NodeBuffers | Pointers.NodeLists | Pointers.NodeChildren | Pointers.NodeParent | Pointers.NodeColumns,
      [BlockKind.Column]: Pointers.ColumnBuffers,
    };
    for (const entry of this.directory) {
      const at = this.placed[entry.number];
      if (entry.kind === BlockKind.List) {
        for (let slot = 0; slot < entry.length; slot += 4) rewrite(at + slot);
      } else if (masks[entry.kind] !== undefined) {
        for (const field of fieldsOf(masks[entry.kind]!)) rewrite(at + field);
      }
    }
  }

  /** The module takes the roots (capacities: lengths), then builds its indexes again; nested JSON values of mixed columns must parse. */
  private adopt(): void {
    const wasm = this.engine.exports;
    const target = wasm.compact(CompactStep.Roots, 0, 0) >>> 0; // its address (the file's roots overwrite the record)
    const roots = this.placed[1];
    this.engine.u8.copyWithin(target, roots, roots + Roots.Bytes);
    wasm.arenaRelease(roots, Roots.Bytes);
    wasm.compact(CompactStep.Adopt, 0, 0);
    const indexed = (found: number, entry: DirectoryEntry, what: string, at: number, name: string) => {
      if (found === -2) throw this.engine.capacityError('loading a .msx file');
      if (found >= 0) throw this.blockFault(entry, what.replace('#', String(found)), at, name);
    };
    indexed(wasm.msxCheck(MsxCheck.DistinctStrings, 0, 0, 0), this.entry(1), 'string # of the table repeats an earlier one', Roots.StringHeap, 'StringHeap');
    for (const { block } of this.columns) {
      if (this.field(block, Descriptor.Type) !== ColumnType.String) continue;
      indexed(wasm.msxCheck(MsxCheck.DistinctDictionary, this.placed[block], 0, 0), this.entry(block), 'dictionary entry # repeats an earlier one', Descriptor.Dict, 'Dict');
    }
    for (const node of this.nodes) if (!wasm.msxCheck(MsxCheck.IndexNode, this.placed[node], 0, 0)) throw this.engine.capacityError('loading a .msx file');
    this.engine.refresh();
    checkJsonValues(this);
  }

}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function startsWith(bytes: Uint8Array, at: number, magic: Uint8Array): boolean {
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

/** A source over bytes in memory (Store.fromBytes). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (into, position) => {
      if (position + into.length > bytes.length) return Promise.reject(new MemstoreError('IO', `memstore internal error: a read of ${into.length} bytes at ${position} passes the ${bytes.length} given.`));
      into.set(bytes.subarray(position, position + into.length));
      return Promise.resolve();
    },
  };
}
