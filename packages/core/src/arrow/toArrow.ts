// Arrow out: a store's columns as Arrow arrays, column by column from their buffers — never
// record by record. Each schema node gets one writer, planned once over its whole column (the
// Arrow type: Int32 or Int64 by the ints' range, a dictionary's index width, Utf8 or WTF-8
// binary, what its nulls mean) so every record batch of a store has one schema; `batch(start,
// end)` then writes the records' rows [start, end). Dictionary columns hand their dictionary
// over (its strings' bytes copied once from the string table, shared by every batch) and their
// codes are copied as the indices. The metadata that makes the mapping reversible is mapping.ts's.
import {
  Binary, Bool, type Data, type DataType, Dictionary, Field, Float64, Int8, Int16, Int32, Int64, List,
  makeData, makeVector, Map_, Null, RecordBatch, Schema, Struct, Table, Utf8, type Vector,
} from 'apache-arrow';
import type { Column } from '../column';
import type { Engine } from '../engine';
import { type MapNode, type ListNode, StructNode } from '../schema/containers';
import type { Node } from '../schema/node';
import { exactStringify } from '../util/exactJson';
import { encodeWtf8Into, wtf8Length } from '../util/wtf8';
import { ColumnType } from '../wasm/abi';
import {
  ABSENT_KEY, type AbsentMode, companionName, ENCODING_KEY, EXTENSION_NAME_KEY, fieldName, fitsInt32, JSON_EXTENSION, KEY_KEY, keyNeedsMetadata, KIND_KEY,
  MAPPING_VERSION, MISSING_KEY, MISSING_ROLE, ROLE_KEY, ROOT_KEY, type RootMode, VALUE_COLUMN, VERSION_KEY, WTF8,
} from './mapping';
import { positionOf, rowRange, type RowRange } from './rowRange';

/** Records per batch of a streamed write (writeArrow, toArrowIPC): a batch's arrays are made, written and dropped. */
export const BATCH_ROWS = 1 << 16;

/** One column's writer: its Arrow field (type and metadata), and its rows [start, end) as Arrow data. */
interface ColumnWriter {
  readonly field: Field;
  data(start: number, end: number): Data;
}

/**
 * What the Arrow is for. 'parquet': a struct with no fields (an empty object's column), which
 * Parquet cannot hold, is written as a mixed column is (exact JSON text, `arrow.json`), so it
 * reads back as `{}`; any other Arrow type is the same for both.
 */
export type ArrowTarget = 'arrow' | 'parquet';

/** The whole store as one Table of one record batch. */
export function storeToArrow(root: Node, recordCount: number, target: ArrowTarget = 'arrow'): Table {
  const writer = new ArrowWriter(root, target);
  return new Table(writer.schema, [writer.batch(0, recordCount)]);
}

/** A store's Arrow schema and its record batches, written on demand (IPC streams them). */
export class ArrowWriter {
  readonly schema: Schema;
  private readonly root: ColumnWriter;
  private readonly mode: RootMode;
  private readonly dictionaryIds = { next: 0 };

  constructor(rootNode: Node, private readonly target: ArrowTarget = 'arrow') {
    // Records that are all objects are the table's rows, their fields its columns; any other
    // records (scalars, arrays, nulls among them) are the one column `value`. So are records that
    // are all empty objects, for Parquet: a file of no columns keeps no rows (arrow-rs writes no row
    // group), so `[{}]` read back as `[]`; as one `value` column of empty structs (JSON text) they stay.
    const noFields = rootNode instanceof StructNode && rootNode.fields.size === 0;
    this.mode = rootNode instanceof StructNode && rootNode.column.nullCount === 0 && !(target === 'parquet' && noFields) ? 'fields' : 'value';
    this.root = this.writerOf(rootNode, this.mode === 'fields' ? '' : VALUE_COLUMN);
    const fields = this.mode === 'fields' ? (this.root.field.type as Struct).children : [this.root.field];
    this.schema = new Schema(fields, new Map([[VERSION_KEY, MAPPING_VERSION], [ROOT_KEY, this.mode]]));
  }

  /** Records [start, end) as one record batch. */
  batch(start: number, end: number): RecordBatch {
    const data = this.root.data(start, end);
    const struct = this.mode === 'fields'
      ? data
      : makeData({ type: new Struct(this.schema.fields), length: end - start, nullCount: 0, children: [data] });
    return new RecordBatch(this.schema, struct as Data<Struct>);
  }

  private writerOf(node: Node, name: string): ColumnWriter {
    const column = node.column;
    const absent = absentMode(column);
    const metadata = new Map<string, string>([[KIND_KEY, node.schemaType]]);
    if (absent !== null) metadata.set(ABSENT_KEY, absent);
    if (node.key !== null && name === node.key && keyNeedsMetadata(name)) metadata.set(KEY_KEY, JSON.stringify(name));
    const field = (type: DataType, extra: readonly (readonly [string, string])[] = []): Field => {
      for (const [key, value] of extra) metadata.set(key, value);
      return new Field(fieldName(name), type, absent !== null || type instanceof Null, metadata);
    };
    const engine = node.engine;
    switch (node.schemaType) {
      case 'null':
        // A Utf8 column of nulls, not Arrow's Null type: Arrow JS slices a Null array (inside a
        // list or a struct, as its IPC writer does) with a null count of -1 it cannot count back
        // (no bitmap), writes that as it is, and arrow-rs (parquet-wasm) then refuses the array.
        // `memstore:kind` 'null' says what the column is; its rows are nulls (or missing) either way.
        return {
          field: field(new Utf8()),
          data: (start, end) =>
            makeData({ type: new Utf8(), length: end - start, nullCount: end - start, nullBitmap: new Uint8Array((end - start + 7) >>> 3), valueOffsets: new Int32Array(end - start + 1), data: new Uint8Array(0) }),
        };
      case 'bool':
        return { field: field(new Bool()), data: (start, end) => boolData(column, rowRange(column, start, end)) };
      case 'int':
        return intWriter(column, field);
      case 'float':
        return { field: field(new Float64()), data: (start, end) => floatData(column, rowRange(column, start, end)) };
      case 'string':
        return column.type === ColumnType.Text ? textWriter(column, field) : this.dictionaryWriter(engine, column, field);
      case 'mixed':
        return mixedWriter(node, field);
      case 'struct':
        if (this.target === 'parquet' && (node as StructNode).children().length === 0) return mixedWriter(node, field);
        return this.structWriter(node as StructNode, field);
      case 'list':
        return this.listWriter(node as ListNode, field);
      case 'map':
        return this.mapWriter(node as MapNode, field);
    }
  }

  private structWriter(node: StructNode, field: (type: DataType) => Field): ColumnWriter {
    const keys = new Set(node.children().map((child) => child.key!));
    // Sibling fields need names of their own: Arrow JS's RecordBatch finds a struct's children by
    // name, so two keys named alike (lone surrogates both written U+FFFD) made toArrow throw. A key
    // that comes back from its metadata (KEY_KEY) takes a name no sibling's key has.
    const names = new Set([...keys].filter((key) => !keyNeedsMetadata(key)));
    const children: ColumnWriter[] = [];
    for (const child of node.children()) {
      let writer = this.writerOf(child, child.key!);
      if (keyNeedsMetadata(child.key!)) writer = renamed(writer, uniqueName(writer.field.name, names));
      names.add(writer.field.name);
      children.push(writer);
      // A field with both null and missing rows: a Bool sibling says which rows are missing.
      if (writer.field.metadata.get(ABSENT_KEY) === 'both') {
        const name = companionName(child.key!, keys);
        keys.add(name);
        writer.field.metadata.set(MISSING_KEY, name);
        children.push(companionWriter(child.column, name));
      }
    }
    const type = new Struct(children.map((child) => child.field));
    const column = node.column;
    return {
      field: field(type),
      data: (start, end) => {
        const range = rowRange(column, start, end);
        return makeData({
          type, length: range.count, nullCount: range.nullCount, nullBitmap: range.validity ?? undefined,
          children: children.map((child) => child.data(start, end)),
        });
      },
    };
  }

  private listWriter(node: ListNode, field: (type: DataType) => Field): ColumnWriter {
    const element = this.writerOf(node.element, 'item');
    const type = new List(element.field);
    const column = node.column;
    return {
      field: field(type),
      data: (start, end) => {
        const range = rowRange(column, start, end);
        const offsets = listOffsets(column, range);
        const first = column.elementsBefore(start);
        return makeData({
          type, length: range.count, nullCount: range.nullCount, nullBitmap: range.validity ?? undefined,
          valueOffsets: offsets, child: element.data(first, first + offsets[range.count]),
        });
      },
    };
  }

  private mapWriter(node: MapNode, field: (type: DataType) => Field): ColumnWriter {
    const keys = this.writerOf(node.keys, 'key');
    const values = this.writerOf(node.values, 'value');
    // Arrow's map keys are never null, and memstore's never are either.
    const keyField = new Field('key', keys.field.type, false, keys.field.metadata);
    const entries = new Struct([keyField, values.field]);
    const type = new Map_(new Field('entries', entries, false));
    const column = node.column;
    return {
      field: field(type),
      data: (start, end) => {
        const range = rowRange(column, start, end);
        const offsets = listOffsets(column, range);
        const first = column.elementsBefore(start);
        const last = first + offsets[range.count];
        const child = makeData({ type: entries, length: last - first, nullCount: 0, children: [keys.data(first, last), values.data(first, last)] });
        return makeData({ type, length: range.count, nullCount: range.nullCount, nullBitmap: range.validity ?? undefined, valueOffsets: offsets, child });
      },
    };
  }

  /** Dictionary codes as the indices, the dictionary's strings decoded from the string table once (one Vector every batch shares). */
  private dictionaryWriter(engine: Engine, column: Column, field: (type: DataType, extra?: readonly (readonly [string, string])[]) => Field): ColumnWriter {
    const entries = column.dictionary.length;
    const ids = column.dictionary;
    const strings = engine.stringTable();
    const valueOffsets = new Int32Array(entries + 1);
    for (let code = 0; code < entries; code++) valueOffsets[code + 1] = valueOffsets[code] + strings.offsets[ids[code] + 1] - strings.offsets[ids[code]];
    const values = new Uint8Array(valueOffsets[entries]);
    // Byte by byte: dictionary strings are short, and a subarray per entry cost more than its copy.
    const { heap, offsets } = strings;
    for (let code = 0, at = 0; code < entries; code++) for (let from = offsets[ids[code]], to = offsets[ids[code] + 1]; from < to; ) values[at++] = heap[from++];
    const wtf8 = hasSurrogates(values);
    const valueType = wtf8 ? new Binary() : new Utf8();
    const dictionary = makeVector(makeData({ type: valueType as Utf8, length: entries, nullCount: 0, valueOffsets, data: values })) as Vector<Utf8 | Binary>;
    // Signed indices (what the Arrow spec recommends and every engine reads), as narrow as the dictionary allows.
    const indexType = entries <= 0x80 ? new Int8() : entries <= 0x8000 ? new Int16() : new Int32();
    const type = new Dictionary(valueType, indexType, this.dictionaryIds.next++);
    const IndexArray = indexType instanceof Int8 ? Int8Array : indexType instanceof Int16 ? Int16Array : Int32Array;
    return {
      field: field(type, wtf8 ? [[ENCODING_KEY, WTF8]] : []),
      data: (start, end) => {
        const range = rowRange(column, start, end);
        const indices = new IndexArray(range.count);
        if (column.width !== 0) {
          const codes = column.data;
          if (range.positions === null) indices.set(codes.subarray(start, end));
          else for (let i = 0; i < range.count; i++) if (range.positions[i] >= 0) indices[i] = codes[range.positions[i]];
        }
        return makeData({ type, length: range.count, nullCount: range.nullCount, nullBitmap: range.validity ?? undefined, data: indices, dictionary });
      },
    };
  }
}

/** What an absent row of `column` is: null, missing, both (a companion column tells), or none is absent. */
function absentMode(column: Column): AbsentMode | null {
  const nulls = column.type === ColumnType.Null ? column.length - column.missingCount : column.nullCount;
  if (nulls > 0 && column.missingCount > 0) return 'both';
  return nulls > 0 ? 'null' : column.missingCount > 0 ? 'missing' : null;
}

/** The Bool sibling of an absent-'both' field: true where the row is missing. */
function companionWriter(column: Column, name: string): ColumnWriter {
  const type = new Bool();
  return {
    field: new Field(name, type, false, new Map([[ROLE_KEY, MISSING_ROLE]])),
    data: (start, end) => {
      const range = rowRange(column, start, end);
      return makeData({ type, length: range.count, nullCount: 0, data: range.missing ?? new Uint8Array((range.count + 7) >>> 3) });
    },
  };
}

function boolData(column: Column, range: RowRange): Data<Bool> {
  const bits = new Uint8Array((range.count + 7) >>> 3);
  const stored = column.data as Uint8Array;
  for (let i = 0; i < range.count; i++) {
    const at = positionOf(range, i);
    if (at >= 0 && (stored[at >>> 3] & (1 << (at & 7))) !== 0) bits[i >>> 3] |= 1 << (i & 7);
  }
  return makeData({ type: new Bool(), length: range.count, nullCount: range.nullCount, nullBitmap: range.validity ?? undefined, data: bits });
}

function floatData(column: Column, range: RowRange): Data<Float64> {
  const stored = column.data as Float64Array;
  const values = range.positions === null ? stored.slice(range.start, range.start + range.count) : new Float64Array(range.count);
  if (range.positions !== null) for (let i = 0; i < range.count; i++) if (range.positions[i] >= 0) values[i] = stored[range.positions[i]];
  return makeData({ type: new Float64(), length: range.count, nullCount: range.nullCount, nullBitmap: range.validity ?? undefined, data: values });
}

/** Int columns: Int32 when the whole column's range fits, else Int64 (|value| ≤ 2^53: two exact u32 words, no BigInt). */
function intWriter(column: Column, field: (type: DataType) => Field): ColumnWriter {
  // The largest delta sets the range (a null row's delta is 0: the base, which every value is at least).
  let maxDelta = 0;
  if (column.wide) for (let at = 0; at < column.storedLength; at++) maxDelta = Math.max(maxDelta, column.intAt(at) - column.base);
  else if (column.width !== 0) {
    const deltas = column.data;
    for (let at = 0; at < column.storedLength; at++) if (deltas[at] > maxDelta) maxDelta = deltas[at];
  }
  const narrow = fitsInt32(column.base, column.base + maxDelta);
  const type = narrow ? new Int32() : new Int64();
  return {
    field: field(type),
    data: (start, end) => {
      const range = rowRange(column, start, end);
      const values = new Int32Array(narrow ? range.count : range.count * 2);
      if (narrow && range.positions === null && !column.wide) {
        // Dense 0-4 byte deltas: the deltas copied natively, then the base added over one Int32Array
        // (the loop over the column's own array type was polymorphic across columns: ~25 ns a row).
        // A u32 delta past 2^31 wraps in the copy, and base + it wraps back: every value fits int32.
        const base = column.base;
        if (column.width !== 0) values.set((column.data as Uint8Array | Uint16Array | Uint32Array).subarray(start, end));
        for (let i = 0; i < range.count; i++) values[i] += base;
        return makeData({ type, length: range.count, nullCount: range.nullCount, nullBitmap: range.validity ?? undefined, data: values } as never);
      }
      for (let i = 0; i < range.count; i++) {
        const at = positionOf(range, i);
        if (at < 0) continue;
        const value = column.intAt(at);
        if (narrow) values[i] = value;
        else {
          values[2 * i] = value >>> 0;
          values[2 * i + 1] = Math.floor(value / 4294967296);
        }
      }
      const data = narrow ? values : new BigInt64Array(values.buffer);
      return makeData({ type, length: range.count, nullCount: range.nullCount, nullBitmap: range.validity ?? undefined, data } as never);
    },
  };
}

/** Text columns: their offsets and WTF-8 bytes copied (Utf8, or Binary with metadata when some string holds a lone surrogate). */
function textWriter(column: Column, field: (type: DataType, extra?: readonly (readonly [string, string])[]) => Field): ColumnWriter {
  // A compressed column's rows are decoded once, into a copy.
  const { offsets, bytes: heap } = column.textRows();
  const wtf8 = hasSurrogates(heap);
  const type = wtf8 ? new Binary() : new Utf8();
  return {
    field: field(type, wtf8 ? [[ENCODING_KEY, WTF8]] : []),
    data: (start, end) => {
      const range = rowRange(column, start, end);
      const valueOffsets = new Int32Array(range.count + 1);
      let bytes: Uint8Array;
      if (range.positions === null) {
        // Null and missing rows of a dense text column hold no bytes: its offsets are the rows'.
        const first = offsets[start];
        for (let i = 0; i <= range.count; i++) valueOffsets[i] = offsets[start + i] - first;
        bytes = heap.slice(first, offsets[end]);
      } else {
        for (let i = 0; i < range.count; i++) {
          const at = range.positions[i];
          valueOffsets[i + 1] = valueOffsets[i] + (at >= 0 ? offsets[at + 1] - offsets[at] : 0);
        }
        bytes = new Uint8Array(valueOffsets[range.count]);
        for (let i = 0; i < range.count; i++) {
          const at = range.positions[i];
          if (at >= 0) bytes.set(heap.subarray(offsets[at], offsets[at + 1]), valueOffsets[i]);
        }
      }
      return makeData({ type: type as Utf8, length: range.count, nullCount: range.nullCount, nullBitmap: range.validity ?? undefined, valueOffsets, data: bytes });
    },
  };
}

/** Mixed columns: each value as exact JSON text (arrow.json), which JSON.parse gives back. */
function mixedWriter(node: Node, field: (type: DataType, extra?: readonly (readonly [string, string])[]) => Field): ColumnWriter {
  const type = new Utf8();
  return {
    field: field(type, [[EXTENSION_NAME_KEY, JSON_EXTENSION]]),
    data: (start, end) => {
      const column = node.column;
      const range = rowRange(column, start, end);
      const texts: string[] = new Array(range.count);
      let bytes = 0;
      for (let i = 0; i < range.count; i++) {
        const value = node.plain(start + i);
        texts[i] = value === null || value === undefined ? '' : exactStringify(value);
        bytes += wtf8Length(texts[i]);
      }
      const valueOffsets = new Int32Array(range.count + 1);
      const data = new Uint8Array(bytes);
      for (let i = 0; i < range.count; i++) valueOffsets[i + 1] = valueOffsets[i] + encodeWtf8Into(texts[i], data, valueOffsets[i]);
      return makeData({ type, length: range.count, nullCount: range.nullCount, nullBitmap: range.validity ?? undefined, valueOffsets, data });
    },
  };
}

/** A list or map column's offsets for the range, from 0 (a sparse column's missing rows hold no elements). */
function listOffsets(column: Column, range: RowRange): Int32Array {
  const stored = column.data as Uint32Array;
  const offsets = new Int32Array(range.count + 1);
  const first = column.elementsBefore(range.start);
  for (let i = 0; i < range.count; i++) {
    const at = positionOf(range, i);
    offsets[i + 1] = at >= 0 && !(range.positions === null && column.isMissing(range.start + i)) ? stored[at + 1] - first : offsets[i];
  }
  return offsets;
}

/** Whether WTF-8 bytes hold a surrogate (0xED 0xA0..0xBF): not UTF-8, so the column goes out as binary. */
function hasSurrogates(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xed); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(0xed, i + 1)) {
    if (bytes[i + 1] >= 0xa0) return true;
  }
  return false;
}

/** `name`, or `name (2)`, `name (3)`…: the first that `taken` does not hold. */
function uniqueName(name: string, taken: ReadonlySet<string>): string {
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name} (${n})`;
  return unique;
}

/** `writer` with its field named `name` (its data holds no names). */
function renamed(writer: ColumnWriter, name: string): ColumnWriter {
  const field = writer.field;
  return name === field.name ? writer : { ...writer, field: new Field(name, field.type, field.nullable, field.metadata) };
}
