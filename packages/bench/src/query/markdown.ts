// The query benchmark's markdown: a table per operation, the first-match sweep as one table, the
// harness and DuckDB notes, and the targets' verdicts.
import { fmtFixed, fmtInt, markdownTable } from '../cli';
import type { Duck } from './duckdb';
import type { Impl, Operation } from './operation';
import { WARM_UP_RUNS, type QueryTarget, type VariantResult } from './timing';

export function renderMarkdown(
  operations: Operation[],
  results: VariantResult[],
  targets: QueryTarget[],
  count: number,
  seed: number,
  iterations: number,
  machine: string,
  duck: Duck | null,
): string {
  const ratio = (value: number | null) => (value === null ? '—' : `${fmtFixed(value, value < 10 ? 2 : 1)}×`);
  const time = (ns: number) => (ns >= 1e6 ? `${fmtFixed(ns / 1e6, 2)} ms` : ns >= 1e3 ? `${fmtFixed(ns / 1e3, 2)} µs` : `${fmtFixed(ns, 1)} ns`);
  const sections: string[] = [];
  for (const op of operations) {
    if (op.sweepRow !== undefined) continue;
    const rows = results.filter((r) => r.operation === op.key);
    sections.push(
      `### ${op.title}`,
      '',
      markdownTable(
        ['impl', 'code', 'median per call', 'calls/sample', '±rme %', 'speed vs plain', 'speed vs DuckDB'],
        rows.map((r) => [r.impl, `\`${r.code}\``, time(r.nsPerCall), fmtInt(r.calls), fmtFixed(r.rmePercent, 1), ratio(r.speedupVsPlain), ratio(r.speedupVsDuckdb)]),
        'llrrrrr',
      ),
      '',
      ...(op.note ? [`(${op.note}.)`, ''] : []),
    );
  }
  const sweep = operations.filter((op) => op.sweepRow !== undefined);
  if (sweep.length > 0) {
    const nsOf = (op: Operation, impl: Impl) => results.find((r) => r.operation === op.key && r.impl === impl)!.nsPerCall;
    sections.push(
      `### first() as the match moves down: \`store.where('id').eq(ID).first()\` vs \`records.find((r) => r.id === ID)\``,
      '',
      markdownTable(
        ['match at record', 'memstore per call', 'plain per call', 'speed vs plain', 'calls/sample'],
        sweep.map((op) => {
          const ms = nsOf(op, 'memstore');
          const pl = nsOf(op, 'plain');
          return [fmtInt(op.sweepRow!), time(ms), time(pl), ratio(pl / ms), fmtInt(op.calls)];
        }),
        'rrrrr',
      ),
      '',
      "(the id sought occurs first at that record, so both stop there. memstore's cost is a fixed part (building the query) plus " +
        'a scan: one WASM call that compares 16 to 64 rows per SIMD step and stops at the match; plain pays per record it visits.)',
      '',
    );
  }
  const targetLines = targets.map((t) => {
    const plain = `${t.vsPlainMin === 1 ? 'no slower than plain' : `≥ ${t.vsPlainMin}× plain`}: ${t.metVsPlain ? 'MET' : 'NOT MET'} (${ratio(t.vsPlain)})`;
    const duckPart = !t.beatDuckdb ? '' : t.vsDuckdb === null ? '; faster than DuckDB: not measured' : `; faster than DuckDB: ${t.metVsDuckdb ? 'MET' : 'NOT MET'} (${ratio(t.vsDuckdb)})`;
    return `- ${t.operation}: ${plain}${duckPart}`;
  });
  return [
    `## Queries on ${fmtInt(count)} cargo records (seed ${seed})`,
    '',
    `Machine: ${machine}`,
    '',
    ...sections,
    `tinybench 6.2.4, ${WARM_UP_RUNS} warm-up + ${iterations} timed samples per task, median shown; "speed vs X" = X's median / this median.`,
    'Plain objects come from JSON.parse of the records\' JSON text; the store from Store.fromJSON of the same text; every',
    'implementation\'s answer was checked equal before timing. A memstore query is timed from `store.where(…)` / `store.sum(…)` on.',
    duck === null
      ? 'DuckDB: not run (--no-duckdb).'
      : `DuckDB ${duck.version}, ${duck.threads} threads (memstore and plain JS use one), in-memory table loaded once from an NDJSON file ` +
        `(${fmtInt(duck.loadMs)} ms, not timed); each sample is one \`connection.runAndReadAll(sql)\`, result rows read.`,
    '',
    '**Targets:**',
    ...targetLines,
    '',
  ].join('\n');
}
