import { defineConfig } from 'tsup';

// Two entries, matching package.json "exports": index (browser/default) and node (adds files).
// @memstore/wasm is private: its embedded module is bundled in, so dist is self-contained.
export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  noExternal: ['@memstore/wasm'],
  external: [/^node:/],
  removeNodeProtocol: false,
});
