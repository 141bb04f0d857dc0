// After dispose(), everything a store handed out throws MemstoreDisposedError: the store, record
// and list views, iterators mid-iteration, selections, predicates, groupings, value lists and
// column views. The table below takes one of each before dispose; each case walks its object
// reflectively (own members and the prototype chain's methods and getters), so a member added
// later without the liveness check fails here without anyone listing it. A second walk, over a
// live store, calls every member and collects the kinds of object they hand out: a new kind
// that is not in the table fails too. Plain data already copied out (arrays, Maps, numbers,
// the schema) stays as it was.
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { MemstoreDisposedError, Store } from '../src/index';
import '../src/arrow/index';

/** An Arrow table's rows as JSON (Arrow JS's own getters). */
const arrowRows = (table: Table): unknown => JSON.parse(JSON.stringify(table.toArray(), (_key, value) => (typeof value === 'bigint' ? Number(value) : value)));

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Eight records, so `attrs` (32 keys, each in one object) is stored as a map. */
const records = Array.from({ length: 8 }, (_, i) => ({
  id: i,
  kind: 'cargo', // a constant string column
  version: 3, // a constant int column
  name: ['a', 'b', 'c'][i % 3],
  price: i + 0.5,
  ok: i % 2 === 0,
  note: null,
  mixed: [1, 'two', true, { n: [i] }][i % 4],
  product: { name: `p${i}`, dims: i % 2 === 1 ? { w: i } : null },
  items: [{ q: i, label: 'x' }, ...(i % 2 === 1 ? [{ q: -i, label: null }] : [])],
  tags: i === 3 ? [] : ['x', String(i)],
  attrs: Object.fromEntries([0, 1, 2, 3].map((k) => [`k${i * 4 + k}`, k])),
  ...(i === 5 ? {} : { maybe: i }), // missing in one record: a missing bitmap
}));

/**
 * Arguments for members that take some, by name. Each is valid on a live store too (the
 * discovery walk below calls them), and a member missing here is called with none: after
 * dispose it must still throw MemstoreDisposedError before it looks at its arguments.
 */
const ARGS: Record<string, unknown[]> = {
  at: [0],
  get: ['id'],
  map: [(element: unknown) => element],
  and: ['tags'],
  or: ['tags'],
  where: ['tags'],
  select: [['id']],
  sum: ['price'],
  min: ['price'],
  max: ['price'],
  mean: ['price'],
  groupBy: ['name'],
  distinct: ['name'],
  countDistinct: ['price'],
  orderBy: ['id'],
  column: ['id'],
  values: ['id'],
  append: [[{ id: 99 }]],
  eq: [1],
  in: [[1]],
  gt: [1],
  gte: [1],
  lt: [1],
  lte: [1],
  between: [0, 2],
  isNull: [0],
  isMissing: [0],
};

type Live = Store<any>;
type AnyObject = Record<PropertyKey, any>;

interface Case {
  name: string;
  /** The class users get (constructor.name): the discovery walk checks the table covers every one. */
  kind: string;
  /** What the error message names: the object's kind as users know it. */
  names: string;
  take(store: Live): object;
  /** TypeScript-private members: not API, not walked (each must exist, so the list cannot rot). */
  internal?: readonly string[];
  /** Public members that still answer after dispose, with what they answer and why that is right. */
  pure?: Readonly<Record<PropertyKey, { value: unknown; why: string }>>;
  /**
   * A record view: its own enumerable data properties are the record's fields, copied when the
   * view was made (plain data already copied out): after dispose they hold what they held.
   */
  record?: true;
  /** Per-case arguments, where ARGS's do not fit. */
  args?: Readonly<Record<string, unknown[]>>;
  /** Members the walk must reach: a check on the walk itself. */
  reaches: readonly PropertyKey[];
}

const STORE_INTERNAL = ['engine', 'state', 'appending', 'snapshot', 'appendNow', 'settleAppend', 'appendRecords', 'atSlow', 'assertLive', 'working', 'currentRoot', 'keyFields', 'keyedBy', 'appendParsed', 'fitted', 'fit', 'rootView', 'mirror', 'exclusively'];
const RECORD_ITERATOR_INTERNAL = ['row', 'read', 'last', 'engine', 'count'];
const ELEMENT_ITERATOR_INTERNAL = ['index', 'engine', 'what', 'count', 'read'];
const SELECTION_INTERNAL = ['bits', 'matches', 'context', 'expression', 'combine', 'evaluated', 'made', 'operator', 'a', 'b', 'rebuilt', 'rebuiltFor', 'expressionIn', 'remake', 'current', 'rebuiltNow'];
const PREDICATE_INTERNAL = ['context', 'resolved', 'left', 'join', 'quantified', 'target', 'finish', 'replay', 'call', 'expression', 'leaf', 'equalTest', 'range', 'wrongType', 'missing'];
const GROUPING_INTERNAL = ['context', 'keys', 'selection', 'valueTarget', 'run', 'runWasm', 'runCombined', 'runJs', 'result', 'groupKeys'];
const COLUMN_MEMBERS = ['path', 'type', 'storage', 'length', 'values', 'base', 'deltas', 'constant', 'bits', 'codes', 'dictionary', 'offsets', 'tags', 'payload', 'nulls', 'missing', 'isNull', 'isMissing', 'toArray'];

/** One case per kind of column: the view is one class, but each kind fills different fields. */
function columnCase(path: string, kind: string): Case {
  return { name: `column view: ${kind} (${path})`, kind: 'ColumnView', names: 'column', take: (store) => store.column(path), internal: ['live'], reaches: COLUMN_MEMBERS };
}

function midIteration(iterable: Iterable<unknown>): Iterator<unknown> {
  const iterator = iterable[Symbol.iterator]();
  iterator.next();
  return iterator;
}

const CASES: readonly Case[] = [
  {
    name: 'store',
    kind: 'Store',
    names: 'store',
    take: (store) => store,
    internal: STORE_INTERNAL,
    pure: {
      disposed: { value: true, why: 'says the store is disposed: the one question a disposed store answers' },
      dispose: { value: undefined, why: 'a second dispose() is harmless (tested below)' },
    },
    args: { get: [0, 'id'] },
    reaches: ['length', 'schema', 'at', 'get', Symbol.iterator, 'toArray', 'column', 'values', 'where', 'sum', 'groupBy', 'distinct', 'orderBy', 'memory', 'append'],
  },
  { name: 'record view', kind: 'RecordView', names: 'record view', record: true, take: (store) => store.at(0), reaches: ['id', 'product', 'items', 'tags', 'attrs', 'mixed', 'get', 'toJSON'] },
  { name: 'record view of a nested struct', kind: 'RecordView', names: 'record view', record: true, take: (store) => store.at(1).product, reaches: ['name', 'dims', 'get', 'toJSON'] },
  { name: 'record view of a list element', kind: 'RecordView', names: 'record view', record: true, take: (store) => store.at(1).items.at(1), reaches: ['q', 'label', 'get', 'toJSON'] },
  ...['strings', 'structs'].map((of): Case => ({
    name: `list view of ${of}`,
    kind: 'ListView',
    names: 'list view',
    take: (store) => (of === 'strings' ? store.at(0).tags : store.at(1).items),
    pure: { [Symbol.toStringTag]: { value: 'ListView', why: 'the class name, for Object.prototype.toString: no data' } },
    reaches: ['length', 'at', Symbol.iterator, 'map', 'filter', 'find', 'findIndex', 'some', 'every', 'includes', 'indexOf', 'lastIndexOf', 'slice', 'forEach', 'reduce', 'join', 'entries', 'keys', 'values', 'toString', 'toJSON'],
  })),
  { name: 'store iterator, mid-iteration', kind: 'RecordIterator', names: 'iterator', take: (store) => midIteration(store), internal: RECORD_ITERATOR_INTERNAL, reaches: ['next', Symbol.iterator] },
  { name: 'list view iterator, mid-iteration', kind: 'ElementIterator', names: 'list view', take: (store) => midIteration(store.at(0).tags), internal: ELEMENT_ITERATOR_INTERNAL, reaches: ['next', Symbol.iterator] },
  { name: 'value list iterator, mid-iteration', kind: 'ElementIterator', names: 'value list', take: (store) => midIteration(store.values('product.name')), internal: ELEMENT_ITERATOR_INTERNAL, reaches: ['next', Symbol.iterator] },
  { name: 'selection iterator, mid-iteration', kind: 'ElementIterator', names: 'selection', take: (store) => midIteration(store.where('id').gt(1)), internal: ELEMENT_ITERATOR_INTERNAL, reaches: ['next', Symbol.iterator] },
  { name: 'value list (store.values)', kind: 'LazyValues', names: 'value list', take: (store) => store.values('product.name'), internal: ['root', 'keys', 'count'], reaches: ['length', 'at', Symbol.iterator, 'toArray'] },
  {
    name: 'selection, not yet evaluated',
    kind: 'Selection',
    names: 'selection',
    take: (store) => store.where('name').eq('a'),
    internal: SELECTION_INTERNAL,
    reaches: ['and', 'or', 'where', 'not', 'count', 'first', 'indices', 'toArray', Symbol.iterator, 'select', 'sum', 'min', 'max', 'mean', 'groupBy', 'distinct', 'orderBy'],
  },
  {
    // Its bitmap is kept in JS: count() and first() used to answer from it without asking the store.
    name: 'selection, evaluated',
    kind: 'Selection',
    names: 'selection',
    take: (store) => {
      const selection = store.where('id').gt(1);
      selection.indices();
      return selection;
    },
    internal: SELECTION_INTERNAL,
    reaches: ['count', 'first', 'indices', 'toArray', Symbol.iterator, 'not'],
  },
  {
    name: 'predicate',
    kind: 'Predicate',
    names: 'predicate',
    take: (store) => store.where('name'),
    internal: PREDICATE_INTERNAL,
    reaches: ['any', 'length', 'eq', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'isNull', 'isMissing'],
  },
  { name: 'predicate inside a list (any())', kind: 'Predicate', names: 'predicate', take: (store) => store.where('items.q').any(), internal: PREDICATE_INTERNAL, reaches: ['eq', 'gt', 'in'] },
  { name: 'length predicate', kind: 'LengthPredicate', names: 'predicate', take: (store) => store.where('tags').length(), internal: ['leaf', 'bounds'], reaches: ['eq', 'gt', 'gte', 'lt', 'lte', 'between'] },
  { name: 'grouping', kind: 'Grouping', names: 'grouping', take: (store) => store.groupBy('name'), internal: GROUPING_INTERNAL, reaches: ['count', 'sum', 'mean', 'countDistinct'] },
  { name: 'grouping of a selection', kind: 'Grouping', names: 'grouping', take: (store) => store.where('id').gt(1).groupBy('ok'), internal: GROUPING_INTERNAL, reaches: ['count', 'sum', 'mean', 'countDistinct'] },
  columnCase('id', 'int'),
  columnCase('version', 'constant int'),
  columnCase('price', 'float'),
  columnCase('ok', 'bool'),
  columnCase('name', 'string'),
  columnCase('kind', 'constant string'),
  columnCase('note', 'null'),
  columnCase('mixed', 'mixed'),
  columnCase('maybe', 'int with missing rows'),
  columnCase('tags', 'list'),
  columnCase('attrs', 'map'),
  columnCase('items.q', 'int inside a list'),
  columnCase('items.label', 'string with nulls inside a list'),
];

interface Member {
  key: PropertyKey;
  descriptor: PropertyDescriptor;
}

/** Own members and the prototype chain's, each as the object sees it (nearest definition first). */
function membersOf(object: object): Member[] {
  const seen = new Set<PropertyKey>();
  const members: Member[] = [];
  for (let at: object | null = object; at !== null && at !== Object.prototype; at = Object.getPrototypeOf(at)) {
    for (const key of Reflect.ownKeys(at)) {
      if (seen.has(key)) continue;
      seen.add(key);
      const descriptor = Object.getOwnPropertyDescriptor(at, key)!;
      // A class's own constructor is not a member; a record field named "constructor" is a getter.
      if (key === 'constructor' && descriptor.get === undefined) continue;
      // Module-private symbols (memstore.row, memstore.list…): users' code cannot name them.
      if (typeof key === 'symbol' && key.description?.startsWith('memstore.')) continue;
      members.push({ key, descriptor });
    }
  }
  return members;
}

/** Reads or calls one member (with ARGS, or the case's own); a promise is awaited. */
async function use(object: AnyObject, { key, descriptor }: Member, args: Readonly<Record<string, unknown[]>>): Promise<unknown> {
  if (descriptor.get !== undefined || typeof descriptor.value !== 'function') return Reflect.get(object, key);
  const name = typeof key === 'string' ? key : '';
  // Own entries only: ARGS.toString would be Object.prototype's.
  const given = Object.hasOwn(args, name) ? args[name] : Object.hasOwn(ARGS, name) ? ARGS[name] : [];
  return await object[key](...given);
}

type Outcome = { threw: true; error: unknown } | { threw: false; value: unknown };

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { threw: false, value: await run() };
  } catch (error) {
    return { threw: true, error };
  }
}

const label = (key: PropertyKey): string => (typeof key === 'symbol' ? `[${key.description}]` : String(key));

describe('after dispose(), everything the store handed out throws MemstoreDisposedError', () => {
  let store: Live;
  const taken = new Map<string, object>();
  /** Each record view's fields as a spread copied them before dispose. */
  const fields = new Map<string, AnyObject>();
  /** Plain data read before dispose, with a deep copy of each to compare against afterwards. */
  let copied: Array<{ what: string; data: unknown; copy: unknown }>;
  /** Every typed array of every column view, taken out before dispose. */
  let arrays: Array<{ what: string; array: ArrayBufferView & { length: number } }>;
  let dictionary: readonly string[];
  /** A table toArrow() made before dispose: Arrow JS objects over copies, read again afterwards. */
  let arrowTable: Table;

  beforeAll(async () => {
    store = await Store.fromRecords(records);
    for (const entry of CASES) taken.set(entry.name, entry.take(store));
    for (const entry of CASES) if (entry.record) fields.set(entry.name, { ...taken.get(entry.name) });
    expect(store.column('attrs').type).toBe('map'); // the map case is a map
    copied = [
      { what: 'toArray()', data: store.toArray() },
      { what: 'schema', data: store.schema },
      { what: 'memory()', data: store.memory() },
      { what: 'selection count()', data: store.where('id').gt(1).count() },
      { what: 'selection indices()', data: store.where('id').gt(1).indices() },
      { what: 'selection toArray()', data: store.where('id').gt(1).toArray() },
      { what: 'orderBy()', data: store.orderBy('name', 'desc') },
      { what: 'groupBy().count()', data: store.groupBy('name').count() },
      { what: 'record view toJSON()', data: store.at(3).toJSON() },
      { what: 'column toArray()', data: store.column('id').toArray() },
      // An Arrow table's buffers are copies of the columns (src/arrow/toArrow.ts): its rows, read as JSON.
      { what: 'toArrow()', data: arrowRows(store.toArrow()) },
      { what: 'toArrowIPC()', data: store.toArrowIPC() },
    ].map((entry) => ({ ...entry, copy: structuredClone(entry.data) }));
    arrowTable = store.toArrow();
    arrays = [];
    for (const entry of CASES.filter((c) => c.kind === 'ColumnView')) {
      const column = taken.get(entry.name) as AnyObject;
      for (const field of ['values', 'deltas', 'bits', 'codes', 'offsets', 'tags', 'payload', 'nulls', 'missing']) {
        if (column[field] !== null) arrays.push({ what: `${entry.name}.${field}`, array: column[field] });
      }
    }
    dictionary = store.column('name').dictionary!;
    store.dispose();
  });

  it.each(CASES)('$name: every member throws, but for those listed as pure data', async (entry) => {
    const object = taken.get(entry.name) as AnyObject;
    expect(object.constructor.name, 'the case takes the kind it says').toBe(entry.kind);
    const members = membersOf(object);
    const keys = new Set(members.map((member) => member.key));
    for (const key of entry.reaches) expect(keys.has(key), `the walk reaches ${label(key)}`).toBe(true);
    for (const key of entry.internal ?? []) expect(keys.has(key), `internal member ${key} exists`).toBe(true);

    const answered: string[] = [];
    for (const member of members) {
      const { key } = member;
      if (typeof key === 'string' && entry.internal?.includes(key)) continue;
      const result = await outcome(() => use(object, member, entry.args ?? {}));
      // Own entries only: a member named like an Object.prototype one (toString) is no pure entry.
      const pure = entry.pure !== undefined && Object.hasOwn(entry.pure, key) ? entry.pure[key] : undefined;
      if (key === INSPECT) {
        // console.log must not throw on a disposed object, nor show stale data: it says disposed.
        expect(result.threw, 'inspect does not throw').toBe(false);
        expect(String((result as { value: unknown }).value)).toMatch(/disposed/);
        continue;
      }
      if (pure !== undefined) {
        expect(result, `${label(key)} (${pure.why})`).toEqual({ threw: false, value: pure.value });
        continue;
      }
      if (entry.record && Object.hasOwn(object, key) && 'value' in member.descriptor) {
        expect(result.threw, `${label(key)}: a field, copied when the view was made`).toBe(false);
        expect((result as { value: unknown }).value, `${label(key)} holds what it held`).toBe(fields.get(entry.name)![key as string]);
        continue;
      }
      if (!result.threw) {
        answered.push(`${label(key)} answered`);
        continue;
      }
      const error = result.error;
      if (!(error instanceof MemstoreDisposedError)) answered.push(`${label(key)} threw ${String(error)}`);
      else expect(error.message, `${label(key)}'s message names the ${entry.names}`).toContain(`memstore ${entry.names}`);
    }
    // Each line names a member that did not throw MemstoreDisposedError: give it the liveness
    // check (engine.assertLive), or, if it is TypeScript-private, list it in the case's `internal`.
    expect(answered).toEqual([]);
  });

  it('inspecting a disposed object says so (util.inspect, console.log)', () => {
    for (const name of ['record view', 'list view of strings', 'value list (store.values)', 'column view: int (id)']) {
      expect(inspect(taken.get(name)), name).toMatch(/^'?\[disposed memstore /);
    }
  });

  it('typed arrays taken out of column views read as empty: dispose detached the memory they view', () => {
    expect(arrays.length).toBeGreaterThan(10);
    for (const { what, array } of arrays) {
      expect(array.length, what).toBe(0);
      expect(array.byteLength, what).toBe(0);
    }
    // A dictionary is a JS array of strings: one taken out stays as it was.
    expect(dictionary).toEqual(['a', 'b', 'c']);
  });

  it('plain data read before dispose stays as it was (copies, not views of the store\'s memory)', () => {
    for (const { what, data, copy } of copied) expect(data, what).toEqual(copy);
    expect(arrowRows(arrowTable)).toEqual(copied.find((entry) => entry.what === 'toArrow()')!.data);
    expect(copied.find((entry) => entry.what === 'toArray()')!.data).toEqual(records);
  });

  it('dispose() twice is harmless, and the store still says it is disposed', () => {
    expect(store.disposed).toBe(true);
    expect(store.dispose()).toBeUndefined();
    expect(store.disposed).toBe(true);
    expect(() => store.length).toThrow(MemstoreDisposedError);
  });
});

describe('the table covers every kind of object a store hands out', () => {
  /** The memstore objects inside a value: itself if it is one, else those in its plain parts. */
  function objectsIn(value: unknown, found: object[], depth = 0): void {
    if (value === null || typeof value !== 'object' || depth > 6) return;
    const proto = Object.getPrototypeOf(value);
    if (Array.isArray(value)) for (const element of value) objectsIn(element, found, depth + 1);
    else if (value instanceof Map) for (const [key, element] of value) objectsIn([key, element], found, depth + 1);
    else if (proto === Object.prototype || proto === null) for (const element of Object.values(value)) objectsIn(element, found, depth + 1);
    else if (!ArrayBuffer.isView(value) && !(value instanceof Promise)) found.push(value);
  }

  it('calling every member of every object reached from a live store hands out only kinds in the table', async () => {
    const store = await Store.fromRecords(records);
    const byKind = new Map<string, Case>();
    for (const entry of CASES) if (!byKind.has(entry.kind)) byKind.set(entry.kind, entry);
    const reached = new Map<string, string>([['Store', 'the store']]);
    const queue: Array<{ object: AnyObject; via: string }> = [{ object: store, via: 'store' }];
    while (queue.length > 0) {
      const { object, via } = queue.shift()!;
      const entry = byKind.get(object.constructor.name);
      for (const member of membersOf(object)) {
        const name = typeof member.key === 'string' ? member.key : '';
        // Appending and disposing would change the store the walk reads; internals are not API;
        // toArrow() hands out Arrow JS's own objects over copied buffers (plain data, checked above).
        if (name === 'append' || name === 'dispose' || name === 'toArrow' || entry?.internal?.includes(name)) continue;
        const result = await outcome(() => use(object, member, entry?.args ?? {}));
        if (result.threw) continue; // a member refusing these arguments hands out nothing
        const found: object[] = [];
        objectsIn(result.value, found);
        for (const handed of found) {
          const kind = handed.constructor.name;
          if (reached.has(kind)) continue;
          reached.set(kind, `${via}.${label(member.key)}`);
          queue.push({ object: handed as AnyObject, via: `${via}.${label(member.key)}` });
        }
      }
    }
    store.dispose();
    // A kind listed here but missing from the table is handed out with no dispose case: add one.
    expect(Object.fromEntries([...reached].filter(([kind]) => !byKind.has(kind)))).toEqual({});
    // And the walk reaches every kind in the table, so it is not vacuous.
    expect([...reached.keys()].sort()).toEqual([...byKind.keys()].sort());
  });
});
