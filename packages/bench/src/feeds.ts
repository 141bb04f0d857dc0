// Realistic feeds: N GitHub-style events and N tweets (feeds/), each loaded every way there is —
// plain objects (readline + JSON.parse per line; JSON.parse of the whole array), memstore through
// each entry path (fromFile of NDJSON and array, fromStream, fromJSON of a string and of bytes,
// fromRecords, append in chunks of 10,000 lines) and DuckDB's read_json_auto — each load in a
// fresh `node --expose-gc` child (feeds/measure.ts): retained bytes, ΔRSS, load time, peak RSS,
// store.memory(); then the ratios the targets are stated in (feeds/summary.ts), and a small file
// (100 tweets) against plain objects: each of its loads in --small-children fresh children, each
// holding --small-copies copies at once (retained per copy, median and range over the children).
//   node dist/feeds.js [--records 100000] [--feeds events,tweets] [--loads a,b] [--rounds 1] [--small 100 | --no-small | --small-only]
//                      [--small-copies 32] [--small-children 5] [--seed N] [--dir DIR] [--out results/feeds.json]
// --small-only skips the feeds of --records (only the small file's loads run, those of --loads).
// The files are written once into DIR (default: <os tmpdir>/memstore-bench-feeds) and reused while
// their manifests match. Targets are reported, never enforced.
import { execFileSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fmtInt, fmtMiB, intFlag, machineFacts, machineLine, PACKAGE_DIR, parseArgs, runMain, stringFlag, UsageError, writeResults } from './cli';
import { DEFAULT_FEED_SEED, ensureFeedFiles, FEED_NAMES, type FeedFiles, type FeedName } from './feeds/feedFile';
import { type FeedSection, leafColumns, renderMarkdown, type SmallSection } from './feeds/markdown';
import { FEED_LOADS, type FeedLoad, type FeedLoadResult, measureFeedLoad } from './feeds/measure';
import { type LoadOutcome, type SmallOutcome, summarise, summariseSmall, TARGETS } from './feeds/summary';

const WARM_UP_RECORDS = 2000;
const SMALL_COPIES = 32;
const SMALL_CHILDREN = 5;
/** The loads of the small-file figure: plain objects, and memstore's file and text paths. */
const SMALL_LOADS: readonly FeedLoad[] = ['readline-json-parse', 'json-parse-array', 'fromFile-ndjson', 'fromFile-array', 'fromJSON-string'];

function listFlag<T extends string>(args: ReturnType<typeof parseArgs>, name: string, known: readonly T[]): T[] {
  const raw = stringFlag(args, name);
  if (raw === undefined) return [...known];
  const names = raw.split(',').map((entry) => entry.trim());
  for (const entry of names) if (!(known as readonly string[]).includes(entry)) throw new UsageError(`--${name}: unknown ${entry} (known: ${known.join(', ')})`);
  return names as T[];
}

/** `git rev-parse HEAD` of this checkout, "(modified)" when tracked files changed; read-only. */
function commitOf(root: string): string {
  const git = (...args: string[]) => execFileSync('git', ['--no-optional-locks', '-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return git('rev-parse', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') === '' ? '' : ' (modified)');
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/**
 * Each load in `rounds` fresh children, interleaved (round 1 of every load, then round 2, …, so a
 * change in the machine's load falls on every load alike). A load's result is its median-time
 * round (memory figures vary little between rounds; time on this 2-core VM varies by a third),
 * and every round's time is kept.
 */
async function runLoads(feed: FeedName, files: FeedFiles, warmUp: FeedFiles, loads: readonly FeedLoad[], rounds: number): Promise<LoadOutcome[]> {
  const runs = new Map<FeedLoad, FeedLoadResult[]>(loads.map((load) => [load, []]));
  const failures = new Map<FeedLoad, string>();
  for (let round = 1; round <= rounds; round++) {
    for (const load of loads) {
      if (failures.has(load)) continue;
      process.stderr.write(`${feed} × ${fmtInt(files.records)}: ${load} (fresh child${rounds > 1 ? ` ${round}/${rounds}` : ''})…`);
      try {
        const result = await measureFeedLoad({ feed, load, ndjson: files.ndjson, array: files.array, warmUp: { ndjson: warmUp.ndjson, array: warmUp.array } });
        const store = result.store ? `, used ${fmtMiB(result.store.totalBytes)} / reserved ${fmtMiB(result.store.reservedBytes)} MiB` : '';
        process.stderr.write(` ${fmtInt(result.ms)} ms, retained ${fmtMiB(result.retainedBytes)} MiB, peak RSS ${fmtMiB(result.maxRssBytes)} MiB${store}\n`);
        runs.get(load)!.push(result);
      } catch (error) {
        const failure = error instanceof Error ? error.message : String(error);
        process.stderr.write(` failed: ${failure}\n`);
        failures.set(load, failure);
      }
    }
  }
  return loads.map((load) => {
    const failure = failures.get(load);
    if (failure !== undefined) return { load, failure };
    const results = [...runs.get(load)!].sort((a, b) => a.ms - b.ms);
    return { load, result: results[(results.length - 1) >> 1], roundsMs: runs.get(load)!.map((result) => result.ms) };
  });
}

/**
 * The small file's loads: `children` rounds, each a fresh child per load (interleaved, so a change
 * in the machine's load falls on every load alike), each child holding `copies` loads at once.
 */
async function runSmallLoads(feed: FeedName, files: FeedFiles, loads: readonly FeedLoad[], copies: number, children: number): Promise<SmallOutcome[]> {
  const outcomes: SmallOutcome[] = loads.map((load) => ({ load, runs: [], failures: [] }));
  for (let round = 1; round <= children; round++) {
    for (const outcome of outcomes) {
      process.stderr.write(`${feed} × ${fmtInt(files.records)}, ${copies} copies: ${outcome.load} (fresh child ${round}/${children})…`);
      try {
        const result = await measureFeedLoad({ feed, load: outcome.load, ndjson: files.ndjson, array: files.array, warmUp: { ndjson: files.ndjson, array: files.array }, copies });
        const kib = (bytes: number) => (bytes / copies / 1024).toFixed(1);
        process.stderr.write(` retained ${kib(result.retainedBytes)} KiB / copy, ΔRSS ${kib(result.rssDelta)} KiB / copy\n`);
        outcome.runs.push(result);
      } catch (error) {
        const failure = error instanceof Error ? error.message : String(error);
        process.stderr.write(` failed: ${failure}\n`);
        outcome.failures.push(failure);
      }
    }
  }
  return outcomes;
}

/** A result as the JSON keeps it: a store's columns cut to its 20 costliest, except where `keepColumns`. */
function trimmedResult(result: FeedLoadResult, keepColumns: boolean): FeedLoadResult {
  const store = result.store;
  if (store === undefined || keepColumns) return result;
  const columns = [...store.columns].sort((a, b) => b.bytes - a.bytes).slice(0, 20);
  return { ...result, store: { ...store, columns } };
}

const trimmed = (outcome: LoadOutcome, keepColumns: boolean): LoadOutcome => (outcome.result === undefined ? outcome : { ...outcome, result: trimmedResult(outcome.result, keepColumns) });

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['records', 'feeds', 'loads', 'rounds', 'small', 'small-copies', 'small-children', 'seed', 'dir', 'out']);
  const records = intFlag(args, 'records', 100_000);
  const rounds = intFlag(args, 'rounds', 1);
  const smallOnly = args.flags.has('small-only');
  if (smallOnly && args.flags.has('no-small')) throw new UsageError('--small-only and --no-small exclude each other');
  const feeds = smallOnly ? [] : listFlag(args, 'feeds', FEED_NAMES);
  const loads = listFlag(args, 'loads', FEED_LOADS);
  const smallRecords = args.flags.has('no-small') ? 0 : intFlag(args, 'small', 100);
  const smallCopies = intFlag(args, 'small-copies', SMALL_COPIES);
  const smallChildren = intFlag(args, 'small-children', SMALL_CHILDREN);
  const seed = intFlag(args, 'seed', DEFAULT_FEED_SEED);
  const dir = resolve(stringFlag(args, 'dir') ?? join(tmpdir(), 'memstore-bench-feeds'));

  // Taken first: the load average then is other work's, not this benchmark's.
  const machine = machineFacts();
  const repo = resolve(PACKAGE_DIR, '..', '..');
  const commit = commitOf(repo);
  const files = new Map<FeedName, { data: FeedFiles; warmUp: FeedFiles }>();
  for (const feed of feeds) {
    process.stderr.write(`data: ${fmtInt(records)} ${feed} in ${dir}…`);
    const data = ensureFeedFiles(dir, feed, records, seed);
    // The twin is never larger than the file (a larger one leaves more behind to be collected during the measurement).
    const warmUp = records <= WARM_UP_RECORDS ? data : ensureFeedFiles(dir, feed, WARM_UP_RECORDS, seed);
    process.stderr.write(` ${data.reused ? 'reused' : 'written'} (${fmtMiB(data.bytes)} MiB NDJSON, ${fmtMiB(data.arrayBytes)} MiB array)\n`);
    files.set(feed, { data, warmUp });
  }

  const sections: FeedSection[] = [];
  for (const feed of feeds) {
    const { data, warmUp } = files.get(feed)!;
    const outcomes = await runLoads(feed, data, warmUp, loads, rounds);
    sections.push({ feed, files: data, outcomes, summary: summarise(outcomes) });
  }

  let small: SmallSection | null = null;
  if (smallRecords > 0) {
    const feed: FeedName = 'tweets';
    const data = ensureFeedFiles(dir, feed, smallRecords, seed);
    // The twin is the file itself: it is small.
    const outcomes = await runSmallLoads(feed, data, SMALL_LOADS.filter((load) => loads.includes(load)), smallCopies, smallChildren);
    small = { feed, files: data, copies: smallCopies, children: smallChildren, outcomes, ...summariseSmall(outcomes) };
  }

  const after = loadavg();
  const note =
    `Load average (1, 5, 15 min) when the run started: ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}; when it ended: ${after.map((l) => l.toFixed(2)).join(' ')} ` +
    '(2 cores; memstore, readline and JSON.parse use one, DuckDB both).' +
    (rounds > 1 ? ` Each load ran in ${rounds} fresh children, interleaved; its row is the median-time one (load ms of every round in the JSON, \`roundsMs\`).` : '');
  const commands = [
    `npm run bench:feeds --workspace @memstore/bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    `node packages/bench/dist/feeds.js ${argv.join(' ')}`.trim(),
  ];
  const markdown = renderMarkdown(records, sections, small, { machine: machineLine(machine), commit, commands, note });
  process.stdout.write(markdown);
  const json = {
    kind: 'feeds',
    machine,
    loadAverageAtEnd: after,
    commit,
    commands,
    records,
    seed,
    dir,
    targets: TARGETS,
    feeds: sections.map((section) => ({
      feed: section.feed,
      files: section.files,
      leafColumns: leafColumns(section.outcomes.find((o) => o.load === 'fromFile-ndjson')?.result),
      summary: section.summary,
      outcomes: section.outcomes.map((o) => trimmed(o, o.load === 'fromFile-ndjson')),
    })),
    small: small === null ? null : { ...small, outcomes: small.outcomes.map((o) => ({ ...o, runs: o.runs.map((r) => trimmedResult(r, false)) })) },
    markdown,
  };
  const written = writeResults(stringFlag(args, 'out'), 'feeds.json', json, markdown);
  process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
  const inconsistent: string[] = sections.filter((section) => !section.summary.consistent).map((section) => section.feed);
  if (small !== null && !small.consistent) inconsistent.push(`the small file (${small.feed})`);
  if (inconsistent.length > 0) throw new Error(`the loads of ${inconsistent.join(', ')} disagree on the data (record count / check sum)`);
}

runMain('feeds', main);
