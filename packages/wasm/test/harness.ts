// Loads build/memstore.wasm straight from disk and types the few exports these ABI tests use.
import { readFileSync } from 'node:fs';

export interface Wasm {
  memory: WebAssembly.Memory;
  init(maxPages: number): void;
  reserve(bytes: number): number;
  scratch(bytes: number): number;
  intern(length: number): number;
  stringCount(): number;
  stringHeapPtr(): number;
  stringOffsetsPtr(): number;
  columnCreate(type: number, capacity: number, width: number, dictCapacity: number): number;
  columnBytes(column: number): number;
  appendNull(column: number): number;
  appendMissing(column: number): number;
  appendStruct(column: number): number;
  appendList(column: number, count: number): number;
  appendBool(column: number, value: number): number;
  appendInt(column: number, value: number): number;
  appendFloat64(column: number, value: number): number;
  appendString(column: number, id: number): number;
  appendMixed(column: number, tag: number, payload: number): number;
  widenInt(column: number, width: number, signed: number): number;
  widenToFloat(column: number): number;
  finishIngest(): void;
  arenaAllocate(bytes: number): number;
  arenaTop(): number;
  arenaFreeBytes(): number;
}

export const TYPE = { Null: 0, Struct: 1, List: 2, Bool: 3, Int: 4, Float64: 5, String: 6, Mixed: 7 } as const;
export const OK = 0;
export const OUT_OF_MEMORY = 1;
export const WRONG_TYPE = 2;

const module = new WebAssembly.Module(readFileSync(new URL('../build/memstore.wasm', import.meta.url)));

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

/** Descriptor fields as u32 words. */
export function descriptor(wasm: Wasm, column: number) {
  const words = new Uint32Array(wasm.memory.buffer, column >>> 0, 16);
  return {
    type: words[0], width: words[1], length: words[2], capacity: words[3], data: words[4],
    nulls: words[5], missing: words[6], nullCount: words[7], missingCount: words[8],
    constant: words[9] | 0, dict: words[10], dictLength: words[11], payload: words[15],
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
