// `npm run bench`: every representation over every operation on every dataset (suite/*).
//   node dist/suite.js [--datasets cargo-1m,events-100k,flights-200k,movies,shipments] [--quick]
//                      [--iterations 7] [--no-memory] [--isolate] [--cache DIR] [--out results/suite]
//   node dist/suite.js --render results/suite.json   (its .md written again from the .json)
// Speed: each dataset in its own child (`--child <name>`, a heap sized for its plain objects; datasets over 2M records or `--isolate`: each representation in a child of its own, runIsolated), every
// representation built there, every operation's answer checked against plain objects' (a
// disagreement is an error, not a figure), then timed with tinybench: `--iterations` runs after 2
// warm-up runs and at least 500 ms of warm-up (fewer runs and none of that when one run is slow: about 30 s a cell, at least one run), the median, and its ratio to plain objects' median in the same child. Memory: the
// CLI's measureFile (@memstore/cli) per dataset — plain, class, interned, memstore, arrow, each in a
// fresh child, cross-checked by the heap snapshot's total. Results: results/suite.json and suite.md.
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureFile, type MeasureReport } from '@memstore/cli';
import { Bench } from 'tinybench';
import { intFlag, machineFacts, parseArgs, runMain, stringFlag, writeResults, type MachineFacts } from './cli';
import { DATASETS, DEFAULT_CACHE_DIR, datasetNamed } from './suite/datasets';
import { suiteMarkdown } from './suite/markdown';
import { buildRepresentations, OPERATIONS, REPRESENTATION_NAMES, type Answer } from './suite/representations';

export interface Timing {
  representation: string;
  operation: string;
  medianMs: number;
  samples: number;
  /** medianMs ÷ plain objects' median for the operation, timed in the same child (plain: 1). */
  ratioToPlain: number | null;
  answer: Answer;
}

export interface DatasetRun {
  dataset: string;
  file: string;
  records: number;
  machine: MachineFacts;
  /** Each representation timed in a child of its own (DatasetSpec.isolate), plain objects' figures handed to each. */
  isolated: boolean;
  timings: Timing[];
  memory: MeasureReport | null;
}

const WARM_UP = 2;
/** The least warm-up time of a cell that is not slow. */
const WARM_UP_MS = 500;
/** About how long one cell may take: its runs are cut to fit when one run is slow. */
const CELL_BUDGET_MS = 30_000;

/** Plain objects' answers and medians, handed to a child that times one other representation alone. */
interface PlainFigures {
  answers: Partial<Record<string, Answer>>;
  medians: Partial<Record<string, number>>;
}

/** The child: build, check, time — every representation, or those in `only` (then `given` holds plain objects' figures). */
async function child(name: string, cache: string, iterations: number, only?: string[], given?: PlainFigures): Promise<DatasetRun> {
  const spec = datasetNamed(name);
  mkdirSync(cache, { recursive: true });
  const file = spec.file(cache);
  const { records, representations, close } = await buildRepresentations(file, spec, only);
  try {
    const plain = representations.find((representation) => representation.name === 'plain');
    const timings: Timing[] = [];
    for (const operation of OPERATIONS) {
      const expected = plain === undefined ? given?.answers[operation] : await plain.operations[operation]?.();
      let plainMedian: number | null = plain === undefined ? (given?.medians[operation] ?? null) : null;
      for (const representation of representations) {
        const run = representation.operations[operation];
        if (run === undefined) continue;
        const started = performance.now();
        const answer = await run();
        const firstMs = performance.now() - started;
        if (!sameAnswer(answer, expected)) throw new Error(`${name}: ${representation.name} answers ${operation} with ${answer}, plain objects with ${expected}`);
        // A cell whose one run takes seconds gets fewer runs, so a slow cell costs ~30 s, not many minutes:
        // the checking run above is its warm-up, and one timed run is the floor (Arrow JS's row
        // iteration over 100k wide events takes minutes a run). `samples` in the results says how many.
        const slow = firstMs > CELL_BUDGET_MS / (iterations + WARM_UP);
        const runs = slow ? Math.max(1, Math.floor(CELL_BUDGET_MS / firstMs)) : iterations;
        // A fast cell warms up for at least WARM_UP_MS too: two runs of a millisecond leave V8's
        // optimising compiler behind (orderBy's top-k on 100k events: 5.3 ms a run then, 1.0 ms warm).
        const bench = new Bench({ iterations: runs, warmupIterations: slow ? 0 : WARM_UP, time: 0, warmupTime: slow ? 0 : WARM_UP_MS });
        bench.add(representation.name, async () => void (await run()));
        await bench.run();
        const result = bench.tasks[0].result as { latency?: { p50?: number; samples?: unknown[] } } | undefined;
        const medianMs = result?.latency?.p50 ?? Number.NaN;
        if (representation === plain) plainMedian = medianMs;
        process.stderr.write(`suite: ${name}: ${representation.name} / ${operation}: ${medianMs.toFixed(2)} ms\n`);
        timings.push({ representation: representation.name, operation, medianMs, samples: result?.latency?.samples?.length ?? iterations, ratioToPlain: plainMedian === null ? null : medianMs / plainMedian, answer });
      }
    }
    return { dataset: name, file, records, machine: machineFacts(), isolated: only !== undefined, timings, memory: null };
  } finally {
    close();
  }
}

/** Sums of floats differ in the last bits with the order of addition (SIMD lanes, SQL): 1e-9 relative. */
function sameAnswer(a: Answer | undefined, b: Answer | undefined): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  return a === b;
}

function runChild(name: string, heapMiB: number, cache: string, iterations: number, only?: string[], given?: PlainFigures): Promise<DatasetRun> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const scoped = only === undefined ? [] : ['--only', only.join(','), '--given', JSON.stringify(given ?? { answers: {}, medians: {} })];
    const proc = fork(script, ['--child', name, '--cache', cache, '--iterations', String(iterations), ...scoped], { execArgv: [`--max-old-space-size=${heapMiB}`], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let message: { ok: true; run: DatasetRun } | { ok: false; error: string } | undefined;
    proc.on('message', (received) => (message = received as typeof message));
    proc.on('exit', (code) => {
      if (message?.ok) resolve(message.run);
      else reject(new Error(message?.ok === false ? message.error : `the ${name} child exited with code ${code}`));
    });
  });
}

/**
 * A dataset too large for every representation in one heap: plain objects in a child first, then
 * each other representation in a child of its own, checked against and timed as a ratio to plain
 * objects' figures of that run. (With 10M cargo records in one 12 GB heap — plain, class and interned
 * objects together — a read through record views took 83 s, not ~1: every view's allocation paid
 * for collections of the others' gigabytes.)
 */
async function runIsolated(name: string, heapMiB: number, cache: string, iterations: number): Promise<DatasetRun> {
  const plain = await runChild(name, heapMiB, cache, iterations, ['plain']);
  const given: PlainFigures = {
    answers: Object.fromEntries(plain.timings.map((timing) => [timing.operation, timing.answer])),
    medians: Object.fromEntries(plain.timings.map((timing) => [timing.operation, timing.medianMs])),
  };
  const timings = [...plain.timings];
  for (const representation of REPRESENTATION_NAMES) {
    if (representation === 'plain') continue;
    timings.push(...(await runChild(name, heapMiB, cache, iterations, [representation], given)).timings);
  }
  const order = (timing: Timing) => OPERATIONS.indexOf(timing.operation as (typeof OPERATIONS)[number]) * REPRESENTATION_NAMES.length + REPRESENTATION_NAMES.indexOf(timing.representation as (typeof REPRESENTATION_NAMES)[number]);
  return { ...plain, isolated: true, timings: timings.sort((a, b) => order(a) - order(b)) };
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['datasets', 'iterations', 'cache', 'out', 'child', 'only', 'given', 'render']);
  const cache = stringFlag(args, 'cache') ?? DEFAULT_CACHE_DIR;
  const quick = args.flags.has('quick');
  const iterations = intFlag(args, 'iterations', quick ? 3 : 7);
  const childName = stringFlag(args, 'child');
  if (childName !== undefined) {
    try {
      const only = stringFlag(args, 'only')?.split(',');
      const given = stringFlag(args, 'given');
      process.send!({ ok: true, run: await child(childName, cache, iterations, only, given === undefined ? undefined : (JSON.parse(given) as PlainFigures)) });
    } catch (error) {
      process.send!({ ok: false, error: (error as Error).message });
    }
    return;
  }
  // --render results.json: the markdown of a results file written again (after a change to markdown.ts).
  const render = stringFlag(args, 'render');
  if (render !== undefined) {
    const result = JSON.parse(readFileSync(render, 'utf8')) as Parameters<typeof suiteMarkdown>[0];
    writeFileSync(render.replace(/\.json$/i, '') + '.md', suiteMarkdown(result));
    return;
  }
  const names = (stringFlag(args, 'datasets') ?? DATASETS.map((d) => d.name).join(',')).split(',').map((n) => n.trim()).filter(Boolean);
  const runs: DatasetRun[] = [];
  for (const name of names) {
    const spec = datasetNamed(name);
    process.stderr.write(`suite: ${name}: speed…\n`);
    const run = spec.isolate || args.flags.has('isolate') ? await runIsolated(name, spec.heapMiB, cache, iterations) : await runChild(name, spec.heapMiB, cache, iterations);
    if (!args.flags.has('no-memory')) {
      process.stderr.write(`suite: ${name}: memory…\n`);
      run.memory = await measureFile(run.file, { representations: ['plain', 'class', 'interned', 'memstore', 'arrow'], crossCheck: spec.crossCheck, execArgv: [`--max-old-space-size=${spec.heapMiB}`] });
    }
    runs.push(run);
  }
  const result = { machine: machineFacts(), iterations, warmUp: WARM_UP, warmUpMs: WARM_UP_MS, runs };
  const written = writeResults(stringFlag(args, 'out'), 'suite.json', result, suiteMarkdown(result));
  process.stderr.write(`suite: wrote ${written.json} and ${written.md}\n`);
}

runMain('suite', main);
