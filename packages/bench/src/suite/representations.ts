// The representations the suite times, each built from a dataset's file in the child, and the
// operations on each (null where a representation has no way to do one). Every operation returns
// an answer, compared with plain objects' answer: a representation that disagrees is an error.
//   plain      JSON.parse objects (NDJSON: per line), loops written as a JS programmer would
//   class      instances of classes generated from the schema (@memstore/cli), the same loops
//   interned   those classes with shared strings and sub-objects, the same loops
//   memstore   the query API (where/count, sum, groupBy, orderBy with a limit, selections)
//   memstore-attr / memstore-key   record views read by attribute (r.a.b) / by key (r['a']['b'])
//   arrow      an apache-arrow Table (store.toArrow()), column loops over its vectors
//   duckdb     an in-memory DuckDB table from read_json_auto, one SQL statement per operation
//   typed      the hand-written floor: a Float64Array of the number, Int32Array codes of the strings
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { compileClasses, Interner, plainRecords } from '@memstore/cli';
import { Store } from '@memstore/core';
import { DataType, type Field, type Table, type Vector } from 'apache-arrow';
import type { DatasetSpec, Key } from './datasets';

export const OPERATIONS = ['read', 'sum', 'count', 'group-by count', 'filter to list', 'full iteration', 'top-10'] as const;
export type OperationName = (typeof OPERATIONS)[number];
export type Answer = number | string;
export type Operations = Partial<Record<OperationName, () => Answer | Promise<Answer>>>;

export interface Representation {
  name: string;
  operations: Operations;
}

const TOP = 10;

/** A compiled reader of a key path on plain objects (what `r.a.b` is, for any keys). */
function reader(path: Key[]): (record: unknown) => unknown {
  return new Function('r', `return r${path.map((key) => `?.[${JSON.stringify(key)}]`).join('')};`) as (record: unknown) => unknown;
}

const isNumber = (value: unknown): value is number => typeof value === 'number';

/** The answer of a group count: groups, and the sum of squared counts (order-free, exact). */
function groupAnswer(counts: Iterable<number>): string {
  let groups = 0;
  let squares = 0;
  for (const count of counts) {
    groups++;
    squares += count * count;
  }
  return `${groups} groups, Σcount² ${squares}`;
}

function topAnswer(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0);
}

/** The ten largest numbers, one pass keeping a sorted array of ten. */
function topOf(each: (visit: (value: number) => void) => void): number[] {
  const top: number[] = [];
  each((value) => {
    if (top.length === TOP && value <= top[TOP - 1]) return;
    let at = top.length < TOP ? top.length : TOP - 1;
    while (at > 0 && top[at - 1] < value) {
      if (at < TOP) top[at] = top[at - 1];
      at--;
    }
    top[at] = value;
  });
  return top;
}

/**
 * Non-null leaves of a record: plain objects and class instances (a field holding undefined is one
 * the record lacks), record views (Object.keys of a struct view are its record's; a list view
 * iterates its elements, as an array does), Arrow rows. Nulls are not counted: Arrow's rows hold a
 * null for every field a record lacks (206 columns an event), so only non-null leaves are an answer
 * every representation can give.
 */
function leaves(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'object') return 1;
  let count = 0;
  if (Symbol.iterator in value) for (const element of value as Iterable<unknown>) count += leaves(element);
  else for (const key of Object.keys(value)) count += leaves((value as Record<string, unknown>)[key]);
  return count;
}

/** Operations written over JS objects: plain, class and interned share them. */
function objectOperations(records: readonly unknown[], spec: DatasetSpec): Operations {
  const num = reader(spec.num);
  const filterValue = reader(spec.filter.path);
  const group = reader(spec.group);
  const sum = () => {
    let total = 0;
    for (const record of records) {
      const value = num(record);
      if (isNumber(value)) total += value;
    }
    return total;
  };
  return {
    read: sum,
    sum,
    count: () => {
      let count = 0;
      for (const record of records) if (filterValue(record) === spec.filter.value) count++;
      return count;
    },
    'group-by count': () => {
      const counts = new Map<unknown, number>();
      for (const record of records) {
        const key = group(record);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return groupAnswer(counts.values());
    },
    'filter to list': () => {
      const list = records.filter((record) => filterValue(record) === spec.filter.value);
      return `${list.length} records`;
    },
    'full iteration': () => {
      let count = 0;
      for (const record of records) count += leaves(record);
      return count;
    },
    'top-10': () =>
      topAnswer(
        topOf((visit) => {
          for (const record of records) {
            const value = num(record);
            if (isNumber(value)) visit(value);
          }
        }),
      ),
  };
}

function memstoreOperations(store: Store, spec: DatasetSpec): Operations {
  const numPath = spec.num;
  const filterPath = spec.filter.path;
  return {
    sum: () => store.sum(numPath),
    count: () => store.where(filterPath).eq(spec.filter.value).count(),
    'group-by count': () => groupAnswer(store.groupBy(spec.group).count().values()),
    'filter to list': () => `${store.where(filterPath).eq(spec.filter.value).toArray().length} records`,
    'top-10': () => {
      const rows = store.orderBy(numPath, 'desc', { limit: TOP });
      let total = 0;
      for (const row of rows) {
        const value = store.get(row, numPath);
        if (isNumber(value)) total += value;
      }
      return total;
    },
  };
}

function viewOperations(store: Store, spec: DatasetSpec, byKey: boolean): Operations {
  // By attribute: the path's keys as property reads, compiled (r.a.b is r["a"]["b"] to V8 either
  // way); by key: the same reads written as a loop over the keys, as code that takes a path does.
  const num = byKey
    ? (record: unknown) => {
        let value = record;
        for (const key of spec.num) value = (value as Record<string, unknown> | undefined)?.[key];
        return value;
      }
    : reader(spec.num);
  const operations: Operations = {
    read: () => {
      let total = 0;
      for (const record of store) {
        const value = num(record);
        if (isNumber(value)) total += value;
      }
      return total;
    },
  };
  // Walking every key of every record is the same walk either way: timed once, by attribute.
  if (!byKey)
    operations['full iteration'] = () => {
      let count = 0;
      for (const record of store) count += leaves(record);
      return count;
    };
  return operations;
}

/**
 * Non-null leaves of an Arrow value, walked by its type: a struct's fields by name, except the
 * Bool companions memstore adds where a field has both nulls and missing keys (ARROW.md:
 * `memstore:role` `missing`; they are not the record's leaves), a list's elements by its child type.
 */
function arrowLeaves(value: unknown, fields: readonly Field[]): number {
  if (value === null || value === undefined) return 0;
  let count = 0;
  for (const field of fields) {
    if (field.metadata.get('memstore:role') === 'missing') continue;
    count += arrowValueLeaves((value as Record<string, unknown>)[field.name], field.type);
  }
  return count;
}

function arrowValueLeaves(value: unknown, type: DataType): number {
  if (value === null || value === undefined) return 0;
  if (DataType.isStruct(type)) return arrowLeaves(value, type.children);
  if (DataType.isList(type)) {
    let count = 0;
    for (const element of value as Iterable<unknown>) count += arrowValueLeaves(element, type.children[0].type);
    return count;
  }
  return leaves(value);
}

/** An Arrow column by key path: getChild at the top, then the struct's children. */
function arrowColumn(table: Table, path: Key[]): Vector {
  let vector = table.getChild(path[0]);
  for (const key of path.slice(1)) vector = vector?.getChild(key) ?? null;
  if (vector === null || vector === undefined) throw new Error(`no Arrow column at ${path.join('.')}`);
  return vector;
}

function arrowOperations(table: Table, spec: DatasetSpec): Operations {
  const num = arrowColumn(table, spec.num);
  const filter = arrowColumn(table, spec.filter.path);
  const group = arrowColumn(table, spec.group);
  const numbers = (visit: (value: number) => void) => {
    for (const value of num) {
      const n = typeof value === 'bigint' ? Number(value) : value;
      if (isNumber(n)) visit(n);
    }
  };
  const sum = () => {
    let total = 0;
    numbers((value) => (total += value));
    return total;
  };
  const matches = () => {
    const rows: number[] = [];
    let row = 0;
    for (const value of filter) {
      if ((typeof value === 'bigint' ? Number(value) : value) === spec.filter.value) rows.push(row);
      row++;
    }
    return rows;
  };
  return {
    read: sum,
    sum,
    count: () => matches().length,
    'group-by count': () => {
      const counts = new Map<unknown, number>();
      for (const value of group) {
        const key = typeof value === 'bigint' ? Number(value) : value;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return groupAnswer(counts.values());
    },
    'filter to list': () => `${matches().map((row) => table.get(row)).length} records`,
    'full iteration': () => {
      let count = 0;
      for (const row of table) count += arrowLeaves(row, table.schema.fields);
      return count;
    },
    'top-10': () => topAnswer(topOf(numbers)),
  };
}

function duckOperations(connection: DuckDBConnection, spec: DatasetSpec): Operations {
  const column = (path: Key[]) => path.slice(1).reduce((expression, key) => `struct_extract(${expression}, '${key.replace(/'/g, "''")}')`, `"${path[0].replace(/"/g, '""')}"`);
  const literal = typeof spec.filter.value === 'number' ? String(spec.filter.value) : `'${spec.filter.value.replace(/'/g, "''")}'`;
  const one = async (sql: string) => Number((await connection.runAndReadAll(sql)).getRows()[0][0] ?? 0);
  const num = column(spec.num);
  const where = `${column(spec.filter.path)} = ${literal}`;
  return {
    sum: () => one(`SELECT sum(${num}) FROM t`),
    count: () => one(`SELECT count(*) FROM t WHERE ${where}`),
    'group-by count': async () => groupAnswer((await connection.runAndReadAll(`SELECT count(*) FROM t GROUP BY ${column(spec.group)}`)).getRows().map((row) => Number(row[0]))),
    'filter to list': async () => `${(await connection.runAndReadAll(`SELECT * FROM t WHERE ${where}`)).getRows().length} records`,
    'top-10': async () => topAnswer((await connection.runAndReadAll(`SELECT ${num} FROM t WHERE ${num} IS NOT NULL ORDER BY ${num} DESC LIMIT ${TOP}`)).getRows().map((row) => Number(row[0]))),
  };
}

function typedOperations(records: readonly unknown[], spec: DatasetSpec): Operations {
  // The floor, written by hand for these three columns: what any representation must at least pay.
  const n = records.length;
  const num = new Float64Array(n);
  const filterCodes = new Int32Array(n);
  const groupCodes = new Int32Array(n);
  const readNum = reader(spec.num);
  const readFilter = reader(spec.filter.path);
  const readGroup = reader(spec.group);
  const filterDictionary = new Map<unknown, number>();
  const groupDictionary = new Map<unknown, number>();
  const code = (dictionary: Map<unknown, number>, value: unknown) => {
    let found = dictionary.get(value);
    if (found === undefined) dictionary.set(value, (found = dictionary.size));
    return found;
  };
  for (let i = 0; i < n; i++) {
    const value = readNum(records[i]);
    num[i] = isNumber(value) ? value : Number.NaN;
    filterCodes[i] = code(filterDictionary, readFilter(records[i]));
    groupCodes[i] = code(groupDictionary, readGroup(records[i]));
  }
  const wanted = filterDictionary.get(spec.filter.value) ?? -1;
  const sum = () => {
    let total = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(num[i])) total += num[i];
    return total;
  };
  return {
    read: sum,
    sum,
    count: () => {
      let count = 0;
      for (let i = 0; i < n; i++) if (filterCodes[i] === wanted) count++;
      return count;
    },
    'group-by count': () => {
      const counts = new Int32Array(groupDictionary.size);
      for (let i = 0; i < n; i++) counts[groupCodes[i]]++;
      return groupAnswer(counts);
    },
    'filter to list': () => {
      let count = 0;
      const rows = new Int32Array(n);
      for (let i = 0; i < n; i++) if (filterCodes[i] === wanted) rows[count++] = i;
      return `${count} records`;
    },
    'top-10': () =>
      topAnswer(
        topOf((visit) => {
          for (let i = 0; i < n; i++) if (!Number.isNaN(num[i])) visit(num[i]);
        }),
      ),
  };
}

export const REPRESENTATION_NAMES = ['plain', 'class', 'interned', 'memstore', 'memstore-attr', 'memstore-key', 'arrow', 'duckdb', 'typed'] as const;

/**
 * The representations of the file named in `only` (all by default), built in this process. Only
 * what they need is made: the plain records for plain, class, interned and typed (dropped once
 * those are built unless plain is wanted), the store for memstore, its views, Arrow and the classes' schema.
 */
export async function buildRepresentations(file: string, spec: DatasetSpec, only: readonly string[] = REPRESENTATION_NAMES): Promise<{ records: number; representations: Representation[]; close: () => void }> {
  const wants = (name: string) => only.includes(name);
  let records: unknown[] | null = ['plain', 'class', 'interned', 'typed'].some(wants) ? await plainRecords(file) : null;
  const store = ['memstore', 'memstore-attr', 'memstore-key', 'arrow', 'class', 'interned'].some(wants) ? await Store.fromFile(file) : null;
  const count = records?.length ?? store?.length ?? 0;
  const representations: Representation[] = [];
  if (wants('plain')) representations.push({ name: 'plain', operations: objectOperations(records!, spec) });
  if (wants('class')) {
    const convert = compileClasses(store!.schema);
    representations.push({ name: 'class', operations: objectOperations(records!.map((record) => convert(record)), spec) });
  }
  if (wants('interned')) {
    const interner = new Interner();
    const convert = compileClasses(store!.schema, interner);
    const interned = records!.map((record) => convert(record));
    interner.clear();
    representations.push({ name: 'interned', operations: objectOperations(interned, spec) });
  }
  if (wants('memstore')) representations.push({ name: 'memstore', operations: memstoreOperations(store!, spec) });
  if (wants('memstore-attr')) representations.push({ name: 'memstore-attr', operations: viewOperations(store!, spec, false) });
  if (wants('memstore-key')) representations.push({ name: 'memstore-key', operations: viewOperations(store!, spec, true) });
  if (wants('arrow')) representations.push({ name: 'arrow', operations: arrowOperations(store!.toArrow(), spec) });
  let connection: DuckDBConnection | null = null;
  if (wants('duckdb')) {
    connection = await (await DuckDBInstance.create(':memory:')).connect();
    await connection.run(`CREATE TABLE t AS SELECT * FROM read_json_auto('${file.replace(/'/g, "''")}')`);
    representations.push({ name: 'duckdb', operations: duckOperations(connection, spec) });
  }
  if (wants('typed')) representations.push({ name: 'typed', operations: typedOperations(records!, spec) });
  if (!wants('plain')) records = null;
  return {
    records: count,
    representations,
    close: () => {
      connection?.closeSync();
      store?.dispose();
    },
  };
}
