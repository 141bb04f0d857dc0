// One representation measured in a fresh `node --expose-gc` process (forked by measure/run.ts):
//   1. warm up (files up to 32 MiB): build the representation twice and drop it, so per-process
//      fixed costs (compiled code, the WASM module, lazily made builtins) are not charged to it;
//   2. prepare (infer the schema and compile the classes: not the records' cost);
//   3. the heap at rest (settle: gc until heapUsed + external holds still) and, for the snapshot
//      cross-check, the heap snapshot's total: the baseline;
//   4. build, timed; the input it read (text, parsed records) is garbage once the builder returns;
//   5. the heap at rest again: retained = Δ(heapUsed + external) — external already counts
//      ArrayBuffers and WASM memory — and the second method: Δ of the heap snapshot's total (or ΔRSS, if asked);
//   6. peak RSS = the process's maxRSS once the build is done (warm-up included, the second snapshot
//      not), then the reply.
import { statSync } from 'node:fs';
import { settle } from '@memstore/testkit/settle';
import { prepare, type Built, type RepresentationName } from '../represent/index';
import { heapSnapshotBytes } from './heapSnapshot';

export type CrossCheckMethod = 'heap snapshot' | 'ΔRSS';

export interface ChildSpec {
  representation: RepresentationName;
  file: string;
  pointer?: string;
  crossCheck: CrossCheckMethod;
}

export interface ChildResult {
  records: number;
  retainedBytes: number;
  heapUsedDelta: number;
  externalDelta: number;
  rssDelta: number;
  crossCheckBytes: number;
  loadMs: number;
  peakRssBytes: number;
}

const WARM_UP_MAX_BYTES = 32 * 2 ** 20;

let kept: Built | null = null;

async function measure(spec: ChildSpec): Promise<ChildResult> {
  const source = { file: spec.file, pointer: spec.pointer };
  const build = await prepare(spec.representation, source);
  if (statSync(spec.file).size <= WARM_UP_MAX_BYTES) for (let i = 0; i < 2; i++) release(await build());
  // At rest first: until the event loop has turned, the warm-up's dropped builds are still
  // reachable (from settled promises), and the snapshot counts them, though a gc frees them.
  await settle();
  const snapshotBefore = spec.crossCheck === 'heap snapshot' ? await heapSnapshotBytes() : 0;
  const before = await settle();
  const start = performance.now();
  kept = await build();
  const loadMs = performance.now() - start;
  const after = await settle();
  // Before the snapshot: V8 builds a snapshot of millions of objects in gigabytes of its own.
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const snapshotAfter = spec.crossCheck === 'heap snapshot' ? await heapSnapshotBytes() : 0;
  const retainedBytes = after.heapUsed + after.external - before.heapUsed - before.external;
  const rssDelta = after.rss - before.rss;
  return {
    records: kept.records,
    retainedBytes,
    heapUsedDelta: after.heapUsed - before.heapUsed,
    externalDelta: after.external - before.external,
    rssDelta,
    crossCheckBytes: spec.crossCheck === 'heap snapshot' ? snapshotAfter - snapshotBefore : rssDelta,
    loadMs,
    peakRssBytes,
  };
}

/** A warm-up build's store gives its WASM memory back now rather than at some later gc. */
function release(built: Built): void {
  const value = built.value as { dispose?: () => void };
  if (typeof value.dispose === 'function') value.dispose();
}

async function main(): Promise<void> {
  let message: { ok: true; result: ChildResult } | { ok: false; message: string; stack?: string };
  try {
    message = { ok: true, result: await measure(JSON.parse(process.argv[2] ?? '') as ChildSpec) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    message = { ok: false, message: e.message, stack: e.stack };
  }
  if (process.send === undefined) {
    process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
    process.exit(message.ok ? 0 : 1);
  }
  // `kept` is read after the reply is out, so the representation is alive until then.
  process.send(message, () => process.exit(message.ok && kept !== null ? 0 : 1));
}

void main();
