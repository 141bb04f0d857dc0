// A parsed filter (parse.ts) as a query of @memstore/core: each test a `store.where(path)…`
// selection, combined with Selection.and / or / not. A path the store does not have, or a value a
// column cannot hold, is the core's error, re-thrown with the column of the expression it came from.
import { field, MemstoreError, type Field, type Selection, type Store } from '@memstore/core';
import { FilterSyntaxError, type FilterNode, type Literal } from './parse';

export function compileFilter(store: Store, node: FilterNode): Selection {
  switch (node.kind) {
    case 'and':
      return compileFilter(store, node.left).and(compileFilter(store, node.right));
    case 'or':
      return compileFilter(store, node.left).or(compileFilter(store, node.right));
    case 'not':
      return compileFilter(store, node.inner).not();
    case 'in':
      return at(node.column, () => where(store, node).in(node.values));
    case 'is':
      return at(node.column, () => {
        const predicate = where(store, node);
        const selection = node.what === 'null' ? predicate.isNull() : predicate.isMissing();
        return node.negated ? selection.not() : selection;
      });
    case 'compare': {
      const { value } = node;
      const operand = typeof value === 'object' && value !== null ? at(value.column, () => field(value.path)) : value;
      return at(node.column, () => {
        const predicate = where(store, node);
        switch (node.op) {
          case '==':
            return operand === null ? predicate.isNull() : predicate.eq(operand);
          case '!=':
            // Every record where the test does not hold: null and missing values included.
            return (operand === null ? predicate.isNull() : predicate.eq(operand)).not();
          case '<':
            return predicate.lt(ordered(operand, node));
          case '<=':
            return predicate.lte(ordered(operand, node));
          case '>':
            return predicate.gt(ordered(operand, node));
          case '>=':
            return predicate.gte(ordered(operand, node));
        }
      });
    }
  }
}

/** The predicate at a test's path; `any`: over a list's elements. */
function where(store: Store, node: { path: string; any: boolean }) {
  const predicate = store.where(node.path);
  return node.any ? predicate.any() : predicate;
}

function ordered(operand: Literal | Field, node: { op: string; valueColumn: number }): number | string | Field {
  if (typeof operand === 'number' || typeof operand === 'string' || (typeof operand === 'object' && operand !== null)) return operand;
  throw new FilterSyntaxError(node.valueColumn, `'${node.op}' compares with a number, a string or a path, not ${String(operand)}`);
}

/** Runs `build`, giving a core error the column of the expression's part that caused it. */
function at<R>(column: number, build: () => R): R {
  try {
    return build();
  } catch (error) {
    if (error instanceof MemstoreError) {
      // The core's hint names its API (`.any()`); the grammar spells it `any <path> …`.
      const hint = error.message.includes('.any()') ? " In --where: 'any <path> == …'." : '';
      throw new FilterSyntaxError(column, error.message + hint);
    }
    throw error;
  }
}
