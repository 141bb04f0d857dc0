// Equality on a string column whose values are all distinct: its own store of keyed records,
// and the first-match and count operations on it.
import { Store } from '@memstore/core';
import { fmtInt } from '../cli';
import type { Impl, Operation } from './operation';

interface Keyed {
  id: number;
  key: string;
}

/**
 * Equality on a string column whose values are all distinct (ids, uuids: shipments.json's
 * product): the literal's code is looked up in the string table, not found by walking a
 * dictionary as large as the store, and the codes (u32 here) are compared directly.
 */
export async function distinctStrings(n: number): Promise<{ store: Store<Keyed>; operations: Operation[] }> {
  const keyed: Keyed[] = Array.from({ length: n }, (_, i) => ({ id: i, key: `${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}-${i}` }));
  const store = await Store.fromRecords(keyed);
  const early = keyed[Math.min(20, n - 1)].key;
  const late = keyed[Math.floor(n * 0.9)].key;
  const calls = 1000;
  const op = (key: string, title: string, variants: Array<[Impl, string, () => unknown]>, batch = 1): Operation => ({
    key,
    title,
    calls: batch,
    target: null,
    variants: variants.map(([impl, code, answer]) => ({
      impl,
      code,
      run: () => {
        let s = 0;
        for (let c = 0; c < batch; c++) s ^= answer() as number;
        return s;
      },
    })),
    answers: variants.map(([impl, , answer]) => ({ impl, answer })),
  });
  const operations = [
    op('distinct-first-early', `${fmtInt(n)} distinct strings: first match at record 20`, [
      ['memstore', 'store.where(\'key\').eq(KEY).first()', () => store.where('key').eq(early).first()!.id],
      ['plain', 'records.find((r) => r.key === KEY)', () => keyed.find((r) => r.key === early)!.id],
    ], calls),
    op('distinct-first-late', `${fmtInt(n)} distinct strings: first match at record ${fmtInt(Math.floor(n * 0.9))}`, [
      ['memstore', 'store.where(\'key\').eq(KEY).first()', () => store.where('key').eq(late).first()!.id],
      ['plain', 'records.find((r) => r.key === KEY)', () => keyed.find((r) => r.key === late)!.id],
    ]),
    op('distinct-count', `${fmtInt(n)} distinct strings: count where key = KEY`, [
      ['memstore', 'store.where(\'key\').eq(KEY).count()', () => store.where('key').eq(late).count()],
      ['plain', 'records.filter((r) => r.key === KEY).length', () => keyed.filter((r) => r.key === late).length],
    ]),
  ];
  return { store, operations };
}
