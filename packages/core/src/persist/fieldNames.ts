// Names of the ABI's record fields and column types, for the messages a .msx reader gives (a
// const enum has no names at run time), and the fields each address mask names.
import { Descriptor, NodeField, Pointers, Roots } from '../wasm/abi';

export const DESCRIPTOR_FIELDS: Readonly<Record<number, string>> = {
  [Descriptor.Type]: 'Type', [Descriptor.Width]: 'Width', [Descriptor.Length]: 'Length', [Descriptor.Capacity]: 'Capacity',
  [Descriptor.Data]: 'Data', [Descriptor.Nulls]: 'Nulls', [Descriptor.Missing]: 'Missing', [Descriptor.NullCount]: 'NullCount',
  [Descriptor.MissingCount]: 'MissingCount', [Descriptor.Sparse]: 'Sparse', [Descriptor.Dict]: 'Dict', [Descriptor.DictLength]: 'DictLength',
  [Descriptor.DictCapacity]: 'DictCapacity', [Descriptor.DictIndex]: 'DictIndex', [Descriptor.DictIndexCapacity]: 'DictIndexCapacity',
  [Descriptor.Payload]: 'Payload', [Descriptor.Heap]: 'Heap', [Descriptor.HeapLength]: 'HeapLength', [Descriptor.HeapCapacity]: 'HeapCapacity',
  [Descriptor.ReviewRows]: 'ReviewRows', [Descriptor.Base]: 'Base', [Descriptor.Rows]: 'Rows', [Descriptor.Groups]: 'Groups',
};
export const NODE_FIELDS: Readonly<Record<number, string>> = {
  [NodeField.Kind]: 'Kind', [NodeField.Column]: 'Column', [NodeField.Key]: 'Key', [NodeField.Parent]: 'Parent', [NodeField.Fields]: 'Fields',
  [NodeField.FieldCount]: 'FieldCount', [NodeField.FieldCapacity]: 'FieldCapacity', [NodeField.Element]: 'Element', [NodeField.MapKeys]: 'MapKeys',
  [NodeField.Stamp]: 'Stamp', [NodeField.Cursor]: 'Cursor', [NodeField.PlainKey]: 'PlainKey', [NodeField.ReviewAt]: 'ReviewAt',
  [NodeField.FieldIndex]: 'FieldIndex',
};
export const ROOTS_FIELDS: Readonly<Record<number, string>> = {
  [Roots.Schema]: 'Schema', [Roots.StringHeap]: 'StringHeap', [Roots.StringHeapLength]: 'StringHeapLength',
  [Roots.StringHeapCapacity]: 'StringHeapCapacity', [Roots.StringOffsets]: 'StringOffsets', [Roots.StringOffsetsCapacity]: 'StringOffsetsCapacity',
  [Roots.StringCount]: 'StringCount', [Roots.StringIndex]: 'StringIndex', [Roots.StringIndexCapacity]: 'StringIndexCapacity', [Roots.Bytes - 4]: 'spare',
};
export const TYPE_NAMES = ['null', 'struct', 'list', 'bool', 'int', 'float64', 'string', 'mixed', 'text'];

/** Byte offsets of the u32 fields a mask names. */
export function fieldsOf(mask: number): number[] {
  const fields: number[] = [];
  for (let bits = mask; bits !== 0; bits &= bits - 1) fields.push((31 - Math.clz32(bits & -bits)) << 2);
  return fields;
}
export const COLUMN_BUFFERS = fieldsOf(Pointers.ColumnBuffers);
