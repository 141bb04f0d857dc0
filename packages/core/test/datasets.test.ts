// The example datasets round-trip exactly, from text, bytes and files, and cargo's schema is
// what its values call for.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Store, formatSchema, type SchemaField } from '../src/index';
import '../src/node'; // installs file reading, as the package's "node" entry does
import { example, exampleText, viewAt, withStore } from './helpers';

const DATASETS = ['cargo.json', 'shipments.json', 'small_json.json'];

function field(schema: SchemaField, path: string): SchemaField {
  const found = walk(schema).find((node) => node.path === path);
  if (!found) throw new Error(`no schema field ${path}`);
  return found;
}

function walk(node: SchemaField): SchemaField[] {
  const children = [...(node.fields ?? []), ...(node.element ? [node.element] : []), ...(node.keys ? [node.keys, node.values!] : [])];
  return [node, ...children.flatMap(walk)];
}

describe.each(DATASETS)('%s', (name) => {
  const text = exampleText(name);
  const expected = JSON.parse(text) as unknown[];

  it('round-trips exactly via fromJSON(string)', async () => {
    await withStore(Store.fromJSON(text), (store) => {
      expect(store.length).toBe(expected.length);
      assert.deepStrictEqual(store.toArray(), expected);
    });
  });

  it('round-trips exactly via fromJSON(UTF-8 bytes)', async () => {
    await withStore(Store.fromJSON(new Uint8Array(readFileSync(example(name)))), (store) => {
      assert.deepStrictEqual(store.toArray(), expected);
    });
  });

  it('round-trips exactly via Store.fromFile', async () => {
    await withStore(Store.fromFile(example(name)), (store) => {
      assert.deepStrictEqual(store.toArray(), expected);
    });
  });

  it('round-trips exactly via fromRecords, and every view equals its record', async () => {
    await withStore(Store.fromRecords(expected), (store) => {
      assert.deepStrictEqual(store.toArray(), expected);
      let row = 0;
      for (const view of store) assert.deepStrictEqual((view as { toJSON(): unknown }).toJSON(), expected[row++]);
      expect(row).toBe(expected.length);
      expect(JSON.stringify(store.toArray())).toBe(JSON.stringify(expected));
    });
  });
});

describe('cargo schema', () => {
  it('infers the narrowest storage for every field', async () => {
    await withStore(Store.fromFile(example('cargo.json')), (store) => {
      const schema = store.schema;
      expect(schema).toMatchObject({ path: '', key: null, type: 'struct', storage: 'presence', rows: 6000, nullable: false, optional: false });
      expect(schema.fields!.map((f) => f.key)).toEqual(['id', 'product', 'quantity', 'dates']);
      const expectations: Record<string, Partial<SchemaField>> = {
        id: { type: 'int', storage: 'uint32 + base', cardinality: undefined },
        product: { type: 'struct', storage: 'presence' },
        'product.name': { type: 'string', storage: 'dict8', cardinality: 4 },
        'product.uid': { type: 'string', storage: 'dict8', cardinality: 4 },
        quantity: { type: 'struct', storage: 'presence' },
        'quantity.value': { type: 'int', storage: 'uint16 + base' },
        'quantity.id': { type: 'string', storage: 'constant', cardinality: 1 },
        dates: { type: 'struct', storage: 'presence' },
        'dates.start': { type: 'string', storage: 'dict8' },
        'dates.end': { type: 'string', storage: 'dict8' },
      };
      for (const [path, expectation] of Object.entries(expectations)) {
        expect(field(schema, path), path).toMatchObject({ ...expectation, nullable: false, optional: false, rows: 6000, nullCount: 0, missingCount: 0 });
      }
      expect(walk(schema)).toHaveLength(11);
      const products = new Set((JSON.parse(exampleText('cargo.json')) as { product: { name: string } }[]).map((r) => r.product.name));
      expect(field(schema, 'product.name').cardinality).toBe(products.size);
    });
  });

  it('formats the schema as an indented tree', async () => {
    await withStore(Store.fromFile(example('cargo.json')), (store) => {
      expect(formatSchema(store.schema)).toBe(
        [
          '(records): struct (presence)',
          '  id: int (uint32 + base)',
          '  product: struct (presence)',
          '    name: string (dict8, 4 distinct)',
          '    uid: string (dict8, 4 distinct)',
          '  quantity: struct (presence)',
          '    value: int (uint16 + base)',
          '    id: string (constant, 1 distinct)',
          '  dates: struct (presence)',
          '    start: string (dict8, 4 distinct)',
          '    end: string (dict8, 4 distinct)',
        ].join('\n'),
      );
    });
  });

  it('memory() accounts every column and stays well below plain objects', async () => {
    await withStore(Store.fromFile(example('cargo.json')), (store) => {
      const report = store.memory();
      expect(report.columns.map((c) => c.path)).toEqual([
        '(records)', 'id', 'product', 'product.name', 'product.uid', 'quantity', 'quantity.value', 'quantity.id', 'dates', 'dates.start', 'dates.end',
      ]);
      expect(report.columns.every((c) => c.bytes > 0)).toBe(true);
      expect(report.totalBytes).toBe(report.columns.reduce((sum, c) => sum + c.bytes, 0) + report.schemaBytes + report.strings.bytes + report.moduleBytes);
      expect(report.moduleBytes).toBeGreaterThan(0);
      expect(report.moduleBytes).toBeLessThan(16 * 1024);
      // A node per column (56 B), and the structs' field lists.
      expect(report.schemaBytes).toBeGreaterThanOrEqual(report.columns.length * 56);
      expect(report.schemaBytes).toBeLessThan(report.columns.length * 56 + 256);
      expect(report.reservedBytes).toBeGreaterThanOrEqual(report.totalBytes);
      // Fitted to its data (compaction): at most 5% and a page more.
      expect(report.reservedBytes).toBeLessThanOrEqual(1.05 * report.totalBytes + 65536);
      // The string table holds every distinct value once (names, uids, "mt", dates) and the field names.
      const distinct = new Set<string>(['id', 'product', 'name', 'uid', 'quantity', 'value', 'dates', 'start', 'end']);
      for (const r of JSON.parse(exampleText('cargo.json')) as any[]) {
        for (const s of [r.product.name, r.product.uid, r.quantity.id, r.dates.start, r.dates.end]) distinct.add(s);
      }
      expect(report.strings.count).toBe(distinct.size);
      // 4-byte id deltas (ids spread over ~10^6) + 2-byte value deltas + four u8 codes: 10 bytes a record, plus small fixed costs.
      expect(report.columns.find((c) => c.path === 'id')!.bytes).toBeGreaterThanOrEqual(6000 * 4);
      expect(report.totalBytes - report.moduleBytes).toBeLessThan(6000 * 12);
    });
  });
});

describe('shipments and small_json schemas', () => {
  it('shipments: product strings, int fields, a nested date range', async () => {
    await withStore(Store.fromFile(example('shipments.json')), (store) => {
      expect(store.schema.fields!.map((f) => f.key)).toEqual(['product', 'type', 'date_range', 'id', 'income']);
      expect(field(store.schema, 'product')).toMatchObject({ type: 'string' });
      expect(field(store.schema, 'type')).toMatchObject({ type: 'int', storage: 'uint8 + base' });
      expect(field(store.schema, 'date_range.start_date')).toMatchObject({ type: 'string' });
    });
  });

  it('small_json: integer-like keys, constant ints and strings', async () => {
    await withStore(Store.fromFile(example('small_json.json')), (store) => {
      expect(store.length).toBe(4);
      expect(field(store.schema, '1')).toMatchObject({ type: 'int', storage: 'constant' });
      expect(field(store.schema, 'long_str')).toMatchObject({ type: 'string', storage: 'constant', cardinality: 1 });
      const r = viewAt(store, 2);
      expect((r as any)['1345']).toBe(1345);
      expect((r as any).long_str).toBe('python is a very funny language');
      expect(r.get(['13451'])).toBe(1345);
    });
  });
});
