import { defineConfig } from 'tsup';

// Command-line entries (node dist/<name>.js; compare.js runs the others in two checkouts) plus
// the child scripts the measurements fork (dist/measure/child.js for retained memory,
// dist/measure/load-child.js for loads, dist/measure/feed-child.js for the feeds' loads).
// @memstore/core stays external: it is resolved from the workspace at run time, through its
// "node" export condition. @duckdb/node-api too (a devDependency, which tsup would otherwise
// bundle): it loads a native binary from its platform package. parquet-wasm too: its Node build
// reads its .wasm from beside its own file. @memstore/cli too: its measurement forks the child script
// beside its own dist/ (bundled here, it would fork the bench's). apache-arrow too: the tables handed to @memstore/core must
// be of the one copy it imports (Arrow JS tells its types apart with instanceof).
export default defineConfig({
  entry: {
    memory: 'src/memory.ts',
    access: 'src/access.ts',
    ingest: 'src/ingest.ts',
    query: 'src/query.ts',
    bigfile: 'src/bigfile.ts',
    wide: 'src/wide.ts',
    idKeyed: 'src/idKeyed.ts',
    fsst: 'src/fsst.ts',
    feeds: 'src/feeds.ts',
    bigIds: 'src/bigIds.ts',
    compare: 'src/compare.ts',
    footprint: 'src/footprint.ts',
    viewDesigns: 'src/viewDesigns.ts',
    persist: 'src/persist.ts',
    arrow: 'src/arrow.ts',
    parquetLibraries: 'src/parquetLibraries.ts',
    suite: 'src/suite.ts',
    'measure/child': 'src/measure/child.ts',
    'measure/load-child': 'src/measure/load-child.ts',
    'measure/feed-child': 'src/measure/feed-child.ts',
    'measure/footprint-child': 'src/measure/footprint-child.ts',
  },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  clean: true,
  sourcemap: true,
  external: [/^node:/, '@memstore/core', '@memstore/cli', /^@duckdb\//, 'parquet-wasm', 'apache-arrow'],
  removeNodeProtocol: false,
});
