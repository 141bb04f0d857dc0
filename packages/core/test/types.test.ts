// Type-level tests: a Store<T> hands out views shaped like T. The expectTypeOf assertions are
// checked by `tsc --noEmit` (part of `npm test`); each test also checks the same values at run time.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ListView, Store, type Path, type RecordView, type SchemaField, type ViewOf } from '../src/index';
import { exampleText, withStore } from './helpers';

interface Cargo {
  id: number;
  product: { name: string; uid: string };
  quantity: { value: number; id: string };
  dates: { start: string; end: string };
}

interface Order {
  id: number;
  note?: string;
  discount: number | null;
  tags: string[];
  lines: { sku: string; qty: number }[];
  grid: number[][];
  attrs: Record<string, { v: number }>;
  get: number;
}

describe('Store<T> views mirror T', () => {
  it('Store<Cargo>: attribute access is typed; toJSON() returns Cargo', async () => {
    await withStore(Store.fromJSON<Cargo>(exampleText('cargo.json')), (store) => {
      expectTypeOf(store).toEqualTypeOf<Store<Cargo>>();
      const r = store.at(0)!;
      expectTypeOf(store.at(0)).toEqualTypeOf<RecordView<Cargo> | undefined>();
      expectTypeOf(r.product.name).toEqualTypeOf<string>();
      expectTypeOf(r['product']['name']).toEqualTypeOf<string>();
      expectTypeOf(r.quantity.value).toEqualTypeOf<number>();
      expectTypeOf(r.id).toEqualTypeOf<number>();
      expectTypeOf(r.toJSON()).toEqualTypeOf<Cargo>();
      expectTypeOf(r.product.toJSON()).toEqualTypeOf<{ name: string; uid: string }>();
      expectTypeOf(r.get).parameter(0).toEqualTypeOf<Path>();
      expectTypeOf(r.get('product.name')).toEqualTypeOf<unknown>();
      expectTypeOf(store.toArray()).toEqualTypeOf<Cargo[]>();
      expectTypeOf(store.schema).toEqualTypeOf<SchemaField>();
      // Views are read-only in their type; a view is a copy of its record, so writing to one
      // (past the type) changes that view only, never the store.
      const id = r.id;
      // @ts-expect-error a view's fields cannot be assigned
      r.id = id + 1;
      expect(store.at(0)!.id).toBe(id);
      // @ts-expect-error no such field
      expect(r.nope).toBeUndefined();
      for (const record of store) {
        expectTypeOf(record).toEqualTypeOf<RecordView<Cargo>>();
        expect(typeof record.product.name).toBe('string');
        break;
      }
      expect(typeof r.product.name).toBe('string');
      expect(typeof r.quantity.value).toBe('number');
      expect(r.toJSON()).toEqual(JSON.parse(exampleText('cargo.json'))[0]);
    });
  });

  it('lists are ListViews, maps (index signatures) plain objects, optional and null fields kept', async () => {
    const order: Order = {
      id: 1,
      discount: null,
      tags: ['a'],
      lines: [{ sku: 'x', qty: 2 }],
      grid: [[1, 2]],
      attrs: { k: { v: 1 } },
      get: 3,
    };
    // Many records, each with its own attrs key: the data makes attrs a map, as its type says.
    const orders: Order[] = Array.from({ length: 40 }, (_, i) => ({ ...order, id: i, attrs: { [`k${i}`]: { v: i } } }));
    await withStore(Store.fromRecords<Order>(orders), (store) => {
      const r = store.at(0)!;
      expectTypeOf(r.tags).toEqualTypeOf<ListView<string, string>>();
      expectTypeOf(r.tags.at(0)).toEqualTypeOf<string | undefined>();
      expectTypeOf(r.tags.toJSON()).toEqualTypeOf<string[]>();
      expectTypeOf(r.lines).toEqualTypeOf<ListView<RecordView<{ sku: string; qty: number }>, { sku: string; qty: number }>>();
      expectTypeOf(r.lines.at(0)!.qty).toEqualTypeOf<number>();
      expectTypeOf(r.grid.at(0)!).toEqualTypeOf<ListView<number, number>>();
      expectTypeOf(r.attrs).toEqualTypeOf<Record<string, { v: number }>>();
      expectTypeOf(r.note).toEqualTypeOf<string | undefined>();
      expectTypeOf(r.discount).toEqualTypeOf<number | null>();
      // A field named like a view method is not an attribute: the method wins.
      expectTypeOf(r.get).toBeFunction();
      expectTypeOf<ViewOf<string[]>>().toEqualTypeOf<ListView<string, string>>();

      expect(r.tags).toBeInstanceOf(ListView);
      expect(r.tags.at(0)).toBe('a');
      expect(r.lines.at(0)!.qty).toBe(2);
      expect(r.grid.at(0)!.toJSON()).toEqual([1, 2]);
      expect(store.schema.fields!.find((f) => f.key === 'attrs')!.type).toBe('map');
      expect(r.attrs).toEqual({ k0: { v: 0 } });
      expect(Object.getPrototypeOf(r.attrs)).toBe(Object.prototype);
      expect(r.note).toBeUndefined();
      expect(r.discount).toBeNull();
      expect(r.get(['get'])).toBe(3);
    });
  });

  it("list views' array methods are typed by the element's view", async () => {
    const orders: Order[] = [{ id: 1, discount: null, tags: ['a', 'b'], lines: [{ sku: 'x', qty: 2 }, { sku: 'y', qty: 3 }], grid: [[1, 2]], attrs: {}, get: 0 }];
    await withStore(Store.fromRecords<Order>(orders), (store) => {
      const { tags, lines, grid } = store.at(0)!;
      type Line = RecordView<{ sku: string; qty: number }>;
      expectTypeOf(lines.map((line) => line.qty)).toEqualTypeOf<number[]>();
      expectTypeOf(lines.filter((line) => line.qty > 2)).toEqualTypeOf<Line[]>();
      expectTypeOf(lines.find((line) => line.sku === 'y')).toEqualTypeOf<Line | undefined>();
      expectTypeOf(lines.reduce((total, line) => total + line.qty, 0)).toEqualTypeOf<number>();
      expectTypeOf(tags.reduce((joined, tag) => joined + tag)).toEqualTypeOf<string>();
      expectTypeOf(tags.slice(1)).toEqualTypeOf<string[]>();
      expectTypeOf(tags.includes('a')).toEqualTypeOf<boolean>();
      expectTypeOf(tags.indexOf('a')).toEqualTypeOf<number>();
      expectTypeOf(tags.entries()).toEqualTypeOf<IterableIterator<[number, string]>>();
      expectTypeOf(grid.at(0)!.some((n) => n > 1)).toEqualTypeOf<boolean>();
      const strings = tags.filter((tag): tag is 'a' => tag === 'a');
      expectTypeOf(strings).toEqualTypeOf<'a'[]>();

      expect(lines.map((line) => line.qty)).toEqual([2, 3]);
      expect(lines.filter((line) => line.qty > 2).map((line) => line.sku)).toEqual(['y']);
      expect(lines.find((line) => line.sku === 'y')?.qty).toBe(3);
      expect(lines.reduce((total, line) => total + line.qty, 0)).toBe(5);
      expect(tags.reduce((joined, tag) => joined + tag)).toBe('ab');
      expect(tags.slice(1)).toEqual(['b']);
      expect(strings).toEqual(['a']);
      expect([...tags.entries()]).toEqual([[0, 'a'], [1, 'b']]);
      expect(grid.at(0)!.some((n) => n > 1)).toBe(true);
    });
  });

  it('Store without a type parameter hands out unknown', async () => {
    await withStore(Store.fromJSON('[1]'), (store) => {
      expectTypeOf(store).toEqualTypeOf<Store<unknown>>();
      expectTypeOf(store.toArray()).toEqualTypeOf<unknown[]>();
      expect(store.toArray()).toEqual([1]);
    });
  });
});
