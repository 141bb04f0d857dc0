// The feeds benchmark's figures, in the terms the project's targets are stated in: memstore's
// retained memory against plain objects', reserved against used memory, load speed against
// readline + JSON.parse and against DuckDB, peak RSS against reserved memory; and for a small
// file, retained memory per copy (the median over fresh children, each holding many copies)
// against plain objects' (not more), with its spread and the ΔRSS cross-check.
import { MiB } from '../cli';
import { type FeedLoad, type FeedLoadResult, PLAIN_LOADS } from './measure';

export const TARGETS = {
  /** memstore retained / plain retained (readline + JSON.parse). */
  retainedVsPlain: 0.2,
  /** reserved ≤ 1.05 × used + 64 KiB. */
  reservedFactor: 1.05,
  reservedSlackBytes: 64 * 1024,
  /** memstore load speed / readline + JSON.parse's. */
  speedVsReadline: 3,
  /** memstore load speed / DuckDB's: faster. */
  speedVsDuckdb: 1,
  /** peak RSS ≤ reserved + 128 MiB. */
  rssHeadroomBytes: 128 * MiB,
  /** A small file: memstore retained / plain retained ≤ 1. */
  smallRetainedVsPlain: 1,
} as const;

export const LOAD_LABELS: Record<FeedLoad, string> = {
  'readline-json-parse': 'plain: readline + JSON.parse per line (NDJSON)',
  'json-parse-array': 'plain: JSON.parse(readFileSync(array, utf8))',
  'fromFile-ndjson': 'memstore Store.fromFile(NDJSON)',
  'fromFile-array': 'memstore Store.fromFile(array)',
  fromStream: 'memstore Store.fromStream(createReadStream(NDJSON))',
  'fromJSON-string': 'memstore Store.fromJSON(string of the array)',
  'fromJSON-bytes': 'memstore Store.fromJSON(bytes of the array)',
  fromRecords: 'memstore Store.fromRecords(parsed lines)',
  'append-10k': 'memstore append(10,000 NDJSON lines) × n',
  duckdb: 'DuckDB read_json_auto(NDJSON)',
};

export const isMemstore = (load: FeedLoad) => !PLAIN_LOADS.includes(load) && load !== 'duckdb';

export interface LoadOutcome {
  load: FeedLoad;
  /** The median-time round's result (feeds.ts runLoads). */
  result?: FeedLoadResult;
  /** Load ms of every round, in the order run. */
  roundsMs?: number[];
  /** Why there is no result (the child failed, or died: out of heap, a string too long). */
  failure?: string;
}

export interface MemstoreVerdict {
  load: FeedLoad;
  retainedVsPlain: number | null;
  reservedLimitBytes: number;
  speedVsReadline: number | null;
  speedVsDuckdb: number | null;
  met: { retained: boolean | null; reserved: boolean; speedVsReadline: boolean | null; speedVsDuckdb: boolean | null; peakRss: boolean };
}

export interface FeedSummary {
  /** The plain baseline: readline + JSON.parse per line. */
  plain: FeedLoadResult | null;
  duckdb: FeedLoadResult | null;
  verdicts: MemstoreVerdict[];
  /** Every load read the same records (count and check sum), each format its own file. */
  consistent: boolean;
}

const ratio = (numerator: number | undefined, denominator: number | undefined) =>
  numerator === undefined || denominator === undefined || denominator === 0 ? null : numerator / denominator;

export function summarise(outcomes: readonly LoadOutcome[]): FeedSummary {
  const byLoad = new Map(outcomes.filter((o) => o.result !== undefined).map((o) => [o.load, o.result!]));
  const plain = byLoad.get('readline-json-parse') ?? null;
  const duckdb = byLoad.get('duckdb') ?? null;
  const verdicts: MemstoreVerdict[] = [];
  for (const [load, result] of byLoad) {
    if (!isMemstore(load) || result.store === undefined) continue;
    const { totalBytes, reservedBytes } = result.store;
    const retainedVsPlain = ratio(result.retainedBytes, plain?.retainedBytes);
    const speedVsReadline = ratio(plain?.ms, result.ms);
    const speedVsDuckdb = ratio(duckdb?.ms, result.ms);
    const reservedLimitBytes = TARGETS.reservedFactor * totalBytes + TARGETS.reservedSlackBytes;
    verdicts.push({
      load,
      retainedVsPlain,
      reservedLimitBytes,
      speedVsReadline,
      speedVsDuckdb,
      met: {
        retained: retainedVsPlain === null ? null : retainedVsPlain <= TARGETS.retainedVsPlain,
        reserved: reservedBytes <= reservedLimitBytes,
        speedVsReadline: speedVsReadline === null ? null : speedVsReadline >= TARGETS.speedVsReadline,
        speedVsDuckdb: speedVsDuckdb === null ? null : speedVsDuckdb > TARGETS.speedVsDuckdb,
        peakRss: result.maxRssBytes <= reservedBytes + TARGETS.rssHeadroomBytes,
      },
    });
  }
  const facts = new Set([...byLoad.values()].map((r) => `${r.records}/${r.checksum}`));
  return { plain, duckdb, verdicts, consistent: facts.size <= 1 };
}

/** Median and range of one figure over the fresh children. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median (of the middle two when the count is even), min and max; null for no values. */
export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** One load of the small file, run in several fresh children, each holding `copies` loads at once. */
export interface SmallOutcome {
  load: FeedLoad;
  /** One result per child that reported. */
  runs: FeedLoadResult[];
  /** Why the other children did not. */
  failures: string[];
}

/** ΔRSS / copy may differ from retained / copy by this share of it before the two are said to disagree. */
export const SMALL_RSS_TOLERANCE = 0.1;

export interface SmallFigure {
  load: FeedLoad;
  /** Children that reported, and the copies each held. */
  children: number;
  copies: number;
  records: number;
  /** Δ(heapUsed + external) / copies, over the children. */
  retainedPerCopy: Spread;
  /** ΔRSS / copies, over the children: the cross-check. */
  rssPerCopy: Spread;
  /** (median ΔRSS / copy − median retained / copy) / median retained / copy; null when the latter is not positive. */
  rssVsRetained: number | null;
  /** |rssVsRetained| > SMALL_RSS_TOLERANCE (or no ratio). */
  disagrees: boolean;
}

export interface SmallVerdict {
  load: FeedLoad;
  /** Median retained / copy against readline + JSON.parse's median. */
  retainedVsPlain: number | null;
  met: boolean | null;
  /** This load's min–max of retained / copy meets readline + JSON.parse's: the verdict is within the spread. */
  overlapsPlain: boolean | null;
}

export interface SmallSummary {
  figures: SmallFigure[];
  verdicts: SmallVerdict[];
  /** Every child of every load read the same records (count and check sum). */
  consistent: boolean;
}

function smallFigure(outcome: SmallOutcome): SmallFigure | null {
  const { runs } = outcome;
  const retainedPerCopy = spread(runs.map((r) => r.retainedBytes / r.copies));
  const rssPerCopy = spread(runs.map((r) => r.rssDelta / r.copies));
  if (retainedPerCopy === null || rssPerCopy === null) return null;
  const rssVsRetained = retainedPerCopy.median > 0 ? (rssPerCopy.median - retainedPerCopy.median) / retainedPerCopy.median : null;
  return {
    load: outcome.load,
    children: runs.length,
    copies: runs[0].copies,
    records: runs[0].records,
    retainedPerCopy,
    rssPerCopy,
    rssVsRetained,
    disagrees: rssVsRetained === null || Math.abs(rssVsRetained) > SMALL_RSS_TOLERANCE,
  };
}

/** The small file: each load's retained bytes per copy over its children, and each memstore load's median against readline + JSON.parse's. */
export function summariseSmall(outcomes: readonly SmallOutcome[]): SmallSummary {
  const figures = outcomes.map(smallFigure).filter((f): f is SmallFigure => f !== null);
  const plain = figures.find((f) => f.load === 'readline-json-parse');
  const verdicts = figures
    .filter((f) => isMemstore(f.load))
    .map((f): SmallVerdict => {
      const retainedVsPlain = ratio(f.retainedPerCopy.median, plain?.retainedPerCopy.median);
      const overlapsPlain = plain === undefined ? null : f.retainedPerCopy.min <= plain.retainedPerCopy.max && plain.retainedPerCopy.min <= f.retainedPerCopy.max;
      return { load: f.load, retainedVsPlain, met: retainedVsPlain === null ? null : retainedVsPlain <= TARGETS.smallRetainedVsPlain, overlapsPlain };
    });
  const facts = new Set(outcomes.flatMap((o) => o.runs.map((r) => `${r.records}/${r.checksum}`)));
  return { figures, verdicts, consistent: facts.size <= 1 };
}
