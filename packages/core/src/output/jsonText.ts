// The records as JSON text, exact (util/exactJson.ts: -0, ±Infinity as 1e999, lone surrogates
// escaped), for store.writeJSON: an array of records (`json`, as JSON.parse reads the input back)
// or a record per line (`ndjson`). Made a batch of records at a time, as UTF-8 chunks of about
// 1 MiB, so a store far larger than the JS heap writes out in bounded memory.
import type { Node } from '../schema/node';
import { exactStringify } from '../util/exactJson';

export type JsonTextFormat = 'json' | 'ndjson';

const CHUNK_CHARACTERS = 1 << 20;

export function* jsonTextChunks(root: Node, recordCount: number, format: JsonTextFormat): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const separator = format === 'json' ? ',\n' : '\n';
  let text = format === 'json' ? '[' : '';
  for (let row = 0; row < recordCount; row++) {
    // A missing root row (a record that is not an object under a pointer) is not possible: every row holds a record.
    text += exactStringify(root.plain(row));
    if (format === 'ndjson' || row + 1 < recordCount) text += separator;
    if (text.length >= CHUNK_CHARACTERS) {
      // exactStringify escapes lone surrogates, so the text is well-formed and encodes losslessly.
      yield encoder.encode(text);
      text = '';
    }
  }
  if (format === 'json') text += ']\n';
  if (text !== '') yield encoder.encode(text);
}
