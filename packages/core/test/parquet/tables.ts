// Arrow tables for the Parquet tests, shaped as memstore's Arrow mapping shapes a store: Struct
// for objects, List for arrays, Dictionary<Utf8> for strings of a small pool, Int64 (BigInt) for
// integers past 2^53, validity for null and missing, a field of several JSON kinds as Utf8 of its
// JSON text with field metadata saying so, and schema metadata. `recordsToTable` also returns the
// plain-JS model of what the table holds (the records conformed to the inferred types), which
// every read-back table must equal.
import * as Arrow from 'apache-arrow';
import { exactJson } from '../helpers';

type Kind = 'number' | 'bigint' | 'string' | 'boolean' | 'object' | 'array';
interface Shape {
  kinds: Set<Kind>;
  fields: Map<string, Shape>;
  element: Shape | undefined;
  distinct: Set<string>;
  strings: number;
}

const newShape = (): Shape => ({ kinds: new Set(), fields: new Map(), element: undefined, distinct: new Set(), strings: 0 });

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
  } else {
    if (typeof value === 'string') {
      shape.strings++;
      shape.distinct.add(value);
    }
    shape.kinds.add(typeof value as Kind);
  }
}

/** The field metadata marking a column of JSON text (a field of several kinds), as the Arrow mapping marks mixed columns. */
export const MIXED = new Map([['memstore:encoding', 'json']]);

function fieldOf(name: string, shape: Shape): Arrow.Field {
  const kinds = [...shape.kinds];
  // An object with no keys ever seen would be an empty struct, which Parquet cannot hold: JSON text.
  const mixed = kinds.length > 1 || (kinds[0] === 'object' && shape.fields.size === 0);
  if (mixed) return new Arrow.Field(name, new Arrow.Utf8(), true, MIXED);
  switch (kinds[0]) {
    case undefined:
      return new Arrow.Field(name, new Arrow.Utf8(), true);
    case 'number':
      return new Arrow.Field(name, new Arrow.Float64(), true);
    case 'bigint':
      return new Arrow.Field(name, new Arrow.Int64(), true);
    case 'boolean':
      return new Arrow.Field(name, new Arrow.Bool(), true);
    case 'string':
      return new Arrow.Field(name, shape.distinct.size * 2 <= shape.strings ? new Arrow.Dictionary(new Arrow.Utf8(), new Arrow.Int32()) : new Arrow.Utf8(), true);
    case 'array':
      return new Arrow.Field(name, new Arrow.List(fieldOf('element', shape.element ?? newShape())), true);
    default:
      return new Arrow.Field(name, new Arrow.Struct([...shape.fields].map(([key, child]) => fieldOf(key, child))), true);
  }
}

/** `value` as a column of `field` holds it: the plain-JS model (missing reads as null). */
function conform(field: Arrow.Field, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.metadata.get('memstore:encoding') === 'json') return typeof value === 'bigint' ? String(value) : exactJson(value);
  const type = field.type;
  if (type instanceof Arrow.List) return (value as unknown[]).map((item) => conform(type.children[0], item));
  if (type instanceof Arrow.Struct) {
    const out: Record<string, unknown> = {};
    for (const child of type.children) out[child.name] = conform(child, (value as Record<string, unknown>)[child.name]);
    return out;
  }
  return value;
}

export interface BuiltTable {
  table: Arrow.Table;
  /** The rows the table holds, as plain JS. */
  model: Record<string, unknown>[];
}

export function recordsToTable(records: readonly Record<string, unknown>[], metadata = new Map([['memstore:source', 'test']])): BuiltTable {
  const root = newShape();
  for (const record of records) observe(root, record);
  const fields = [...root.fields].map(([name, shape]) => fieldOf(name, shape));
  const model = records.map((record) => Object.fromEntries(fields.map((field) => [field.name, conform(field, record[field.name])])));
  const columns = fields.map((field) => Arrow.vectorFromArray(model.map((row) => row[field.name]), field.type));
  const schema = new Arrow.Schema(fields, metadata);
  const data = Arrow.makeData({ type: new Arrow.Struct(fields), length: records.length, nullCount: 0, children: columns.map((column) => column.data[0]) });
  return { table: new Arrow.Table(schema, new Arrow.RecordBatch(schema, data)), model };
}

/** A table's rows as plain JS (structs as objects, lists as arrays, int64 as BigInt). */
export function plainRows(table: Arrow.Table): Record<string, unknown>[] {
  return table.toArray().map((row) => plainValue(row) as Record<string, unknown>);
}

function plainValue(value: unknown): unknown {
  if (value instanceof Arrow.Vector) return [...value].map(plainValue);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries((value as { toJSON(): object }).toJSON()).map(([key, child]) => [key, plainValue(child)]));
  }
  return value;
}

/** A schema as comparable data: every field's name, type, nullability and metadata, and the schema's metadata. */
export function schemaOf(schema: Arrow.Schema): unknown {
  const field = (f: Arrow.Field): unknown => ({ name: f.name, type: String(f.type), nullable: f.nullable, metadata: [...f.metadata].sort(), children: (f.type.children ?? []).map(field) });
  return { fields: schema.fields.map(field), metadata: [...schema.metadata].sort() };
}
