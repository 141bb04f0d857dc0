// fast-check generators: records of a fixed-but-varied shape, and random queries over them
// (literals drawn from the values present plus out-of-range ones).
import fc from 'fast-check';
import { listPath, scalarPath, valuesOf, type Expr, type Leaf, type Op, type PathSpec } from './reference';

export interface GenRecord {
  id: number;
  score?: number | null;
  name?: string | null;
  flag?: boolean | null;
  nested?: { a?: number | null; b: string } | null;
  tags?: (string | null)[] | null;
  items?: ({ p?: number | null } | null)[];
  mixed?: number | string | boolean | null;
}

const MISSING = Symbol('missing');
type Missing = typeof MISSING;

/**
 * '' , a lone surrogate, a NUL, digits that sort as strings, case and accents; U+E000 and an
 * astral character, whose order differs in UTF-16 (what ranges follow) and UTF-8.
 */
export const BASE_STRINGS = ['', 'a', 'b', 'ab', 'B', 'é', '\uD800', 'zz', '10', '9', 'a\u0000b', '\uE000', '😀'];

function maybe<T>(arb: fc.Arbitrary<T>, presentWeight = 6): fc.Arbitrary<T | null | Missing> {
  return fc.oneof(
    { arbitrary: arb, weight: presentWeight },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.constant(MISSING), weight: 1 },
  );
}

/** Drops keys whose value is MISSING, recursively (absent keys, never undefined values). */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== MISSING) out[key] = strip(field);
  return out;
}

type ScoreMode = 'int8' | 'int16' | 'int32' | 'ids40' | 'float' | 'constant';
type NameMode = 'small' | 'medium';
type MixedMode = 'mixed' | 'numbers' | 'strings';

function scoreArb(mode: ScoreMode): fc.Arbitrary<number> {
  switch (mode) {
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -40000, max: 40000 });
    case 'int32':
      return fc.oneof(fc.integer(), fc.constantFrom(-2147483648, 2147483647, 0));
    case 'ids40':
      // Past int32, spread within u32 (4-byte deltas from a base near 2^40).
      return fc.oneof(fc.integer({ min: 2 ** 40, max: 2 ** 40 + 2 ** 32 - 1 }), fc.constantFrom(2 ** 40, 2 ** 40 + 2 ** 32 - 1));
    case 'constant':
      return fc.constant(7);
    case 'float':
      return fc.oneof(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.constantFrom(0, -0, 1.5, -1.5, 2.5, 0.1, 0.2, 1e300, -1e300, 5e-324, 2 ** 53),
        fc.integer({ min: -5, max: 5 }),
      );
  }
}

function namePool(mode: NameMode): string[] {
  // small: at most 16 strings (u8 codes, SIMD scan); medium: more than 16 (scalar lookup table).
  return mode === 'small' ? BASE_STRINGS : [...BASE_STRINGS, ...Array.from({ length: 30 }, (_, i) => `w${i}`)];
}

function mixedArb(mode: MixedMode, names: string[]): fc.Arbitrary<number | string | boolean> {
  const numbers = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-0, 0.5, 2.5, 10));
  const strings = fc.constantFrom(...names);
  if (mode === 'numbers') return numbers;
  if (mode === 'strings') return strings;
  return fc.oneof(numbers, strings, fc.boolean());
}

function recordArb(score: ScoreMode, names: string[], mixed: MixedMode, floatItems: boolean): fc.Arbitrary<Omit<GenRecord, 'id'>> {
  const name = fc.constantFrom(...names);
  const p = floatItems ? fc.oneof(fc.integer({ min: -9, max: 9 }), fc.constantFrom(0.5, -0, 1e-3, 3.25)) : fc.integer({ min: -9, max: 9 });
  return fc
    .record({
      score: maybe(scoreArb(score)),
      name: maybe(name),
      flag: maybe(fc.boolean()),
      nested: maybe(fc.record({ a: maybe(fc.integer({ min: -3, max: 3 })), b: name })),
      tags: maybe(fc.array(fc.oneof({ arbitrary: name, weight: 5 }, { arbitrary: fc.constant(null), weight: 1 }), { maxLength: 4 })),
      items: fc.oneof(
        { arbitrary: fc.array(fc.oneof({ arbitrary: fc.record({ p: maybe(p) }), weight: 5 }, { arbitrary: fc.constant(null), weight: 1 }), { maxLength: 3 }), weight: 6 },
        { arbitrary: fc.constant(MISSING), weight: 1 },
      ),
      mixed: maybe(mixedArb(mixed, names)),
    })
    .map((record) => strip(record) as Omit<GenRecord, 'id'>);
}

/** 1 to 300 records; ids are unique (id - base is the row), from bases below and beyond int32. */
export const recordsArb: fc.Arbitrary<GenRecord[]> = fc
  .record({
    count: fc.integer({ min: 1, max: 300 }),
    base: fc.constantFrom(0, -100, 1000, -2147483648, 2147483000, 2 ** 40, -(2 ** 45)),
    score: fc.constantFrom<ScoreMode>('int8', 'int16', 'int32', 'ids40', 'float', 'float', 'constant'),
    names: fc.constantFrom<NameMode>('small', 'small', 'medium'),
    mixed: fc.constantFrom<MixedMode>('mixed', 'mixed', 'numbers', 'strings'),
    floatItems: fc.boolean(),
  })
  .chain(({ count, base, score, names, mixed, floatItems }) =>
    fc
      .array(recordArb(score, namePool(names), mixed, floatItems), { minLength: count, maxLength: count })
      .map((rows) => rows.map((row, i) => ({ id: base + i, ...row }))),
  );

// ---- queries -------------------------------------------------------------------------------

type FieldType = 'number' | 'string' | 'bool' | 'mixed' | 'container' | 'length';

interface Field {
  spec: PathSpec;
  mode: Leaf['mode'];
  type: FieldType;
}

export const FIELDS: Field[] = [
  { spec: scalarPath('id'), mode: 'value', type: 'number' },
  { spec: scalarPath('score'), mode: 'value', type: 'number' },
  { spec: scalarPath('name'), mode: 'value', type: 'string' },
  { spec: scalarPath('flag'), mode: 'value', type: 'bool' },
  { spec: scalarPath('mixed'), mode: 'value', type: 'mixed' },
  { spec: scalarPath('nested.a'), mode: 'value', type: 'number' },
  { spec: scalarPath('nested.b'), mode: 'value', type: 'string' },
  { spec: scalarPath('nested'), mode: 'value', type: 'container' },
  { spec: scalarPath('tags'), mode: 'value', type: 'container' },
  { spec: scalarPath('items'), mode: 'value', type: 'container' },
  { spec: listPath('tags'), mode: 'any', type: 'string' },
  { spec: listPath('items', ['p']), mode: 'any', type: 'number' },
  { spec: listPath('tags'), mode: 'length', type: 'length' },
  { spec: listPath('items'), mode: 'length', type: 'length' },
];

const EXTRA_NUMBERS = [0, -0, 0.5, 1.5, -1.5, 127, 128, -129, 2 ** 31, -(2 ** 31) - 1, 2147483647, -2147483648, Infinity, -Infinity, NaN, 1e300];
const EXTRA_STRINGS = ['', 'a', 'b', 'A', 'é', '\uD800', '\uFFFF', '\uE000', '\u{10FFFF}', 'zz~', 'w', 'w5'];
const LENGTHS = [0, 1, 2, 3, 4, 1.5, 0.5, -1, Infinity];

export interface Pools {
  numbers: number[];
  strings: string[];
}

/** Literals: every number and string present (plus ±0.5 around a few numbers) and edge values. */
export function literalPools(records: readonly unknown[]): Pools {
  const numbers = new Set<number>(EXTRA_NUMBERS);
  const strings = new Set<string>(EXTRA_STRINGS);
  const add = (value: unknown) => {
    if (typeof value === 'number') numbers.add(value);
    else if (typeof value === 'string') strings.add(value);
    else if (Array.isArray(value)) value.forEach(add);
  };
  for (const record of records) {
    for (const field of FIELDS) if (field.type !== 'container' && field.type !== 'length') valuesOf(record, field.spec).forEach(add);
  }
  const present = [...numbers].filter(Number.isFinite);
  for (const value of present.slice(0, 40)) {
    numbers.add(value + 0.5);
    numbers.add(value - 0.5);
  }
  return { numbers: [...numbers], strings: [...strings] };
}

function opArb(type: FieldType, pools: Pools): fc.Arbitrary<Op> {
  if (type === 'length') {
    const n = fc.constantFrom(...LENGTHS);
    return fc.oneof(
      n.map((value): Op => ({ op: 'eq', value })),
      fc.record({ op: fc.constantFrom('gt', 'gte', 'lt', 'lte'), value: n }).map((op) => op as Op),
      fc.record({ lo: n, hi: n }).map(({ lo, hi }): Op => ({ op: 'between', lo, hi })),
    );
  }
  const absent = fc.constantFrom<Op>({ op: 'isNull' }, { op: 'isMissing' }, { op: 'eq', value: null }, { op: 'eq', value: undefined });
  if (type === 'container') {
    return fc.oneof(absent, fc.subarray([null, undefined]).map((values): Op => ({ op: 'in', values })));
  }
  const numbers = fc.constantFrom(...pools.numbers);
  const strings = fc.constantFrom(...pools.strings);
  const anyLiteral = fc.oneof(
    { arbitrary: numbers, weight: 4 },
    { arbitrary: strings, weight: 4 },
    { arbitrary: fc.constantFrom<unknown>(true, false, null, undefined), weight: 1 },
  );
  const ordered: fc.Arbitrary<number | string> =
    type === 'string' ? strings : type === 'mixed' ? fc.oneof(numbers, strings) : numbers;
  return fc.oneof(
    { arbitrary: anyLiteral.map((value): Op => ({ op: 'eq', value })), weight: 3 },
    { arbitrary: fc.array(anyLiteral, { maxLength: 20 }).map((values): Op => ({ op: 'in', values })), weight: 2 },
    { arbitrary: fc.record({ op: fc.constantFrom('gt', 'gte', 'lt', 'lte'), value: ordered }).map((op) => op as Op), weight: 4 },
    { arbitrary: fc.record({ lo: ordered, hi: ordered }).map(({ lo, hi }): Op => ({ op: 'between', lo, hi })), weight: 2 },
    { arbitrary: absent, weight: 1 },
  );
}

function leafArb(pools: Pools): fc.Arbitrary<Leaf> {
  return fc.oneof(
    ...FIELDS.map((field) => opArb(field.type, pools).map((op): Leaf => ({ kind: 'leaf', spec: field.spec, mode: field.mode, op }))),
  );
}

/** Random and/or/not trees up to `depth` levels over random leaves. */
export function exprArb(records: readonly unknown[], depth = 3): fc.Arbitrary<Expr> {
  const leaf = leafArb(literalPools(records));
  const at = (level: number): fc.Arbitrary<Expr> => {
    if (level === 0) return leaf;
    const sub = at(level - 1);
    return fc.oneof(
      { arbitrary: leaf, weight: 3 },
      {
        arbitrary: fc
          .record({ kind: fc.constantFrom<'and' | 'or'>('and', 'or'), left: sub, right: sub, viaPath: fc.boolean() })
          .map((node): Expr => node),
        weight: 3,
      },
      { arbitrary: sub.map((inner): Expr => ({ kind: 'not', inner })), weight: 1 },
    );
  };
  return at(depth);
}
