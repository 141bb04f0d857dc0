// store.where(path) / selection.and(path) / selection.or(path): the predicate builder. Every
// operator resolves its literal against the column once (an int range, a float range, a code
// lookup table) and returns a Selection; no per-row JS runs except for mixed columns.
import { MemstoreQueryError } from '../errors';
import { BoolNode, FloatNode, IntNode, ListNode, MixedNode, NullNode, StringNode, type Node } from '../schema/nodes';
import { Leaf, type Expression, type Test } from './expression';
import type { QueryContext } from './context';
import { Selection } from './selection';
import type { Target } from './target';
import { KEY_BYTES } from './workspace';
import { Sentinel } from '../wasm/abi';
import { encodeWtf8Into } from '../util/wtf8';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** Above this many values, `in` on an int column tests a JS Set instead of one scan per value. */
const MAX_IN_SCANS = 16;

interface Bounds {
  lo: unknown;
  loOpen: boolean;
  hi: unknown;
  hiOpen: boolean;
}

export class Predicate<S> {
  /**
   * @internal `left` and `join`: the selection this predicate narrows or widens, if any. Plain
   * fields, not a closure: `store.where(p).eq(x).first()` then allocates nothing V8 cannot drop.
   */
  constructor(
    private readonly context: QueryContext,
    private readonly target: Target,
    private readonly left: Expression | null = null,
    private readonly join: 'and' | 'or' = 'and',
    private readonly quantified = false,
  ) {}

  /** For a list (or a path inside lists): matches records where any element matches. */
  any(): Predicate<S> {
    const { node, lists, path } = this.target;
    if (node instanceof ListNode) return new Predicate(this.context, { node: node.element, lists: [...lists, node], path }, this.left, this.join, true);
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
    // The value this target was last compared with: its test is kept (the common repeated query).
    // lastEqualTest is set with lastEqualValue, and never for null or undefined.
    const target = this.target;
    if (value === target.lastEqualValue && target.lastEqualTest !== undefined) return this.leaf(target.lastEqualTest);
    if (value === null) return this.isNull();
    if (value === undefined) return this.isMissing();
    const test = this.equalTest(value);
    target.lastEqualValue = value;
    target.lastEqualTest = test;
    return this.leaf(test);
  }

  /** value is one of `values` (===). */
  in(values: readonly unknown[]): S {
    if (!Array.isArray(values)) throw new TypeError('in() takes an array of values.');
    const node = this.target.node;
    const wanted = values.filter((value) => value !== null && value !== undefined);
    const tests: Expression[] = [];
    if (values.includes(null)) tests.push(this.expression({ kind: 'null' }));
    if (values.includes(undefined)) tests.push(this.expression({ kind: 'missing' }));
    if (node instanceof StringNode) {
      tests.push(this.expression(codesTest(this.context, node, wanted)));
    } else if (node instanceof MixedNode || (node instanceof IntNode && wanted.length > MAX_IN_SCANS)) {
      const set = new Set(wanted);
      tests.push(this.expression(node instanceof MixedNode ? { kind: 'js', test: (value) => set.has(value) } : jsIntSet(set)));
    } else {
      for (const value of wanted) tests.push(this.expression(this.equalTest(value)));
    }
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

  /** value > n (numbers; strings compare with JavaScript's <). Null and missing never match. */
  gt(value: number | string): S {
    return this.range({ lo: value, loOpen: true, hi: undefined, hiOpen: false }, 'gt');
  }
  gte(value: number | string): S {
    return this.range({ lo: value, loOpen: false, hi: undefined, hiOpen: false }, 'gte');
  }
  lt(value: number | string): S {
    return this.range({ lo: undefined, loOpen: false, hi: value, hiOpen: true }, 'lt');
  }
  lte(value: number | string): S {
    return this.range({ lo: undefined, loOpen: false, hi: value, hiOpen: false }, 'lte');
  }
  /** lo <= value <= hi. */
  between(lo: number | string, hi: number | string): S {
    return this.range({ lo, loOpen: false, hi, hiOpen: false }, 'between');
  }

  isNull(): S {
    return this.leaf({ kind: 'null' });
  }

  isMissing(): S {
    return this.leaf({ kind: 'missing' });
  }

  private expression(test: Test): Expression {
    const target = this.target;
    if (target.lists.length > 0 && !this.quantified) throw insideListError(target);
    return new Leaf(target, test);
  }

  private leaf(test: Test): S {
    return this.finish(this.expression(test));
  }

  private equalTest(value: unknown): Test {
    const target = this.target;
    const node = target.node;
    if (node instanceof StringNode) return typeof value === 'string' ? equalityTest(this.context, target, node, value) : { kind: 'none' };
    if (node instanceof IntNode || node instanceof FloatNode) {
      return typeof value === 'number' ? numberRange(node, { lo: value, loOpen: false, hi: value, hiOpen: false }) : { kind: 'none' };
    }
    if (node instanceof BoolNode) return typeof value === 'boolean' ? { kind: 'bool', value } : { kind: 'none' };
    if (node instanceof MixedNode) return { kind: 'js', test: (stored) => stored === value };
    if (node instanceof NullNode) return { kind: 'none' };
    throw this.wrongType('eq', value);
  }

  private range(bounds: Bounds, operator: string): S {
    const node = this.target.node;
    const literals = [bounds.lo, bounds.hi].filter((bound) => bound !== undefined);
    if (node instanceof MixedNode) {
      // Mixed columns keep JavaScript's own comparison: `v != null && v > n`.
      const { lo, hi, loOpen, hiOpen } = bounds as { lo: number; hi: number; loOpen: boolean; hiOpen: boolean };
      return this.leaf({
        kind: 'js',
        test: (value) => {
          const v = value as number;
          return (bounds.lo === undefined || (loOpen ? v > lo : v >= lo)) && (bounds.hi === undefined || (hiOpen ? v < hi : v <= hi));
        },
      });
    }
    // NaN is a number: `v > NaN` is false for every v, so it matches nothing (numberRange), not a type error.
    if ((node instanceof IntNode || node instanceof FloatNode) && literals.every((bound) => typeof bound === 'number')) {
      return this.leaf(numberRange(node, bounds));
    }
    if (node instanceof StringNode && literals.every((bound) => typeof bound === 'string')) {
      const lo = bounds.lo as string | undefined;
      const hi = bounds.hi as string | undefined;
      return this.leaf(codeTest(node, (text) =>
        (lo === undefined || (bounds.loOpen ? text > lo : text >= lo)) && (hi === undefined || (bounds.hiOpen ? text < hi : text <= hi))));
    }
    if (node instanceof NullNode) return this.leaf({ kind: 'none' });
    throw this.wrongType(operator, literals[0]);
  }

  private wrongType(operator: string, value: unknown): MemstoreQueryError {
    const { node, path } = this.target;
    const holds = describeColumn(node);
    const literal = typeof value === 'string' ? JSON.stringify(value) : String(value);
    return new MemstoreQueryError(`${operator}(${literal}) cannot apply to "${path}", which holds ${holds}.`, path);
  }
}

/** where('tags').length(): the same operators, over list lengths. */
export class LengthPredicate<S> {
  /** @internal */
  constructor(private readonly leaf: (test: Test) => S) {}
  eq(n: number): S {
    return this.bounds(n, false, n, false);
  }
  gt(n: number): S {
    return this.bounds(n, true, Infinity, false);
  }
  gte(n: number): S {
    return this.bounds(n, false, Infinity, false);
  }
  lt(n: number): S {
    return this.bounds(-Infinity, false, n, true);
  }
  lte(n: number): S {
    return this.bounds(-Infinity, false, n, false);
  }
  between(lo: number, hi: number): S {
    return this.bounds(lo, false, hi, false);
  }
  private bounds(lo: number, loOpen: boolean, hi: number, hiOpen: boolean): S {
    if (typeof lo !== 'number' || typeof hi !== 'number' || Number.isNaN(lo) || Number.isNaN(hi)) {
      throw new TypeError('List lengths compare with numbers.');
    }
    const low = Math.max(0, loOpen ? Math.floor(lo) + 1 : Math.ceil(lo));
    const high = Math.min(0xffffffff, hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi));
    return this.leaf(low > high ? { kind: 'none' } : { kind: 'length', lo: low, hi: high });
  }
}

/** A numeric range as the column stores it: an inclusive int32 range, or float bounds. */
function numberRange(node: IntNode | FloatNode, bounds: Bounds): Test {
  const lo = bounds.lo === undefined ? -Infinity : (bounds.lo as number);
  const hi = bounds.hi === undefined ? Infinity : (bounds.hi as number);
  // Nothing compares true with NaN; on int columns NaN would otherwise reach WASM as i32 0 (eq(NaN) matched 0).
  if (Number.isNaN(lo) || Number.isNaN(hi)) return { kind: 'none' };
  if (node instanceof FloatNode) return { kind: 'float', lo, hi, flags: (bounds.loOpen ? 1 : 0) | (bounds.hiOpen ? 2 : 0) };
  const low = Math.max(INT32_MIN, bounds.loOpen ? Math.floor(lo) + 1 : Math.ceil(lo));
  const high = Math.min(INT32_MAX, bounds.hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi));
  return low > high ? { kind: 'none' } : { kind: 'int', lo: low, hi: high };
}

/** A lookup table over the column's dictionary: each distinct string is tested once. */
function codeTest(node: StringNode, matches: (text: string) => boolean): Test {
  const column = node.column;
  const lut = new Uint8Array(Math.max(16, column.dictionary.length));
  let count = 0;
  let single = -1;
  for (let code = 0; code < column.dictionary.length; code++) {
    const text = column.stringOfCode(code, node.engine);
    if (matches(text)) {
      lut[code] = 1;
      count++;
      single = code;
    }
  }
  return count === 0 ? { kind: 'none' } : { kind: 'codes', lut, single: count === 1 ? single : -1 };
}

const MAX_CACHED_EQUALITY_TESTS = 256;
/** Dictionary entries a lookup table scan serves with one SIMD swizzle per 16 rows (scan.ts). */
const SMALL_DICTIONARY = 16;

/** The test for `value === v` on a string column: one code at most, found once per target. */
function equalityTest(context: QueryContext, target: Target, node: StringNode, value: string): Test {
  const tests = (target.equalTests ??= new Map());
  let test = tests.get(value);
  if (test === undefined) {
    test = lookUpCode(context, node, value) ?? codeTest(node, (text) => text === value);
    if (tests.size < MAX_CACHED_EQUALITY_TESTS) tests.set(value, test);
  }
  return test;
}

/** in([...]) on a string column: the literals' codes looked up one by one when they fit the key buffer. */
function codesTest(context: QueryContext, node: StringNode, wanted: readonly unknown[]): Test {
  const strings = [...new Set(wanted.filter((value): value is string => typeof value === 'string'))];
  const found = strings.map((text) => lookUpCode(context, node, text));
  if (found.some((test) => test === undefined)) {
    const set = new Set(strings);
    return codeTest(node, (text) => set.has(text));
  }
  const codes = found.flatMap((test) => (test!.kind === 'codes' ? [test!.single] : []));
  if (codes.length === 0) return { kind: 'none' };
  if (codes.length === 1) return singleCodeTest(node, codes[0]);
  const lut = new Uint8Array(Math.max(16, node.column.dictionary.length));
  for (const code of codes) lut[code] = 1;
  return { kind: 'codes', lut, single: -1 };
}

/**
 * The literal's code through the string table's hash index and the column's dictionary index:
 * O(1) where codeTest decodes and compares every string of the dictionary (338 ms for a column of
 * a million distinct strings). Undefined when the literal may not fit the workspace's key buffer.
 */
function lookUpCode(context: QueryContext, node: StringNode, value: string): Test | undefined {
  if (value.length * 3 > KEY_BYTES) return undefined;
  const { engine, workspace } = context;
  const wasm = engine.exports;
  const length = encodeWtf8Into(value, engine.u8, workspace.key);
  const id = wasm.stringFind(workspace.key, length) >>> 0;
  const code = id === Sentinel.NotInterned ? -1 : wasm.dictionaryFind(node.column.handle, id);
  return code < 0 ? { kind: 'none' } : singleCodeTest(node, code);
}

/**
 * A test for one code. Dictionaries of at most 16 strings keep a (16-byte) table as well: their
 * scan looks codes up 16 rows per SIMD instruction, faster than comparing them (count of
 * product.name = X on 1M rows: 31 µs against 58 µs).
 */
function singleCodeTest(node: StringNode, code: number): Test {
  const entries = node.column.dictionary.length;
  if (entries > SMALL_DICTIONARY) return { kind: 'codes', lut: null, single: code };
  const lut = new Uint8Array(SMALL_DICTIONARY);
  lut[code] = 1;
  return { kind: 'codes', lut, single: code };
}

function jsIntSet(set: Set<unknown>): Test {
  return { kind: 'js', test: (value) => set.has(value) };
}

function insideListError({ lists, path }: Target): MemstoreQueryError {
  return new MemstoreQueryError(
    `"${path}" is inside the list "${lists[lists.length - 1].path}": say which elements count, e.g. where(${JSON.stringify(path)}).any().eq(…).`,
    path,
  );
}

export function describeColumn(node: Node): string {
  switch (node.schemaType) {
    case 'int':
    case 'float':
      return 'numbers';
    case 'string':
      return 'strings';
    case 'bool':
      return 'booleans';
    case 'null':
      return 'only nulls';
    default:
      return `${node.schemaType} values`;
  }
}
