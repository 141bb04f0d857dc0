// The file formats the CLI reads and writes, by extension: one table, so every command agrees.
// Reading goes through Store.fromFile, which knows the same extensions; writing dispatches here.
import { extname } from 'node:path';
import { UsageError } from './errors';

export type OutputFormat = 'json' | 'ndjson' | 'msx' | 'arrow' | 'parquet';

const BY_EXTENSION: Readonly<Record<string, OutputFormat>> = {
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.msx': 'msx',
  '.arrow': 'arrow',
  '.arrows': 'arrow',
  '.feather': 'arrow',
  '.parquet': 'parquet',
};

export const EXTENSIONS = Object.keys(BY_EXTENSION);

/** The format of a file named `path`, or a UsageError listing the ones known. */
export function formatOf(path: string): OutputFormat {
  const format = BY_EXTENSION[extname(path).toLowerCase()];
  if (format === undefined) throw new UsageError(`${path}: unknown file type ${JSON.stringify(extname(path) || '(no extension)')}; known: ${EXTENSIONS.join(', ')}`);
  return format;
}

/** The format an input file is read as: by extension, and JSON for any other (as Store.fromFile reads it). */
export function inputFormatOf(path: string): OutputFormat {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? 'json';
}
