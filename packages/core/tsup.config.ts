import { defineConfig } from 'tsup';

// Three entries, matching package.json "exports": index (browser/default), node (adds files and
// Arrow) and arrow (installs the Store's Arrow methods: browsers import it where they use Arrow).
// @memstore/wasm is private: its embedded module is bundled in, so dist is self-contained.
export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts', arrow: 'src/arrow/index.ts' },
  format: ['esm', 'cjs'],
  // Shared chunks for CJS too: the arrow entry installs into the one Store the other entries export.
  splitting: true,
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
