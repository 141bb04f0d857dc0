// store.where(path) / selection.and(path) / selection.or(path): the predicate builder. Every
// operator asks the column's kind (kinds.ts) for its test, resolved against the column once (an
// int range, a float range, a dictionary code) and returns a Selection; no per-row JS runs
// except for mixed columns.
import { MemstoreQueryError } from '../errors';
import { argumentError } from '../util/argumentError';
import { ListNode } from '../schema/containers';
import { Leaf, type Expression } from './expression';
import type { QueryContext } from './context';
import { queryKind } from './kinds';
import type { Bounds } from './literals';
import { Selection } from './selection';
import type { Target } from './target';
import type { Test } from './tests';

export class Predicate<S> {
  /**
   * @internal `left` and `join`: the selection this predicate narrows or widens, if any. Plain
   * fields, not a closure: `store.where(p).eq(x).first()` then allocates nothing V8 cannot drop.
   */
  constructor(
    private readonly context: QueryContext,
    private readonly resolved: Target,
    private readonly left: Expression | null = null,
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
    const { node, lists, picks, path } = this.target;
    if (node instanceof ListNode) {
      const element = node.element;
      const target = { node: element, lists: [...lists, node], picks: [...picks, undefined], fanOut: true, path, kind: queryKind(element) };
      return new Predicate(this.context, target, this.left, this.join, true);
    }
    if (lists.length > 0) return new Predicate(this.context, this.target, this.left, this.join, true);
    throw new MemstoreQueryError(`any() needs a list, and "${path}" is a ${node.schemaType} column.`, path);
  }

  /** Compares list lengths: `where('tags').length().gte(2)`. Null and missing lists never match. */
  length(): LengthPredicate<S> {
    const { node, path } = this.target;
    if (!(node instanceof ListNode)) throw new MemstoreQueryError(`length() needs a list, and "${path}" is a ${node.schemaType} column.`, path);
    return new LengthPredicate(this.leaf.bind(this));
  }

  /** `value === v`. eq(null) is isNull(), eq(undefined) is isMissing(). */
  eq(value: unknown): S {
    if (value === null) return this.isNull();
    if (value === undefined) return this.isMissing();
    return this.leaf(this.equalTest(value));
  }

  /** value is one of `values` (===). */
  in(values: readonly unknown[]): S {
    if (!Array.isArray(values)) throw argumentError('values', 'an array of values', values, 'in()');
    const wanted = values.filter((value) => value !== null && value !== undefined);
    const tests: Expression[] = [];
    if (values.includes(null)) tests.push(this.expression({ kind: 'null' }));
    if (values.includes(undefined)) tests.push(this.expression({ kind: 'missing' }));
    const kind = this.target.kind;
    const literals = kind.oneOf?.(this.context, this.target, wanted) ?? wanted.map((value) => this.equalTest(value));
    for (const test of literals) tests.push(this.expression(test));
    if (tests.length === 0) return this.leaf({ kind: 'none' });
    // Left-deep, so evaluation needs two bitmaps however long the list is.
    return this.finish(tests.reduce((left, right) => ({ kind: 'or', left, right })));
  }

  private finish(leaf: Expression): S {
    return new Selection(this.context, this.left === null ? leaf : this.joined(leaf)) as S;
  }

  private joined(leaf: Expression): Expression {
    return { kind: this.join, left: this.left!, right: leaf };
  }

  /**
   * value > n. A number compares with numbers, a string with strings (JavaScript's <: UTF-16
   * code units); on a mixed column values of other kinds never match (no coercion). NaN matches
   * nothing. Null and missing never match.
   */
  gt(value: number | string): S {
    return this.range({ lo: value, loOpen: true, hi: undefined, hiOpen: false }, 'gt', [value]);
  }
  gte(value: number | string): S {
    return this.range({ lo: value, loOpen: false, hi: undefined, hiOpen: false }, 'gte', [value]);
  }
  lt(value: number | string): S {
    return this.range({ lo: undefined, loOpen: false, hi: value, hiOpen: true }, 'lt', [value]);
  }
  lte(value: number | string): S {
    return this.range({ lo: undefined, loOpen: false, hi: value, hiOpen: false }, 'lte', [value]);
  }
  /** lo <= value <= hi: two numbers or two strings, compared as gt / lt compare. */
  between(lo: number | string, hi: number | string): S {
    return this.range({ lo, loOpen: false, hi, hiOpen: false }, 'between', [lo, hi]);
  }

  isNull(): S {
    return this.leaf({ kind: 'null' });
  }

  isMissing(): S {
    return this.leaf({ kind: 'missing' });
  }

  private expression(test: Test): Expression {
    const target = this.target;
    if (target.fanOut && !this.quantified) throw insideListError(target);
    return new Leaf(target, test);
  }

  private leaf(test: Test): S {
    return this.finish(this.expression(test));
  }

  private equalTest(value: unknown): Test {
    const target = this.target;
    const test = target.kind.equal(this.context, target, value);
    if (test === null) throw this.wrongType('eq', value);
    return test;
  }

  /**
   * `literals`: the operator's arguments as given. An undefined one is a literal that fits no
   * column; read from `bounds` it would mean "no bound", and gt(undefined) matched every value.
   */
  private range(bounds: Bounds, operator: string, literals: readonly unknown[]): S {
    const target = this.target;
    const test = target.kind.range(target, bounds, literals);
    if (test === null) throw this.wrongType(operator, ...literals);
    return this.leaf(test);
  }

  private wrongType(operator: string, ...values: unknown[]): MemstoreQueryError {
    const { kind, path } = this.target;
    const holds = kind.holds;
    return new MemstoreQueryError(`${operator}(${values.map(showLiteral).join(', ')}) cannot apply to "${path}", which holds ${holds}.`, path);
  }
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
  return typeof value === 'bigint' ? `${value}n` : String(value);
}

function insideListError({ lists, picks, path }: Target): MemstoreQueryError {
  const crossed = lists[picks.lastIndexOf(undefined)];
  const what = crossed instanceof ListNode ? 'list' : 'map';
  return new MemstoreQueryError(
    `"${path}" is inside the ${what} "${crossed.path}": say which elements count, e.g. where(${JSON.stringify(path)}).any().eq(…).`,
    path,
  );
}
