// store.where(path) / selection.and(path) / selection.or(path): the predicate builder. Every
// operator asks the column's kind (kinds.ts) for its test, resolved against the column once (an
// int range, a float range, a dictionary code, another column: field()) and returns a
// Selection; no per-row JS runs except for mixed columns. A literal of a type the column can
// never hold is refused here, before any test is built (so eq('262') on numbers throws as
// gt('1000') does, rather than matching nothing).
import { MemstoreQueryError } from '../errors';
import { argumentError } from '../util/argumentError';
import { ListNode } from '../schema/containers';
import { Order } from '../wasm/abi';
import { Leaf, type Expression } from './expression';
import type { QueryContext } from './context';
import { Field } from './field';
import type { Comparable } from './kinds';
import { isJsonValue, type Bounds } from './literals';
import { Selection } from './selection';
import { elementTarget, retarget, type Target } from './target';
import type { Test } from './tests';

/**
 * The operators a selection was made with, as Predicate.replay calls them again ('test': a
 * test that needs no column to build, length()'s).
 */
export type Operator = 'eq' | 'in' | 'gt' | 'gte' | 'lt' | 'lte' | 'between' | 'isNull' | 'isMissing' | 'test';

export class Predicate<S> {
  /**
   * @internal `left` and `join`: the selection this predicate narrows or widens, if any. Plain
   * fields, not a closure: `store.where(p).eq(x).first()` then allocates nothing V8 cannot drop.
   * `resolved` may be of an older snapshot than the store's: replay resolves it again.
   */
  constructor(
    private readonly context: QueryContext,
    private readonly resolved: Target,
    private readonly left: Selection<unknown> | null = null,
    private readonly join: 'and' | 'or' = 'and',
    private readonly quantified = false,
  ) {}

  /**
   * The path's column, once the store is checked live: every operator reads it first, so none
   * looks at a disposed store's columns (a string literal's dictionary lookup, an int range).
   */
  private get target(): Target {
    this.context.assertLive('predicate');
    return this.resolved;
  }

  /** For a list (or a path inside lists): matches records where any element matches. */
  any(): Predicate<S> {
    const target = this.target;
    const element = elementTarget(target);
    if (element !== null) return new Predicate(this.context, element, this.left, this.join, true);
    if (target.lists.length > 0) return new Predicate(this.context, target, this.left, this.join, true);
    throw new MemstoreQueryError(`any() needs a list, and "${target.path}" is a ${target.node.schemaType} column.`, target.path);
  }

  /** Compares list lengths: `where('tags').length().gte(2)`. Null and missing lists never match. */
  length(): LengthPredicate<S> {
    const { node, path } = this.target;
    if (!(node instanceof ListNode)) throw new MemstoreQueryError(`length() needs a list, and "${path}" is a ${node.schemaType} column.`, path);
    return new LengthPredicate((test) => this.leaf(test, 'test', test));
  }

  /**
   * `value === v`. eq(null) is isNull(), eq(undefined) is isMissing(); eq(field(p)): the value
   * equals the record's value at `p` (both present). A literal of a type the column never holds
   * (a string on a number column, a BigInt, NaN) is a MemstoreQueryError.
   */
  eq(value: unknown): S {
    if (value === null) return this.isNull();
    if (value === undefined) return this.isMissing();
    if (value instanceof Field) return this.against('eq', value);
    return this.leaf(this.equalTest(value), 'eq', value);
  }

  /** value is one of `values` (===); each literal is checked as eq checks it. */
  in(values: readonly unknown[]): S {
    if (!Array.isArray(values)) throw argumentError('values', 'an array of values', values, 'in()');
    const wanted = values.filter((value) => value !== null && value !== undefined);
    const refused = wanted.find((value) => !this.target.kind.accepts(value));
    if (refused !== undefined) throw this.wrongType('in', values, refused);
    const tests: Expression[] = [];
    if (values.includes(null)) tests.push(this.expression({ kind: 'null' }));
    if (values.includes(undefined)) tests.push(this.missing());
    const kind = this.target.kind;
    const literals = kind.oneOf?.(this.context, this.target, wanted) ?? wanted.map((value) => this.equalTest(value));
    for (const test of literals) tests.push(this.expression(test));
    if (tests.length === 0) return this.leaf({ kind: 'none' }, 'in', values);
    // Left-deep, so evaluation needs two bitmaps however long the list is.
    return this.finish(tests.reduce((left, right) => ({ kind: 'or', left, right })), 'in', values);
  }

  /**
   * The selection of `expression`, joined to `left`'s, made by `operator` with arguments `a`, `b`:
   * kept in the selection (no closure, so a one-shot query allocates no more than before) for
   * replay to call again.
   */
  private finish(expression: Expression, operator: Operator, a?: unknown, b?: unknown): S {
    const left = this.left;
    const joined = left === null ? expression : { kind: this.join, left: left.expression, right: expression };
    return new Selection(this.context, joined, this as Predicate<unknown>, operator, a, b) as S;
  }

  /**
   * @internal The expression of this predicate's `operator` with the arguments it was called
   * with, made again at its path in `context`'s tree, and joined to `left`'s made there: a
   * selection made before an append runs on the columns as they are stored now
   * (Selection.expressionIn). The operator runs as it did, on a predicate resolved there.
   */
  replay(context: QueryContext, operator: Operator, a: unknown, b: unknown): Expression {
    const again = new Predicate<Selection<unknown>>(context, retarget(this.resolved, context), null, this.join, this.quantified);
    const built = again.call(operator, a, b).expression;
    return this.left === null ? built : { kind: this.join, left: this.left.expressionIn(context), right: built };
  }

  private call(operator: Operator, a: unknown, b: unknown): S {
    switch (operator) {
      case 'eq':
        return this.eq(a);
      case 'in':
        return this.in(a as readonly unknown[]);
      case 'gt':
        return this.gt(a as number | string | Field);
      case 'gte':
        return this.gte(a as number | string | Field);
      case 'lt':
        return this.lt(a as number | string | Field);
      case 'lte':
        return this.lte(a as number | string | Field);
      case 'between':
        return this.between(a as number | string, b as number | string);
      case 'isNull':
        return this.isNull();
      case 'isMissing':
        return this.isMissing();
      case 'test':
        return this.leaf(a as Test, 'test', a);
    }
  }

  /**
   * value > n. A number compares with numbers, a string with strings (JavaScript's <: UTF-16
   * code units); on a mixed column values of other kinds never match (no coercion). NaN, a
   * BigInt, or a literal of the other kind on a number or string column is a MemstoreQueryError.
   * Null and missing never match. gt(field(p)): the value is greater than the record's value at
   * `p` (both present, compared by the same rules).
   */
  gt(value: number | string | Field): S {
    if (value instanceof Field) return this.against('gt', value);
    return this.range({ lo: value, loOpen: true, hi: undefined, hiOpen: false }, 'gt', [value]);
  }
  gte(value: number | string | Field): S {
    if (value instanceof Field) return this.against('gte', value);
    return this.range({ lo: value, loOpen: false, hi: undefined, hiOpen: false }, 'gte', [value]);
  }
  lt(value: number | string | Field): S {
    if (value instanceof Field) return this.against('lt', value);
    return this.range({ lo: undefined, loOpen: false, hi: value, hiOpen: true }, 'lt', [value]);
  }
  lte(value: number | string | Field): S {
    if (value instanceof Field) return this.against('lte', value);
    return this.range({ lo: undefined, loOpen: false, hi: value, hiOpen: false }, 'lte', [value]);
  }
  /** lo <= value <= hi: two numbers or two strings, compared as gt / lt compare. */
  between(lo: number | string, hi: number | string): S {
    return this.range({ lo, loOpen: false, hi, hiOpen: false }, 'between', [lo, hi]);
  }

  isNull(): S {
    return this.leaf({ kind: 'null' }, 'isNull');
  }

  /**
   * The value is missing. Through a picked element (`items[1].n`, `scores.alice`) that includes
   * rows without the element (a shorter list, a map without the key, no list): as `get` reads them.
   */
  isMissing(): S {
    return this.finish(this.missing(), 'isMissing');
  }

  /** isMissing()'s expression: a picked element is missing where no picked element is present. */
  private missing(): Expression {
    const target = this.target;
    if (target.lists.length > 0 && !target.fanOut) return { kind: 'not', inner: this.expression({ kind: 'present' }) };
    return this.expression({ kind: 'missing' });
  }

  private expression(test: Test): Expression {
    const target = this.target;
    if (target.fanOut && !this.quantified) throw insideListError(target);
    return new Leaf(target, test);
  }

  private leaf(test: Test, operator: Operator, a?: unknown, b?: unknown): S {
    return this.finish(this.expression(test), operator, a, b);
  }

  private equalTest(value: unknown): Test {
    const target = this.target;
    const test = target.kind.accepts(value) ? target.kind.equal(this.context, target, value) : null;
    if (test === null) throw this.wrongType('eq', value);
    return test;
  }

  /**
   * The column against another of the same records (field()): `orders` of this row's value to
   * that row's, both present. Record fields only: inside a list the two paths would need their
   * elements paired, which no element order promises.
   */
  private against(operator: CompareOperator, other: Field): S {
    const target = this.target;
    const right = this.context.target(other.path);
    const shown = `${operator}(field(${JSON.stringify(right.path)}))`;
    for (const side of [target, right]) {
      if (side.lists.length > 0) {
        throw new MemstoreQueryError(`${shown} compares two fields of each record, and "${side.path}" is inside the list "${side.lists[0].path}".`, side.path);
      }
    }
    const ordering = operator !== 'eq';
    const left = target.kind.compares;
    const against = right.kind.compares;
    if (!comparable(left, ordering) || !comparable(against, ordering) || !(left === against || left === 'mixed' || against === 'mixed' || left === 'none' || against === 'none')) {
      throw new MemstoreQueryError(
        `${shown} cannot apply to "${target.path}", ${describeColumn(target)}, against "${right.path}", ${describeColumn(right)}: no value of one can ${ordering ? 'order against' : 'equal'} a value of the other.`,
        target.path,
      );
    }
    if (left === 'none' || against === 'none') return this.leaf({ kind: 'none' }, operator, other);
    const orders = ORDERS[operator];
    return this.leaf({ kind: 'columns', right: right.node, orders, mixed: left === 'mixed' || against === 'mixed', js: mixedComparison(orders) }, operator, other);
  }

  /**
   * `literals`: the operator's arguments as given. An undefined one is a literal that fits no
   * column; read from `bounds` it would mean "no bound", and gt(undefined) matched every value.
   */
  private range(bounds: Bounds, operator: 'gt' | 'gte' | 'lt' | 'lte' | 'between', literals: readonly unknown[]): S {
    const target = this.target;
    const test = literals.every((literal) => target.kind.accepts(literal)) ? target.kind.range(target, bounds, literals) : null;
    if (test === null) throw this.wrongType(operator, ...literals);
    return this.leaf(test, operator, literals[0], literals[1]);
  }

  /** `in`'s list is shown (its first 5) with the literal refused; other operators' literals as given. */
  private wrongType(operator: string, ...values: unknown[]): MemstoreQueryError {
    const target = this.target;
    let shown = values.map(showLiteral).join(', ');
    let refused = '';
    if (operator === 'in') {
      const list = values[0] as readonly unknown[];
      shown = `[${list.slice(0, 5).map(showLiteral).join(', ')}${list.length > 5 ? ', …' : ''}]`;
      refused = `: ${showLiteral(values[1])} can never match`;
    }
    return new MemstoreQueryError(`${operator}(${shown}) cannot apply to "${target.path}", ${describeColumn(target)}${refused}.`, target.path);
  }
}

type CompareOperator = 'eq' | 'gt' | 'gte' | 'lt' | 'lte';

/** The orders of a row's value to the other column's that pass each operator (Order bits, assembly/compare.ts). */
const ORDERS: Readonly<Record<CompareOperator, number>> = {
  eq: Order.Equal,
  gt: Order.Greater,
  gte: Order.Greater | Order.Equal,
  lt: Order.Less,
  lte: Order.Less | Order.Equal,
};

/** Whether a column compares against another (`ordering`: by <, not only ===): bools have no order, containers none at all. */
function comparable(kind: Comparable | null, ordering: boolean): boolean {
  return kind !== null && !(ordering && kind === 'bools');
}

/**
 * A mixed column against another column, in JS over both plain values: values of one kind only
 * (numbers with numbers, strings with strings, booleans for equality), as a mixed column's
 * literals compare; objects and lists in a mixed column never compare.
 */
function mixedComparison(orders: number): (left: unknown, right: unknown) => boolean {
  return (left, right) => {
    const kind = typeof left;
    if (kind !== typeof right || !(kind === 'number' || kind === 'string' || (kind === 'boolean' && orders === Order.Equal))) return false;
    const a = left as number | string;
    const b = right as number | string;
    const order = a < b ? Order.Less : a === b ? Order.Equal : a > b ? Order.Greater : 0;
    return (order & orders) !== 0;
  };
}

/** `an int column, which holds numbers`: the column's type as errors name it. */
function describeColumn({ node, kind }: Target): string {
  const type = node.schemaType;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} column, which holds ${kind.holds}`;
}

/** where('tags').length(): the same operators, over list lengths. */
export class LengthPredicate<S> {
  /** @internal */
  constructor(private readonly leaf: (test: Test) => S) {}
  eq(n: number): S {
    return this.bounds(checkLength(n, 'n', 'eq'), false, n, false);
  }
  gt(n: number): S {
    return this.bounds(checkLength(n, 'n', 'gt'), true, Infinity, false);
  }
  gte(n: number): S {
    return this.bounds(checkLength(n, 'n', 'gte'), false, Infinity, false);
  }
  lt(n: number): S {
    return this.bounds(-Infinity, false, checkLength(n, 'n', 'lt'), true);
  }
  lte(n: number): S {
    return this.bounds(-Infinity, false, checkLength(n, 'n', 'lte'), false);
  }
  between(lo: number, hi: number): S {
    return this.bounds(checkLength(lo, 'lo', 'between'), false, checkLength(hi, 'hi', 'between'), false);
  }
  private bounds(lo: number, loOpen: boolean, hi: number, hiOpen: boolean): S {
    const low = Math.max(0, loOpen ? Math.floor(lo) + 1 : Math.ceil(lo));
    const high = Math.min(0xffffffff, hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi));
    return this.leaf(low > high ? { kind: 'none' } : { kind: 'length', lo: low, hi: high });
  }
}

/** A list length literal: a number, NaN excluded (a length is never NaN, so it would be a mistake). */
function checkLength(n: number, argument: string, operator: string): number {
  if (typeof n !== 'number' || Number.isNaN(n)) throw argumentError(argument, 'a number (lists compare by length)', n, `length().${operator}()`);
  return n;
}

function showLiteral(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Field) return `field(${JSON.stringify(value.path)})`;
  if (value !== null && typeof value === 'object' && isJsonValue(value)) {
    const text = JSON.stringify(value);
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
  }
  return typeof value === 'symbol' ? value.toString() : typeof value === 'function' ? 'a function' : String(value);
}

function insideListError({ lists, picks, path }: Target): MemstoreQueryError {
  const crossed = lists[picks.lastIndexOf(undefined)];
  const what = crossed instanceof ListNode ? 'list' : 'map';
  return new MemstoreQueryError(
    `"${path}" is inside the ${what} "${crossed.path}": say which elements count, e.g. where(${JSON.stringify(path)}).any().eq(…).`,
    path,
  );
}
