// Load speed: a file of 1M cargo records (compact JSON array, and NDJSON) loaded three ways,
// each run in a FRESH child process (measure/load.ts), so peak RSS is per method:
//   memstore    Store.fromFile(file)                                 → a ready store
//   json-parse  readFileSync(utf8) + JSON.parse (NDJSON: per line)   → an array of objects
//   duckdb      CREATE TABLE t AS SELECT * FROM read_json_auto(file) → a table in a new in-memory DB
//   node dist/ingest.js [--count 1000000] [--seed N] [--runs 3] [--dir DIR] [--out results/ingest.json]
//                       [--formats json,ndjson] [--duckdb-format explicit|auto]
// The files are generated once into DIR (default: <os tmpdir>/memstore-bench-cargo-<count>-<seed>)
// and reused by later runs. Runs are interleaved (run 1 of every method, then run 2, …); the
// median of --runs is reported. Targets (reported, never enforced): memstore ≥ 3× JSON.parse's
// MB/s and faster than DuckDB, for both formats.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fmtFixed, fmtInt, fmtMiB, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, UsageError, writeResults } from './cli';
import { DEFAULT_SEED } from './datasets';
import { ensureCargoFile, type CargoFile, type FileFormat } from './measure/cargoFile';
import { measureLoad, type LoadMethod, type LoadResult } from './measure/load';

export const TARGET_VS_JSON_PARSE = 3;
const METHODS = ['memstore', 'json-parse', 'duckdb'] as const satisfies readonly LoadMethod[];
const FORMATS = ['json', 'ndjson'] as const satisfies readonly FileFormat[];
const WARM_UP_RECORDS = 10_000;

export interface MethodSummary {
  format: FileFormat;
  method: (typeof METHODS)[number];
  fileBytes: number;
  records: number;
  medianMs: number;
  /** 10^6 bytes of the file / seconds. */
  mbPerSecond: number;
  /** JSON.parse's median ms / this median ms (> 1: faster than JSON.parse). */
  speedupVsJsonParse: number | null;
  /** DuckDB's median ms / this median ms (> 1: faster than DuckDB). */
  speedupVsDuckdb: number | null;
  medianMaxRssBytes: number;
  runs: LoadResult[];
  store?: { totalBytes: number; reservedBytes: number };
  duckdb?: LoadResult['duckdb'];
}

export interface IngestTarget {
  format: FileFormat;
  vsJsonParse: number | null;
  vsDuckdb: number | null;
  metVsJsonParse: boolean | null;
  metVsDuckdb: boolean | null;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['count', 'seed', 'runs', 'dir', 'out', 'formats', 'duckdb-format']);
  const count = intFlag(args, 'count', 1_000_000);
  const seed = intFlag(args, 'seed', DEFAULT_SEED);
  const runs = intFlag(args, 'runs', 3);
  const dir = resolve(stringFlag(args, 'dir') ?? join(tmpdir(), `memstore-bench-cargo-${count}-${seed}`));
  const formats = (stringFlag(args, 'formats') ?? FORMATS.join(',')).split(',').map((f) => f.trim()) as FileFormat[];
  for (const format of formats) if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format ${format} (known: ${FORMATS.join(', ')})`);
  const duckdbFormat = stringFlag(args, 'duckdb-format') ?? 'explicit';
  if (duckdbFormat !== 'auto' && duckdbFormat !== 'explicit') throw new UsageError('--duckdb-format is auto or explicit');

  // Taken first: the load average then is other work's, not this benchmark's.
  const machine = machineFacts();
  mkdirSync(dir, { recursive: true });
  const files = new Map<FileFormat, { data: CargoFile & { reused: boolean }; warmUp: CargoFile }>();
  for (const format of formats) {
    const ext = format === 'json' ? 'json' : 'ndjson';
    process.stderr.write(`data: ${fmtInt(count)} records as ${format} in ${dir}…`);
    const data = ensureCargoFile(join(dir, `cargo.${ext}`), format, count, seed);
    const warmUp = ensureCargoFile(join(dir, `warm-up.${ext}`), format, Math.min(count, WARM_UP_RECORDS), seed);
    process.stderr.write(` ${data.reused ? 'reused' : 'written'} (${fmtMiB(data.bytes)} MiB)\n`);
    files.set(format, { data, warmUp });
  }

  const summaries: MethodSummary[] = [];
  for (const format of formats) {
    const { data, warmUp } = files.get(format)!;
    const results = new Map<LoadMethod, LoadResult[]>(METHODS.map((method) => [method, []]));
    for (let run = 1; run <= runs; run++) {
      for (const method of METHODS) {
        process.stderr.write(`${format} run ${run}/${runs}: ${method} (fresh child)…`);
        const result = await measureLoad({ method, file: data.path, format, warmUpFile: warmUp.path, duckdbExplicitFormat: duckdbFormat === 'explicit' });
        process.stderr.write(` ${fmtInt(result.ms)} ms, peak RSS ${fmtMiB(result.maxRssBytes)} MiB\n`);
        results.get(method)!.push(result);
      }
    }
    const medianMs = new Map(METHODS.map((method) => [method, median(results.get(method)!.map((r) => r.ms))]));
    for (const method of METHODS) {
      const list = results.get(method)!;
      const ms = medianMs.get(method)!;
      const medianRun = [...list].sort((a, b) => a.ms - b.ms)[(list.length - 1) >> 1];
      summaries.push({
        format,
        method,
        fileBytes: data.bytes,
        records: medianRun.records,
        medianMs: ms,
        mbPerSecond: data.bytes / 1e6 / (ms / 1000),
        speedupVsJsonParse: method === 'json-parse' ? null : medianMs.get('json-parse')! / ms,
        speedupVsDuckdb: method === 'duckdb' ? null : medianMs.get('duckdb')! / ms,
        medianMaxRssBytes: median(list.map((r) => r.maxRssBytes)),
        runs: list,
        ...(medianRun.store ? { store: medianRun.store } : {}),
        ...(medianRun.duckdb ? { duckdb: medianRun.duckdb } : {}),
      });
    }
  }

  // Every run of every method must have loaded the same records.
  const facts = new Set(summaries.flatMap((s) => s.runs.map((r) => `${r.records}/${r.quantitySum}`)));
  const consistent = facts.size === 1 && summaries.every((s) => s.records === count);

  const targets: IngestTarget[] = formats.map((format) => {
    const memstore = summaries.find((s) => s.format === format && s.method === 'memstore')!;
    return {
      format,
      vsJsonParse: memstore.speedupVsJsonParse,
      vsDuckdb: memstore.speedupVsDuckdb,
      metVsJsonParse: memstore.speedupVsJsonParse === null ? null : memstore.speedupVsJsonParse >= TARGET_VS_JSON_PARSE,
      metVsDuckdb: memstore.speedupVsDuckdb === null ? null : memstore.speedupVsDuckdb > 1,
    };
  });

  const markdown = renderMarkdown(summaries, targets, count, seed, runs, machineLine(machine), consistent);
  process.stdout.write(markdown);
  const written = writeResults(
    stringFlag(args, 'out'),
    'ingest.json',
    { kind: 'ingest', machine, count, seed, runs, warmUpRecords: WARM_UP_RECORDS, dir, duckdbFormat, consistent, targets, summaries, markdown },
    markdown,
  );
  process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
  if (!consistent) throw new Error(`the methods loaded different data: ${[...facts].join(', ')} (records/sum of quantity.value)`);
}

const METHOD_LABEL: Record<(typeof METHODS)[number], string> = {
  memstore: 'memstore Store.fromFile',
  'json-parse': 'readFileSync + JSON.parse',
  duckdb: 'DuckDB read_json_auto',
};

function renderMarkdown(summaries: MethodSummary[], targets: IngestTarget[], count: number, seed: number, runs: number, machine: string, consistent: boolean): string {
  const ratio = (value: number | null) => (value === null ? '—' : `${fmtFixed(value, 2)}×`);
  const table = markdownTable(
    ['format', 'method', 'file MB', 'median ms', 'MB/s', 'speed vs JSON.parse', 'speed vs DuckDB', 'peak RSS MiB', 'runs ms'],
    summaries.map((s) => [
      s.format,
      METHOD_LABEL[s.method],
      fmtFixed(s.fileBytes / 1e6, 1),
      fmtInt(s.medianMs),
      fmtFixed(s.mbPerSecond, 1),
      ratio(s.speedupVsJsonParse),
      ratio(s.speedupVsDuckdb),
      fmtMiB(s.medianMaxRssBytes),
      s.runs.map((r) => fmtInt(r.ms)).join(', '),
    ]),
    'llrrrrrrr',
  );
  const storeLines = summaries
    .filter((s) => s.store !== undefined)
    .map(
      (s) =>
        `- ${s.format}: store.memory() totalBytes ${fmtInt(s.store!.totalBytes)} (${fmtFixed(s.store!.totalBytes / s.records, 2)} B/record), ` +
        `reservedBytes ${fmtInt(s.store!.reservedBytes)} (${fmtMiB(s.store!.reservedBytes)} MiB)`,
    );
  const ducks = summaries.filter((s) => s.duckdb !== undefined);
  const duck = ducks[0]?.duckdb;
  const targetLines = targets.map((t) => {
    const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'MET' : 'NOT MET');
    return (
      `- ${t.format}: memstore ≥ ${TARGET_VS_JSON_PARSE}× JSON.parse's MB/s: ${verdict(t.metVsJsonParse)} (${ratio(t.vsJsonParse)}); ` +
      `faster than DuckDB: ${verdict(t.metVsDuckdb)} (${ratio(t.vsDuckdb)})`
    );
  });
  return [
    `## Ingest: ${fmtInt(count)} cargo records from a file (seed ${seed})`,
    '',
    `Machine: ${machine}`,
    '',
    table,
    '',
    `Each run is a fresh \`node\` child: one warm-up load of a ${fmtInt(WARM_UP_RECORDS)}-record file of the same format with the same`,
    `method, then the timed load; median of ${runs} runs (interleaved across methods). MB/s = 10^6 bytes of the file / s.`,
    'Peak RSS = the child\'s process.resourceUsage().maxRSS (median of the runs), warm-up and Node itself included.',
    'JSON.parse on NDJSON = readFileSync(utf8), split on \\n, one JSON.parse per line into an array.',
    duck
      ? `DuckDB ${duck.version}, ${duck.threads} threads (memstore and JSON.parse use one), into a new in-memory database (the time includes ` +
        `creating it and a connection): ${ducks.map((s) => `${s.format} \`${s.duckdb!.sql}\``).join('; ')}.`
      : '',
    '',
    'memstore store.memory():',
    ...storeLines,
    '',
    '**Targets:**',
    ...targetLines,
    consistent ? '' : '\n**Warning:** the methods loaded different data.',
    '',
  ].join('\n');
}

runMain('ingest', main);
