// Errors of the grouping and ordering entries added for issue 12: typed, naming the path or the
// argument and the offending value; and a disposed store refuses them all.
import { describe, expect, it } from 'vitest';
import { MemstoreDisposedError, MemstoreInputError, MemstorePathError, MemstoreQueryError, Store } from '../../src/node';

const records = [
  { id: 1, name: 'a', nested: { a: 1 }, tags: ['t'], items: [{ p: 1 }], mixed: 1 },
  { id: 2, name: 'b', nested: null, tags: [], items: [{ p: 2 }], mixed: 'two' },
];

describe('groupBy, distinct, countDistinct and orderBy errors', () => {
  it('name the path, the argument and the value', async () => {
    const store = await Store.fromRecords(records);
    try {
      expect(() => store.groupBy()).toThrow(MemstoreQueryError);
      for (const run of [() => store.groupBy('name', 'items.p'), () => store.distinct('items.p'), () => store.groupBy('name').countDistinct('items.p')]) {
        expect(run).toThrow(MemstoreQueryError);
        expect(run).toThrow('"items.p"');
      }
      expect(() => store.groupBy('name', 'nmae')).toThrow(MemstorePathError);
      expect(() => store.distinct('nmae')).toThrow(MemstorePathError);
      expect(() => store.groupBy('name').countDistinct('nmae')).toThrow(MemstorePathError);
      for (const limit of [-1, 1.5, '3', Number.NaN]) {
        expect(() => store.orderBy('id', 'asc', { limit: limit as number })).toThrow(MemstoreInputError);
        expect(() => store.orderBy('id', 'asc', { limit: limit as number })).toThrow(`options.limit must be a non-negative integer, got ${typeof limit === 'string' ? JSON.stringify(limit) : String(limit)}`);
      }
      expect(() => store.orderBy('id', 'asc', 3 as never)).toThrow(MemstoreInputError);
      expect(() => store.orderBy('nested', 'asc', { limit: 1 })).toThrow('"nested" holds struct values');
      expect(() => store.orderBy('tags', 'desc', { limit: 1 })).toThrow('"tags" holds list values');
      // countDistinct takes any kind of value (struct ones by deep equality), not only numbers.
      expect(store.groupBy('mixed').countDistinct('nested')).toStrictEqual(new Map<unknown, number>([[1, 1], ['two', 0]]));
    } finally {
      store.dispose();
    }
  });

  it('refuse a disposed store, and a grouping or selection made before dispose', async () => {
    const store = await Store.fromRecords(records);
    const grouping = store.groupBy('name', 'id');
    const selection = store.where('id').gt(0);
    store.dispose();
    for (const run of [() => store.groupBy('name', 'id'), () => store.distinct('name'), () => store.orderBy('id', 'asc', { limit: 1 }), () => grouping.count(), () => grouping.countDistinct('id'), () => selection.distinct('name'), () => selection.orderBy('id', 'asc', { limit: 1 })]) {
      expect(run).toThrow(MemstoreDisposedError);
    }
  });
});
