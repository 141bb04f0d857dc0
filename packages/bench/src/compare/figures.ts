// The figures of each benchmark's results file (results/<bench>.json), each with its unit and
// whether lower or higher is better: what the A/B comparison puts side by side.
import type { AccessTask } from '../access';
import type { MethodSummary } from '../ingest';
import type { RetainedResult } from '../measure/retained';
import type { VariantResult } from '../query';

export type Better = 'lower' | 'higher';

export interface Figure {
  /** Unique within its benchmark, and the same in both checkouts' results. */
  key: string;
  unit: string;
  better: Better;
  value: number;
}

export const BENCHES = ['memory', 'ingest', 'query', 'access', 'bigfile'] as const;
export type BenchName = (typeof BENCHES)[number];

const MiB = 2 ** 20;

/** The parts of each results file read here (typed by the benchmarks that write them). */
interface ResultsFiles {
  memory: { results: RetainedResult[] };
  access: { tasks: AccessTask[] };
  ingest: { summaries: MethodSummary[] };
  query: { results: VariantResult[] };
  bigfile: { mbPerSecond: number; memstore: { maxRssBytes: number; store?: { reservedBytes: number } } };
}

const lower = (key: string, unit: string, value: number): Figure => ({ key, unit, better: 'lower', value });
const higher = (key: string, unit: string, value: number): Figure => ({ key, unit, better: 'higher', value });

const EXTRACT: { [B in BenchName]: (json: ResultsFiles[B]) => Figure[] } = {
  memory: (json) =>
    json.results.flatMap((r) => [
      lower(`${r.representation} retained`, 'B/record', r.bytesPerRecord),
      lower(`${r.representation} ΔRSS`, 'B/record', r.rssBytesPerRecord),
      lower(`${r.representation} build`, 'ms', r.buildMs),
      ...(r.store ? [lower(`${r.representation} store totalBytes`, 'B/record', r.store.totalBytes / r.records)] : []),
    ]),
  access: (json) => json.tasks.map((t) => lower(t.name, 'ns/record', t.nsPerRecord)),
  ingest: (json) =>
    json.summaries.flatMap((s) => [
      higher(`${s.format} ${s.method} throughput`, 'MB/s', s.mbPerSecond),
      lower(`${s.format} ${s.method} peak RSS`, 'MiB', s.medianMaxRssBytes / MiB),
      ...(s.store ? [lower(`${s.format} ${s.method} store totalBytes`, 'B/record', s.store.totalBytes / s.records)] : []),
    ]),
  query: (json) => json.results.map((r) => lower(`${r.operation} · ${r.impl} · ${r.code}`, 'ns/call', r.nsPerCall)),
  bigfile: (json) => [
    higher('memstore Store.fromFile throughput', 'MB/s', json.mbPerSecond),
    lower('memstore peak RSS', 'MiB', json.memstore.maxRssBytes / MiB),
    ...(json.memstore.store ? [lower('memstore store reservedBytes', 'MiB', json.memstore.store.reservedBytes / MiB)] : []),
  ],
};

/** The figures of one results file; a figure missing or not a finite number is left out. */
export function figuresOf(bench: BenchName, json: unknown): Figure[] {
  const figures = (EXTRACT[bench] as (json: unknown) => Figure[])(json);
  return figures.filter((figure) => Number.isFinite(figure.value));
}
