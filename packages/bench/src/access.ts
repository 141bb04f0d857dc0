// Access speed: read two fields of every record, plain objects vs memstore views, in one process.
// Cargo (the default): r.product.name and r.quantity.value of 1M records. A feed (`--data tweets`,
// `--data events`: wide records, most fields absent, written to results/access-<feed>.*): two
// fields of 50,000 records — the views of wide structs are made another way (view/wideRecord.ts).
//   node dist/access.js [--data cargo|tweets|events] [--count N] [--seed N] [--iterations 15] [--out results/access.json]
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
import { DEFAULT_FEED_SEED, FEEDS, type FeedName } from './feeds/feedFile';

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

type Loop = { name: string; loop: string; plainTwin?: string; fn: () => number };

/** What each feed's loops read: a string field's length plus a number (or a second string's length). */
const FEED_READS: Record<FeedName, { what: string; read: (r: unknown) => number }> = {
  tweets: { what: 'r.user.screen_name and r.retweet_count', read: (r) => (r as Tweet).user.screen_name.length + (r as Tweet).retweet_count },
  events: { what: 'r.actor.login and r.id', read: (r) => (r as GitHubEvent).actor.login.length + (r as GitHubEvent).id.length },
};
interface Tweet {
  user: { screen_name: string };
  retweet_count: number;
}
interface GitHubEvent {
  actor: { login: string };
  id: string;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['data', 'count', 'seed', 'iterations', 'out']);
  const data = stringFlag(args, 'data') ?? 'cargo';
  if (data !== 'cargo' && !(data in FEEDS)) throw new Error(`--data must be cargo, ${Object.keys(FEEDS).join(' or ')}, got ${data}`);
  const feed = data === 'cargo' ? null : (data as FeedName);
  const count = intFlag(args, 'count', feed === null ? 1_000_000 : 50_000);
  const seed = intFlag(args, 'seed', feed === null ? DEFAULT_SEED : DEFAULT_FEED_SEED);
  const iterations = intFlag(args, 'iterations', 15);

  process.stderr.write(`building ${fmtInt(count)} ${data} records as plain objects (JSON.parse) and as a memstore…\n`);
  const plain = feed === null ? (JSON.parse(cargoJsonText(count, seed)) as Cargo[]) : feedRecords(feed, count, seed);
  const store = await Store.fromRecords(plain);
  const n = store.length;
  const what = feed === null ? 'r.product.name and r.quantity.value' : FEED_READS[feed].what;

  // The loops. Each returns its sum, which is also kept in `sink` and compared across loops.
  const loops: Loop[] = feed === null ? cargoLoops(plain as Cargo[], store as Store<Cargo>, n) : feedLoops(plain, store, n, FEED_READS[feed].read);

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
  const markdown = renderMarkdown(tasks, data, what, n, seed, iterations, machineLine(machine), summary);
  process.stdout.write(markdown);
  const written = writeResults(
    stringFlag(args, 'out'),
    feed === null ? 'access.json' : `access-${feed}.json`,
    { kind: 'access', data, reads: what, machine, count: n, seed, harness: 'tinybench 6.2.4', warmUpRuns: WARM_UP_RUNS, iterations, checksum: expected, target: { ratioMax: TARGET_RATIO, worstSameLoopRatio: worstSameLoop, met, worstRatioVsPlainForI: worst, metVsPlainForI: metStrict, summary }, tasks, markdown },
    markdown,
  );
  process.stderr.write(`wrote ${written.json} and ${written.md} (sink ${sink})\n`);
  store.dispose();
}

/** The cargo loops, as they have always read (the figures of results/access.md). */
function cargoLoops(plain: Cargo[], store: Store<Cargo>, n: number): Loop[] {
  return [
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
}

/** A feed's records as plain objects: JSON.parse of their text, as a user's pipeline holds them. */
function feedRecords(feed: FeedName, count: number, seed: number): unknown[] {
  const next = FEEDS[feed].source(seed);
  const records: unknown[] = [];
  for (let i = 0; i < count; i++) records.push(JSON.parse(JSON.stringify(next())));
  return records;
}

/** The same four loop shapes over a feed, reading through `read`. */
function feedLoops(plain: unknown[], store: Store, n: number, read: (r: unknown) => number): Loop[] {
  return [
    { name: 'plain objects, for i', loop: 'for (let i = 0; i < n; i++) { const r = array[i]; … }', fn: () => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += read(plain[i]);
      return sum;
    } },
    { name: 'plain objects, for-of', loop: 'for (const r of array) { … }', fn: () => {
      let sum = 0;
      for (const r of plain) sum += read(r);
      return sum;
    } },
    { name: 'memstore, store.at(i)', loop: 'for (let i = 0; i < n; i++) { const r = store.at(i); … }', plainTwin: 'plain objects, for i', fn: () => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += read(store.at(i));
      return sum;
    } },
    { name: 'memstore, for-of', loop: 'for (const r of store) { … }', plainTwin: 'plain objects, for-of', fn: () => {
      let sum = 0;
      for (const r of store) sum += read(r);
      return sum;
    } },
  ];
}

function renderMarkdown(tasks: AccessTask[], data: string, what: string, count: number, seed: number, iterations: number, machine: string, summary: string): string {
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
    `## Access: read ${what} of ${fmtInt(count)} ${data === 'cargo' ? '' : `${data} `}records (seed ${seed})`,
    '',
    `Machine: ${machine}`,
    '',
    table,
    '',
    `tinybench 6.2.4, ${WARM_UP_RUNS} warm-up + ${iterations} timed runs per loop, median shown; plain objects come from JSON.parse,`,
    'the store from Store.fromRecords of the same objects; every loop sums the same reads (checked equal).',
    '',
    `**Target:** ${summary}.`,
    '',
  ].join('\n');
}

runMain('access', main);
