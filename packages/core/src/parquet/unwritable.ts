// A table the Parquet writer refuses (an empty struct, which Parquet cannot hold as a group; a
// type arrow-rs does not write): parquet-wasm throws its reason as a string, which leaves here as
// a MemstoreUnsupportedError that names it.
import { MemstoreUnsupportedError } from '../errors';

export function unwritable(error: unknown): MemstoreUnsupportedError {
  const reason = error instanceof Error ? error.message : String(error);
  return new MemstoreUnsupportedError(`Parquet cannot hold this table as given: ${reason}.`);
}
