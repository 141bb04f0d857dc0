// What Node gives the store's files (installed by node.ts through platform.ts): a file read in
// chunks a chunk ahead of its parse (fromFile), a file read at any offset (Store.load reads the
// .msx footer first, then each block straight into WASM memory), and an
// atomic write (store.save): a temporary file in the same folder, written in order, fsynced,
// renamed over the name, then the folder fsynced so the rename itself is durable. A failure
// removes the temporary file; a crash leaves at most a temporary file, never a half-written one
// under the name, since rename(2) replaces it whole or not at all.
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MemstoreError } from '../errors';
import type { RandomAccessFile } from '../platform';
import type { ByteSink } from './write';

function ioError(path: string, doing: string, error: unknown): MemstoreError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file or folder' : (error as Error).message;
  return new MemstoreError('IO', `Cannot ${doing} ${path}: ${reason}.`, { cause: error });
}

/**
 * A file's bytes for a load, in chunks of `chunkBytes`: the next chunk is read while the parser
 * takes this one (two buffers in turn), so the parser does not wait on the disk between chunks
 * (a read stream reads only when asked: 70 ms of the events feed's 1.3 s load was spent idle) and
 * no buffer is made per chunk. A chunk holds its bytes until the next is asked for: every reader
 * copies it at once (into WASM memory, or into a whole file's bytes). Ends at the end of the file.
 */
export async function* fileChunks(path: string, chunkBytes: number): AsyncGenerator<Uint8Array, void, undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw ioError(path, 'read', error);
  }
  const buffers = [new Uint8Array(chunkBytes), new Uint8Array(chunkBytes)];
  let position = 0;
  let which = 0;
  const readInto = (buffer: Uint8Array) => handle.read(buffer, 0, chunkBytes, position);
  let pending: Promise<{ bytesRead: number }> | null = readInto(buffers[0]);
  try {
    while (true) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await pending);
      } catch (error) {
        pending = null;
        throw ioError(path, 'read', error);
      }
      pending = null;
      if (bytesRead === 0) return;
      position += bytesRead;
      const chunk = buffers[which].subarray(0, bytesRead);
      which ^= 1;
      pending = readInto(buffers[which]);
      yield chunk;
    }
  } finally {
    // A load that stops early (a parse error, an abort) leaves a read in flight: it ends before the file closes.
    if (pending !== null) await pending.catch(() => undefined);
    await handle.close();
  }
}

export async function openRandomAccess(path: string): Promise<RandomAccessFile> {
  let handle: FileHandle;
  let size: number;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    }
    size = info.size;
  } catch (error) {
    throw ioError(path, 'read', error);
  }
  return {
    size,
    read: async (into, position) => {
      let done = 0;
      while (done < into.length) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(into, done, Math.min(into.length - done, 1 << 30), position + done));
        } catch (error) {
          throw ioError(path, 'read', error);
        }
        if (bytesRead === 0) throw new MemstoreError('IO', `Cannot read ${path}: it ended at ${position + done} bytes while being read (it changed since it was opened).`);
        done += bytesRead;
      }
    },
    close: () => handle.close(),
  };
}

export async function writeFileAtomic(path: string, write: (sink: ByteSink) => Promise<void>): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'wx');
  } catch (error) {
    throw ioError(path, 'write', error);
  }
  try {
    let position = 0;
    await write(async (bytes) => {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position);
        done += bytesWritten;
        position += bytesWritten;
      }
    });
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error instanceof MemstoreError ? error : ioError(path, 'write', error);
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw ioError(path, 'write', error);
  }
  // The rename is durable once the folder's entry is on disk (POSIX); Windows cannot open a folder to fsync it, and needs not.
  if (process.platform !== 'win32') {
    const dir = await open(folder, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
