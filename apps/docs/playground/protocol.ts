// The messages between the playground page and its workers: the store worker (worker.ts), which
// loads a file into memstore and answers queries and snippets, and the plain worker
// (plainWorker.ts), which holds the same file as JSON.parse objects so the page can measure them.

/** Page → store worker. Each request carries an id its answer repeats. */
export type StoreRequest =
  | { id: number; type: 'open'; file: File }
  | { id: number; type: 'query'; where: string; limit: number }
  | { id: number; type: 'run'; code: string };

export interface OpenedStore {
  name: string;
  format: string;
  fileBytes: number;
  records: number;
  loadMs: number;
  /** formatSchema(store.schema) */
  schema: string;
  /** store.memory(): what the store's structures take, and the WASM memory's size. */
  totalBytes: number;
  reservedBytes: number;
  /** The first records, read through views (store.at(i)) and written as exact JSON. */
  first: string[];
}

export interface QueryAnswer {
  count: number;
  /** The first matching records through views, as exact JSON. */
  first: string[];
  ms: number;
}

export interface RunAnswer {
  /** What the snippet printed with console.log / info / warn / error, one entry a call. */
  logs: string[];
  /** The snippet's returned value, as text. */
  result: string;
  ms: number;
}

/** Store worker → page. `progress` has no id: it belongs to the open in flight. */
export type StoreResponse =
  | { type: 'progress'; bytesRead: number; totalBytes: number | undefined; records: number }
  | { id: number; type: 'opened'; store: OpenedStore }
  | { id: number; type: 'answer'; answer: QueryAnswer }
  | { id: number; type: 'ran'; answer: RunAnswer }
  | { id: number; type: 'error'; message: string; column?: number };

/** Page → plain worker: parse the file into objects and keep them until terminated. */
export interface PlainRequest {
  file: File;
}

/** Plain worker → page: `ready` once its module runs (the page measures the empty worker then). */
export type PlainResponse = { type: 'ready' } | { type: 'parsed'; records: number; parseMs: number } | { type: 'error'; message: string };
