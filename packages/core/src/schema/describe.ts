// The schema as users see it: a readable tree (store.schema) and a text rendering of it.
// Each node kind says its own type, storage and children (node.ts); this file only shapes them.
import { ColumnType, Descriptor, NodeKind } from '../wasm/abi';
import type { Node } from './node';
import { appendStep } from '../path';

/** What a field holds. `mixed`: values of several kinds (kept exactly, tagged per row). */
export type SchemaType = 'struct' | 'list' | 'map' | 'int' | 'float' | 'bool' | 'string' | 'mixed' | 'null';

/**
 * How a field is stored: `uint8 + base` … `uint64 + base` (ints: a base, the column's frame of
 * reference, plus an unsigned delta per row at the narrowest width holding every value's),
 * `constant` (one value for every row: no per-row bytes), `float64`, `bits` (booleans),
 * `dict8`/`dict16`/`dict32` (codes into the field's dictionary of interned strings), `text`
 * (strings that rarely repeat: the column's own bytes), `fsst` (such text compressed by a table
 * of the column's own: a byte for each of its up to 255 most useful 1–8 byte pieces), `offsets` (lists and maps), `tagged`
 * (mixed), `presence` (structs and all-null fields).
 */
export type SchemaStorage =
  | 'uint8 + base' | 'uint16 + base' | 'uint32 + base' | 'uint64 + base' | 'constant' | 'float64' | 'bits'
  | 'dict8' | 'dict16' | 'dict32' | 'text' | 'fsst' | 'offsets' | 'tagged' | 'presence';

export interface SchemaField {
  /** The field's path in the path grammar (path.ts): `a.b`, `tags[]`, `m{key}` / `m{}`, `["a.b"]`; every API that takes a path accepts it. */
  readonly path: string;
  /** The key in the parent struct; null for the root, list elements and map parts. */
  readonly key: string | null;
  readonly type: SchemaType;
  readonly storage: SchemaStorage;
  /** Some row holds null. */
  readonly nullable: boolean;
  /** Some row lacks the key (or sits under an absent or null parent). */
  readonly optional: boolean;
  /** Rows of this field: records for top-level fields, elements for list elements. */
  readonly rows: number;
  readonly nullCount: number;
  readonly missingCount: number;
  /**
   * Only the rows that are not missing are stored (a mostly missing field; its index finds a row's
   * value in O(1)): what `storage` says then applies to those rows. Decided as data arrives.
   */
  readonly sparse: boolean;
  /** Distinct strings (string fields and map keys), else undefined. */
  readonly cardinality: number | undefined;
  /** Struct fields in first-seen order. */
  readonly fields?: readonly SchemaField[];
  /** List element. */
  readonly element?: SchemaField;
  /** Map keys (strings) and values. */
  readonly keys?: SchemaField;
  readonly values?: SchemaField;
  /**
   * True for a top-level field that holds each record's key in the object a load's pointer
   * named (`keyAs`); absent otherwise.
   */
  readonly fromKey?: true;
}

const NO_KEY_FIELDS: ReadonlySet<string> = new Set();

/** The schema below `node`; `keyFields`: the root's fields that loads filled from keys (keyAs). */
export function describeNode(node: Node, keyFields = NO_KEY_FIELDS): SchemaField {
  // From the descriptor: describing a wide store makes no Column of its own (node.ts).
  const nullCount = node.stored(Descriptor.NullCount);
  // A sparse column's Length counts its stored rows; the others are its missing ones (assembly/sparse.ts).
  const sparse = node.stored(Descriptor.Sparse) !== 0;
  const rows = node.rows();
  const missingCount = sparse ? rows - node.stored(Descriptor.Length) : node.stored(Descriptor.MissingCount);
  const field: Record<string, unknown> = {
    path: node.path,
    key: node.key,
    type: node.schemaType,
    storage: node.storage(),
    nullable: nullCount > 0,
    optional: missingCount > 0,
    rows,
    nullCount,
    missingCount,
    sparse,
    cardinality: node.stored(Descriptor.Type) === ColumnType.String ? node.stored(Descriptor.DictLength) : undefined,
  };
  const links = node.links();
  if (links.some((link) => link.role === 'field')) field.fields = [];
  for (const { role, node: child } of links) {
    if (role !== 'field') field[role] = describeNode(child);
    else {
      const described = describeNode(child);
      if (keyFields.has(child.key!)) (described as { fromKey?: true }).fromKey = true;
      (field.fields as SchemaField[]).push(described);
    }
  }
  if (node.nodeKind === NodeKind.Struct) field.fields ??= [];
  return field as unknown as SchemaField;
}

/** The schema as an indented tree, one field per line. */
export function formatSchema(field: SchemaField): string {
  const lines: string[] = [];
  const visit = (node: SchemaField, label: string, indent: string) => {
    const flags = [node.nullable ? 'nullable' : '', node.optional ? 'optional' : ''].filter(Boolean).join(', ');
    const cardinality = node.cardinality === undefined ? '' : `, ${node.cardinality} distinct`;
    const origin = node.fromKey ? ', from the key' : '';
    const storage = node.sparse ? `sparse ${node.storage}` : node.storage;
    lines.push(`${indent}${label}: ${node.type} (${storage}${cardinality}${flags ? ', ' + flags : ''}${origin})`);
    const next = indent + '  ';
    // Each label is the step the path grammar (path.ts) writes for it: a field's path is its
    // parent's followed by its label ('.'-joined for keys printed bare).
    for (const child of node.fields ?? []) visit(child, appendStep('', child.key!), next);
    if (node.element) visit(node.element, '[]', next);
    if (node.keys) visit(node.keys, '{key}', next);
    if (node.values) visit(node.values, '{}', next);
  };
  visit(field, '(records)', '');
  return lines.join('\n');
}
