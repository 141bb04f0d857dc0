// The Parquet writer's nesting limit. Tables reach parquet-wasm as Arrow IPC, and arrow-rs reads
// the IPC schema with flatbuffers' default verifier, which stops at depth 64: a schema nesting
// more than 60 struct or list levels fails deep inside with "DepthLimitReached". It is checked
// here first, so the error names the limit and the column (memstore's own MAX_DEPTH is 1,000).
import type { DataType, Schema } from 'apache-arrow';
import { MemstoreUnsupportedError } from '../errors';

export const PARQUET_WRITE_MAX_DEPTH = 60;

export function checkWriteDepth(schema: Schema): void {
  for (const field of schema.fields) {
    const depth = depthOf(field.type);
    if (depth > PARQUET_WRITE_MAX_DEPTH) {
      throw new MemstoreUnsupportedError(
        `The column "${field.name}" nests ${depth} levels; the Parquet writer (parquet-wasm, through Arrow IPC) takes at most ${PARQUET_WRITE_MAX_DEPTH}. Keep deeper values as JSON text.`,
      );
    }
  }
}

/** Levels of nesting of a type: 0 for a scalar, 1 + the deepest child's for a struct, list or map. Iterative: a type from outside may nest deep. */
function depthOf(type: DataType): number {
  let deepest = 0;
  const stack: Array<[DataType, number]> = [[type, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [DataType, number];
    deepest = Math.max(deepest, depth);
    for (const child of current.children ?? []) stack.push([child.type, depth + 1]);
  }
  return deepest;
}
