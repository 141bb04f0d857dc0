// How the playground measures memory in a browser. memstore's side is exact without help: its
// records live in one WebAssembly.Memory, whose size store.memory() reports. JSON.parse objects
// live in a JS heap, and the only standard API that measures one is
// performance.measureUserAgentSpecificMemory() — offered only to a cross-origin-isolated page
// (served with COOP: same-origin and COEP: require-corp), and it answers at the browser's next
// garbage collection (Chromium: within about 20 s). Chromium's performance.memory is no substitute:
// it is not standard, and without a command-line flag its figure is rounded and cached for minutes.

interface MemoryBreakdown {
  bytes: number;
  attribution: Array<{ url: string; scope: string }>;
}
interface MemoryMeasurement {
  bytes: number;
  breakdown: MemoryBreakdown[];
}
type MeasuringPerformance = Performance & { measureUserAgentSpecificMemory?: () => Promise<MemoryMeasurement> };

export const MEASURE_API = 'performance.measureUserAgentSpecificMemory()';

/** Why the page cannot measure a heap, or null when it can. */
export function whyNotMeasurable(): string | null {
  if (typeof (performance as MeasuringPerformance).measureUserAgentSpecificMemory !== 'function') return `this browser has no ${MEASURE_API} (Chromium-based browsers have it), and no other API measures a JS heap`;
  if (!globalThis.crossOriginIsolated) return `${MEASURE_API} needs a cross-origin-isolated page (served with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); this host does not send them`;
  return null;
}

/** The bytes the browser attributes to the dedicated worker whose script URL contains `marker`. */
export async function workerBytes(marker: string): Promise<number> {
  const measurement = await (performance as MeasuringPerformance).measureUserAgentSpecificMemory!();
  let bytes = 0;
  for (const entry of measurement.breakdown) {
    if (entry.attribution.some((owner) => owner.scope === 'DedicatedWorkerGlobalScope' && owner.url.includes(marker))) bytes += entry.bytes;
  }
  return bytes;
}
