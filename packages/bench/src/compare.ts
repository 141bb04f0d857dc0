// Interleaved A/B comparison of two built checkouts: every benchmark run alternately in base and
// head (base, head, base, head… for --rounds rounds), each run a fresh child in its checkout, and
// each figure's median over the rounds compared, flagging head more than --threshold % worse.
//   node dist/compare.js --base DIR [--head DIR] [--rounds 3] [--benches memory,ingest,query,access]
//                        [--threshold 10] [--out results/compare.json] [--keep] [--verbose]
//                        [--count N] [--iterations N] [--only first,id] [--data tweets]   (passed through, see below)
// --head defaults to the checkout this script is in. Both checkouts must be built (`npm ci && npm
// run build`). Each run writes its results to a temp dir (`--out`, which every benchmark takes),
// so neither checkout's results/ change; --keep keeps that dir. Passed through to the benchmarks:
// --count to memory, ingest, query, access; --iterations to query and access; --only to query;
// --data to access (cargo, tweets, events: both checkouts' access.js must take it).
// Benchmarks: memory, ingest, query, access, and bigfile (writes a 3 GiB file per run; not a default).
// Prints the comparison (markdown) and writes <out> (JSON) and <out>.md. A warning is printed when a
// checkout's build outputs change during the comparison (someone rebuilt it: its rounds differ).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { intFlag, machineFacts, machineLine, PACKAGE_DIR, parseArgs, runMain, stringFlag, UsageError, writeResults } from './cli';
import { buildFingerprint, openCheckout, type Checkout } from './compare/checkout';
import { BENCHES, figuresOf, type BenchName, type Figure } from './compare/figures';
import { renderMarkdown, type BenchComparison } from './compare/markdown';
import { runBench } from './compare/run';
import { compareFigures, median } from './compare/summary';

const DEFAULT_BENCHES: readonly BenchName[] = ['memory', 'ingest', 'query', 'access'];

interface RunRecord {
  round: number;
  bench: BenchName;
  side: Checkout['side'];
  ms: number;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['base', 'head', 'rounds', 'benches', 'threshold', 'out', 'count', 'iterations', 'only', 'data']);
  const baseDir = stringFlag(args, 'base');
  if (baseDir === undefined) throw new UsageError('--base DIR is required (a built checkout to compare against)');
  const headDir = stringFlag(args, 'head') ?? resolve(PACKAGE_DIR, '..', '..');
  const rounds = intFlag(args, 'rounds', 3);
  const thresholdPercent = intFlag(args, 'threshold', 10);
  const benches = (stringFlag(args, 'benches') ?? DEFAULT_BENCHES.join(',')).split(',').map((b) => b.trim()) as BenchName[];
  for (const bench of benches) if (!(BENCHES as readonly string[]).includes(bench)) throw new UsageError(`unknown benchmark ${bench} (known: ${BENCHES.join(', ')})`);
  const keep = args.flags.has('keep');
  const verbose = args.flags.has('verbose');
  const benchArgs = (bench: BenchName): string[] => {
    const passed: string[] = [];
    const count = stringFlag(args, 'count');
    const iterations = stringFlag(args, 'iterations');
    const only = stringFlag(args, 'only');
    if (count !== undefined && bench !== 'bigfile') passed.push('--count', count);
    if (iterations !== undefined && (bench === 'query' || bench === 'access')) passed.push('--iterations', iterations);
    if (only !== undefined && bench === 'query') passed.push('--only', only);
    const data = stringFlag(args, 'data');
    if (data !== undefined && bench === 'access') passed.push('--data', data);
    return passed;
  };

  const checkouts = [openCheckout('base', baseDir, benches), openCheckout('head', headDir, benches)];
  const machine = machineFacts();
  const fingerprints = new Map(checkouts.map((c) => [c.side, buildFingerprint(c.dir)]));
  const warnings: string[] = [];
  const figures = new Map(benches.map((bench) => [bench, { base: [] as Figure[][], head: [] as Figure[][] }]));
  const runs: RunRecord[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'memstore-compare-'));
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const bench of benches) {
        for (const checkout of checkouts) {
          const fingerprint = buildFingerprint(checkout.dir);
          if (fingerprint !== fingerprints.get(checkout.side)) {
            warnings.push(`${checkout.side} (${checkout.dir}) was rebuilt before round ${round}'s ${bench} run: its rounds ran different builds.`);
            fingerprints.set(checkout.side, fingerprint);
          }
          process.stderr.write(`round ${round}/${rounds}: ${bench} in ${checkout.side}…`);
          const out = join(scratch, `${bench}-${checkout.side}-${round}.json`);
          const run = await runBench(checkout.dir, bench, benchArgs(bench), out, verbose);
          process.stderr.write(` ${(run.ms / 1000).toFixed(1)} s\n`);
          figures.get(bench)![checkout.side].push(figuresOf(bench, run.json));
          runs.push({ round, bench, side: checkout.side, ms: run.ms });
        }
      }
    }
  } finally {
    if (keep) process.stderr.write(`kept every run's results in ${scratch}\n`);
    else rmSync(scratch, { recursive: true, force: true });
  }

  const runMs = (bench: BenchName, side: Checkout['side']) => median(runs.filter((r) => r.bench === bench && r.side === side).map((r) => r.ms));
  const comparisons: BenchComparison[] = benches.map((bench) => ({
    bench,
    args: benchArgs(bench),
    runMs: { base: runMs(bench, 'base'), head: runMs(bench, 'head') },
    figures: compareFigures(figures.get(bench)!.base, figures.get(bench)!.head, thresholdPercent),
  }));
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const markdown = renderMarkdown(comparisons, checkouts, rounds, thresholdPercent, machineLine(machine), warnings);
  process.stdout.write(markdown);
  const worse = comparisons.reduce((total, c) => total + c.figures.filter((f) => f.worse).length, 0);
  const written = writeResults(
    stringFlag(args, 'out'),
    'compare.json',
    { kind: 'compare', machine, checkouts, rounds, benches, thresholdPercent, worse, warnings, runs, comparisons, markdown },
    markdown,
  );
  process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
}

runMain('compare', main);
