// Retained memory, measured the house way: one representation per FRESH child process
// (node --expose-gc dist/measure/child.js <spec>), so nothing of another run (heap pages, JIT
// code, WASM memories) is counted.
//
// In the child:
//   1. warm up: build a twin of the representation twice and drop it (see warmUp), so
//      per-process fixed costs (the compiled WASM module, optimised code, lazily created
//      builtins) are paid before the baseline and are not charged to the records;
//   2. global.gc() twice, baseline = process.memoryUsage() (see settle(): repeated, with a turn of
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
import { fork } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatSchema } from '@memstore/core';
import { PACKAGE_DIR } from '../cli';
import { build, checksum, recordCount, type BuildSpec, type Built, type Representation } from './representations';

export type { BuildSpec, Representation } from './representations';

export const WARM_UP_RECORDS = 100_000;
const WARM_UP_FILE_MAX_BYTES = 32 * 2 ** 20;

export interface MemorySnapshot {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

export interface StoreFacts {
  totalBytes: number;
  reservedBytes: number;
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

/** Thrown in the parent when the child failed; `childStack` is the child's stack. */
export class MeasureError extends Error {
  constructor(
    message: string,
    readonly childName: string | undefined,
    readonly childStack: string | undefined,
  ) {
    super(message);
    this.name = 'MeasureError';
  }
}

type ChildMessage<R> = { ok: true; result: R } | { ok: false; name?: string; message: string; stack?: string };

// ---- parent side ------------------------------------------------------------------------------

/** The built child entry `dist/measure/<name>.js`. */
export function childScript(name = 'child'): string {
  const script = resolve(PACKAGE_DIR, 'dist', 'measure', `${name}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: build @memstore/bench first (npx turbo run build)`);
  return script;
}

/** Measures one representation in a fresh `node --expose-gc` child process. */
export function measureRetained(spec: BuildSpec): Promise<RetainedResult> {
  return forkMeasurement<RetainedResult>(childScript(), spec, spec.representation);
}

/**
 * Runs `script` (a child entry that calls answerParent) in a fresh `node --expose-gc` process
 * with `spec` as its argument, and resolves with what it sends back (or rejects with its error).
 */
export function forkMeasurement<R>(script: string, spec: object, name: string): Promise<R> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(script, [JSON.stringify(spec)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    let message: ChildMessage<R> | undefined;
    child.on('message', (received) => {
      message = received as ChildMessage<R>;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (message?.ok === true) resolvePromise(message.result);
      else if (message?.ok === false) reject(new MeasureError(message.message, message.name, message.stack));
      else reject(new Error(`the ${name} child exited with ${signal ?? `code ${code}`} before reporting`));
    });
  });
}

// ---- child side -------------------------------------------------------------------------------

const SETTLE_TOLERANCE_BYTES = 4096;
const SETTLE_MAX_ROUNDS = 8;

export function snapshot(): MemorySnapshot {
  const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, external, arrayBuffers, rss };
}

/**
 * global.gc() twice, then a turn of the event loop (V8 sweeps ArrayBuffer and WASM backing
 * stores concurrently and updates `external` when the sweep is done), repeated until two rounds
 * agree on heapUsed + external within 4 KiB (at most 8 rounds).
 */
export async function settle(): Promise<MemorySnapshot> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('global.gc is missing: run the child with node --expose-gc');
  let previous: MemorySnapshot | null = null;
  for (let round = 0; round < SETTLE_MAX_ROUNDS; round++) {
    gc();
    gc();
    await new Promise((done) => setImmediate(done));
    const current = snapshot();
    if (previous !== null && Math.abs(current.heapUsed + current.external - previous.heapUsed - previous.external) <= SETTLE_TOLERANCE_BYTES) {
      return current;
    }
    previous = current;
  }
  return previous!;
}

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
    if (warm.representation === 'memstore' || warm.representation === 'file-memstore') warm.value.dispose();
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
  if (built.representation === 'memstore' || built.representation === 'file-memstore') {
    const memory = built.value.memory();
    result.store = { ...memory, schema: formatSchema(built.value.schema) };
  }
  return result;
}

/** The child's main: measure, send the result (or the error) to the parent, exit. */
export function runChild(argv: readonly string[]): Promise<void> {
  return answerParent(() => measureHere(JSON.parse(argv[0] ?? '') as BuildSpec), () => held !== null);
}

/**
 * A measurement child's main: runs `measure`, sends its result (or its error) to the parent
 * (stdout when run by hand), then exits; `kept()` is called after the message is out, so what
 * it reads (the measured representation) lives until then.
 */
export async function answerParent<R>(measure: () => Promise<R>, kept: () => boolean): Promise<void> {
  let message: ChildMessage<R>;
  try {
    message = { ok: true, result: await measure() };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    message = { ok: false, name: e.name, message: e.message, stack: e.stack };
  }
  if (process.send === undefined) {
    process.stdout.write(JSON.stringify(message, null, 2) + '\n');
    process.exit(message.ok ? 0 : 1);
  }
  process.send(message, () => {
    process.exit(message.ok && kept() ? 0 : 1);
  });
}
