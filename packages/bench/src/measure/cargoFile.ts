// Cargo records streamed to a file (compact JSON array or NDJSON) without holding them: the
// records come one at a time from cargoSource and go out in ~4 MiB writes.
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeSync, writeFileSync } from 'node:fs';
import { cargoSource, DEFAULT_SEED } from '../datasets';

export type FileFormat = 'json' | 'ndjson';

export interface CargoFile {
  path: string;
  format: FileFormat;
  records: number;
  bytes: number;
  seed: number;
}

const FLUSH_CHARS = 4 * 2 ** 20;

export interface WriteOptions {
  format: FileFormat;
  seed?: number;
  /** Records to write… */
  count?: number;
  /**
   * …or an exact file size (NDJSON only): records are written while a whole line fits, and the
   * last line is padded with spaces (whitespace is allowed after a JSON value) to the exact size.
   */
  targetBytes?: number;
  onProgress?: (bytes: number) => void;
}

/** Writes `path` (via `path.partial`, renamed when complete, so a killed run leaves no half file). */
export function writeCargoFile(path: string, options: WriteOptions): CargoFile {
  const { format, seed = DEFAULT_SEED, count, targetBytes } = options;
  if ((count === undefined) === (targetBytes === undefined)) throw new Error('writeCargoFile: give count or targetBytes');
  if (targetBytes !== undefined && format !== 'ndjson') throw new Error('writeCargoFile: targetBytes is for NDJSON');
  const next = cargoSource(seed);
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  let buffer = '';
  let bytes = 0;
  let records = 0;
  const flush = () => {
    // Records are ASCII (the vocabulary is), so characters are bytes.
    bytes += writeSync(fd, buffer);
    buffer = '';
    options.onProgress?.(bytes);
  };
  try {
    if (format === 'json') {
      buffer = '[';
      for (let i = 0; i < count!; i++) {
        buffer += (i === 0 ? '' : ',') + JSON.stringify(next());
        if (buffer.length >= FLUSH_CHARS) flush();
      }
      buffer += ']';
      records = count!;
    } else if (count !== undefined) {
      for (let i = 0; i < count; i++) {
        buffer += JSON.stringify(next()) + '\n';
        if (buffer.length >= FLUSH_CHARS) flush();
      }
      records = count;
    } else {
      const target = targetBytes!;
      let pending = JSON.stringify(next()) + '\n';
      while (true) {
        const line = JSON.stringify(next()) + '\n';
        // Keep `pending` (a line that fits) until we know whether another full line fits after it.
        if (bytes + buffer.length + pending.length + line.length > target) break;
        buffer += pending;
        records++;
        pending = line;
        if (buffer.length >= FLUSH_CHARS) flush();
      }
      const room = target - bytes - buffer.length;
      if (room < pending.length) throw new Error(`writeCargoFile: ${target} bytes is too small for one record`);
      buffer += pending.slice(0, -1) + ' '.repeat(room - pending.length) + '\n';
      records++;
    }
    flush();
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return { path, format, records, bytes, seed };
}

/**
 * `path` if it exists and its manifest (`path.manifest.json`) says it holds `count` records of
 * `seed` in `format` with its current size; else writes it (and the manifest) first.
 */
export function ensureCargoFile(path: string, format: FileFormat, count: number, seed: number = DEFAULT_SEED): CargoFile & { reused: boolean } {
  const manifestPath = `${path}.manifest.json`;
  if (existsSync(path) && existsSync(manifestPath)) {
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as CargoFile;
      if (manifest.format === format && manifest.records === count && manifest.seed === seed && manifest.bytes === statSync(path).size) {
        return { ...manifest, path, reused: true };
      }
    } catch {
      // unreadable manifest: write the file again
    }
  }
  const written = writeCargoFile(path, { format, count, seed });
  writeFileSync(manifestPath, JSON.stringify(written) + '\n');
  return { ...written, reused: false };
}
