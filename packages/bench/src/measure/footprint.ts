// The footprint of one store, built one way, in a FRESH child process
// (`node --expose-gc dist/measure/footprint-child.js <spec JSON>`): what it retains (JS heap +
// external, WASM memory included; ΔRSS as the cross-check) and what its WASM memory reserves
// against what its structures use. Used by footprint.ts for every entry path, an empty store,
// and a wide store of few rows.
//
// In the child (retained.ts's way): two warm-up builds of a small twin (dropped), gc until
// stable, the build (its input made inside the builder, garbage once it returns), gc until
// stable, then the store's own figures. An empty store is measured against a baseline taken
// right after the module was imported, without warm-up (so the compiled module is charged to
// it), and the further empty stores of the same process against the first.
import { createReadStream, readFileSync } from 'node:fs';
import { Store } from '@memstore/core';
import { cargoSource, DEFAULT_SEED, generateCargo, type Cargo } from '../datasets';
import { answerParent, childScript, forkMeasurement, settle, type MemorySnapshot } from './retained';

/** The entry paths a store can be built by, and the shapes measured beside them. */
export const LOADS = ['fromJSON(string)', 'fromJSON(bytes)', 'fromStream', 'fromFile', 'fromRecords', 'append(bytes)', 'append(records)'] as const;
export type Load = (typeof LOADS)[number];
export type Shape = Load | 'empty' | 'wide';

export interface FootprintSpec {
  shape: Shape;
  /** Cargo loads: the records' file (JSON array), its twin for the warm-up, and their counts. */
  file?: string;
  warmUpFile?: string;
  count?: number;
  warmUpCount?: number;
  seed?: number;
  /** Appends: the records come in this many chunks (the first one builds the store). */
  chunks?: number;
  /** Wide: columns (keys per record) and records; empty: further stores after the first. */
  columns?: number;
  rows?: number;
  stores?: number;
}

export interface StoreFigures {
  totalBytes: number;
  /** The WASM memory's buffer size (`memory.buffer.byteLength`). */
  reservedBytes: number;
  workspaceBytes: number;
  columnCount: number;
}

export interface FootprintResult {
  shape: Shape;
  records: number;
  retainedBytes: number;
  heapUsedDelta: number;
  externalDelta: number;
  rssDelta: number;
  buildMs: number;
  store: StoreFigures;
  /** empty: the cost of each further empty store (retained, heap), after the first. */
  further?: { stores: number; retainedBytesEach: number; heapUsedBytesEach: number };
  before: MemorySnapshot;
  after: MemorySnapshot;
}

export function measureFootprint(spec: FootprintSpec): Promise<FootprintResult> {
  return forkMeasurement<FootprintResult>(childScript('footprint-child'), spec, spec.shape);
}

// ---- child side -------------------------------------------------------------------------------

let held: Store<unknown>[] = [];

/** `count` cargo records from the seeded source, in `chunks` arrays of about equal size. */
function cargoChunks(count: number, chunks: number, seed: number): Cargo[][] {
  const next = cargoSource(seed);
  const size = Math.ceil(count / chunks);
  const out: Cargo[][] = [];
  for (let start = 0; start < count; start += size) {
    const chunk: Cargo[] = [];
    for (let i = start; i < Math.min(count, start + size); i++) chunk.push(next());
    out.push(chunk);
  }
  return out;
}

/** One record of `columns` int fields, the n-th (the value keeps each field an int). */
function wideRecord(columns: number, n: number): Record<string, number> {
  const record: Record<string, number> = {};
  for (let c = 0; c < columns; c++) record[`field${c}`] = n * columns + c;
  return record;
}

async function build(spec: FootprintSpec, file: string | undefined, count: number): Promise<Store<unknown>> {
  const seed = spec.seed ?? DEFAULT_SEED;
  const chunks = spec.chunks ?? 10;
  switch (spec.shape) {
    case 'fromJSON(string)':
      return Store.fromJSON(readFileSync(file!, 'utf8'));
    case 'fromJSON(bytes)':
      return Store.fromJSON(readFileSync(file!));
    case 'fromStream':
      return Store.fromStream(createReadStream(file!));
    case 'fromFile':
      return Store.fromFile(file!);
    case 'fromRecords':
      return Store.fromRecords<unknown>(generateCargo(count, seed));
    case 'append(bytes)': {
      // Each chunk's JSON text is made when it is appended, so no more than one is held.
      const parts = cargoChunks(count, chunks, seed);
      const bytes = (records: Cargo[]) => new TextEncoder().encode(JSON.stringify(records));
      const store = await Store.fromJSON(bytes(parts[0]));
      for (let i = 1; i < parts.length; i++) await store.append(bytes(parts[i]));
      return store;
    }
    case 'append(records)': {
      const parts = cargoChunks(count, chunks, seed);
      const store = await Store.fromRecords<unknown>(parts[0]);
      for (let i = 1; i < parts.length; i++) await store.append(parts[i]);
      return store;
    }
    case 'wide': {
      const records = Array.from({ length: spec.rows ?? 4 }, (_, n) => wideRecord(count, n));
      return Store.fromJSON(JSON.stringify(records));
    }
    case 'empty':
      return Store.fromRecords<unknown>([]);
  }
}

function figures(store: Store<unknown>): StoreFigures {
  const memory = store.memory();
  return { totalBytes: memory.totalBytes, reservedBytes: memory.reservedBytes, workspaceBytes: memory.workspaceBytes, columnCount: memory.columns.length };
}

async function measureHere(spec: FootprintSpec): Promise<FootprintResult> {
  const count = spec.shape === 'wide' ? (spec.columns ?? 1000) : (spec.count ?? 0);
  if (spec.shape !== 'empty') {
    // A twin: the small file, fewer records, or a narrow wide store.
    const twinCount = spec.shape === 'wide' ? 16 : (spec.warmUpCount ?? count);
    for (let round = 0; round < 2; round++) (await build(spec, spec.warmUpFile ?? spec.file, twinCount)).dispose();
  }
  performance.now(); // loads perf_hooks before the baseline (see retained.ts)
  const before = await settle();
  const started = performance.now();
  held = [await build(spec, spec.file, count)];
  const buildMs = performance.now() - started;
  const after = await settle();
  const result: FootprintResult = {
    shape: spec.shape,
    records: held[0].length,
    retainedBytes: after.heapUsed + after.external - (before.heapUsed + before.external),
    heapUsedDelta: after.heapUsed - before.heapUsed,
    externalDelta: after.external - before.external,
    rssDelta: after.rss - before.rss,
    buildMs,
    store: figures(held[0]),
    before,
    after,
  };
  if (spec.shape === 'empty' && (spec.stores ?? 0) > 0) {
    const stores = spec.stores!;
    for (let i = 0; i < stores; i++) held.push(await build(spec, undefined, 0));
    const more = await settle();
    result.further = {
      stores,
      retainedBytesEach: (more.heapUsed + more.external - after.heapUsed - after.external) / stores,
      heapUsedBytesEach: (more.heapUsed - after.heapUsed) / stores,
    };
  }
  return result;
}

/** The child's main (footprint-child.ts). */
export function runFootprintChild(argv: readonly string[]): Promise<void> {
  return answerParent(() => measureHere(JSON.parse(argv[0] ?? '') as FootprintSpec), () => held.length > 0);
}
