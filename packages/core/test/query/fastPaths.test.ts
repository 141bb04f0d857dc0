// The short paths of the hot calls: `store.at(i)` (one bounds check, everything else on a slow
// path), `where(p).eq(x)` (the last string compared is remembered per path) and first() (the
// first rows tested in JS). Each must give what the general path gives.
import { describe, expect, it } from 'vitest';
import { MemstoreDisposedError, Store } from '../../src/node';

describe('store.at', () => {
  it('indexes as Array.prototype.at: negative, fractional, NaN and out-of-range indices', async () => {
    const records = [{ id: 10 }, { id: 11 }, { id: 12 }];
    const store = await Store.fromRecords(records);
    const idAt = (index: number) => store.at(index)?.id;
    for (const index of [0, 1, 2, 3, -1, -3, -4, 0.9, -0.5, 1.5, NaN, Infinity, -Infinity, 2 ** 32]) {
      expect(idAt(index), `at(${index})`).toBe(records.at(index)?.id);
    }
    store.dispose();
  });

  it('serves records that are not all objects, and sees rows added by append', async () => {
    const scalars = await Store.fromRecords<unknown>([1, 'two', null, { three: 3 }]);
    expect(scalars.at(0)).toBe(1);
    expect(scalars.at(1)).toBe('two');
    expect(scalars.at(2)).toBe(null);
    expect((scalars.at(-1) as { three: number }).three).toBe(3);
    expect(scalars.at(4)).toBeUndefined();
    scalars.dispose();

    const store = await Store.fromRecords([{ id: 1 }]);
    expect(store.at(1)).toBeUndefined();
    await store.append([{ id: 2 }, { id: 3 }]);
    expect(store.at(1)?.id).toBe(2);
    expect(store.at(-1)?.id).toBe(3);
    store.dispose();
  });

  it('throws after dispose, for every index', async () => {
    const store = await Store.fromRecords([{ id: 1 }, { id: 2 }]);
    expect(store.at(0)?.id).toBe(1);
    store.dispose();
    for (const index of [0, 1, -1, 5]) expect(() => store.at(index)).toThrow(MemstoreDisposedError);
  });
});

describe('where(path).eq(value) on strings', () => {
  it('alternating, repeated and unknown values each select what a plain filter selects', async () => {
    const records = [{ s: 'a' }, { s: 'b' }, { s: null }, {}, { s: 'a' }, { s: 'c' }, { t: 'a' }];
    const store = await Store.fromRecords<{ s?: string | null; t?: string }>(records);
    const expected = (value: unknown) => records.flatMap((record, row) => ((record as { s?: unknown }).s === value ? [row] : []));
    for (const value of ['a', 'b', 'a', 'a', 'zzz', 'c', 'b', 'zzz', 'a']) {
      expect([...store.where('s').eq(value).indices()], `eq(${value})`).toEqual(expected(value));
      expect(store.where('s').eq(value).first()?.toJSON(), `first eq(${value})`).toEqual(records[expected(value)[0]]);
      // Another path in between: each path remembers its own last value.
      expect(store.where('t').eq('a').count()).toBe(1);
    }
    // A string on a number column, and null/undefined after strings, are not mistaken for the last string.
    expect(store.where('s').eq(null).count()).toBe(1);
    expect(store.where('s').eq(undefined).count()).toBe(2);
    store.dispose();
  });

  it('gives the same answers for a path given as a string and as an array of keys', async () => {
    const store = await Store.fromRecords([{ a: { b: 'x' } }, { a: { b: 'y' } }, { a: { b: 'x' } }]);
    for (const value of ['x', 'y', 'x']) {
      expect([...store.where(['a', 'b']).eq(value).indices()]).toEqual([...store.where('a.b').eq(value).indices()]);
    }
    store.dispose();
  });
});

describe('first() near the top', () => {
  // Null and missing rows hold a placeholder value in the column (code 0, number 0, false): the JS
  // test of the first rows must not take them for matches.
  it('skips null and missing rows whose placeholder equals the value sought', async () => {
    const records = [
      { s: null, n: null, f: null, b: null },
      { },
      { s: 'a', n: 0, f: 0.5, b: false },
      { s: 'b', n: 1, f: 1.5, b: true },
    ];
    const store = await Store.fromRecords<{ s?: string | null; n?: number | null; f?: number | null; b?: boolean | null }>(records);
    expect(store.where('s').eq('a').first()?.toJSON()).toEqual(records[2]);
    expect(store.where('n').eq(0).first()?.toJSON()).toEqual(records[2]);
    expect(store.where('n').lte(0).first()?.toJSON()).toEqual(records[2]);
    expect(store.where('f').lt(1).first()?.toJSON()).toEqual(records[2]);
    expect(store.where('b').eq(false).first()?.toJSON()).toEqual(records[2]);
    expect(store.where('b').eq(true).first()?.toJSON()).toEqual(records[3]);
    store.dispose();
  });

  it('agrees with the full bitmap on constant columns, on matches past the first rows, and after count()', async () => {
    const records = Array.from({ length: 300 }, (_, i) => ({ k: 'same', n: 7, i, late: i === 250 ? 'yes' : 'no' }));
    const store = await Store.fromRecords(records);
    expect(store.where('k').eq('same').first()?.i).toBe(0);
    expect(store.where('n').eq(7).first()?.i).toBe(0);
    expect(store.where('n').eq(8).first()).toBeUndefined();
    expect(store.where('late').eq('yes').first()?.i).toBe(250);
    const counted = store.where('late').eq('yes');
    expect(counted.count()).toBe(1);
    expect(counted.first()?.i).toBe(250);
    expect(store.where('i').gt(100).and('late').eq('no').first()?.i).toBe(101);
    store.dispose();
  });
});

describe('eq(string) through the string table', () => {
  // The literal's WTF-8 bytes are looked up in the store's string table and the column's
  // dictionary index; these are the spellings where bytes and JS strings could disagree.
  const texts = ['', 'a', 'é', '😀', '\uD83D', '\uDE00', 'x\uD800y', '__proto__', 'a.b', 'x'.repeat(1000), 'y'.repeat(5000)]; // 1000: looked up; 5000: past the key buffer, every entry tested

  it('finds every spelling in stores built from records, from JSON text, and from escaped JSON', async () => {
    const records = texts.map((s, i) => ({ i, s, other: `other-${i}` }));
    // Every UTF-16 unit as a \u escape: surrogate pairs arrive as two escapes the parser must join.
    const escapeAll = (text: string) => Array.from({ length: text.length }, (_, k) => `\\u${text.charCodeAt(k).toString(16).padStart(4, '0')}`).join('');
    const escaped = '[' + records.map((r) => `{"i":${r.i},"s":"${escapeAll(r.s)}","other":${JSON.stringify(r.other)}}`).join(',') + ']';
    expect(JSON.parse(escaped)).toEqual(records);
    type Row = (typeof records)[number];
    const stores = [await Store.fromRecords(records), await Store.fromJSON<Row>(JSON.stringify(records)), await Store.fromJSON<Row>(escaped)];
    for (const store of stores) {
      texts.forEach((text, i) => {
        expect([...store.where('s').eq(text).indices()], JSON.stringify(text.slice(0, 12))).toEqual([i]);
        expect(store.where('s').eq(text).first()?.i).toBe(i);
      });
      // Interned (in another column) but never held by this one; and not interned at all.
      expect(store.where('s').eq('other-3').count()).toBe(0);
      expect(store.where('s').eq('nowhere').count()).toBe(0);
      expect(store.where('s').eq('😀').not().count()).toBe(texts.length - 1);
      // in(): looked up one by one (duplicates and strangers ignored; a non-string is refused); a long literal falls back to testing every entry.
      expect([...store.where('s').in(['😀', '\uD83D', '😀', 'nowhere', 'other-1']).indices()]).toEqual([3, 4]);
      expect(() => store.where('s').in(['😀', 3])).toThrow(/in\(\["😀", 3\]\) cannot apply to "s", a string column, which holds strings: 3 can never match/);
      expect([...store.where('s').in(['a']).indices()]).toEqual([1]);
      expect([...store.where('s').in(['nowhere']).indices()]).toEqual([]);
      expect([...store.where('s').in(['', texts[10]]).indices()]).toEqual([0, 10]);
      store.dispose();
    }
  });
});
