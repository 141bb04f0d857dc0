// One load of a feed in a fresh `node --expose-gc` child (dist/measure/feed-child.js): plain
// objects (readline + JSON.parse per line, JSON.parse of the whole array), memstore through each
// entry path, or DuckDB. Measured as retained.ts measures: two warm-up loads of a small twin
// file (dropped), the heap at rest (settle), the timed load, the heap at rest again; retained =
// Δ(heapUsed + external), ΔRSS beside it, and the child's peak RSS. Then the checks: the record
// count and the sum of the feed's check path, which every load of the same file must agree on.
// A small file is loaded as `copies` independent loads held at once (the small-file figure:
// the byte deltas are over all of them, so a copy's share is Δ / copies); none is dropped or
// disposed before the heap at rest is taken.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type SchemaField, Store } from '@memstore/core';
import { builtScript, forkMeasurement, replyToParent } from '../measure/fork';
import { settle } from '@memstore/testkit/settle';
import { FEEDS, type FeedName } from './feedFile';

export const FEED_LOADS = ['readline-json-parse', 'json-parse-array', 'fromFile-ndjson', 'fromFile-array', 'fromStream', 'fromJSON-string', 'fromJSON-bytes', 'fromRecords', 'append-10k', 'duckdb'] as const;
export type FeedLoad = (typeof FEED_LOADS)[number];
export const PLAIN_LOADS: readonly FeedLoad[] = ['readline-json-parse', 'json-parse-array'];
export const APPEND_CHUNK_RECORDS = 10_000;

export interface FeedLoadSpec {
  feed: FeedName;
  load: FeedLoad;
  ndjson: string;
  array: string;
  /** A small file pair of the same feed, loaded twice (and dropped) before the measured load. */
  warmUp: { ndjson: string; array: string };
  /** Independent loads of the file, one after another, all held until the result is sent (default 1). */
  copies?: number;
}

export interface FeedLoadResult {
  feed: FeedName;
  load: FeedLoad;
  /** The file the load reads, and its size. */
  file: string;
  fileBytes: number;
  /** Records of one copy. */
  records: number;
  /** Loads of the file held at once; the byte deltas below are over all of them. */
  copies: number;
  /** Δ(heapUsed + external) over the load(s); fromRecords: over Store.fromRecords alone (see inputRetainedBytes). */
  retainedBytes: number;
  heapUsedDelta: number;
  externalDelta: number;
  rssDelta: number;
  /** From the start of the load (file read included) to the ready store, array or table; with copies, their time / copies. */
  ms: number;
  /** fromRecords: the records, parsed before the baseline and held past the end (Δ over parsing them). */
  inputRetainedBytes?: number;
  /** process.resourceUsage().maxRSS × 1024 once loaded: the child's peak, warm-up and Node itself included. */
  maxRssBytes: number;
  /** Sum of the feed's check path over the records (of one copy: every copy must agree). */
  checksum: number;
  store?: { totalBytes: number; reservedBytes: number; workspaceBytes: number; strings: { count: number; bytes: number }; columns: StoreColumn[] };
  duckdb?: { version: string; threads: number; sql: string; memoryBytes: number; databaseSize: string; topLevelColumns: number };
}

/** A column of store.memory(), with its storage and distinct strings from store.schema. */
export interface StoreColumn {
  path: string;
  type: string;
  bytes: number;
  storage: string;
  cardinality?: number;
}

// ---- parent side ------------------------------------------------------------------------------

export function measureFeedLoad(spec: FeedLoadSpec): Promise<FeedLoadResult> {
  return forkMeasurement<FeedLoadResult>(builtScript('measure/feed-child.js'), spec, `${spec.feed} ${spec.load}`);
}

// ---- child side -------------------------------------------------------------------------------

/** What a load leaves: the records as plain objects, a store, or a DuckDB table. */
type Loaded = { kind: 'plain'; records: unknown[] } | { kind: 'store'; store: Store<unknown> } | { kind: 'duckdb'; duck: Duck };

interface Duck {
  version: string;
  rows: (sql: string) => Promise<unknown[][]>;
  sql: string;
  close: () => void;
}

/** Keeps the loaded data, every copy (and fromRecords' input), reachable until the result is sent. */
let held: { loaded: Loaded[]; input: unknown } | null = null;

async function readLines(file: string): Promise<unknown[]> {
  const records: unknown[] = [];
  const lines = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) records.push(JSON.parse(line));
  return records;
}

async function appendInChunks(file: string): Promise<Store<unknown>> {
  const store = await Store.fromRecords<unknown>([]);
  const lines = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  let chunk: string[] = [];
  for await (const line of lines) {
    if (line.length > 0) chunk.push(line);
    if (chunk.length === APPEND_CHUNK_RECORDS) {
      await store.append(chunk.join('\n'), { format: 'ndjson' });
      chunk = [];
    }
  }
  if (chunk.length > 0) await store.append(chunk.join('\n'), { format: 'ndjson' });
  return store;
}

async function openDuck(file: string): Promise<Duck> {
  const { DuckDBInstance, version } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const format = file.endsWith('.ndjson') ? 'newline_delimited' : 'array';
  const sql = `CREATE TABLE t AS SELECT * FROM read_json_auto('${file.replace(/'/g, "''")}', format = '${format}')`;
  await connection.run(sql);
  return {
    version: version(),
    sql: sql.replace(file.replace(/'/g, "''"), '<file>'),
    rows: async (query) => (await connection.runAndReadAll(query)).getRows() as unknown[][],
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The file a load reads: the array file for the array paths and fromJSON, else the NDJSON file. */
export function fileOf(load: FeedLoad, files: { ndjson: string; array: string }): string {
  return load === 'json-parse-array' || load === 'fromFile-array' || load === 'fromJSON-string' || load === 'fromJSON-bytes' ? files.array : files.ndjson;
}

async function load(kind: FeedLoad, file: string, input: unknown[] | null): Promise<Loaded> {
  switch (kind) {
    case 'readline-json-parse':
      return { kind: 'plain', records: await readLines(file) };
    case 'json-parse-array':
      return { kind: 'plain', records: JSON.parse(readFileSync(file, 'utf8')) as unknown[] };
    case 'fromFile-ndjson':
    case 'fromFile-array':
      return { kind: 'store', store: await Store.fromFile<unknown>(file) };
    case 'fromStream':
      return { kind: 'store', store: await Store.fromStream<unknown>(createReadStream(file, { highWaterMark: 1 << 20 }), { format: 'ndjson' }) };
    case 'fromJSON-string':
      return { kind: 'store', store: await Store.fromJSON<unknown>(readFileSync(file, 'utf8')) };
    case 'fromJSON-bytes':
      return { kind: 'store', store: await Store.fromJSON<unknown>(readFileSync(file)) };
    case 'fromRecords':
      return { kind: 'store', store: await Store.fromRecords<unknown>(input!) };
    case 'append-10k':
      return { kind: 'store', store: await appendInChunks(file) };
    case 'duckdb':
      return { kind: 'duckdb', duck: await openDuck(file) };
  }
}

function dispose(loaded: Loaded): void {
  if (loaded.kind === 'store') loaded.store.dispose();
  else if (loaded.kind === 'duckdb') loaded.duck.close();
}

async function countAndSum(loaded: Loaded, path: readonly string[]): Promise<{ records: number; checksum: number }> {
  if (loaded.kind === 'store') return { records: loaded.store.length, checksum: loaded.store.sum([...path]) };
  if (loaded.kind === 'duckdb') {
    const [[count, sum]] = await loaded.duck.rows(`SELECT count(*), sum(${path.join('.')}) FROM t`);
    return { records: Number(count), checksum: Number(sum) };
  }
  let checksum = 0;
  for (const record of loaded.records) {
    let value: unknown = record;
    for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
    if (typeof value === 'number') checksum += value;
  }
  return { records: loaded.records.length, checksum };
}

/** fromRecords' input, parsed in a function of its own so no register of the caller holds it. */
async function parsedInput(spec: FeedLoadSpec, file: string): Promise<unknown[] | null> {
  return spec.load === 'fromRecords' ? readLines(file) : null;
}

async function warmUp(spec: FeedLoadSpec): Promise<void> {
  // The first use of `performance` loads perf_hooks: pay it here, not inside the timed load.
  performance.now();
  const file = fileOf(spec.load, spec.warmUp);
  for (let round = 0; round < 2; round++) {
    const loaded = await load(spec.load, file, await parsedInput(spec, file));
    await countAndSum(loaded, FEEDS[spec.feed].checkPath);
    dispose(loaded);
  }
}

export async function measureHere(spec: FeedLoadSpec): Promise<FeedLoadResult> {
  const copies = spec.copies ?? 1;
  if (!Number.isInteger(copies) || copies < 1) throw new Error(`copies must be a positive integer (got ${copies})`);
  await warmUp(spec);
  const file = fileOf(spec.load, spec);
  const start = await settle();
  const input = await parsedInput(spec, file);
  const before = input === null ? start : await settle();
  // Held before the first copy is made: no copy is ever unreachable until the process exits
  // (fromRecords' copies share the one input, which is held too).
  held = { loaded: [], input };
  const started = performance.now();
  for (let copy = 0; copy < copies; copy++) held.loaded.push(await load(spec.load, file, input));
  const ms = (performance.now() - started) / copies;
  const after = await settle();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;

  // Read only now: every copy, each of which must hold the same records.
  const counted: Array<{ records: number; checksum: number }> = [];
  for (const copy of held.loaded) counted.push(await countAndSum(copy, FEEDS[spec.feed].checkPath));
  const { records, checksum } = counted[0];
  const differing = counted.findIndex((c) => c.records !== records || c.checksum !== checksum);
  if (differing !== -1) throw new Error(`copy ${differing + 1} of ${copies} read other records (${counted[differing].records} / ${counted[differing].checksum} vs ${records} / ${checksum})`);
  const loaded = held.loaded[0];
  const result: FeedLoadResult = {
    feed: spec.feed,
    load: spec.load,
    file,
    fileBytes: statSync(file).size,
    records,
    copies,
    retainedBytes: after.heapUsed + after.external - (before.heapUsed + before.external),
    heapUsedDelta: after.heapUsed - before.heapUsed,
    externalDelta: after.external - before.external,
    rssDelta: after.rss - before.rss,
    ms,
    maxRssBytes,
    checksum,
  };
  if (input !== null) result.inputRetainedBytes = before.heapUsed + before.external - (start.heapUsed + start.external);
  if (loaded.kind === 'store') {
    const { totalBytes, reservedBytes, workspaceBytes, strings, columns } = loaded.store.memory();
    const fields = new Map<string, SchemaField>();
    const walk = (field: SchemaField) => {
      fields.set(field.path === '' ? '(records)' : field.path, field);
      for (const child of [...(field.fields ?? []), field.element, field.keys, field.values]) if (child !== undefined) walk(child);
    };
    walk(loaded.store.schema);
    const described = columns.map((column) => {
      const field = fields.get(column.path);
      return { ...column, storage: field?.storage ?? '?', ...(field?.cardinality !== undefined ? { cardinality: field.cardinality } : {}) };
    });
    result.store = { totalBytes, reservedBytes, workspaceBytes, strings, columns: described };
  }
  if (loaded.kind === 'duckdb') {
    const duck = loaded.duck;
    const [[memoryBytes]] = await duck.rows('SELECT sum(memory_usage_bytes) FROM duckdb_memory()');
    const size = await duck.rows('PRAGMA database_size');
    const [[threads]] = await duck.rows("SELECT current_setting('threads')");
    const columns = await duck.rows("SELECT count(*) FROM information_schema.columns WHERE table_name = 't'");
    result.duckdb = { version: duck.version, threads: Number(threads), sql: duck.sql, memoryBytes: Number(memoryBytes), databaseSize: String(size[0]?.[7] ?? ''), topLevelColumns: Number(columns[0][0]) };
  }
  return result;
}

/** The child's main (dist/measure/feed-child.js). */
export function runChild(argv: readonly string[]): Promise<void> {
  return replyToParent<FeedLoadSpec, FeedLoadResult>(argv, measureHere, () => held !== null);
}
