// `memstore convert <in> -o <out>`: any format Store.fromFile reads into any the store writes,
// streamed both ways (the records live in the store's WASM memory, not the JS heap): JSON (always an
// array of records), NDJSON, .msx, Arrow IPC, Parquet, or a Hive-partitioned Parquet folder.
import { stat } from 'node:fs/promises';
import type { ParquetCompression, Store } from '@memstore/core';
import { openStore } from '../open';
import { UsageError } from '../text/errors';
import { formatOf, type OutputFormat } from '../text/formats';
import { fmtBytes, fmtInt } from '../text/numbers';
import type { Progress } from '../text/progress';

export interface ConvertOptions {
  output: string;
  pointer?: string;
  partitionBy?: string;
  compression?: string;
}

const COMPRESSIONS: readonly ParquetCompression[] = ['uncompressed', 'snappy', 'gzip', 'brotli', 'zstd', 'lz4_raw'];

export async function convertCommand(input: string, options: ConvertOptions, progress: Progress): Promise<string> {
  const format: OutputFormat = options.partitionBy !== undefined ? 'parquet' : formatOf(options.output);
  if (options.compression !== undefined && format !== 'parquet') throw new UsageError('--compression applies to Parquet output');
  if (options.compression !== undefined && !(COMPRESSIONS as readonly string[]).includes(options.compression)) throw new UsageError(`--compression: one of ${COMPRESSIONS.join(', ')}`);
  const store = await openStore(input, { pointer: options.pointer, progress });
  try {
    progress.update(`writing ${options.output}`, 0);
    const written = await write(store, format, options);
    progress.end();
    return `${options.output}: ${fmtInt(store.length)} records, ${written}\n`;
  } finally {
    store.dispose();
  }
}

async function write(store: Store, format: OutputFormat, options: ConvertOptions): Promise<string> {
  const { output } = options;
  const parquet = options.compression === undefined ? undefined : { compression: options.compression as ParquetCompression };
  if (options.partitionBy !== undefined) {
    const partitionBy = options.partitionBy.split(',').map((path) => path.trim()).filter((path) => path !== '');
    if (partitionBy.length === 0) throw new UsageError('--partition-by needs one or more paths, separated by commas');
    const files = await store.writeDataset(output, { partitionBy, ...parquet });
    return `${fmtInt(files.length)} Parquet files in ${output}/`;
  }
  switch (format) {
    case 'json':
    case 'ndjson':
      await store.writeJSON(output, { format });
      break;
    case 'msx':
      await store.save(output);
      break;
    case 'arrow':
      await store.writeArrow(output);
      break;
    case 'parquet':
      await store.toParquet(output, parquet);
      break;
  }
  return fmtBytes((await stat(output)).size);
}
