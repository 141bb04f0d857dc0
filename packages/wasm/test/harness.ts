// Loads build/memstore.wasm straight from disk for the ABI tests, typed by the same files the
// facade uses (../exports.ts for the exports, ../assembly/abi.ts for the numbers), and reads
// descriptors, columns and strings out of its memory.
import { readFileSync } from 'node:fs';
import { Descriptor } from '../assembly/abi';
import type { MemstoreExports } from '../exports';

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
    constant: read(Descriptor.Constant) | 0, dict: read(Descriptor.Dict), dictLength: read(Descriptor.DictLength),
    payload: read(Descriptor.Payload),
  };
}

/** Reads row `row` of an int column (any width, constant included). */
export function intAt(wasm: Wasm, column: number, row: number): number {
  const d = descriptor(wasm, column);
  const buffer = wasm.memory.buffer;
  switch (d.width) {
    case 0: return d.constant;
    case 1: return new Int8Array(buffer, d.data, d.capacity)[row];
    case 2: return new Int16Array(buffer, d.data, d.capacity)[row];
    case 4: return new Int32Array(buffer, d.data, d.capacity)[row];
    default: return new Float64Array(buffer, d.data, d.capacity)[row];
  }
}

export function codeAt(wasm: Wasm, column: number, row: number): number {
  const d = descriptor(wasm, column);
  const buffer = wasm.memory.buffer;
  if (d.width === 0) return 0;
  const Codes = d.width === 1 ? Uint8Array : d.width === 2 ? Uint16Array : Uint32Array;
  return new Codes(buffer, d.data, d.capacity)[row];
}

export function internText(wasm: Wasm, text: string): number {
  const bytes = new TextEncoder().encode(text);
  const pointer = wasm.scratch(bytes.length) >>> 0;
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  return wasm.intern(bytes.length) >>> 0;
}

export function stringAt(wasm: Wasm, id: number): string {
  const offsets = new Uint32Array(wasm.memory.buffer, wasm.stringOffsetsPtr() >>> 0, wasm.stringCount() + 1);
  const heap = wasm.stringHeapPtr() >>> 0;
  return new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, heap + offsets[id], offsets[id + 1] - offsets[id]));
}
