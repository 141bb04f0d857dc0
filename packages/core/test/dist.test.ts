// Smoke tests of the built package (run `npx turbo run build` first): the Node entries (ESM and
// CJS) load cargo and round-trip it through Arrow IPC; the browser build bundles without any Node
// built-in (and without Apache Arrow JS unless '@memstore/core/arrow' is imported) and runs in a
// bare JS realm that has only WebAssembly, TextEncoder/TextDecoder, atob and console.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { example, exampleText } from './helpers';

type Api = typeof import('../src/index');

const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
const cargoText = exampleText('cargo.json');
const cargo = JSON.parse(cargoText) as unknown[];

beforeAll(() => {
  if (!existsSync(`${distDir}node.js`)) throw new Error(`${distDir} is not built: run \`npx turbo run build\` first.`);
});

async function checkCargo(api: Api): Promise<void> {
  for (const store of [await api.Store.fromFile(example('cargo.json')), await api.Store.fromJSON(cargoText)]) {
    try {
      expect(store.length).toBe(6000);
      assert.deepStrictEqual(store.toArray(), cargo);
      const r = store.at(0) as any;
      expect(r.product.name).toBe((cargo[0] as any).product.name);
      expect(store.get(1, 'quantity.value')).toBe((cargo[1] as any).quantity.value);
      expect(api.formatSchema(store.schema)).toContain('name: string (dict8, 4 distinct)');
    } finally {
      store.dispose();
    }
  }
  // The node entries install Arrow: a round trip through IPC bytes.
  const arrowStore = await api.Store.fromJSON(cargoText);
  const back = await api.Store.fromArrowIPC(arrowStore.toArrowIPC());
  assert.deepStrictEqual(back.toArray(), cargo);
  arrowStore.dispose();
  back.dispose();
  const error = await api.Store.fromJSON('[1,]').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(api.MemstoreParseError);
  expect(error).toBeInstanceOf(api.MemstoreError);
}

describe('Node entries', () => {
  it('ESM: dist/node.js loads cargo with fromFile and fromJSON', async () => {
    const api = (await import(/* @vite-ignore */ `${distDir}node.js`)) as Api;
    await checkCargo(api);
  });

  it('CJS: dist/node.cjs loads cargo with fromFile and fromJSON', async () => {
    const api = createRequire(import.meta.url)('../dist/node.cjs') as Api;
    expect(typeof api.Store.fromFile).toBe('function');
    await checkCargo(api);
  });

  it('the package name resolves to the node entries (exports "node" condition)', async () => {
    const require = createRequire(import.meta.url);
    expect(require.resolve('@memstore/core')).toBe(`${distDir}node.cjs`);
    const cjs = require('@memstore/core') as Api;
    await checkCargo(cjs);
  });

  it('the default entry works in Node too, and shares its classes with the node entry (ESM)', async () => {
    const index = (await import(/* @vite-ignore */ `${distDir}index.js`)) as Api;
    const node = (await import(/* @vite-ignore */ `${distDir}node.js`)) as Api;
    expect(index.Store).toBe(node.Store);
    expect(index.MemstoreError).toBe(node.MemstoreError);
    const store = await index.Store.fromJSON(cargoText);
    assert.deepStrictEqual(store.toArray(), cargo);
    store.dispose();
  });
});

describe('browser bundle', () => {
  async function bundle(format: 'esm' | 'iife', withArrow = false) {
    return build({
      stdin: {
        contents: `${withArrow ? "import '@memstore/core/arrow';\n" : ''}export { Store, MemstoreUnsupportedError, MemstoreParseError } from '@memstore/core';`,
        resolveDir: fileURLToPath(new URL('.', import.meta.url)),
        sourcefile: 'browser-entry.js',
      },
      bundle: true,
      platform: 'browser',
      format,
      globalName: format === 'iife' ? 'memstore' : undefined,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
  }

  it('bundles with platform "browser" and pulls in no Node built-in', async () => {
    const result = await bundle('esm');
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs.some((input) => input.endsWith('dist/index.js'))).toBe(true);
    expect(inputs.some((input) => input.endsWith('dist/node.js'))).toBe(false);
    for (const input of inputs) {
      expect(input.startsWith('node:')).toBe(false);
      for (const imported of result.metafile!.inputs[input].imports) {
        expect(imported.path.startsWith('node:'), `${input} imports ${imported.path}`).toBe(false);
        expect(imported.external ?? false, `${input} imports ${imported.path} as external`).toBe(false);
      }
    }
    // Apache Arrow JS comes only with '@memstore/core/arrow' (below).
    expect(inputs.some((input) => input.includes('apache-arrow'))).toBe(false);
    const code = result.outputFiles![0].text;
    expect(code).not.toContain('node:fs');
    expect(code).not.toMatch(/["']node:/);
    expect(code).not.toMatch(/\brequire\(/);
  });

  it('runs in a bare realm with only WebAssembly, TextEncoder/TextDecoder, atob and console', async () => {
    const result = await bundle('iife');
    const context = vm.createContext({ WebAssembly, TextEncoder, TextDecoder, atob, console });
    vm.runInContext(result.outputFiles![0].text, context);
    expect(vm.runInContext('typeof process + typeof require + typeof Buffer', context)).toBe('undefinedundefinedundefined');
    const { Store, MemstoreUnsupportedError, MemstoreParseError } = context.memstore as Api;

    const store = await Store.fromJSON(cargoText);
    expect(store.length).toBe(6000);
    // Objects of another realm: compare as JSON text (deep equality would compare prototypes).
    expect(JSON.stringify(store.toArray())).toBe(JSON.stringify(cargo));
    expect((store.at(-1) as any).product.name).toBe((cargo[5999] as any).product.name);
    store.dispose();

    // Bytes of the realm's own Uint8Array (its TextEncoder here comes from outside).
    const RealmUint8Array = vm.runInContext('Uint8Array', context) as typeof Uint8Array;
    const bytes = await Store.fromJSON(new RealmUint8Array(new TextEncoder().encode('[{"a":"é\\ud800"}]')));
    expect(JSON.stringify(bytes.toArray())).toBe(JSON.stringify([{ a: 'é\ud800' }]));
    bytes.dispose();

    // A saved store's bytes, written and read in the realm (.msx: no Node needed).
    const saved = await Store.fromJSON(cargoText);
    const loaded = await Store.fromBytes(saved.toBytes());
    expect(JSON.stringify(loaded.toArray())).toBe(JSON.stringify(cargo));
    saved.dispose();
    loaded.dispose();

    const fileError = await Store.fromFile('cargo.json').catch((e: unknown) => e);
    expect(fileError).toBeInstanceOf(MemstoreUnsupportedError);
    expect(await Store.load('cargo.msx').catch((e: unknown) => e)).toBeInstanceOf(MemstoreUnsupportedError);
    const parseError = await Store.fromJSON('[1,\n2,]').catch((e: unknown) => e);
    expect(parseError).toBeInstanceOf(MemstoreParseError);
    expect((parseError as { line: number }).line).toBe(2);
    // No Arrow in this bundle: its methods say what to import.
    const noArrow = await Store.fromJSON('[{"a":1}]');
    expect(() => noArrow.toArrow()).toThrow(MemstoreUnsupportedError);
    expect(() => noArrow.toArrow()).toThrow(/import '@memstore\/core\/arrow'/);
    noArrow.dispose();
  });

  it("with '@memstore/core/arrow': Apache Arrow JS bundled, and IPC round trips run in a bare realm", async () => {
    const result = await bundle('iife', true);
    expect(Object.keys(result.metafile!.inputs).some((input) => input.includes('apache-arrow'))).toBe(true);
    const context = vm.createContext({ WebAssembly, TextEncoder, TextDecoder, atob, console });
    vm.runInContext(result.outputFiles![0].text, context);
    const { Store } = context.memstore as Api;
    const store = await Store.fromJSON(cargoText);
    for (const format of ['file', 'stream'] as const) {
      const back = await Store.fromArrowIPC(store.toArrowIPC({ format }));
      expect(JSON.stringify(back.toArray())).toBe(JSON.stringify(cargo));
      back.dispose();
    }
    const fromTable = await Store.fromArrow(store.toArrow());
    expect(JSON.stringify(fromTable.toArray())).toBe(JSON.stringify(cargo));
    fromTable.dispose();
    store.dispose();
  });

  it('Parquet costs the page nothing until used: parquet-wasm and hyparquet are separate chunks loaded by readParquet / writeParquet (Arrow JS comes with @memstore/core/arrow)', async () => {
    const result = await build({
      stdin: {
        contents: "export { Store } from '@memstore/core'; export { readParquet, writeParquet } from '@memstore/core/arrow';",
        resolveDir: fileURLToPath(new URL('.', import.meta.url)),
        sourcefile: 'browser-entry.js',
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      splitting: true,
      outdir: 'out',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const outputs = result.metafile!.outputs;
    const entryName = Object.keys(outputs).find((name) => outputs[name].entryPoint !== undefined)!;
    // What the page loads up front: the entry and the chunks it imports statically, transitively.
    const upFront = new Set([entryName]);
    for (const name of upFront) for (const imported of outputs[name].imports) if (imported.kind === 'import-statement') upFront.add(imported.path);
    const inputsOf = (names: Iterable<string>) => [...names].flatMap((name) => Object.keys(outputs[name].inputs));
    const lazyLibrary = /node_modules\/(parquet-wasm|hyparquet)\//;
    expect(inputsOf(upFront).filter((input) => lazyLibrary.test(input))).toEqual([]);
    const lazy = inputsOf(Object.keys(outputs).filter((name) => !upFront.has(name)));
    for (const name of ['parquet-wasm', 'hyparquet']) expect(lazy.some((input) => input.includes(`node_modules/${name}/`)), name).toBe(true);
    for (const file of result.outputFiles!) expect(file.text).not.toMatch(/["']node:/);
  });

  it('views are records where code generation from strings is refused (a CSP without unsafe-eval)', async () => {
    const result = await bundle('iife');
    const context = vm.createContext({ WebAssembly, TextEncoder, TextDecoder, atob, console }, { codeGeneration: { strings: false, wasm: true } });
    vm.runInContext(result.outputFiles![0].text, context);
    expect(() => vm.runInContext('new Function("return 1")', context)).toThrow();
    const { Store } = context.memstore as Api;
    const store = await Store.fromJSON(cargoText);
    const plain = store.toArray() as any[];
    for (const i of [0, 1, 5999]) {
      const view = store.at(i) as any;
      expect(JSON.stringify({ ...view, product: { ...view.product } })).toBe(JSON.stringify(plain[i]));
      expect(Object.keys(view)).toEqual(Object.keys(plain[i]));
      expect(view.get('product.name')).toBe(plain[i].product.name);
      expect(JSON.stringify(view.toJSON())).toBe(JSON.stringify(cargo[i]));
    }
    store.dispose();
  });
});
