import { defineConfig } from 'tsup';

// The bin's program (dist/main.js, started by bin/memstore.js), the child each measurement runs in
// (dist/measure/child.js: `measure` forks one per representation), the library entry (dist/index.js:
// the representations and the measurement, for packages/bench) and the filter grammar (dist/filter.js:
// browser-safe, for the docs playground). @memstore/core and apache-arrow stay
// external: resolved from the workspace at run time, so the Arrow tables the CLI makes are of the one copy
// of apache-arrow @memstore/core imports (Arrow JS tells its types apart with instanceof).
export default defineConfig({
  entry: {
    main: 'src/main.ts',
    index: 'src/index.ts',
    'measure/child': 'src/measure/child.ts',
    filter: 'src/filter/index.ts',
  },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  clean: true,
  sourcemap: true,
  external: [/^node:/, '@memstore/core', 'apache-arrow', 'commander'],
  removeNodeProtocol: false,
});
