// store.column(path): a column's data without copying — typed-array views of its WASM buffers
// in the width it is stored — plus presence bitmaps and a plain copy on demand.
import { MemstoreQueryError } from '../errors';
import type { SchemaStorage, SchemaType } from '../schema/describe';
import { StructNode } from '../schema/containers';
import { queryKind } from './kinds';
import type { Target } from './target';
import type { Node } from '../schema/node';
import { INSPECT } from '../view/symbols';

/**
 * One column, as stored. Typed arrays are views of the store's WASM memory: valid until the
 * next call that adds data to the store (queries never invalidate them). Bitmaps are
 * LSB-first bytes: bit `i & 7` of byte `i >> 3` is row i.
 *
 * After the store's `dispose()` every property and method throws MemstoreDisposedError.
 * Typed arrays taken out before that are views memstore cannot take back: dispose detaches the
 * memory they view, so they read as empty (length 0) from then on. Copy (`.slice()`) what must
 * outlive the store. `dictionary` is a JS array: one taken out stays as it was.
 */
export interface ColumnData {
  readonly path: string;
  readonly type: SchemaType;
  readonly storage: SchemaStorage;
  /** Rows: records for fields of the records, elements for fields inside lists. */
  readonly length: number;
  /** Floats. */
  readonly values: Float64Array | null;
  /**
   * Ints (`storage` 'uint8 + base' … 'uint64 + base'): row i is `base + deltas[i]`, exactly (every
   * int column value is an integer of magnitude ≤ 2^53). `deltas` is null when 'constant' (every row is
   * `base`); a BigUint64Array for 8-byte deltas: `base + Number(deltas[i])` may round there, so
   * add as BigInts (`Number(BigInt(base) + deltas[i])`) or read `toArray()`. Null and missing
   * rows' deltas are unspecified.
   */
  readonly base: number | undefined;
  readonly deltas: Uint8Array | Uint16Array | Uint32Array | BigUint64Array | null;
  /** The one value of a 'constant' column (ints: `base`). */
  readonly constant: number | string | undefined;
  /** Booleans, bit-packed. */
  readonly bits: Uint8Array | null;
  /** Strings: per-row codes into `dictionary` (null when 'constant': every code is 0). */
  readonly codes: Uint8Array | Uint16Array | Uint32Array | null;
  readonly dictionary: readonly string[] | null;
  /**
   * Lists and maps: row i holds elements offsets[i] .. offsets[i + 1] of the child column.
   * Strings stored as 'text' or 'fsst': row i is bytes[offsets[i] .. offsets[i + 1]) (empty for
   * null and missing rows; 'fsst' rows decoded into a copy when the column is taken).
   */
  readonly offsets: Uint32Array | null;
  /** Strings stored as 'text' or 'fsst': every row's string as WTF-8 (UTF-8, lone surrogates kept), back to back. */
  readonly bytes: Uint8Array | null;
  /** Mixed: a tag per row (0 false, 1 true, 2 number, 3 string, 4 nested JSON) and its f64 payload. */
  readonly tags: Uint8Array | null;
  readonly payload: Float64Array | null;
  /** Presence bitmaps; null when no row is null / missing (a sparse column: `nulls` over its stored rows, `missing` null). */
  readonly nulls: Uint8Array | null;
  readonly missing: Uint8Array | null;
  /**
   * A sparse column (most rows missing) stores only the rows that are not missing: every array
   * above (values, deltas, codes, bits, offsets, tags, payload, nulls) then holds those
   * `stored` rows, in row order, and row i is at `storedRow(i)`. `index` holds 3 u32 per 64 rows:
   * the stored rows before them, then their bits (low word, high word; set: stored). Null for a
   * dense column, whose arrays hold every row.
   */
  readonly sparse: { readonly stored: number; readonly index: Uint32Array } | null;
  /** Where row `row` is in the arrays: the row itself (dense), its stored position (sparse), or -1 when missing there. */
  storedRow(row: number): number;
  isNull(row: number): boolean;
  isMissing(row: number): boolean;
  /** A plain copy: values, null for null rows, undefined for missing rows. */
  toArray(): unknown[];
}

export function columnData(target: Target): ColumnData {
  const { node, path } = target;
  if (node instanceof StructNode) {
    throw new MemstoreQueryError(
      `"${path}" is a struct; take one of its fields (${[...node.fields.keys()].slice(0, 5).map((k) => JSON.stringify(k)).join(', ')}), or store.values(${JSON.stringify(path)}) for a lazy list of its views.`,
      path,
    );
  }
  const column = node.column;
  const length = column.length;
  const stored = column.storedLength;
  const bytes = (stored + 7) >>> 3;
  const fields = queryKind(node).columnFields(node, stored);
  return new ColumnView(node, {
    path,
    type: node.schemaType,
    storage: node.storage(),
    length,
    values: fields.values ?? null,
    base: fields.base,
    deltas: fields.deltas ?? null,
    constant: fields.constant,
    bits: fields.bits ?? null,
    codes: fields.codes ?? null,
    dictionary: fields.dictionary ?? null,
    offsets: fields.offsets ?? null,
    bytes: fields.bytes ?? null,
    tags: fields.tags ?? null,
    payload: fields.payload ?? null,
    nulls: column.nulls === null ? null : column.nulls.subarray(0, bytes),
    missing: column.missing === null ? null : column.missing.subarray(0, bytes),
    sparse: column.sparse === null ? null : { stored, index: column.sparse.subarray(0, Math.ceil(length / 64) * 3) },
  });
}

type Fields = Omit<ColumnData, 'isNull' | 'isMissing' | 'storedRow' | 'toArray'>;

const NODE = Symbol('memstore.columnNode');
const FIELDS = Symbol('memstore.columnFields');

/**
 * What `store.column()` hands out: the fields as they were when it was taken, each behind a
 * getter that checks the store is live (users take a field once and index the array: the
 * check is per field read, not per row).
 */
class ColumnView implements ColumnData {
  private readonly [NODE]: Node;
  private readonly [FIELDS]: Fields;

  constructor(node: Node, fields: Fields) {
    this[NODE] = node;
    this[FIELDS] = fields;
  }

  /** The one check of a column view: the fields, once the store is known to be live. */
  private live(): Fields {
    this[NODE].engine.assertLive('column');
    return this[FIELDS];
  }

  get path(): string {
    return this.live().path;
  }
  get type(): SchemaType {
    return this.live().type;
  }
  get storage(): SchemaStorage {
    return this.live().storage;
  }
  get length(): number {
    return this.live().length;
  }
  get values(): Fields['values'] {
    return this.live().values;
  }
  get base(): Fields['base'] {
    return this.live().base;
  }
  get deltas(): Fields['deltas'] {
    return this.live().deltas;
  }
  get constant(): Fields['constant'] {
    return this.live().constant;
  }
  get bits(): Fields['bits'] {
    return this.live().bits;
  }
  get codes(): Fields['codes'] {
    return this.live().codes;
  }
  get dictionary(): Fields['dictionary'] {
    return this.live().dictionary;
  }
  get offsets(): Fields['offsets'] {
    return this.live().offsets;
  }
  get bytes(): Fields['bytes'] {
    return this.live().bytes;
  }
  get tags(): Fields['tags'] {
    return this.live().tags;
  }
  get payload(): Fields['payload'] {
    return this.live().payload;
  }
  get nulls(): Fields['nulls'] {
    return this.live().nulls;
  }
  get missing(): Fields['missing'] {
    return this.live().missing;
  }

  get sparse(): Fields['sparse'] {
    return this.live().sparse;
  }

  storedRow(row: number): number {
    this.live();
    return this[NODE].column.storedRow(row);
  }

  isNull(row: number): boolean {
    this.live();
    const node = this[NODE];
    return node.column.isNull(row) || (node.schemaType === 'null' && !node.column.isMissing(row));
  }

  isMissing(row: number): boolean {
    this.live();
    return this[NODE].column.isMissing(row);
  }

  toArray(): unknown[] {
    const node = this[NODE];
    return Array.from({ length: this.live().length }, (_, row) => node.plain(row));
  }

  /** console.log / util.inspect: the fields (getters do not show by default), or a note once disposed. */
  [INSPECT](): unknown {
    return this[NODE].engine.disposed ? '[disposed memstore column]' : { ...this[FIELDS] };
  }
}
