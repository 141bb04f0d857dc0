// The first-match sweep: first() against records.find as the match moves down the store, one
// operation per row aimed at (rendered as one table by the markdown, not a section each).
import type { Store } from '@memstore/core';
import { fmtInt } from '../cli';
import type { Cargo } from '../datasets';
import type { Operation } from './operation';

/** Rows the first-match sweep aims at (each moved to the next row whose id occurs there first). */
const SWEEP_ROWS = [0, 1, 2, 4, 8, 16, 32, 64, 256, 1024, 4096, 16384, 65536, 262144, 999_999];

/**
 * first() against records.find as the match moves down the store: the one-shot query's fixed
 * cost against plain's cost per record scanned. The match is an id (an int column) first seen at
 * that row, so both sides stop exactly there.
 */
export function firstMatchSweep(records: readonly Cargo[], store: Store<Cargo>, n: number): Operation[] {
  const firstRowOfId = new Map<number, number>();
  for (let row = 0; row < n; row++) if (!firstRowOfId.has(records[row].id)) firstRowOfId.set(records[row].id, row);
  const rows = new Set<number>();
  for (const aim of SWEEP_ROWS) {
    // The next row from `aim` whose id occurs there first (the one before it near the end).
    const isFirst = (row: number) => firstRowOfId.get(records[row].id) === row;
    let row = Math.min(aim, n - 1);
    while (row < n && !isFirst(row)) row++;
    if (row === n) for (row = Math.min(aim, n - 1); !isFirst(row); row--);
    rows.add(row);
  }
  return [...rows].map((row): Operation => {
    const id = records[row].id;
    // About 20k records scanned per sample on the plain side, and at least one call.
    const calls = Math.max(1, Math.round(20_000 / (row + 1)));
    return {
      key: `first-at-${row}`,
      title: `first match at record ${fmtInt(row)}`,
      calls,
      target: null,
      sweepRow: row,
      variants: [
        {
          impl: 'memstore',
          code: `store.where('id').eq(ID).first()`,
          run: () => {
            let s = 0;
            for (let c = 0; c < calls; c++) s ^= store.where('id').eq(id).first()!.id;
            return s;
          },
        },
        {
          impl: 'plain',
          code: 'records.find((r) => r.id === ID)',
          run: () => {
            let s = 0;
            for (let c = 0; c < calls; c++) s ^= records.find((r) => r.id === id)!.id;
            return s;
          },
        },
      ],
      answers: [
        { impl: 'memstore', answer: () => store.where('id').eq(id).first()?.id },
        { impl: 'plain', answer: () => records.find((r) => r.id === id)?.id },
      ],
    };
  });
}
