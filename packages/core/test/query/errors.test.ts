// Query errors: unknown paths (with suggestions), operators on the wrong type, list paths
// without any(), and use after dispose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemstoreDisposedError, MemstoreError, MemstorePathError, MemstoreQueryError, Store } from '../../src/node';

const records = [
  { id: 1, name: 'a', score: 1.5, flag: true, nested: { a: 1, b: 'x' }, tags: ['t'], items: [{ p: 1 }], mixed: 1, product: { name: 'Duper' } },
  { id: 2, name: 'b', score: null, flag: false, nested: null, tags: [], items: [{ p: 2.5 }, { p: null }], mixed: 'two', product: { name: 'Super' } },
  { id: 3, score: 3, nested: { a: null, b: 'y' }, items: [], mixed: true },
];

/** Runs `run`, expects an error of `type`, and returns it for more checks. */
function caught<E extends Error>(type: abstract new (...args: never[]) => E, run: () => unknown): E {
  let error: unknown;
  try {
    run();
  } catch (thrown) {
    error = thrown;
  }
  expect(error, 'expected a throw').toBeInstanceOf(type);
  return error as E;
}

describe('errors', () => {
  let store: Store<(typeof records)[number]>;
  beforeAll(async () => {
    store = await Store.fromRecords(records);
  });
  afterAll(() => store.dispose());

  it('unknown paths throw MemstorePathError naming the path, with the closest paths as suggestions', () => {
    const error = caught(MemstorePathError, () => store.where('nmae'));
    expect(error.path).toBe('nmae');
    expect(error.message).toContain('nmae');
    expect(error.suggestions).toContain('name');
    expect(error.code).toBe('PATH');

    const nested = caught(MemstorePathError, () => store.where('product.nme'));
    expect(nested.suggestions[0]).toBe('product.name');
    expect(nested.message).toContain('product.nme');

    for (const run of [
      () => store.sum('scroe'),
      () => store.min('scroe'),
      () => store.max('scroe'),
      () => store.mean('scroe'),
      () => store.groupBy('scroe'),
      () => store.groupBy('name').sum('scroe'),
      () => store.groupBy('name').mean('scroe'),
      () => store.orderBy('scroe'),
      () => store.column('scroe'),
      () => store.where('id').eq(1).and('scroe'),
      () => store.where('id').eq(1).or('scroe'),
      () => store.where('id').eq(1).where('scroe'),
      () => store.where('id').eq(1).sum('scroe'),
      () => store.where('id').eq(1).select(['id', 'scroe']),
    ]) {
      const error = caught(MemstorePathError, run);
      expect(error.message).toContain('scroe');
      expect(error.suggestions).toContain('score');
    }
    expect(caught(MemstorePathError, () => store.where('nested.a.deeper')).message).toContain('nested.a.deeper');
    expect(caught(MemstorePathError, () => store.where('zzzzzzzzzz')).suggestions).toEqual([]);
  });

  it('operators on the wrong type throw MemstoreQueryError naming the path', () => {
    const cases: Array<[string, () => unknown]> = [
      ['name', () => store.where('name').gt(5)],
      ['name', () => store.where('name').between(1, 2)],
      ['score', () => store.where('score').gt('a')],
      ['id', () => store.where('id').lte('9')],
      ['flag', () => store.where('flag').gt(0)],
      ['nested', () => store.where('nested').eq(1)],
      ['nested', () => store.where('nested').in([{ a: 1, b: 'x' }])],
      ['nested', () => store.where('nested').gt(1)],
      ['tags', () => store.where('tags').eq('t')],
      ['name', () => store.sum('name')],
      ['name', () => store.min('name')],
      ['name', () => store.max('name')],
      ['name', () => store.mean('name')],
      ['flag', () => store.sum('flag')],
      ['nested', () => store.sum('nested')],
      ['tags', () => store.sum('tags')],
      ['name', () => store.where('id').gt(0).sum('name')],
      ['name', () => store.groupBy('id').sum('name')],
      ['flag', () => store.groupBy('id').mean('flag')],
      ['tags', () => store.orderBy('tags')],
      ['nested', () => store.orderBy('nested')],
      ['nested', () => store.column('nested')],
      ['name', () => store.where('name').any()],
      ['name', () => store.where('name').length()],
      ['items.p', () => store.where('items').length().eq(1).and('items.p').gt(0)],
    ];
    for (const [path, run] of cases) {
      const error = caught(MemstoreQueryError, run);
      expect(error.message, String(run)).toContain(`"${path}"`);
      expect(error.path).toBe(path);
      expect(error.code).toBe('QUERY');
    }
  });

  it('a path through a list without any() throws MemstoreQueryError', () => {
    for (const run of [
      () => store.where('items.p').eq(1),
      () => store.where('items.p').gt(1),
      () => store.where('items.p').in([1, 2]),
      () => store.where('items.p').isNull(),
      () => store.where('items.p').isMissing(),
      () => store.where('items.p').between(0, 1),
      () => store.where('id').eq(1).or('items.p').eq(1),
      () => store.groupBy('items.p'),
      () => store.groupBy('id').sum('items.p'),
      () => store.orderBy('items.p'),
    ]) {
      const error = caught(MemstoreQueryError, run);
      expect(error.message).toContain('items.p');
    }
    // With any() (or on the list itself) the same paths work.
    expect(store.where('items.p').any().eq(1).count()).toBe(1);
    expect(store.where('items').length().eq(0).count()).toBe(1);
    expect(store.sum('items.p')).toBe(3.5);
    // select() of a path inside a list is refused as a query error too.
    expect(caught(MemstoreError, () => store.where('id').eq(1).select(['items.p'])).code).toBe('QUERY');
  });

  it('bad arguments throw MemstoreInputError naming the argument', () => {
    expect(caught(MemstoreError, () => store.orderBy('id', 'up' as 'asc'))).toMatchObject({ code: 'INPUT', path: 'direction' });
    expect(caught(MemstoreError, () => store.where('id').in(5 as unknown as number[]))).toMatchObject({ code: 'INPUT', path: 'values' });
    expect(caught(MemstoreError, () => store.where('tags').length().gt(NaN))).toMatchObject({ code: 'INPUT', path: 'n' });
  });

  it('selections of two stores do not combine', async () => {
    const other = await Store.fromRecords(records);
    expect(caught(MemstoreError, () => store.where('id').eq(1).and(other.where('id').eq(1) as never)).code).toBe('QUERY');
    other.dispose();
  });
});

describe('use after dispose', () => {
  it('throws MemstoreDisposedError from the store, its selections, groupings and predicates', async () => {
    const store = await Store.fromRecords(records);
    const fresh = store.where('id').gt(1);
    const evaluated = store.where('id').gt(1);
    expect(evaluated.count()).toBe(2);
    expect(evaluated.first()?.id).toBe(2);
    const grouping = store.groupBy('name');
    const predicate = store.where('name');
    const view = store.at(0)!;
    store.dispose();
    expect(store.disposed).toBe(true);

    for (const run of [
      () => store.where('id'),
      () => store.sum('id'),
      () => store.min('id'),
      () => store.max('id'),
      () => store.mean('id'),
      () => store.groupBy('id'),
      () => store.orderBy('id'),
      () => store.column('id'),
      () => store.toArray(),
      () => store.at(0),
      () => store.at(-1),
      () => store.get(0, 'id'),
      () => [...store],
      () => fresh.count(),
      () => fresh.first(),
      () => fresh.indices(),
      () => fresh.toArray(),
      () => [...fresh],
      () => fresh.select(['id']),
      () => fresh.sum('id'),
      () => fresh.groupBy('id'),
      () => fresh.orderBy('id'),
      () => fresh.and('id'),
      () => fresh.or(evaluated),
      () => fresh.not().count(),
      () => evaluated.count(),
      () => evaluated.first(),
      () => evaluated.indices(),
      () => evaluated.mean('id'),
      () => grouping.count(),
      () => grouping.sum('id'),
      () => predicate.eq('a').count(),
      () => view.get('id'),
      () => view.toJSON(),
    ]) {
      caught(MemstoreDisposedError, run);
    }
    // dispose() twice is harmless.
    store.dispose();
  });
});
