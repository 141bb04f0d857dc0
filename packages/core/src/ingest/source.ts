// Every kind of byte stream a load accepts, as one async iterable of chunks.
import { argumentError } from '../util/argumentError';
import type { Chunk } from './parse';

/** A Node Readable, a web ReadableStream, or any (async) iterable of Uint8Array (or string) chunks. */
export type StreamSource = AsyncIterable<Chunk> | Iterable<Chunk> | ReadableStream<Chunk>;

/** What a stream argument takes, as argument errors say it. */
export const STREAM_SOURCES = 'a ReadableStream, a Node Readable or an (async) iterable of Uint8Array chunks';

/** Whether `value` is a source toChunks reads (its chunks are checked as they come). */
export function isStreamSource(value: unknown): value is StreamSource {
  if (value === null || typeof value !== 'object') return false;
  return typeof (value as ReadableStream<Chunk>).getReader === 'function' || Symbol.asyncIterator in value || Symbol.iterator in value;
}

/** `source`'s chunks; `argument` names it in the error when it is no stream. */
export function toChunks(source: StreamSource, argument: string): AsyncIterable<Chunk> | Iterable<Chunk> {
  if (!isStreamSource(source)) throw argumentError(argument, STREAM_SOURCES, source);
  // A web stream is read through its reader even where it is async-iterable: its iterator's
  // return() waits for a pending read, so an aborted load could not cancel a stalled stream.
  if (typeof (source as ReadableStream<Chunk>).getReader === 'function') return readAll(source as ReadableStream<Chunk>);
  return source as AsyncIterable<Chunk> | Iterable<Chunk>;
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
