// Saved stores (.msx): the file's size against the JSON file and against the store's memory,
// and Store.load against JSON.parse of the JSON file, timed in the same run, on the cargo
// records and the GitHub-style events feed.
//   node dist/persist.js [--count 1000000] [--events 100000] [--runs 5] [--seed N] [--dir DIR] [--out results/persist.json]
// Each timing is the median of --runs after one warm-up; loads dispose their store before the
// next. Targets (issue 13): .msx ≤ 10% of the JSON file on cargo, ≤ 1.1× memory().totalBytes on
// the feed, Store.load ≥ 50× faster than JSON.parse. Prints a markdown table and writes <out>
// (JSON, with machine facts) and <out>.md.
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '@memstore/core';
import { fmtFixed, fmtInt, fmtMiB, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, writeResults } from './cli';
import { DEFAULT_SEED } from './datasets';
import { ensureFeedFiles } from './feeds/feedFile';
import { ensureCargoFile } from './measure/cargoFile';

interface DatasetResult {
  dataset: string;
  records: number;
  jsonBytes: number;
  msxBytes: number;
  totalBytes: number;
  /** Medians, in milliseconds. */
  saveMs: number;
  loadMs: number;
  fromBytesMs: number;
  /** readFileSync of the .msx alone: the floor under Store.load (it reads every byte). */
  readMs: number;
  jsonParseMs: number;
  /** Store.load against JSON.parse: how many times faster. */
  loadSpeedup: number;
  /** The loaded store holds the same data (length and the check path's sum). */
  consistent: boolean;
}

async function median(runs: number, fn: () => Promise<void> | void): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function measure(dataset: string, jsonPath: string, checkPath: string, dir: string, runs: number): Promise<DatasetResult> {
  process.stderr.write(`${dataset}: loading ${jsonPath}…\n`);
  const store = await Store.fromFile(jsonPath);
  const msxPath = join(dir, `${dataset}.msx`);
  const saveMs = await median(runs, () => store.save(msxPath));
  const msxBytes = statSync(msxPath).size;
  const expected = { length: store.length, sum: store.sum(checkPath) };
  let consistent = true;
  const loadMs = await median(runs, async () => {
    const loaded = await Store.load(msxPath);
    consistent &&= loaded.length === expected.length && loaded.sum(checkPath) === expected.sum;
    loaded.dispose();
  });
  const readMs = await median(runs, () => {
    readFileSync(msxPath);
  });
  const bytes = readFileSync(msxPath);
  const fromBytesMs = await median(runs, async () => {
    (await Store.fromBytes(bytes)).dispose();
  });
  const text = readFileSync(jsonPath, 'utf8');
  let parsed: unknown;
  const jsonParseMs = await median(runs, () => {
    parsed = JSON.parse(text);
  });
  consistent &&= Array.isArray(parsed) && parsed.length === expected.length;
  parsed = undefined;
  const result: DatasetResult = {
    dataset,
    records: store.length,
    jsonBytes: statSync(jsonPath).size,
    msxBytes,
    totalBytes: store.memory().totalBytes,
    saveMs,
    loadMs,
    fromBytesMs,
    readMs,
    jsonParseMs,
    loadSpeedup: jsonParseMs / loadMs,
    consistent,
  };
  store.dispose();
  rmSync(msxPath, { force: true });
  return result;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['count', 'events', 'runs', 'seed', 'dir', 'out']);
  const count = intFlag(args, 'count', 1_000_000);
  const events = intFlag(args, 'events', 100_000);
  const runs = intFlag(args, 'runs', 5);
  const seed = intFlag(args, 'seed', DEFAULT_SEED);
  const dir = stringFlag(args, 'dir') ?? join(tmpdir(), 'memstore-bench-persist');
  mkdirSync(dir, { recursive: true });
  const machine = machineFacts();
  const cargo = ensureCargoFile(join(dir, `cargo-${count}-${seed}.json`), 'json', count, seed);
  const feed = ensureFeedFiles(dir, 'events', events, seed);
  const results = [
    await measure('cargo', cargo.path, 'id', dir, runs),
    await measure('events', feed.array, 'actor.id', dir, runs),
  ];
  const [onCargo, onEvents] = results;
  const targets = {
    cargoSize: { target: '≤ 10% of the JSON file', value: onCargo.msxBytes / onCargo.jsonBytes, met: onCargo.msxBytes <= 0.1 * onCargo.jsonBytes },
    feedSize: { target: '≤ 1.1× memory().totalBytes', value: onEvents.msxBytes / onEvents.totalBytes, met: onEvents.msxBytes <= 1.1 * onEvents.totalBytes },
    loadSpeed: { target: 'Store.load ≥ 50× faster than JSON.parse', value: Math.min(onCargo.loadSpeedup, onEvents.loadSpeedup), met: results.every((r) => r.loadSpeedup >= 50) },
  };
  const markdown = renderMarkdown(results, targets, runs, machineLine(machine));
  process.stdout.write(markdown);
  const written = writeResults(stringFlag(args, 'out'), 'persist.json', { kind: 'persist', machine, count, events, runs, seed, results, targets, markdown }, markdown);
  process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
  if (!results.every((r) => r.consistent)) throw new Error('a loaded store does not hold what was saved');
}

function renderMarkdown(results: DatasetResult[], targets: Record<string, { target: string; value: number; met: boolean }>, runs: number, machine: string): string {
  const rows = results.map((r) => [
    r.dataset, fmtInt(r.records), fmtMiB(r.jsonBytes), fmtMiB(r.msxBytes), `${fmtFixed((100 * r.msxBytes) / r.jsonBytes, 1)}%`,
    fmtMiB(r.totalBytes), `${fmtFixed(r.msxBytes / r.totalBytes, 3)}×`, fmtFixed(r.saveMs, 1), fmtFixed(r.loadMs, 1), fmtFixed(r.fromBytesMs, 1),
    fmtFixed(r.readMs, 1), fmtFixed(r.jsonParseMs, 1), `${fmtFixed(r.loadSpeedup, 1)}×`, `${fmtFixed(r.jsonParseMs / r.readMs, 1)}×`,
  ]);
  const table = markdownTable(
    ['dataset', 'records', 'JSON MiB', '.msx MiB', '.msx / JSON', 'totalBytes MiB', '.msx / totalBytes', 'save ms', 'Store.load ms', 'fromBytes ms', 'read ms', 'JSON.parse ms', 'load vs JSON.parse', 'read vs JSON.parse'],
    rows,
    'lrrrrrrrrrrrrr',
  );
  const goals = Object.values(targets).map((t) => `- ${t.target}: ${fmtFixed(t.value, t.value < 2 ? 3 : 1)} — ${t.met ? 'met' : '**not met**'}`);
  return [
    '## Saved stores (.msx): size, save and load',
    '',
    `Machine: ${machine}`,
    '',
    table,
    '',
    ...goals,
    '',
    `Medians of ${runs} runs after one warm-up, in one process. save: \`store.save(path)\` (streamed, temporary file,`,
    'fsync, rename, folder fsync). Store.load: `Store.load(path)` from the file (footer, one reservation, each block read',
    'into WASM memory, checksums and checks), disposed after each. fromBytes: the same from bytes already in memory.',
    'JSON.parse: of the JSON file\'s text, already read (its read is not counted; the load\'s is). totalBytes:',
    '`store.memory().totalBytes` of the store loaded from the JSON file. cargo: `datasets.ts` records; events: the',
    'GitHub-style events feed (`feeds/events.ts`), its JSON array file. read: `readFileSync` of the .msx file alone',
    '(from the page cache, as every load here reads it): no load that reads each byte can pass "read vs JSON.parse".',
    '',
  ].join('\n');
}

runMain('persist', main);
