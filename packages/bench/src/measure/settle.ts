// The heap at rest: process.memoryUsage() after garbage collection has finished, the baseline
// and the end point of every retained-memory measurement (retained.ts, the feeds' child).

export interface MemorySnapshot {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

const SETTLE_TOLERANCE_BYTES = 4096;
const SETTLE_MAX_ROUNDS = 8;

function snapshot(): MemorySnapshot {
  const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, external, arrayBuffers, rss };
}

/**
 * global.gc() twice, then a turn of the event loop (V8 sweeps ArrayBuffer and WASM backing
 * stores concurrently and updates `external` when the sweep is done), repeated until two rounds
 * agree on heapUsed + external within 4 KiB (at most 8 rounds). Needs `node --expose-gc`.
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
