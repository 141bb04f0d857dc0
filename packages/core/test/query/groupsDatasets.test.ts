// The example datasets (examples/, the same files as /work/shared/data): groupBy by value and by
// pairs of paths, distinct, countDistinct and orderBy with a limit equal the same computation in
// plain JS over store.toArray() (groupsReference.ts), for every field the schema shows outside
// lists and maps (paths given as arrays of keys: the form every API takes whatever the keys hold).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Store, type SchemaField } from '../../src/node';
import { refCountDistinct, refGrouping, refOrderJson } from './groupsReference';

const directory = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const DATASETS = readdirSync(directory).filter((name) => name.endsWith('.json'));

interface Field {
  keys: string[];
  type: SchemaField['type'];
}

/** Every field reached through structs only: groupBy and orderBy keys are fields of the records. */
function fieldsOf(field: SchemaField, keys: string[] = []): Field[] {
  const out: Field[] = [];
  for (const child of field.fields ?? []) {
    const path = [...keys, child.key!];
    out.push({ keys: path, type: child.type });
    if (child.type === 'struct') out.push(...fieldsOf(child, path));
  }
  return out;
}

const ORDERED = new Set(['int', 'float', 'string', 'bool', 'mixed']);

describe.each(DATASETS)('%s', (name) => {
  it('groupBy (one path and pairs), distinct, countDistinct and orderBy { limit } agree with plain JS', async () => {
    const store = await Store.fromFile(`${directory}${name}`);
    try {
      const plain = store.toArray();
      expect(plain).toEqual(JSON.parse(readFileSync(`${directory}${name}`, 'utf8')));
      const fields = store.schema.type === 'struct' ? fieldsOf(store.schema) : [];
      expect(fields.length, 'fields to check').toBeGreaterThan(0);
      for (const field of fields) {
        const what = JSON.stringify(field.keys);
        const ref = refGrouping(plain, [field.keys]);
        const counts = store.groupBy(field.keys).count();
        expect([...counts.keys()], `groupBy(${what}) keys`).toEqual(ref.keys);
        expect([...counts.values()], `groupBy(${what}) counts`).toEqual(ref.rows.map((rows) => rows.length));
        expect(store.distinct(field.keys), `distinct(${what})`).toEqual(ref.keys);
        if (!ORDERED.has(field.type)) continue;
        for (const direction of ['asc', 'desc'] as const) {
          const order = refOrderJson(plain, field.keys, direction);
          for (const limit of [1, 10]) expect(Array.from(store.orderBy(field.keys, direction, { limit })), `orderBy(${what}, ${direction}, ${limit})`).toEqual(order.slice(0, limit));
        }
      }
      // Pairs of the first fields (strings among them: the codes combined in WASM), and distinct counts within the first's groups.
      const firsts = fields.slice(0, 6);
      for (const a of firsts) {
        for (const b of firsts) {
          if (a === b) continue;
          const what = `groupBy(${JSON.stringify(a.keys)}, ${JSON.stringify(b.keys)})`;
          const ref = refGrouping(plain, [a.keys, b.keys]);
          const counts = store.groupBy(a.keys, b.keys).count();
          expect([...counts.keys()], `${what} keys`).toEqual(ref.keys);
          expect([...counts.values()], `${what} counts`).toEqual(ref.rows.map((rows) => rows.length));
          expect([...store.groupBy(a.keys).countDistinct(b.keys).values()], `countDistinct`).toEqual(refGrouping(plain, [a.keys]).rows.map((rows) => refCountDistinct(plain, rows, b.keys)));
        }
      }
    } finally {
      store.dispose();
    }
  });
});
