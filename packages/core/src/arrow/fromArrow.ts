// Arrow in: a table (memstore's own or any producer's) decoded column by column into JSON values,
// then stored as records (ingest/records.ts plans every column exactly from them). Each Arrow
// array is read from its buffers once — a dictionary decoded once, its indices looked up — and
// the metadata of mapping.ts puts back what Arrow cannot say (missing keys, ints, JSON text,
// WTF-8). Types other producers write that JSON has no value for map as ARROW.md says:
// timestamps and dates to ISO 8601 text, decimals to numbers (to text past 15 digits), 64-bit
// ints past 2^53 to their decimal text, binary to base64. Callers validate first (validate.ts).
import {
  type Data, type Date_, DateUnit, type Decimal, type Field, type FixedSizeBinary, type FixedSizeList, type Float, type Int, Precision, type Table,
  type Time, TimeUnit, type Timestamp, Type, type Union, UnionMode, type Vector,
} from 'apache-arrow';
import { MemstoreFormatError, MemstoreUnsupportedError } from '../errors';
import { setOwn } from '../schema/containers';
import { decodeWtf8 } from '../util/wtf8';
import {
  ABSENT_KEY, ENCODING_KEY, EXTENSION_NAME_KEY, JSON_EXTENSION, KEY_KEY, KIND_KEY, MAPPING_VERSION, MISSING_KEY, MISSING_ROLE,
  ROLE_KEY, ROOT_KEY, VALUE_COLUMN, VERSION_KEY, WTF8,
} from './mapping';

/** A decoded column: a value per row; `undefined` is a missing key (only ever a struct field's). */
type Values = unknown[];

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The table's records, as JSON values (what JSON.parse of the store's JSON would give), a record
 * batch at a time: a store is built from them batch by batch (Store.fromArrow), so the JS heap
 * holds one batch's records, not the table's. The table's metadata is checked before the first.
 */
export function arrowBatches(table: Table): Generator<unknown[]> {
  const version = table.schema.metadata.get(VERSION_KEY);
  if (version !== undefined && version !== MAPPING_VERSION) {
    throw new MemstoreFormatError('arrow', `The table was written by memstore's Arrow mapping version ${version}; this memstore reads version ${MAPPING_VERSION}.`);
  }
  const root = table.schema.metadata.get(ROOT_KEY);
  if (root !== undefined && root !== 'fields' && root !== 'value') throw new MemstoreFormatError('arrow', `The table has ${ROOT_KEY} ${JSON.stringify(root)}; memstore writes 'fields' or 'value'.`);
  const asValue = root === 'value';
  const fields = table.schema.fields;
  const index = asValue ? fields.findIndex((field) => field.name === VALUE_COLUMN) : -1;
  if (asValue && index < 0) throw new MemstoreFormatError('arrow', `The table's metadata says its records are the column '${VALUE_COLUMN}', and it has no such column.`);
  return decodeBatches(table, index);
}

function* decodeBatches(table: Table, valueColumn: number): Generator<unknown[]> {
  const fields = table.schema.fields;
  // One decoder for every batch: a dictionary shared by the batches is decoded once.
  const decoder = new Decoder();
  for (const batch of table.batches) {
    if (valueColumn >= 0) yield decoder.decode(batch.data.children[valueColumn], fields[valueColumn]).map((value) => (value === undefined ? null : value));
    else yield decoder.structRows(batch.data, fields, false);
  }
}

class Decoder {
  /** Decoded dictionaries, each once (every batch of a column shares one Vector). */
  private readonly dictionaries = new Map<Vector, Values>();

  /** The rows of `data` (a struct, or a record batch's columns) as objects; a null row as null (`nullable`). */
  structRows(data: Data, fields: readonly Field[], nullable: boolean): Values {
    const columns: { key: string; values: Values }[] = [];
    for (let i = 0; i < fields.length; i++) {
      if (fields[i].metadata.get(ROLE_KEY) === MISSING_ROLE) continue;
      let values = this.decode(data.children[i], fields[i]);
      if (fields[i].metadata.get(ABSENT_KEY) === 'both') {
        const companion = fields[i].metadata.get(MISSING_KEY);
        const at = fields.findIndex((field) => field.name === companion);
        if (at < 0 || fields[at].type.typeId !== Type.Bool) {
          throw new MemstoreFormatError('arrow', `The field ${fields[i].name} has nulls and missing rows (${ABSENT_KEY} 'both'), and its struct has no Bool column '${companion}' saying which are missing.`);
        }
        const missing = this.decode(data.children[at], fields[at]);
        values = values.map((value, row) => (value === null && missing[row] === true ? undefined : value));
      }
      columns.push({ key: keyOf(fields[i]), values });
    }
    const rows: Values = new Array(data.length);
    for (let row = 0; row < data.length; row++) {
      if (nullable && !isValid(data, row)) {
        rows[row] = null;
        continue;
      }
      const record: Record<string, unknown> = {};
      for (const { key, values } of columns) if (values[row] !== undefined) setOwn(record, key, values[row]);
      rows[row] = record;
    }
    return rows;
  }

  /** One column's values; its field's metadata says what its nulls are. */
  decode(data: Data, field: Field): Values {
    checkMetadata(field);
    const values = this.values(data, field);
    const absent = field.metadata.get(ABSENT_KEY);
    if (absent === 'missing') for (let row = 0; row < values.length; row++) if (values[row] === null) values[row] = undefined;
    return values;
  }

  private values(data: Data, field: Field): Values {
    const type = data.type;
    const metadata = field.metadata;
    switch (type.typeId) {
      case Type.Null:
        return new Array(data.length).fill(null);
      case Type.Bool:
        return rows(data, (row) => ((data.values[(data.offset + row) >>> 3] >>> ((data.offset + row) & 7)) & 1) === 1);
      case Type.Int:
        return intValues(data);
      case Type.Float: {
        const values = data.values as Float64Array | Float32Array | Uint16Array;
        // JSON has no NaN: null stands for it (ARROW.md).
        const read = (type as Float).precision === Precision.HALF ? (row: number) => halfToNumber(values[row]) : (row: number) => values[row];
        return rows(data, (row) => {
          const value = read(row);
          return Number.isNaN(value) ? null : value;
        });
      }
      case Type.Decimal:
        return decimalValues(data);
      case Type.Date:
        return (type as Date_).unit === DateUnit.DAY
          ? rows(data, (row) => new Date((data.values as Int32Array)[row] * 86400000).toISOString().slice(0, 10))
          : rows(data, (row) => new Date(Number((data.values as BigInt64Array)[row])).toISOString());
      case Type.Timestamp:
        return rows(data, (row) => isoTimestamp((data.values as BigInt64Array)[row], (type as Timestamp).unit, Boolean((type as Timestamp).timezone)));
      case Type.Time:
        return rows(data, (row) => isoTime(BigInt(data.values[row]), (type as Time).unit));
      case Type.Duration:
        return rows(data, (row) => exactNumber((data.values as BigInt64Array)[row]));
      case Type.Utf8:
      case Type.LargeUtf8:
      case Type.Binary:
      case Type.LargeBinary: {
        const text = type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8;
        const read = stringReader(text, metadata.get(ENCODING_KEY) === WTF8);
        const offsets = data.valueOffsets as Int32Array | BigInt64Array;
        const bytes = data.values as Uint8Array;
        const values = rows(data, (row) => read(bytes.subarray(Number(offsets[row]), Number(offsets[row + 1]))));
        return text && (metadata.get(EXTENSION_NAME_KEY) === JSON_EXTENSION || metadata.get(KIND_KEY) === 'mixed') ? parseJson(values, field) : values;
      }
      case Type.Utf8View:
      case Type.BinaryView: {
        const read = stringReader(type.typeId === Type.Utf8View, metadata.get(ENCODING_KEY) === WTF8);
        return rows(data, (row) => read(viewBytes(data, row)));
      }
      case Type.FixedSizeBinary: {
        const width = (type as FixedSizeBinary).byteWidth;
        return rows(data, (row) => base64((data.values as Uint8Array).subarray(row * width, row * width + width)));
      }
      case Type.List:
      case Type.LargeList:
      case Type.Map: {
        const child = data.children[0];
        const childField = type.children[0] as Field;
        const offsets = data.valueOffsets as Int32Array | BigInt64Array;
        if (type.typeId === Type.Map) {
          const entryFields = childField.type.children as Field[];
          const keys = this.decode(child.children[0], entryFields[0]);
          const items = this.decode(child.children[1], entryFields[1]);
          return rows(data, (row) => {
            const object: Record<string, unknown> = {};
            for (let at = Number(offsets[row]); at < Number(offsets[row + 1]); at++) setOwn(object, String(keys[at]), items[at] ?? null);
            return object;
          });
        }
        const items = this.decode(child, childField);
        return rows(data, (row) => nullIfMissing(items.slice(Number(offsets[row]), Number(offsets[row + 1]))));
      }
      case Type.FixedSizeList: {
        const size = (type as FixedSizeList).listSize;
        const items = this.decode(data.children[0], type.children[0]);
        return rows(data, (row) => nullIfMissing(items.slice(row * size, row * size + size)));
      }
      case Type.Struct:
        return this.structRows(data, type.children, true);
      case Type.Union: {
        const union = type as Union;
        const children = union.children.map((child: Field, i: number) => this.decode(data.children[i], child));
        const slot = new Map<number, number>(Array.from(union.typeIds, (id, i) => [id, i]));
        const dense = union.mode === UnionMode.Dense;
        return Array.from({ length: data.length }, (_, row) => {
          const values = children[slot.get(data.typeIds[row])!];
          return values[dense ? data.valueOffsets[row] : row] ?? null;
        });
      }
      case Type.Dictionary: {
        const dictionary = this.dictionary(data.dictionary!, field);
        const indices = data.values as ArrayLike<number | bigint>;
        return rows(data, (row) => dictionary[Number(indices[row])]);
      }
      default:
        throw new MemstoreUnsupportedError(`Cannot read the Arrow column ${field.name}: its type ${type} has no JSON value memstore maps it to (ARROW.md lists the types it reads).`);
    }
  }

  private dictionary(vector: Vector, field: Field): Values {
    let values = this.dictionaries.get(vector);
    if (values === undefined) {
      // The dictionary's own field: its value type, the column's metadata (WTF-8 binary, JSON text).
      const valueField = { name: field.name, type: vector.type, metadata: field.metadata } as Field;
      values = vector.data.flatMap((chunk) => this.values(chunk, valueField));
      this.dictionaries.set(vector, values);
    }
    return values;
  }
}

/** memstore's own metadata must say something this reader knows: a value it does not is a corrupt or newer file, not a default. */
function checkMetadata(field: Field): void {
  const known: [string, readonly string[]][] = [[ABSENT_KEY, ['null', 'missing', 'both']], [ROLE_KEY, [MISSING_ROLE]], [ENCODING_KEY, [WTF8]]];
  for (const [key, values] of known) {
    const value = field.metadata.get(key);
    if (value !== undefined && !values.includes(value)) throw new MemstoreFormatError('arrow', `The field ${field.name} has ${key} ${JSON.stringify(value)}; memstore writes ${values.map((v) => `'${v}'`).join(' or ')}.`);
  }
}

/** A field's record key: its name, or the exact key its metadata keeps (mapping.ts KEY_KEY). */
function keyOf(field: Field): string {
  const key = field.metadata.get(KEY_KEY);
  // A field without a name (the name is optional in Arrow's schema; Arrow JS reads it as null) is the key ''.
  if (key === undefined) return field.name ?? '';
  try {
    const parsed: unknown = JSON.parse(key);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // reported below
  }
  throw new MemstoreFormatError('arrow', `The field ${field.name} keeps its key in metadata ${KEY_KEY} as ${JSON.stringify(key)}, which is not a JSON string.`);
}

function isValid(data: Data, row: number): boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return data.typeId !== Type.Null;
  const at = data.offset + row;
  return ((bitmap[at >>> 3] >>> (at & 7)) & 1) === 1;
}

/** A value per row of `data`: `read(row)` where valid, null elsewhere. */
function rows(data: Data, read: (row: number) => unknown): Values {
  const values: Values = new Array(data.length);
  const nulls = data.nullCount > 0;
  for (let row = 0; row < data.length; row++) values[row] = nulls && !isValid(data, row) ? null : read(row);
  return values;
}

/** List elements are never missing: an element decoded as missing (absent 'missing' on an element field) is null. */
function nullIfMissing(items: Values): Values {
  for (let i = 0; i < items.length; i++) if (items[i] === undefined) items[i] = null;
  return items;
}

/** Ints as numbers; a 64-bit column with a value past ±2^53 (which no double holds) as decimal text, every row. */
function intValues(data: Data): Values {
  const values = data.values as ArrayLike<number | bigint>;
  if ((data.type as Int).bitWidth < 64) return rows(data, (row) => values[row]);
  const wide = values as BigInt64Array | BigUint64Array;
  let exact = true;
  for (let row = 0; row < data.length && exact; row++) {
    if (isValid(data, row) && (wide[row] > 9007199254740992n || wide[row] < -9007199254740992n)) exact = false;
  }
  return rows(data, exact ? (row) => Number(wide[row]) : (row) => wide[row].toString());
}

function exactNumber(value: bigint): number | string {
  return value > 9007199254740992n || value < -9007199254740992n ? value.toString() : Number(value);
}

function decimalValues(data: Data): Values {
  const { scale, precision, bitWidth } = data.type as Decimal;
  const words = bitWidth / 32;
  const values = data.values as Uint32Array;
  return rows(data, (row) => {
    let unscaled = 0n;
    for (let word = words - 1; word >= 0; word--) unscaled = (unscaled << 32n) | BigInt(values[row * words + word]);
    unscaled = BigInt.asIntN(bitWidth, unscaled);
    const negative = unscaled < 0n;
    let digits = (negative ? -unscaled : unscaled).toString();
    if (scale > 0) {
      digits = digits.padStart(scale + 1, '0');
      digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    } else if (scale < 0) digits += '0'.repeat(-scale);
    const text = negative ? `-${digits}` : digits;
    // Up to 15 significant digits a double holds exactly as decimal text: then a number.
    return precision <= 15 ? Number(text) : text;
  });
}

const UNIT_DIGITS: Record<number, number> = { [TimeUnit.SECOND]: 0, [TimeUnit.MILLISECOND]: 3, [TimeUnit.MICROSECOND]: 6, [TimeUnit.NANOSECOND]: 9 };

/** A timestamp as ISO 8601 with the unit's fraction digits; 'Z' when it has a time zone (its values are UTC). */
function isoTimestamp(value: bigint, unit: TimeUnit, zoned: boolean): string {
  const digits = UNIT_DIGITS[unit];
  const perSecond = 10n ** BigInt(digits);
  let seconds = value / perSecond;
  let fraction = value % perSecond;
  if (fraction < 0n) {
    fraction += perSecond;
    seconds -= 1n;
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) throw new MemstoreFormatError('arrow', `The timestamp ${value} is outside the dates JavaScript can represent.`);
  const text = date.toISOString().slice(0, 19) + (digits > 0 ? `.${fraction.toString().padStart(digits, '0')}` : '');
  return zoned ? `${text}Z` : text;
}

function isoTime(value: bigint, unit: TimeUnit): string {
  const digits = UNIT_DIGITS[unit];
  const perSecond = 10n ** BigInt(digits);
  const seconds = Number(value / perSecond);
  const clock = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60].map((part) => String(part).padStart(2, '0')).join(':');
  return digits > 0 ? `${clock}.${(value % perSecond).toString().padStart(digits, '0')}` : clock;
}

/** A string column's reader: UTF-8 text, WTF-8 (memstore's binary strings with lone surrogates), or other binary as base64. */
function stringReader(text: boolean, wtf8: boolean): (bytes: Uint8Array) => string {
  if (wtf8) return decodeWtf8;
  return text ? (bytes) => utf8.decode(bytes) : base64;
}

function parseJson(values: Values, field: Field): Values {
  return values.map((value, row) => {
    if (value === null) return null;
    try {
      return JSON.parse(value as string);
    } catch (error) {
      throw new MemstoreFormatError('arrow', `The JSON column ${field.name} holds invalid JSON at row ${row}: ${(error as Error).message}`, undefined, { cause: error });
    }
  });
}

/** A Utf8View / BinaryView row's bytes: inline when at most 12, else in a variadic buffer. */
function viewBytes(data: Data, row: number): Uint8Array {
  const views = data.values as Uint8Array;
  const view = new DataView(views.buffer, views.byteOffset + row * 16, 16);
  const length = view.getInt32(0, true);
  if (length <= 12) return views.subarray(row * 16 + 4, row * 16 + 4 + length);
  const buffer = data.variadicBuffers[view.getInt32(8, true)];
  const offset = view.getInt32(12, true);
  return buffer.subarray(offset, offset + length);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    text += BASE64[chunk >> 18] + BASE64[(chunk >> 12) & 63] + (i + 1 < bytes.length ? BASE64[(chunk >> 6) & 63] : '=') + (i + 2 < bytes.length ? BASE64[chunk & 63] : '=');
  }
  return text;
}

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
