// A Selection: records matching an expression, evaluated lazily in WASM. Combine with
// and/or/not; read with count, first, indices, toArray, iteration, select; aggregate it.
import { MemstorePathError, MemstoreQueryError } from '../errors';
import { setOwn } from '../schema/containers';
import { argumentError } from '../util/argumentError';
import { parsePath, type Path } from '../path';
import { readPath } from '../readPath';
import type { QueryContext } from './context';
import { evaluate, type Expression } from './expression';
import { firstMatch } from './first';
import { Predicate, type Operator } from './predicate';
import { resolveTarget } from './target';
import { totals } from './aggregate';
import { Grouping } from './groupBy';
import { orderRows, type Direction, type OrderOptions } from './orderBy';
import type { ViewOf } from '../types';
import { ElementIterator } from '../view/iterator';
import { blockBytes, forEachBlock, selectBlock } from './blocks';

export class Selection<T = unknown> implements Iterable<ViewOf<T>> {
  private bits: Uint8Array | null = null;
  private matches: number | null = null;
  /** The expression built again for `rebuiltFor`, a context that replaced this selection's (current()). */
  private rebuilt: Expression | null = null;
  private rebuiltFor: QueryContext | null = null;

  /**
   * @internal How the expression is made again in another context's tree (expressionIn): `made`
   * is the predicate whose `operator` made it, called with `a` and `b` (Predicate.replay), or,
   * for 'not', 'and' and 'or', the selection negated or the two selections joined (`made`, `a`).
   */
  constructor(
    private readonly context: QueryContext,
    /** @internal */ readonly expression: Expression,
    private readonly made: Predicate<unknown> | Selection<unknown>,
    private readonly operator: Operator | 'not' | 'and' | 'or',
    private readonly a?: unknown,
    private readonly b?: unknown,
  ) {}

  /**
   * @internal The expression to evaluate in `context` (this selection's or one that replaced it):
   * its own, or, once an append replaced the snapshot, one built again in the store's tree as it
   * is now. A test built before then may no longer fit its column: a dictionary turned text, ints
   * widened to floats, a field turned mixed (the scans then met "a column of another type", and a
   * list turned mixed read out of bounds). Appends never change a stored row's value, so the
   * snapshot's rows answer the same.
   */
  expressionIn(context: QueryContext): Expression {
    if (context === this.context) return this.expression;
    if (this.rebuiltFor !== context) {
      this.rebuilt = this.remake(context);
      this.rebuiltFor = context;
    }
    return this.rebuilt!;
  }

  /** The expression made again in `context`'s tree, by the same operators with the same literals. */
  private remake(context: QueryContext): Expression {
    const operator = this.operator;
    switch (operator) {
      case 'not':
        return { kind: 'not', inner: (this.made as Selection<unknown>).expressionIn(context) };
      case 'and':
      case 'or':
        return { kind: operator, left: (this.made as Selection<unknown>).expressionIn(context), right: (this.a as Selection<unknown>).expressionIn(context) };
      default:
        return (this.made as Predicate<unknown>).replay(context, operator, this.a, this.b);
    }
  }

  /** The expression to evaluate now. */
  private current(): Expression {
    const context = this.context;
    return context.replaced ? this.rebuiltNow(context.current) : this.expression;
  }

  /** expressionIn the store's context now, its errors saying why the tests were made again. */
  private rebuiltNow(context: QueryContext): Expression {
    try {
      return this.expressionIn(context);
    } catch (error) {
      if (error instanceof MemstoreQueryError || error instanceof MemstorePathError) {
        error.message = `This selection was made before an append changed the store, and its tests cannot be made for it now: ${error.message}`;
      }
      throw error;
    }
  }

  /** Narrows: records matching this selection and the predicate at `path` (or `other`). */
  and(path: Path): Predicate<Selection<T>>;
  // Generic, not Selection<unknown>: a Selection<T> is not assignable to Selection<unknown>
  // (T appears in its methods both ways), so `sel.and(otherSel)` did not type-check for typed stores.
  and<U>(other: Selection<U>): Selection<T>;
  and<U>(pathOrSelection: Path | Selection<U>): Predicate<Selection<T>> | Selection<T> {
    return this.combine('and', pathOrSelection);
  }

  /** Widens: records matching this selection or the predicate at `path` (or `other`). */
  or(path: Path): Predicate<Selection<T>>;
  or<U>(other: Selection<U>): Selection<T>;
  or<U>(pathOrSelection: Path | Selection<U>): Predicate<Selection<T>> | Selection<T> {
    return this.combine('or', pathOrSelection);
  }

  /** Filters further: the same as `and(path)`. */
  where(path: Path): Predicate<Selection<T>> {
    return this.combine('and', path) as Predicate<Selection<T>>;
  }

  /** Every record this selection does not hold (null and missing rows included). */
  not(): Selection<T> {
    this.context.assertLive('selection');
    return new Selection(this.context, { kind: 'not', inner: this.expression }, this as Selection<unknown>, 'not');
  }

  count(): number {
    const context = this.context;
    context.assertLive('selection');
    if (this.matches === null) {
      // Counted in WASM (popcount) right where each block's bitmap was evaluated: no copy to JS, no garbage.
      const { engine, workspace } = context;
      const bits = this.bits;
      const expression = bits === null ? this.current() : null;
      let matches = 0;
      forEachBlock(context.rowCount, (start, end) => {
        const slot = bits !== null ? selectBlock(engine, workspace, bits, start, end) : evaluate(engine, workspace, expression!, 0, start, end);
        matches += engine.exports.bitmapCount(slot, end - start);
      });
      this.matches = matches;
    }
    return this.matches;
  }

  /** The first matching record's view, or undefined. Scans only as far as the first match. */
  first(): ViewOf<T> | undefined {
    const context = this.context;
    // Checked here too: with the bitmap already evaluated, first() used to hand out a view of a disposed store.
    context.assertLive('selection');
    const row = this.bits !== null ? firstSetBit(this.bits, context.rowCount) : firstMatch(context, this.current());
    return row < 0 ? undefined : (context.view(row) as ViewOf<T>);
  }

  /** Matching row indices in row order. */
  indices(): Uint32Array {
    const bits = this.evaluated();
    const result = new Uint32Array(this.count());
    let at = 0;
    const words = new Uint32Array(bits.buffer, bits.byteOffset, bits.byteLength / 4);
    for (let w = 0; w < words.length; w++) {
      let word = words[w];
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        result[at++] = w * 32 + bit;
        word &= word - 1;
      }
    }
    return result;
  }

  /** Matching records as plain objects. */
  toArray(): T[] {
    const root = this.context.root;
    return Array.from(this.indices(), (row) => root.plain(row) as T);
  }

  [Symbol.iterator](): IterableIterator<ViewOf<T>> {
    const rows = this.indices();
    const view = this.context.view;
    return new ElementIterator(this.context.engine, 'selection', rows.length, (i) => view(rows[i]) as ViewOf<T>);
  }

  /**
   * Projects matching records onto `paths`: plain objects holding only those fields (nested as
   * in the records; absent values left out).
   */
  select(paths: readonly Path[]): Array<Record<string, unknown>> {
    this.context.assertLive('selection');
    if (!Array.isArray(paths)) throw argumentError('paths', "an array of paths (['a.b', 'c'])", paths, 'select');
    const root = this.context.root;
    const projections = paths.map((path) => {
      const keys = parsePath(path);
      const target = resolveTarget(root, keys);
      if (target.lists.length > 0) throw new MemstoreQueryError(`select: "${target.path}" is inside a list; select the list itself.`, target.path);
      return keys.map(String);
    });
    return Array.from(this.indices(), (row) => {
      const record: Record<string, unknown> = {};
      for (const keys of projections) {
        const value = readPath(root, root, row, keys);
        if (value === undefined) continue;
        const plain = typeof value === 'object' && value !== null && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value;
        let at = record;
        for (let i = 0; i < keys.length - 1; i++) {
          if (!Object.hasOwn(at, keys[i])) setOwn(at, keys[i], {});
          at = at[keys[i]] as Record<string, unknown>;
        }
        setOwn(at, keys[keys.length - 1], plain);
      }
      return record;
    });
  }

  // The bitmap first (it checks the store is live), then the path: on a disposed store the
  // error says so, whatever the path.
  sum(path: Path): number {
    const bits = this.evaluated();
    return totals(this.context, this.context.target(path), 'sum', bits).sum;
  }
  min(path: Path): number | undefined {
    const bits = this.evaluated();
    return totals(this.context, this.context.target(path), 'min', bits).min;
  }
  max(path: Path): number | undefined {
    const bits = this.evaluated();
    return totals(this.context, this.context.target(path), 'max', bits).max;
  }
  mean(path: Path): number | undefined {
    const bits = this.evaluated();
    const { sum, count } = totals(this.context, this.context.target(path), 'mean', bits);
    return count === 0 ? undefined : sum / count;
  }
  /** As store.groupBy, over this selection's records. */
  groupBy<K = unknown>(...paths: Path[]): Grouping<K> {
    const bits = this.evaluated();
    return new Grouping<K>(this.context, paths.map((path) => this.context.target(path)), bits);
  }
  /** As store.distinct, over this selection's records. */
  distinct<V = unknown>(path: Path): (V | null)[] {
    const bits = this.evaluated();
    return new Grouping(this.context, [this.context.target(path)], bits).groupKeys() as (V | null)[];
  }
  /** As store.orderBy, over this selection's records. */
  orderBy(path: Path, direction: Direction = 'asc', options?: OrderOptions): Uint32Array {
    const bits = this.evaluated();
    return orderRows(this.context, this.context.target(path), direction, bits, options);
  }

  private combine<U>(kind: 'and' | 'or', pathOrSelection: Path | Selection<U>): Predicate<Selection<T>> | Selection<T> {
    this.context.assertLive('selection');
    if (pathOrSelection instanceof Selection) {
      if (pathOrSelection.context !== this.context) {
        const sameStore = pathOrSelection.context.current === this.context.current;
        throw new MemstoreQueryError(
          sameStore
            ? 'Cannot combine selections made on either side of an append: each holds the records its store had when it was made. Make the older one again from the store.'
            : 'Cannot combine selections of two different stores.',
          '',
        );
      }
      const other = pathOrSelection;
      return new Selection(this.context, { kind, left: this.expression, right: other.expression }, this as Selection<unknown>, kind, other);
    }
    return new Predicate<Selection<T>>(this.context, this.context.target(pathOrSelection), this as Selection<unknown>, kind);
  }

  /** The full bitmap over every record row, evaluated once in WASM (a block at a time) and kept as a JS copy. */
  private evaluated(): Uint8Array {
    const context = this.context;
    context.assertLive('selection');
    if (this.bits !== null) return this.bits;
    const { engine, workspace } = context;
    const bits = new Uint8Array(context.bitmapBytes);
    const expression = this.current();
    forEachBlock(context.rowCount, (start, end) => {
      const slot = evaluate(engine, workspace, expression, 0, start, end);
      // Whole words: the bits past `end` in the last word are not kept set (indices() reads words).
      bits.set(engine.u8.subarray(slot, slot + blockBytes(start, end)), start >>> 3);
    });
    this.bits = bits;
    return bits;
  }

}

/** The first set bit of a kept selection bitmap (a count or indices evaluated it already), or -1. */
function firstSetBit(bits: Uint8Array, rows: number): number {
  for (let byte = 0; byte * 8 < rows; byte++) {
    if (bits[byte] === 0) continue;
    const row = byte * 8 + 31 - Math.clz32(bits[byte] & -bits[byte]);
    return row < rows ? row : -1;
  }
  return -1;
}
