// What each column kind offers to queries, one entry per kind (SchemaType): the tests its
// operators build, whether and how it is summed, grouped, ordered, and what store.column()
// shows of it. Every query operation asks `queryKind(node)` instead of testing node classes,
// so a new column kind is one entry here (the compiler asks for it).
import type { SchemaType } from '../schema/describe';
import type { Node } from '../schema/node';
import type { BoolNode, FloatNode, IntNode, MixedNode, StringNode } from '../schema/scalars';
import type { ListNode, MapNode } from '../schema/containers';
import type { ColumnData } from './columnData';
import type { QueryContext } from './context';
import { codesTest, codeTest, equalityTest, holdsText, isJsonValue, isText, jsonEquals, numberRange, textTest, withinBounds, type Bounds } from './literals';
import { compareFloats, compareInts, compareMixed, compareStrings, orderCompared, orderFloats, orderInts, orderStrings, type RowCompare } from './sort';
import type { Target } from './target';
import type { Test } from './tests';

/** Above this many values, `in` on an int column tests a JS Set instead of one scan per value. */
const MAX_IN_SCANS = 16;

/** How group ids from WASM (assembly/aggregate.ts) turn back into key values. */
export type GroupKey = 'codes' | 'text' | 'bool' | 'int' | 'null';

/**
 * What a column compares as against another column (field()): columns of one kind compare in
 * WASM (assembly/compare.ts), a mixed column with any other in JS, a column of only nulls
 * matches nothing.
 */
export type Comparable = 'numbers' | 'strings' | 'bools' | 'mixed' | 'none';

export interface QueryKind {
  /** What the column holds, as error messages say it ("numbers", "strings"…). */
  readonly holds: string;
  /**
   * Whether a literal (neither null nor undefined) is of a type the column can hold: eq, in and
   * the ranges refuse the others with a MemstoreQueryError (they could never match).
   */
  accepts(value: unknown): boolean;
  /** Against another column (field()); null: never (structs, lists, maps). */
  readonly compares: Comparable | null;
  /** eq(value) for a literal it accepts; null: the operator cannot apply. */
  equal(context: QueryContext, target: Target, value: unknown): Test | null;
  /** gt / gte / lt / lte / between (`literals`: the one or two arguments as given, each accepted); null: the literals do not fit this column. */
  range(target: Target, bounds: Bounds, literals: readonly unknown[]): Test | null;
  /** in(values) for the literals that are neither null nor undefined (each accepted): tests to or together; undefined: one equal() per value. */
  oneOf?(context: QueryContext, target: Target, values: readonly unknown[]): readonly Test[];
  /** sum / min / max / mean: in WASM, in JS over plain values, nothing to add up, or refused (null). */
  readonly numbers: 'wasm' | 'js' | 'empty' | null;
  /** groupBy keys grouped in WASM, and how their group ids read back; null: a JS Map. */
  groupKey(node: Node): GroupKey | null;
  /** orderBy: present rows in order; null: the column cannot be ordered. */
  order: ((node: Node, rows: readonly number[], descending: boolean) => Uint32Array) | null;
  /** orderBy's top-k (`limit`): two present rows compared by value, ascending (null exactly when `order` is). */
  compare: ((node: Node) => RowCompare) | null;
  /** store.column(): the typed views this kind exposes (the others are null). */
  columnFields(node: Node, length: number): Partial<ColumnData>;
}

const none: Test = { kind: 'none' };

function jsSet(values: readonly unknown[]): Test {
  const set = new Set(values);
  return { kind: 'js', test: (value) => set.has(value) };
}

/** Structs, lists and maps: queries test their fields or elements, not them. */
const structural = (holds: string): QueryKind => ({
  holds,
  accepts: () => false,
  compares: null,
  equal: () => null,
  range: () => null,
  numbers: null,
  groupKey: () => null,
  order: null,
  compare: null,
  columnFields: () => ({}),
});

const offsets = (node: Node, length: number): Partial<ColumnData> => ({ offsets: (node.column.data as Uint32Array).subarray(0, length + 1) });

/** Numbers a column can hold: NaN is none (JSON has no NaN; `v > NaN` is false for every v, so it could only be a mistake). */
const isNumber = (value: unknown): boolean => typeof value === 'number' && !Number.isNaN(value);

function numeric(holds: string, groupKey: GroupKey | null, order: QueryKind['order'], compare: QueryKind['compare']): QueryKind {
  return {
    holds,
    accepts: isNumber,
    compares: 'numbers',
    equal: (_context, target, value) => numberRange(target.node as IntNode | FloatNode, { lo: value, loOpen: false, hi: value, hiOpen: false }),
    range: (target, bounds) => numberRange(target.node as IntNode | FloatNode, bounds),
    numbers: 'wasm',
    groupKey: () => groupKey,
    order,
    compare,
    columnFields: (node, length) => ({ values: node.column.data.subarray(0, length) as Float64Array }),
  };
}

const QUERY_KINDS: Readonly<Record<SchemaType, QueryKind>> = {
  int: {
    ...numeric('numbers', 'int', (node, rows, descending) => orderInts(node as IntNode, rows, descending), (node) => compareInts(node as IntNode)),
    oneOf: (context, target, values) => (values.length > MAX_IN_SCANS ? [jsSet(values)] : values.map((value) => QUERY_KINDS.int.equal(context, target, value)!)),
    columnFields: (node, length) => {
      const column = node.column;
      if (column.width === 0) return { base: column.base, constant: column.base };
      const data = column.data as Uint8Array | Uint16Array | Uint32Array;
      // 8-byte deltas: a BigUint64Array over the same bytes (zero-copy; JS reads u64 only as BigInts).
      const deltas = column.wide ? new BigUint64Array(data.buffer, data.byteOffset, length) : data.subarray(0, length);
      return { base: column.base, deltas };
    },
  },
  float: numeric('numbers', null, (node, rows, descending) => orderFloats(node as FloatNode, rows, descending), (node) => compareFloats(node as FloatNode)),
  // Two encodings (assembly/text.ts): dictionary codes, tested through the dictionary once per
  // distinct string, and text, whose rows are compared with the literal's bytes in WASM.
  string: {
    holds: 'strings',
    accepts: (value) => typeof value === 'string',
    compares: 'strings',
    equal: (context, target, value) => {
      const node = target.node as StringNode;
      return holdsText(node) ? textTest({ lo: value, loOpen: false, hi: value, hiOpen: false }) : equalityTest(context, target, node, value as string);
    },
    range: (target, bounds) => {
      const node = target.node as StringNode;
      return holdsText(node) ? textTest(bounds) : codeTest(node, (text) => withinBounds(text, bounds));
    },
    oneOf: (context, target, values) => {
      const node = target.node as StringNode;
      const strings = [...new Set(values as readonly string[])];
      if (!holdsText(node)) return [codesTest(context, node, strings)];
      return strings.length > MAX_IN_SCANS ? [jsSet(strings)] : strings.map((value) => QUERY_KINDS.string.equal(context, target, value)!);
    },
    numbers: null,
    groupKey: (node) => (isText(node) ? 'text' : 'codes'),
    order: (node, rows, descending) => orderStrings(node as StringNode, rows, descending),
    compare: (node) => compareStrings(node as StringNode),
    columnFields: (node, length) => {
      const string = node as StringNode;
      const column = string.column;
      if (holdsText(string)) return column.textRows();
      const dictionary = Array.from(column.dictionary, (_, code) => column.stringOfCode(code, string.engine));
      return column.width === 0 ? { dictionary, constant: dictionary[0] } : { dictionary, codes: column.data.subarray(0, length) as Uint8Array };
    },
  },
  bool: {
    holds: 'booleans',
    accepts: (value) => typeof value === 'boolean',
    compares: 'bools',
    equal: (_context, _target, value) => ({ kind: 'bool', value: value as boolean }),
    range: () => null,
    numbers: null,
    groupKey: () => 'bool',
    order: (node, rows, descending) => orderInts(node as BoolNode, rows, descending),
    compare: (node) => compareInts(node as BoolNode),
    columnFields: (node, length) => ({ bits: (node.column.data as Uint8Array).subarray(0, (length + 7) >>> 3) }),
  },
  mixed: {
    holds: 'mixed values',
    // Any value JSON can give: an object or a list literal equals a stored one of the same content.
    accepts: isJsonValue,
    compares: 'mixed',
    equal: (_context, _target, value) => ({ kind: 'js', test: typeof value === 'object' ? (stored) => jsonEquals(stored, value) : (stored) => stored === value }),
    // Only values of the literals' kind compare: numbers with numbers, strings with strings, as
    // on a number or a string column. JavaScript's own `>` coerces (gt(0) matched true, "1" and
    // [1]; lt('b') matched [1] and {"o":1}), which no typed column does. Literals of two kinds
    // (between(0, 'b')) or of neither (gt(true)) have no order to follow: a query error.
    range: (_target, bounds, literals) => {
      const kind = typeof literals[0];
      if ((kind !== 'number' && kind !== 'string') || !literals.every((bound) => typeof bound === kind)) return null;
      return { kind: 'js', test: (value) => typeof value === kind && withinBounds(value as number | string, bounds) };
    },
    oneOf: (_context, _target, values) => {
      const objects = values.filter((value) => typeof value === 'object');
      if (objects.length === 0) return [jsSet(values)];
      const set = new Set(values);
      return [{ kind: 'js', test: (stored) => set.has(stored) || (typeof stored === 'object' && objects.some((value) => jsonEquals(stored, value))) }];
    },
    numbers: 'js',
    groupKey: () => null,
    // One total order over every kind a mixed column holds (sort.ts, compareMixed).
    order: (node, rows, descending) => orderCompared(compareMixed(node as MixedNode), rows, descending),
    compare: (node) => compareMixed(node as MixedNode),
    columnFields: (node, length) => ({
      tags: (node.column.data as Uint8Array).subarray(0, length),
      payload: (node as MixedNode).column.payload.subarray(0, length),
    }),
  },
  null: {
    holds: 'only nulls',
    // No kind yet (every value so far null): any value JSON can give is taken and matches nothing.
    accepts: isJsonValue,
    compares: 'none',
    equal: () => none,
    range: () => none,
    numbers: 'empty',
    groupKey: () => 'null',
    order: () => new Uint32Array(0),
    compare: () => () => 0,
    columnFields: () => ({}),
  },
  struct: structural('struct values'),
  list: { ...structural('list values'), columnFields: (node, length) => offsets(node as ListNode, length) },
  map: { ...structural('map values'), columnFields: (node, length) => offsets(node as MapNode, length) },
};

export function queryKind(node: Node): QueryKind {
  return QUERY_KINDS[node.schemaType];
}
