// Dense ids of a column's values, a block of rows at a time, for the groupings JS combines
// (several key paths, struct / list / map / mixed keys, distinct counts): 0 for null and missing,
// then 1, 2… per distinct value. Dense string and bool columns read their ids straight off the
// stored codes and bits (a dictionary code is already a dense id: no string is made per row);
// every other column interns each row's value, by deep equality (canonicalKey) for objects.
import type { Node } from '../schema/node';
import { queryKind } from './kinds';
import { canonicalKey } from './groupMap';

export interface KeyIds {
  /** Writes the id of each row of [start, end) to `ids` (from index 0). */
  fill(start: number, end: number, ids: Uint32Array): void;
  /** Ids there can be (null included), when fixed by the column (codes, bits); null when values are interned as met. */
  readonly bound: number | null;
}

export function keyIds(node: Node): KeyIds {
  const column = node.column;
  const groupKey = queryKind(node).groupKey(node);
  if (column.sparse === null && (groupKey === 'codes' || groupKey === 'bool' || groupKey === 'null')) {
    const { nulls, missing } = column;
    const absent = (row: number) => (nulls !== null && (nulls[row >>> 3] & (1 << (row & 7))) !== 0) || (missing !== null && (missing[row >>> 3] & (1 << (row & 7))) !== 0);
    if (groupKey === 'null') return { bound: 1, fill: (start, end, ids) => ids.fill(0, 0, end - start) };
    const data = column.data;
    if (groupKey === 'bool') {
      return { bound: 3, fill: (start, end, ids) => { for (let row = start; row < end; row++) ids[row - start] = absent(row) ? 0 : ((data[row >>> 3] >>> (row & 7)) & 1) + 1; } };
    }
    const constant = column.width === 0;
    return {
      bound: column.dictionary.length + 1,
      fill: (start, end, ids) => {
        if (nulls === null && missing === null && !constant) for (let row = start; row < end; row++) ids[row - start] = data[row] + 1;
        else for (let row = start; row < end; row++) ids[row - start] = absent(row) ? 0 : constant ? 1 : data[row] + 1;
      },
    };
  }
  return internedIds(node);
}

/** Ids handed out in order of first appearance: scalars by value (1 and "1" differ), objects and arrays by canonical text. */
function internedIds(node: Node): KeyIds {
  const scalars = new Map<unknown, number>();
  const objects = new Map<string, number>();
  let next = 1;
  return {
    bound: null,
    fill: (start, end, ids) => {
      for (let row = start; row < end; row++) {
        const value = node.plain(row);
        let id: number | undefined;
        if (value === null || value === undefined) id = 0;
        else if (typeof value === 'object') {
          const text = canonicalKey(value);
          id = objects.get(text);
          if (id === undefined) objects.set(text, (id = next++));
        } else {
          id = scalars.get(value);
          if (id === undefined) scalars.set(value, (id = next++));
        }
        ids[row - start] = id;
      }
    },
  };
}
