// Every example dataset (examples/, the same files as /work/shared/data) through Arrow: the table
// toArrow() makes, its IPC file and stream, and a file written by writeArrow and read back by
// fromFile, each give a store whose records deep-equal JSON.parse of the file; and Arrow's own
// reading of the table's columns (Vector.get, no memstore code) agrees with the records in
// plain JS for every top-level scalar field: what another engine would read.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/node';
import { withStore } from '../helpers';

const directory = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const DATASETS = readdirSync(directory).filter((name) => name.endsWith('.json'));
const scratch = mkdtempSync(join(tmpdir(), 'memstore-arrow-datasets-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(DATASETS)('%s', (name) => {
  const text = readFileSync(`${directory}${name}`, 'utf8');
  const parsed = JSON.parse(text) as Record<string, unknown>[];

  it('toArrow → fromArrow, IPC file and stream, writeArrow → fromFile: exact', async () => {
    await withStore(Store.fromJSON(text), async (store) => {
      await withStore(Store.fromArrow(store.toArrow()), (back) => expect(back.toArray()).toEqual(parsed));
      for (const format of ['file', 'stream'] as const) {
        await withStore(Store.fromArrowIPC(store.toArrowIPC({ format })), (back) => expect(back.toArray()).toEqual(parsed));
      }
      for (const file of ['data.arrow', 'data.arrows']) {
        await store.writeArrow(join(scratch, file));
        await withStore(Store.fromFile(join(scratch, file)), (back) => expect(back.toArray()).toEqual(parsed));
      }
    });
  });

  it("Arrow's own reading of the top-level scalar columns equals the records' values", async () => {
    await withStore(Store.fromJSON(text), (store) => {
      const table = store.toArrow();
      expect(table.numRows).toBe(parsed.length);
      let checked = 0;
      for (const field of store.schema.fields ?? []) {
        if (!['int', 'float', 'string', 'bool'].includes(field.type)) continue;
        const vector = table.getChild(field.key!)!;
        for (let row = 0; row < parsed.length; row++) {
          const value = vector.get(row);
          expect(typeof value === 'bigint' ? Number(value) : value).toEqual(parsed[row][field.key!] ?? null);
        }
        checked++;
      }
      expect(checked, 'scalar columns checked').toBeGreaterThan(0);
    });
  });
});
