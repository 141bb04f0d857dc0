// A tiny plain-JS reference for the query API, written from the issue contract only: every
// query over a store must equal the same computation over `store.toArray()` done here.
import { expect } from 'vitest';
import { MemstorePathError, MemstoreQueryError, type Predicate, type Selection, type Store } from '../../src/node';
import { refOrderJson, sortedJson } from './groupsReference';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Rec = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;

export function keysOf(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

/** The value at `keys`: own properties only; undefined through null, absent or non-objects. */
export function getPath(value: unknown, keys: readonly string[]): unknown {
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (!hasOwn.call(value, key)) return undefined;
    value = (value as Rec)[key];
  }
  return value;
}

/**
 * A query path split at its (single) list: `items.p` is list `items`, inner `p`; `tags` is list
 * `tags`, inner []. `list: null` for paths of the records.
 */
export interface PathSpec {
  readonly path: string;
  readonly list: readonly string[] | null;
  readonly inner: readonly string[];
}

export function scalarPath(path: string): PathSpec {
  return { path, list: null, inner: keysOf(path) };
}

export function listPath(list: string, inner: string[] = []): PathSpec {
  return { path: [list, ...inner].join('.'), list: keysOf(list), inner };
}

/** Values at `spec` for one record: one value for record paths, one per element through a list. */
export function valuesOf(record: unknown, spec: PathSpec): unknown[] {
  if (spec.list === null) return [getPath(record, spec.inner)];
  const list = getPath(record, spec.list);
  return Array.isArray(list) ? list.map((element) => getPath(element, spec.inner)) : [];
}

// ---- predicates --------------------------------------------------------------------------

export type Op =
  | { readonly op: 'eq'; readonly value: unknown }
  | { readonly op: 'in'; readonly values: readonly unknown[] }
  | { readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly value: number | string }
  | { readonly op: 'between'; readonly lo: number | string; readonly hi: number | string }
  | { readonly op: 'isNull' | 'isMissing' };

export interface Leaf {
  readonly kind: 'leaf';
  readonly spec: PathSpec;
  /** 'value': the value itself (record paths); 'any': .any() over elements; 'length': .length() of the list. */
  readonly mode: 'value' | 'any' | 'length';
  readonly op: Op;
}

export type Expr =
  | Leaf
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr; /** right leaf given as sel.and(path)… rather than sel.and(otherSel) */ readonly viaPath: boolean }
  | { readonly kind: 'not'; readonly inner: Expr };

/**
 * Whether a range compares `value` with `literal`: both numbers or both strings. Ranges never
 * coerce: on a mixed column gt(0) skips true, "1" and [1] (JavaScript's `>` would take them).
 */
function ordered(value: unknown, literal: unknown): value is number | string {
  return (typeof literal === 'number' || typeof literal === 'string') && typeof value === typeof literal;
}

/** eq's contract: ===, and for an object or list literal (mixed columns) the same JSON content, keys in any order. */
function equalsLiteral(value: unknown, literal: unknown): boolean {
  if (value === literal) return true;
  if (value === null || literal === null || typeof value !== 'object' || typeof literal !== 'object') return false;
  if (Array.isArray(value) !== Array.isArray(literal)) return false;
  const keys = Object.keys(value);
  return keys.length === Object.keys(literal).length && keys.every((key) => hasOwn.call(literal, key) && equalsLiteral((value as Rec)[key], (literal as Rec)[key]));
}

/**
 * The contract's operator semantics: eq / in are === (object literals: by content); ranges compare values of the literal's
 * kind with JavaScript's < (strings: UTF-16 code units) and skip every other value, null and
 * missing included.
 */
export function testValue(value: unknown, op: Op): boolean {
  switch (op.op) {
    case 'eq':
      return equalsLiteral(value, op.value);
    case 'in':
      return op.values.some((wanted) => equalsLiteral(value, wanted));
    case 'gt':
      return ordered(value, op.value) && value > op.value;
    case 'gte':
      return ordered(value, op.value) && value >= op.value;
    case 'lt':
      return ordered(value, op.value) && value < op.value;
    case 'lte':
      return ordered(value, op.value) && value <= op.value;
    case 'between':
      return ordered(value, op.lo) && ordered(value, op.hi) && value >= op.lo && value <= op.hi;
    case 'isNull':
      return value === null;
    case 'isMissing':
      return value === undefined;
  }
}

export function matches(record: unknown, expr: Expr): boolean {
  switch (expr.kind) {
    case 'leaf':
      if (expr.mode === 'length') {
        const list = getPath(record, expr.spec.list!);
        return Array.isArray(list) && testValue(list.length, expr.op);
      }
      if (expr.mode === 'any') return valuesOf(record, expr.spec).some((value) => testValue(value, expr.op));
      return testValue(getPath(record, expr.spec.inner), expr.op);
    case 'and':
      return matches(record, expr.left) && matches(record, expr.right);
    case 'or':
      return matches(record, expr.left) || matches(record, expr.right);
    case 'not':
      return !matches(record, expr.inner);
  }
}

export function refIndices(records: readonly unknown[], expr: Expr): number[] {
  const rows: number[] = [];
  records.forEach((record, row) => {
    if (matches(record, expr)) rows.push(row);
  });
  return rows;
}

// ---- what the schema will be (to know which queries must throw) ------------------------------

export type ColumnKind = 'absent' | 'null' | 'number' | 'string' | 'bool' | 'list' | 'struct' | 'mixed';

/** Kind of the present values: one JSON type, 'mixed' for several, 'null' when only nulls. */
export function classify(values: readonly unknown[]): ColumnKind {
  const kinds = new Set<ColumnKind>();
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) kinds.add('list');
    else if (typeof value === 'object') kinds.add('struct');
    else kinds.add(typeof value === 'boolean' ? 'bool' : (typeof value as 'number' | 'string'));
  }
  if (kinds.size === 0) return 'null';
  return kinds.size === 1 ? [...kinds][0] : 'mixed';
}

/** Whether some record has every key of `keys` as own keys (the path is in the schema). */
function seen(value: unknown, keys: readonly string[]): boolean {
  if (keys.length === 0) return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !hasOwn.call(value, keys[0])) return false;
  return seen((value as Rec)[keys[0]], keys.slice(1));
}

/** Kind of the column at `spec` (elements through the list), or 'absent' if no record has it. */
export function kindAt(records: readonly unknown[], spec: PathSpec): ColumnKind {
  if (spec.list === null) {
    if (!records.some((record) => seen(record, spec.inner))) return 'absent';
    return classify(records.map((record) => getPath(record, spec.inner)));
  }
  if (!records.some((record) => seen(record, spec.list!))) return 'absent';
  const lists = records.map((record) => getPath(record, spec.list!));
  if (classify(lists) !== 'list') return spec.inner.length === 0 ? classify(lists) : 'absent';
  const elements = lists.flatMap((list) => (Array.isArray(list) ? list : []));
  if (spec.inner.length > 0 && !elements.some((element) => seen(element, spec.inner))) return 'absent';
  return classify(elements.map((element) => getPath(element, spec.inner)));
}

/** The kind of the list itself (for length() and any()). */
export function listKind(records: readonly unknown[], spec: PathSpec): ColumnKind {
  return kindAt(records, scalarPath(spec.list!.join('.')));
}

export type Expected = 'ok' | typeof MemstorePathError | typeof MemstoreQueryError;

/** What building `leaf` over `records` must do: work, or throw a path / query error. */
export function leafOutcome(records: readonly unknown[], leaf: Leaf): Expected {
  if (leaf.mode !== 'value') {
    const list = listKind(records, leaf.spec);
    if (list === 'absent') return MemstorePathError;
    // A path that goes on inside a column of scalars, of only nulls or of mixed values names no
    // column (the schema has nothing below it); inside a struct it names a field, which is no list.
    if (list !== 'list') return leaf.spec.inner.length > 0 && list !== 'struct' ? MemstorePathError : MemstoreQueryError;
    if (leaf.mode === 'length') return 'ok';
  }
  const kind = kindAt(records, leaf.spec);
  if (kind === 'absent') return MemstorePathError;
  return opOutcome(kind, leaf.op);
}

/**
 * Whether a literal is of a type the column's kind can hold (issue 12, item 6): numbers (not NaN)
 * on numbers, strings on strings, booleans on bools; any value JSON can give (NaN and BigInt are
 * not) on mixed columns and on columns of only nulls; nothing on structs and lists.
 */
export function literalFits(kind: ColumnKind, value: unknown): boolean {
  const json = (typeof value === 'number' && !Number.isNaN(value)) || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'object' && value !== null);
  switch (kind) {
    case 'number':
      return typeof value === 'number' && !Number.isNaN(value);
    case 'string':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'null':
    case 'mixed':
      return json;
    default:
      return false;
  }
}

/**
 * Operators by column kind: eq/in with literals the column can hold (literalFits); ranges with
 * numbers on numbers, with strings on strings, with either (never both) on mixed; any JSON
 * literal on a column of only nulls. Anything else is a query error.
 */
export function opOutcome(kind: ColumnKind, op: Op): Expected {
  switch (op.op) {
    case 'isNull':
    case 'isMissing':
      return 'ok';
    case 'eq':
    case 'in': {
      const literals = op.op === 'eq' ? [op.value] : op.values;
      const nonNull = literals.filter((value) => value !== null && value !== undefined);
      return nonNull.every((value) => literalFits(kind, value)) ? 'ok' : MemstoreQueryError;
    }
    default: {
      const literals = op.op === 'between' ? [op.lo, op.hi] : [op.value];
      if (!literals.every((value) => literalFits(kind, value))) return MemstoreQueryError;
      const numbers = literals.every((value) => typeof value === 'number');
      const strings = literals.every((value) => typeof value === 'string');
      if (kind === 'null') return 'ok';
      if (kind === 'mixed' && (numbers || strings)) return 'ok';
      if (kind === 'number' && numbers) return 'ok';
      if (kind === 'string' && strings) return 'ok';
      return MemstoreQueryError;
    }
  }
}

export function exprOutcome(records: readonly unknown[], expr: Expr): Expected {
  switch (expr.kind) {
    case 'leaf':
      return leafOutcome(records, expr);
    case 'not':
      return exprOutcome(records, expr.inner);
    default: {
      const left = exprOutcome(records, expr.left);
      return left !== 'ok' ? left : exprOutcome(records, expr.right);
    }
  }
}

// ---- building the same query with the store's API -------------------------------------------

type Start<S> = (path: string) => Predicate<S>;

function applyLeaf<T>(start: Start<Selection<T>>, leaf: Leaf): Selection<T> {
  const op = leaf.op;
  if (leaf.mode === 'length') {
    const length = start(leaf.spec.list!.join('.')).length();
    switch (op.op) {
      case 'eq':
        return length.eq(op.value as number);
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return length[op.op](op.value as number);
      case 'between':
        return length.between(op.lo as number, op.hi as number);
      default:
        throw new Error(`no length().${op.op} in the tests`);
    }
  }
  let predicate = start(leaf.spec.path);
  if (leaf.mode === 'any') predicate = predicate.any();
  switch (op.op) {
    case 'eq':
      return predicate.eq(op.value);
    case 'in':
      return predicate.in(op.values);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return predicate[op.op](op.value);
    case 'between':
      return predicate.between(op.lo, op.hi);
    case 'isNull':
      return predicate.isNull();
    case 'isMissing':
      return predicate.isMissing();
  }
}

export function buildSelection<T>(store: Store<T>, expr: Expr): Selection<T> {
  switch (expr.kind) {
    case 'leaf':
      return applyLeaf((path) => store.where(path), expr);
    case 'not':
      return buildSelection(store, expr.inner).not();
    default: {
      const left = buildSelection(store, expr.left);
      const right = expr.right;
      if (expr.viaPath && right.kind === 'leaf') {
        // and(path) / where(path) / or(path): the predicate builder off a selection.
        return applyLeaf((path) => (expr.kind === 'and' ? left.and(path) : left.or(path)), right);
      }
      const other = buildSelection(store, right);
      return expr.kind === 'and' ? left.and(other) : left.or(other);
    }
  }
}

export function describe(expr: Expr): string {
  switch (expr.kind) {
    case 'leaf': {
      const op = expr.op;
      const args =
        op.op === 'eq' || op.op === 'gt' || op.op === 'gte' || op.op === 'lt' || op.op === 'lte'
          ? show(op.value)
          : op.op === 'in'
            ? `[${op.values.map(show).join(', ')}]`
            : op.op === 'between'
              ? `${show(op.lo)}, ${show(op.hi)}`
              : '';
      const mode = expr.mode === 'value' ? '' : `.${expr.mode}()`;
      return `where(${JSON.stringify(expr.mode === 'length' ? expr.spec.list!.join('.') : expr.spec.path)})${mode}.${op.op}(${args})`;
    }
    case 'not':
      return `(${describe(expr.inner)}).not()`;
    default:
      return `(${describe(expr.left)} ${expr.kind} ${describe(expr.right)})`;
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Object.is(value, -0)) return '-0';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

// ---- aggregates ----------------------------------------------------------------------------

export interface RefTotals {
  sum: number;
  count: number;
  min: number | undefined;
  max: number | undefined;
  mean: number | undefined;
  /** When every number is an integer: their exact sum, rounded once (what an int column's sum is); else undefined. */
  exactSum: number | undefined;
}

/** JS loops in row order over the numbers present at `spec` (all elements through a list). */
export function refTotals(records: readonly unknown[], spec: PathSpec, rows?: readonly number[]): RefTotals {
  let sum = 0;
  let exact: bigint | undefined = 0n;
  let count = 0;
  let min: number | undefined;
  let max: number | undefined;
  for (const row of rows ?? records.map((_, i) => i)) {
    for (const value of valuesOf(records[row], spec)) {
      if (typeof value !== 'number') continue;
      sum += value;
      exact = exact !== undefined && Number.isInteger(value) ? exact + BigInt(value) : undefined;
      count++;
      if (min === undefined || value < min) min = value;
      if (max === undefined || value > max) max = value;
    }
  }
  return { sum, count, min, max, mean: count === 0 ? undefined : sum / count, exactSum: exact === undefined ? undefined : Number(exact) };
}

export interface RefGroups {
  count: Map<unknown, number>;
  sum: Map<unknown, number>;
  mean: Map<unknown, number | undefined>;
}

/** groupBy with a Map: null key for null and missing, first-seen order among `rows`. */
export function refGroups(records: readonly unknown[], keyPath: string, valuePath: string | null, rows?: readonly number[]): RefGroups {
  const keyKeys = keysOf(keyPath);
  const valueKeys = valuePath === null ? null : keysOf(valuePath);
  const count = new Map<unknown, number>();
  const sums = new Map<unknown, number>();
  const numbers = new Map<unknown, number>();
  const objectKeys = new Map<string, unknown>();
  for (const row of rows ?? records.map((_, i) => i)) {
    const record = records[row];
    // Deep equality: an object key is the first-seen value deep-equal to it.
    const found = getPath(record, keyKeys) ?? null;
    const key = typeof found === 'object' && found !== null ? (objectKeys.get(sortedJson(found)) ?? found) : found;
    if (key === found && typeof found === 'object' && found !== null) objectKeys.set(sortedJson(found), found);
    count.set(key, (count.get(key) ?? 0) + 1);
    if (!sums.has(key)) {
      sums.set(key, 0);
      numbers.set(key, 0);
    }
    if (valueKeys !== null) {
      const value = getPath(record, valueKeys);
      if (typeof value === 'number') {
        sums.set(key, sums.get(key)! + value);
        numbers.set(key, numbers.get(key)! + 1);
      }
    }
  }
  const mean = new Map<unknown, number | undefined>();
  for (const [key, sum] of sums) mean.set(key, numbers.get(key) === 0 ? undefined : sum / numbers.get(key)!);
  return { count, sum: sums, mean };
}

/** Stable sort of `rows` by the value at `path`: nulls and missing last in both directions. */
export function refOrder(records: readonly unknown[], path: string, direction: 'asc' | 'desc', rows?: readonly number[]): number[] {
  // Values of one kind compare by < ; a mixed column's kinds by the documented total order.
  return refOrderJson(records, path, direction, rows);
}

/** Projection: only `paths`, nested as in the records, absent values left out. */
export function refSelect(record: unknown, paths: readonly string[]): Rec {
  const out: Rec = {};
  for (const path of paths) {
    const keys = keysOf(path);
    const value = getPath(record, keys);
    if (value === undefined) continue;
    let at = out;
    for (let i = 0; i < keys.length - 1; i++) {
      if (!hasOwn.call(at, keys[i])) at[keys[i]] = {};
      at = at[keys[i]] as Rec;
    }
    at[keys[keys.length - 1]] = value;
  }
  return out;
}

// ---- comparisons ---------------------------------------------------------------------------

/** Floats: within 1e-12 relative of the JS loop (exact for ints, equal for ±0, NaN, ±Infinity). */
export function expectClose(actual: number | undefined, expected: number | undefined, what: string): void {
  if (expected === undefined || actual === undefined || !Number.isFinite(expected)) {
    expect(actual === expected || Object.is(actual, expected), `${what}: ${actual} vs ${expected}`).toBe(true);
    return;
  }
  expect(Math.abs(actual - expected) <= 1e-12 * Math.abs(expected), `${what}: ${actual} vs ${expected}`).toBe(true);
}

/** min/max: the same number, with -0 and 0 equal (as ===). */
export function expectSameNumber(actual: number | undefined, expected: number | undefined, what: string): void {
  expect(actual === expected, `${what}: ${actual} vs ${expected}`).toBe(true);
}

/** Maps with the same keys (SameValueZero: -0 is 0) in the same order and close values. */
export function expectSameMap<V extends number | undefined>(actual: Map<unknown, V>, expected: Map<unknown, V>, what: string, exact = false): void {
  const norm = (key: unknown) => (Object.is(key, -0) ? 0 : key);
  expect([...actual.keys()].map(norm), `${what}: keys`).toEqual([...expected.keys()].map(norm));
  for (const [key, value] of expected) {
    const got = actual.get(key);
    if (exact) expect(got, `${what}[${String(key)}]`).toBe(value);
    else expectClose(got as number | undefined, value as number | undefined, `${what}[${String(key)}]`);
  }
}

/** Runs `build` and checks it throws `expected` (an error class), or returns its result. */
export function outcome<R>(expected: Expected, build: () => R, what: string): R | undefined {
  if (expected === 'ok') return build();
  expect(build, what).toThrow(expected);
  return undefined;
}

// ---- column against column (field()) ---------------------------------------------------------

export type CompareOp = 'eq' | 'gt' | 'gte' | 'lt' | 'lte';

/** What a column compares as against another: one kind with the same kind, mixed with any, only nulls with any (matching nothing). */
function comparesAs(kind: ColumnKind): 'number' | 'string' | 'bool' | 'mixed' | 'null' | null {
  return kind === 'struct' || kind === 'list' || kind === 'absent' ? null : kind;
}

/**
 * The contract of where(a)[op](field(b)) (issue 12, item 5): both paths record fields; numbers
 * against numbers, strings against strings (UTF-16 order), booleans for eq only; a mixed column
 * or one of only nulls against any of those; anything else is a query error (it could never match).
 */
export function pairOutcome(records: readonly unknown[], left: string, right: string, op: CompareOp): Expected {
  const a = kindAt(records, scalarPath(left));
  const b = kindAt(records, scalarPath(right));
  if (a === 'absent' || b === 'absent') return MemstorePathError;
  const ordering = op !== 'eq';
  const ca = comparesAs(a);
  const cb = comparesAs(b);
  const usable = (c: typeof ca) => c !== null && !(ordering && c === 'bool');
  if (!usable(ca) || !usable(cb)) return MemstoreQueryError;
  return ca === cb || ca === 'mixed' || cb === 'mixed' || ca === 'null' || cb === 'null' ? 'ok' : MemstoreQueryError;
}

/** Whether a record's two values compare: both of one kind (numbers, strings; booleans for eq) and in the operator's order. */
export function pairMatches(a: unknown, b: unknown, op: CompareOp): boolean {
  const kind = typeof a;
  if (kind !== typeof b || !(kind === 'number' || kind === 'string' || (kind === 'boolean' && op === 'eq'))) return false;
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case 'eq':
      return x === y;
    case 'gt':
      return x > y;
    case 'gte':
      return x >= y;
    case 'lt':
      return x < y;
    case 'lte':
      return x <= y;
  }
}

/** Rows of `records` where the values at `left` and `right` compare by `op`. */
export function refPairIndices(records: readonly unknown[], left: string, right: string, op: CompareOp): number[] {
  const a = keysOf(left);
  const b = keysOf(right);
  const rows: number[] = [];
  records.forEach((record, row) => {
    if (pairMatches(getPath(record, a), getPath(record, b), op)) rows.push(row);
  });
  return rows;
}
