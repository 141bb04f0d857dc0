// The filter grammar as a library (`@memstore/cli/filter`): the CLI's `--where` and the docs
// playground's query box parse and compile the same expressions. Imports only @memstore/core, so
// it bundles for a browser.
import type { Selection, Store } from '@memstore/core';
import { compileFilter } from './compile';
import { parseFilter } from './parse';

export { compileFilter } from './compile';
export { FilterSyntaxError, parseFilter } from './parse';
export type { Comparison, FilterNode, Literal } from './parse';

/** The records of `store` that `expression` matches (a FilterSyntaxError names the column of a mistake). */
export function where(store: Store, expression: string): Selection {
  return compileFilter(store, parseFilter(expression));
}
