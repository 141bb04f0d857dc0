// The benchmark data: "cargo" records with the distributions of examples/cargo.json (the talk's
// data set), generated with a seeded PRNG so every run and every child process sees the same data.
import { prng } from '@memstore/testkit/prng';

export interface Cargo {
  id: number;
  product: { name: string; uid: string };
  quantity: { value: number; id: string };
  dates: { start: string; end: string };
}

// The 4 values of each string field that occur in examples/cargo.json (6,000 records, each value
// roughly equally frequent). quantity.id is always "mt".
export const PRODUCT_NAMES = ['Duper', "Elec'sOil", 'NewProd', 'Super'] as const;
export const PRODUCT_UIDS = ['elec109ui', 'duper123', 'newpr9032', 'super123'] as const;
export const START_DATES = ['2200-10-11T00:00:00', '2200-10-12T00:00:00', '2200-10-13T00:00:00', '2200-10-14T00:00:00'] as const;
export const END_DATES = ['2200-11-11T00:00:00', '2200-11-12T00:00:00', '2200-11-13T00:00:00', '2200-11-14T00:00:00'] as const;
export const QUANTITY_UNIT = 'mt';
export const ID_MIN = 1_000_000;
export const ID_MAX = 2_000_000;
export const QUANTITY_MIN = 1000;
export const QUANTITY_MAX = 2450;

export const DEFAULT_SEED = 0x5eed;


/**
 * `count` cargo records: id uniform in 1,000,000–2,000,000, quantity.value uniform in 1000–2450
 * (both inclusive), each string field one of its 4 values. String values are shared constants
 * (as in any program that builds records from a small vocabulary); JSON.parse of the same data
 * would allocate its own strings (see `cargoJsonText`).
 */
export function generateCargo(count: number, seed: number = DEFAULT_SEED): Cargo[] {
  const next = cargoSource(seed);
  const records = new Array<Cargo>(count);
  for (let i = 0; i < count; i++) records[i] = next();
  return records;
}

/**
 * The same sequence one record at a time: the n-th call returns generateCargo(N, seed)[n - 1] for
 * any N ≥ n, so files of any size can be streamed without holding the records.
 */
export function cargoSource(seed: number = DEFAULT_SEED): () => Cargo {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  return () => ({
    id: int(ID_MIN, ID_MAX),
    product: { name: pick(PRODUCT_NAMES), uid: pick(PRODUCT_UIDS) },
    quantity: { value: int(QUANTITY_MIN, QUANTITY_MAX), id: QUANTITY_UNIT },
    dates: { start: pick(START_DATES), end: pick(END_DATES) },
  });
}

/** The same records as compact JSON text (a top-level array), as a file or a server would send them. */
export function cargoJsonText(count: number, seed: number = DEFAULT_SEED): string {
  return JSON.stringify(generateCargo(count, seed));
}

/** Big ids (bigIds.ts): 2^40 plus a uniform offset below 2^32 — past int32, their spread within u32. */
export const BIG_ID_BASE = 2 ** 40;
export const BIG_ID_SPREAD = 2 ** 32;

/** `count` records `{ id }` with big ids (seeded, as every dataset here). */
export function generateBigIds(count: number, seed: number = DEFAULT_SEED): Array<{ id: number }> {
  const random = prng(seed);
  return Array.from({ length: count }, () => ({ id: BIG_ID_BASE + Math.floor(random() * BIG_ID_SPREAD) }));
}
