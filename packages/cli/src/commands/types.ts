// `memstore types <file> [--name Cargo]`: a TypeScript declaration of the records, from the
// inferred schema, ready for `Store<Cargo>` and strict mode: one interface per struct (named after
// the root and the path), `?` for fields some record lacks, `| null` where some row holds null,
// arrays for lists, Record<string, T> for maps, and JsonValue for fields of mixed kinds.
import type { SchemaField } from '@memstore/core';
import { openStore } from '../open';
import { UsageError } from '../text/errors';
import type { Progress } from '../text/progress';

export async function typesCommand(file: string, options: { pointer?: string; name: string }, progress: Progress): Promise<string> {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(options.name)) throw new UsageError(`--name must be a TypeScript identifier (got ${JSON.stringify(options.name)})`);
  const store = await openStore(file, { pointer: options.pointer, progress });
  try {
    return declarations(store.schema, options.name, file, store.length);
  } finally {
    store.dispose();
  }
}

export function declarations(schema: SchemaField, name: string, file: string, records: number): string {
  const interfaces: string[] = [];
  const taken = new Set<string>([name, 'JsonValue']);
  let usesJson = false;
  const nameFor = (path: string): string => {
    const words = path.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
    let base = name + words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
    if (/^[0-9]/.test(base)) base = `_${base}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}${n}`;
    taken.add(candidate);
    return candidate;
  };
  const typeOf = (field: SchemaField, interfaceName?: string): string => {
    let type: string;
    switch (field.type) {
      case 'struct': {
        const own = interfaceName ?? nameFor(field.path);
        const members = (field.fields ?? []).map((child) => `  ${propertyName(child.key!)}${child.optional ? '?' : ''}: ${typeOf(child)};`);
        interfaces.push(`export interface ${own} {\n${members.join('\n')}${members.length > 0 ? '\n' : ''}}`);
        type = own;
        break;
      }
      case 'list': {
        const element = typeOf(field.element!);
        type = /^[A-Za-z0-9_$]+$/.test(element) ? `${element}[]` : `Array<${element}>`;
        break;
      }
      case 'map':
        type = `Record<string, ${typeOf(field.values!)}>`;
        break;
      case 'int':
      case 'float':
        type = 'number';
        break;
      case 'bool':
        type = 'boolean';
        break;
      case 'string':
        type = 'string';
        break;
      case 'null':
        return 'null';
      case 'mixed':
        usesJson = true;
        return 'JsonValue';
    }
    // Elements and map values can be missing inside their parents only as null.
    return field.nullable ? `${type} | null` : type;
  };
  let root: string | undefined;
  if (schema.type === 'struct') typeOf(schema, name);
  else root = typeOf(schema);
  const order = interfaces.reverse();
  let text = `// Records of ${file} (${records} records), from the schema memstore inferred: \`memstore types\`.\n`;
  text += `// Use it as Store<${name}>: const store = await Store.fromFile<${name}>('${file.replace(/'/g, "\\'")}');\n\n`;
  if (usesJson) text += 'export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };\n\n';
  if (root !== undefined) text += `export type ${name} = ${root};\n\n`;
  // The root interface first, then the ones it uses, in the order they appear.
  text += order.join('\n\n') + (order.length > 0 ? '\n' : '');
  return text;
}

function propertyName(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}
