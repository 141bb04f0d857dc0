// The options of a Parquet write, checked and turned into parquet-wasm's writer properties —
// with the seal placeholders (seal.ts) every file memstore writes carries.
import type { Schema } from 'apache-arrow';
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

/**
 * Writer properties for tables of `schema`. No dictionary for the top-level columns that are not
 * Dictionary<Utf8>: the store already chose which strings are a small pool, and trying a
 * dictionary on ids, numbers and free text costs arrow-rs ~20% of the write and grows the file
 * when it falls back (1M cargo records: 7.9 → 6.2 MiB with snappy). Nested columns keep arrow-rs's
 * choice (dictionary, plain past 1 MiB of dictionary): parquet-wasm 0.8 takes a column path as
 * one name, so only top-level columns can be set apart. Statistics per column chunk (as DuckDB
 * writes them), not per page: the page index costs another ~15% of the write. Data pages stay
 * version 1, which every engine reads.
 */
export function writerProperties(libraries: ParquetLibraries, options: Required<ParquetWriteOptions>, schema: Schema): WriterProperties {
  const { Compression, EnabledStatistics, WriterPropertiesBuilder } = libraries.parquet;
  const codec = { uncompressed: Compression.UNCOMPRESSED, snappy: Compression.SNAPPY, gzip: Compression.GZIP, brotli: Compression.BROTLI, zstd: Compression.ZSTD, lz4_raw: Compression.LZ4_RAW }[options.compression];
  let builder = new WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(options.rowGroupSize)
    .setStatisticsEnabled(EnabledStatistics.Chunk)
    .setCreatedBy(CREATED_BY_PREFIX + PLACEHOLDER)
    .setKeyValueMetadata(new Map([[SEAL_KEY, PLACEHOLDER]]));
  for (const field of schema.fields) if (!NESTED.has(field.type.typeId)) builder = builder.setColumnDictionaryEnabled(field.name, field.type.typeId === DICTIONARY);
  return builder.build();
}

/** Arrow's Type ids (apache-arrow's `Type` enum) as numbers: apache-arrow loads only with the Parquet libraries. */
const DICTIONARY = -1;
/** List, Struct, Union, FixedSizeList, Map, LargeList: columns of more than one Parquet leaf, or of a path of more than one name. */
const NESTED = new Set([12, 13, 14, 16, 17, 21]);
