// The Parquet library choice, measured: parquet-wasm and hyparquet-writer (+ hyparquet to read)
// write the same Arrow table — 1M cargo records and the 100k events feed — with snappy and zstd,
// against DuckDB's own COPY … TO of the same records. For each: write time and read time
// (medians after a warm-up), file size and its ratio to DuckDB's, whether the string columns
// are dictionary-encoded in the file (the footer's column chunk encodings), whether nesting is
// Parquet groups and LISTs, and the package's gzip size.
//   node dist/parquetLibraries.js [--cargo 1000000] [--events 100000] [--runs 3] [--row-group 122880]
//     [--writers memstore,parquet-wasm,hyparquet] [--out results/parquet-libraries.json]
// (--writers: the libraries measured, by the first word of their names; DuckDB always runs.)
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { fmtFixed, fmtInt, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, writeResults } from './cli';
import { DEFAULT_SEED, generateCargo } from './datasets';
import { eventSource } from './feeds/events';
import { recordsToArrow } from './parquet/arrowTable';
import { duckdbWriter } from './parquet/duckdbCopy';
import { type FooterFacts, footerFacts } from './parquet/footer';
import { type Codec, LIBRARIES, type ParquetLibrary } from './parquet/libraries';

const CODECS: readonly Codec[] = ['snappy', 'zstd'];
const WORKSPACE_MODULES = resolve(fileURLToPath(import.meta.url), '../../../../node_modules');

interface Row {
  dataset: string;
  writer: string;
  codec: Codec;
  writeMs: number | null;
  readMs: number | null;
  bytes: number | null;
  ratioToDuckdb: number | null;
  footer: FooterFacts | null;
  note?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed<T>(runs: number, run: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  let value = await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = await run();
    times.push(performance.now() - start);
  }
  return { ms: median(times), value };
}

/** gzip bytes of a package's files of the given extensions (the whole package: an upper bound of what a bundle ships). */
function packageGzipBytes(name: string, under: string, extensions: readonly string[]): number {
  // Found from the workspace's node_modules (parquet-wasm's exports map hides package.json).
  const root = join(WORKSPACE_MODULES, name, under);
  let total = 0;
  for (const entry of readdirSync(root, { recursive: true }) as string[]) {
    if (extensions.some((extension) => entry.endsWith(extension)) && !entry.endsWith('.d.ts')) total += gzipSync(readFileSync(join(root, entry))).length;
  }
  return total;
}

async function measureDataset(dataset: string, records: Record<string, unknown>[], runs: number, rowGroupSize: number, dir: string, libraries: readonly ParquetLibrary[]): Promise<Row[]> {
  process.stderr.write(`${dataset}: building the Arrow table…\n`);
  const input = recordsToArrow(records);
  const rows: Row[] = [];
  const duck = await duckdbWriter(records, dir, dataset);
  const duckBytes = new Map<Codec, number>();
  for (const codec of CODECS) {
    const file = join(dir, `${dataset}-duckdb-${codec}.parquet`);
    process.stderr.write(`${dataset}: DuckDB ${duck.version} ${codec}…\n`);
    const write = await timed(runs, () => duck.copy(file, codec, rowGroupSize));
    const read = await timed(runs, () => duck.read(file));
    const bytes = statSync(file).size;
    duckBytes.set(codec, bytes);
    const footer = footerFacts(readFileSync(file));
    rows.push({ dataset, writer: `DuckDB ${duck.version} COPY`, codec, writeMs: write.ms, readMs: read.ms, bytes, ratioToDuckdb: 1, footer, note: 'COPY of a DuckDB table (loaded from NDJSON, not timed); read = CREATE TABLE AS read_parquet' });
  }
  duck.close();
  for (const library of libraries) {
    for (const codec of CODECS) {
      process.stderr.write(`${dataset}: ${library.name} ${codec}…\n`);
      let written: Uint8Array | undefined;
      let writeMs: number;
      try {
        const write = await timed(runs, () => library.write(input, codec, rowGroupSize));
        written = write.value;
        writeMs = write.ms;
      } catch (error) {
        rows.push({ dataset, writer: library.name, codec, writeMs: null, readMs: null, bytes: null, ratioToDuckdb: null, footer: null, note: `write failed: ${(error as Error).message.slice(0, 120)}` });
        continue;
      }
      if (written === undefined) {
        rows.push({ dataset, writer: library.name, codec, writeMs: null, readMs: null, bytes: null, ratioToDuckdb: null, footer: null, note: `no ${codec} compressor built in` });
        continue;
      }
      const bytes = written;
      const read = await timed(runs, () => library.read(bytes));
      if (read.value !== records.length) throw new Error(`${library.name} read ${read.value} rows of ${records.length}`);
      rows.push({ dataset, writer: library.name, codec, writeMs: writeMs, readMs: read.ms, bytes: bytes.length, ratioToDuckdb: bytes.length / (duckBytes.get(codec) ?? Number.NaN), footer: footerFacts(bytes) });
    }
  }
  return rows;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['cargo', 'events', 'runs', 'row-group', 'writers', 'out']);
  const cargoCount = intFlag(args, 'cargo', 1_000_000);
  const eventCount = intFlag(args, 'events', 100_000);
  const runs = intFlag(args, 'runs', 3);
  const rowGroupSize = intFlag(args, 'row-group', 122_880);
  const writers = (stringFlag(args, 'writers') ?? 'memstore,parquet-wasm,hyparquet').split(',');
  const libraries = LIBRARIES.filter((library) => writers.some((writer) => library.name.replace('@memstore/core', 'memstore').startsWith(writer)));
  const machine = machineFacts();
  const dir = mkdtempSync(join(tmpdir(), 'memstore-parquet-'));
  const rows: Row[] = [];
  try {
    rows.push(...(await measureDataset(`cargo ${fmtInt(cargoCount)}`, generateCargo(cargoCount, DEFAULT_SEED) as unknown as Record<string, unknown>[], runs, rowGroupSize, dir, libraries)));
    const next = eventSource(DEFAULT_SEED);
    rows.push(...(await measureDataset(`events ${fmtInt(eventCount)}`, Array.from({ length: eventCount }, next), runs, rowGroupSize, dir, libraries)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const packages = {
    'parquet-wasm (esm: js + wasm)': packageGzipBytes('parquet-wasm', 'esm', ['.js', '.wasm']),
    'hyparquet + hyparquet-writer + hyparquet-compressors (src, unminified)':
      packageGzipBytes('hyparquet', 'src', ['.js']) + packageGzipBytes('hyparquet-writer', 'src', ['.js']) + packageGzipBytes('hyparquet-compressors', 'src', ['.js']),
  };
  const markdown = renderMarkdown(rows, packages, { cargoCount, eventCount, runs, rowGroupSize }, machineLine(machine));
  process.stdout.write(markdown);
  const written = writeResults(stringFlag(args, 'out'), 'parquet-libraries.json', { kind: 'parquet-libraries', machine, cargoCount, eventCount, runs, rowGroupSize, rows, packages, markdown }, markdown);
  process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
}

/** The choice these figures support (the reasons in full: packages/core/PARQUET.md). */
const CHOICE = [
  'Chosen: parquet-wasm, as `@memstore/core` uses it (the first rows): Arrow Tables in and out, so field and schema metadata',
  'survive (ARROW:schema) and Dictionary<Utf8> reads back as a dictionary; snappy and zstd; dictionary columns dictionary-',
  'encoded; structs as groups, arrays as LISTs; reads many times faster than hyparquet. Its cost: 1.6 MB gzip of WebAssembly,',
  'loaded on first use. Also looked at: @dsnp/parquetjs 1.9.3 (served without dist/, wants Node 24), parquetjs, parquetjs-lite,',
  'parquets (forks of one old code base), @loaders.gl/parquet (wraps these), @duckdb/duckdb-wasm (a whole database).',
].join('\n');

function renderMarkdown(rows: Row[], packages: Record<string, number>, settings: { cargoCount: number; eventCount: number; runs: number; rowGroupSize: number }, machine: string): string {
  const table = markdownTable(
    ['dataset', 'writer', 'codec', 'write ms', 'read ms', 'MiB', '× DuckDB', 'dict strings', 'groups / LISTs / JSON leaves', 'note'],
    rows.map((row) => [
      row.dataset,
      row.writer,
      row.codec,
      row.writeMs === null ? '—' : fmtInt(row.writeMs),
      row.readMs === null ? '—' : fmtInt(row.readMs),
      row.bytes === null ? '—' : fmtFixed(row.bytes / 2 ** 20, 2),
      row.ratioToDuckdb === null ? '—' : fmtFixed(row.ratioToDuckdb, 2),
      row.footer === null ? '—' : `${row.footer.dictionaryStringChunks}/${row.footer.stringChunks}`,
      row.footer === null ? '—' : `${row.footer.groups} / ${row.footer.lists} / ${row.footer.jsonLeaves}`,
      row.note ?? '',
    ]),
    'lllrrrrrll',
  );
  const sizes = markdownTable(
    ['package', 'gzip KiB'],
    Object.entries(packages).map(([name, bytes]) => [name, fmtFixed(bytes / 1024, 0)]),
    'lr',
  );
  return [
    `## Parquet libraries: ${fmtInt(settings.cargoCount)} cargo records, ${fmtInt(settings.eventCount)} events`,
    '',
    `Machine: ${machine}`,
    '',
    table,
    '',
    `Medians of ${settings.runs} runs after one warm-up; row groups of ${fmtInt(settings.rowGroupSize)} rows for every writer.`,
    'write: Arrow Table (in JS) → Parquet bytes in memory for the libraries (parquet-wasm includes the Arrow IPC hand-over',
    'into its WASM memory); DuckDB: COPY of its own table to a file. read: bytes → Arrow Table (parquet-wasm), → row objects',
    '(hyparquet), → a DuckDB table (DuckDB). dict strings: string column chunks whose footer encodings include',
    'RLE_DICTIONARY / PLAIN_DICTIONARY, of all string chunks (read with hyparquet\'s footer parser).',
    'groups / LISTs / JSON leaves: struct group nodes, LIST nodes, and JSON-annotated leaves in the file\'s schema.',
    '',
    sizes,
    '',
    CHOICE,
    '',
  ].join('\n');
}

runMain('parquetLibraries', main);
