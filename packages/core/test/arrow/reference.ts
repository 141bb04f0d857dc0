// A plain reading of an Arrow table as JSON records through Arrow JS's own getters (Vector.get,
// getChildAt, isValid) and the mapping's metadata (ARROW.md), with none of memstore's decoding
// (src/arrow/fromArrow.ts reads buffers): what the records of a table are, for the tests to hold
// memstore's answer against. It covers the types memstore's writer emits; `supports` says
// whether a table has only those (a fuzzed file's schema can name any type).
import { type Field, type Table, Type, type Vector } from 'apache-arrow';
import { wtf8Decode } from '@memstore/testkit/wtf8';

const READ = new Set([Type.Null, Type.Bool, Type.Int, Type.Float, Type.Utf8, Type.Binary, Type.Dictionary, Type.Struct, Type.List, Type.Map]);

export function supports(fields: readonly Field[]): boolean {
  return fields.every((field) => READ.has(field.type.typeId) && (field.type.typeId !== Type.Dictionary || READ.has(field.type.dictionary.typeId)) && supports(field.type.children ?? []));
}

export function referenceRecords(table: Table): unknown[] {
  const asValue = table.schema.metadata.get('memstore:root') === 'value';
  const records: unknown[] = [];
  for (const batch of table.batches) {
    const fields = table.schema.fields;
    for (let row = 0; row < batch.numRows; row++) {
      if (asValue) records.push(plain(batch.getChild('value')!, row, fields.find((field) => field.name === 'value')!) ?? null);
      else records.push(structRow((i) => batch.getChildAt(i)!, fields, row));
    }
  }
  return records;
}

function keyOf(field: Field): string {
  const key = field.metadata.get('memstore:key');
  return key === undefined ? field.name : JSON.parse(key);
}

function structRow(child: (i: number) => Vector, fields: readonly Field[], row: number): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  fields.forEach((field, i) => {
    if (field.metadata.get('memstore:role') === 'missing') return;
    const value = plain(child(i), row, field);
    if (value === null) {
      const absent = field.metadata.get('memstore:absent');
      if (absent === 'missing') return;
      if (absent === 'both') {
        const companion = fields.findIndex((other) => other.name === field.metadata.get('memstore:missing'));
        if (child(companion).get(row) === true) return;
      }
    }
    Object.defineProperty(record, keyOf(field), { value, enumerable: true, writable: true, configurable: true });
  });
  return record;
}

function plain(vector: Vector, row: number, field: Field): unknown {
  if (!vector.isValid(row)) return null;
  const type = vector.type;
  switch (type.typeId) {
    case Type.Struct:
      return structRow((i) => vector.getChildAt(i)!, type.children, row);
    case Type.List: {
      const items = vector.get(row) as Vector;
      return Array.from({ length: items.length }, (_, i) => plain(items, i, type.children[0]));
    }
    case Type.Map: {
      const offsets = vector.data[0].valueOffsets as Int32Array;
      const entries = vector.getChildAt(0)!;
      const object: Record<string, unknown> = {};
      for (let at = offsets[row]; at < offsets[row + 1]; at++) {
        Object.defineProperty(object, String(plain(entries.getChildAt(0)!, at, type.children[0].type.children[0])), {
          value: plain(entries.getChildAt(1)!, at, type.children[0].type.children[1]), enumerable: true, writable: true, configurable: true,
        });
      }
      return object;
    }
    default:
      return scalar(vector.get(row), type.typeId === Type.Dictionary ? type.dictionary.typeId : type.typeId, vector, field);
  }
}

function scalar(value: unknown, typeId: Type, vector: Vector, field: Field): unknown {
  switch (typeId) {
    case Type.Int:
      if (typeof value !== 'bigint') return value;
      return wideColumn(vector) ? value.toString() : Number(value);
    case Type.Float:
      return Number.isNaN(value) ? null : value;
    case Type.Utf8:
      return field.metadata.get('ARROW:extension:name') === 'arrow.json' || field.metadata.get('memstore:kind') === 'mixed' ? JSON.parse(value as string) : value;
    case Type.Binary:
      return field.metadata.get('memstore:encoding') === 'wtf8' ? wtf8Decode(value as Uint8Array) : Buffer.from(value as Uint8Array).toString('base64');
    default:
      return value;
  }
}

/** A 64-bit int column with a value past ±2^53 reads as decimal text, every row. */
function wideColumn(vector: Vector): boolean {
  for (let row = 0; row < vector.length; row++) {
    const value = vector.isValid(row) ? (vector.get(row) as bigint) : 0n;
    if (value > 2n ** 53n || value < -(2n ** 53n)) return true;
  }
  return false;
}
