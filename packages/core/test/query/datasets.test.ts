// The example datasets: every query equals the same computation over store.toArray() in plain JS.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/node';
import { expectClose, expectSameMap, refGroups, refOrder, refSelect, refTotals, scalarPath } from './reference';

const examples = (name: string) => fileURLToPath(new URL(`../../../../examples/${name}`, import.meta.url));

interface Cargo {
  id: number;
  product: { name: string; uid: string };
  quantity: { value: number; id: string };
  dates: { start: string; end: string };
}

interface Shipment {
  product: string;
  type: number;
  date_range: { start_date: string; end_date: string };
  id: number;
  income: number;
}

const rowsWhere = <T>(records: readonly T[], test: (record: T) => boolean) => records.flatMap((record, row) => (test(record) ? [row] : []));

describe('cargo.json', () => {
  let store: Store<Cargo>;
  let plain: Cargo[];

  beforeAll(async () => {
    store = await Store.fromFile<Cargo>(examples('cargo.json'));
    plain = store.toArray();
    expect(plain).toEqual(JSON.parse(readFileSync(examples('cargo.json'), 'utf8')));
  });
  afterAll(() => store.dispose());

  it("counts product.name == \"Elec'sOil\" and finds the first match", () => {
    const selection = store.where('product.name').eq("Elec'sOil");
    const rows = rowsWhere(plain, (r) => r.product.name === "Elec'sOil");
    expect(selection.count()).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
    expect(Array.from(selection.indices())).toEqual(rows);
    expect(store.where('product.name').eq("Elec'sOil").first()?.toJSON()).toEqual(plain[rows[0]]);
    expect(store.where('product.name').eq("Elec'sOil").first()?.id).toBe(plain[rows[0]].id);
    expect(store.where('product.name').eq('Elec').count()).toBe(0);
    expect(store.where('product.name').eq('Elec').first()).toBeUndefined();
  });

  it('id of the first record, and first() of a match-all selection', () => {
    expect(store.at(0)?.id).toBe(plain[0].id);
    expect(store.where('id').gte(-Infinity).first()?.id).toBe(plain[0].id);
    expect(store.where('quantity.id').eq('mt').first()?.id).toBe(plain[0].id);
    expect(store.where('quantity.id').eq('mt').count()).toBe(plain.length);
    expect(store.where('quantity.id').eq('kg').count()).toBe(0);
  });

  it('sum / min / max / mean of quantity.value, over the store and a selection', () => {
    const ref = refTotals(plain, scalarPath('quantity.value'));
    expect(store.sum('quantity.value')).toBe(ref.sum);
    expect(store.min('quantity.value')).toBe(ref.min);
    expect(store.max('quantity.value')).toBe(ref.max);
    expectClose(store.mean('quantity.value'), ref.mean, 'mean');
    const rows = rowsWhere(plain, (r) => r.product.name === 'Duper');
    const some = refTotals(plain, scalarPath('quantity.value'), rows);
    const duper = store.where('product.name').eq('Duper');
    expect(duper.sum('quantity.value')).toBe(some.sum);
    expect(duper.min('quantity.value')).toBe(some.min);
    expect(duper.max('quantity.value')).toBe(some.max);
    expectClose(duper.mean('quantity.value'), some.mean, 'Duper mean');
  });

  it('groupBy product.name: count, sum and mean of quantity.value', () => {
    const ref = refGroups(plain, 'product.name', 'quantity.value');
    const grouping = store.groupBy('product.name');
    expectSameMap(grouping.count(), ref.count, 'count', true);
    expectSameMap(grouping.sum('quantity.value'), ref.sum, 'sum', true);
    expectSameMap(grouping.mean('quantity.value'), ref.mean, 'mean');
    // Over a selection: first-seen order among the selected rows.
    const rows = rowsWhere(plain, (r) => r.quantity.value > 1500);
    const some = refGroups(plain, 'product.name', 'quantity.value', rows);
    const selected = store.where('quantity.value').gt(1500).groupBy('product.name');
    expectSameMap(selected.count(), some.count, 'selected count', true);
    expectSameMap(selected.sum('quantity.value'), some.sum, 'selected sum', true);
    expectSameMap(selected.mean('quantity.value'), some.mean, 'selected mean');
    expectSameMap(store.groupBy('product.uid').count(), refGroups(plain, 'product.uid', null).count, 'uid', true);
  });

  it('orderBy id, quantity.value and product.name, asc and desc', () => {
    for (const path of ['id', 'quantity.value', 'product.name', 'dates.start']) {
      for (const direction of ['asc', 'desc'] as const) {
        expect(Array.from(store.orderBy(path, direction)), `${path} ${direction}`).toEqual(refOrder(plain, path, direction));
      }
    }
    const rows = rowsWhere(plain, (r) => r.product.uid === 'super123');
    expect(Array.from(store.where('product.uid').eq('super123').orderBy('quantity.value', 'desc'))).toEqual(refOrder(plain, 'quantity.value', 'desc', rows));
  });

  it("select(['id', 'product.name'])", () => {
    const selection = store.where('quantity.value').lt(1100);
    const rows = rowsWhere(plain, (r) => r.quantity.value < 1100);
    const projected = selection.select(['id', 'product.name']);
    expect(projected).toEqual(rows.map((row) => refSelect(plain[row], ['id', 'product.name'])));
    expect(projected[0]).toEqual({ id: plain[rows[0]].id, product: { name: plain[rows[0]].product.name } });
  });

  it('in(), between(), string gt/lte and combinations', () => {
    const check = (got: Uint32Array, test: (r: Cargo) => boolean, what: string) => expect(Array.from(got), what).toEqual(rowsWhere(plain, test));
    check(store.where('product.name').in(['Duper', 'Super', 'nope']).indices(), (r) => ['Duper', 'Super', 'nope'].includes(r.product.name), 'in names');
    const ids = plain.filter((_, i) => i % 97 === 0).map((r) => r.id);
    check(store.where('id').in(ids.slice(0, 10)).indices(), (r) => ids.slice(0, 10).includes(r.id), 'in 10 ids');
    check(store.where('id').in(ids).indices(), (r) => ids.includes(r.id), `in ${ids.length} ids`);
    check(store.where('quantity.value').between(1200, 1400).indices(), (r) => r.quantity.value >= 1200 && r.quantity.value <= 1400, 'between');
    check(store.where('quantity.value').between(1200.5, 1400.5).indices(), (r) => r.quantity.value >= 1200.5 && r.quantity.value <= 1400.5, 'between fractional');
    check(store.where('product.name').gt('Elec').indices(), (r) => r.product.name > 'Elec', 'string gt');
    check(store.where('product.name').lte('Super').indices(), (r) => r.product.name <= 'Super', 'string lte');
    check(store.where('dates.end').between('2200-11-12', '2200-11-13T99').indices(), (r) => r.dates.end >= '2200-11-12' && r.dates.end <= '2200-11-13T99', 'string between');
    check(
      store.where('product.name').eq('Duper').and('quantity.value').gt(1500).or('product.uid').eq('newpr9032').indices(),
      (r) => (r.product.name === 'Duper' && r.quantity.value > 1500) || r.product.uid === 'newpr9032',
      'and/or',
    );
    check(store.where('product.name').eq('Duper').not().indices(), (r) => r.product.name !== 'Duper', 'not');
  });
});

describe('shipments.json (6000 distinct product uuids in 6000 rows: text, compressed)', () => {
  let store: Store<Shipment>;
  let plain: Shipment[];

  beforeAll(async () => {
    store = await Store.fromFile<Shipment>(examples('shipments.json'));
    plain = store.toArray();
    expect(plain).toEqual(JSON.parse(readFileSync(examples('shipments.json'), 'utf8')));
  });
  afterAll(() => store.dispose());

  it('product, never repeating, is stored as text, compressed (FSST): offsets and bytes decoded, no dictionary', () => {
    const column = store.column('product');
    // 216 KB of hex uuids: past Limit.FsstFrom, and their pieces repeat across rows.
    expect(column.storage).toBe('fsst');
    expect(store.memory().columns.find((c) => c.path === 'product')!.bytes).toBeLessThan(6000 * 36 * 0.8);
    expect(column.codes).toBeNull();
    expect(column.offsets).toBeInstanceOf(Uint32Array);
    expect(new TextDecoder().decode(column.bytes!.subarray(column.offsets![1], column.offsets![2]))).toBe(plain[1].product);
    expect(column.toArray()).toEqual(plain.map((r) => r.product));
  });

  it('eq / in / gt on a uuid', () => {
    for (const row of [0, 1, 4321, plain.length - 1]) {
      const uuid = plain[row].product;
      const rows = rowsWhere(plain, (r) => r.product === uuid);
      expect(Array.from(store.where('product').eq(uuid).indices()), uuid).toEqual(rows);
      expect(store.where('product').eq(uuid).first()?.id).toBe(plain[rows[0]].id);
    }
    const some = [plain[10].product, plain[2000].product, 'not-a-uuid'];
    expect(Array.from(store.where('product').in(some).indices())).toEqual(rowsWhere(plain, (r) => some.includes(r.product)));
    const pivot = plain[77].product;
    expect(Array.from(store.where('product').gt(pivot).indices())).toEqual(rowsWhere(plain, (r) => r.product > pivot));
    expect(store.where('product').lt('8').and('type').eq(3).count()).toBe(rowsWhere(plain, (r) => r.product < '8' && r.type === 3).length);
  });

  it('groupBy type: count, sum and mean of income', () => {
    const ref = refGroups(plain, 'type', 'income');
    const grouping = store.groupBy('type');
    expectSameMap(grouping.count(), ref.count, 'count', true);
    expectSameMap(grouping.sum('income'), ref.sum, 'sum', true);
    expectSameMap(grouping.mean('income'), ref.mean, 'mean');
    const rows = rowsWhere(plain, (r) => r.income < 500);
    expectSameMap(store.where('income').lt(500).groupBy('type').count(), refGroups(plain, 'type', null, rows).count, 'selected', true);
    expectSameMap(store.groupBy('product').count(), refGroups(plain, 'product', null).count, 'by product', true);
  });

  it('orderBy product (strings) and income, aggregates of income', () => {
    for (const direction of ['asc', 'desc'] as const) {
      expect(Array.from(store.orderBy('product', direction))).toEqual(refOrder(plain, 'product', direction));
      expect(Array.from(store.orderBy('income', direction))).toEqual(refOrder(plain, 'income', direction));
    }
    const ref = refTotals(plain, scalarPath('income'));
    expect(store.sum('income')).toBe(ref.sum);
    expect(store.min('income')).toBe(ref.min);
    expect(store.max('income')).toBe(ref.max);
    expectClose(store.mean('income'), ref.mean, 'mean');
  });
});
