// Record files written without holding them: a writer that takes one record's JSON text at a
// time and sends ~4 MiB writes to `path.partial` as a compact JSON array or NDJSON (renamed to
// `path` when complete, so a killed run leaves no half file), and reuse of a file a manifest
// (`path.manifest.json`) describes. The cargo files (cargoFile.ts) and the feeds use both.
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';

export type FileFormat = 'json' | 'ndjson';

const FLUSH_CHARS = 4 * 2 ** 20;

export class RecordFileWriter {
  private readonly fd: number;
  private readonly partial: string;
  private buffer: string;
  /** Bytes written so far (UTF-8: writeSync counts them), not counting `buffer`. */
  private written = 0;
  private closed = false;
  records = 0;

  constructor(
    readonly path: string,
    readonly format: FileFormat,
    private readonly onFlush?: (bytes: number) => void,
  ) {
    this.partial = `${path}.partial`;
    this.fd = openSync(this.partial, 'w');
    this.buffer = format === 'json' ? '[' : '';
  }

  /** Appends one record, given as its JSON text (no newline in it: JSON.stringify's output). */
  add(json: string): void {
    if (this.format === 'json') this.buffer += this.records === 0 ? json : ',' + json;
    else this.buffer += json + '\n';
    this.records++;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  /** Appends text as it is (cargoFile's padding of the last line to an exact size). */
  addRaw(text: string): void {
    this.buffer += text;
  }

  /** Bytes written plus characters buffered: the file's size so far when the records are ASCII. */
  get sizeSoFar(): number {
    return this.written + this.buffer.length;
  }

  private flush(): void {
    this.written += writeSync(this.fd, this.buffer);
    this.buffer = '';
    this.onFlush?.(this.written);
  }

  /** Closes the array, writes the rest, renames the file into place; returns its size in bytes. */
  finish(): number {
    if (this.format === 'json') this.buffer += ']';
    try {
      this.flush();
    } finally {
      this.abandon();
    }
    renameSync(this.partial, this.path);
    return this.written;
  }

  /** Closes the partial file after a failure (it stays as `path.partial`, never `path`). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/**
 * `path` if it exists and its manifest says what `wanted` says (every key equal), its size is
 * the manifest's `bytes` and `valid` (if given) accepts the manifest; else `write()` makes it and
 * the manifest is written. Returns the manifest and whether the file was reused.
 */
export function ensureRecordFile<M extends { bytes: number }>(path: string, wanted: Partial<M>, write: () => M, valid: (manifest: M) => boolean = () => true): M & { reused: boolean } {
  const manifestPath = `${path}.manifest.json`;
  if (existsSync(path) && existsSync(manifestPath)) {
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as M;
      const matches = Object.entries(wanted).every(([key, value]) => JSON.stringify((manifest as Record<string, unknown>)[key]) === JSON.stringify(value));
      if (matches && manifest.bytes === statSync(path).size && valid(manifest)) return { ...manifest, reused: true };
    } catch {
      // unreadable manifest: write the file again
    }
  }
  const written = write();
  writeFileSync(manifestPath, JSON.stringify(written) + '\n');
  return { ...written, reused: false };
}
