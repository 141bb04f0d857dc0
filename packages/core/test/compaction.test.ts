// Memory fitted to the data (src/compact.ts): after every load and append a store whose WASM
// memory passed what it uses by more than 5% and a page moves into a fresh instance of its size.
// These check the bound on every entry path, and that a store answers identically across the
// move: reads, queries, views taken before it, appends (kept and failed) after it, dispose, caps.
import { Readable } from 'node:stream';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemstoreCapacityError, MemstoreDisposedError, MemstoreParseError, Store } from '../src/node';
import { prng } from '@memstore/testkit/prng';
import { caught, withStore } from './helpers';
import { planCompaction } from '../src/compact';
import { ArenaStat, CompactSizes, CompactStep, type MemstoreExports } from '../src/wasm/abi';

const dir = mkdtempSync(join(tmpdir(), 'memstore-compaction-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CATS = ['tools', 'toys', 'food', 'books'];
/** Records with every kind of column: ints, floats, codes, text (unique strings), bools, lists, nulls, missing keys, a mixed field. */
function record(i: number): Record<string, unknown> {
  const value: Record<string, unknown> = {
    id: i,
    cat: CATS[i % 4],
    note: `note number ${i * 7919} of the run`,
    price: i % 5 === 0 ? null : (i % 100) / 4,
    tags: Array.from({ length: i % 4 }, (_, k) => `t${(i + k) % 9}`),
    size: { w: i % 13, h: i % 3 === 0 ? 2.5 : 1 },
    ok: i % 3 === 0,
    any: i % 7 === 0 ? 'seven' : i % 11,
  };
  if (i % 6 === 0) delete value.size;
  return value;
}
const records = (from: number, count: number) => Array.from({ length: count }, (_, i) => record(from + i));

/** The bound: reserved memory at most 5% and a page over what the structures (and a made workspace) use. */
function expectFitted(store: Store<any>): void {
  // Before anything reads memory: the engine's buffer is the new memory's. A detached buffer of the
  // old one links to the old Memory, which then stays alive with every page of it (store.memory()
  // never shows that: it reads the current memory).
  const engine = (store as unknown as { engine: { buffer: ArrayBuffer; exports: { memory: WebAssembly.Memory } } }).engine;
  expect(engine.buffer).toBe(engine.exports.memory.buffer);
  const { reservedBytes, totalBytes, workspaceBytes } = store.memory();
  expect(reservedBytes).toBeLessThanOrEqual(1.05 * (totalBytes + workspaceBytes) + 65536);
}

/** Queries of every kind against the model. */
function expectAnswers(store: Store<any>, model: readonly Record<string, unknown>[]): void {
  expect(store.length).toBe(model.length);
  expect(store.toArray()).toEqual(model);
  expect(store.where('cat').eq('toys').and('ok').eq(true).count()).toBe(model.filter((r) => r.cat === 'toys' && r.ok).length);
  expect(store.where('note').gte('note number 5').count()).toBe(model.filter((r) => (r.note as string) >= 'note number 5').length);
  expect(store.where('tags').any().eq('t3').count()).toBe(model.filter((r) => (r.tags as string[]).includes('t3')).length);
  expect(store.sum('price')).toBe(model.reduce((sum, r) => sum + ((r.price as number | null) ?? 0), 0));
  const counts = new Map<unknown, number>();
  for (const r of model) counts.set(r.cat, (counts.get(r.cat) ?? 0) + 1);
  expect(store.groupBy('cat').count()).toEqual(counts);
  const last = model[model.length - 1];
  expect(store.where('id').eq(last.id as number).first()?.toJSON()).toEqual(last);
  expect(intValues(store.column('id'))).toEqual(model.map((r) => r.id));
}

describe('every entry path leaves memory fitted to the data', () => {
  const model = records(0, 30_000);
  const text = JSON.stringify(model);
  const file = join(dir, 'records.json');
  writeFileSync(file, text);
  const loads: Array<[string, () => Promise<Store<any>>]> = [
    ['fromJSON(string)', () => Store.fromJSON(text)],
    ['fromJSON(bytes)', () => Store.fromJSON(new TextEncoder().encode(text))],
    ['fromStream', () => Store.fromStream(Readable.from([new TextEncoder().encode(text)]))],
    ['fromFile', () => Store.fromFile(file)],
    ['fromRecords', () => Store.fromRecords(model)],
  ];
  for (const [name, load] of loads) {
    it(`${name}: fitted, and it answers as the records say`, async () => {
      await withStore(load(), (store) => {
        expectFitted(store);
        expectAnswers(store, model);
      });
    });
  }

  it('fromJSON of flat records (no JS Column made before the move): fitted, the old memory let go', async () => {
    const flat = Array.from({ length: 50_000 }, (_, i) => ({ id: i, name: CATS[i % 4], at: { day: i % 28 } }));
    await withStore(Store.fromJSON(JSON.stringify(flat)), (store) => {
      expectFitted(store);
      expect(store.toArray()).toStrictEqual(flat);
    });
  });

  for (const route of ['text', 'records'] as const) {
    it(`append (${route}) in chunks: fitted after each, and it answers as the records say`, async () => {
      await withStore(Store.fromRecords<unknown>([]), async (store) => {
        const so: Record<string, unknown>[] = [];
        for (let from = 0; from < 30_000; from += 3000) {
          const chunk = records(from, 3000);
          await store.append(route === 'text' ? JSON.stringify(chunk) : chunk);
          so.push(...chunk);
          expectFitted(store);
        }
        expectAnswers(store, so);
      });
    });
  }
});

describe('a store answers identically across compaction', () => {
  it('views, selections and groupings taken before an append read the same after it', async () => {
    const model = records(0, 5000);
    await withStore(Store.fromRecords<unknown>(model), async (store) => {
      const view = store.at(4321) as { note: string; size: { w: number }; tags: { length: number } };
      const selection = store.where('cat').eq('food');
      const count = selection.count();
      const values = store.values('size.w');
      await store.append(records(5000, 20_000)); // grows every column past what it holds: a move
      expectFitted(store);
      expect(view.note).toBe(model[4321].note);
      expect(view.size.w).toBe((model[4321].size as { w: number }).w);
      expect(view.tags.length).toBe((model[4321].tags as string[]).length);
      expect(selection.count()).toBe(count);
      expect(values.at(4321)).toBe((model[4321].size as { w: number }).w);
      expectAnswers(store, [...model, ...records(5000, 20_000)]);
    });
  });

  it('views, lists and value lists of an earlier snapshot read the fields an append rebuilt (mixed, a struct turned map) after its move', async () => {
    // A rebuild writes a field's rows into a new column and leaves the old one for earlier
    // snapshots; the compaction copies only the schema's columns, so those are frozen first
    // (Column.freeze). Without that, the lists below read [null, null] and toJSON NaN.
    const model = Array.from({ length: 300 }, (_, i) => ({
      n: i, f: i % 2 === 0 ? null : i, tags: [i, i + 1], items: [{ a: `a${i % 3}` }], on: i % 2 === 0, reg: { x: i, y: `y${i % 4}` },
    }));
    await withStore(Store.fromJSON(JSON.stringify(model)), async (store) => {
      const views = model.map((_, i) => store.at(i) as unknown as { toJSON(): unknown; get(path: string): unknown; tags: Iterable<number>; items: Iterable<{ a: string }> });
      const tags = views.map((view) => view.tags);
      const values = store.values('reg');
      const selection = store.where('n').gte(0);
      const more = Array.from({ length: 3000 }, (_, i) => ({
        n: i, f: `s${i}`, tags: [`t${i}`, { o: i }], items: [{ a: i }, 5], on: 'yes',
        reg: Object.fromEntries([0, 1, 2].map((k) => [`id${i * 3 + k}`, { v: k }])),
      }));
      await store.append(more.map((record) => JSON.stringify(record)).join('\n'), { format: 'ndjson' });
      expectFitted(store);
      // The append did rebuild them: else this test would check nothing new.
      const types = Object.fromEntries(store.schema.fields!.map((field) => [field.key, field.type]));
      expect(types).toMatchObject({ f: 'mixed', on: 'mixed', reg: 'map' });
      expect(store.schema.fields!.find((field) => field.key === 'tags')!.element!.type).toBe('mixed');
      expect(views.map((view) => view.toJSON())).toEqual(model);
      expect(tags.map((list) => [...list])).toEqual(model.map((record) => record.tags));
      expect(views.map((view) => [...view.items].map((item) => item.a))).toEqual(model.map((record) => record.items.map((item) => item.a)));
      expect(views.map((view) => view.get('reg.y'))).toEqual(model.map((record) => record.reg.y));
      expect(values.toArray()).toEqual(model.map((record) => record.reg));
      expect(selection.toArray()).toEqual(model);
      expect(store.toArray()).toEqual([...model, ...more]);
    });
  });

  it('small appends to a fitted store stay within the rule after each, and it is copied seldom', async () => {
    // Memory grows by the pages needed for a while after a fit, and the string table keeps room
    // (wasm test/growth.test.ts): the rule must still hold after every append. (On a 50,000-event
    // store every one-line append was copied before; these records do not need as much.)
    const model = Array.from({ length: 20_000 }, (_, i) => ({ id: `id-${i}`, user: `user-${i % 500}`, n: i, text: `text ${i * 7919}` }));
    await withStore(Store.fromJSON(JSON.stringify(model)), async (store) => {
      const engine = (store as unknown as { engine: { exports: object } }).engine;
      let moves = 0;
      for (let i = 0; i < 30; i++) {
        const before = engine.exports;
        const record = { id: `new-${i}`, user: `user-${i}`, n: 20_000 + i, text: `appended ${i}` };
        await store.append(JSON.stringify(record));
        model.push(record);
        if (engine.exports !== before) moves++;
        expectFitted(store);
      }
      expect(moves).toBeLessThanOrEqual(2);
      expect(store.toArray()).toEqual(model);
    });
  });

  it('an undone append that rebuilt a column it made leaves nothing to freeze: the next compaction and appends go on', async () => {
    // The rebuild's old column was the undone append's own (given back with it), not an earlier
    // snapshot's: freezing it read a detached buffer, and the append failed with a TypeError.
    await withStore(Store.fromRecords<unknown>([], { maxMemoryBytes: 4 << 20 }), async (store) => {
      const big = [{ id: 0, nested: { c: '' } }, { id: 1, nested: { c: {} } }, ...Array.from({ length: 6 }, (_, i) => ({ id: i, name: `${i}${'x'.repeat(1 << 20)}` }))];
      expect(await caught(() => store.append(JSON.stringify(big)))).toBeInstanceOf(MemstoreCapacityError);
      expect(await caught(() => store.append(big))).toBeInstanceOf(MemstoreCapacityError);
      expect(store.length).toBe(0);
      const records = Array.from({ length: 2000 }, (_, i) => ({ id: i, nested: { c: i % 2 === 0 ? `s${i}` : { d: i } } }));
      await store.append(JSON.stringify(records));
      expect(store.toArray()).toEqual(records);
      expectFitted(store);
    });
  });

  it('appends after it grow as usual: new fields, a field turning mixed, text, and a parse that reviews a wide struct', async () => {
    await withStore(Store.fromJSON(JSON.stringify(records(0, 4000))), async (store) => {
      const model = records(0, 4000);
      const more = records(4000, 2000).map((r, i) => ({ ...r, extra: { deep: [i, `x${i}`] }, cat: i % 2 === 0 ? r.cat : i }));
      await store.append(JSON.stringify(more));
      model.push(...more);
      const wide = Array.from({ length: 3 }, (_, n) => Object.fromEntries(Array.from({ length: 80 }, (_, k) => [`k${k}`, n * k])));
      await store.append(wide);
      model.push(...wide);
      expectFitted(store);
      expect(store.toArray()).toEqual(model);
      expect(store.where('cat').eq('toys').count()).toBe(model.filter((r) => r.cat === 'toys').length);
    });
  });

  it('a wide store: columns nobody read before a move (their Columns not made yet) read right after it, from views of either snapshot', async () => {
    const wide = (n: number) => Object.fromEntries(Array.from({ length: 300 }, (_, c) => [`f${c}`, c % 7 === 0 ? `s${(n + c) % 5}` : n * 1000 + c]));
    const model = Array.from({ length: 50 }, (_, n) => wide(n));
    await withStore(Store.fromJSON(JSON.stringify(model)), async (store) => {
      const nested = await Store.fromJSON(JSON.stringify(model.map((record) => ({ inner: record }))));
      const inner = nested.at(3) as { inner: Record<string, unknown> };
      const lazy = store.values('f200'); // through this snapshot's nodes, read only after the move
      const more = Array.from({ length: 5000 }, (_, n) => wide(50 + n));
      await store.append(JSON.stringify(more));
      await nested.append(more.map((record) => ({ inner: record })));
      expectFitted(store);
      expectFitted(nested);
      expect(inner.inner.f299).toBe(3299);
      expect(lazy.at(9)).toBe(9200);
      expect(lazy.length).toBe(50);
      expect(store.where('f14').eq('s1').count()).toBe([...model, ...more].filter((r) => r.f14 === 's1').length);
      expect(nested.toArray()).toEqual([...model, ...more].map((record) => ({ inner: record })));
      expect(store.toArray()).toEqual([...model, ...more]);
      nested.dispose();
    });
  });

  it('a small loaded store keeps no string index (lookups scan): queries, appends of known and new strings, wide records, a failed append', async () => {
    // 60 records of 40 keys (a wide struct: its keys are looked up through the string table) and strings from a pool.
    const row = (i: number) => Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`key${k}`, k % 3 === 0 ? `v${(i + k) % 7}` : i * 100 + k]));
    const model = Array.from({ length: 60 }, (_, i) => row(i));
    // A MiB of trailing whitespace: its input buffer is a hole after the load, so the load is
    // compacted (its columns' growth alone may stay within the rule, and a store that is not
    // compacted keeps its index).
    await withStore(Store.fromJSON(JSON.stringify(model) + ' '.repeat(1 << 20)), async (store) => {
      const count = (path: string, value: string) => [...model].filter((r) => r[path] === value).length;
      // The table is its strings' bytes and offsets: no hash index (strings.ts).
      const distinct = new Set(model.flatMap((r) => [...Object.keys(r), ...Object.values(r).filter((v) => typeof v === 'string')]));
      const strings = store.memory().strings;
      expect(strings.count).toBe(distinct.size);
      expect(strings.bytes).toBe([...distinct].reduce((sum, text) => sum + text.length, 0) + 4 * (distinct.size + 1));
      expect(store.where('key0').eq('v3').count()).toBe(count('key0', 'v3'));
      expect(store.where('key3').eq('never seen').count()).toBe(0);
      // The error comes after "brand new" was interned: undone, it must not be found.
      const bad = JSON.stringify([row(60), { key0: 'brand new' }]).replace(/\]$/, ',{"key0":@}]');
      expect(await caught(() => store.append(bad))).toBeInstanceOf(MemstoreParseError);
      expect(store.where('key0').eq('brand new').count()).toBe(0);
      const more = [row(60), { ...row(61), key0: 'brand new', extra: 'also new' }];
      await store.append(JSON.stringify(more));
      model.push(...more);
      await store.append([{ ...row(62), key3: 'from records' }]);
      model.push({ ...row(62), key3: 'from records' });
      expect(store.toArray()).toEqual(model);
      expect(store.where('key0').eq('brand new').count()).toBe(1);
      expect(store.where('key3').eq('from records').count()).toBe(1);
      expect(store.where('key0').eq('v3').count()).toBe(count('key0', 'v3'));
    });
  });

  it('a large loaded store keeps no string index either: literals are found in their dictionaries, in any number, on every load path', async () => {
    // 7,000 strings, far past the 4,096 under which the index had been dropped before (strings.ts):
    // 40 columns of 150 each and one of 1,000 (past Limit.SmallDictionary: its index is dropped too).
    const row = (i: number) => {
      const r: Record<string, string | number> = { big: `u${i % 1000}`, n: i };
      for (let k = 0; k < 40; k++) r[`c${k}`] = `c${k}-${(i + k * 7) % 150}`;
      return r;
    };
    const model = Array.from({ length: 20_000 }, (_, i) => row(i));
    const json = JSON.stringify(model);
    const bytesOf = (texts: Iterable<string>) => [...texts].reduce((sum, text) => sum + text.length, 0);
    const count = (rows: typeof model, path: string, values: string[]) => rows.filter((r) => values.includes(r[path] as string)).length;
    const loads: Record<string, () => Promise<Store<any>>> = {
      string: () => Store.fromJSON(json),
      records: () => Store.fromRecords(model),
      msx: () => withStore(Store.fromJSON(json), (store) => Store.fromBytes(store.toBytes())),
    };
    for (const [how, load] of Object.entries(loads)) {
      await withStore(load(), async (store) => {
        const distinct = new Set([...Object.keys(model[0]), ...model.flatMap((r) => Object.values(r).filter((v) => typeof v === 'string'))]);
        expect(distinct.size).toBe(7042);
        const strings = store.memory().strings;
        expect(strings.count, how).toBe(distinct.size);
        // Its strings' bytes and offsets, and no index: the load was copied into a fitted instance
        // (a string's input buffer is a hole after it; a .msx load drops it). fromRecords sizes its
        // store exactly: not copied, it keeps the index, which dropping would not give back.
        if (how !== 'records') expect(strings.bytes, how).toBe(bytesOf(distinct) + 4 * (distinct.size + 1));
        else expect(strings.bytes, how).toBeGreaterThan(bytesOf(distinct) + 4 * (distinct.size + 1));
        expect(store.schema.fields!.find((f) => f.key === 'big')!.storage, how).toBe('dict16');
        expect(store.schema.fields!.find((f) => f.key === 'c3')!.storage, how).toBe('dict8');
        expect(store.where('big').eq('u17').count(), how).toBe(count(model, 'big', ['u17']));
        expect(store.where('c3').eq('c3-149').count(), how).toBe(count(model, 'c3', ['c3-149']));
        expect(store.where('big').eq('never seen').count(), how).toBe(0);
        // A string of the table, but not of this column.
        expect(store.where('c3').eq('c4-1').count(), how).toBe(0);
        const few = ['u1', 'u999', 'absent'];
        // Past 8 literals, in() matches the dictionary's strings against a set (query/literals.ts).
        const many = Array.from({ length: 50 }, (_, k) => (k % 10 === 9 ? `none${k}` : `u${k * 19}`));
        expect(store.where('big').in(few).count(), how).toBe(count(model, 'big', few));
        expect(store.where('big').in(many).count(), how).toBe(count(model, 'big', many));
        // A failed append leaves the table as it was; a good one builds the index again (strings.ts).
        const bad = JSON.stringify([{ ...row(1), big: 'brand new' }]).replace(/\]$/, ',@]');
        expect(await caught(() => store.append(bad)), how).toBeInstanceOf(MemstoreParseError);
        expect(store.memory().strings.count, how).toBe(distinct.size);
        expect(store.where('big').eq('brand new').count(), how).toBe(0);
        const rows = [...model, { ...row(2), big: 'brand new' }];
        await store.append([rows[20_000]]);
        expect(store.memory().strings.bytes, how).toBeGreaterThan(bytesOf(distinct) + 'brand new'.length + 4 * (distinct.size + 2));
        expect(store.where('big').eq('brand new').count(), how).toBe(1);
        expect(store.where('big').in(['brand new', ...many]).count(), how).toBe(count(rows, 'big', ['brand new', ...many]));
        expect(store.toArray(), how).toEqual(rows);
      });
    }
  });

  it('a failed append after it leaves the store as it was, and the next append works', async () => {
    const model = records(0, 8000);
    await withStore(Store.fromJSON(JSON.stringify(model)), async (store) => {
      expectAnswers(store, model);
      const bad = JSON.stringify(records(8000, 9000)).replace(/\]$/, ',{"id":@}]');
      expect(await caught(() => store.append(bad))).toBeInstanceOf(MemstoreParseError);
      expectFitted(store);
      expectAnswers(store, model);
      const badRecords = [...records(8000, 100), { id: 1n }];
      expect(await caught(() => store.append(badRecords as unknown[]))).toBeInstanceOf(Error);
      expectAnswers(store, model);
      await store.append(records(8000, 3000));
      expectAnswers(store, [...model, ...records(8000, 3000)]);
    });
  });

  it('dispose after it: the store and its views throw, column views read as empty', async () => {
    const store = await Store.fromJSON(JSON.stringify(records(0, 3000)));
    await store.append(records(3000, 9000));
    const view = store.at(10) as { cat: string; get(path: string): unknown };
    const cat = view.cat;
    const ids = store.column('id').deltas!;
    expect(ids.length).toBe(12_000);
    store.dispose();
    expect(() => store.length).toThrow(MemstoreDisposedError);
    expect(() => view.get('cat')).toThrow(MemstoreDisposedError);
    expect(view.cat).toBe(cat); // a field: copied when the view was made
    expect(ids.length).toBe(0);
  });
});

const exportsOf = (store: Store<any>) => (store as unknown as { engine: { exports: MemstoreExports } }).engine.exports;

describe("the module's walk (compactMeasure, compactImage) and the facade's planner", () => {
  /** Stores of every shape: lists of lists, maps, mixed, sparse and text columns, wide structs, after appends kept and failed. */
  async function stores(): Promise<Store<any>[]> {
    const lists = Array.from({ length: 300 }, (_, i) => ({ m: [[i, i + 1], [], [i % 3]], o: Object.fromEntries(Array.from({ length: i % 5 }, (_, k) => [`id${k * 1000 + i}`, { v: k }])) }));
    const sparse = Array.from({ length: 2000 }, (_, i) => (i % 97 === 0 ? { id: i, rare: `r${i}`, deep: { x: i } } : { id: i }));
    const built = [
      await Store.fromJSON(JSON.stringify(records(0, 3000))),
      await Store.fromRecords(records(0, 500)),
      await Store.fromJSON(JSON.stringify(lists)),
      await Store.fromJSON(JSON.stringify(sparse)),
      await Store.fromJSON(JSON.stringify([Object.fromEntries(Array.from({ length: 3000 }, (_, k) => [`key${k}`, k % 2 ? k : `s${k}`]))])),
      await Store.fromJSON('[]'),
      await Store.fromJSON('[1, "a", null, [2], {"b": 3}]'),
    ];
    await built[1].append(records(500, 700));
    expect(await caught(() => built[1].append('[{"id": 1, "fresh": "x"}, garbage'))).toBeInstanceOf(MemstoreParseError);
    await built[2].append(JSON.stringify(lists.slice(0, 50)));
    return built;
  }

  it('find the same blocks of every store, at every headroom: what the walk takes for a tree, the planner finds by address', async () => {
    for (const store of await stores()) {
      const wasm = exportsOf(store);
      for (const headroom of [0, 4]) {
        const plan = planCompaction(wasm, headroom);
        const sizes = new Float64Array(wasm.memory.buffer, wasm.compact(CompactStep.Measure, headroom, 0) >>> 0, CompactSizes.Bytes / 8);
        expect(sizes[CompactSizes.Blocks / 8]).toBe(plan.count);
        expect(sizes[CompactSizes.UsedBytes / 8]).toBe(plan.usedBytes);
        expect(sizes[CompactSizes.CopyBytes / 8]).toBe(plan.bytes);
      }
      store.dispose();
    }
  });

  it('compactPrepare sizes the image by its own walk or by the last measure alike, and compactImage(0) gives back all it took', async () => {
    for (const store of await stores()) {
      const wasm = exportsOf(store);
      const model = store.toArray();
      const figures = (at: number) => Array.from(new Float64Array(wasm.memory.buffer, at >>> 0, CompactSizes.Bytes / 8));
      for (const headroom of [0, 4]) {
        const held = () => wasm.arenaStat(ArenaStat.Top) - wasm.arenaStat(ArenaStat.FreeBytes) - wasm.arenaStat(ArenaStat.LeakedBytes);
        const before = held();
        const own = figures(wasm.compact(CompactStep.Prepare, headroom, 0));
        expect(wasm.compact(CompactStep.Image, 0, 0)).toBe(0);
        wasm.compact(CompactStep.Measure, headroom, 0);
        const trusted = figures(wasm.compact(CompactStep.Prepare, headroom, 1));
        expect(wasm.compact(CompactStep.Image, 0, 0)).toBe(0);
        expect(trusted).toEqual(own);
        expect(own[CompactSizes.Copies / 8]).toBeGreaterThan(0);
        expect(own[CompactSizes.ImageBytes / 8]).toBeLessThanOrEqual(own[CompactSizes.CopyBytes / 8]);
        // All of it given back (but what the arena leaks splitting a free block, as it reports).
        expect(held()).toBe(before);
      }
      // Readying may have grown the memory: the Columns' views are made again, as fitMemory does then.
      (store as unknown as { engine: { refresh(): void } }).engine.refresh();
      expect(store.toArray()).toEqual(model);
      store.dispose();
    }
  });

  it('a store the module cannot image (compactPrepare 0) is copied by the planner, and answers the same', async () => {
    await withStore(Store.fromJSON(JSON.stringify(records(0, 3000))), async (store) => {
      const engine = store as unknown as { engine: { wasm: MemstoreExports } };
      const model = records(0, 6000);
      // The engine's instance, but one whose walk says the image does not fit (as at the memory cap).
      const real = engine.engine.wasm;
      let asked = 0;
      engine.engine.wasm = {
        ...real,
        compact: (step, a, b) => {
          if (step !== CompactStep.Prepare) return real.compact(step, a, b);
          asked++;
          return 0;
        },
      };
      await store.append(records(3000, 3000));
      expect(asked).toBe(1);
      expect(engine.engine.wasm).not.toBe(real);
      expectFitted(store);
      expectAnswers(store, model);
    });
  });
});

describe('memory caps', () => {
  it('fromRecords of strings many columns share: reserved for their sum, fitted after, and counted exactly when the sum would pass the cap', async () => {
    // 5,000 strings of ~100 bytes drawn into 20 columns: the sources hold ~100,000 strings (past
    // the count that is deduplicated, plan.ts EXACT_UNION_STRINGS), the table 5,000, so the sum's
    // table is ~20 times the exact one. Uncapped, the sum is reserved and the fit gives the rest
    // back; under a cap the sum (~12 MB) would pass and the exact store (~2 MB) does not, they are counted.
    const pool = Array.from({ length: 5000 }, (_, i) => `${i.toString(36).padStart(4, '0')} ${'a string many columns hold alike, '.repeat(3)}`);
    const random = prng(7);
    const model = Array.from({ length: 15_000 }, () => Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`c${k}`, pool[Math.floor(random() * pool.length)]])));
    const uncapped = await Store.fromRecords<unknown>(model);
    try {
      expectFitted(uncapped);
      expect(new Set(uncapped.schema.fields?.map((field) => field.storage))).toEqual(new Set(['dict16']));
      expect(uncapped.memory().strings.count).toBe(5000 + 20);
      expect(uncapped.memory().reservedBytes).toBeLessThan(4 * 2 ** 20);
      expect(uncapped.toArray()).toEqual(model);
    } finally {
      uncapped.dispose();
    }
    const cap = 4 * 2 ** 20;
    expect(100_000 * pool[0].length).toBeGreaterThan(2 * cap);
    await withStore(Store.fromRecords<unknown>(model, { maxMemoryBytes: cap }), (store) => {
      expect(store.memory().reservedBytes).toBeLessThanOrEqual(cap);
      expect(store.toArray()).toEqual(model);
    });
  });

  it('a capped store is fitted too, stays under its cap, and answers after an append that hit it', async () => {
    await withStore(Store.fromRecords<unknown>([], { maxMemoryBytes: 2 ** 21 }), async (store) => {
      const model: Record<string, unknown>[] = [];
      let error: unknown = null;
      for (let from = 0; error === null && from < 1_000_000; from += 2000) {
        const chunk = records(from, 2000);
        try {
          await store.append(JSON.stringify(chunk));
          model.push(...chunk);
          expectFitted(store);
        } catch (thrown) {
          error = thrown;
        }
      }
      expect(error).toBeInstanceOf(MemstoreCapacityError);
      expect(store.memory().reservedBytes).toBeLessThanOrEqual(2 ** 21);
      expectAnswers(store, model);
    });
  });
});

/** An int column's values from column(): its base plus each delta (the ids here are far below 2^53). */
function intValues(column: { base: number | undefined; deltas: ArrayLike<number | bigint> | null }): number[] {
  return Array.from(column.deltas ?? [], (delta) => column.base! + Number(delta));
}
