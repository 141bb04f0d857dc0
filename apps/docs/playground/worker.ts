// The playground's store worker: memstore runs here, off the page's thread, so a long load never
// freezes the page. It holds one store at a time: opens a file (streamed for JSON / NDJSON, so a
// file far larger than the JS heap could hold as objects still loads), answers queries in the CLI's
// filter grammar, and runs the reader's snippets with the store in scope.
import { exactStringify, fileFormatOf, formatSchema, Store } from '@memstore/core';
import { FilterSyntaxError, where } from '@memstore/cli/filter';
import type { OpenedStore, StoreRequest, StoreResponse } from './protocol';

const FIRST = 5;
/** Progress messages at most this often: each one is a structured clone and a page repaint. */
const PROGRESS_EVERY_MS = 100;

let store: Store | undefined;

const post = (message: StoreResponse) => (self as unknown as Worker).postMessage(message);

self.onmessage = async (event: MessageEvent<StoreRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'open') post({ id: request.id, type: 'opened', store: await open(request.file) });
    else if (request.type === 'query') post({ id: request.id, type: 'answer', answer: query(request.where, request.limit) });
    else post({ id: request.id, type: 'ran', answer: await run(request.code) });
  } catch (error) {
    const column = error instanceof FilterSyntaxError ? error.column : undefined;
    post({ id: request.id, type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error), column });
  }
};

/** A record as exact JSON: views through toJSON, -0 and lone surrogates kept. */
function text(value: unknown): string {
  const view = value as { toJSON?: () => unknown } | null;
  return exactStringify(view !== null && typeof view === 'object' && typeof view.toJSON === 'function' ? view.toJSON() : value);
}

async function open(file: File): Promise<OpenedStore> {
  store?.dispose();
  store = undefined;
  const format = fileFormatOf(file.name);
  const started = performance.now();
  store = await load(file, format);
  const loadMs = performance.now() - started;
  const memory = store.memory();
  const first: string[] = [];
  for (let i = 0; i < Math.min(FIRST, store.length); i++) first.push(text(store.at(i)));
  return { name: file.name, format, fileBytes: file.size, records: store.length, loadMs, schema: formatSchema(store.schema), totalBytes: memory.totalBytes, reservedBytes: memory.reservedBytes, first };
}

async function load(file: File, format: ReturnType<typeof fileFormatOf>): Promise<Store> {
  if (format === 'msx') return Store.fromBytes(new Uint8Array(await file.arrayBuffer()));
  if (format === 'arrow' || format === 'parquet') {
    // Arrow JS (and, for Parquet, parquet-wasm) load on first use: the worker stays small for JSON.
    await import('@memstore/core/arrow');
    const bytes = new Uint8Array(await file.arrayBuffer());
    return format === 'arrow' ? Store.fromArrowIPC(bytes) : Store.fromParquet(bytes);
  }
  let last = 0;
  return Store.fromStream(file.stream(), {
    format,
    totalBytes: file.size,
    onProgress: (progress) => {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      post({ type: 'progress', ...progress });
    },
  });
}

function loaded(): Store {
  if (store === undefined) throw new Error('Open a file first: the query runs on its store.');
  return store;
}

function query(expression: string, limit: number) {
  const current = loaded();
  const started = performance.now();
  const selection = where(current, expression);
  const count = selection.count();
  const first: string[] = [];
  const rows = selection.indices();
  for (let i = 0; i < Math.min(limit, rows.length); i++) first.push(text(current.at(rows[i])));
  return { count, first, ms: performance.now() - started };
}

/** The body of an async function with Store, store and formatSchema in scope; console calls are captured. */
async function run(code: string) {
  const logs: string[] = [];
  const capture = (...values: unknown[]) => void logs.push(values.map((value) => (typeof value === 'string' ? value : show(value))).join(' '));
  const console = { log: capture, info: capture, warn: capture, error: capture };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
  const started = performance.now();
  const result = await new AsyncFunction('Store', 'store', 'formatSchema', 'console', code)(Store, store, formatSchema, console);
  return { logs, result: show(result), ms: performance.now() - started };
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return text(value);
  } catch {
    return String(value);
  }
}
