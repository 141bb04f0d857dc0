// Text columns compressed by FSST (assembly/fsst.ts) when a load or append is fitted: through
// every entry path the store reads back exactly (lone surrogates, empty strings, nulls, missing
// rows, sparse columns) and smaller; every query kind answers on the codes as on the strings
// (equality on the codes, ranges and field() read decoded); appends after compression, and a
// failed one, keep it so; .msx, Arrow and Parquet carry the strings exactly, and a .msx whose
// symbol table or codes were tampered with is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, assert, describe, expect, it } from 'vitest';
import { prng } from '@memstore/testkit/prng';
import { field, MemstoreFormatError, MemstoreParseError, Store } from '../src/node';
import { Descriptor, FsstTable } from '../src/wasm/abi';
import { FileMap } from './msx/fileMap';

type Rec = Record<string, unknown>;

/** Commits of a feed: a unique url and sha, a message of words (any script, a lone surrogate now and then), a sparse note, a repeating repo. */
function commits(count: number, seed: number): Rec[] {
  const random = prng(seed);
  const words = ['fix', 'parser', 'crash', 'on', 'empty', 'input', 'add', 'tests', 'for', 'héllo', 'wörld', '日本語', '\u{1f600}', 'naïve', 'a"quote', 'back\\slash', 'line\nbreak', ''];
  const hex = () => Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
  return Array.from({ length: count }, (_, i) => {
    let message = `${Array.from({ length: 1 + Math.floor(random() * 10) }, () => words[Math.floor(random() * words.length)]).join(' ')} (#${(i * 7919) % 100_003})`;
    if (random() < 0.02) message += '\ud800';
    if (random() < 0.02) message = '';
    const record: Rec = { id: i, repo: `acme/r${i % 7}`, sha: hex(), url: `https://api.github.com/repos/acme/r${i % 7}/commits/${hex().slice(0, 12)}`, message };
    if (random() < 0.05) record.message = null;
    if (random() < 0.15) record.note = `reviewed by user${Math.floor(random() * 90)} on 2026-12-${String(1 + (i % 28)).padStart(2, '0')}, change ${i}`;
    if (random() < 0.03) delete record.url;
    return record;
  });
}

/** A view's field by path (the views of Record<string, unknown> records are typed unknown). */
const read = (view: unknown, path: string) => (view as { get(path: string): unknown } | undefined)?.get(path);
const ndjson = (records: readonly unknown[]) => records.map((record) => JSON.stringify(record)).join('\n');
const storageOf = (store: Store<Rec>, key: string) => store.schema.fields?.find((f) => f.key === key)?.storage;
const bytesOf = (store: Store<Rec>, path: string) => store.memory().columns.find((column) => column.path === path)!.bytes;

async function everyPath(records: Rec[]): Promise<Array<[string, Store<Rec>]>> {
  const text = ndjson(records);
  const bytes = new TextEncoder().encode(JSON.stringify(records));
  const appended = await Store.fromJSON<Rec>(ndjson(records.slice(0, 500)), { format: 'ndjson' });
  for (let at = 500; at < records.length; at += 2500) await appended.append(ndjson(records.slice(at, at + 2500)), { format: 'ndjson' });
  const appendedRecords = await Store.fromRecords<Rec>(records.slice(0, 300));
  for (let at = 300; at < records.length; at += 3000) await appendedRecords.append(records.slice(at, at + 3000));
  return [
    ['fromJSON(string)', await Store.fromJSON<Rec>(text, { format: 'ndjson' })],
    ['fromJSON(bytes)', await Store.fromJSON<Rec>(bytes)],
    ['fromStream', await Store.fromStream<Rec>(Readable.from([bytes.subarray(0, 1001), bytes.subarray(1001, 200_000), bytes.subarray(200_000)]))],
    ['fromRecords', await Store.fromRecords<Rec>(records)],
    ['append(text)', appended],
    ['append(records)', appendedRecords],
  ];
}

const RECORDS = commits(8000, 1);

describe('FSST text columns', () => {
  it('through every entry path: compressed, smaller, and read back exactly', async () => {
    for (const [path, store] of await everyPath(RECORDS)) {
      for (const key of ['sha', 'url', 'message']) expect(storageOf(store, key), `${path}: ${key}`).toBe('fsst');
      // 40 hex digits, urls and words: at most 0.8 of their bytes (offsets and the table included).
      const raw = RECORDS.reduce((total, record) => total + (typeof record.url === 'string' ? Buffer.byteLength(record.url) : 0), 0);
      expect(bytesOf(store, 'url'), path).toBeLessThan(raw * 0.8);
      assert.deepStrictEqual(store.toArray(), RECORDS, path);
      expect(read(store.at(3), 'message'), path).toBe(RECORDS[3].message);
      store.dispose();
    }
  });

  it('a sparse column (a note in 15% of rows) is compressed too', async () => {
    const store = await Store.fromRecords<Rec>(commits(40_000, 2));
    const note = store.schema.fields!.find((f) => f.key === 'note')!;
    expect(note.sparse).toBe(true);
    expect(note.storage).toBe('fsst');
    const records = commits(40_000, 2);
    assert.deepStrictEqual(store.toArray(), records);
    const some = records.find((record) => typeof record.note === 'string')!.note as string;
    expect(Array.from(store.where('note').eq(some).indices())).toEqual(records.flatMap((r, i) => (r.note === some ? [i] : [])));
    expect(store.where('note').gte('reviewed by user5').count()).toBe(records.filter((r) => typeof r.note === 'string' && r.note >= 'reviewed by user5').length);
    store.dispose();
  });

  it('every query kind answers as the records do: eq / in / ranges / first / groupBy / orderBy / field() / column()', async () => {
    const store = await Store.fromRecords<Rec>(RECORDS);
    const rows = (test: (record: Rec) => boolean) => RECORDS.flatMap((record, i) => (test(record) ? [i] : []));
    const messages = [...new Set(RECORDS.map((r) => r.message).filter((m): m is string => typeof m === 'string'))];
    for (const message of [...messages.slice(0, 25), '', 'fix', 'never there', '\ud800']) {
      expect(Array.from(store.where('message').eq(message).indices()), message).toEqual(rows((r) => r.message === message));
      expect(read(store.where('message').eq(message).first(), 'id'), message).toBe(RECORDS.find((r) => r.message === message)?.id);
    }
    const some = [RECORDS[10].sha as string, RECORDS[4000].sha as string, 'f'.repeat(40)];
    expect(Array.from(store.where('sha').in(some).indices())).toEqual(rows((r) => some.includes(r.sha as string)));
    const pivot = RECORDS[77].sha as string;
    expect(Array.from(store.where('sha').gt(pivot).indices())).toEqual(rows((r) => (r.sha as string) > pivot));
    expect(Array.from(store.where('message').between('crash', 'héllo').indices())).toEqual(rows((r) => typeof r.message === 'string' && r.message >= 'crash' && r.message <= 'héllo'));
    expect(store.where('message').lt('\u{1f600}').and('id').lt(3000).count()).toBe(rows((r) => typeof r.message === 'string' && r.message < '\u{1f600}' && (r.id as number) < 3000).length);
    expect(read(store.where('url').gt('https://api.github.com/repos/acme/r3').first(), 'id')).toBe(RECORDS.find((r) => typeof r.url === 'string' && r.url > 'https://api.github.com/repos/acme/r3')?.id);
    // field(): the message against the sha, both strings.
    expect(Array.from(store.where('message').lt(field('sha')).indices())).toEqual(rows((r) => typeof r.message === 'string' && r.message < (r.sha as string)));
    // groupBy a compressed key: one group per distinct message, in first-seen order.
    const counts = new Map<unknown, number>();
    for (const record of RECORDS) if (record.message !== undefined) counts.set(record.message, (counts.get(record.message) ?? 0) + 1);
    expect(store.groupBy('message').count()).toEqual(counts);
    const bySha = RECORDS.map((_, i) => i).sort((a, b) => ((RECORDS[a].sha as string) < (RECORDS[b].sha as string) ? -1 : 1));
    expect(Array.from(store.orderBy('sha'))).toEqual(bySha);
    expect(Array.from(store.orderBy('sha', 'desc', { limit: 5 }))).toEqual(bySha.slice().reverse().slice(0, 5));
    const column = store.column('message');
    expect(column.storage).toBe('fsst');
    expect(column.toArray()).toEqual(RECORDS.map((r) => r.message));
    expect(new TextDecoder().decode(column.bytes!.subarray(column.offsets![1], column.offsets![2]))).toBe(RECORDS[1].message ?? '');
    store.dispose();
  });

  it('appends after compression are encoded as they come, and a failed one changes nothing', async () => {
    const store = await Store.fromJSON<Rec>(ndjson(RECORDS), { format: 'ndjson' });
    expect(storageOf(store, 'sha')).toBe('fsst');
    const more: Rec[] = commits(3000, 3).map((record, i) => ({ ...record, id: 8000 + i }));
    await store.append(ndjson(more), { format: 'ndjson' });
    await store.append(more.slice(0, 1000));
    const expected = [...RECORDS, ...more, ...more.slice(0, 1000)];
    assert.deepStrictEqual(store.toArray(), expected);
    // The same sha appended twice is one group: the append spelled it as the compression did.
    const twice = more[5].sha as string;
    expect(store.groupBy('sha').count().get(twice)).toBe(2);
    expect(Array.from(store.where('sha').eq(twice).indices())).toEqual([8005, 11005]);
    const schema = store.schema;
    await expect(store.append(`${ndjson(more.slice(0, 50))}\n{"id": 1, "sha": "broken`, { format: 'ndjson' })).rejects.toThrow(MemstoreParseError);
    expect(store.schema).toEqual(schema);
    assert.deepStrictEqual(store.toArray(), expected);
    expect(store.where('sha').eq(twice).count()).toBe(2);
    store.dispose();
  });

  describe('files', () => {
    const folder = mkdtempSync(join(tmpdir(), 'memstore-fsst-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it('.msx, Arrow IPC and Parquet give the strings back exactly', async () => {
      const store = await Store.fromRecords<Rec>(RECORDS);
      const back = await Store.fromBytes<Rec>(store.toBytes());
      expect(storageOf(back, 'message')).toBe('fsst');
      assert.deepStrictEqual(back.toArray(), RECORDS);
      expect(back.where('sha').eq(RECORDS[9].sha as string).count()).toBe(1);
      expect(back.toBytes()).toEqual(store.toBytes());
      for (const name of ['c.arrow', 'c.parquet']) {
        const file = join(folder, name);
        if (name.endsWith('.arrow')) await store.writeArrow(file);
        else await store.toParquet(file);
        const read = await Store.fromFile<Rec>(file);
        assert.deepStrictEqual(read.toArray(), RECORDS, name);
        read.dispose();
      }
      back.dispose();
      store.dispose();
    });

    it('a .msx whose symbol table or codes were changed (and re-signed) is a MemstoreFormatError', async () => {
      const store = await Store.fromRecords<Rec>(RECORDS);
      const file = new FileMap(store.toBytes());
      const table = file.buffer(['sha'], Descriptor.Dict);
      expect(file.entry(table).length).toBe(FsstTable.Bytes);
      const count = file.get(table, FsstTable.Count);
      const refused = async (map: FileMap, what: string, pattern: RegExp) => {
        const error = await Store.fromBytes(map.bytes).then(() => null, (caught: unknown) => caught);
        expect(error, what).toBeInstanceOf(MemstoreFormatError);
        expect((error as Error).message, what).toMatch(pattern);
      };
      await refused(new FileMap(file.bytes).setByte(table, FsstTable.Lengths, 9), 'a symbol of 9 bytes', /FSST symbol table/);
      await refused(new FileMap(file.bytes).set(table, FsstTable.Count, 256), '256 symbols', /FSST symbol table/);
      await refused(new FileMap(file.bytes).setByte(table, FsstTable.FirstCount + 0x30, 200), 'a first-byte index that disagrees', /FSST symbol table/);
      // A row's first code past the table's symbols (the table holds fewer than 255 here or the first code is a symbol).
      const heap = file.buffer(['sha'], Descriptor.Heap);
      if (count < 255) await refused(new FileMap(file.bytes).setByte(heap, 0, count), 'a code past the table', /row 0 is not FSST codes/);
      // A row spelled otherwise than the table spells it: its first code, a symbol, replaced by the escape of that symbol's first byte would need a byte more; the escape alone is no spelling at all.
      const last = file.entry(heap).length - 1;
      const escaped = new FileMap(file.bytes).setByte(heap, last, FsstTable.Escape);
      if (file.bytes[file.entry(heap).offset + last - 1] !== FsstTable.Escape) await refused(escaped, 'an escape without its byte', /is not FSST codes/);
      store.dispose();
    });
  });
});
