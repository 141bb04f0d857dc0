// Id-keyed documents (issue 11, item 7): one JSON document whose objects are keyed by ids or
// names — 10,000 id-keyed objects of one shape, a 1,264-project registry keyed "0"…"1263", a
// 654-plugin index keyed by name. Loaded as a map (`fromJSON(text)`: one record) and as records
// (`pointer: ''`, with and without `keyAs`), against JSON.parse of the same text.
//   node dist/idKeyed.js [--rounds 7] [--out results/idkeyed.json]
// Load time: one fresh child per dataset times JSON.parse and every load, interleaved, after two
// warm-up rounds; medians, and each load's ratio to JSON.parse in the same child.
// Memory: one fresh `node --expose-gc` child per figure: warm-up (the same build twice, dropped),
// gc until heapUsed + external is stable, build (the text is the builder's local), gc, retained =
// Δ(heapUsed + external), ΔRSS as a cross-check.
// Targets (reported, never enforced): load within 2x JSON.parse, retained at most plain objects'.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Store } from '@memstore/core';
import { idKeyedEntries, pluginIndex, projectRegistry } from '@memstore/testkit/keyed';
import { fmtFixed, fmtInt, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, writeResults } from './cli';

export const TARGET_TIME_RATIO = 2;
export const TARGET_MEMORY_RATIO = 1;

const DATASETS = {
  'idkeyed-10k': { title: '10,000 id-keyed objects of one shape', make: () => idKeyedEntries(10_000) },
  'registry-1264': { title: '1,264 projects keyed "0"…"1263"', make: () => projectRegistry(1264) },
  'plugins-654': { title: '654 plugins keyed by name', make: () => pluginIndex(654) },
} as const;
type Dataset = keyof typeof DATASETS;

/** How the document is held: plain objects, or a store as a map, or as records. */
const LOADS = {
  'JSON.parse': (text: string) => JSON.parse(text) as unknown,
  'fromJSON (map)': (text: string) => Store.fromJSON(text),
  "fromJSON pointer '' (records)": (text: string) => Store.fromJSON(text, { pointer: '' }),
  "fromJSON pointer '' keyAs (records)": (text: string) => Store.fromJSON(text, { pointer: '', keyAs: 'key' }),
} as const;
type Load = keyof typeof LOADS;
const LOAD_NAMES = Object.keys(LOADS) as Load[];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/**
 * The in-document map test's shape measure (core's schema/plan.ts, oneShape) on the first 64
 * values, as the parser's first review sees them: of all (object, key) pairs, the share whose
 * key is in at least half of the objects (a map needs at least 0.5).
 */
export function shapeOverlap(document: Record<string, unknown>): number {
  const objects = Object.values(document).slice(0, 64).filter((value) => value !== null && typeof value === 'object' && !Array.isArray(value)) as object[];
  const counts = new Map<string, number>();
  let pairs = 0;
  for (const object of objects) for (const key of Object.keys(object)) {
    pairs++;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let common = 0;
  for (const count of counts.values()) if (count * 2 >= objects.length) common += count;
  return pairs === 0 ? 1 : common / pairs;
}

function textOf(dataset: Dataset): string {
  return JSON.stringify(DATASETS[dataset].make());
}

async function build(load: Load, text: string): Promise<unknown> {
  const built = await LOADS[load](text);
  if (built instanceof Store && load.includes('records') && built.length < 600) throw new Error(`${load}: ${built.length} records`);
  return built;
}

// ---- children ----------------------------------------------------------------------------------

interface TimeResult {
  bytes: number;
  medians: Record<Load, number>;
  schema: Record<Load, string>;
}

async function timeChild(dataset: Dataset, rounds: number): Promise<void> {
  const text = textOf(dataset);
  const times = Object.fromEntries(LOAD_NAMES.map((load) => [load, [] as number[]])) as Record<Load, number[]>;
  const schema = {} as Record<Load, string>;
  for (let round = 0; round < rounds + 2; round++) {
    for (const load of LOAD_NAMES) {
      const start = performance.now();
      const built = await build(load, text);
      const elapsed = performance.now() - start;
      if (round >= 2) times[load].push(elapsed);
      if (built instanceof Store) {
        schema[load] = `${built.schema.type}, ${built.length} record${built.length === 1 ? '' : 's'}, ${countColumns(built.schema)} columns`;
        built.dispose();
      } else schema[load] = 'plain objects';
    }
  }
  const result: TimeResult = { bytes: Buffer.byteLength(text), medians: Object.fromEntries(LOAD_NAMES.map((load) => [load, median(times[load])])) as Record<Load, number>, schema };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function countColumns(field: { fields?: readonly unknown[]; element?: unknown; keys?: unknown; values?: unknown }): number {
  const children = [...(field.fields ?? []), ...[field.element, field.keys, field.values].filter((child) => child !== undefined)] as (typeof field)[];
  return 1 + children.reduce((sum, child) => sum + countColumns(child), 0);
}

interface MemoryResult {
  retainedBytes: number;
  heapUsedDelta: number;
  externalDelta: number;
  rssDelta: number;
  reservedBytes?: number;
  totalBytes?: number;
}

async function settle(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the memory child with node --expose-gc');
  let previous: NodeJS.MemoryUsage | null = null;
  for (let round = 0; round < 8; round++) {
    gc();
    gc();
    await new Promise((done) => setImmediate(done));
    const current = process.memoryUsage();
    if (previous !== null && Math.abs(current.heapUsed + current.external - previous.heapUsed - previous.external) <= 4096) return current;
    previous = current;
  }
  return previous!;
}

/** Builds from text made inside, so the text is garbage once it returns. */
async function buildFresh(dataset: Dataset, load: Load): Promise<unknown> {
  return build(load, textOf(dataset));
}

let held: unknown = null;

async function memoryChild(dataset: Dataset, load: Load): Promise<void> {
  performance.now();
  for (let i = 0; i < 2; i++) {
    const warm = await buildFresh(dataset, load);
    if (warm instanceof Store) warm.dispose();
  }
  const before = await settle();
  held = await buildFresh(dataset, load);
  const after = await settle();
  const result: MemoryResult = {
    retainedBytes: after.heapUsed + after.external - before.heapUsed - before.external,
    heapUsedDelta: after.heapUsed - before.heapUsed,
    externalDelta: after.external - before.external,
    rssDelta: after.rss - before.rss,
  };
  if (held instanceof Store) {
    const memory = held.memory();
    result.reservedBytes = memory.reservedBytes;
    result.totalBytes = memory.totalBytes;
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

// ---- parent ------------------------------------------------------------------------------------

function runChild<T>(args: string[], exposeGc: boolean): T {
  const run = spawnSync(process.execPath, [...(exposeGc ? ['--expose-gc'] : []), fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`idKeyed: child ${args.join(' ')} failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(run.stdout.trim()) as T;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['rounds', 'out', 'child', 'dataset', 'load', 'only']);
  const child = stringFlag(args, 'child');
  const rounds = intFlag(args, 'rounds', 7);
  if (child === 'time') return timeChild(stringFlag(args, 'dataset') as Dataset, rounds);
  if (child === 'memory') return memoryChild(stringFlag(args, 'dataset') as Dataset, stringFlag(args, 'load') as Load);
  const only = stringFlag(args, 'only');
  const datasets = (Object.keys(DATASETS) as Dataset[]).filter((name) => only === undefined || name === only);
  const machine = machineFacts();
  const results: Record<string, { time: TimeResult; memory: Record<Load, MemoryResult> }> = {};
  const sections: string[] = [];
  for (const dataset of datasets) {
    const time = runChild<TimeResult>(['--child', 'time', '--dataset', dataset, '--rounds', String(rounds)], false);
    const memory = Object.fromEntries(LOAD_NAMES.map((load) => [load, runChild<MemoryResult>(['--child', 'memory', '--dataset', dataset, '--load', load], true)])) as Record<Load, MemoryResult>;
    results[dataset] = { time, memory };
    const plain = memory['JSON.parse'].retainedBytes;
    const parse = time.medians['JSON.parse'];
    const rows = LOAD_NAMES.map((load) => {
      const timeRatio = time.medians[load] / parse;
      const memoryRatio = memory[load].retainedBytes / plain;
      const store = memory[load].reservedBytes === undefined ? '' : `${fmtInt(memory[load].totalBytes! / 1024)} / ${fmtInt(memory[load].reservedBytes! / 1024)}`;
      return [
        load, time.schema[load], fmtFixed(time.medians[load], 1), fmtFixed(timeRatio, 2), load === 'JSON.parse' ? '' : timeRatio <= TARGET_TIME_RATIO ? 'yes' : 'no',
        fmtInt(memory[load].retainedBytes / 1024), fmtInt(memory[load].rssDelta / 1024), fmtFixed(memoryRatio, 2), load === 'JSON.parse' ? '' : memoryRatio <= TARGET_MEMORY_RATIO ? 'yes' : 'no', store,
      ];
    });
    const table = markdownTable(
      ['load', 'result', 'median ms', '× JSON.parse', `≤ ${TARGET_TIME_RATIO}x`, 'retained KiB', 'ΔRSS KiB', '× plain', '≤ plain', 'store used / reserved KiB'],
      rows,
      'llrrlrrrlr',
    );
    const overlap = shapeOverlap(DATASETS[dataset].make());
    sections.push(`### ${DATASETS[dataset].title} (${fmtInt(time.bytes / 1024)} KiB of JSON; shape overlap of the first 64 values ${fmtFixed(overlap, 3)})\n\n${table}`);
  }
  const note =
    'Retained = Δ(heapUsed + external) after gc, WASM memory included (store "reserved"). As a map the document is one ' +
    'record, and the parser holds a record whole in its input buffer until it is parsed: that buffer (about the size of ' +
    'the text) stays in WASM memory, which never shrinks. With `pointer` the records stream one at a time. The first ' +
    '64 entries are parsed twice (once as struct fields, until the review makes the object a map).';
  const markdown = `## Id-keyed documents: load time (${rounds} rounds after 2 warm-up, interleaved, one child per dataset) and retained memory (one fresh child per figure)\n\nMachine: ${machineLine(machine)}\n\nCommand: \`npm run bench:idkeyed -w @memstore/bench\`\n\n${sections.join('\n\n')}\n\n${note}\n`;
  const paths = writeResults(stringFlag(args, 'out'), 'idkeyed.json', { machine, rounds, results, targets: { time: TARGET_TIME_RATIO, memory: TARGET_MEMORY_RATIO } }, markdown);
  process.stdout.write(`${markdown}\nwrote ${paths.json} and ${paths.md}\n`);
}

runMain('idKeyed', main);
