// The records of a file as plain objects, read the way a Node program without memstore reads them:
// JSON.parse of the whole text (JSON), or JSON.parse line by line (NDJSON), the pointer applied as
// memstore applies it (an array's elements, or an object's values in document order; any other value
// is one record). The text is a local: once this returns only the records are alive.
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { inputFormatOf } from '../text/formats';

/** What V8 lets one string hold (2^29 − 24 UTF-16 units): JSON.parse of a longer file is impossible. */
export const MAX_STRING_LENGTH = 2 ** 29 - 24;

export async function plainRecords(file: string, pointer?: string): Promise<unknown[]> {
  if (inputFormatOf(file) === 'ndjson') {
    const records: unknown[] = [];
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const value: unknown = JSON.parse(line);
      if (pointer === undefined) records.push(value);
      else for (const record of recordsAt(value, pointer)) records.push(record);
    }
    return records;
  }
  const text = readFileSync(file, 'utf8');
  if (text.length > MAX_STRING_LENGTH) throw new Error(`${file} is too large for one JavaScript string (${text.length} characters), so JSON.parse cannot read it: convert it to NDJSON`);
  const document: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return pointer === undefined ? (Array.isArray(document) ? document : [document]) : recordsAt(document, pointer);
}

/** The records at a JSON Pointer (RFC 6901) inside `document`. */
export function recordsAt(document: unknown, pointer: string): unknown[] {
  let value = document;
  if (pointer !== '') {
    if (!pointer.startsWith('/')) throw new Error(`the pointer ${JSON.stringify(pointer)} must start with '/' (or be '' for the whole document)`);
    for (const raw of pointer.slice(1).split('/')) {
      const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, token)) throw new Error(`the pointer ${JSON.stringify(pointer)} names nothing: no ${JSON.stringify(token)} there`);
      value = (value as Record<string, unknown>)[token];
    }
  }
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return Object.values(value);
  throw new Error(`the pointer ${JSON.stringify(pointer)} names a ${value === null ? 'null' : typeof value}, not an array or object of records`);
}
