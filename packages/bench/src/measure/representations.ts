// The representations whose retained memory we compare. Each builder makes its input itself
// (generated records or text, or a file's contents) and returns only the representation: the
// input is a local of the builder, so it is garbage once the builder returns.
import { readFileSync } from 'node:fs';
import { Store } from '@memstore/core';
import {
  BIG_ID_BASE,
  cargoJsonText,
  END_DATES,
  generateBigIds,
  generateCargo,
  PRODUCT_NAMES,
  PRODUCT_UIDS,
  QUANTITY_UNIT,
  START_DATES,
  type Cargo,
} from '../datasets';

/** Generated-data representations (memory.ts), then the file-backed ones (report.ts). */
export const GENERATED = ['json-parse', 'classes', 'typed-arrays', 'memstore'] as const;
export const FROM_FILE = ['file-json-parse', 'file-memstore'] as const;
/**
 * Big ids (bigIds.ts): a Float64Array (8 B/row: how an int column held them while ints stopped at
 * int32), plain objects, and stores from records and from JSON text.
 */
export const BIG_IDS = ['ids-float64', 'ids-json-parse', 'ids-memstore', 'ids-memstore-json'] as const;
export type Representation = (typeof GENERATED)[number] | (typeof FROM_FILE)[number] | (typeof BIG_IDS)[number];

export interface BuildSpec {
  representation: Representation;
  /** Records to generate (generated representations). */
  count?: number;
  seed?: number;
  /** JSON file to load (file representations). */
  file?: string;
}

// ---- classes: what a hand-written domain model looks like ---------------------------------

export class Product {
  readonly name: string;
  readonly uid: string;
  constructor(name: string, uid: string) {
    this.name = name;
    this.uid = uid;
  }
}

export class Quantity {
  readonly value: number;
  readonly id: string;
  constructor(value: number, id: string) {
    this.value = value;
    this.id = id;
  }
}

export class Dates {
  readonly start: string;
  readonly end: string;
  constructor(start: string, end: string) {
    this.start = start;
    this.end = end;
  }
}

export class CargoRecord {
  readonly id: number;
  readonly product: Product;
  readonly quantity: Quantity;
  readonly dates: Dates;
  constructor(record: Cargo) {
    this.id = record.id;
    this.product = new Product(record.product.name, record.product.uid);
    this.quantity = new Quantity(record.quantity.value, record.quantity.id);
    this.dates = new Dates(record.dates.start, record.dates.end);
  }
}

// ---- typed arrays: the hand-written floor ---------------------------------------------------

/**
 * A hand-written struct of arrays, the floor a generic store is measured against:
 * id Int32Array (4 B), quantity.value Int16Array (2 B: 1000–2450 fits), and one Uint8Array code
 * per string field (name, uid, start, end: 4 × 1 B) indexing a fixed 4-entry vocabulary.
 * quantity.id is the constant "mt": checked while building, not stored.
 * Total 10 B/record. (The "13 B/record" is the variant with an Int32Array quantity and a
 * u8 code for quantity.id too: 4 + 4 + 5 × 1.) memstore picks the same widths (4- and 2-byte int deltas,
 * dict8, constant) on its own, so 10 B/record is the like-for-like floor.
 */
export class CargoColumns {
  readonly length: number;
  readonly id: Int32Array;
  readonly quantity: Int16Array;
  readonly name: Uint8Array;
  readonly uid: Uint8Array;
  readonly start: Uint8Array;
  readonly end: Uint8Array;
  static readonly names = PRODUCT_NAMES;
  static readonly uids = PRODUCT_UIDS;
  static readonly starts = START_DATES;
  static readonly ends = END_DATES;
  static readonly unit = QUANTITY_UNIT;

  constructor(records: readonly Cargo[]) {
    const n = records.length;
    this.length = n;
    this.id = new Int32Array(n);
    this.quantity = new Int16Array(n);
    this.name = new Uint8Array(n);
    this.uid = new Uint8Array(n);
    this.start = new Uint8Array(n);
    this.end = new Uint8Array(n);
    const code = (vocabulary: readonly string[], value: string, field: string) => {
      const index = vocabulary.indexOf(value);
      if (index === -1) throw new Error(`typed-arrays: ${field} ${JSON.stringify(value)} is not in the vocabulary`);
      return index;
    };
    for (let i = 0; i < n; i++) {
      const r = records[i];
      if (r.quantity.id !== CargoColumns.unit) throw new Error(`typed-arrays: quantity.id ${JSON.stringify(r.quantity.id)} is not "mt"`);
      this.id[i] = r.id;
      this.quantity[i] = r.quantity.value;
      this.name[i] = code(CargoColumns.names, r.product.name, 'product.name');
      this.uid[i] = code(CargoColumns.uids, r.product.uid, 'product.uid');
      this.start[i] = code(CargoColumns.starts, r.dates.start, 'dates.start');
      this.end[i] = code(CargoColumns.ends, r.dates.end, 'dates.end');
    }
  }

  get bytesPerRecord(): number {
    return 4 + 2 + 4 * 1;
  }
}

// ---- builders ---------------------------------------------------------------------------------

export type Built =
  | { representation: 'json-parse' | 'file-json-parse'; value: unknown[] }
  | { representation: 'classes'; value: CargoRecord[] }
  | { representation: 'typed-arrays'; value: CargoColumns }
  | { representation: 'memstore' | 'file-memstore' | 'ids-memstore' | 'ids-memstore-json'; value: Store<unknown> }
  | { representation: 'ids-float64'; value: Float64Array }
  | { representation: 'ids-json-parse'; value: Array<{ id: number }> };

export async function build(spec: BuildSpec): Promise<Built> {
  const count = spec.count ?? 0;
  switch (spec.representation) {
    case 'json-parse': {
      // Text in, objects out: the text is what a file or a server gives; only the objects stay.
      const value = JSON.parse(cargoJsonText(count, spec.seed)) as unknown[];
      return { representation: 'json-parse', value };
    }
    case 'classes': {
      const records = generateCargo(count, spec.seed);
      return { representation: 'classes', value: records.map((record) => new CargoRecord(record)) };
    }
    case 'typed-arrays':
      return { representation: 'typed-arrays', value: new CargoColumns(generateCargo(count, spec.seed)) };
    case 'memstore':
      return { representation: 'memstore', value: await Store.fromRecords<unknown>(generateCargo(count, spec.seed)) };
    case 'file-json-parse': {
      const parsed: unknown = JSON.parse(readFileSync(requireFile(spec), 'utf8'));
      return { representation: 'file-json-parse', value: Array.isArray(parsed) ? parsed : [parsed] };
    }
    case 'file-memstore':
      return { representation: 'file-memstore', value: await Store.fromFile<unknown>(requireFile(spec)) };
    case 'ids-float64':
      return { representation: 'ids-float64', value: Float64Array.from(generateBigIds(count, spec.seed), (record) => record.id) };
    case 'ids-json-parse':
      return { representation: 'ids-json-parse', value: JSON.parse(JSON.stringify(generateBigIds(count, spec.seed))) as Array<{ id: number }> };
    case 'ids-memstore':
      return { representation: 'ids-memstore', value: await Store.fromRecords<unknown>(generateBigIds(count, spec.seed)) };
    case 'ids-memstore-json':
      return { representation: 'ids-memstore-json', value: await Store.fromJSON<unknown>(JSON.stringify(generateBigIds(count, spec.seed))) };
    default:
      throw new Error(`unknown representation ${JSON.stringify((spec as BuildSpec).representation)}`);
  }
}

function requireFile(spec: BuildSpec): string {
  if (spec.file === undefined) throw new Error(`${spec.representation} needs a file`);
  return spec.file;
}

/** Number of records the representation holds (read after measuring: it also keeps it alive). */
export function recordCount(built: Built): number {
  return built.value.length;
}

/**
 * Sum of quantity.value + product.name length over every record (0 for records without them):
 * equal across representations of the same data, which checks they hold the same records.
 */
export function checksum(built: Built): number {
  let sum = 0;
  switch (built.representation) {
    // Big ids: the sum of their offsets from 2^40 (below 2^53 for any count these runs take).
    case 'ids-float64':
      for (const id of built.value) sum += id - BIG_ID_BASE;
      return sum;
    case 'ids-json-parse':
      for (const record of built.value) sum += record.id - BIG_ID_BASE;
      return sum;
    case 'ids-memstore':
    case 'ids-memstore-json':
      for (const record of built.value as Store<{ id: number }>) sum += record.id - BIG_ID_BASE;
      return sum;
    case 'typed-arrays': {
      const columns = built.value;
      for (let i = 0; i < columns.length; i++) sum += columns.quantity[i] + CargoColumns.names[columns.name[i]].length;
      return sum;
    }
    case 'memstore':
    case 'file-memstore': {
      for (const r of built.value as Store<Partial<Cargo>>) sum += recordSum(r);
      return sum;
    }
    default:
      for (const r of built.value as Partial<Cargo>[]) sum += recordSum(r);
      return sum;
  }
}

function recordSum(r: unknown): number {
  const record = r as { quantity?: { value?: unknown }; product?: { name?: unknown } } | null;
  if (record === null || typeof record !== 'object') return 0;
  const value = record.quantity?.value;
  const name = record.product?.name;
  return (typeof value === 'number' ? value : 0) + (typeof name === 'string' ? name.length : 0);
}
