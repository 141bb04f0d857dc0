// The comparison's arithmetic: each figure's values over the rounds on both sides, their medians
// and spread, head/base, and whether head is worse than base by more than the threshold.
import type { Better, Figure } from './figures';

export interface FigureComparison {
  key: string;
  unit: string;
  better: Better;
  /** One value per round (fewer when a round's results lacked the figure). */
  base: number[];
  head: number[];
  baseMedian: number | null;
  headMedian: number | null;
  /** (max − min) / median of a side's values, in %: the noise the verdict has to see through (null below 2 rounds). */
  baseSpreadPercent: number | null;
  headSpreadPercent: number | null;
  /** headMedian / baseMedian. */
  ratio: number | null;
  /** How much worse head is than base, in % of base (negative: head is better); null when a side lacks the figure. */
  worsePercent: number | null;
  /** worsePercent is above the threshold. */
  worse: boolean;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function spreadPercent(values: readonly number[]): number | null {
  const mid = median(values);
  return values.length < 2 || mid === null || mid === 0 ? null : ((Math.max(...values) - Math.min(...values)) / mid) * 100;
}

/** Figures in the order base's results list them, then any only head has. */
export function compareFigures(baseRounds: readonly Figure[][], headRounds: readonly Figure[][], thresholdPercent: number): FigureComparison[] {
  const rows = new Map<string, { unit: string; better: Better; base: number[]; head: number[] }>();
  const collect = (rounds: readonly Figure[][], side: 'base' | 'head') => {
    for (const figures of rounds) {
      for (const { key, unit, better, value } of figures) {
        let row = rows.get(key);
        if (row === undefined) rows.set(key, (row = { unit, better, base: [], head: [] }));
        row[side].push(value);
      }
    }
  };
  collect(baseRounds, 'base');
  collect(headRounds, 'head');
  return [...rows].map(([key, { unit, better, base, head }]) => {
    const baseMedian = median(base);
    const headMedian = median(head);
    const ratio = baseMedian === null || headMedian === null || baseMedian === 0 ? null : headMedian / baseMedian;
    const worsePercent = ratio === null ? null : (better === 'lower' ? ratio - 1 : 1 - ratio) * 100;
    return {
      key,
      unit,
      better,
      base,
      head,
      baseMedian,
      headMedian,
      baseSpreadPercent: spreadPercent(base),
      headSpreadPercent: spreadPercent(head),
      ratio,
      worsePercent,
      worse: worsePercent !== null && worsePercent > thresholdPercent,
    };
  });
}
