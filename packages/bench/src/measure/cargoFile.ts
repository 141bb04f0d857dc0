// Cargo records streamed to a file (compact JSON array or NDJSON) without holding them: the
// records come one at a time from cargoSource and go out through a RecordFileWriter.
import { cargoSource, DEFAULT_SEED } from '../datasets';
import { ensureRecordFile, RecordFileWriter, type FileFormat } from './recordFile';

export type { FileFormat } from './recordFile';

export interface CargoFile {
  path: string;
  format: FileFormat;
  records: number;
  bytes: number;
  seed: number;
}

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
  const writer = new RecordFileWriter(path, format, options.onProgress);
  let bytes: number;
  try {
    if (count !== undefined) {
      for (let i = 0; i < count; i++) writer.add(JSON.stringify(next()));
    } else {
      // Records are ASCII (the vocabulary is), so characters are bytes.
      const target = targetBytes!;
      let pending = JSON.stringify(next());
      while (true) {
        const line = JSON.stringify(next());
        // Keep `pending` (a line that fits) until we know whether another full line fits after it.
        if (writer.sizeSoFar + pending.length + 1 + line.length + 1 > target) break;
        writer.add(pending);
        pending = line;
      }
      const room = target - writer.sizeSoFar;
      if (room < pending.length + 1) throw new Error(`writeCargoFile: ${target} bytes is too small for one record`);
      writer.addRaw(pending + ' '.repeat(room - pending.length - 1) + '\n');
      writer.records++;
    }
    bytes = writer.finish();
  } catch (error) {
    writer.abandon();
    throw error;
  }
  return { path, format, records: writer.records, bytes, seed };
}

/**
 * `path` if it exists and its manifest (`path.manifest.json`) says it holds `count` records of
 * `seed` in `format` with its current size; else writes it (and the manifest) first.
 */
export function ensureCargoFile(path: string, format: FileFormat, count: number, seed: number = DEFAULT_SEED): CargoFile & { reused: boolean } {
  const reused = ensureRecordFile<CargoFile>(path, { format, records: count, seed }, () => writeCargoFile(path, { format, count, seed }));
  return { ...reused, path };
}
