// Sparse columns through the facade: a store whose fields are mostly missing keeps only their
// stored rows (assembly/sparse.ts), and every reader — views, toArray, column(), queries,
// aggregates, groupBy, orderBy — answers for rows exactly as a dense store does. The model is
// the parsed records; each case runs on every entry path that can turn columns sparse.
import { describe, expect, it } from 'vitest';
import { Store } from '../src/node';
import type { SchemaField } from '../src';

/** 20,000 events: each field present in a small share of them (some null), ids above 2^31, unique and pooled strings. */
function events(count: number, from = 0): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const event: Record<string, unknown> = { id: i, type: ['push', 'issue', 'fork', 'watch'][i % 4] };
    if (i % 9 === 0) event.size = i % 27 === 0 ? null : (i * 37) % 1000;
    if (i % 13 === 0) event.ref = `refs/heads/b${i % 50}`;
    if (i % 11 === 0) event.sha = `${(i * 2654435761).toString(16)}-${i}`;
    if (i % 17 === 0) event.score = i % 34 === 0 ? -0 : i / 7;
    if (i % 7 === 2) event.labels = i % 14 === 2 ? ['bug', `p${i % 3}`] : [`p${i % 3}`];
    if (i % 10 === 3) event.lines = i % 20 === 3 ? [] : [{ n: i }, { n: i + 1 }, { n: i + 2 }];
    if (i % 4 === 1) event.issue = { id: 3_000_000_000 + i * 5, title: i % 8 === 1 ? null : `issue ${i} \u{1F600}`, ...(i % 12 === 1 ? { closed: i % 24 === 1 } : {}) };
    return event;
  });
}

const entryPaths: Record<string, (records: Record<string, unknown>[]) => Promise<Store<unknown>>> = {
  'fromJSON(string)': (records) => Store.fromJSON(JSON.stringify(records)),
  'fromJSON(bytes, ndjson)': (records) => Store.fromJSON(new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join('\n')), { format: 'ndjson' }),
  fromRecords: (records) => Store.fromRecords<unknown>(records),
  'append in chunks': async (records) => {
    const store = await Store.fromJSON(JSON.stringify(records.slice(0, 500)));
    for (let at = 500; at < records.length; at += 3000) await store.append(JSON.stringify(records.slice(at, at + 3000)));
    return store;
  },
};

function field(schema: SchemaField, path: string): SchemaField {
  let node = schema;
  for (const key of path.split('.')) node = node.fields!.find((f) => f.key === key)!;
  return node;
}

const get = (record: Record<string, unknown>, path: string): unknown => path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], record);

describe('sparse columns', () => {
  // As the JSON text holds them (JSON.stringify writes -0 as 0); -0 itself is the round-trip tests' (and fromRecords keeps it).
  const records = JSON.parse(JSON.stringify(events(20_000))) as Record<string, unknown>[];
  for (const [name, load] of Object.entries(entryPaths)) {
    it(`${name}: stores mostly missing fields sparse, and reads them back exactly`, async () => {
      const store = await load(records);
      try {
        for (const path of ['size', 'ref', 'sha', 'score', 'labels', 'lines', 'issue.id', 'issue.title']) expect(field(store.schema, path).sparse, path).toBe(true);
        expect(field(store.schema, 'lines').element!.fields![0].sparse).toBe(false); // every element has its n
        expect(field(store.schema, 'id').sparse).toBe(false);
        expect(field(store.schema, 'size')).toMatchObject({ rows: 20_000, missingCount: 20_000 - 2223, nullCount: 741 });
        expect(store.toArray()).toStrictEqual(records);
        for (const row of [0, 1, 9, 13, 63, 64, 4097, 19_999]) {
          const view = store.at(row) as unknown as Record<string, unknown> & { get(path: string): unknown };
          for (const path of ['size', 'ref', 'sha', 'score', 'issue.id', 'issue.title']) expect(view.get(path), `${path} @${row}`).toStrictEqual(get(records[row], path));
          expect(JSON.parse(JSON.stringify(view.get('labels') ?? null))).toStrictEqual(records[row].labels ?? null);
          expect(view.get('lines.1.n')).toBe((records[row].lines as { n: number }[] | undefined)?.[1]?.n);
          expect(view.size).toStrictEqual(records[row].size);
        }
        const column = store.column('issue.id');
        expect(column.sparse).not.toBeNull();
        expect(column.length).toBe(20_000);
        expect(column.storedRow(1)).toBe(0);
        expect(column.storedRow(2)).toBe(-1);
        expect(column.base! + Number(column.deltas![column.storedRow(4001)])).toBe(3_000_000_000 + 4001 * 5);
        expect(column.toArray()).toStrictEqual(records.map((r) => get(r, 'issue.id')));
      } finally {
        store.dispose();
      }
    });
  }

  it('answers queries, aggregates, groupBy and orderBy as the records do', async () => {
    const store = await Store.fromJSON(JSON.stringify(records));
    try {
      const count = (test: (r: Record<string, unknown>) => boolean) => records.filter(test).length;
      expect(store.where('size').gt(500).count()).toBe(count((r) => typeof r.size === 'number' && r.size > 500));
      expect(store.where('size').isNull().count()).toBe(count((r) => r.size === null));
      expect(store.where('size').isMissing().count()).toBe(count((r) => !('size' in r)));
      expect(store.where('ref').eq('refs/heads/b7').count()).toBe(count((r) => r.ref === 'refs/heads/b7'));
      expect(store.where('sha').eq(records[4455].sha as string).count()).toBe(1);
      expect(store.where('issue.id').between(3_000_050_000, 3_000_060_000).count()).toBe(count((r) => {
        const id = get(r, 'issue.id') as number | undefined;
        return id !== undefined && id >= 3_000_050_000 && id <= 3_000_060_000;
      }));
      const first = store.where('sha').eq(records[15_004].sha as string).first() as unknown as { id: number };
      expect(first.id).toBe(15_004);
      expect((store.where('size').gt(990).first() as unknown as { id: number }).id).toBe(records.find((r) => typeof r.size === 'number' && r.size > 990)!.id);
      const sizes = records.map((r) => r.size).filter((v): v is number => typeof v === 'number');
      expect(store.sum('size')).toBe(sizes.reduce((a, b) => a + b, 0));
      expect(store.min('size')).toBe(Math.min(...sizes));
      expect(store.where('type').eq('push').sum('size')).toBe(records.filter((r) => r.type === 'push' && typeof r.size === 'number').reduce((a, r) => a + (r.size as number), 0));
      expect(store.where('type').eq('issue').max('issue.id')).toBe(Math.max(...records.filter((r) => r.type === 'issue' && r.issue).map((r) => get(r, 'issue.id') as number)));
      // Through sparse lists: a record matches when one of its elements does; sums over every element.
      const lines = (r: Record<string, unknown>) => ((r.lines as { n: number }[] | undefined) ?? []).map((line) => line.n);
      expect(store.where('labels').length().eq(2).count()).toBe(count((r) => (r.labels as string[] | undefined)?.length === 2));
      expect(store.where('lines.n').any().gt(19_990).count()).toBe(count((r) => lines(r).some((n) => n > 19_990)));
      expect(store.sum('lines.n')).toBe(records.reduce((a, r) => a + lines(r).reduce((x, y) => x + y, 0), 0));
      expect(store.where('type').eq('watch').sum('lines.n')).toBe(records.filter((r) => r.type === 'watch').reduce((a, r) => a + lines(r).reduce((x, y) => x + y, 0), 0));
      expect(store.where('lines').isMissing().count()).toBe(count((r) => !('lines' in r)));
      expect((store.where('lines.n').any().eq(4013).first() as unknown as { id: number }).id).toBe(4013);
      const byRef = store.groupBy('ref').count();
      expect(byRef.get('refs/heads/b7')).toBe(count((r) => r.ref === 'refs/heads/b7'));
      expect(byRef.get(null)).toBe(count((r) => r.ref === undefined));
      const sizeByType = store.groupBy('type').sum('size');
      expect(sizeByType.get('watch')).toBe(records.filter((r) => r.type === 'watch' && typeof r.size === 'number').reduce((a, r) => a + (r.size as number), 0));
      const order = [...store.orderBy('size', 'desc')].slice(0, 5);
      const expected = records.map((r, i) => [r.size, i] as const).filter(([size]) => typeof size === 'number').sort((a, b) => (b[0] as number) - (a[0] as number) || a[1] - b[1]).slice(0, 5).map(([, i]) => i);
      expect(order).toEqual(expected);
    } finally {
      store.dispose();
    }
  });

  it('turns dense as a field fills up, and a failed append leaves the store as it was', async () => {
    const store = await Store.fromJSON(JSON.stringify(records));
    try {
      expect(field(store.schema, 'size').sparse).toBe(true);
      const dense = Array.from({ length: 80_000 }, (_, i) => ({ id: 20_000 + i, type: 'push', size: i }));
      await expect(store.append(`${JSON.stringify(dense).slice(0, -1)}, {"id": 1, "size": oops}]`)).rejects.toThrow(/line|column|offset/i);
      expect(field(store.schema, 'size').rows).toBe(20_000);
      expect(store.toArray()).toStrictEqual(records);
      expect(store.where('size').isNull().count()).toBe(741);
      await store.append(JSON.stringify(dense));
      expect(field(store.schema, 'size').sparse).toBe(false);
      expect(store.toArray()).toStrictEqual([...records, ...dense]);
      expect(store.where('size').gte(79_990).count()).toBe(10);
    } finally {
      store.dispose();
    }
  });
});
