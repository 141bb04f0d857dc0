// The second half of reading a .msx file (read.ts has the first): once every block is in its
// place and addresses are WASM addresses, each column's buffers against the sizes its rows need
// and its values, through the module's column loops (assembly/validate.ts), and the rows each
// node's children must have; after adoption, a mixed column's nested values as JSON text.
import type { Engine } from '../engine';
import { MemstoreCapacityError, type MemstoreFormatError } from '../errors';
import { ColumnType, Descriptor, MixedTag, MsxCheck, NodeField, NodeKind, Roots } from '../wasm/abi';
import { COLUMN_BUFFERS, DESCRIPTOR_FIELDS, TYPE_NAMES } from './fieldNames';
import type { BlockKind, FileMeta } from './format';

/** A directory entry, checked. */
export interface DirectoryEntry {
  readonly number: number;
  readonly kind: BlockKind;
  readonly length: number;
  readonly offset: number;
  readonly checksum: bigint;
}

/** What the checks need of a file being read (read.ts's FileReader). */
export interface LoadedFile {
  readonly engine: Engine;
  readonly directory: readonly DirectoryEntry[];
  /** Block number → WASM address. */
  readonly placed: readonly number[];
  readonly stringCount: number;
  /** Column blocks with the node block that stands over them, and that node's kind. */
  readonly columns: ReadonlyArray<{ block: number; node: number; kind: NodeKind }>;
  /** A u32 field of a record block, as the file holds it (addresses as block numbers). */
  field(block: number, field: number): number;
  /** A field list's slot, as the file holds it. */
  slot(list: number, slot: number): number;
  entry(number: number): DirectoryEntry;
  blockFault(entry: DirectoryEntry, what: string, at: number, field?: string): MemstoreFormatError;
}

/** The buffers each descriptor names, at the sizes its rows need, and its values, by the module's column loops. */
export function checkColumns(file: LoadedFile, meta: FileMeta): void {
  const wasm = file.engine.exports;
  const u32 = file.engine.u32;
  const roots = file.placed[1];
  const heap = u32[(roots + Roots.StringHeap) >>> 2];
  const offsets = u32[(roots + Roots.StringOffsets) >>> 2];
  const strings = file.stringCount;
  const rootsEntry = file.entry(1);
  const atOffsets = wasm.msxCheck(MsxCheck.Offsets, offsets, strings, u32[(roots + Roots.StringHeapLength) >>> 2]);
  if (atOffsets >= 0) throw file.blockFault(file.entry(file.field(1, Roots.StringOffsets)), `string offset ${atOffsets} does not start at 0, goes back, or does not end at the heap's ${u32[(roots + Roots.StringHeapLength) >>> 2]} bytes`, atOffsets * 4);
  const badString = wasm.msxCheck(MsxCheck.Wtf8, heap, offsets, strings);
  if (badString >= 0) throw file.blockFault(rootsEntry, `string ${badString} of the table is not WTF-8`, Roots.StringHeap, 'StringHeap');
  // Memory as it is now: checking an FSST column's longest rows may grow it (place() reserves for the usual ones).
  const field = (column: number, name: Descriptor) => file.engine.u32[(file.placed[column] + name) >>> 2];
  const rowsOf = (column: number) => (field(column, Descriptor.Sparse) !== 0 ? field(column, Descriptor.Rows) : field(column, Descriptor.Length));
  for (const { block, node, kind } of file.columns) {
    const entry = file.entry(block);
    const column = file.placed[block];
    const type = field(block, Descriptor.Type) as ColumnType;
    const length = field(block, Descriptor.Length);
    const bad = (at: Descriptor, what: string) => file.blockFault(entry, `a ${TYPE_NAMES[type]} column's ${what}`, at, DESCRIPTOR_FIELDS[at]);
    for (const buffer of COLUMN_BUFFERS) {
      if (buffer === Descriptor.DictIndex) continue;
      const number = file.field(block, buffer);
      const holds = number === 0 ? 0 : file.entry(number).length;
      const needs = wasm.msxCheck(MsxCheck.BufferBytes, column, buffer, 0);
      if (holds !== needs) throw bad(buffer, `buffer holds ${holds} bytes, and its rows need ${needs}`);
    }
    for (const [count, bitmap] of [[Descriptor.NullCount, Descriptor.Nulls], [Descriptor.MissingCount, Descriptor.Missing]] as const) {
      if (field(block, bitmap) !== 0 && wasm.msxCheck(MsxCheck.BitmapCount, field(block, bitmap), length, 0) !== field(block, count)) {
        throw bad(count, `count ${field(block, count)} is not the bits its bitmap sets in ${length} rows`);
      }
    }
    const check = (found: number, at: Descriptor, what: string) => {
      if (found >= 0) throw bad(at, what.replace('#', String(found)));
    };
    if (field(block, Descriptor.Sparse) !== 0) check(wasm.msxCheck(MsxCheck.Sparse, column, 0, 0), Descriptor.Sparse, 'sparse index disagrees with its bits at group #');
    if (type === ColumnType.Int) check(wasm.msxCheck(MsxCheck.Ints, column, 0, 0), Descriptor.Data, 'row # holds a value past ±2^53');
    if (type === ColumnType.String) {
      check(wasm.msxCheck(MsxCheck.Dictionary, column, strings, 0), Descriptor.Dict, `dictionary entry # names no string of the table's ${strings}`);
      check(wasm.msxCheck(MsxCheck.Codes, column, 0, 0), Descriptor.Data, `row # holds a code beyond its dictionary of ${field(block, Descriptor.DictLength)}`);
    }
    if (type === ColumnType.Mixed) check(wasm.msxCheck(MsxCheck.Mixed, column, strings, 0), Descriptor.Data, 'row # holds an unknown tag, or names no string of the table');
    if (type === ColumnType.Text) {
      check(wasm.msxCheck(MsxCheck.Offsets, field(block, Descriptor.Data), length, field(block, Descriptor.HeapLength)), Descriptor.Data, 'offset # starts past 0, goes back, or does not end at HeapLength');
      if (field(block, Descriptor.Dict) === 0) {
        check(wasm.msxCheck(MsxCheck.Wtf8, field(block, Descriptor.Heap), field(block, Descriptor.Data), length), Descriptor.Heap, 'row # is not WTF-8');
      } else {
        // FSST (assembly/fsst.ts): Dict is the symbol table; each row's codes must decode to WTF-8 and be what it encodes to.
        const found = wasm.msxCheck(MsxCheck.Fsst, column, 0, 0);
        if (found === -2) throw bad(Descriptor.Dict, 'FSST symbol table is not one the module makes (lengths, order, repeats, or its first-byte index)');
        if (found === -3) throw new MemstoreCapacityError(`Cannot load this .msx: checking the compressed text column of block ${block} needs room to decode its longest row, which the memory limit does not leave.`, file.engine.limitBytes);
        check(found, Descriptor.Heap, "row # is not FSST codes of WTF-8 in the table's own spelling");
      }
    }
    const children = childColumns(file, node, kind);
    if (type === ColumnType.List) {
      const elements = rowsOf(children[0]);
      check(wasm.msxCheck(MsxCheck.Offsets, field(block, Descriptor.Data), length, elements), Descriptor.Data, `offset # starts past 0, goes back, or does not end at its ${elements} elements`);
      for (const child of children) {
        if (rowsOf(child) !== elements) throw file.blockFault(file.entry(child), `the map's keys have ${rowsOf(child)} rows and its values ${elements}`, Descriptor.Length, 'Length');
      }
    } else {
      for (const child of children) {
        if (rowsOf(child) !== length) throw file.blockFault(file.entry(child), `a struct field's column has ${rowsOf(child)} rows, and its struct ${length}`, Descriptor.Length, 'Length');
      }
    }
    if (kind === NodeKind.Map) {
      const keyType = field(children[1], Descriptor.Type);
      if (file.field(file.field(node, NodeField.MapKeys), NodeField.Kind) !== NodeKind.Scalar || (keyType !== ColumnType.String && keyType !== ColumnType.Text)) {
        throw file.blockFault(file.entry(node), 'a map\'s keys are strings, and these are not', NodeField.MapKeys, 'MapKeys');
      }
    }
  }
  const root = file.field(1, Roots.Schema);
  const records = root === 0 ? 0 : rowsOf(file.field(root, NodeField.Column));
  if (records !== meta.records) throw file.blockFault(file.entry(file.directory.length), `it counts ${meta.records} records, and the root column holds ${records}`, 0);
}

/** The column blocks a node's rows depend on: a struct's fields', a list's elements', a map's values' and keys'. */
function childColumns(file: LoadedFile, node: number, kind: NodeKind): number[] {
  const column = (child: number) => file.field(child, NodeField.Column);
  if (kind === NodeKind.List) return [column(file.field(node, NodeField.Element))];
  if (kind === NodeKind.Map) return [column(file.field(node, NodeField.Element)), column(file.field(node, NodeField.MapKeys))];
  if (kind !== NodeKind.Struct) return [];
  const list = file.field(node, NodeField.Fields);
  const children: number[] = [];
  for (let slot = 0; slot < file.field(node, NodeField.FieldCount); slot++) {
    children.push(column(file.slot(list, slot)));
  }
  return children;
}


/** A mixed column's nested values are JSON text in the string table, parsed on read: each must parse to an array or object. */
export function checkJsonValues(file: LoadedFile): void {
  const u8 = file.engine.u8;
  for (const { block } of file.columns) {
    if (file.field(block, Descriptor.Type) !== ColumnType.Mixed) continue;
    const column = file.placed[block];
    const field = (name: Descriptor) => file.engine.descriptorField(column, name);
    const tags = field(Descriptor.Data);
    const payloads = new Float64Array(file.engine.memoryBuffer, field(Descriptor.Payload), field(Descriptor.Length));
    // Present rows only, as msxCheckMixed checked them (a null row's tag is not read).
    const absent = (bitmap: number, row: number) => bitmap !== 0 && ((u8[bitmap + (row >>> 3)] >>> (row & 7)) & 1) === 1;
    const nulls = field(Descriptor.Nulls);
    const missing = field(Descriptor.Missing);
    for (let row = 0; row < field(Descriptor.Length); row++) {
      if (u8[tags + row] !== MixedTag.Json || absent(nulls, row) || absent(missing, row)) continue;
      let value: unknown;
      try {
        value = JSON.parse(file.engine.string(payloads[row]));
      } catch {
        value = undefined;
      }
      if (typeof value !== 'object' || value === null) throw file.blockFault(file.entry(block), `row ${row} names string ${payloads[row]}, which is not the JSON text of an array or object`, Descriptor.Payload, 'Payload');
    }
  }
}
