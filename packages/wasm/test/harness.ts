// Loads build/memstore.wasm straight from disk for the ABI tests, typed by the same files the
// facade uses (../exports.ts for the exports, ../assembly/abi.ts for the numbers), and reads
// descriptors, columns and strings out of its memory.
import { readFileSync } from 'node:fs';
import { ColumnType, Descriptor, FsstTable, ParseStatus, StringTableField } from '../assembly/abi';
import type { MemstoreExports } from '../exports';
import { wtf8Decode } from '@memstore/testkit/wtf8';

export type Wasm = MemstoreExports;

export const module = new WebAssembly.Module(readFileSync(new URL('../build/memstore.wasm', import.meta.url)));

export function instance(maxPages = 65536): Wasm {
  let memory: WebAssembly.Memory | null = null;
  const env = {
    parseNumber: (pointer: number, length: number) =>
      Number(new TextDecoder().decode(new Uint8Array(memory!.buffer, pointer >>> 0, length))),
  };
  const wasm = new WebAssembly.Instance(module, { env }).exports as unknown as Wasm;
  memory = wasm.memory;
  wasm.init(maxPages);
  return wasm;
}

/** A u32 field of the descriptor of `column`. */
export function field(wasm: Wasm, column: number, name: Descriptor): number {
  return new Uint32Array(wasm.memory.buffer, (column >>> 0) + name, 1)[0];
}

/** Descriptor fields by name. */
export function descriptor(wasm: Wasm, column: number) {
  const read = (name: Descriptor) => field(wasm, column, name);
  return {
    type: read(Descriptor.Type), width: read(Descriptor.Width), length: read(Descriptor.Length),
    capacity: read(Descriptor.Capacity), data: read(Descriptor.Data), nulls: read(Descriptor.Nulls),
    missing: read(Descriptor.Missing), nullCount: read(Descriptor.NullCount), missingCount: read(Descriptor.MissingCount),
    base: baseOf(wasm, column), dict: read(Descriptor.Dict), dictLength: read(Descriptor.DictLength),
    payload: read(Descriptor.Payload),
  };
}

/** An int column's base (the i64 descriptor field Base), exact as a number (|base| ≤ 2^53). */
export function baseOf(wasm: Wasm, column: number): number {
  return Number(new BigInt64Array(wasm.memory.buffer, (column >>> 0) + Descriptor.Base, 1)[0]);
}

/** Row `row`'s unsigned delta (int columns) or code (string columns) at the column's width. */
export function deltaAt(wasm: Wasm, column: number, row: number): bigint {
  const d = descriptor(wasm, column);
  const buffer = wasm.memory.buffer;
  switch (d.width) {
    case 0: return 0n;
    case 1: return BigInt(new Uint8Array(buffer, d.data, d.capacity)[row]);
    case 2: return BigInt(new Uint16Array(buffer, d.data, d.capacity)[row]);
    case 4: return BigInt(new Uint32Array(buffer, d.data, d.capacity)[row]);
    default: return new BigUint64Array(buffer, d.data, d.capacity)[row];
  }
}

/** Reads row `row` of an int column (base + delta, any width) or of a float64 column. */
export function intAt(wasm: Wasm, column: number, row: number): number {
  const d = descriptor(wasm, column);
  if (d.type === ColumnType.Float64) return new Float64Array(wasm.memory.buffer, d.data, d.capacity)[row];
  return Number(BigInt(d.base) + deltaAt(wasm, column, row));
}

export function codeAt(wasm: Wasm, column: number, row: number): number {
  return Number(deltaAt(wasm, column, row));
}

export function internText(wasm: Wasm, text: string): number {
  const bytes = new TextEncoder().encode(text);
  const pointer = wasm.scratch(bytes.length) >>> 0;
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  return wasm.intern(bytes.length) >>> 0;
}

export function stringAt(wasm: Wasm, id: number): string {
  const offsets = new Uint32Array(wasm.memory.buffer, wasm.stringTable(StringTableField.Offsets) >>> 0, wasm.stringTable(StringTableField.Count) + 1);
  const heap = wasm.stringTable(StringTableField.Heap) >>> 0;
  return new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, heap + offsets[id], offsets[id + 1] - offsets[id]));
}

// ---- Helpers for the parser, scan, aggregate and schema tests ---------------------------------
// (Imports are hoisted: these may follow the code above.)
import { NodeField } from '../assembly/abi';

/** Writes `bytes` where parseInput says and feeds them to the parser; returns the FeedResult. */
export function feed(wasm: Wasm, bytes: Uint8Array, last: boolean): number {
  const pointer = wasm.parseInput(bytes.length) >>> 0;
  if (pointer === 0) throw new Error('parseInput: out of memory');
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  return wasm.parseFeed(bytes.length, last ? 1 : 0);
}

/** Indices of the set bits among the first `bits` bits of the bitmap at `pointer` (bit i: byte i >> 3). */
export function setBits(wasm: Wasm, pointer: number, bits: number): number[] {
  const bytes = new Uint8Array(wasm.memory.buffer, pointer >>> 0, Math.ceil(bits / 8));
  const set: number[] = [];
  for (let i = 0; i < bits; i++) if ((bytes[i >>> 3] >>> (i & 7)) & 1) set.push(i);
  return set;
}

/** Writes a bitmap of `flags.length` bits at `pointer`, clearing the rest of its last u64 word. */
export function writeBits(wasm: Wasm, pointer: number, flags: boolean[]): void {
  const bytes = new Uint8Array(wasm.memory.buffer, pointer >>> 0, Math.ceil(flags.length / 64) * 8);
  bytes.fill(0);
  flags.forEach((flag, i) => { if (flag) bytes[i >>> 3] |= 1 << (i & 7); });
}

/** A row's presence from the absolute bitmaps (a null-typed column's rows are null unless missing). */
export function presenceAt(wasm: Wasm, column: number, row: number): 'present' | 'null' | 'missing' {
  const d = descriptor(wasm, column);
  const bit = (bitmap: number) => bitmap !== 0 && ((new Uint8Array(wasm.memory.buffer, bitmap, (d.capacity + 7) >>> 3)[row >>> 3] >>> (row & 7)) & 1) === 1;
  if (bit(d.missing)) return 'missing';
  return d.type === ColumnType.Null || bit(d.nulls) ? 'null' : 'present';
}

export function floatAt(wasm: Wasm, column: number, row: number): number {
  return new Float64Array(wasm.memory.buffer, descriptor(wasm, column).data, row + 1)[row];
}

export function boolAt(wasm: Wasm, column: number, row: number): boolean {
  return ((new Uint8Array(wasm.memory.buffer, descriptor(wasm, column).data, (row >>> 3) + 1)[row >>> 3] >>> (row & 7)) & 1) === 1;
}

/** The string of row `row` of a string column (its code through the dictionary). */
export function stringValueAt(wasm: Wasm, column: number, row: number): string {
  const d = descriptor(wasm, column);
  return stringAt(wasm, new Uint32Array(wasm.memory.buffer, d.dict, d.dictLength)[codeAt(wasm, column, row)]);
}

/** The string of row `row` of a text column (its own offsets and heap; codes decoded by its FSST table when it has one). */
export function textValueAt(wasm: Wasm, column: number, row: number): string {
  const d = descriptor(wasm, column);
  const offsets = new Uint32Array(wasm.memory.buffer, d.data, d.length + 1);
  const heap = new Uint32Array(wasm.memory.buffer, (column >>> 0) + Descriptor.Heap, 1)[0];
  const bytes = new Uint8Array(wasm.memory.buffer, heap + offsets[row], offsets[row + 1] - offsets[row]);
  return wtf8Decode(d.dict === 0 ? bytes : fsstDecode(wasm, d.dict, bytes));
}

/** Codes decoded by the FSST table at `table` (abi.ts FsstTable): symbols, and the escape's byte. */
export function fsstDecode(wasm: Wasm, table: number, codes: Uint8Array): Uint8Array {
  const memory = new Uint8Array(wasm.memory.buffer);
  const out: number[] = [];
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === FsstTable.Escape) {
      out.push(codes[++i]);
      continue;
    }
    const length = memory[table + FsstTable.Lengths + codes[i]];
    for (let k = 0; k < length; k++) out.push(memory[table + FsstTable.Symbols + codes[i] * 8 + k]);
  }
  return Uint8Array.from(out);
}

/** A list column's offsets[0 .. length]. */
export function listOffsets(wasm: Wasm, column: number): number[] {
  const d = descriptor(wasm, column);
  return Array.from(new Uint32Array(wasm.memory.buffer, d.data, d.length + 1));
}

/** The field nodes of a struct node, in order. */
export function nodeFields(wasm: Wasm, node: number): number[] {
  const count = wasm.nodeField(node, NodeField.FieldCount);
  return Array.from(new Uint32Array(wasm.memory.buffer, wasm.nodeField(node, NodeField.Fields) >>> 0, count));
}


/** The parser's status (parseStatus(): a ParseStatus record), decoded. */
export function parseStatus(wasm: Wasm) {
  const at = wasm.parseStatus() >>> 0;
  const word = (field: ParseStatus) => new Uint32Array(wasm.memory.buffer, at + field, 1)[0];
  const double = (field: ParseStatus) => new Float64Array(wasm.memory.buffer, at + field, 1)[0];
  return {
    committedRows: word(ParseStatus.CommittedRows), rebuildNode: word(ParseStatus.RebuildNode), errorCode: word(ParseStatus.ErrorCode),
    errorLine: word(ParseStatus.ErrorLine), errorColumn: word(ParseStatus.ErrorColumn), errorPointer: word(ParseStatus.ErrorPointer),
    bufferStart: word(ParseStatus.BufferStart), bufferEnd: word(ParseStatus.BufferEnd), bytesDone: double(ParseStatus.BytesDone),
    errorOffset: double(ParseStatus.ErrorOffset),
  };
}
