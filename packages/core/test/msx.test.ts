// The .msx file (src/persist/, MSX.md): exact round trips through toBytes / fromBytes and save /
// load on generated data (every storage: ints past 2^31 and 2^53, -0, dictionary and text
// strings, lone surrogates, sparse columns, lists, maps, mixed columns, missing vs null) and on
// every example dataset; the loaded store answers queries, appends and disposes as the original;
// the checksum against published xxHash64 vectors; fromFile's dispatch; atomic saves.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DEPTH, MemstoreCapacityError, MemstoreFormatError, MemstoreInputError, Store } from '../src/node';
import { xxh64 } from '../src/persist/xxhash';
import { instantiate } from '../src/wasm/load';
import { MsxCheck } from '../src/wasm/abi';
import { json, shapedRecord } from './arbitraries';
import { example, exactJson, recordsOf } from './helpers';
import { storeOf, wideRecords, type Route } from './msx/data';

const folder = mkdtempSync(join(tmpdir(), 'memstore-msx-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** What JSON.parse gives for the records (fc.record makes null-prototype objects; a store gives plain ones). */
const parsed = (records: readonly unknown[]) => JSON.parse(exactJson(records));

/** The store read back from its bytes: the same records, schema and storage. */
async function roundTrip(store: Store): Promise<Store> {
  const bytes = store.toBytes();
  const back = await Store.fromBytes(bytes);
  expect(back.length).toBe(store.length);
  expect(back.schema).toEqual(store.schema);
  // The file is canonical: the loaded store saves to the same bytes.
  expect(back.toBytes()).toEqual(bytes);
  return back;
}

describe('xxHash64', () => {
  // XXH64 with seed 0: the spec's and python-xxhash's published values, the last (773 bytes,
  // through the 32-byte stripes and every tail) from the reference library libxxhash 0.8.1.
  const vectors: Array<[Uint8Array, bigint]> = [
    [new Uint8Array(0), 0xef46db3751d8e999n],
    [new TextEncoder().encode('a'), 0xd24ec4f1a98c6e5bn],
    [new TextEncoder().encode('abc'), 0x44bc2cf5ad770999n],
    [new TextEncoder().encode('xxhash'), 0x32dd38952c4bc720n],
    [new TextEncoder().encode('Nobody inspects the spammish repetition'), 0xfbcea83c8a378bf1n],
    [Uint8Array.from({ length: 773 }, (_, i) => (i < 768 ? i & 255 : 0x31 + i - 768)), 0xae0a5bd1b9a11ab8n],
  ];

  it('JS and WASM give the published values', async () => {
    const wasm = await instantiate();
    const at = wasm.arenaAllocate(1024) >>> 0;
    for (const [bytes, expected] of vectors) {
      expect(xxh64(bytes)).toBe(expected);
      new Uint8Array(wasm.memory.buffer).set(bytes, at);
      expect(BigInt.asUintN(64, wasm.msxHash(at, bytes.length))).toBe(expected);
    }
  });

  it('JS and WASM agree on any bytes at any alignment', async () => {
    const wasm = await instantiate();
    const at = wasm.arenaAllocate(4096) >>> 0;
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 7 }), (bytes, shift) => {
      new Uint8Array(wasm.memory.buffer).set(bytes, at + shift);
      expect(BigInt.asUintN(64, wasm.msxHash(at + shift, bytes.length))).toBe(xxh64(bytes));
    }), { numRuns: 200 });
  });
});

/** WTF-8 by code points, plainly: each sequence decodes to a code point in its length's range (shortest form, ≤ U+10FFFF); no lead surrogate is followed by a trail one (a pair is one 4-byte character). */
function isWtf8Reference(bytes: Uint8Array): boolean {
  const points: number[] = [];
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i];
    const length = lead < 0x80 ? 1 : lead >= 0xc0 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf8 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return false;
    let point = length === 1 ? lead : lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      if ((bytes[i + k] & 0xc0) !== 0x80) return false;
      point = (point << 6) | (bytes[i + k] & 0x3f);
    }
    if (point < [0, 0, 0x80, 0x800, 0x10000][length] || point > 0x10ffff) return false;
    points.push(point);
    i += length;
  }
  return !points.some((point, i) => point >= 0xd800 && point <= 0xdbff && points[i + 1] >= 0xdc00 && points[i + 1] <= 0xdfff);
}

describe("the module's checks agree with plain JS", () => {
  const pieces = fc.oneof(
    fc.integer({ min: 0, max: 0x10ffff }).map((point) => wtf8Of(point)),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((point) => wtf8Of(point)),
    fc.uint8Array({ minLength: 1, maxLength: 3 }),
    fc.constantFrom([0xc0, 0x80], [0xe0, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80], [0xed, 0xb0, 0x80, 0xed, 0xa0, 0x80], [0x61]).map((b) => Uint8Array.from(b)),
  );
  const strings = fc.array(fc.array(pieces, { maxLength: 12 }).map((parts) => Uint8Array.from(parts.flatMap((part) => [...part]))), { minLength: 1, maxLength: 8 });

  it('msxCheck Wtf8: the first string that is not WTF-8', async () => {
    const wasm = await instantiate();
    await fc.assert(fc.asyncProperty(strings, async (list) => {
      const heapBytes = list.reduce((total, bytes) => total + bytes.length, 0);
      const heap = wasm.arenaAllocate(heapBytes + 8) >>> 0;
      const offsets = wasm.arenaAllocate((list.length + 1) * 4) >>> 0;
      const memory = new Uint8Array(wasm.memory.buffer);
      const words = new Uint32Array(wasm.memory.buffer);
      let at = 0;
      list.forEach((bytes, i) => {
        memory.set(bytes, heap + at);
        words[(offsets >>> 2) + i] = at;
        at += bytes.length;
      });
      words[(offsets >>> 2) + list.length] = at;
      expect(wasm.msxCheck(MsxCheck.Offsets, offsets, list.length, at)).toBe(-1);
      expect(wasm.msxCheck(MsxCheck.Wtf8, heap, offsets, list.length)).toBe(list.findIndex((bytes) => !isWtf8Reference(bytes)));
    }), { numRuns: 500 });
  });

  it('msxCheck Offsets: the first offset that breaks start 0, never decreasing, ending at the end', async () => {
    const wasm = await instantiate();
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 40 }), async (values, end) => {
      const at = wasm.arenaAllocate(values.length * 4) >>> 0;
      new Uint32Array(wasm.memory.buffer).set(values, at >>> 2);
      const count = values.length - 1;
      const bad = values[0] !== 0 ? 0 : values.findIndex((value, i) => i > 0 && value < values[i - 1]);
      const expected = bad >= 0 ? bad : values[count] === end ? -1 : count;
      expect(wasm.msxCheck(MsxCheck.Offsets, at, count, end)).toBe(expected);
    }), { numRuns: 300 });
  });

  it('msxCheck BitmapCount: the set bits among the first n, reading no byte past ceil(n / 8)', async () => {
    const wasm = await instantiate();
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 0, max: 320 }), async (bytes, wanted) => {
      const bits = Math.min(wanted, bytes.length * 8);
      const at = wasm.arenaAllocate(bytes.length + 16) >>> 0;
      const memory = new Uint8Array(wasm.memory.buffer);
      memory.set(bytes, at);
      memory.fill(0xff, at + Math.ceil(bits / 8), at + bytes.length + 16); // past the bitmap: must not be counted
      let expected = 0;
      for (let bit = 0; bit < bits; bit++) expected += (bytes[bit >> 3] >> (bit & 7)) & 1;
      expect(wasm.msxCheck(MsxCheck.BitmapCount, at, bits, 0)).toBe(expected);
    }), { numRuns: 300 });
  });
});

/** The WTF-8 of one code point (a surrogate as its 3-byte form). */
function wtf8Of(point: number): Uint8Array {
  if (point < 0x80) return Uint8Array.of(point);
  if (point < 0x800) return Uint8Array.of(0xc0 | (point >> 6), 0x80 | (point & 0x3f));
  if (point < 0x10000) return Uint8Array.of(0xe0 | (point >> 12), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f));
  return Uint8Array.of(0xf0 | (point >> 18), 0x80 | ((point >> 12) & 0x3f), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f));
}

describe('round trips', () => {
  it('any JSON value, from JSON text: toArray() deep-equals JSON.parse of the input', async () => {
    await fc.assert(fc.asyncProperty(fc.array(json, { maxLength: 20 }), async (records) => {
      const store = await Store.fromJSON(exactJson(records));
      const back = await roundTrip(store);
      expect(back.toArray()).toEqual(parsed(records));
      store.dispose();
      back.dispose();
    }), { numRuns: 150 });
  });

  it('records of one nested shape (structs, lists, a map, a mixed field), from records and from JSON', async () => {
    await fc.assert(fc.asyncProperty(fc.array(shapedRecord, { minLength: 1, maxLength: 40 }), fc.constantFrom<Route>('records', 'json'), async (records, route) => {
      const store = await storeOf(parsed(records), route);
      const back = await roundTrip(store);
      expect(back.toArray()).toEqual(parsed(records));
      store.dispose();
      back.dispose();
    }), { numRuns: 60 });
  });

  it('2,048+ wide records: sparse, text, map, mixed, ints past 2^53, -0, lone surrogates; every route', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2048, max: 3000 }), fc.constantFrom<Route>('records', 'json', 'ndjson'), async (seed, rows, route) => {
      const records = wideRecords(seed, rows);
      const store = await storeOf(records, route);
      const storages = JSON.stringify(store.schema);
      // The data reaches the storages the file must carry.
      expect(storages).toContain('sparse');
      expect(storages).toContain('"map"');
      expect(storages).toContain('text');
      const back = await roundTrip(store);
      const plain = back.toArray();
      expect(plain).toEqual(parsed(records));
      expect(Object.is((plain as Array<{ score: number }>).find((r) => Object.is(r.score, -0))?.score ?? -0, -0)).toBe(true);
      // Queries, aggregates and groups answer as the original's.
      expect(back.where('kind').eq('\ud800lone').count()).toBe(store.where('kind').eq('\ud800lone').count());
      expect(back.where('rare').gt(2 ** 53).count()).toBe(store.where('rare').gt(2 ** 53).count());
      expect(back.sum('id')).toBe(store.sum('id'));
      expect([...back.groupBy('kind').count()]).toEqual([...store.groupBy('kind').count()]);
      expect(back.where('text').eq((records[7] as { text: string }).text).count()).toBe(1);
      expect([...back.orderBy('text', 'desc', { limit: 5 })]).toEqual([...store.orderBy('text', 'desc', { limit: 5 })]);
      expect(back.memory().totalBytes).toBeLessThanOrEqual(store.memory().totalBytes * 1.01 + 4096);
      store.dispose();
      back.dispose();
    }), { numRuns: 6 });
  });

  it('after a load, appends (records and JSON), more strings, new fields, and a save again work', async () => {
    const records = wideRecords(7, 2100);
    const store = await Store.fromRecords(records);
    const back = await Store.fromBytes(store.toBytes());
    const more = [...wideRecords(8, 300), { brand: 'new', kind: 'novel kind', id: 1 }];
    await back.append(more);
    await back.append(exactJson(wideRecords(9, 50)));
    const all = parsed([...records, ...more, ...wideRecords(9, 50)]);
    expect(back.toArray()).toEqual(all);
    expect(back.where('kind').eq('novel kind').count()).toBe(1);
    const again = await Store.fromBytes(back.toBytes());
    expect(again.toArray()).toEqual(all);
    back.dispose();
    expect(() => back.toBytes()).toThrow();
    again.dispose();
    store.dispose();
  });

  it('an empty store, and stores of scalars, round trip', async () => {
    for (const input of ['[]', '[1, 2, 3]', '[null, null]', '["a", 1, true, null, [], {}]', '{"one": "record"}']) {
      const store = await Store.fromJSON(input);
      const back = await roundTrip(store);
      expect(back.toArray()).toEqual(recordsOf(JSON.parse(input)));
    }
  });

  it('nesting to MAX_DEPTH round trips', async () => {
    const deep = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
    const text = `[${deep(MAX_DEPTH)}, {"a": ${deep(MAX_DEPTH - 1)}}]`;
    const store = await Store.fromJSON(text);
    const back = await roundTrip(store);
    expect(back.toArray()).toEqual(JSON.parse(text));
  });

  it('keyAs fields stay marked fromKey', async () => {
    const store = await Store.fromJSON('{"a": {"x": 1}, "b": {"x": 2}}', { pointer: '', keyAs: 'name' });
    const back = await roundTrip(store);
    expect(back.schema.fields?.find((field) => field.key === 'name')?.fromKey).toBe(true);
  });

  const datasets = [
    ...['cargo.json', 'github_events.json', 'shipments.json', 'small_json.json'].map((name) => example(name)),
    ...(existsSync('/work/shared/data') ? readdirSync('/work/shared/data').filter((name) => name.endsWith('.json')).map((name) => join('/work/shared/data', name)) : []),
  ];
  it.each(datasets)('the dataset %s, saved and loaded', async (path) => {
    const store = await Store.fromFile(path);
    const file = join(folder, 'dataset.msx');
    await store.save(file);
    const back = await Store.load(file);
    expect(back.toArray()).toEqual(recordsOf(JSON.parse(readFileSync(path, 'utf8'))));
    expect(back.schema).toEqual(store.schema);
    expect(statSync(file).size).toBe(store.toBytes().length);
    expect(readFileSync(file)).toEqual(Buffer.from(store.toBytes()));
    store.dispose();
    back.dispose();
  });
});

describe('files', () => {
  it('fromFile reads .msx by its extension and by format: "msx"; a JSON load refuses format "msx"', async () => {
    const store = await Store.fromRecords([{ a: 1 }, { a: 2 }]);
    await store.save(join(folder, 'two.msx'));
    await store.save(join(folder, 'two.bin'));
    expect((await Store.fromFile(join(folder, 'two.msx'))).toArray()).toEqual([{ a: 1 }, { a: 2 }]);
    expect((await Store.fromFile(join(folder, 'two.bin'), { format: 'msx' })).toArray()).toEqual([{ a: 1 }, { a: 2 }]);
    await expect(Store.fromJSON('[]', { format: 'msx' as never })).rejects.toThrow(MemstoreInputError);
    await expect(Store.fromFile(join(folder, 'two.msx'), { pointer: '/x' })).rejects.toThrow(/options.pointer applies to JSON input/);
    // A JSON file named .msx is not a saved store.
    writeFileSync(join(folder, 'json.msx'), '[{"a": 1}]'.padEnd(80, ' '));
    await expect(Store.fromFile(join(folder, 'json.msx'))).rejects.toThrow(MemstoreFormatError);
  });

  it('a file larger than maxMemoryBytes is a MemstoreCapacityError before it is read', async () => {
    const store = await Store.fromRecords(wideRecords(3, 3000));
    const file = join(folder, 'big.msx');
    await store.save(file);
    await expect(Store.load(file, { maxMemoryBytes: 2 * 65536 })).rejects.toThrow(MemstoreCapacityError);
    await expect(Store.fromBytes(store.toBytes(), { maxMemoryBytes: 2 * 65536 })).rejects.toThrow(MemstoreCapacityError);
  });

  it('save replaces a file whole, leaves no temporary file, and appends wait for it', async () => {
    const store = await Store.fromRecords(wideRecords(4, 2500));
    const file = join(folder, 'replace.msx');
    writeFileSync(file, 'old');
    const saving = store.save(file);
    const appending = store.append([{ id: 1, kind: 'after the save' }]);
    await saving;
    await appending;
    expect(readdirSync(folder).filter((name) => name.includes('replace.msx') && name !== 'replace.msx')).toEqual([]);
    const back = await Store.load(file);
    expect(back.length).toBe(2500); // the save planned before the append ran
    expect(store.length).toBe(2501);
  });

  it('a missing file is a MemstoreError of code IO; wrong arguments are MemstoreInputErrors', async () => {
    await expect(Store.load(join(folder, 'missing.msx'))).rejects.toMatchObject({ code: 'IO' });
    await expect(Store.fromFile(join(folder, 'missing.msx'))).rejects.toMatchObject({ code: 'IO' });
    await expect(Store.fromBytes('not bytes' as never)).rejects.toThrow(MemstoreInputError);
    await expect(Store.load(42 as never)).rejects.toThrow(MemstoreInputError);
    const store = await Store.fromRecords([{ a: 1 }]);
    await expect(store.save(undefined as never)).rejects.toThrow(MemstoreInputError);
  });

  it('a save into a folder that does not exist fails with code IO and leaves nothing', async () => {
    const store = await Store.fromRecords([{ a: 1 }]);
    await expect(store.save(join(folder, 'nope', 'x.msx'))).rejects.toMatchObject({ code: 'IO' });
  });

  it('a child killed mid-save never leaves a corrupt or half-written file under the name', async () => {
    const child = fileURLToPath(new URL('./msx/saveLoop.mjs', import.meta.url));
    const file = join(folder, 'killed.msx');
    for (let round = 0; round < 4; round++) {
      const process = spawn(globalThis.process.execPath, [child, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Killed once it has begun saving (it prints a line as each save starts), at a varying point.
      await new Promise<void>((resolve) => {
        process.stdout.once('data', () => setTimeout(() => { process.kill('SIGKILL'); resolve(); }, 5 + round * 40));
      });
      await new Promise((resolve) => process.once('exit', resolve));
      if (existsSync(file)) {
        const back = await Store.load(file);
        expect(back.length).toBe(20_000);
        back.dispose();
      }
    }
  }, 60_000);
});
