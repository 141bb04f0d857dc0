// A real engine on both sides of memstore's Arrow IPC: nodejs-polars (Rust Polars, its own Arrow
// implementation) reads the IPC files and streams memstore writes — dictionary columns, structs,
// lists, nulls — and computes the same count, sum and group-by as memstore; memstore reads the IPC
// Polars writes (its files use Utf8View and LargeList, its streams LargeUtf8) exactly: the records
// are Polars' own and JSON.parse of the source file. Polars' compressed IPC is refused with a
// MemstoreFormatError that says so. (DuckDB reads no Arrow IPC here: its arrow extension must be
// downloaded, and this machine has no network.)
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { MemstoreFormatError, Store } from '../../src/node';
import { caught, example, exampleText, withStore } from '../helpers';

const cargoText = exampleText('cargo.json');
const cargo = JSON.parse(cargoText) as { product: { name: string }; quantity: { value: number } }[];

/** A Polars value with its 64-bit ints (BigInt where they pass 2^53) as numbers; -0 kept. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

const recordsOf = (frame: pl.DataFrame): unknown[] => frame.toRecords().map(plain);

describe('Polars reads memstore\'s Arrow IPC', () => {
  for (const format of ['file', 'stream'] as const) {
    it(`cargo (${format}): count, sum and group-by in Polars equal memstore's`, async () => {
      await withStore(Store.fromFile(example('cargo.json')), (store) => {
        const bytes = Buffer.from(store.toArrowIPC({ format }));
        const frame = format === 'file' ? pl.readIPC(bytes) : pl.readIPCStream(bytes);
        expect(frame.height).toBe(store.length);
        expect(frame.select(pl.col('quantity').struct.field('value').sum()).row(0)[0]).toBe(store.sum('quantity.value'));
        const grouped = frame
          .groupBy(pl.col('product').struct.field('name') as never)
          .agg(pl.len().alias('count'), pl.col('quantity').struct.field('value').sum().alias('sum'));
        const polars = new Map(recordsOf(grouped).map((row) => [(row as { name: string }).name, row]));
        const counts = store.groupBy('product.name').count();
        const sums = store.groupBy('product.name').sum('quantity.value');
        expect(polars.size).toBe(counts.size);
        for (const [name, count] of counts) expect(polars.get(name as string)).toEqual({ name, count, sum: sums.get(name) });
        // And every record as Polars reads it is the source's.
        expect(recordsOf(frame)).toEqual(cargo);
      });
    });
  }

  it('github events (nested structs, lists, nulls, missing keys): Polars reads every row; count by type agrees', async () => {
    const text = exampleText('github_events.json');
    await withStore(Store.fromJSON(text), (store) => {
      const frame = pl.readIPC(Buffer.from(store.toArrowIPC()));
      expect(frame.height).toBe(store.length);
      const polars = new Map(recordsOf(frame.groupBy('type').agg(pl.len().alias('count'))).map((row) => [(row as { type: string }).type, (row as { count: number }).count]));
      expect(polars).toEqual(store.groupBy('type').count());
      const login = frame.select(pl.col('actor').struct.field('login')).getColumn('login').toArray();
      expect(login).toEqual((JSON.parse(text) as { actor: { login: string } }[]).map((event) => event.actor.login));
    });
  });
});

describe('memstore reads the Arrow IPC Polars writes', () => {
  const frame = pl.readJSON(Buffer.from(cargoText), { format: 'json' });

  it('an IPC file (Utf8View strings) and an IPC stream (LargeUtf8): exactly Polars\' records, and the source\'s', async () => {
    for (const bytes of [frame.writeIPC(), frame.writeIPCStream()]) {
      await withStore(Store.fromArrowIPC(new Uint8Array(bytes)), (store) => {
        expect(store.toArray()).toEqual(recordsOf(frame));
        expect(store.toArray()).toEqual(cargo);
        expect(store.sum('quantity.value')).toBe(frame.select(pl.col('quantity').struct.field('value').sum()).row(0)[0]);
      });
    }
  });

  it('nulls, floats, lists and nested structs from Polars', async () => {
    const written = pl.DataFrame({ a: [1, null, 3], f: [1.5, -0, null], s: ['x', null, 'zz'], l: [[1, 2], [], [3]], st: [{ p: 1, q: 'a' }, { p: 2, q: 'b' }, { p: 3, q: 'c' }] });
    for (const bytes of [written.writeIPC(), written.writeIPCStream()]) {
      await withStore(Store.fromArrowIPC(new Uint8Array(bytes)), (store) => expect(store.toArray()).toEqual(recordsOf(written)));
    }
  });

  it('compressed IPC (lz4) is a MemstoreFormatError that says so', async () => {
    const error = await caught(() => Store.fromArrowIPC(new Uint8Array(frame.writeIPC(null as never, { compression: 'lz4' }) as unknown as Buffer)));
    expect(error).toBeInstanceOf(MemstoreFormatError);
    expect((error as Error).message).toMatch(/compressed/);
  });
});
