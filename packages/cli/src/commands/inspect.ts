// `memstore inspect <file>`: the schema as a tree — type, stored encoding, rows, nulls, missing,
// distinct strings and bytes per column — and the store's memory beside it; `--json` gives the
// same as { file, records, schema (store.schema), memory (store.memory()) }.
import type { MemoryReport, SchemaField } from '@memstore/core';
import { openStore } from '../open';
import { fmtBytes, fmtInt, table } from '../text/numbers';
import type { Progress } from '../text/progress';

export async function inspectCommand(file: string, options: { pointer?: string; json?: boolean }, progress: Progress): Promise<string> {
  const store = await openStore(file, { pointer: options.pointer, progress });
  try {
    const memory = store.memory();
    const schema = store.schema;
    if (options.json) return `${JSON.stringify({ file, records: store.length, schema, memory }, null, 2)}\n`;
    return render(file, store.length, schema, memory);
  } finally {
    store.dispose();
  }
}

function render(file: string, records: number, schema: SchemaField, memory: MemoryReport): string {
  const bytes = new Map<string, number>();
  for (const column of memory.columns) bytes.set(column.path, (bytes.get(column.path) ?? 0) + column.bytes);
  const rows: string[][] = [];
  const walk = (field: SchemaField, depth: number, label: string) => {
    const own = bytes.get(field.path);
    rows.push([
      `${'  '.repeat(depth)}${label}`,
      field.type + (field.nullable ? '?' : ''),
      field.storage + (field.sparse ? ', sparse' : ''),
      fmtInt(field.rows),
      fmtInt(field.nullCount),
      fmtInt(field.missingCount),
      field.cardinality === undefined ? '' : fmtInt(field.cardinality),
      own === undefined ? '' : fmtBytes(own),
    ]);
    for (const child of field.fields ?? []) walk(child, depth + 1, child.path);
    if (field.element !== undefined) walk(field.element, depth + 1, field.element.path);
    if (field.keys !== undefined) walk(field.keys, depth + 1, field.keys.path);
    if (field.values !== undefined) walk(field.values, depth + 1, field.values.path);
  };
  if (schema.type === 'struct') for (const child of schema.fields ?? []) walk(child, 0, child.path);
  else walk(schema, 0, '(records)');
  let text = `${file}: ${fmtInt(records)} records, ${fmtBytes(memory.totalBytes)} used (${fmtBytes(memory.reservedBytes)} reserved), ${fmtInt(memory.strings.count)} strings (${fmtBytes(memory.strings.bytes)})\n\n`;
  text += table(['path', 'type', 'storage', 'rows', 'nulls', 'missing', 'distinct', 'bytes'], rows, new Set([3, 4, 5, 6, 7]));
  text += `\ntype? : some rows hold null; sparse: only the rows present are stored; rows: records for top-level fields, elements inside lists.\n`;
  return text;
}
