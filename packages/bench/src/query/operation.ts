// What a query benchmark times: an operation (one question asked of the records), its variants
// (one per implementation and way of writing it), and the answers checked equal before timing.

export type Impl = 'memstore' | 'plain' | 'duckdb' | 'loop';

export interface Variant {
  impl: Impl;
  code: string;
  /** One sample: `calls` calls of the operation; returns something to keep (sink). */
  run: () => unknown;
}

export interface Operation {
  key: string;
  title: string;
  /** Calls per sample (batching for the tiny operations). */
  calls: number;
  /** memstore's minimum speed-up over plain (1 = no slower), and whether it must beat DuckDB. */
  target: { vsPlain: number; beatDuckdb: boolean } | null;
  note?: string;
  /** Set on the first-match sweep: the record the match is at (rendered as one table, not a section). */
  sweepRow?: number;
  variants: Variant[];
  /** Each variant's answer, normalised for comparison. */
  answers: Array<{ impl: Impl; answer: () => Promise<unknown> | unknown }>;
}
