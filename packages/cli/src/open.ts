// Opening the input every command reads: a store from any file Store.fromFile knows (JSON, NDJSON,
// .msx, Arrow, Parquet), the pointer passed for JSON, progress shown while the bytes are read.
import { stat } from 'node:fs/promises';
import { Store } from '@memstore/core';
import { inputFormatOf } from './text/formats';
import { UsageError } from './text/errors';
import type { Progress } from './text/progress';

export interface OpenOptions {
  pointer?: string;
  progress: Progress;
}

export async function openStore(file: string, options: OpenOptions): Promise<Store> {
  await assertFile(file);
  const format = inputFormatOf(file);
  const parsed = format === 'json' || format === 'ndjson';
  if (!parsed && options.pointer !== undefined) throw new UsageError(`--pointer applies to JSON input; ${file} is ${format}, read as written`);
  const label = `reading ${file}`;
  try {
    return await Store.fromFile(file, {
      ...(options.pointer === undefined ? {} : { pointer: options.pointer }),
      ...(parsed ? { onProgress: ({ bytesRead, totalBytes }) => options.progress.update(label, bytesRead, totalBytes) } : {}),
    });
  } finally {
    options.progress.end();
  }
}

/** A missing input is one line naming it, before any work starts. */
export async function assertFile(file: string): Promise<void> {
  try {
    if (!(await stat(file)).isFile()) throw new UsageError(`${file} is not a file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}
