import { defineConfig } from 'tsup';

// Two entries, matching package.json "exports": index (browser/default) and node (adds files).
// @memstore/wasm is private: its embedded module is bundled in, so dist is self-contained.
export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  // Types of @memstore/wasm (the ABI enums and exports) are inlined too: it is never installed.
  // @internal members (constructors taking engine types) stay out of the published types.
  dts: { compilerOptions: { stripInternal: true } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  noExternal: ['@memstore/wasm'],
  external: [/^node:/],
  removeNodeProtocol: false,
});
