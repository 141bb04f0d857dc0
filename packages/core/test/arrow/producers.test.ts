// Arrow as other producers write it (no memstore metadata), built with Arrow JS's own builders:
// each type reads as the JSON value ARROW.md's table gives it — timestamps (every unit, with and
// without a time zone) and dates as ISO 8601 text, decimals as numbers up to 15 digits and as
// text past them, LargeUtf8, 64-bit ints as numbers within 2^53 and as decimal text past it,
// unsigned, half and single floats, binary as base64, empty structs, struct, list, large list,
// fixed-size list, map and dictionary columns, dense and sparse unions, nulls, NaN (null), and
// nesting deeper than Arrow C++'s default of 64 — and the same through IPC bytes.
import {
  Binary, Bool, DateDay, DateMillisecond, Decimal, DenseUnion, Dictionary, Field, FixedSizeBinary, FixedSizeList, Float16, Float32, Float64, Int32, Int64, LargeList, LargeUtf8,
  List, makeData, Map_, Null, RecordBatch, Schema, SparseUnion, Struct, Table, tableToIPC, TimeMicrosecond, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond,
  TimestampSecond, Uint64, Utf8, vectorFromArray, type Data,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/node';
import { withStore } from '../helpers';

/** A table of one column per entry, from Arrow data. */
function tableOf(columns: Record<string, Data>): Table {
  const fields = Object.entries(columns).map(([name, data]) => new Field(name, data.type, true));
  const length = Object.values(columns)[0].length;
  const schema = new Schema(fields);
  return new Table(schema, new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children: Object.values(columns) })));
}

async function recordsOf(table: Table): Promise<unknown[]> {
  const direct = await withStore(Store.fromArrow(table), (store) => store.toArray());
  for (const format of ['file', 'stream'] as const) {
    expect(await withStore(Store.fromArrowIPC(tableToIPC(table, format)), (store) => store.toArray()), format).toEqual(direct);
  }
  return direct;
}

const column = (records: unknown[], key: string) => records.map((record) => (record as Record<string, unknown>)[key]);

describe('types other producers write', () => {
  it('timestamps of each unit (time zone: Z), dates, times', async () => {
    const at = Date.UTC(2200, 9, 13, 1, 2, 3, 456);
    const records = await recordsOf(tableOf({
      s: makeData({ type: new TimestampSecond(), length: 2, nullCount: 1, nullBitmap: Uint8Array.of(0b01), data: BigInt64Array.of(BigInt(Math.floor(at / 1000)), 0n) }),
      ms: vectorFromArray([at, at], new TimestampMillisecond('UTC')).data[0],
      us: makeData({ type: new TimestampMicrosecond(), length: 2, nullCount: 0, data: BigInt64Array.of(BigInt(at) * 1000n + 789n, -1n) }),
      ns: makeData({ type: new TimestampNanosecond('Europe/Paris'), length: 2, nullCount: 0, data: BigInt64Array.of(BigInt(at) * 1000000n + 789012n, 0n) }),
      day: makeData({ type: new DateDay(), length: 2, nullCount: 0, data: Int32Array.of(0, 84000) }),
      dateMs: makeData({ type: new DateMillisecond(), length: 2, nullCount: 0, data: BigInt64Array.of(BigInt(at), 0n) }),
      time: makeData({ type: new TimeMicrosecond(), length: 2, nullCount: 0, data: BigInt64Array.of(3723000001n, 0n) }),
    }));
    expect(records).toEqual([
      { s: '2200-10-13T01:02:03', ms: '2200-10-13T01:02:03.456Z', us: '2200-10-13T01:02:03.456789', ns: '2200-10-13T01:02:03.456789012Z', day: '1970-01-01', dateMs: '2200-10-13T01:02:03.456Z', time: '01:02:03.000001' },
      { s: null, ms: '2200-10-13T01:02:03.456Z', us: '1969-12-31T23:59:59.999999', ns: '1970-01-01T00:00:00.000000000Z', day: '2199-12-26', dateMs: '1970-01-01T00:00:00.000Z', time: '00:00:00.000000' },
    ]);
  });

  it('decimals: numbers up to 15 digits, exact text past them', async () => {
    const words = (value: bigint) => [0, 1, 2, 3].map((word) => Number(BigInt.asUintN(32, value >> BigInt(32 * word))));
    const records = await recordsOf(tableOf({
      price: makeData({ type: new Decimal(2, 10, 128), length: 2, nullCount: 0, data: Uint32Array.from([...words(12345n), ...words(-5n)]) }),
      exact: makeData({ type: new Decimal(4, 38, 128), length: 1 + 1, nullCount: 0, data: Uint32Array.from([...words(123456789012345678901234567890n), ...words(-1n)]) }),
    }));
    expect(records).toEqual([{ price: 123.45, exact: '12345678901234567890123456.7890' }, { price: -0.05, exact: '-0.0001' }]);
  });

  it('64-bit ints: numbers within ±2^53; past it, the whole column as decimal text', async () => {
    const records = await recordsOf(tableOf({
      small: vectorFromArray([1n, -(2n ** 53n), 2n ** 53n], new Int64()).data[0],
      big: vectorFromArray([1n, 2n ** 53n + 1n, -(2n ** 63n)], new Int64()).data[0],
      unsigned: vectorFromArray([0n, 2n ** 64n - 1n, 7n], new Uint64()).data[0],
    }));
    expect(column(records, 'small')).toEqual([1, -(2 ** 53), 2 ** 53]);
    expect(column(records, 'big')).toEqual(['1', '9007199254740993', '-9223372036854775808']);
    expect(column(records, 'unsigned')).toEqual(['0', '18446744073709551615', '7']);
  });

  it('floats of every width (NaN is null: JSON has none), LargeUtf8, binary as base64, bools and nulls', async () => {
    const records = await recordsOf(tableOf({
      half: vectorFromArray([1.5, -0, null], new Float16()).data[0],
      single: vectorFromArray([0.1, Number.NaN, Infinity], new Float32()).data[0],
      double: vectorFromArray([-0, 1e300, Number.NaN], new Float64()).data[0],
      large: vectorFromArray(['é', '', null], new LargeUtf8()).data[0],
      bytes: vectorFromArray([Uint8Array.of(1, 2, 3), Uint8Array.of(), null], new Binary()).data[0],
      fixed: makeData({ type: new FixedSizeBinary(2), length: 3, nullCount: 0, data: Uint8Array.of(0xff, 0, 1, 2, 3, 4) }),
      flag: vectorFromArray([true, false, null], new Bool()).data[0],
      nothing: makeData({ type: new Null(), length: 3 }),
    }));
    expect(records).toEqual([
      { half: 1.5, single: Math.fround(0.1), double: -0, large: 'é', bytes: 'AQID', fixed: '/wA=', flag: true, nothing: null },
      { half: -0, single: null, double: 1e300, large: '', bytes: '', fixed: 'AQI=', flag: false, nothing: null },
      { half: null, single: Infinity, double: null, large: null, bytes: null, fixed: 'AwQ=', flag: null, nothing: null },
    ]);
  });

  it('structs (an empty one too), lists, large and fixed-size lists, maps, dictionaries of ints, unions', async () => {
    const ints = (values: number[]) => makeData({ type: new Int32(), length: values.length, nullCount: 0, data: Int32Array.from(values) });
    const strings = vectorFromArray(['k1', 'k2', 'k3'], new Utf8()).data[0];
    const entries = new Struct([new Field('key', new Utf8(), false), new Field('value', new Int32())]);
    const records = await recordsOf(tableOf({
      empty: makeData({ type: new Struct([]), length: 2, nullCount: 0, children: [] }),
      point: makeData({ type: new Struct([new Field('x', new Int32())]), length: 2, nullCount: 1, nullBitmap: Uint8Array.of(0b01), children: [ints([1, 2])] }),
      list: makeData({ type: new List(new Field('item', new Int32())), length: 2, nullCount: 0, valueOffsets: Int32Array.of(0, 2, 3), child: ints([1, 2, 3]) }),
      large: makeData({ type: new LargeList(new Field('item', new Int32())), length: 2, nullCount: 0, valueOffsets: BigInt64Array.of(0n, 0n, 1n), child: ints([9]) }),
      pair: makeData({ type: new FixedSizeList(2, new Field('item', new Int32())), length: 2, nullCount: 0, child: ints([1, 2, 3, 4]) }),
      map: makeData({ type: new Map_(new Field('entries', entries, false)), length: 2, nullCount: 0, valueOffsets: Int32Array.of(0, 2, 3), child: makeData({ type: entries, length: 3, nullCount: 0, children: [strings, ints([1, 2, 3])] }) }),
      coded: makeData({ type: new Dictionary(new Int32(), new Int32(), 7), length: 2, nullCount: 0, data: Int32Array.of(1, 0), dictionary: vectorFromArray([10, 20], new Int32()) }),
      dense: makeData({ type: new DenseUnion([0, 1], [new Field('n', new Int32()), new Field('s', new Utf8())]), length: 2, nullCount: 0, typeIds: Int8Array.of(1, 0), valueOffsets: Int32Array.of(0, 0), children: [ints([5]), vectorFromArray(['five'], new Utf8()).data[0]] }),
      sparse: makeData({ type: new SparseUnion([3, 4], [new Field('n', new Int32()), new Field('b', new Bool())]), length: 2, nullCount: 0, typeIds: Int8Array.of(3, 4), children: [ints([6, 0]), vectorFromArray([true, false], new Bool()).data[0]] }),
    }));
    expect(records).toEqual([
      { empty: {}, point: { x: 1 }, list: [1, 2], large: [], pair: [1, 2], map: { k1: 1, k2: 2 }, coded: 20, dense: 'five', sparse: 6 },
      { empty: {}, point: null, list: [3], large: [9], pair: [3, 4], map: { k3: 3 }, coded: 10, dense: 5, sparse: false },
    ]);
  });

  it('structs nested 100 deep (past Arrow C++\'s default limit of 64)', async () => {
    let data: Data = makeData({ type: new Int32(), length: 1, nullCount: 0, data: Int32Array.of(42) });
    let want: unknown = 42;
    for (let level = 0; level < 100; level++) {
      data = makeData({ type: new Struct([new Field('in', data.type)]), length: 1, nullCount: 0, children: [data] });
      want = { in: want };
    }
    expect(await recordsOf(tableOf({ deep: data }))).toEqual([{ deep: want }]);
  });
});
