// Arrow IPC bytes, both ways. Out: a store's record batches (toArrow.ts, BATCH_ROWS records each)
// through Arrow JS's file or stream writer — as one byte array, or as chunks handed to a sink a
// batch at a time, so a large store is never held twice. In: untrusted bytes — framing checked
// against their length first (framing.ts), then read by Arrow JS, every error of its reader turned
// into a MemstoreFormatError, then every array validated (validate.ts) before anyone decodes it.
import { AsyncByteQueue, RecordBatchFileWriter, RecordBatchStreamWriter, type Table, tableFromIPC } from 'apache-arrow';
import { MemstoreError, MemstoreFormatError } from '../errors';
import { checkFraming } from './framing';
import { type ArrowWriter, BATCH_ROWS } from './toArrow';
import { validateTable } from './validate';

export type IPCFormat = 'file' | 'stream';

/** The store as IPC bytes (a `.arrow` file or an `.arrows` stream). */
export function toIPC(writer: ArrowWriter, recordCount: number, format: IPCFormat): Uint8Array {
  return join([...ipcChunks(writer, recordCount, format)]);
}

/**
 * The store as IPC, a record batch at a time: each batch is made and written when the previous
 * chunk was taken (a file sink pulls the next when the file took the last), so a large store's
 * batches are never all held at once.
 */
export function* ipcChunks(writer: ArrowWriter, recordCount: number, format: IPCFormat): Generator<Uint8Array> {
  const queue = new ChunkQueue();
  const ipc = format === 'file' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
  ipc.reset(queue, writer.schema);
  // At least one batch, so an empty store still writes its schema (and an empty record batch).
  for (let start = 0; start < recordCount || start === 0; start += BATCH_ROWS) {
    ipc.write(writer.batch(start, Math.min(recordCount, start + BATCH_ROWS)));
    yield queue.take();
  }
  ipc.finish();
  yield queue.take();
}

/** Arrow JS's writer writes into an AsyncByteQueue; this one keeps the chunks for `take` instead of queueing them for an async reader. */
class ChunkQueue extends AsyncByteQueue {
  private chunks: Uint8Array[] = [];
  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }
  take(): Uint8Array {
    const chunks = this.chunks;
    this.chunks = [];
    return join(chunks);
  }
}

function join(chunks: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/** IPC bytes from outside as a validated Table. */
export function fromIPC(bytes: Uint8Array): Table {
  checkFraming(bytes);
  try {
    const table = tableFromIPC(bytes);
    validateTable(table);
    return table;
  } catch (error) {
    // Arrow JS's reader throws whatever its code meets (RangeError, TypeError, plain Error).
    if (error instanceof MemstoreError) throw error;
    throw new MemstoreFormatError('arrow', `Invalid Arrow IPC: Arrow's reader failed: ${(error as Error)?.message ?? String(error)}`, undefined, { cause: error });
  }
}
