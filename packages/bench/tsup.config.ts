import { defineConfig } from 'tsup';

// Command-line entries (node dist/<name>.js) plus the child script the memory measurements
// fork (dist/measure/child.js). @memstore/core stays external: it is resolved from the workspace
// at run time, through its "node" export condition.
export default defineConfig({
  entry: {
    memory: 'src/memory.ts',
    access: 'src/access.ts',
    report: 'src/report.ts',
    'measure/child': 'src/measure/child.ts',
  },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  clean: true,
  sourcemap: true,
  external: [/^node:/, '@memstore/core'],
  removeNodeProtocol: false,
});
