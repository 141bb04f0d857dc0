// Shared by the parser tests (not a test file: vitest collects *.test.ts only): text fed through
// the ABI, and every stored row decoded back to the JS value it stands for.
import { expect } from 'vitest';
import { ColumnType, FeedResult, MixedTag, NodeField, NodeKind, ParseFormat, Sentinel } from '../assembly/abi';
import { boolAt, descriptor, feed, floatAt, intAt, listOffsets, nodeFields, presenceAt, stringAt, stringValueAt, textValueAt, type Wasm } from './harness';

export const encoder = new TextEncoder();
export const bytesOf = (input: string | Uint8Array) => (typeof input === 'string' ? encoder.encode(input) : input);
export const column = (wasm: Wasm, node: number) => wasm.nodeField(node, NodeField.Column);
export const keyOf = (wasm: Wasm, node: number) => stringAt(wasm, wasm.nodeField(node, NodeField.Key));
export const rows = (wasm: Wasm) => descriptor(wasm, column(wasm, wasm.schemaRoot())).length;

/** Feeds `input` split at `splits` (byte offsets); every chunk but the last must ask for more input. */
export function load(wasm: Wasm, input: string | Uint8Array, format = ParseFormat.Json, splits: number[] = [], skip = false): number {
  const bytes = bytesOf(input);
  expect(wasm.parseBegin(format, skip ? 1 : 0, 0)).toBeTruthy();
  const cuts = [0, ...splits, bytes.length];
  for (let i = 0; i + 2 < cuts.length; i++) expect(feed(wasm, bytes.subarray(cuts[i], cuts[i + 1]), false)).toBe(FeedResult.NeedInput);
  return feed(wasm, bytes.subarray(cuts[cuts.length - 2]), true);
}

/** Row `row` of `node` as the JS value it stores (undefined: missing). */
export function decode(wasm: Wasm, node: number, row: number): unknown {
  const handle = column(wasm, node);
  const presence = presenceAt(wasm, handle, row);
  if (presence !== 'present') return presence === 'null' ? null : undefined;
  const d = descriptor(wasm, handle);
  switch (wasm.nodeField(node, NodeField.Kind)) {
    case NodeKind.Struct: {
      const record: Record<string, unknown> = {};
      for (const field of nodeFields(wasm, node)) {
        const value = decode(wasm, field, row);
        if (value !== undefined) record[keyOf(wasm, field)] = value;
      }
      return record;
    }
    case NodeKind.List: {
      const offsets = listOffsets(wasm, handle);
      const element = wasm.nodeField(node, NodeField.Element);
      return Array.from({ length: offsets[row + 1] - offsets[row] }, (_, i) => decode(wasm, element, offsets[row] + i));
    }
    case NodeKind.Mixed: {
      const tag = new Uint8Array(wasm.memory.buffer, d.data, d.length)[row];
      const payload = new Float64Array(wasm.memory.buffer, d.payload, d.length)[row];
      if (tag === MixedTag.Number) return payload;
      if (tag === MixedTag.String) return stringAt(wasm, payload);
      if (tag === MixedTag.Json) return JSON.parse(stringAt(wasm, payload));
      return tag === MixedTag.True;
    }
  }
  if (d.type === ColumnType.Bool) return boolAt(wasm, handle, row);
  if (d.type === ColumnType.Int) return intAt(wasm, handle, row);
  if (d.type === ColumnType.Float64) return floatAt(wasm, handle, row);
  if (d.type === ColumnType.String) return stringValueAt(wasm, handle, row);
  if (d.type === ColumnType.Text) return textValueAt(wasm, handle, row);
  throw new Error(`column type ${d.type}`);
}

export const records = (wasm: Wasm) => Array.from({ length: rows(wasm) }, (_, row) => decode(wasm, wasm.schemaRoot(), row));

/** The schema tree with each column's descriptor counts (addresses and capacities left out). */
export function shape(wasm: Wasm, node: number): unknown {
  if (node === 0) return null;
  const { type, width, length, nullCount, missingCount, dictLength } = descriptor(wasm, column(wasm, node));
  const key = wasm.nodeField(node, NodeField.Key) >>> 0;
  return {
    kind: wasm.nodeField(node, NodeField.Kind), key: key === Sentinel.NoKey ? null : stringAt(wasm, key),
    column: { type, width, length, nullCount, missingCount, dictLength },
    fields: nodeFields(wasm, node).map((field) => shape(wasm, field)), element: shape(wasm, wasm.nodeField(node, NodeField.Element)),
  };
}
