// Footprint on every entry path: 1M cargo records through fromJSON (a string, bytes), fromStream,
// fromFile, fromRecords, and appends in chunks (bytes, records); an empty store; a wide store of
// few rows. Each in a fresh child (measure/footprint.ts).
//   node dist/footprint.js [--count 1000000] [--seed N] [--chunks 10] [--columns 1000] [--dir DIR]
//                          [--only fromFile,empty,…] [--out results/footprint.json]
// The cargo file is generated once into DIR (default: <os tmpdir>/memstore-bench-cargo-<count>-<seed>,
// shared with ingest.js). Targets (reported, never enforced): every path ≤ 10.5 B/record retained
// with reserved ≤ 1.05 × used + 64 KiB; an empty store ≤ 96 KiB; a column nobody reads ≤ 200 B of JS heap.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fmtFixed, fmtInt, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, UsageError, writeResults } from './cli';
import { DEFAULT_SEED } from './datasets';
import { ensureCargoFile } from './measure/cargoFile';
import { LOADS, measureFootprint, type FootprintResult, type FootprintSpec, type Shape } from './measure/footprint';

export const TARGET_BYTES_PER_RECORD = 10.5;
export const TARGET_EMPTY_BYTES = 96 * 1024;
export const TARGET_HEAP_PER_COLUMN = 200;
const SHAPES: readonly Shape[] = [...LOADS, 'empty', 'wide'];
const WARM_UP_RECORDS = 100_000;
const KiB = 1024;

/** Reserved memory may pass what the structures use by 5% and 64 KiB (a page). */
export function reservedWithin(result: FootprintResult): boolean {
  const store = result.store!;
  return store.reservedBytes <= 1.05 * store.totalBytes + 64 * KiB;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['count', 'seed', 'chunks', 'columns', 'dir', 'only', 'out']);
  const count = intFlag(args, 'count', 1_000_000);
  const seed = intFlag(args, 'seed', DEFAULT_SEED);
  const chunks = intFlag(args, 'chunks', 10);
  const columns = intFlag(args, 'columns', 1000);
  const only = stringFlag(args, 'only');
  const shapes = only === undefined ? [...SHAPES] : (only.split(',').map((name) => name.trim()) as Shape[]);
  for (const shape of shapes) if (!SHAPES.includes(shape)) throw new UsageError(`unknown path ${shape} (known: ${SHAPES.join(', ')})`);

  const machine = machineFacts();
  const dir = resolve(stringFlag(args, 'dir') ?? join(tmpdir(), `memstore-bench-cargo-${count}-${seed}`));
  mkdirSync(dir, { recursive: true });
  const warmUpCount = Math.min(count, WARM_UP_RECORDS);
  const file = ensureCargoFile(join(dir, 'cargo.json'), 'json', count, seed).path;
  const warmUpFile = ensureCargoFile(join(dir, `warm-up-${warmUpCount}.json`), 'json', warmUpCount, seed).path;

  const results: FootprintResult[] = [];
  for (const shape of shapes) {
    process.stderr.write(`measuring ${shape} (fresh child)…`);
    const spec = { shape, file, warmUpFile, count, warmUpCount, seed, chunks, columns, rows: 4, stores: shape === 'wide' ? 6 : 100 };
    const result = shape === 'empty' ? await measureEmpty(spec) : await measureFootprint(spec);
    process.stderr.write(` retained ${fmtInt(result.retainedBytes)} B\n`);
    results.push(result);
  }
  const markdown = renderMarkdown(results, count, chunks, machineLine(machine));
  process.stdout.write(markdown);
  const written = writeResults(stringFlag(args, 'out'), 'footprint.json', { kind: 'footprint', machine, count, seed, chunks, columns, results, markdown }, markdown);
  process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
}

/**
 * An empty store against a process that only imported the module: the median over 3 pairs of
 * fresh children of Δ(heapUsed + external) between them (the first store of a process: it pays
 * for what it compiles), and the further stores of the last 'empty' child.
 */
async function measureEmpty(spec: FootprintSpec): Promise<FootprintResult> {
  const pairs: Array<{ empty: FootprintResult; imported: FootprintResult }> = [];
  for (let i = 0; i < 3; i++) pairs.push({ imported: await measureFootprint({ ...spec, shape: 'imported' }), empty: await measureFootprint(spec) });
  const delta = (pair: (typeof pairs)[number], read: (r: FootprintResult) => number) => read(pair.empty) - read(pair.imported);
  const retained = (pair: (typeof pairs)[number]) => delta(pair, (r) => r.after.heapUsed + r.after.external);
  const median = [...pairs].sort((a, b) => retained(a) - retained(b))[1];
  return {
    ...median.empty,
    retainedBytes: retained(median),
    heapUsedDelta: delta(median, (r) => r.after.heapUsed),
    externalDelta: delta(median, (r) => r.after.external),
    rssDelta: delta(median, (r) => r.after.rss),
    before: median.imported.after,
  };
}

function renderMarkdown(results: FootprintResult[], count: number, chunks: number, machine: string): string {
  const loads = results.filter((r) => (LOADS as readonly string[]).includes(r.shape));
  const empty = results.find((r) => r.shape === 'empty');
  const wide = results.find((r) => r.shape === 'wide');
  const perRecord = (bytes: number, r: FootprintResult) => fmtFixed(bytes / r.records, 2);
  const kib = (bytes: number) => fmtFixed(bytes / KiB, 1);
  const lines = [`## Footprint: ${fmtInt(count)} cargo records on every entry path`, '', `Machine: ${machine}`, ''];
  if (loads.length > 0) {
    const rows = loads.map((r) => [
      r.shape,
      perRecord(r.retainedBytes, r),
      perRecord(r.heapUsedDelta, r),
      perRecord(r.externalDelta, r),
      perRecord(r.rssDelta, r),
      fmtInt(r.store!.totalBytes),
      fmtInt(r.store!.reservedBytes),
      fmtInt(r.store!.workspaceBytes),
      fmtFixed(r.store!.reservedBytes / r.store!.totalBytes, 3),
      r.retainedBytes / r.records <= TARGET_BYTES_PER_RECORD && reservedWithin(r) ? 'yes' : 'no',
      fmtInt(r.buildMs),
    ]);
    lines.push(
      markdownTable(
        ['path', 'retained B/rec', 'Δheap B/rec', 'Δexternal B/rec', 'ΔRSS B/rec', 'totalBytes', 'reservedBytes', 'workspaceBytes', 'reserved / total', 'target met', 'build ms'],
        rows,
        'lrrrrrrrrlr',
      ),
      '',
      `Appends: the first of ${chunks} chunks builds the store (fromJSON of bytes, or fromRecords), each further chunk is one append.`,
      `Target: retained ≤ ${TARGET_BYTES_PER_RECORD} B/record and reservedBytes ≤ 1.05 × totalBytes + 64 KiB.`,
      '',
    );
  }
  if (empty !== undefined) {
    const further = empty.further;
    lines.push(
      markdownTable(
        ['empty store', 'retained KiB', 'Δheap KiB', 'Δexternal KiB', 'reservedBytes', 'target met'],
        [
          ['the first (module compiled)', kib(empty.retainedBytes), kib(empty.heapUsedDelta), kib(empty.externalDelta), fmtInt(empty.store!.reservedBytes), empty.retainedBytes <= TARGET_EMPTY_BYTES ? 'yes' : 'no'],
          ...(further === undefined
            ? []
            : [[`each of ${further.stores} more`, kib(further.retainedBytesEach), kib(further.heapUsedBytesEach), kib(further.retainedBytesEach - further.heapUsedBytesEach), '', further.retainedBytesEach <= TARGET_EMPTY_BYTES ? 'yes' : 'no']]),
        ],
        'lrrrrl',
      ),
      '',
      'The first: a fresh process that made one empty store against one that only imported the module (median of 3 pairs),',
      'so it pays for what the first store compiles (the WASM module, the bytecode of the library functions it runs);',
      `each further one: 100 more in the same process. Target: ≤ ${TARGET_EMPTY_BYTES / KiB} KiB (WASM memory + JS heap).`,
      '',
    );
  }
  if (wide !== undefined) {
    const columns = wide.store!.columnCount;
    // What a column adds: the store's heap less an empty store's (measured in this run, when it was).
    const emptyHeap = empty?.further?.heapUsedBytesEach;
    const perColumn = (wide.heapUsedDelta - (emptyHeap ?? 0)) / columns;
    lines.push(
      markdownTable(
        ['wide store', 'columns', 'records', 'Δheap B/column', 'less an empty store', 'retained B/column', 'totalBytes', 'reservedBytes', 'target met'],
        [
          ['fromJSON, no column read', fmtInt(columns), fmtInt(wide.records), fmtFixed(wide.heapUsedDelta / columns, 0), emptyHeap === undefined ? '—' : fmtFixed(perColumn, 0),
            fmtFixed(wide.retainedBytes / columns, 0), fmtInt(wide.store!.totalBytes), fmtInt(wide.store!.reservedBytes), perColumn <= TARGET_HEAP_PER_COLUMN ? 'yes' : 'no'],
          ...(wide.afterOneRead === undefined ? [] : [['then one field of one record read', '', '', fmtFixed(wide.afterOneRead.heapUsedDelta / columns, 0), '', '', '', '', '']]),
        ],
        'lrrrrrrrl',
      ),
      '',
      `Columns counted as store.memory() lists them (the records' struct included); per store: 6 more built and held after two (and two`,
      'warm-up builds of the same width), Δ over the 6. Reading one field of a record builds its struct\'s view class:',
      `a getter per field, and each getter makes its column's Column (typed-array views). Target: ≤ ${TARGET_HEAP_PER_COLUMN} B of JS heap per column nobody reads`,
      '(less an empty store\'s heap, each of the 100 further ones above, when measured in the same run).',
      '',
    );
  }
  lines.push('retained = Δ(heapUsed + external) after gc (twice, until stable), each build in a fresh `node --expose-gc` child after two warm-up builds of a small twin; ΔRSS is the cross-check.', '');
  return lines.join('\n');
}

runMain('footprint', main);
