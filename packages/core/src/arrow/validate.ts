// Arrow from outside is untrusted: Arrow JS builds arrays over whatever buffers a file names and
// checks none of their contents. Before a table is decoded (fromArrow.ts) every array is checked
// here: buffer lengths against the array's length, offsets non-decreasing and within the buffer or
// child they index, dictionary indices below the dictionary's length, UTF-8 (and memstore's
// WTF-8) valid, null counts against the validity bitmap, union type ids and offsets, nesting no
// deeper than MAX_DEPTH. Work is bounded by the bytes present: each loop runs only over rows a
// buffer was first shown to hold. Every failure is a MemstoreFormatError naming the column.
import { type Data, type Field, type FixedSizeBinary, type FixedSizeList, type Table, Type, type Union, UnionMode, type Vector } from 'apache-arrow';
import { MemstoreFormatError } from '../errors';
import { MAX_DEPTH } from '../schema/observe';
import { ENCODING_KEY, WTF8 } from './mapping';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function validateTable(table: Table): void {
  const checked = new Set<Vector>();
  for (const batch of table.batches) {
    const fields = table.schema.fields;
    if (batch.data.children.length !== fields.length) fail('the table', `a record batch has ${batch.data.children.length} columns and the schema ${fields.length}`);
    for (let i = 0; i < fields.length; i++) {
      const data = batch.data.children[i];
      if (data.length !== batch.numRows) fail(fields[i].name, `the column has ${data.length} rows and its record batch ${batch.numRows}`);
      validateData(data, fields[i], fields[i].name, 1, checked);
    }
  }
}

function fail(path: string, problem: string): never {
  throw new MemstoreFormatError('arrow', `Invalid Arrow data in ${path}: ${problem}.`);
}

function validateData(data: Data, field: Field, path: string, depth: number, checked: Set<Vector>): void {
  const type = data.type;
  const where = `${path} (${type})`;
  if (depth > MAX_DEPTH) fail(where, `nesting deeper than ${MAX_DEPTH} levels is not supported`);
  const { length, offset } = data;
  if (!Number.isSafeInteger(length) || length < 0 || !Number.isSafeInteger(offset) || offset < 0) fail(where, `length ${length} at offset ${offset}`);
  checkValidity(data, where);
  switch (type.typeId) {
    case Type.Null:
      return;
    case Type.Bool:
      needBytes(data.values, Math.ceil((offset + length) / 8), where, 'values');
      return;
    case Type.Int:
    case Type.Float:
    case Type.Decimal:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.Duration:
    case Type.Interval:
      needElements(data.values, length * data.stride, where, 'values');
      return;
    case Type.FixedSizeBinary:
      needElements(data.values, length * (type as FixedSizeBinary).byteWidth, where, 'values');
      return;
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Binary:
    case Type.LargeBinary: {
      const [first, last] = checkOffsets(data, (data.values as Uint8Array | undefined)?.length ?? 0, where, 'bytes');
      const text = type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8;
      const wtf8 = field.metadata.get(ENCODING_KEY) === WTF8;
      if (text || wtf8) checkText(data, first, last, wtf8, where);
      return;
    }
    case Type.Utf8View:
    case Type.BinaryView:
      checkViews(data, type.typeId === Type.Utf8View || field.metadata.get(ENCODING_KEY) === WTF8, field.metadata.get(ENCODING_KEY) === WTF8, where);
      return;
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const child = onlyChild(data, where);
      checkOffsets(data, child.length, where, 'elements');
      const childField = type.children[0] as Field;
      if (type.typeId === Type.Map) {
        if (child.type.typeId !== Type.Struct || child.children.length !== 2) fail(where, 'a map\'s entries must be a struct of a key and a value');
        if (child.children[0].nullCount !== 0) fail(where, 'a map key is null');
        // The entries struct is not a level of the JSON value: its key and value are.
        checkChildren(child, childField.type.children, `${path}{}`, depth, checked);
        return;
      }
      validateData(child, childField, `${path}[]`, depth + 1, checked);
      return;
    }
    case Type.FixedSizeList: {
      const child = onlyChild(data, where);
      const size = (type as FixedSizeList).listSize;
      if (child.length < length * size) fail(where, `${length} lists of ${size} need ${length * size} elements, and the child has ${child.length}`);
      validateData(child, type.children[0], `${path}[]`, depth + 1, checked);
      return;
    }
    case Type.Struct:
      checkChildren(data, type.children, path, depth, checked);
      return;
    case Type.Union:
      checkUnion(data, path, depth, checked, where);
      return;
    case Type.Dictionary:
      checkDictionary(data, field, path, depth, checked, where);
      return;
    default:
      fail(where, 'the type is not one memstore reads');
  }
}

/** The null count against the validity bitmap: the bitmap must cover the rows, and its unset bits are the nulls. */
function checkValidity(data: Data, where: string): void {
  const { nullCount, length, offset } = data;
  if (data.typeId === Type.Null || data.typeId === Type.Union) return;
  if (!Number.isSafeInteger(nullCount) || nullCount < 0 || nullCount > length) fail(where, `null count ${nullCount} for ${length} rows`);
  if (nullCount === 0) return;
  const bitmap = data.nullBitmap;
  if (bitmap === undefined || bitmap.length * 8 < offset + length) fail(where, `${nullCount} nulls and a validity bitmap of ${bitmap?.length ?? 0} bytes for ${length} rows`);
  let valid = 0;
  for (let row = offset; row < offset + length; row++) valid += (bitmap[row >>> 3] >>> (row & 7)) & 1;
  if (length - valid !== nullCount) fail(where, `the null count says ${nullCount} and the validity bitmap holds ${length - valid}`);
}

function needBytes(buffer: Uint8Array | undefined, bytes: number, where: string, what: string): void {
  if ((buffer?.length ?? 0) < bytes) fail(where, `its ${what} need ${bytes} bytes, and the buffer holds ${buffer?.length ?? 0}`);
}

function needElements(buffer: ArrayLike<unknown> | undefined, count: number, where: string, what: string): void {
  if ((buffer?.length ?? 0) < count) fail(where, `its ${what} need ${count} entries, and the buffer holds ${buffer?.length ?? 0}`);
}

/** Offsets: length + 1 of them, the first at least 0, non-decreasing, the last within `limit`; returns the first and last. */
function checkOffsets(data: Data, limit: number, where: string, what: string): [number, number] {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array | undefined;
  needElements(offsets, data.length + 1, where, 'offsets');
  let previous = Number(offsets![0]);
  if (previous < 0) fail(where, `its first offset is ${previous}`);
  for (let row = 1; row <= data.length; row++) {
    const next = Number(offsets![row]);
    if (next < previous) fail(where, `offset ${row} (${next}) is below offset ${row - 1} (${previous})`);
    previous = next;
  }
  if (previous > limit) fail(where, `its last offset is ${previous}, past the ${limit} ${what} there are`);
  return [Number(offsets![0]), previous];
}

/** UTF-8 (or WTF-8) over the bytes the rows use: the whole range at once, else row by row (a null row's bytes may be anything). */
function checkText(data: Data, first: number, last: number, wtf8: boolean, where: string): void {
  const bytes = data.values as Uint8Array;
  if (validText(bytes.subarray(first, last), wtf8)) return;
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  for (let row = 0; row < data.length; row++) {
    if (!isValid(data, row)) continue;
    const start = Number(offsets[row]);
    if (!validText(bytes.subarray(start, Number(offsets[row + 1])), wtf8)) fail(where, `row ${row} is not valid ${wtf8 ? 'WTF-8' : 'UTF-8'} (from byte ${start} of its values)`);
  }
}

function checkViews(data: Data, text: boolean, wtf8: boolean, where: string): void {
  const views = data.values as Uint8Array | undefined;
  needBytes(views, data.length * 16, where, 'views');
  const words = new DataView(views!.buffer, views!.byteOffset, views!.byteLength);
  const buffers = data.variadicBuffers;
  for (let row = 0; row < data.length; row++) {
    if (!isValid(data, row)) continue;
    const size = words.getInt32(row * 16, true);
    if (size < 0) fail(where, `row ${row} has length ${size}`);
    let bytes: Uint8Array;
    if (size <= 12) bytes = views!.subarray(row * 16 + 4, row * 16 + 4 + size);
    else {
      const index = words.getInt32(row * 16 + 8, true);
      const start = words.getInt32(row * 16 + 12, true);
      if (index < 0 || index >= buffers.length) fail(where, `row ${row} names data buffer ${index}, and there are ${buffers.length}`);
      if (start < 0 || start + size > buffers[index].length) fail(where, `row ${row}'s ${size} bytes at ${start} pass the end of data buffer ${index} (${buffers[index].length} bytes)`);
      bytes = buffers[index].subarray(start, start + size);
    }
    if (text && !validText(bytes, wtf8)) fail(where, `row ${row} is not valid ${wtf8 ? 'WTF-8' : 'UTF-8'}`);
  }
}

function onlyChild(data: Data, where: string): Data {
  if (data.children.length !== 1) fail(where, `a list has ${data.children.length} child arrays`);
  return data.children[0];
}

function checkChildren(data: Data, fields: readonly Field[], path: string, depth: number, checked: Set<Vector>): void {
  if (data.children.length !== fields.length) fail(`${path} (${data.type})`, `${data.children.length} child arrays for ${fields.length} fields`);
  for (let i = 0; i < fields.length; i++) {
    const child = data.children[i];
    const childPath = path === '' ? fields[i].name : `${path}.${fields[i].name}`;
    if (child.length < data.length) fail(childPath, `the field has ${child.length} rows and its struct ${data.length}`);
    validateData(child, fields[i], childPath, depth + 1, checked);
  }
}

function checkUnion(data: Data, path: string, depth: number, checked: Set<Vector>, where: string): void {
  const type = data.type as Union;
  needElements(data.typeIds, data.length, where, 'type ids');
  if (data.children.length !== type.children.length) fail(where, `${data.children.length} child arrays for ${type.children.length} members`);
  const slot = new Map<number, number>(Array.from(type.typeIds, (id, i) => [id, i]));
  const dense = type.mode === UnionMode.Dense;
  if (dense) needElements(data.valueOffsets, data.length, where, 'offsets');
  for (let row = 0; row < data.length; row++) {
    const member = slot.get(data.typeIds[row]);
    if (member === undefined) fail(where, `row ${row} has type id ${data.typeIds[row]}, which the union does not declare`);
    const at = dense ? data.valueOffsets[row] : row;
    if (at < 0 || at >= data.children[member].length) fail(where, `row ${row} points at element ${at} of member ${member}, which has ${data.children[member].length}`);
  }
  for (let i = 0; i < type.children.length; i++) validateData(data.children[i], type.children[i], `${path}<${type.children[i].name}>`, depth + 1, checked);
}

function checkDictionary(data: Data, field: Field, path: string, depth: number, checked: Set<Vector>, where: string): void {
  const dictionary = data.dictionary;
  if (dictionary === undefined) fail(where, 'a dictionary column has no dictionary');
  if (!checked.has(dictionary)) {
    checked.add(dictionary);
    const valueField = { name: field.name, type: dictionary.type, metadata: field.metadata } as Field;
    for (const chunk of dictionary.data) validateData(chunk, valueField, `${path} (dictionary)`, depth, checked);
  }
  const indices = data.values as ArrayLike<number | bigint> | undefined;
  needElements(indices, data.length, where, 'indices');
  const entries = dictionary.length;
  for (let row = 0; row < data.length; row++) {
    if (!isValid(data, row)) continue;
    const index = Number(indices![row]);
    if (!(index >= 0 && index < entries)) fail(where, `row ${row} has dictionary index ${index}, and the dictionary has ${entries} entries`);
  }
}

function isValid(data: Data, row: number): boolean {
  if (data.nullCount === 0) return true;
  const at = data.offset + row;
  return ((data.nullBitmap![at >>> 3] >>> (at & 7)) & 1) === 1;
}

/** UTF-8, or WTF-8: UTF-8 whose three-byte sequences may also encode a surrogate code point (0xED 0xA0..0xBF), as the store keeps lone surrogates. */
function validText(bytes: Uint8Array, wtf8: boolean): boolean {
  if (!wtf8) {
    try {
      utf8.decode(bytes);
      return true;
    } catch {
      return false;
    }
  }
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    const size = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (size === 0 || i + size > bytes.length) return false;
    for (let k = 1; k < size; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return false;
    // Overlong three- and four-byte forms, and code points past U+10FFFF.
    if ((lead === 0xe0 && bytes[i + 1] < 0xa0) || (lead === 0xf0 && bytes[i + 1] < 0x90) || (lead === 0xf4 && bytes[i + 1] >= 0x90)) return false;
    i += size;
  }
  return true;
}
