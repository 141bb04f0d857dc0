// @memstore/core for Node.js (package `exports` condition "node"): the default entry's API
// (re-exported whole), with Store.fromFile able to read files, and Arrow installed.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MemstoreError } from './errors';
import { installPlatform } from './platform';
import { sliceBytesFor } from './ingest/parse';
// Node has the room for Apache Arrow JS: every Store gets its Arrow methods (a browser imports '@memstore/core/arrow').
import './arrow/index';

installPlatform({
  openFile: async (path) => {
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      size = info.size;
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new MemstoreError('IO', `Cannot read ${path}: ${reason}.`, { cause: error });
    }
    // Chunks of up to 1 MiB: large enough to keep the parser's per-call cost negligible, and
    // smaller for small files (the parser's input buffer is sized by them).
    return { size, chunks: createReadStream(path, { highWaterMark: sliceBytesFor(size) }) };
  },
  writeFile: async (path, chunks) => {
    try {
      // pipeline waits for the file to take each chunk (backpressure) before pulling the next.
      await pipeline(Readable.from(chunks, { highWaterMark: 1 }), createWriteStream(path));
    } catch (error) {
      if (error instanceof MemstoreError) throw error;
      throw new MemstoreError('IO', `Cannot write ${path}: ${(error as Error).message}.`, { cause: error });
    }
  },
});

export * from './index';
