// The footprint of one store, built one way, in a FRESH child process
// (`node --expose-gc dist/measure/footprint-child.js <spec JSON>`): what it retains (JS heap +
// external, WASM memory included; ΔRSS as the cross-check) and what its WASM memory reserves
// against what its structures use. Used by footprint.ts for every entry path, an empty store,
// and a wide store of few rows.
//
// In the child (retained.ts's way): two warm-up builds of a small twin (dropped), gc until
// stable, the build (its input made inside the builder, garbage once it returns), gc until
// stable, then the store's own figures. An empty store is measured as a process that made one
// (no warm-up) against one that only imported the module ('imported'), so what its first store
// compiles (the module, the library's JS) is charged to it; and the further empty stores of the
// same process against the first.
import { createReadStream, readFileSync } from 'node:fs';
import { Store } from '@memstore/core';
import { cargoSource, DEFAULT_SEED, generateCargo, type Cargo } from '../datasets';
import { builtScript, forkMeasurement, replyToParent } from './fork';
import { settle, type MemorySnapshot } from '@memstore/testkit/settle';

/** The entry paths a store can be built by, and the shapes measured beside them. */
export const LOADS = ['fromJSON(string)', 'fromJSON(bytes)', 'fromStream', 'fromFile', 'fromRecords', 'append(bytes)', 'append(records)'] as const;
export type Load = (typeof LOADS)[number];
export type Shape = Load | 'empty' | 'imported' | 'wide';

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
  /** Absent for 'imported' (no store). */
  store?: StoreFigures;
  /** wide: the JS heap after one field of one record was read (its struct's view class and every field's getter and Column made). */
  afterOneRead?: { heapUsedDelta: number };
  /** empty: the cost of each further empty store (retained, heap), after the first. */
  further?: { stores: number; retainedBytesEach: number; heapUsedBytesEach: number };
  before: MemorySnapshot;
  after: MemorySnapshot;
}

export function measureFootprint(spec: FootprintSpec): Promise<FootprintResult> {
  return forkMeasurement<FootprintResult>(builtScript('measure/footprint-child.js'), spec, spec.shape);
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

/**
 * JSON text of `rows` records of `columns` int fields each. Written as text: records built as
 * objects would intern their keys, and V8's string table grown for them would be counted.
 */
function wideText(columns: number, rows: number): string {
  const records: string[] = [];
  for (let n = 0; n < rows; n++) {
    const fields: string[] = [];
    for (let c = 0; c < columns; c++) fields.push(`"field${c}":${n * columns + c}`);
    records.push(`{${fields.join(',')}}`);
  }
  return `[${records.join(',')}]`;
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
    case 'wide':
      return Store.fromJSON(wideText(count, spec.rows ?? 4));
    case 'empty':
    case 'imported':
      return Store.fromRecords<unknown>([]);
  }
}

function figures(store: Store<unknown>): StoreFigures {
  const memory = store.memory();
  return { totalBytes: memory.totalBytes, reservedBytes: memory.reservedBytes, workspaceBytes: memory.workspaceBytes, columnCount: memory.columns.length };
}

async function measureHere(spec: FootprintSpec): Promise<FootprintResult> {
  const count = spec.shape === 'wide' ? (spec.columns ?? 1000) : (spec.count ?? 0);
  performance.now(); // loads perf_hooks before the baseline (see retained.ts), in every child alike
  if (spec.shape === 'imported') {
    const after = await settle();
    held = [];
    return { shape: spec.shape, records: 0, retainedBytes: 0, heapUsedDelta: 0, externalDelta: 0, rssDelta: 0, buildMs: 0, before: after, after };
  }
  if (spec.shape !== 'empty') {
    // A twin: the small file, fewer records; a wide store's own width (so the JIT's code for its loops is made before).
    const twinCount = spec.shape === 'wide' ? count : (spec.warmUpCount ?? count);
    for (let round = 0; round < 2; round++) (await build(spec, spec.warmUpFile ?? spec.file, twinCount)).dispose();
  }
  const before = await settle();
  // A wide store is measured as the slope over `stores` more of them held together, after two: what
  // the JIT makes for their loops (some 200 KB, made or not by the time gc settles) is then in the
  // baseline, not charged to a store.
  held = [];
  let base = before;
  let builds = 1;
  if (spec.shape === 'wide') {
    for (let i = 0; i < 2; i++) held.push(await build(spec, spec.file, count));
    base = await settle();
    builds = spec.stores ?? 6;
  }
  const started = performance.now();
  for (let i = 0; i < builds; i++) held.push(await build(spec, spec.file, count));
  const buildMs = (performance.now() - started) / builds;
  const after = await settle();
  const result: FootprintResult = {
    shape: spec.shape,
    records: held[0].length,
    retainedBytes: (after.heapUsed + after.external - (base.heapUsed + base.external)) / builds,
    heapUsedDelta: (after.heapUsed - base.heapUsed) / builds,
    externalDelta: (after.external - base.external) / builds,
    rssDelta: (after.rss - base.rss) / builds,
    buildMs,
    store: figures(held[0]),
    before,
    after,
  };
  if (spec.shape === 'wide') {
    for (const store of held.slice(2)) void (store.at(0) as Record<string, unknown>).field1;
    result.afterOneRead = { heapUsedDelta: ((await settle()).heapUsed - base.heapUsed) / builds };
  }
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
  const spec = JSON.parse(argv[0] ?? '') as FootprintSpec;
  return replyToParent<FootprintSpec, FootprintResult>(argv, measureHere, () => held.length > 0 || spec.shape === 'imported');
}
