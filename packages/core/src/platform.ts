// Node-only abilities (files) are installed by the `node` entry (src/node.ts), so the default
// (browser) entry never imports a Node built-in.
import { MemstoreUnsupportedError } from './errors';

export interface Platform {
  /** A file's size and its bytes as a stream of chunks. Throws MemstoreError code 'IO' when unreadable. */
  openFile(path: string): Promise<{ size: number; chunks: AsyncIterable<Uint8Array> }>;
  /** Writes `chunks` to a file as they come (each awaited before the next is asked for). Throws MemstoreError code 'IO'. */
  writeFile(path: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void>;
}

let installed: Platform | null = null;

export function installPlatform(platform: Platform): void {
  installed = platform;
}

export function platform(feature: string): Platform {
  if (installed === null) {
    throw new MemstoreUnsupportedError(`${feature} needs Node.js (it reads files); in a browser, fetch the data and use Store.fromStream(response.body) or Store.fromJSON.`);
  }
  return installed;
}
