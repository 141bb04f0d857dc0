// Access speed: read r.product.name and r.quantity.value of every record, plain objects vs
// memstore views, in one process.
//   node dist/access.js [--count 1000000] [--seed N] [--iterations 15] [--out results/access.json]
// Target (reported, never enforced): memstore ≤ 3× the plain-object loop.
//
// Harness: tinybench 6.2.4, pinned (the newest release; its engines field says Node ≥ 20 and it runs
// on Node 20). Each task gets `--iterations` timed runs after 3 warm-up runs (time budgets set to 0,
// so the iteration counts decide), and we report the median (latency.p50). One run = one full pass
// over all records, so timer resolution is not an issue.
import { Bench } from 'tinybench';
import { Store } from '@memstore/core';
import { fmtFixed, fmtInt, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, writeResults } from './cli';
import { cargoJsonText, DEFAULT_SEED, type Cargo } from './datasets';

export const TARGET_RATIO = 3;
const WARM_UP_RUNS = 3;

export interface AccessTask {
  name: string;
  loop: string;
  medianMs: number;
  meanMs: number;
  minMs: number;
  rmePercent: number;
  samples: number;
  nsPerRecord: number;
  /** medianMs / the plain `for i` loop's medianMs. */
  ratio: number;
  /** memstore loops: medianMs / the plain-object loop of the same shape (for i / for-of). */
  sameLoopRatio: number | null;
}

/** Written to by every loop, read at the end: the reads cannot be optimised away. */
let sink = 0;

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['count', 'seed', 'iterations', 'out']);
  const count = intFlag(args, 'count', 1_000_000);
  const seed = intFlag(args, 'seed', DEFAULT_SEED);
  const iterations = intFlag(args, 'iterations', 15);

  process.stderr.write(`building ${fmtInt(count)} records as plain objects (JSON.parse) and as a memstore…\n`);
  const plain = JSON.parse(cargoJsonText(count, seed)) as Cargo[];
  const store = await Store.fromRecords(plain);
  const n = store.length;

  // The loops. Each returns its sum, which is also kept in `sink` and compared across loops.
  const loops: Array<{ name: string; loop: string; plainTwin?: string; fn: () => number }> = [
    {
      name: 'plain objects, for i',
      loop: 'for (let i = 0; i < n; i++) { const r = array[i]; … }',
      fn: () => {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const r = plain[i];
          sum += r.product.name.length + r.quantity.value;
        }
        return sum;
      },
    },
    {
      name: 'plain objects, for-of',
      loop: 'for (const r of array) { … }',
      fn: () => {
        let sum = 0;
        for (const r of plain) sum += r.product.name.length + r.quantity.value;
        return sum;
      },
    },
    {
      name: 'memstore, store.at(i)',
      loop: 'for (let i = 0; i < n; i++) { const r = store.at(i); … }',
      plainTwin: 'plain objects, for i',
      fn: () => {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const r = store.at(i)!;
          sum += r.product.name.length + r.quantity.value;
        }
        return sum;
      },
    },
    {
      name: 'memstore, for-of',
      loop: 'for (const r of store) { … }',
      plainTwin: 'plain objects, for-of',
      fn: () => {
        let sum = 0;
        for (const r of store) sum += r.product.name.length + r.quantity.value;
        return sum;
      },
    },
  ];

  const expected = loops[0].fn();
  for (const { name, fn } of loops) {
    const got = fn();
    if (got !== expected) throw new Error(`${name} read different values (sum ${got}, expected ${expected})`);
  }

  const bench = new Bench({ iterations, time: 0, warmupIterations: WARM_UP_RUNS, warmupTime: 0, throws: true });
  for (const { name, fn } of loops) {
    bench.add(name, () => {
      sink += fn();
    });
  }
  process.stderr.write(`timing ${loops.length} loops: ${WARM_UP_RUNS} warm-up + ${iterations} timed runs each…\n`);
  await bench.run();

  const medians = new Map<string, { medianMs: number; meanMs: number; minMs: number; rmePercent: number; samples: number }>();
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`task ${task.name} did not complete (${result.state})`);
    const { p50, mean, min, rme, samplesCount } = result.latency;
    medians.set(task.name, { medianMs: p50, meanMs: mean, minMs: min, rmePercent: rme, samples: samplesCount });
  }
  const baseline = medians.get(loops[0].name)!.medianMs;
  const tasks: AccessTask[] = loops.map(({ name, loop, plainTwin }) => {
    const stats = medians.get(name)!;
    const sameLoopRatio = plainTwin === undefined ? null : stats.medianMs / medians.get(plainTwin)!.medianMs;
    return { name, loop, ...stats, nsPerRecord: (stats.medianMs * 1e6) / n, ratio: stats.medianMs / baseline, sameLoopRatio };
  });

  // Two readings of "memstore/plain": the same loop shape on both sides, and the strict one
  // (every memstore loop against the fastest plain idiom, the indexed loop). Both are reported.
  const memstoreTasks = tasks.filter((task) => task.sameLoopRatio !== null);
  const worstSameLoop = Math.max(...memstoreTasks.map((task) => task.sameLoopRatio!));
  const worst = Math.max(...memstoreTasks.map((task) => task.ratio));
  const met = worstSameLoop <= TARGET_RATIO;
  const metStrict = worst <= TARGET_RATIO;
  const summary =
    `memstore ≤ ${TARGET_RATIO}× plain objects, same loop shape: ${met ? 'MET' : 'NOT MET'} (worst ${fmtFixed(worstSameLoop, 2)}×); ` +
    `every memstore loop against the plain for-i loop: ${metStrict ? 'MET' : 'NOT MET'} (worst ${fmtFixed(worst, 2)}×)`;
  const machine = machineFacts();
  const markdown = renderMarkdown(tasks, n, seed, iterations, machineLine(machine), summary);
  process.stdout.write(markdown);
  const written = writeResults(
    stringFlag(args, 'out'),
    'access.json',
    { kind: 'access', machine, count: n, seed, harness: 'tinybench 6.2.4', warmUpRuns: WARM_UP_RUNS, iterations, checksum: expected, target: { ratioMax: TARGET_RATIO, worstSameLoopRatio: worstSameLoop, met, worstRatioVsPlainForI: worst, metVsPlainForI: metStrict, summary }, tasks, markdown },
    markdown,
  );
  process.stderr.write(`wrote ${written.json} and ${written.md} (sink ${sink})\n`);
  store.dispose();
}

function renderMarkdown(tasks: AccessTask[], count: number, seed: number, iterations: number, machine: string, summary: string): string {
  const table = markdownTable(
    ['loop', 'median ms', 'ns/record', 'min ms', '±rme %', 'vs plain for-i', 'vs plain, same loop'],
    tasks.map((task) => [
      task.name,
      fmtFixed(task.medianMs, 2),
      fmtFixed(task.nsPerRecord, 1),
      fmtFixed(task.minMs, 2),
      fmtFixed(task.rmePercent, 1),
      `${fmtFixed(task.ratio, 2)}×`,
      task.sameLoopRatio === null ? '—' : `${fmtFixed(task.sameLoopRatio, 2)}×`,
    ]),
    'lrrrrrr',
  );
  return [
    `## Access: read r.product.name and r.quantity.value of ${fmtInt(count)} records (seed ${seed})`,
    '',
    `Machine: ${machine}`,
    '',
    table,
    '',
    `tinybench 6.2.4, ${WARM_UP_RUNS} warm-up + ${iterations} timed runs per loop, median shown; plain objects come from JSON.parse,`,
    'the store from Store.fromRecords of the same objects; every loop sums name lengths + values (checked equal).',
    '',
    `**Target:** ${summary}.`,
    '',
  ].join('\n');
}

runMain('access', main);
