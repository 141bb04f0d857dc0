// The feeds benchmark's figures, in the terms the project's targets are stated in: memstore's
// retained memory against plain objects', reserved against used memory, load speed against
// readline + JSON.parse and against DuckDB, peak RSS against reserved memory; and for a small
// file, retained memory against plain objects' (not more).
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
  result?: FeedLoadResult;
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

export interface SmallVerdict {
  load: FeedLoad;
  retainedVsPlain: number | null;
  met: boolean | null;
}

/** The small file: each memstore load's retained bytes against readline + JSON.parse's. */
export function summariseSmall(outcomes: readonly LoadOutcome[]): SmallVerdict[] {
  const plain = outcomes.find((o) => o.load === 'readline-json-parse')?.result;
  return outcomes
    .filter((o) => isMemstore(o.load) && o.result !== undefined)
    .map((o) => {
      const retainedVsPlain = ratio(o.result!.retainedBytes, plain?.retainedBytes);
      return { load: o.load, retainedVsPlain, met: retainedVsPlain === null ? null : retainedVsPlain <= TARGETS.smallRetainedVsPlain };
    });
}
