// The Parquet libraries, loaded on first use: parquet-wasm (arrow-rs's Parquet reader and
// writer compiled to WebAssembly, ~1.6 MB gzip), apache-arrow (the Table the module speaks) and
// hyparquet (a small pure-JS footer and page-header parser the validation reads with). Dynamic
// imports keep all three out of a page's bundle until a Parquet file is written or read.
import type * as Arrow from 'apache-arrow';
import type * as ParquetWasm from 'parquet-wasm';
import { MemstoreError } from '../errors';

export interface ParquetLibraries {
  arrow: typeof Arrow;
  parquet: typeof ParquetWasm;
  hyparquet: typeof import('hyparquet');
  pageHeader: typeof import('hyparquet/src/column.js').parquetHeader;
}

let loading: Promise<ParquetLibraries> | undefined;

/** The three libraries, instantiated once per realm (parquet-wasm's module is compiled on the first call). */
export function parquetLibraries(): Promise<ParquetLibraries> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw new MemstoreError('UNSUPPORTED', `Cannot load the Parquet libraries (parquet-wasm, apache-arrow, hyparquet): ${(error as Error).message}`, { cause: error });
  });
  return loading;
}

async function load(): Promise<ParquetLibraries> {
  const [arrow, parquetModule, hyparquet, column] = await Promise.all([import('apache-arrow'), import('parquet-wasm'), import('hyparquet'), import('hyparquet/src/column.js')]);
  // In Node the package's "node" build instantiates itself when imported (a CommonJS module:
  // its exports arrive as `default`); the browser (ESM) build exports an init function as
  // `default` that fetches parquet_wasm_bg.wasm from beside itself.
  const candidate = parquetModule as unknown as { default?: unknown };
  let parquet = parquetModule as typeof ParquetWasm;
  if (typeof candidate.default === 'function') await (candidate.default as () => Promise<unknown>)();
  else if (candidate.default !== undefined && typeof (candidate.default as typeof ParquetWasm).writeParquet === 'function') parquet = candidate.default as typeof ParquetWasm;
  return { arrow, parquet, hyparquet, pageHeader: column.parquetHeader };
}
