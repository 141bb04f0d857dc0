// Load speed and peak memory of one method on one file, in a FRESH child process
// (`node [flags] dist/measure/load-child.js <spec JSON>`), so each child's peak RSS
// (process.resourceUsage().maxRSS) belongs to that method alone. Used by ingest.ts and bigfile.ts.
//
// In the child: a warm-up load of a small twin file with the same method (when one is given;
// it pays the WASM compile / JIT / DuckDB library load, and is dropped), then the timed load,
// then the checks (record count, sum of quantity.value) after the timer stopped.
import { fork } from 'node:child_process';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Store } from '@memstore/core';
import { builtScript, MeasureError } from './fork';
import type { FileFormat } from './cargoFile';

export type LoadMethod =
  /** Store.fromFile: streamed through the WASM parser into columns. */
  | 'memstore'
  /** readFileSync(utf8) + JSON.parse (NDJSON: split lines, one JSON.parse per line). */
  | 'json-parse'
  /** CREATE TABLE t AS SELECT * FROM read_json_auto(file) in a new in-memory DuckDB. */
  | 'duckdb'
  /** bigfile's failure demos: JSON.parse(readFileSync(file, 'utf8')) of the whole file… */
  | 'json-parse-whole'
  /** …and readline + one JSON.parse per line, every record kept in an array. */
  | 'json-parse-stream';

export interface LoadSpec {
  method: LoadMethod;
  file: string;
  format: FileFormat;
  /** A small file of the same format, loaded once (and dropped) before the timed load. */
  warmUpFile?: string;
  /** Print progress to stderr about every 10% of the file. */
  progress?: boolean;
  /** DuckDB: pass format explicitly (`format = 'array'` / `'newline_delimited'`) instead of auto-detecting it. */
  duckdbExplicitFormat?: boolean;
  /** Skip the sum check (bigfile: it would only add time). */
  skipChecks?: boolean;
}

export interface LoadResult {
  method: LoadMethod;
  format: FileFormat;
  file: string;
  fileBytes: number;
  /** Start of the load call to a ready store / array / table. */
  ms: number;
  records: number;
  /** Sum of quantity.value over the loaded records (null when skipped). */
  quantitySum: number | null;
  /** process.resourceUsage().maxRSS × 1024: the child's peak resident set. */
  maxRssBytes: number;
  /** memstore: store.memory(). */
  store?: { totalBytes: number; reservedBytes: number };
  duckdb?: { version: string; threads: number; sql: string; setupMs: number };
  warmUpMs?: number;
}

type ChildMessage =
  | { ok: true; result: LoadResult }
  | { ok: false; name?: string; code?: string; message: string; stack?: string; /** Peak RSS up to the failure. */ maxRssBytes: number };

// ---- parent side ------------------------------------------------------------------------------

export interface ChildOutcome {
  message: ChildMessage | undefined;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The child's stderr (also forwarded to ours as it comes), last 64 KiB. */
  stderr: string;
  /** The child was killed after `timeoutMs`. */
  timedOut: boolean;
}

/** Runs one load in a fresh child; resolves with whatever happened (also when the child died). */
export function runLoadChild(spec: LoadSpec, execArgv: string[] = [], options: { timeoutMs?: number; forwardStderr?: boolean } = {}): Promise<ChildOutcome> {
  const { timeoutMs, forwardStderr = true } = options;
  return new Promise((done, reject) => {
    const child = fork(builtScript('measure/load-child.js'), [JSON.stringify(spec)], {
      execArgv,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      if (forwardStderr) process.stderr.write(text);
      stderr = (stderr + text).slice(-65536);
    });
    let message: ChildMessage | undefined;
    child.on('message', (received) => {
      message = received as ChildMessage;
    });
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      done({ message, exitCode, signal, stderr, timedOut });
    });
  });
}

/** Runs one load in a fresh child and returns its result; a failure in the child rejects. */
export async function measureLoad(spec: LoadSpec, execArgv: string[] = []): Promise<LoadResult> {
  const outcome = await runLoadChild(spec, execArgv);
  if (outcome.message?.ok === true) return outcome.message.result;
  if (outcome.message?.ok === false) throw new MeasureError(`${spec.method}: ${outcome.message.message}`, outcome.message.name, outcome.message.stack);
  throw new Error(`the ${spec.method} child exited with ${outcome.signal ?? `code ${outcome.exitCode}`} before reporting`);
}

// ---- child side -------------------------------------------------------------------------------

/** Keeps the loaded data reachable until the result is sent. */
let held: unknown = null;

interface Loaded {
  value: unknown;
  /** performance.now() when the store / array / table was ready (before any check). */
  readyAt: number;
  records: number;
  quantitySum: () => Promise<number> | number;
  store?: LoadResult['store'];
  duckdb?: LoadResult['duckdb'];
  dispose: () => void;
}

interface PlainCargo {
  quantity?: { value?: number };
}

function sumPlain(records: readonly PlainCargo[]): number {
  let sum = 0;
  for (let i = 0; i < records.length; i++) sum += records[i]?.quantity?.value ?? 0;
  return sum;
}

function progressPrinter(label: string, totalBytes: number): (bytesRead: number, records: number) => void {
  let nextDecile = 1;
  const started = performance.now();
  return (bytesRead, records) => {
    while (bytesRead >= (totalBytes * nextDecile) / 10 && nextDecile <= 10) {
      const seconds = (performance.now() - started) / 1000;
      const rss = process.memoryUsage.rss();
      process.stderr.write(
        `  ${label}: ${nextDecile * 10}% (${(bytesRead / 2 ** 20).toFixed(0)} MiB, ${records.toLocaleString('en-US')} records, ` +
          `${seconds.toFixed(1)} s, RSS ${(rss / 2 ** 20).toFixed(0)} MiB, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB)\n`,
      );
      nextDecile++;
    }
  };
}

function prefixed(error: unknown, step: string): Error {
  const e = error instanceof Error ? error : new Error(String(error));
  e.message = `${step}: ${e.message}`;
  return e;
}

async function load(spec: LoadSpec, file: string, progress: boolean): Promise<Loaded> {
  const size = statSync(file).size;
  switch (spec.method) {
    case 'memstore': {
      const print = progress ? progressPrinter('memstore', size) : null;
      const store = await Store.fromFile<PlainCargo>(file, {
        format: spec.format,
        onProgress: print === null ? undefined : (p) => print(p.bytesRead, p.records),
      });
      const readyAt = performance.now();
      const { totalBytes, reservedBytes } = store.memory();
      return { value: store, readyAt, records: store.length, quantitySum: () => store.sum('quantity.value'), store: { totalBytes, reservedBytes }, dispose: () => store.dispose() };
    }
    case 'json-parse-whole': {
      // The failure demo: which step fails (reading the file into one string, or parsing it) is named.
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw prefixed(error, 'readFileSync(file, "utf8")');
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw prefixed(error, 'JSON.parse');
      }
      const records = Array.isArray(parsed) ? (parsed as PlainCargo[]) : [parsed as PlainCargo];
      return { value: records, readyAt: performance.now(), records: records.length, quantitySum: () => sumPlain(records), dispose: () => {} };
    }
    case 'json-parse': {
      const text = readFileSync(file, 'utf8');
      let records: PlainCargo[];
      if (spec.format === 'json') {
        const parsed = JSON.parse(text) as unknown;
        records = Array.isArray(parsed) ? (parsed as PlainCargo[]) : [parsed as PlainCargo];
      } else {
        const lines = text.split('\n');
        records = [];
        for (let i = 0; i < lines.length; i++) if (lines[i].length > 0) records.push(JSON.parse(lines[i]) as PlainCargo);
      }
      return { value: records, readyAt: performance.now(), records: records.length, quantitySum: () => sumPlain(records), dispose: () => {} };
    }
    case 'json-parse-stream': {
      // Progress every 2^18 records (it dies long before 10% of a file larger than its heap).
      const print = progress
        ? (bytesRead: number, records: number) =>
            process.stderr.write(
              `  readline + JSON.parse: ${records.toLocaleString('en-US')} records, ${(bytesRead / 2 ** 20).toFixed(0)} MiB ` +
                `(${((100 * bytesRead) / size).toFixed(1)}%), heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB\n`,
            )
        : null;
      const records: PlainCargo[] = [];
      held = records;
      let bytes = 0;
      const lines = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
      for await (const line of lines) {
        bytes += line.length + 1;
        if (line.length > 0) records.push(JSON.parse(line) as PlainCargo);
        if (print !== null && (records.length & 0x3ffff) === 0) print(bytes, records.length);
      }
      return { value: records, readyAt: performance.now(), records: records.length, quantitySum: () => sumPlain(records), dispose: () => {} };
    }
    case 'duckdb': {
      const { DuckDBInstance, version } = await import('@duckdb/node-api');
      const started = performance.now();
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const setupMs = performance.now() - started;
      const formatOption = spec.duckdbExplicitFormat ? `, format = '${spec.format === 'json' ? 'array' : 'newline_delimited'}'` : '';
      const sql = `CREATE TABLE t AS SELECT * FROM read_json_auto('${file.replace(/'/g, "''")}'${formatOption})`;
      await connection.run(sql);
      const readyAt = performance.now();
      const count = Number((await connection.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0]);
      const threads = Number((await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);
      return {
        value: instance,
        readyAt,
        records: count,
        quantitySum: async () => Number((await connection.runAndReadAll('SELECT sum(quantity.value) FROM t')).getRows()[0][0]),
        duckdb: { version: version(), threads, sql: sql.replace(file.replace(/'/g, "''"), '<file>'), setupMs },
        dispose: () => {
          connection.closeSync();
          instance.closeSync();
        },
      };
    }
    default:
      throw new Error(`unknown load method ${JSON.stringify((spec as LoadSpec).method)}`);
  }
}

export async function loadHere(spec: LoadSpec): Promise<LoadResult> {
  let warmUpMs: number | undefined;
  if (spec.warmUpFile !== undefined) {
    const started = performance.now();
    const warm = await load(spec, spec.warmUpFile, false);
    warmUpMs = performance.now() - started;
    warm.dispose();
  }
  const started = performance.now();
  const loaded = await load(spec, spec.file, spec.progress === true);
  // To `readyAt`: store.memory() and DuckDB's count(*) (read inside load()) are not timed.
  const ms = loaded.readyAt - started;
  held = loaded.value;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const quantitySum = spec.skipChecks ? null : await loaded.quantitySum();
  return {
    method: spec.method,
    format: spec.format,
    file: spec.file,
    fileBytes: statSync(spec.file).size,
    ms,
    records: loaded.records,
    quantitySum,
    maxRssBytes,
    ...(loaded.store ? { store: loaded.store } : {}),
    ...(loaded.duckdb ? { duckdb: loaded.duckdb } : {}),
    ...(warmUpMs !== undefined ? { warmUpMs } : {}),
  };
}

/** The child's main: load, send the result (or the error) to the parent, exit. */
export async function runChild(argv: readonly string[]): Promise<void> {
  let message: ChildMessage;
  try {
    const spec = JSON.parse(argv[0] ?? '') as LoadSpec;
    message = { ok: true, result: await loadHere(spec) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    message = { ok: false, name: e.name, code: (e as NodeJS.ErrnoException).code, message: e.message, stack: e.stack, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  }
  if (process.send === undefined) {
    process.stdout.write(JSON.stringify(message, null, 2) + '\n');
    process.exit(message.ok ? 0 : 1);
  }
  process.send(message, () => process.exit(message.ok && held !== null ? 0 : 1));
}
