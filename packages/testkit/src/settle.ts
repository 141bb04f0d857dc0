// The heap at rest: process.memoryUsage() after garbage collection has finished, the baseline
// and the end point of every retained-memory measurement (the bench's retained.ts, footprint.ts and feeds' child; the CLI's measure child).

export interface MemorySnapshot {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

const SETTLE_TOLERANCE_BYTES = 4096;
/** Consecutive agreeing rounds that make the heap at rest, the pause of each, and the most rounds. */
const SETTLE_QUIET_ROUNDS = 3;
const SETTLE_PAUSE_MS = 10;
const SETTLE_MAX_ROUNDS = 24;

function snapshot(): MemorySnapshot {
  const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, external, arrayBuffers, rss };
}

/**
 * global.gc() twice, then a pause of 10 ms, repeated until three rounds in a row agree with the
 * one before on heapUsed + external within 4 KiB (at most 24 rounds). Needs `node --expose-gc`.
 * The pause and the quiet rounds are there because memory freed by a collection leaves
 * `external` late: V8 sweeps ArrayBuffer and WASM backing stores concurrently, and a dropped
 * store's WASM memory (~320 KiB for 100 tweets) was seen to leave up to ~50 ms after the gc, in
 * steps; a baseline taken when two immediate rounds first agreed still held one in about one
 * child in 30 (more on a busy machine), which took a whole store's memory off a small load.
 */
export async function settle(): Promise<MemorySnapshot> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('global.gc is missing: run the child with node --expose-gc');
  let previous: MemorySnapshot | null = null;
  let quiet = 0;
  for (let round = 0; round < SETTLE_MAX_ROUNDS; round++) {
    gc();
    gc();
    await new Promise((done) => setTimeout(done, SETTLE_PAUSE_MS));
    const current = snapshot();
    const agrees = previous !== null && Math.abs(current.heapUsed + current.external - previous.heapUsed - previous.external) <= SETTLE_TOLERANCE_BYTES;
    quiet = agrees ? quiet + 1 : 0;
    previous = current;
    if (quiet >= SETTLE_QUIET_ROUNDS) return current;
  }
  return previous!;
}
