// Selections hold the records their store had when they were made (its snapshot), and an append
// may change how those records' columns are stored: a dictionary turns text, ints widen to
// floats, a field turns mixed, a list's strings turn text. A selection made before such an
// append and first run after it builds its tests again in the store's tree as it is now
// (Selection.expressionIn, Predicate.replay), so it answers what it would have answered then.
import { describe, expect, it } from 'vitest';
import { MemstoreQueryError, Store, field, type Selection } from '../../src/node';
import { caught, withStore } from '../helpers';

interface Row {
  k: string;
  n: number;
  f: number | null | string;
  tags: string[] | string;
  pair: { a: number; b: number };
  scores: Record<string, number>;
}

const before: Row[] = Array.from({ length: 300 }, (_, i) => ({
  k: `k${i % 3}`,
  n: i,
  f: i % 2 === 0 ? null : i,
  tags: [`t${i % 4}`, `u${i % 5}`].slice(0, i % 3),
  pair: { a: i % 7, b: i % 5 },
  scores: { alice: i % 9 },
}));

/** Unique strings, fractions, strings where there were ints: every column of `before` is stored differently after these. */
const changing = Array.from({ length: 3000 }, (_, i) =>
  JSON.stringify({ k: `kind-${i}`, n: i + 0.5, f: `s${i}`, tags: [`tag-${i}`, `x${i}`], pair: { a: i / 4, b: 1 }, scores: { alice: i + 0.25 } }),
).join('\n');

const rows = (test: (row: Row) => boolean): number[] => before.flatMap((row, i) => (test(row) ? [i] : []));

/** The selections, each with the rows of `before` it holds. */
function selections(store: Store<Row>): Array<[string, Selection<Row>, number[]]> {
  const byK = store.where('k').eq('k1');
  const small = store.where('n').lt(20);
  return [
    ['eq on a dictionary turned text', byK, rows((r) => r.k === 'k1')],
    ['a string range', store.where('k').gt('k0'), rows((r) => r.k > 'k0')],
    ['in', store.where('k').in(['k0', 'k2', 'nope', null]), rows((r) => r.k === 'k0' || r.k === 'k2')],
    ['an int range widened to floats', store.where('n').between(5, 50), rows((r) => r.n >= 5 && r.n <= 50)],
    ['and', store.where('n').gt(10).and('n').lt(20), rows((r) => r.n > 10 && r.n < 20)],
    ['or of two selections', byK.or(small), rows((r) => r.k === 'k1' || r.n < 20)],
    ['not', byK.not(), rows((r) => r.k !== 'k1')],
    ['eq on a field turned mixed', store.where('f').eq(5), rows((r) => r.f === 5)],
    ['isNull on a field turned mixed', store.where('f').isNull(), rows((r) => r.f === null)],
    ['any() over list elements turned text', store.where('tags').any().eq('t1'), rows((r) => (r.tags as string[]).includes('t1'))],
    ['length()', store.where('tags').length().gte(2), rows((r) => r.tags.length >= 2)],
    ['field()', store.where('pair.a').gt(field('pair.b')), rows((r) => r.pair.a > r.pair.b)],
    ['a nested field', store.where('scores.alice').gte(7), rows((r) => r.scores.alice >= 7)],
  ];
}

async function storeOf(): Promise<Store<Row>> {
  return Store.fromJSON<Row>(JSON.stringify(before));
}

describe('selections made before an append that changes how their columns are stored', () => {
  it('answer for the records they were made on, through every read', async () => {
    await withStore(storeOf(), async (store) => {
      const made = selections(store);
      const olderPredicate = store.where('n');
      const values = store.values('f');
      const grouping = store.groupBy('k');
      const changedBefore = store.column('k').storage;
      await store.append(changing, { format: 'ndjson' });
      // The append did change them: else this test would check nothing new.
      expect(store.column('k').storage).not.toBe(changedBefore);
      expect(store.schema.fields!.find((f) => f.key === 'n')!.type).toBe('float');
      expect(store.schema.fields!.find((f) => f.key === 'f')!.type).toBe('mixed');
      for (const [name, selection, expected] of made) {
        expect([name, selection.count()]).toEqual([name, expected.length]);
        expect([name, [...selection.indices()]]).toEqual([name, expected]);
        expect([name, selection.first()?.n]).toEqual([name, expected.length > 0 ? before[expected[0]].n : undefined]);
      }
      const [, byK, kRows] = made[0];
      expect(byK.sum('n')).toBe(kRows.reduce((sum, row) => sum + before[row].n, 0));
      expect([...byK.orderBy('n', 'desc', { limit: 3 })]).toEqual(kRows.slice(-3).reverse());
      expect(byK.distinct('f').length).toBe(new Set(kRows.map((row) => before[row].f)).size);
      expect(made[5][1].groupBy('k').count().get('k1')).toBe(kRows.length);
      // Rows of fields rebuilt as mixed (f), whose old columns the append's compaction dropped, read as they were.
      expect(byK.toArray()).toEqual(kRows.map((row) => before[row]));
      expect([...byK].map((view) => view.f)).toEqual(kRows.map((row) => before[row].f));
      expect(byK.select(['f', 'pair.a'])).toEqual(kRows.map((row) => ({ ...(before[row].f === null ? { f: null } : { f: before[row].f }), pair: { a: before[row].pair.a } })));
      expect(values.length).toBe(before.length);
      expect(values.toArray()).toEqual(before.map((row) => row.f));
      expect([...values].slice(0, 4)).toEqual(before.slice(0, 4).map((row) => row.f));
      expect(grouping.count()).toEqual(new Map([['k0', 100], ['k1', 100], ['k2', 100]]));
      // A predicate made before the append, its operator called after it: the same snapshot's records.
      expect([...olderPredicate.gte(290).indices()]).toEqual(rows((r) => r.n >= 290));
      // The store itself answers for every record.
      expect(store.where('n').gte(290).count()).toBe(2720);
    });
  });

  it('a selection run before the append keeps its answer; one made after it holds every record', async () => {
    await withStore(storeOf(), async (store) => {
      const byK = store.where('k').eq('k1');
      expect(byK.count()).toBe(100);
      await store.append(changing, { format: 'ndjson' });
      expect(byK.count()).toBe(100);
      expect(store.where('k').eq('kind-7').count()).toBe(1);
      expect(store.where('k').eq('k1').count()).toBe(100);
    });
  });

  it('a path that no longer leads where it did is a MemstoreQueryError saying so, and combining selections of two snapshots is refused', async () => {
    await withStore(storeOf(), async (store) => {
      const anyTag = store.where('tags').any().eq('t1');
      const byK = store.where('k').eq('k1');
      await store.append('{"tags": "one string"}\n', { format: 'ndjson' });
      const error = (await caught(() => anyTag.count())) as Error;
      expect(error).toBeInstanceOf(MemstoreQueryError);
      expect(error.message).toMatch(/made before an append changed the store.*any\(\) needs a list, and "tags" is now a mixed column/);
      // The snapshot's other selections still run.
      expect(byK.count()).toBe(100);
      const combined = (await caught(() => byK.and(store.where('n').gt(3)))) as Error;
      expect(combined).toBeInstanceOf(MemstoreQueryError);
      expect(combined.message).toMatch(/either side of an append/);
    });
  });
});
