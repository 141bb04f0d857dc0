// The suite's datasets, each a file and the paths its operations use: a numeric path (read, sum,
// top-k), an equality filter (count, filter to a list) and a group path. Files are made once into a
// cache folder (generated ones) or taken where they ship (vega-datasets, the repo's examples).
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensureCargoFile } from '../measure/cargoFile';
import { ensureFeedFiles } from '../feeds/feedFile';
import type { CrossCheckMethod } from '@memstore/cli';
import { PACKAGE_DIR } from '../cli';

export type Key = string;

export interface DatasetSpec {
  name: string;
  /** The file (JSON array or NDJSON), made if need be. */
  file(cacheDir: string): string;
  num: Key[];
  filter: { path: Key[]; value: string | number };
  group: Key[];
  /** JS heap the child needs for plain objects (and classes) of the whole file. */
  heapMiB: number;
  /** The memory figures' second method (the CLI's default, a heap snapshot, when absent). */
  crossCheck?: CrossCheckMethod;
  /** Time each representation in a child of its own (suite.ts runIsolated): for datasets whose representations do not share one heap well. */
  isolate?: boolean;
}

const require = createRequire(import.meta.url);
// vega-datasets exports only its index (build/index.js); its data/ folder sits beside build/.
const vega = (name: string) => join(dirname(require.resolve('vega-datasets')), '..', 'data', name);

export const DATASETS: readonly DatasetSpec[] = [
  cargo('cargo-1m', 1_000_000),
  cargo('cargo-10m', 10_000_000),
  {
    name: 'events-100k',
    file: (dir) => ensureFeedFiles(dir, 'events', 100_000).ndjson,
    num: ['actor', 'id'],
    filter: { path: ['type'], value: 'PushEvent' },
    group: ['type'],
    heapMiB: 6000,
  },
  { name: 'flights-200k', file: () => vega('flights-200k.json'), num: ['delay'], filter: { path: ['delay'], value: 0 }, group: ['distance'], heapMiB: 2000 },
  { name: 'movies', file: () => vega('movies.json'), num: ['IMDB Rating'], filter: { path: ['Major Genre'], value: 'Drama' }, group: ['Major Genre'], heapMiB: 1000 },
  { name: 'shipments', file: () => resolve(PACKAGE_DIR, '../../examples/shipments.json'), num: ['income'], filter: { path: ['type'], value: 25 }, group: ['type'], heapMiB: 1000 },
];

/** The talk's cargo records, `count` of them (`cargo-<count>` names any size: the test runs cargo-2000). */
function cargo(name: string, count: number): DatasetSpec {
  return {
    name,
    file: (dir) => ensureCargoFile(join(dir, `${name}.ndjson`), 'ndjson', count).path,
    num: ['quantity', 'value'],
    filter: { path: ['product', 'name'], value: "Elec'sOil" },
    group: ['product', 'name'],
    // Up to 2M records one child holds every representation at once (plain and class objects ~270 B
    // a record each, interned ~65, DuckDB's table and the rest: 6 GB covers 1M with room); above,
    // each representation has a child of its own, its heap room for the plain records it is built
    // from and what it builds (interned: both at once; at 600 MiB a million, 10M thrashed at the limit).
    heapMiB: count > 2_000_000 ? Math.ceil(count / 1_000_000) * 1200 : 6000,
    // A heap snapshot of 10M records' 40M objects takes many GB and minutes: above 2M records the
    // second method is ΔRSS (noisy by ~10 MB, which is a few percent of these figures).
    crossCheck: count > 2_000_000 ? 'ΔRSS' : undefined,
    isolate: count > 2_000_000,
  };
}

export const DEFAULT_CACHE_DIR = join(tmpdir(), 'memstore-bench-data');

/** A dataset of the list, or a test's own (any file with its paths). */
export function datasetNamed(name: string): DatasetSpec {
  const sized = /^cargo-(\d+)$/.exec(name);
  if (sized !== null) return cargo(name, Number(sized[1]));
  const found = DATASETS.find((dataset) => dataset.name === name);
  if (found === undefined) throw new Error(`unknown dataset ${JSON.stringify(name)}; known: ${DATASETS.map((d) => d.name).join(', ')}`);
  return found;
}
