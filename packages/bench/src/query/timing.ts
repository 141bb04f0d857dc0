// Timing the query operations: every implementation's answer checked equal first, then tinybench
// (3 warm-up + --iterations timed samples per variant, median kept), and the medians turned into
// per-call times, speed-ups over plain objects and DuckDB, and the targets' verdicts.
import { Bench } from 'tinybench';
import type { Impl, Operation, Variant } from './operation';

export const WARM_UP_RUNS = 3;

export interface VariantResult {
  operation: string;
  impl: Impl;
  code: string;
  calls: number;
  medianMs: number;
  minMs: number;
  rmePercent: number;
  samples: number;
  /** medianMs / calls, in ns. */
  nsPerCall: number;
  /** plain's median / this median (> 1: faster than plain objects). */
  speedupVsPlain: number | null;
  /** DuckDB's median / this median (> 1: faster than DuckDB). */
  speedupVsDuckdb: number | null;
}

export interface QueryTarget {
  operation: string;
  vsPlainMin: number;
  vsPlain: number;
  metVsPlain: boolean;
  beatDuckdb: boolean;
  vsDuckdb: number | null;
  metVsDuckdb: boolean | null;
}

/** Written by every sample, read at the end: the work cannot be optimised away. */
let sink = 0;
const keep = (value: unknown) => {
  sink += typeof value === 'number' ? value : value === undefined || value === null ? 0 : 1;
};

/** What every sample has added up (printed at the end, so the work is used). */
export function sinkValue(): number {
  return sink;
}

/** Every implementation must give the same answer before anything is timed: the answers, by operation key. */
export async function checkAnswers(operations: readonly Operation[]): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  for (const op of operations) {
    const got: Array<{ impl: Impl; value: string }> = [];
    for (const { impl, answer } of op.answers) got.push({ impl, value: JSON.stringify(await answer()) });
    if (new Set(got.map((g) => g.value)).size !== 1) {
      throw new Error(`${op.key}: the implementations disagree: ${got.map((g) => `${g.impl} ${g.value}`).join('; ')}`);
    }
    answers[op.key] = JSON.parse(got[0].value);
  }
  return answers;
}

export async function timeOperations(operations: readonly Operation[], iterations: number): Promise<{ results: VariantResult[]; targets: QueryTarget[] }> {
  const bench = new Bench({ iterations, time: 0, warmupIterations: WARM_UP_RUNS, warmupTime: 0, throws: true });
  const taskName = (op: Operation, variant: Variant) => `${op.key} · ${variant.impl} · ${variant.code}`;
  for (const op of operations) {
    for (const variant of op.variants) {
      const run = variant.run;
      if (variant.impl === 'duckdb') bench.add(taskName(op, variant), async () => keep(await run()));
      else bench.add(taskName(op, variant), () => keep(run()));
    }
  }
  const taskCount = operations.reduce((total, op) => total + op.variants.length, 0);
  process.stderr.write(`timing ${taskCount} tasks: ${WARM_UP_RUNS} warm-up + ${iterations} timed samples each…\n`);
  await bench.run();

  const stats = new Map<string, { medianMs: number; minMs: number; rmePercent: number; samples: number }>();
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`task ${task.name} did not complete (${result.state})`);
    const { p50, min, rme, samplesCount } = result.latency;
    stats.set(task.name, { medianMs: p50, minMs: min, rmePercent: rme, samples: samplesCount });
  }

  const results: VariantResult[] = [];
  const targets: QueryTarget[] = [];
  for (const op of operations) {
    const medianOf = (impl: Impl) => {
      const variant = op.variants.find((v) => v.impl === impl);
      return variant === undefined ? null : stats.get(taskName(op, variant))!.medianMs;
    };
    const plainMs = medianOf('plain');
    const duckMs = medianOf('duckdb');
    for (const variant of op.variants) {
      const s = stats.get(taskName(op, variant))!;
      results.push({
        operation: op.key,
        impl: variant.impl,
        code: variant.code,
        calls: op.calls,
        ...s,
        nsPerCall: (s.medianMs * 1e6) / op.calls,
        speedupVsPlain: variant.impl === 'plain' || plainMs === null ? null : plainMs / s.medianMs,
        speedupVsDuckdb: variant.impl === 'duckdb' || duckMs === null ? null : duckMs / s.medianMs,
      });
    }
    if (op.target !== null) {
      const memstoreMs = medianOf('memstore')!;
      const vsPlain = plainMs! / memstoreMs;
      const vsDuckdb = duckMs === null ? null : duckMs / memstoreMs;
      targets.push({
        operation: op.key,
        vsPlainMin: op.target.vsPlain,
        vsPlain,
        metVsPlain: vsPlain >= op.target.vsPlain,
        beatDuckdb: op.target.beatDuckdb,
        vsDuckdb: op.target.beatDuckdb ? vsDuckdb : null,
        metVsDuckdb: op.target.beatDuckdb && vsDuckdb !== null ? vsDuckdb > 1 : null,
      });
    }
  }
  return { results, targets };
}
