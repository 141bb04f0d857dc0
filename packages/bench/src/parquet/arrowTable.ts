// Records → an Apache Arrow Table for the Parquet benchmark: the columnar form every library
// writes from, shaped as memstore's Arrow mapping is (Struct for objects, List for arrays,
// Dictionary<Utf8> for strings of a small pool, validity for null and missing). Arrow JS's own
// tableFromJSON cannot take the events feed (a field holding a number in one record and a
// string in another), so the types are inferred here over every record (integers as int32 or
// int64 columns, as the store holds them); a field of more than
// one JSON kind becomes a Utf8 column of its JSON text, as a mixed column's fallback.
import { Bool, type DataType, Dictionary, Field, Float64, Int32, Int64, List, Struct, Table, Utf8, type Vector, vectorFromArray } from 'apache-arrow';

/** What one path held across the records: the JSON kinds seen, and for objects / arrays their parts. */
interface Shape {
  kinds: Set<'number' | 'string' | 'boolean' | 'object' | 'array'>;
  fields: Map<string, Shape>;
  element: Shape | undefined;
  distinct: Set<string>;
  strings: number;
  /** Whether every number seen was an integer, and within int32. */
  integers: boolean;
  int32: boolean;
}

const DICTIONARY_SHARE = 0.5;

function newShape(): Shape {
  return { kinds: new Set(), fields: new Map(), element: undefined, distinct: new Set(), strings: 0, integers: true, int32: true };
}

function observe(shape: Shape, value: unknown): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    shape.kinds.add('array');
    shape.element ??= newShape();
    for (const item of value) observe(shape.element, item);
  } else if (typeof value === 'object') {
    shape.kinds.add('object');
    for (const [key, child] of Object.entries(value)) {
      let field = shape.fields.get(key);
      if (field === undefined) shape.fields.set(key, (field = newShape()));
      observe(field, child);
    }
  } else if (typeof value === 'string') {
    shape.kinds.add('string');
    shape.strings++;
    // Past a few thousand distinct values a pool is no longer small: stop counting.
    if (shape.distinct.size < 65_536) shape.distinct.add(value);
  } else {
    shape.kinds.add(typeof value as 'number' | 'boolean');
    if (typeof value === 'number') {
      shape.integers &&= Number.isSafeInteger(value) && !Object.is(value, -0);
      shape.int32 &&= (value | 0) === value;
    }
  }
}

function typeOf(shape: Shape): DataType {
  if (shape.kinds.size !== 1) return new Utf8();
  const [kind] = shape.kinds;
  // Integers as the store keeps them: an int column (int32, else int64), not doubles.
  if (kind === 'number') return shape.integers ? (shape.int32 ? new Int32() : new Int64()) : new Float64();
  if (kind === 'boolean') return new Bool();
  if (kind === 'string') return shape.distinct.size <= shape.strings * DICTIONARY_SHARE ? new Dictionary(new Utf8(), new Int32()) : new Utf8();
  if (kind === 'array') return new List(new Field('element', typeOf(shape.element ?? newShape()), true));
  return new Struct([...shape.fields].map(([name, child]) => new Field(name, typeOf(child), true)));
}

/** `value` as the inferred `type` holds it: a mixed column's values as JSON text, missing as null. */
function conform(type: DataType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type instanceof Int64) return BigInt(value as number);
  if (type instanceof Utf8) return typeof value === 'string' ? value : JSON.stringify(value);
  if (type instanceof List) return (value as unknown[]).map((item) => conform(type.children[0].type, item));
  if (type instanceof Struct) {
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const field of type.children) out[field.name] = conform(field.type, record[field.name]);
    return out;
  }
  return value;
}

/** The records as one Arrow Table (a column per top-level key), and each column's values as plain JS (for writers that take rows of objects). */
export function recordsToArrow(records: readonly Record<string, unknown>[]): { table: Table; values: Map<string, unknown[]> } {
  const root = newShape();
  for (const record of records) observe(root, record);
  const columns: Record<string, Vector> = {};
  const values = new Map<string, unknown[]>();
  for (const [name, shape] of root.fields) {
    const type = typeOf(shape);
    const column = records.map((record) => conform(type, record[name]));
    values.set(name, column);
    columns[name] = vectorFromArray(column, type);
  }
  return { table: new Table(columns), values };
}
