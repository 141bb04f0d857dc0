// Shared by the .msx tests: records that reach every storage a saved file must carry (ints past
// 2^31 and 2^53, -0, dictionary and text strings with lone surrogates, sparse columns, lists,
// maps, mixed columns, nested structs, missing vs null), from a seed.
import { prng } from '@memstore/testkit/prng';
import { Store } from '../../src/node';
import { exactJson } from '../helpers';

const KINDS = ['alpha', 'beta', 'gamma', 'delta', '\ud800lone', '😀'];

/** `rows` records from `seed`: about one in ten has the sparse fields; `text` is mostly unique. */
export function wideRecords(seed: number, rows: number): unknown[] {
  const random = prng(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const records: unknown[] = [];
  for (let i = 0; i < rows; i++) {
    const record: Record<string, unknown> = {
      id: 2 ** 40 + i * 7,
      kind: pick(KINDS),
      text: `${Math.floor(random() * 2 ** 32).toString(16)}-${i}${random() < 0.05 ? '\udc00' : ''}`,
      score: random() < 0.05 ? -0 : random() < 0.5 ? Math.floor(random() * 1000) : random() * 100,
      flag: random() < 0.5,
      nested: { a: { b: random() < 0.3 ? null : Math.floor(random() * 10), c: Array.from({ length: Math.floor(random() * 3) }, () => Math.floor(random() * 5)) } },
      mixed: pick([1, 'one', true, null, [1, -0], { k: 'v' }, 2 ** 60]),
    };
    if (random() < 0.5) record.maybe = random() < 0.5 ? null : 'here';
    if (random() < 0.1) {
      record.rare = 2 ** 53 + 2 * Math.floor(random() * 10);
      record.rareText = `rare-${Math.floor(random() * 2 ** 32)}-${i}`;
      record.rareList = [Math.floor(random() * 100), { deep: pick(KINDS) }];
    }
    const attrs: Record<string, unknown> = {};
    for (let k = Math.floor(random() * 3); k > 0; k--) attrs[`id${Math.floor(random() * 1_000_000)}`] = { v: Math.floor(random() * 10) };
    record.attrs = attrs;
    records.push(record);
  }
  return records;
}

/** The ways a store is built: from records, from JSON text, from NDJSON. */
export type Route = 'records' | 'json' | 'ndjson';

export async function storeOf(records: readonly unknown[], route: Route): Promise<Store> {
  if (route === 'records') return Store.fromRecords(records);
  if (route === 'json') return Store.fromJSON(exactJson(records));
  return Store.fromJSON(records.map(exactJson).join('\n'), { format: 'ndjson' });
}
