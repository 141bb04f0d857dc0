// Every kind of byte stream a load accepts, as one async iterable of chunks.
import type { Chunk } from './parse';

/** A Node Readable, a web ReadableStream, or any (async) iterable of Uint8Array (or string) chunks. */
export type StreamSource = AsyncIterable<Chunk> | Iterable<Chunk> | ReadableStream<Chunk>;

export function toChunks(source: StreamSource): AsyncIterable<Chunk> | Iterable<Chunk> {
  if (source === null || typeof source !== 'object') {
    throw new TypeError('A memstore stream source is a ReadableStream, a Node Readable or an (async) iterable of Uint8Array chunks.');
  }
  if (Symbol.asyncIterator in source || Symbol.iterator in source) return source as AsyncIterable<Chunk>;
  if (typeof (source as ReadableStream<Chunk>).getReader === 'function') return readAll(source as ReadableStream<Chunk>);
  throw new TypeError('A memstore stream source is a ReadableStream, a Node Readable or an (async) iterable of Uint8Array chunks.');
}

/** Browsers whose ReadableStream is not async-iterable yet. */
async function* readAll(stream: ReadableStream<Chunk>): AsyncIterable<Chunk> {
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
