// Strings that rarely repeat are stored as text (assembly/text.ts: the column's own offsets and
// bytes, nothing interned), through every entry path; queries, groupBy, orderBy and column()
// answer on text exactly as on dictionary codes, in JavaScript's string order; a failed append
// that turned a column into text leaves every value and answer as before.
import { Readable } from 'node:stream';
import { assert, describe, expect, it } from 'vitest';
import { prng } from '@memstore/testkit/prng';
import { Store } from '../src/node';

/** Events with a unique id, a unique note (escapes, astral and lone surrogates), a repeating kind, some absent or null. */
function events(count: number, seed = 1): Record<string, unknown>[] {
  const random = prng(seed);
  const pieces = ['a', 'Z', 'é', '\ue000', '\uffff', '\u{1f600}', '\u{10000}', '\ud800', '\udfff', '"', '\\', '\n', ' '];
  return Array.from({ length: count }, (_, i) => {
    let note = `n${i}`;
    for (let k = 0; k < 1 + Math.floor(random() * 6); k++) note += pieces[Math.floor(random() * pieces.length)];
    note = note.replace(/[\ud800-\udbff](?=[\udc00-\udfff])/g, 'x'); // JSON.stringify keeps lone ones lone
    const event: Record<string, unknown> = { id: `evt-${(i * 7919) % 100_003}-${i}`, kind: ['push', 'watch', 'fork', 'issue'][i % 4] };
    if (i % 13 !== 0) event.note = i % 17 === 0 ? null : note;
    return event;
  });
}

const ndjson = (records: readonly unknown[]) => records.map((record) => JSON.stringify(record)).join('\n');

function storageOf(store: Store, key: string): string | undefined {
  return store.schema.fields?.find((field) => field.key === key)?.storage;
}

async function everyPath(records: Record<string, unknown>[]): Promise<Array<[string, Store]>> {
  const text = ndjson(records);
  const bytes = new TextEncoder().encode(JSON.stringify(records));
  const appended = await Store.fromJSON(ndjson(records.slice(0, 100)), { format: 'ndjson' });
  for (let at = 100; at < records.length; at += 700) await appended.append(ndjson(records.slice(at, at + 700)), { format: 'ndjson' });
  const appendedRecords = await Store.fromRecords<unknown>(records.slice(0, 50));
  for (let at = 50; at < records.length; at += 900) await appendedRecords.append(records.slice(at, at + 900));
  return [
    ['fromJSON(string)', await Store.fromJSON(text, { format: 'ndjson' })],
    ['fromJSON(bytes)', await Store.fromJSON(bytes)],
    ['fromStream', await Store.fromStream(Readable.from([bytes.subarray(0, 1001), bytes.subarray(1001, 50_000), bytes.subarray(50_000)]))],
    ['fromRecords', await Store.fromRecords<unknown>(records)],
    ['append(text)', appended],
    ['append(records)', appendedRecords],
  ];
}

describe('text columns through every entry path', () => {
  it('unique strings are stored as text, repeating ones as dictionary codes, and come back exactly', async () => {
    const records = events(3000);
    for (const [path, store] of await everyPath(records)) {
      try {
        expect(storageOf(store, 'id'), path).toBe('text');
        expect(storageOf(store, 'note'), path).toBe('text');
        expect(storageOf(store, 'kind'), path).toBe('dict8');
        assert.deepStrictEqual(store.toArray(), records, path);
        expect((store.at(1234) as { note?: unknown }).note, path).toBe(records[1234].note);
        expect(store.get(2999, 'id'), path).toBe(records[2999].id);
      } finally {
        store.dispose();
      }
    }
  });

  it('JS records turn text at the doubling the parser does, not by the whole input', async () => {
    // 4,096 new strings, then 20,000 rows from a pool of 8: the parser reviews at 2,048 entries,
    // finds every row of its window new, and turns the column text. Judged on the whole input
    // (4,104 distinct in 24,096 rows) it would stay codes; fromRecords follows the parser.
    const records = Array.from({ length: 24_096 }, (_, i) => ({ tag: i < 4096 ? `first-${i}` : `pool-${i % 8}`, n: i }));
    const parsed = await Store.fromJSON(JSON.stringify(records));
    const built = await Store.fromRecords<unknown>(records);
    try {
      expect(storageOf(parsed, 'tag')).toBe('text');
      expect(storageOf(built, 'tag')).toBe('text');
      assert.deepStrictEqual(built.toArray(), records);
      expect(built.where('tag').eq('pool-3').count()).toBe(2500);
    } finally {
      parsed.dispose();
      built.dispose();
    }
  });

  it('text costs far less than a dictionary of strings that never repeat', async () => {
    const records = events(20_000).map(({ id }) => ({ id }));
    const store = await Store.fromRecords(records);
    const text = store.memory().columns.find((column) => column.path === 'id')!;
    const bytes = records.reduce((sum, record) => sum + (record.id as string).length, 0);
    // offsets (4 B a row) and the bytes, against ~28 B a row of codes, dictionary, hashes and string-table entries
    expect(text.bytes).toBeLessThan(bytes + 4.5 * records.length + 4096);
    expect(store.memory().strings.count).toBeLessThan(10);
    store.dispose();
  });
});

describe('dictionaries weighed against compressed text when a store is fitted', () => {
  /** Issues whose body is drawn from a pool of long texts, most drawn once or twice; a short repeating state. */
  function issues(count: number, pool: number, seed = 5): Record<string, unknown>[] {
    const random = prng(seed);
    const words = ['the', 'parser', 'crashes', 'when', 'input', 'is', 'empty', 'héllo', '日本語', '\u{1f600}', 'stack', 'trace', 'at', 'line', '\n', 'expected'];
    const bodies = Array.from({ length: pool }, (_, i) => `#${i} ${Array.from({ length: 30 + Math.floor(random() * 40) }, () => words[Math.floor(random() * words.length)]).join(' ')}`);
    return Array.from({ length: count }, (_, i) => ({ n: i, state: ['open', 'closed'][i % 2], body: i % 11 === 0 ? null : bodies[Math.floor(random() * pool)] }));
  }

  it('long strings repeated a few times each turn into FSST text on every entry path; strings repeated often stay codes', async () => {
    const records = issues(6000, 5000);
    for (const [path, store] of await everyPath(records)) {
      try {
        expect(storageOf(store, 'body'), path).toBe('fsst');
        expect(storageOf(store, 'state'), path).toBe('dict8');
        assert.deepStrictEqual(store.toArray(), records, path);
        const body = records[77].body as string;
        expect(store.where('body').eq(body).count(), path).toBe(records.filter((r) => r.body === body).length);
        const counts = new Map<unknown, number>();
        for (const record of records) counts.set(record.body, (counts.get(record.body) ?? 0) + 1);
        expect(store.groupBy('body').count(), path).toEqual(counts);
      } finally {
        store.dispose();
      }
    }
    // Each long string drawn ten times on average: the dictionary is the smaller, and stays.
    const pooled = await Store.fromRecords<unknown>(issues(6000, 600));
    expect(storageOf(pooled, 'body')).toMatch(/^dict/);
    pooled.dispose();
    // Strings two columns hold alike (a user in a tweet and in the tweet it quotes) leave the table with neither alone: both stay codes.
    const shared = issues(6000, 5000).map((issue) => ({ ...issue, quoted: issue.body }));
    const both = await Store.fromRecords<unknown>(shared);
    expect([storageOf(both, 'body'), storageOf(both, 'quoted')]).toEqual(['dict16', 'dict16']);
    assert.deepStrictEqual(both.toArray(), shared);
    both.dispose();
  });

  it('a store appended to in chunks is weighed as it will grow: a pool whose first chunk looks unique stays codes, unique strings turn', async () => {
    // 1,000 urls drawn uniformly 3,000 times a chunk: the first chunk holds ~950 of them, and
    // compressed text (~30% of the bytes) weighed against that many dictionary entries turned the
    // column into text at the first fit; the next chunk brings ~50 new ones (Good–Toulmin), and
    // four chunks in, codes take under half of what text would.
    const random = prng(11);
    const names = Array.from({ length: 1000 }, (_, i) => `user${i}-${Math.floor(random() * 1e9).toString(36)}`);
    const records = Array.from({ length: 12_000 }, (_, i) => {
      const name = names[Math.floor(random() * names.length)];
      return { n: i, url: `https://api.github.com/users/${name}/starred{/owner}{/repo}`, sha: `${i.toString(16).padStart(8, '0')}${Math.floor(random() * 2 ** 52).toString(16)}` };
    });
    const store = await Store.fromRecords<unknown>([]);
    for (let at = 0; at < records.length; at += 3000) {
      await store.append(ndjson(records.slice(at, at + 3000)), { format: 'ndjson' });
      expect(storageOf(store, 'url'), `after ${at + 3000} rows`).toMatch(/^dict/);
    }
    expect(storageOf(store, 'sha')).toBe('fsst');
    const loaded = await Store.fromRecords<unknown>(records);
    expect([storageOf(loaded, 'url'), storageOf(loaded, 'sha')]).toEqual([storageOf(store, 'url'), 'fsst']);
    assert.deepStrictEqual(store.toArray(), records);
    loaded.dispose();
    store.dispose();
  });
});

describe('queries on text', () => {
  const records = events(4000, 7);
  const literals = [...records.slice(0, 40).map((record) => record.note), 'n1', '', 'n2\u{1f600}', 'n3\ue000', '\ud800', 'zzz'] as (string | null | undefined)[];

  it('eq, in, ranges, first, count, groupBy and orderBy match a JS reference on every entry path', async () => {
    const notes = records.map((record) => record.note);
    const rowsWhere = (test: (value: unknown) => boolean) => notes.flatMap((value, row) => (typeof value === 'string' && test(value) ? [row] : []));
    for (const [path, store] of await everyPath(records)) {
      try {
        expect(storageOf(store, 'note'), path).toBe('text');
        for (const literal of literals) {
          if (typeof literal !== 'string') continue;
          expect(Array.from(store.where('note').eq(literal).indices()), `${path} eq ${JSON.stringify(literal)}`).toEqual(rowsWhere((v) => v === literal));
          expect(store.where('note').gt(literal).count(), `${path} gt`).toBe(rowsWhere((v) => (v as string) > literal).length);
          expect(Array.from(store.where('note').lte(literal).indices()), `${path} lte`).toEqual(rowsWhere((v) => (v as string) <= literal));
          expect(Array.from(store.where('note').between('n1', literal).indices()), `${path} between`).toEqual(rowsWhere((v) => (v as string) >= 'n1' && (v as string) <= literal));
          const first = rowsWhere((v) => v === literal)[0];
          expect((store.where('note').eq(literal).first() as { id?: unknown } | undefined)?.id, `${path} first`).toBe(first === undefined ? undefined : records[first].id);
        }
        const wanted = literals.filter((value): value is string => typeof value === 'string');
        expect(Array.from(store.where('note').in(wanted).indices()), `${path} in`).toEqual(rowsWhere((v) => wanted.includes(v as string)));
        expect(store.where('note').isNull().count()).toBe(notes.filter((value) => value === null).length);
        // A number never equals a string: refused (issue 12, item 6), as gt(5) is.
        expect(() => store.where('note').eq(5)).toThrow(/eq\(5\) cannot apply to "note", a string column, which holds strings/);

        // groupBy on text: first-seen order, null for null and missing rows
        const groups = new Map<unknown, number>();
        for (const value of records.map((record, i) => (i % 100 === 0 ? 'same' : record.id))) groups.set(value, (groups.get(value) ?? 0) + 1);
        const keyed = await Store.fromRecords<unknown>(records.map((record, i) => ({ key: i % 100 === 0 ? 'same' : record.id })));
        expect(storageOf(keyed, 'key')).toBe('text');
        expect([...keyed.groupBy('key').count()]).toEqual([...groups]);
        keyed.dispose();
        const noteGroups = new Map<unknown, number>();
        for (const value of notes) noteGroups.set(value ?? null, (noteGroups.get(value ?? null) ?? 0) + 1);
        expect(new Map(store.groupBy('note').count())).toEqual(noteGroups);

        // orderBy: JavaScript's < (UTF-16 units), stable, nulls and missing last
        const present = notes.flatMap((value, row) => (typeof value === 'string' ? [row] : []));
        const absent = notes.flatMap((value, row) => (typeof value === 'string' ? [] : [row]));
        const ascending = [...present].sort((a, b) => ((notes[a] as string) < (notes[b] as string) ? -1 : (notes[a] as string) > (notes[b] as string) ? 1 : a - b));
        expect(Array.from(store.orderBy('note', 'asc'))).toEqual([...ascending, ...absent]);
      } finally {
        store.dispose();
      }
    }
  });

  it('column() hands out the offsets and WTF-8 bytes, without copying', async () => {
    const store = await Store.fromRecords(records);
    const column = store.column('note');
    expect(column.storage).toBe('text');
    expect(column.codes).toBeNull();
    expect(column.dictionary).toBeNull();
    const { offsets, bytes } = column;
    expect(offsets!.length).toBe(records.length + 1);
    const decoder = new TextDecoder();
    for (const row of [1, 2, 100, 3999]) {
      const note = records[row].note;
      if (typeof note === 'string' && !/[\ud800-\udfff]/.test(note)) expect(decoder.decode(bytes!.subarray(offsets![row], offsets![row + 1]))).toBe(note);
    }
    expect(column.toArray()).toEqual(records.map((record) => record.note));
    store.dispose();
  });
});

describe('text and failed appends', () => {
  it('an append that turns a column into text and then fails leaves values, strings and answers as before', async () => {
    const store = await Store.fromJSON(ndjson(events(300)), { format: 'ndjson' });
    expect(storageOf(store, 'id')).toBe('dict16');
    const before = { records: store.toArray(), strings: store.memory().strings.count, count: store.where('id').gt('evt-5').count() };
    const batch = ndjson(events(2000, 3).map((event, i) => ({ ...event, id: `new-${i}` })));
    await expect(store.append(`${batch}\n{"id": "broken"`, { format: 'ndjson' })).rejects.toThrow();
    expect(storageOf(store, 'id')).toBe('text'); // the conversion stays, as a widening does: no value changed
    expect(store.toArray()).toEqual(before.records);
    expect(store.memory().strings.count).toBe(before.strings);
    expect(store.where('id').gt('evt-5').count()).toBe(before.count);
    await store.append(batch, { format: 'ndjson' });
    expect(store.length).toBe(2300);
    expect(store.get(2299, 'id')).toBe('new-1999');
    store.dispose();
  });
});
