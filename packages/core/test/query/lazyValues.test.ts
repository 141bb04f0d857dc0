import { describe, expect, it } from 'vitest';
import { MemstoreDisposedError, MemstorePathError, Store } from '../../src/index';
import { plainOf } from '../helpers';

const records = [
  { id: 1, dates: { start: 'a', end: 'b' }, tags: ['x', 'y'] },
  { id: 2, dates: null, tags: [] },
  { id: 3 },
  { id: 4, dates: { start: 'c' }, tags: ['z'] },
];

/** What `store.values(path).at(i)` must read: the value at `keys` of records[i], own properties only. */
function expected(keys: (string | number)[], record: unknown): unknown {
  let value = record;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key as string];
  }
  return value;
}

describe('store.values(path): a lazy list of every record\'s value at a path', () => {
  it('reads each record\'s value or view on demand, equal to the records', async () => {
    const store = await Store.fromRecords(records);
    for (const [path, keys] of [['dates', ['dates']], ['dates.start', ['dates', 'start']], ['tags.0', ['tags', 0]], ['id', ['id']]] as const) {
      const values = store.values(path);
      expect(values.length).toBe(records.length);
      records.forEach((record, i) => { expect(plainOf(values.at(i))).toStrictEqual(expected([...keys], record)); });
      expect(Array.from(values, plainOf)).toStrictEqual(records.map((record) => expected([...keys], record)));
      expect(values.toArray()).toStrictEqual(records.map((record) => expected([...keys], record)));
    }
    const dates = store.values('dates');
    expect(plainOf(dates.at(-1))).toStrictEqual({ start: 'c' });
    expect(dates.at(4)).toBeUndefined();
    expect(dates.at(-5)).toBeUndefined();
    expect(store.values(['dates', 'start']).at(0)).toBe('a');
    store.dispose();
  });

  it('names an unknown path at once, and reads nothing until asked (so a disposed store throws on read)', async () => {
    const store = await Store.fromRecords(records);
    expect(() => store.values('dates.stat')).toThrow(MemstorePathError);
    const values = store.values('dates.start');
    store.dispose();
    expect(() => values.at(0)).toThrow(MemstoreDisposedError);
  });
});
