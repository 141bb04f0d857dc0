// Every kind of byte stream a load accepts, as one async iterable of chunks.
import type { Chunk } from './parse';

/** A Node Readable, a web ReadableStream, or any (async) iterable of Uint8Array (or string) chunks. */
export type StreamSource = AsyncIterable<Chunk> | Iterable<Chunk> | ReadableStream<Chunk>;

export function toChunks(source: StreamSource): AsyncIterable<Chunk> | Iterable<Chunk> {
  if (source === null || typeof source !== 'object') {
    throw new TypeError('A memstore stream source is a ReadableStream, a Node Readable or an (async) iterable of Uint8Array chunks.');
  }
  // A web stream is read through its reader even where it is async-iterable: its iterator's
  // return() waits for a pending read, so an aborted load could not cancel a stalled stream.
  if (typeof (source as ReadableStream<Chunk>).getReader === 'function') return readAll(source as ReadableStream<Chunk>);
  if (Symbol.asyncIterator in source || Symbol.iterator in source) return source as AsyncIterable<Chunk>;
  throw new TypeError('A memstore stream source is a ReadableStream, a Node Readable or an (async) iterable of Uint8Array chunks.');
}

/** A web stream's chunks; return() cancels the stream at once, even during a pending read. */
function readAll(stream: ReadableStream<Chunk>): AsyncIterable<Chunk> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Chunk> {
      const reader = stream.getReader();
      let open = true;
      const close = (): void => {
        if (!open) return;
        open = false;
        reader.cancel().catch(() => undefined);
        reader.releaseLock();
      };
      return {
        async next(): Promise<IteratorResult<Chunk>> {
          if (!open) return { done: true, value: undefined };
          const { done, value } = await reader.read();
          if (done) {
            open = false;
            reader.releaseLock();
            return { done: true, value: undefined };
          }
          return { done: false, value };
        },
        async return(): Promise<IteratorResult<Chunk>> {
          close();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
