// Column against column (issue 12, item 5): where('home').gt(field('away')) on its own store of
// match records — two small int columns, ties common, as scores are — against the plain-JS
// filter over the same records, and the string form on the cargo records' dates.
import { field, Store } from '@memstore/core';
import { prng } from '@memstore/testkit/prng';
import { fmtInt } from '../cli';
import type { Cargo } from '../datasets';
import type { Operation } from './operation';

interface Match {
  id: number;
  home: number;
  away: number;
}

export async function columnCompare(n: number, seed: number, records: readonly Cargo[], cargo: Store<Cargo>): Promise<{ store: Store<Match>; operations: Operation[] }> {
  const random = prng(seed);
  const matches: Match[] = Array.from({ length: n }, (_, id) => ({ id, home: Math.floor(random() * 8), away: Math.floor(random() * 8) }));
  const store = await Store.fromRecords(matches);
  const homeWins = () => store.where('home').gt(field('away')).count();
  const plainHomeWins = () => matches.filter((m) => m.home > m.away).length;
  // The dates of a cargo record are strings (ISO timestamps: their order is UTF-16 order).
  const endsLater = () => cargo.where('dates.end').gt(field('dates.start')).count();
  const plainEndsLater = () => records.filter((r) => r.dates.end > r.dates.start).length;
  const operations: Operation[] = [
    {
      key: 'field-gt',
      title: `${fmtInt(n)} matches: count where home > away (two int columns)`,
      calls: 1,
      target: null,
      variants: [
        { impl: 'memstore', code: `store.where('home').gt(field('away')).count()`, run: homeWins },
        { impl: 'plain', code: 'records.filter((m) => m.home > m.away).length', run: plainHomeWins },
      ],
      answers: [
        { impl: 'memstore', answer: homeWins },
        { impl: 'plain', answer: plainHomeWins },
      ],
    },
    {
      key: 'field-gt-strings',
      title: 'count where dates.end > dates.start (two string columns)',
      calls: 1,
      target: null,
      variants: [
        { impl: 'memstore', code: `store.where('dates.end').gt(field('dates.start')).count()`, run: endsLater },
        { impl: 'plain', code: 'records.filter((r) => r.dates.end > r.dates.start).length', run: plainEndsLater },
      ],
      answers: [
        { impl: 'memstore', answer: endsLater },
        { impl: 'plain', answer: plainEndsLater },
      ],
    },
  ];
  return { store, operations };
}
