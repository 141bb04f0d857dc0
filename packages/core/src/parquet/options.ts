// The options of a Parquet write, checked and turned into parquet-wasm's writer properties —
// with the seal placeholders (seal.ts) every file memstore writes carries.
import type { WriterProperties } from 'parquet-wasm';
import { argumentError, optionsObject } from '../util/argumentError';
import type { ParquetLibraries } from './library';
import { CREATED_BY_PREFIX, PLACEHOLDER, SEAL_KEY } from './seal';

/** Parquet's codecs, named as DuckDB's COPY names them. */
export type ParquetCompression = 'uncompressed' | 'snappy' | 'gzip' | 'brotli' | 'zstd' | 'lz4_raw';

export interface ParquetWriteOptions {
  /** The codec of every column chunk (default 'snappy', what DuckDB and Spark write by default). */
  compression?: ParquetCompression;
  /** The most rows in a row group (default 122,880, DuckDB's). */
  rowGroupSize?: number;
}

const CODECS = ['uncompressed', 'snappy', 'gzip', 'brotli', 'zstd', 'lz4_raw'] as const;
export const DEFAULT_ROW_GROUP_SIZE = 122_880;

/** The options with their defaults, or a MemstoreInputError naming the one that is wrong. */
export function parquetWriteOptions(options: ParquetWriteOptions | undefined, method: string): Required<ParquetWriteOptions> {
  const given = optionsObject(options);
  const compression = given.compression ?? 'snappy';
  if (!(CODECS as readonly string[]).includes(compression)) throw argumentError('options.compression', CODECS.map((codec) => `'${codec}'`).join(', '), compression, method);
  const rowGroupSize = given.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isSafeInteger(rowGroupSize) || rowGroupSize < 1) throw argumentError('options.rowGroupSize', 'a positive integer', rowGroupSize, method);
  return { compression, rowGroupSize };
}

export function writerProperties(libraries: ParquetLibraries, options: Required<ParquetWriteOptions>): WriterProperties {
  const { Compression, WriterPropertiesBuilder } = libraries.parquet;
  const codec = { uncompressed: Compression.UNCOMPRESSED, snappy: Compression.SNAPPY, gzip: Compression.GZIP, brotli: Compression.BROTLI, zstd: Compression.ZSTD, lz4_raw: Compression.LZ4_RAW }[options.compression];
  return new WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(options.rowGroupSize)
    .setCreatedBy(CREATED_BY_PREFIX + PLACEHOLDER)
    .setKeyValueMetadata(new Map([[SEAL_KEY, PLACEHOLDER]]))
    .build();
}
