// A test's view of a .msx file's bytes (MSX.md): its directory, its records' fields, the blocks a
// schema path's column names, and patches re-signed (the block's checksum and the footer's taken
// again) so that a hostile file passes the checksums and must be refused by the checks behind them.
import { align8, type BlockKind, Entry, Header, Trailer } from '../../src/persist/format';
import { footerChecksum } from '../../src/persist/write';
import { xxh64 } from '../../src/persist/xxhash';
import { type Descriptor, NodeField, Roots } from '../../src/wasm/abi';

export interface MapEntry {
  readonly number: number;
  readonly kind: BlockKind;
  readonly length: number;
  readonly offset: number;
}

export class FileMap {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly entries: MapEntry[] = [];
  readonly footerAt: number;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes.slice();
    this.view = new DataView(this.bytes.buffer);
    const size = this.bytes.length;
    const count = this.view.getUint32(size - Trailer.Bytes + Trailer.BlockCount, true);
    this.footerAt = size - (count * Entry.Bytes + Trailer.Bytes);
    for (let i = 0; i < count; i++) {
      const at = this.footerAt + i * Entry.Bytes;
      this.entries.push({
        number: i + 1,
        kind: this.view.getUint32(at + Entry.Kind, true),
        length: this.view.getUint32(at + Entry.Length, true),
        offset: Number(this.view.getBigUint64(at + Entry.Offset, true)),
      });
    }
  }

  entry(number: number): MapEntry {
    return this.entries[number - 1];
  }

  get(block: number, field: number): number {
    return this.view.getUint32(this.entry(block).offset + field, true);
  }

  /** Writes a u32 into a block and re-signs the block and the footer. */
  set(block: number, field: number, value: number): this {
    this.view.setUint32(this.entry(block).offset + field, value >>> 0, true);
    return this.resign(block);
  }

  setByte(block: number, at: number, value: number): this {
    this.bytes[this.entry(block).offset + at] = value;
    return this.resign(block);
  }

  /** The block's checksum in the directory taken again, then the footer's. */
  resign(block: number): this {
    const entry = this.entry(block);
    const checksum = xxh64(this.bytes.subarray(entry.offset, entry.offset + entry.length));
    this.view.setBigUint64(this.footerAt + (block - 1) * Entry.Bytes + Entry.Checksum, checksum, true);
    return this.resignFooter();
  }

  resignFooter(): this {
    const size = this.bytes.length;
    const checksum = footerChecksum(this.bytes.subarray(0, Header.Bytes), this.bytes.subarray(this.footerAt));
    this.view.setBigUint64(size - Trailer.Bytes + Trailer.Checksum, checksum, true);
    return this;
  }

  /** The string with id `id` of the file's string table. */
  string(id: number): string {
    const offsets = this.get(1, Roots.StringOffsets);
    const heap = this.get(1, Roots.StringHeap);
    const start = this.get(offsets, id * 4);
    const end = this.get(offsets, id * 4 + 4);
    return new TextDecoder().decode(this.bytes.subarray(this.entry(heap).offset + start, this.entry(heap).offset + end));
  }

  /** The node block of a path of keys (`[]` the root; 'element' a list's element). */
  node(path: readonly string[]): number {
    let node = this.get(1, Roots.Schema);
    for (const step of path) {
      if (step === '[]') {
        node = this.get(node, NodeField.Element);
        continue;
      }
      const list = this.get(node, NodeField.Fields);
      let found = 0;
      for (let slot = 0; slot < this.get(node, NodeField.FieldCount); slot++) {
        const child = this.get(list, slot * 4);
        if (this.string(this.get(child, NodeField.Key)) === step) found = child;
      }
      if (found === 0) throw new Error(`no field ${step}`);
      node = found;
    }
    return node;
  }

  /** The column descriptor block of a path. */
  column(path: readonly string[]): number {
    return this.get(this.node(path), NodeField.Column);
  }

  /** The buffer block a descriptor field of a path's column names. */
  buffer(path: readonly string[], field: Descriptor): number {
    return this.get(this.column(path), field);
  }

  /** Block `block`'s bytes as a copy. */
  block(block: number): Uint8Array {
    const entry = this.entry(block);
    return this.bytes.slice(entry.offset, entry.offset + entry.length);
  }

  /** The file's length class boundaries: each block's start and end, the footer's, the trailer's. */
  boundaries(): number[] {
    const points = new Set<number>([0, Header.Bytes, this.footerAt, this.bytes.length - Trailer.Bytes, this.bytes.length]);
    for (const entry of this.entries) {
      points.add(entry.offset);
      points.add(entry.offset + entry.length);
      points.add(align8(entry.offset + entry.length));
    }
    return [...points].sort((a, b) => a - b);
  }
}
