// The query operations on the cargo records — count, sum, group-by, first (early and late), id,
// dates — each as memstore, plain-object (and DuckDB) variants, with the plain-JS helpers they use.
import type { Store } from '@memstore/core';
import { fmtInt } from '../cli';
import type { Cargo } from '../datasets';
import { duckAnswer, duckVariant, type Duck } from './duckdb';
import type { Operation } from './operation';

const NAME = "Elec'sOil";

/** The operations on one store and the plain objects of the same records (`duck`: the same in DuckDB, or null). */
export function cargoOperations(records: readonly Cargo[], store: Store<Cargo>, n: number, duck: Duck | null): Operation[] {
  // first (late match): the last record whose id occurs once, so both sides scan (nearly) every row.
  const idCounts = new Map<number, number>();
  for (const r of records) idCounts.set(r.id, (idCounts.get(r.id) ?? 0) + 1);
  let lateIndex = n - 1;
  while (lateIndex > 0 && idCounts.get(records[lateIndex].id) !== 1) lateIndex--;
  const lateId = records[lateIndex].id;
  idCounts.clear();

  const FIRST_CALLS = Math.max(1, Math.min(10_000, n));
  const firstId = records[0].id;
  // A selection is a lazy query: built once, first() still scans (from the top) on every call.
  const reused = store.where('product.name').eq(NAME);
  // What the query API's layers cost: the same search written against the store's raw columns
  // (zero-copy views; no presence checks needed, as neither column has null or missing rows).
  const names = store.column('product.name');
  const ids = store.column('id');
  const idBase = ids.base!;
  const idDeltas = ids.deltas;
  const nameCodes = names.codes!;
  const nameCode = names.dictionary!.indexOf(NAME);
  if (names.nulls !== null || names.missing !== null) throw new Error('product.name has absent rows: the hand-written search would need presence checks');
  if (idDeltas === null || idDeltas instanceof BigUint64Array) throw new Error(`id is stored as ${ids.storage}: the hand-written search reads deltas of 1 to 4 bytes`);
  const handWrittenFirstId = () => {
    for (let row = 0; row < nameCodes.length; row++) if (nameCodes[row] === nameCode) return idBase + idDeltas[row];
    return -1;
  };
  const ID_CALLS = 100_000;
  return [
    {
      key: 'count',
      title: `count where product.name = ${JSON.stringify(NAME)}`,
      calls: 1,
      target: { vsPlain: 20, beatDuckdb: true },
      variants: [
        { impl: 'memstore', code: `store.where('product.name').eq(NAME).count()`, run: () => store.where('product.name').eq(NAME).count() },
        { impl: 'plain', code: 'records.filter((r) => r.product.name === NAME).length', run: () => records.filter((r) => r.product.name === NAME).length },
        ...duckVariant(duck, "SELECT count(*) FROM t WHERE product.name = 'Elec''sOil'"),
      ],
      answers: [
        { impl: 'memstore', answer: () => store.where('product.name').eq(NAME).count() },
        { impl: 'plain', answer: () => records.filter((r) => r.product.name === NAME).length },
        ...duckAnswer(duck, "SELECT count(*) FROM t WHERE product.name = 'Elec''sOil'", (rows) => Number(rows[0][0])),
      ],
    },
    {
      key: 'sum',
      title: 'sum of quantity.value',
      calls: 1,
      target: { vsPlain: 5, beatDuckdb: true },
      variants: [
        { impl: 'memstore', code: `store.sum('quantity.value')`, run: () => store.sum('quantity.value') },
        { impl: 'plain', code: 'for (let i = 0; i < n; i++) s += records[i].quantity.value', run: () => plainSum(records) },
        ...duckVariant(duck, 'SELECT sum(quantity.value) FROM t'),
      ],
      answers: [
        { impl: 'memstore', answer: () => store.sum('quantity.value') },
        { impl: 'plain', answer: () => plainSum(records) },
        ...duckAnswer(duck, 'SELECT sum(quantity.value) FROM t', (rows) => Number(rows[0][0])),
      ],
    },
    {
      key: 'group-by',
      title: 'group by product.name, count',
      calls: 1,
      target: { vsPlain: 10, beatDuckdb: true },
      variants: [
        { impl: 'memstore', code: `store.groupBy('product.name').count()`, run: () => store.groupBy('product.name').count() },
        { impl: 'plain', code: 'for (…) m.set(k, (m.get(k) ?? 0) + 1)', run: () => plainGroupCount(records) },
        ...duckVariant(duck, 'SELECT product.name, count(*) FROM t GROUP BY product.name'),
      ],
      answers: [
        { impl: 'memstore', answer: () => sortedEntries(store.groupBy<string>('product.name').count()) },
        { impl: 'plain', answer: () => sortedEntries(plainGroupCount(records)) },
        ...duckAnswer(duck, 'SELECT product.name, count(*) FROM t GROUP BY product.name', (rows) =>
          sortedEntries(new Map(rows.map((row) => [String(row[0]), Number(row[1])]))),
        ),
      ],
    },
    {
      key: 'group-by-2',
      title: 'group by product.name and dates.start, count',
      calls: 1,
      target: { vsPlain: 10, beatDuckdb: false },
      note: 'two dictionary-coded keys: their codes combined per row into one number (no string per row), counted in a dense table of 5 × 5 slots',
      variants: [
        { impl: 'memstore', code: `store.groupBy('product.name', 'dates.start').count()`, run: () => store.groupBy('product.name', 'dates.start').count() },
        { impl: 'plain', code: "for (const r of records) { const k = r.product.name + '\\u0000' + r.dates.start; m.set(k, (m.get(k) ?? 0) + 1) }", run: () => plainGroupCount2(records) },
      ],
      answers: [
        { impl: 'memstore', answer: () => sortedEntries(joinedKeys(store.groupBy('product.name', 'dates.start').count())) },
        { impl: 'plain', answer: () => sortedEntries(plainGroupCount2(records)) },
      ],
    },
    {
      key: 'top-10',
      title: 'top 10 records by quantity.value (descending; ties in record order)',
      calls: 1,
      target: { vsPlain: 10, beatDuckdb: false },
      note: 'orderBy with a limit keeps the first 10 in a bounded heap over the column (one compare per row with the heap\'s last); the plain side sorts every record (a stable sort, so ties keep record order on both sides)',
      variants: [
        { impl: 'memstore', code: `store.orderBy('quantity.value', 'desc', { limit: 10 })`, run: () => store.orderBy('quantity.value', 'desc', { limit: 10 }) },
        {
          impl: 'memstore',
          code: `Array.from(store.orderBy('quantity.value', 'desc', { limit: 10 }), (i) => store.at(i)) (as views)`,
          run: () => Array.from(store.orderBy('quantity.value', 'desc', { limit: 10 }), (i) => store.at(i)),
        },
        { impl: 'plain', code: 'records.slice().sort((a, b) => b.quantity.value - a.quantity.value).slice(0, 10)', run: () => plainTop(records) },
      ],
      answers: [
        { impl: 'memstore', answer: () => Array.from(store.orderBy('quantity.value', 'desc', { limit: 10 }), (i) => store.at(i)!.id) },
        { impl: 'memstore', answer: () => Array.from(store.orderBy('quantity.value', 'desc', { limit: 10 }), (i) => store.at(i)!.id) },
        { impl: 'plain', answer: () => plainTop(records).map((r) => r.id) },
      ],
    },
    {
      key: 'first',
      title: `first record with product.name = ${JSON.stringify(NAME)}`,
      calls: FIRST_CALLS,
      target: { vsPlain: 1, beatDuckdb: false },
      note:
        `the first match is record ${records.findIndex((r) => r.product.name === NAME)}. ` +
        'The one-shot query builds its predicate, test and selection, then makes one WASM call (first() has one path: ' +
        'no rows are tested in JS first); the selection built once pays the WASM call alone',
      variants: [
        {
          impl: 'memstore',
          code: `store.where('product.name').eq(NAME).first()`,
          run: () => {
            let s = 0;
            for (let c = 0; c < FIRST_CALLS; c++) s ^= store.where('product.name').eq(NAME).first()!.id;
            return s;
          },
        },
        {
          impl: 'memstore',
          code: `sel.first(), sel = store.where('product.name').eq(NAME) built once`,
          run: () => {
            let s = 0;
            for (let c = 0; c < FIRST_CALLS; c++) s ^= reused.first()!.id;
            return s;
          },
        },
        {
          impl: 'memstore',
          code: 'hand-written loop over store.column() arrays (no query API): codes[row] === code, then base + deltas[row]',
          run: () => {
            let s = 0;
            for (let c = 0; c < FIRST_CALLS; c++) s ^= handWrittenFirstId();
            return s;
          },
        },
        {
          impl: 'plain',
          code: 'records.find((r) => r.product.name === NAME)',
          run: () => {
            let s = 0;
            for (let c = 0; c < FIRST_CALLS; c++) s ^= records.find((r) => r.product.name === NAME)!.id;
            return s;
          },
        },
      ],
      answers: [
        { impl: 'memstore', answer: () => store.where('product.name').eq(NAME).first()?.id },
        { impl: 'memstore', answer: () => reused.first()?.id },
        { impl: 'memstore', answer: () => handWrittenFirstId() },
        { impl: 'plain', answer: () => records.find((r) => r.product.name === NAME)?.id },
      ],
    },
    {
      key: 'first-late',
      title: `first record with id = ${lateId} (a late match: record ${fmtInt(lateIndex)})`,
      calls: 1,
      target: null,
      note: 'not a target: shows first() when the scan, not the call, is the cost',
      variants: [
        { impl: 'memstore', code: `store.where('id').eq(ID).first()`, run: () => store.where('id').eq(lateId).first()?.id },
        { impl: 'plain', code: 'records.find((r) => r.id === ID)', run: () => records.find((r) => r.id === lateId)?.id },
      ],
      answers: [
        { impl: 'memstore', answer: () => store.where('id').eq(lateId).first()?.id },
        { impl: 'plain', answer: () => records.find((r) => r.id === lateId)?.id },
      ],
    },
    {
      key: 'id',
      title: 'id of the first record',
      calls: ID_CALLS,
      target: { vsPlain: 1, beatDuckdb: false },
      note:
        'the loop alone is the floor under both: what each read adds is its time minus the loop\'s. ' +
        'records[0].id is a property load V8 keeps in registers across iterations; store.at(0).id checks the row ' +
        'against the store\'s length and reads a typed array over WASM memory (map, detached-buffer and bounds checks) on every call',
      variants: [
        {
          impl: 'memstore',
          code: 'store.at(0).id',
          run: () => {
            let s = 0;
            for (let c = 0; c < ID_CALLS; c++) s ^= store.at(0)!.id;
            return s;
          },
        },
        {
          impl: 'plain',
          code: 'records[0].id',
          run: () => {
            let s = 0;
            for (let c = 0; c < ID_CALLS; c++) s ^= records[0].id;
            return s;
          },
        },
        {
          impl: 'loop',
          code: 'the loop alone: s ^= ID',
          run: () => {
            let s = 0;
            for (let c = 0; c < ID_CALLS; c++) s ^= firstId;
            return s;
          },
        },
      ],
      answers: [
        { impl: 'memstore', answer: () => store.at(0)!.id },
        { impl: 'plain', answer: () => records[0].id },
      ],
    },
    {
      key: 'dates',
      title: 'collect every record\'s dates',
      calls: 1,
      target: null,
      note:
        'no target; "speed vs plain" is against records.map. The eager memstore list allocates a view per record and one for its ' +
        'dates, and keeps them all (most of its time is GC: they outlive the young generation); the plain lists only copy ' +
        'references to objects that already exist. store.values() is O(1): it defers every read to .at(i)',
      variants: [
        { impl: 'memstore', code: 'Array.from({ length: n }, (_, i) => store.at(i).dates)', run: () => Array.from({ length: n }, (_, i) => store.at(i)!.dates).length },
        { impl: 'memstore', code: `store.values('dates') (lazy: nothing read yet)`, run: () => store.values('dates').length },
        { impl: 'plain', code: 'records.map((r) => r.dates)', run: () => records.map((r) => r.dates).length },
        { impl: 'plain', code: 'Array.from({ length: n }, (_, i) => records[i].dates)', run: () => Array.from({ length: n }, (_, i) => records[i].dates).length },
      ],
      answers: [
        { impl: 'memstore', answer: () => datesFacts(Array.from({ length: n }, (_, i) => store.at(i)!.dates)) },
        { impl: 'memstore', answer: () => datesFacts(Array.from(store.values<Cargo['dates']>('dates'))) },
        { impl: 'plain', answer: () => datesFacts(records.map((r) => r.dates)) },
        { impl: 'plain', answer: () => datesFacts(Array.from({ length: n }, (_, i) => records[i].dates)) },
      ],
    },
  ];
}

function plainSum(records: readonly Cargo[]): number {
  let s = 0;
  for (let i = 0; i < records.length; i++) s += records[i].quantity.value;
  return s;
}

function plainGroupCount(records: readonly Cargo[]): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    const k = records[i].product.name;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

function plainGroupCount2(records: readonly Cargo[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of records) {
    const k = r.product.name + '\u0000' + r.dates.start;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** A composite-key Map (keys: [name, start]) keyed as the plain loop keys it. */
function joinedKeys(map: Map<unknown, number>): Map<string, number> {
  return new Map([...map].map(([key, count]) => [(key as string[]).join('\u0000'), count]));
}

function plainTop(records: readonly Cargo[]): Cargo[] {
  return records.slice().sort((a, b) => b.quantity.value - a.quantity.value).slice(0, 10);
}

function sortedEntries(map: Map<unknown, number>): Array<[string, number]> {
  return [...map].map(([k, v]): [string, number] => [String(k), v]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Length, and the first and last dates as plain JSON: enough to tell two lists of the same records apart. */
function datesFacts(list: ReadonlyArray<Cargo['dates'] | undefined>): unknown {
  const plain = (d: Cargo['dates'] | undefined) => (d === undefined ? null : { start: d.start, end: d.end });
  return { length: list.length, first: plain(list[0]), last: plain(list[list.length - 1]) };
}
