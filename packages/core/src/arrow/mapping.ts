// The mapping between memstore's columns and Arrow's types, as metadata: the one place that
// names what a field's `memstore:*` metadata says, so the writer (toArrow.ts), the reader
// (fromArrow.ts) and later formats that reuse the mapping (Parquet) agree. ARROW.md is its
// table. Arrow alone cannot say "missing" (a key absent from its record) apart from null, which
// of a number column's values were ints, that a string column is JSON text, or that a binary
// column is WTF-8 (lone surrogates, which UTF-8 cannot hold): the metadata keeps those, and an
// engine that ignores it still reads ordinary typed columns.
import { isWellFormed } from '../util/wtf8';

/** Schema metadata: the mapping's version (a reader refuses a newer one it does not know). */
export const VERSION_KEY = 'memstore:version';
export const MAPPING_VERSION = '1';

/**
 * Schema metadata: how the table's rows are the store's records. 'fields' (or absent: any other
 * producer's table): each row is an object of the table's columns. 'value': the records are not
 * all objects (scalars, arrays, nulls among them), and each is the one column `value`.
 */
export const ROOT_KEY = 'memstore:root';
export type RootMode = 'fields' | 'value';
export const VALUE_COLUMN = 'value';

/** Field metadata: the store's schema type of the column (`SchemaType`: 'int', 'mixed', …). */
export const KIND_KEY = 'memstore:kind';

/**
 * Field metadata: what the field's Arrow nulls are. 'null' (or absent): JSON null. 'missing':
 * the key is absent from its record. 'both': the companion column named by MISSING_KEY says
 * which rows are missing; the other Arrow nulls are null.
 */
export const ABSENT_KEY = 'memstore:absent';
export type AbsentMode = 'null' | 'missing' | 'both';

/** Field metadata (with absent 'both'): the name of the sibling Bool column, true where the key is missing. */
export const MISSING_KEY = 'memstore:missing';

/** Field metadata of that sibling: 'missing' (a reader does not make it a key of the records). */
export const ROLE_KEY = 'memstore:role';
export const MISSING_ROLE = 'missing';

/**
 * Field metadata: the record key as JSON text, written for the keys a field name cannot carry:
 * '' (Arrow JS writes no name for it, the name being optional in Arrow's schema, and reads a
 * field without one as 'null'), keys with lone surrogates (names are UTF-8; JSON text escapes
 * them) and keys that start with U+FEFF (Arrow JS's UTF-8 decoder drops it as a BOM). The field's name is then the key with U+FFFD for each lone surrogate.
 */
export const KEY_KEY = 'memstore:key';

/** Whether `key` needs KEY_KEY to come back exactly. */
export function keyNeedsMetadata(key: string): boolean {
  return key === '' || key.charCodeAt(0) === 0xfeff || !isWellFormed(key);
}

/** The field name of a key: the key, with U+FFFD for each lone surrogate (what TextEncoder writes). */
export function fieldName(key: string): string {
  return isWellFormed(key) ? key : new TextDecoder().decode(new TextEncoder().encode(key));
}

/** Field metadata: 'wtf8' on a Binary (or Dictionary<Binary>) column of strings holding lone surrogates. */
export const ENCODING_KEY = 'memstore:encoding';
export const WTF8 = 'wtf8';

/**
 * Arrow's canonical extension type for JSON text (a Utf8 column): a mixed column's values are
 * each written as exact JSON (`-0`, `1e999` for Infinity: util/exactJson.ts), which other engines
 * read as JSON strings and memstore parses back.
 */
export const EXTENSION_NAME_KEY = 'ARROW:extension:name';
export const JSON_EXTENSION = 'arrow.json';

/** The companion column of field `key` with absent 'both': `key:missing`, with more ':' until no sibling has the name. */
export function companionName(key: string, siblings: ReadonlySet<string>): string {
  let name = `${key}:missing`;
  while (siblings.has(name)) name += ':';
  return name;
}

/** The two Arrow integer types an int column is written as: Int32 when every value fits, else Int64 (|value| ≤ 2^53). */
export function fitsInt32(min: number, max: number): boolean {
  return min >= -0x80000000 && max <= 0x7fffffff;
}
