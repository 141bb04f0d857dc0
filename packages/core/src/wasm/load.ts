// Compiles the embedded module once per JS realm and instantiates one instance (one memory)
// per store, so disposing a store lets the GC reclaim all of its memory.
import { wasmBase64 } from '@memstore/wasm/embedded';
import { Limit, type MemstoreExports } from './abi';

let compiled: Promise<WebAssembly.Module> | undefined;
const ASCII = new TextDecoder();

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  // atob exists in browsers and in Node ≥ 16, so no Buffer (and no Node built-in) is needed.
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function compileModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(decodeBase64(wasmBase64));
  return compiled;
}

export async function instantiate(maxPages: number = Limit.MaxPages): Promise<MemstoreExports> {
  const module = await compileModule();
  let memory: WebAssembly.Memory | null = null;
  const imports = {
    env: {
      /**
       * The parser's slow path for numbers its exact fast path cannot take (more than 2^53 or
       * an exponent beyond ±22): the literal's ASCII bytes through JS Number(), which is
       * exactly JSON.parse's conversion.
       */
      parseNumber(pointer: number, length: number): number {
        // The literal is ASCII, so UTF-8 decoding gives its characters; no argument list per
        // byte (String.fromCharCode.apply overflowed the call stack past ~125,000 digits).
        return Number(ASCII.decode(new Uint8Array(memory!.buffer, pointer >>> 0, length)));
      },
    },
  };
  const instance = await WebAssembly.instantiate(module, imports);
  const exports = instance.exports as unknown as MemstoreExports;
  memory = exports.memory;
  exports.init(maxPages);
  return exports;
}
