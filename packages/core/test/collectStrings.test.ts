// The string table's collection (assembly/collect.ts): when a store is compacted, the strings a
// column left interned when it turned into text are dropped and the rest renumbered. Through
// every entry path the table then holds exactly the strings something holds — keys, dictionary
// strings, mixed columns' strings and JSON — the store reads back exactly, every kind of lookup
// by string (equality, groupBy, a wide struct's key index, a mixed column) answers as before,
// and appends (kept and failed), a .msx round trip and a second compaction keep it so.
import { describe, expect, it } from 'vitest';
import { prng } from '@memstore/testkit/prng';
import { MemstoreParseError, Store } from '../src/node';
import { exactStringify } from '../src/util/exactJson';

type Rec = Record<string, unknown>;

const WIDE_KEYS = Array.from({ length: 12 }, (_, i) => `k${i}`);

/** Records with a unique sha (turns text), a repeating repo (codes), a wide struct and a mixed column. */
function records(count: number, seed: number, from = 0): Rec[] {
  const random = prng(seed);
  const hex = () => Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    const wide: Rec = {};
    for (const key of WIDE_KEYS) if (random() < 0.6) wide[key] = `${key}-v${Math.floor(random() * 20)}`;
    const pick = Math.floor(random() * 5);
    const mixed = pick === 0 ? i : pick === 1 ? `m${i % 9}` : pick === 2 ? { at: i % 3, tag: ['a', 'b'][i % 2] } : pick === 3 ? [i % 4, 'x'] : `unique mixed ${hex()}`;
    // A sha now and then equals a key or a repo: interned as both, it must stay.
    const sha = i % 997 === 0 ? WIDE_KEYS[i % WIDE_KEYS.length] : i % 991 === 0 ? `acme/r${i % 7}` : hex();
    return { id: i, sha, repo: `acme/r${i % 7}`, user: `user-${(i * 7919) % 1000}`, wide, mixed };
  });
}

/** The strings the store must keep: every key and every string value of the dictionary and mixed columns. */
function liveStrings(all: readonly Rec[]): Set<string> {
  const live = new Set<string>(['id', 'sha', 'repo', 'user', 'wide', 'mixed', ...WIDE_KEYS]);
  for (const record of all) {
    live.add(record.repo as string);
    live.add(record.user as string);
    for (const value of Object.values(record.wide as Rec)) live.add(value as string);
    const mixed = record.mixed;
    if (typeof mixed === 'string') live.add(mixed);
    else if (typeof mixed === 'object' && mixed !== null) live.add(exactStringify(mixed));
  }
  return live;
}

function ndjson(all: readonly Rec[]): string {
  return all.map((record) => JSON.stringify(record)).join('\n');
}

/** The store answers as the records do: exact, and every lookup by string. */
function expectAnswers(store: Store<unknown>, all: readonly Rec[]): void {
  expect(store.toArray()).toEqual(all);
  const count = (test: (record: Rec) => boolean) => all.filter(test).length;
  expect(store.where('repo').eq('acme/r3').count()).toBe(count((r) => r.repo === 'acme/r3'));
  expect(store.where('mixed').eq('m4').count()).toBe(count((r) => r.mixed === 'm4'));
  expect(store.where('wide.k7').eq('k7-v3').count()).toBe(count((r) => (r.wide as Rec).k7 === 'k7-v3'));
  expect(store.where('sha').eq('k0').count()).toBe(count((r) => r.sha === 'k0'));
  // A dictionary past the small size, whose index a load drops: its literals are found by a scan.
  for (const user of ['user-17', 'user-999', 'user-1000', 'nobody']) expect(store.where('user').eq(user).count()).toBe(count((r) => r.user === user));
  expect(store.where('user').in(['user-3', 'user-4', 'user-new-5']).count()).toBe(count((r) => ['user-3', 'user-4', 'user-new-5'].includes(r.user as string)));
  const groups = new Map<unknown, number>();
  for (const record of all) groups.set(record.repo as string, (groups.get(record.repo as string) ?? 0) + 1);
  expect(store.groupBy('repo').count()).toEqual(groups);
  const at = all.length - 1;
  expect(store.get(at, 'wide.k11')).toBe((all[at].wide as Rec).k11);
}

describe('the string table is collected when a store is compacted', () => {
  const first = records(12_000, 7);
  const live = liveStrings(first);

  it.each([
    ['fromJSON(string)', () => Store.fromJSON(JSON.stringify(first))],
    ['fromJSON(bytes)', () => Store.fromJSON(new TextEncoder().encode(JSON.stringify(first)))],
    ['fromJSON(NDJSON)', () => Store.fromJSON(ndjson(first), { format: 'ndjson' })],
    ['fromRecords', () => Store.fromRecords(first)],
  ] as [string, () => Promise<Store<unknown>>][])('%s: the table holds exactly what something holds; the store answers as the records do', async (_, load) => {
    const store = await load();
    expect(store.schema.fields?.find((field) => field.path === 'sha')?.storage).toMatch(/^(text|fsst)$/);
    expect(store.memory().strings.count).toBe(live.size);
    // A load's store keeps no dictionary index: the column holds its codes, its 1,000 ids and its descriptor.
    expect(store.memory().columns.find((column) => column.path === 'user')!.bytes).toBeLessThan(first.length * 2 + 1000 * 4 + 512);
    expectAnswers(store, first);
    store.dispose();
  });

  it('appends after it intern and find strings by their new ids; a failed append changes nothing; a second compaction collects again', async () => {
    const store = await Store.fromJSON(ndjson(first), { format: 'ndjson' });
    // New users among the old ones: the first append to the column builds its index again.
    const more = records(6_000, 8, first.length).map((record, i) => (i % 3 === 0 ? { ...record, user: `user-new-${i % 500}` } : record));
    await store.append(ndjson(more.slice(0, 3_000)), { format: 'ndjson' });
    await store.append(more.slice(3_000));
    const all = [...first, ...more];
    expectAnswers(store, all);
    const before = store.memory().strings.count;
    await expect(store.append('{"id": 1, "repo": "acme/new", "sha": "0"}\n{"id": 2, "repo": ', { format: 'ndjson' })).rejects.toThrow(MemstoreParseError);
    expect(store.memory().strings.count).toBe(before);
    expectAnswers(store, all);
    // Compacted again (a fresh copy), the table holds the live strings only.
    const copy = await Store.fromBytes(store.toBytes());
    expectAnswers(copy, all);
    const reloaded = await Store.fromJSON(ndjson(all), { format: 'ndjson' });
    expect(reloaded.memory().strings.count).toBe(liveStrings(all).size);
    for (const s of [store, copy, reloaded]) s.dispose();
  });
});
