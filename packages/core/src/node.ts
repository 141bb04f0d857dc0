// @memstore/core for Node.js (package `exports` condition "node"): the default entry's API
// (re-exported whole), with Store.fromFile able to read files, and Arrow installed.
import { stat } from 'node:fs/promises';
import { MemstoreError } from './errors';
import { installPlatform } from './platform';
import { sliceBytesFor } from './ingest/parse';
import { fileChunks, openRandomAccess, writeFileAtomic } from './persist/nodeFiles';
import { writeParquetFile } from './parquet/fileWriter';
import { writeDataset } from './parquet/dataset';
// Node has the room for Apache Arrow JS: every Store gets its Arrow methods (a browser imports '@memstore/core/arrow').
import { arrowImplementation } from './arrow/implementation';
import { installArrow } from './arrow/support';

installArrow(arrowImplementation);
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
    return { size, chunks: fileChunks(path, sliceBytesFor(size)) };
  },
  openRandomAccess,
  writeFileAtomic,
  writeParquetFile,
  writeDataset,
});

export * from './index';
export { readParquet } from './parquet/read';
export { writeParquet } from './parquet/write';
export { writeParquetFile } from './parquet/fileWriter';
export type { TableSource } from './parquet/fileWriter';
export { writeDataset, escapePathName, HIVE_DEFAULT_PARTITION } from './parquet/dataset';
export type { DatasetPartition, PartitionValue } from './parquet/dataset';
