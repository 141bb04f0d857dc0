// `memstore head <file> [-n 10]`: the first records, one exact JSON line each (NDJSON).
import { exactStringify } from '@memstore/core';
import { openStore } from '../open';
import type { Progress } from '../text/progress';

export async function headCommand(file: string, options: { pointer?: string; lines: number }, progress: Progress, out: (text: string) => void): Promise<void> {
  const store = await openStore(file, { pointer: options.pointer, progress });
  try {
    const count = Math.min(options.lines, store.length);
    for (let i = 0; i < count; i++) out(`${exactStringify(plainRecord(store.at(i)))}\n`);
  } finally {
    store.dispose();
  }
}

/** A record view's plain value (views of structs and lists have toJSON); scalars as they are. */
export function plainRecord(value: unknown): unknown {
  const view = value as { toJSON?: () => unknown } | null;
  return view !== null && typeof view === 'object' && typeof view.toJSON === 'function' ? view.toJSON() : value;
}
