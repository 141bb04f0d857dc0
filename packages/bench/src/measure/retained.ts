// Retained memory, measured the house way: one representation per FRESH child process
// (node --expose-gc dist/measure/child.js <spec>), so nothing of another run (heap pages, JIT
// code, WASM memories) is counted.
//
// In the child:
//   1. warm up: build a twin of the representation twice and drop it (see warmUp), so
//      per-process fixed costs (the compiled WASM module, optimised code, lazily created
//      builtins) are paid before the baseline and are not charged to the records;
//   2. global.gc() twice, baseline = process.memoryUsage() (see settle(): repeated, with a pause in
//      the event loop in between, until heapUsed + external is stable);
//   3. build the representation; its input (generated records, JSON text, file bytes) is local
//      to the builder, so it is garbage once the builder returns;
//   4. global.gc() twice, after = process.memoryUsage();
//   5. retained = Δ(heapUsed + external). `external` already includes ArrayBuffers and WASM
//      memories (arrayBuffers is a subset of external: adding it would count them twice).
//      ΔRSS is reported as a cross-check; it is an upper bound in practice, since the input
//      dropped in step 3 leaves heap pages that V8 does not always hand back to the OS.
//   6. read the representation (record count, checksum, store.memory()): this is after the
//      measurement and keeps the representation alive until then.
import { statSync } from 'node:fs';
import { formatSchema, Store } from '@memstore/core';
import { builtScript, forkMeasurement, replyToParent } from './fork';
import { build, checksum, recordCount, type BuildSpec, type Built, type Representation } from './representations';
import { settle, type MemorySnapshot } from '@memstore/testkit/settle';

export { MeasureError } from './fork';
export type { MemorySnapshot } from '@memstore/testkit/settle';
export type { BuildSpec, Representation } from './representations';

export const WARM_UP_RECORDS = 100_000;
const WARM_UP_FILE_MAX_BYTES = 32 * 2 ** 20;

export interface StoreFacts {
  totalBytes: number;
  reservedBytes: number;
  /** The query working memory (bitmaps, group tables) inside reservedBytes. */
  workspaceBytes: number;
  columns: Array<{ path: string; type: string; bytes: number }>;
  strings: { count: number; bytes: number };
  schema: string;
}

export interface RetainedResult {
  representation: Representation;
  records: number;
  /** Δ(heapUsed + external), bytes. */
  retainedBytes: number;
  bytesPerRecord: number;
  heapUsedDelta: number;
  externalDelta: number;
  /** Informational: the part of externalDelta that is ArrayBuffers (WASM memory is not in it). */
  arrayBuffersDelta: number;
  rssDelta: number;
  rssBytesPerRecord: number;
  buildMs: number;
  checksum: number;
  before: MemorySnapshot;
  after: MemorySnapshot;
  /** memstore only: store.memory() and the formatted schema. */
  store?: StoreFacts;
}

// ---- parent side ------------------------------------------------------------------------------

export function childScript(): string {
  return builtScript('measure/child.js');
}

/** Measures one representation in a fresh `node --expose-gc` child process. */
export function measureRetained(spec: BuildSpec): Promise<RetainedResult> {
  return forkMeasurement<RetainedResult>(childScript(), spec, spec.representation);
}

// ---- child side -------------------------------------------------------------------------------

/** Keeps the measured representation reachable until the child exits. */
let held: Built | null = null;

/**
 * Builds a twin of `spec` twice and drops it, so the measured build finds the JIT and the lazily
 * created parts of the runtime as it will in steady state (one warm-up leaves ±300 KB of noise
 * in heapUsed: optimised code and feedback are heap objects too). Generated data: the same
 * builder on min(count, 100,000) records; a file: the file itself (up to 32 MiB), else a
 * generated twin.
 */
async function warmUp(spec: BuildSpec): Promise<void> {
  let twin: BuildSpec;
  if (spec.representation === 'file-json-parse' || spec.representation === 'file-memstore') {
    const small = statSync(spec.file ?? '').size <= WARM_UP_FILE_MAX_BYTES;
    twin = small ? spec : { representation: spec.representation === 'file-memstore' ? 'memstore' : 'json-parse', count: WARM_UP_RECORDS };
  } else {
    twin = { ...spec, count: Math.min(spec.count ?? 0, WARM_UP_RECORDS) };
  }
  // The first use of the `performance` global loads perf_hooks (~60 KB external, ~70 KB heap):
  // pay it here, not inside the timed build.
  performance.now();
  for (let round = 0; round < 2; round++) {
    const warm = await build(twin);
    checksum(warm);
    if (warm.value instanceof Store) warm.value.dispose();
  }
}

export async function measureHere(spec: BuildSpec): Promise<RetainedResult> {
  // 1. warm-up, in its own async function so no register of this one ever holds its result.
  await warmUp(spec);

  // 2.–4.
  const before = await settle();
  const started = performance.now();
  held = await build(spec);
  const buildMs = performance.now() - started;
  const after = await settle();

  // 6. read it only now.
  const built = held;
  const records = recordCount(built);
  const retainedBytes = after.heapUsed + after.external - (before.heapUsed + before.external);
  const rssDelta = after.rss - before.rss;
  const result: RetainedResult = {
    representation: spec.representation,
    records,
    retainedBytes,
    bytesPerRecord: records > 0 ? retainedBytes / records : NaN,
    heapUsedDelta: after.heapUsed - before.heapUsed,
    externalDelta: after.external - before.external,
    arrayBuffersDelta: after.arrayBuffers - before.arrayBuffers,
    rssDelta,
    rssBytesPerRecord: records > 0 ? rssDelta / records : NaN,
    buildMs,
    checksum: checksum(built),
    before,
    after,
  };
  if (built.value instanceof Store) {
    const memory = built.value.memory();
    result.store = { ...memory, schema: formatSchema(built.value.schema) };
  }
  return result;
}

/** The child's main: measure, send the result (or the error) to the parent, exit. */
export function runChild(argv: readonly string[]): Promise<void> {
  // `held` is read once the message is out: the representation lives until then.
  return replyToParent<BuildSpec, RetainedResult>(argv, measureHere, () => held !== null);
}
