// Int columns past int32, step by step: which numbers an int column holds and at which width;
// each widening of the deltas (constant → uint8 → uint16 → uint32 → uint64 → float64) and each
// rebase an append makes, with record views taken before it still reading their rows; what
// fromRecords plans; what column() hands out for each storage; failed appends that widened,
// rebased or turned the column float64 on the way; memory per row; exact sums of a
// selection that spans several query blocks.
import { describe, expect, it } from 'vitest';
import { Store } from '../src/node';
import { intAt, withStore } from './helpers';

interface Row { v: number | null }
const rows = (...values: (number | null)[]): Row[] => values.map((v) => ({ v }));
const storageOf = (store: Store<Row>) => store.schema.fields!.find((field) => field.key === 'v')!.storage;

describe('which numbers an int column holds, and at which width', () => {
  /** Stores `records` (fromRecords), checks they come back deep-equal, and returns the field `v`. */
  const fieldOf = (records: unknown[]) =>
    withStore(Store.fromRecords<Row>(records as Row[]), (store) => {
      expect(store.toArray()).toEqual(records);
      return store.schema.fields!.find((field) => field.key === 'v')!;
    });

  // Planned from the whole input (fromRecords): the smallest value is the base, the spread picks the width.
  it.each([
    [[5, 5, 5], 'constant'],
    [[-2147483648, -2147483648], 'constant'],
    [[2 ** 53, 2 ** 53], 'constant'],
    [[0, 127, -128], 'uint8 + base'],
    [[0, 255], 'uint8 + base'],
    [[0, 256], 'uint16 + base'],
    [[32767, -32768], 'uint16 + base'],
    [[0, 65536], 'uint32 + base'],
    [[2147483647, -2147483648], 'uint32 + base'],
    [[2 ** 40, 2 ** 40 + 2 ** 32 - 1], 'uint32 + base'],
    [[-(2 ** 53), 2 ** 53], 'uint64 + base'],
    [[0, 2 ** 32], 'uint64 + base'],
  ])('ints %j are stored as %s', async (values, storage) => {
    const records = values.map((v) => ({ v }));
    expect(await fieldOf(records)).toMatchObject({ type: 'int', storage });
    // Top-level numbers too, and parsed text (which widens as values arrive: the same widths for these).
    for (const load of [() => Store.fromRecords<unknown>(values), () => Store.fromJSON<unknown>(JSON.stringify(values))]) {
      await withStore(load(), (store) => {
        expect(store.schema).toMatchObject({ type: 'int', storage });
        expect(store.toArray()).toEqual(values);
      });
    }
  });

  it('ints up to ±2^53 stay ints; beyond, the field turns float, exactly', async () => {
    for (const big of [2147483648, -2147483649, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, 1e15]) {
      expect(await fieldOf([{ v: 1 }, { v: big }, { v: -3 }])).toMatchObject({ type: 'int' });
    }
    for (const big of [2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 64, 1e300]) {
      expect(await fieldOf([{ v: 1 }, { v: big }, { v: -3 }])).toMatchObject({ type: 'float', storage: 'float64' });
    }
  });
});

describe('an int column widens and rebases as appends arrive, and never changes a value', () => {
  for (const route of ['json', 'records'] as const) {
    it(`steps constant → uint8 → uint16 → uint32 → uint64 → float64 (${route}); earlier views read on`, async () => {
      const big = 2 ** 40;
      const steps: [(number | null)[], string][] = [
        [[big, big], 'constant'],
        [[big + 255], 'uint8 + base'],
        [[big - 1], 'uint16 + base'], // below the base: a rebase, and the spread (256) needs 2 bytes
        [[big + 70_000], 'uint32 + base'],
        [[-(2 ** 53)], 'uint64 + base'],
        [[2 ** 53, null, -(2 ** 53) + 1], 'uint64 + base'],
        [[0.5], 'float64'],
      ];
      await withStore(Store.fromRecords<Row>([]), async (store) => {
        const all: (number | null)[] = [];
        const views: { row: number; view: Row }[] = [];
        for (const [values, storage] of steps) {
          const batch = rows(...values);
          await store.append(route === 'json' ? JSON.stringify(batch) : batch);
          all.push(...values);
          expect(storageOf(store), `after ${values}`).toBe(storage);
          expect(store.toArray()).toEqual(rows(...all));
          // Views of every snapshot so far (their getters were chosen for the width then) still read their rows.
          views.push({ row: all.length - 1, view: store.at(all.length - 1)! as Row });
          for (const { row, view } of views) expect(view.v, `row ${row}`).toBe(all[row]);
        }
      });
    });
  }

  it('rebases up and down as values leave the frame on either side; the width follows the spread', async () => {
    await withStore(Store.fromJSON<Row>(JSON.stringify(rows(5_000_000_000))), async (store) => {
      const before = store.at(0)!;
      const values = [5_000_000_000];
      const bases = new Set<number>();
      for (const value of [5_000_000_100, 4_999_999_900, 5_000_000_300, 4_999_999_000]) {
        await store.append([{ v: value }]);
        values.push(value);
        const column = store.column('v');
        bases.add(column.base!);
        // The frame holds every value: the base at or below the smallest, each delta within its width.
        expect(column.base!).toBeLessThanOrEqual(Math.min(...values));
        expect(Array.from(column.deltas as Uint8Array | Uint16Array, (delta) => column.base! + delta)).toEqual(values);
      }
      expect(store.column('v').storage).toBe('uint16 + base'); // spread 1,300
      expect(bases.size).toBeGreaterThan(1); // it moved
      expect(before.v).toBe(5_000_000_000);
    });
  });

  it('fromRecords plans the smallest value as the base and the spread as the width', async () => {
    await withStore(Store.fromRecords(rows(2 ** 50 + 9, 2 ** 50, 2 ** 50 + 255, null)), (store) => {
      const column = store.column('v');
      expect([column.storage, column.base]).toEqual(['uint8 + base', 2 ** 50]);
      expect(Array.from((column.deltas as Uint8Array).subarray(0, 3))).toEqual([9, 0, 255]);
    });
  });
});

describe('column() of an int column: a base and its deltas, without a copy', () => {
  it.each([
    [[7, 7], 'constant', null],
    [[-3, 250], 'uint8 + base', Uint8Array],
    [[2 ** 31 - 1, -(2 ** 31)], 'uint32 + base', Uint32Array],
    [[2 ** 40, 2 ** 40 + 60_000], 'uint16 + base', Uint16Array],
    [[-(2 ** 53), 2 ** 53, 12345], 'uint64 + base', BigUint64Array],
  ] as const)('%j: %s', async (values, storage, Deltas) => {
    await withStore(Store.fromRecords(rows(...values)), (store) => {
      const column = store.column('v');
      expect(column.storage).toBe(storage);
      expect(column.values).toBeNull();
      if (Deltas === null) {
        expect([column.deltas, column.constant, column.base]).toEqual([null, values[0], values[0]]);
        return;
      }
      expect(column.deltas).toBeInstanceOf(Deltas);
      expect(column.deltas!.length).toBe(values.length);
      expect(values.map((_, row) => intAt(column, row))).toEqual(values);
      expect(store.column('v').deltas!.buffer).toBe(column.deltas!.buffer); // the store's memory, not a copy
    });
  });
});

describe('a failed append leaves only widening, never a changed value', () => {
  it('an append that widened and rebased, then failed: the values stand, the wider frame stays, later appends work', async () => {
    await withStore(Store.fromJSON<Row>(JSON.stringify(rows(2 ** 40, 2 ** 40 + 3))), async (store) => {
      const view = store.at(1)!;
      await expect(store.append('[{"v": 1}, {"v": 9007199254740992}, {"v": ')).rejects.toThrow();
      expect(store.toArray()).toEqual(rows(2 ** 40, 2 ** 40 + 3));
      expect(view.v).toBe(2 ** 40 + 3);
      expect(store.where('v').eq(2 ** 40 + 3).count()).toBe(1);
      expect(store.sum('v')).toBe(2 ** 41 + 3);
      await store.append([{ v: -5 }]);
      expect(store.toArray()).toEqual(rows(2 ** 40, 2 ** 40 + 3, -5));
    });
  });

  it('an append that turned the column float64, then failed: an int column again, with its values', async () => {
    await withStore(Store.fromJSON<Row>(JSON.stringify(rows(2 ** 45, 2 ** 45 + 1000))), async (store) => {
      await expect(store.append('[{"v": -0.5}, {"v": 2}, ')).rejects.toThrow();
      expect(storageOf(store)).toBe('uint16 + base');
      expect(store.schema.fields![0].type).toBe('int');
      expect(store.toArray()).toEqual(rows(2 ** 45, 2 ** 45 + 1000));
      await expect(store.append([{ v: 1.5 }, { v: Number.NaN }])).rejects.toThrow(); // NaN: not JSON data, nothing written
      expect(store.schema.fields![0].type).toBe('int');
    });
  });
});

describe('memory', () => {
  it('100,000 ids around 2^40 take 4 bytes a row (uint32 deltas), not the 8 of float64', async () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => ({ id: 2 ** 40 + i * 7919 }));
    for (const load of [() => Store.fromRecords<{ id: number }>(ids), () => Store.fromJSON<{ id: number }>(JSON.stringify(ids))]) {
      await withStore(load(), (store) => {
        expect(store.schema.fields![0].storage).toBe('uint32 + base');
        const bytes = store.memory().columns.find((column) => column.path === 'id')!.bytes;
        // Parsed input grows its buffers by half again: up to 1.5x the rows at 4 bytes.
        expect(bytes / ids.length).toBeGreaterThanOrEqual(4);
        expect(bytes / ids.length).toBeLessThan(6.1);
        expect(store.where('id').eq(2 ** 40 + 5 * 7919).first()?.toJSON()).toEqual(ids[5]);
      });
    }
  });
});

describe('sums of a selection over several query blocks', () => {
  it('stay exact past 2^53: the blocks add up in BigInts, rounded once', async () => {
    // 150,000 rows (three 65,536-row blocks) of ids near 2^50: the sum passes 2^67.
    const base = 2 ** 50;
    const records = Array.from({ length: 150_000 }, (_, i) => ({ id: base + i * 7, odd: i % 2 === 1 }));
    await withStore(Store.fromRecords(records), (store) => {
      let exact = 0n;
      for (const record of records) if (record.odd) exact += BigInt(record.id);
      expect(store.where('odd').eq(true).sum('id')).toBe(Number(exact));
      let all = 0n;
      for (const record of records) all += BigInt(record.id);
      expect(store.sum('id')).toBe(Number(all));
    });
  });
});

describe('int sums taken in doubles while each step is exact, in BigInts past that', () => {
  /** The sum of `values` rounded once, as the store must give it. */
  const exactSum = (values: readonly number[]) => Number(values.reduce((total, value) => total + BigInt(value), 0n));

  it('blocks whose sums are exact doubles, adding up past 2^53 (a running double sum would drift)', async () => {
    // Three query blocks of values near ±1.3e11: each block's sum (65,536 values: below 2^53) is an
    // exact double, the total of the blocks (and of the odd rows') is past 2^53.
    for (const sign of [1, -1]) {
      const records = Array.from({ length: 150_000 }, (_, i) => ({ v: sign * (130_000_000_000 + i * 3 + (i % 7)), odd: i % 2 === 1, g: i % 3 }));
      await withStore(Store.fromRecords(records), (store) => {
        expect(Math.abs(exactSum(records.slice(0, 65_536).map((r) => r.v)))).toBeLessThan(2 ** 53);
        expect(Math.abs(exactSum(records.filter((r) => r.odd).map((r) => r.v)))).toBeGreaterThan(2 ** 53);
        expect(store.sum('v')).toBe(exactSum(records.map((r) => r.v)));
        expect(store.where('odd').eq(true).sum('v')).toBe(exactSum(records.filter((r) => r.odd).map((r) => r.v)));
        const groups = store.groupBy<number>('g').sum('v');
        for (const g of [0, 1, 2]) expect(groups.get(g)).toBe(exactSum(records.filter((r) => r.g === g).map((r) => r.v)));
      });
    }
  });

  it('where adding in doubles would round twice: the exact sum, rounded once', async () => {
    // Blocks summing to 2^52 + 1, 2^52 + 2 and 3: added as doubles 2^53 + 3 rounds to 2^53 + 4, and
    // + 3 to 2^53 + 8; the true sum is 2^53 + 6 (a double).
    const values: number[] = Array.from({ length: 150_000 }, () => 0);
    for (let row = 0; row < 2 * 65_536; row++) values[row] = 2 ** 36;
    values[0] += 1;
    values[65_536] += 2;
    values[2 * 65_536] = 3;
    await withStore(Store.fromRecords(values.map((v) => ({ v }))), (store) => {
      expect(store.sum('v')).toBe(2 ** 53 + 6);
      expect(store.where('v').gte(0).sum('v')).toBe(2 ** 53 + 6);
    });
    // count × base is no double here: 3 × (2^52 + 1) rounds to 3 × 2^52 + 4, and adding the delta 3
    // to that gives 3 × 2^52 + 8; the true sum is 3 × 2^52 + 6.
    const three = rows(2 ** 52 + 1, 2 ** 52 + 1, 2 ** 52 + 4);
    for (const load of [() => Store.fromRecords<Row>(three), () => Store.fromJSON<Row>(JSON.stringify(three))]) {
      await withStore(load(), (store) => expect(store.sum('v')).toBe(3 * 2 ** 52 + 6));
    }
  });

  it('sums at 2^53 and just past it, and a base far from the values', async () => {
    const cases = [
      [2 ** 53, 0],
      [2 ** 53 - 1, 1],
      [2 ** 53, 1],
      [-(2 ** 53), -1],
      [2 ** 52, 2 ** 52, 1],
      [-(2 ** 53), 2 ** 53, 5],
    ];
    for (const values of cases) {
      await withStore(Store.fromJSON<Row>(JSON.stringify(rows(...values))), (store) => {
        expect(store.sum('v')).toBe(exactSum(values));
        expect(store.where('v').gte(-Infinity).sum('v')).toBe(exactSum(values));
      });
    }
  });
});
