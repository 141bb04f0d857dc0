// The playground's plain worker: the same file as JSON.parse objects (NDJSON: one JSON.parse a
// line), kept alive in a worker of their own so the page can measure what they retain — nothing
// else lives in this worker's heap. The page terminates the worker once it has measured.
import { fileFormatOf } from '@memstore/core';
import type { PlainRequest, PlainResponse } from './protocol';

let records: unknown[] | undefined;

const post = (message: PlainResponse) => (self as unknown as Worker).postMessage(message);

self.onmessage = async (event: MessageEvent<PlainRequest>) => {
  try {
    const { file } = event.data;
    const started = performance.now();
    let source: string | null = await file.text();
    if (fileFormatOf(file.name) === 'ndjson') {
      records = [];
      for (const line of source.split('\n')) if (line.trim() !== '') records.push(JSON.parse(line));
    } else {
      const parsed: unknown = JSON.parse(source);
      records = Array.isArray(parsed) ? parsed : [parsed];
    }
    source = null; // only the objects stay reachable
    post({ type: 'parsed', records: records.length, parseMs: performance.now() - started });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};

post({ type: 'ready' });
