// Sparse columns: fields that most records lack (or hold null in), under random data and random
// delivery. Each record has many optional fields — at the top, inside an optional sub-object and
// inside list elements — of ints (small, negative, past 2^31 up to ±2^53), floats (-0 included),
// strings from a small pool (dictionary codes) and strings that never repeat (text; lone
// surrogates, astral and other non-ASCII characters). Each field is present in a share of the
// rows that changes as rows arrive: flat (0.1% to 60%), or long runs of absence and dense bursts
// in turn, so that a column crosses a quarter present and a half present both ways — where an
// encoding that stores only the present rows (a presence bitmap with a rank directory) turns a
// column sparse and back dense. Written against the public API only: it passes on dense columns
// and guards a sparse encoding.
//
// Through every entry path (fromJSON of a string, of bytes, NDJSON, fromStream, fromFile,
// fromRecords, and appends in random batches after a first load) the records are exactly
// JSON.parse of the input, record views read every field as the records hold it (missing vs
// null), and queries (where … eq / in / ranges / isNull / isMissing, count, first, aggregates,
// groupBy, orderBy, column()) answer as a plain-JS model over the parsed records does
// (test/query/reference.ts). A failed append (malformed JSON in the middle of a chunk, a record
// JSON.parse cannot give), also one that would have made columns sparse or dense, leaves the
// store exactly as it was. One bug turned up (append of JS records to a column of only nulls
// and missing rows), fixed, and kept as the case at the end.
//
// The data of a case comes from a seeded PRNG (@memstore/testkit/prng), its plan from
// fast-check: a failure reports fast-check's seed and path; replay one with
// SPARSE_SEED=<seed> SPARSE_PATH=<path> npx vitest run test/sparse.property.test.ts (from
// packages/core); SPARSE_RUNS=<n> runs n times as many cases.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { prng } from '@memstore/testkit/prng';
import { wtf8Encode } from '@memstore/testkit/wtf8';
import { MemstoreInputError, MemstoreParseError, MemstorePathError, MemstoreQueryError, Store, type AppendResult, type ColumnData, type SchemaField, type SchemaStorage, type StreamSource } from '../src/node';
import { exactJson, intAt, plainOf, viewAt, withStore, type AnyView } from './helpers';
import { writeJson } from './ingest/json';
import { asyncChunks, caught, split, utf8 } from './ingest/util';
import {
  buildSelection, describe as describeQuery, exprOutcome, getPath, kindAt, leafOutcome, listKind, listPath, opOutcome, outcome, refGroups,
  refIndices, refTotals, scalarPath, testValue, valuesOf, type ColumnKind, type Expected, type Expr, type Leaf, type Op, type PathSpec,
} from './query/reference';

const REPLAY = process.env.SPARSE_SEED === undefined ? {} : { seed: Number(process.env.SPARSE_SEED), path: process.env.SPARSE_PATH };
/** SPARSE_RUNS=<n>: n times as many cases (a longer soak than CI's). */
const RUNS = Math.max(1, Number(process.env.SPARSE_RUNS ?? 1));
/** Long enough for a failing case to shrink (each run loads thousands of records); a passing file takes seconds. */
const TIMEOUT = 240_000;

const directory = mkdtempSync(join(tmpdir(), 'memstore-sparse-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

// ---- the data -------------------------------------------------------------------------------

type Kind = 'small' | 'negative' | 'wide' | 'float' | 'pooled' | 'unique';
const KINDS: readonly Kind[] = ['small', 'negative', 'wide', 'float', 'pooled', 'unique'];
type Place = 'top' | 'sub' | 'item';

/** A run of rows: `share` of them (shares are weights, normalised over the field's phases), each present with probability `density`. */
type Phase = readonly [share: number, density: number];

interface FieldPlan {
  kind: Kind;
  phases: Phase[];
  /** Of the rows without a value: the share that holds null (the rest lack the key). */
  nulls: number;
}

interface Plan {
  seed: number;
  rows: number;
  top: FieldPlan[];
  sub: FieldPlan[];
  item: FieldPlan[];
  /** Records with an object at `sub` / null there (the rest lack it). */
  subPresent: number;
  subNull: number;
  /** Records with a list at `items` (0-3 elements, some null) / null there. */
  itemsPresent: number;
  itemsNull: number;
}

type Rec = Record<string, unknown>;

interface Field {
  name: string;
  kind: Kind;
  place: Place;
  /** The query path ('name', 'sub.name', 'items.name') and how the reference reads it. */
  path: string;
  spec: PathSpec;
  /** Per record row: the probability that the field has a value. */
  density: Float64Array;
  nulls: number;
}

const POOL = ['', 'a', 'B', 'é', '😀', '\ud800', 'a\u0000b', 'zz', '\ue000', '10', '9', '\uffff'];
const PIECES = ['a', 'b', 'Z', '0', ' ', 'é', 'ß', '中', '\u0000', '\n', '"', '\\', '\u2028', '\ue000', '\uffff', '\u{1f600}', '\u{10000}', '\u{10ffff}', '\ud800', '\udbff', '\udc00', '\udfff'];
const WIDE_EDGES = [2 ** 53, -(2 ** 53), 2 ** 53 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, -(2 ** 40)];
const FLOAT_EDGES = [-0, -0, -0, 0, 0.1, 1.5, -2.5, 1e-300, 5e-324, -1e-7, 123456.789, 1e21, 2 ** 53 + 2, -1e300, 1e300];

function fieldsOf(plan: Plan): Field[] {
  const fields: Field[] = [];
  const add = (place: Place, plans: FieldPlan[]) => {
    for (const field of plans) {
      const name = `${place === 'top' ? '' : place}${field.kind}${fields.length}`;
      const path = place === 'top' ? name : place === 'sub' ? `sub.${name}` : `items.${name}`;
      const spec = place === 'item' ? listPath('items', [name]) : scalarPath(path);
      const density = new Float64Array(plan.rows);
      const total = field.phases.reduce((sum, [share]) => sum + share, 0);
      let start = 0;
      let seen = 0;
      for (const [share, value] of field.phases) {
        seen += share;
        const end = Math.round((seen / total) * plan.rows);
        density.fill(value, start, end);
        start = end;
      }
      fields.push({ name, kind: field.kind, place, path, spec, density, nulls: field.nulls });
    }
  };
  add('top', plan.top);
  add('sub', plan.sub);
  add('item', plan.item);
  return fields;
}

/** The records of a plan: `id` (the row) and `k` (row % 5) in every record, then the planned fields. */
function recordsOf(plan: Plan, fields: readonly Field[]): Rec[] {
  const random = prng(plan.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  let serial = 0;
  const valueFor = (kind: Kind): number | string => {
    switch (kind) {
      case 'small':
        return Math.floor(random() * 100);
      case 'negative':
        return random() < 0.85 ? -1 - Math.floor(random() * 40_000) : Math.floor(random() * 50);
      case 'wide': {
        if (random() < 0.1) return pick(WIDE_EDGES);
        // Magnitudes from 2^31 to 2^53 - 1, either sign (two draws: the PRNG gives 32 bits).
        const magnitude = Math.floor(random() * 2 ** 21) * 2 ** 32 + Math.floor(random() * 2 ** 32);
        return (random() < 0.5 ? -1 : 1) * (magnitude < 2 ** 31 ? magnitude + 2 ** 31 : magnitude);
      }
      case 'float':
        return random() < 0.3 ? pick(FLOAT_EDGES) : random() < 0.1 ? Math.floor(random() * 20) - 10 : (random() - 0.5) * 2e6;
      case 'pooled':
        return pick(POOL);
      case 'unique': {
        // Never repeats: a serial number, with awkward pieces before or after it.
        let pieces = '';
        for (let n = 1 + Math.floor(random() * 4); n > 0; n--) pieces += pick(PIECES);
        serial++;
        return random() < 0.3 ? `${pieces}${serial}` : `${serial}${pieces}`;
      }
    }
  };
  const put = (target: Rec, field: Field, row: number) => {
    if (random() < field.density[row]) target[field.name] = valueFor(field.kind);
    else if (random() < field.nulls) target[field.name] = null;
  };
  const top = fields.filter((field) => field.place === 'top');
  const sub = fields.filter((field) => field.place === 'sub');
  const item = fields.filter((field) => field.place === 'item');
  return Array.from({ length: plan.rows }, (_, row) => {
    const record: Rec = { id: row, k: row % 5 };
    for (const field of top) put(record, field, row);
    const subRoll = random();
    if (subRoll < plan.subPresent) {
      const object: Rec = {};
      for (const field of sub) put(object, field, row);
      record.sub = object;
    } else if (subRoll < plan.subPresent + plan.subNull) record.sub = null;
    const itemsRoll = random();
    if (itemsRoll < plan.itemsPresent) {
      record.items = Array.from({ length: Math.floor(random() * 4) }, () => {
        if (random() < 0.05) return null;
        const element: Rec = {};
        for (const field of item) put(element, field, row);
        return element;
      });
    } else if (itemsRoll < plan.itemsPresent + plan.itemsNull) record.items = null;
    return record;
  });
}

// ---- plans ----------------------------------------------------------------------------------

/** A field's share of present rows, as the brief of a flat field: 0.1% to 60%, thresholds included. */
const flatDensity = fc.oneof(fc.double({ min: 0.001, max: 0.6, noNaN: true }), fc.constantFrom(0.001, 0.005, 0.02, 0.24, 0.25, 0.26, 0.49, 0.5, 0.51, 0.6));
const lowDensity = fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 0.05, noNaN: true }));

/**
 * How present a field is as rows arrive. Flat; or shaped so that the column's present share
 * crosses 1/4 and 1/2 (the encodings' thresholds) as it grows: sparse then a dense burst (ends
 * above 1/2), dense then a long absence (ends below 1/4), sparse-dense-sparse (above 1/2 at a
 * third, below 1/4 at the end), dense-sparse-dense (below 1/4 at half, above 1/2 at the end);
 * or random runs.
 */
const phasesArb: fc.Arbitrary<Phase[]> = fc.oneof(
  { weight: 4, arbitrary: flatDensity.map((d): Phase[] => [[1, d]]) },
  { weight: 2, arbitrary: lowDensity.map((d): Phase[] => [[0.3, d], [0.7, 1]]) },
  { weight: 2, arbitrary: lowDensity.map((d): Phase[] => [[0.2, 1], [0.8, d]]) },
  { weight: 2, arbitrary: lowDensity.map((d): Phase[] => [[0.1, d], [0.2, 1], [0.7, 0]]) },
  { weight: 2, arbitrary: lowDensity.map((d): Phase[] => [[0.1, 1], [0.4, d], [0.5, 1]]) },
  {
    weight: 2,
    arbitrary: fc.array(fc.tuple(fc.integer({ min: 1, max: 10 }), fc.oneof(flatDensity, lowDensity, fc.constantFrom(0.9, 1))), { minLength: 1, maxLength: 6 }),
  },
);

const nullsArb = fc.constantFrom(0, 0, 0.2, 0.5, 1);
const fieldPlan = (kind: fc.Arbitrary<Kind>, phases = phasesArb): fc.Arbitrary<FieldPlan> => fc.record({ kind, phases, nulls: nullsArb });
const anyKind = fc.constantFrom(...KINDS);

function planArb(rows: fc.Arbitrary<number>, phases = phasesArb): fc.Arbitrary<Plan> {
  return fc.record({
    seed: fc.integer(),
    rows,
    // Every kind at the top in every case; the sub-object and list elements get two random kinds each.
    top: fc.tuple(...KINDS.map((kind) => fieldPlan(fc.constant(kind), phases))),
    sub: fc.array(fieldPlan(anyKind, phases), { minLength: 2, maxLength: 2 }),
    item: fc.array(fieldPlan(anyKind, phases), { minLength: 2, maxLength: 2 }),
    subPresent: fc.constantFrom(0.6, 0.9, 1),
    subNull: fc.constantFrom(0, 0.05),
    itemsPresent: fc.constantFrom(0.5, 0.9),
    itemsNull: fc.constantFrom(0, 0.05),
  });
}

/** Several thousand records: enough rows for a quarter and a half of a column to be many rows. */
const plans = planArb(fc.integer({ min: 3000, max: 6000 }));

// ---- entry paths ----------------------------------------------------------------------------

type Entry = 'fromJSON(string)' | 'fromJSON(bytes)' | 'fromJSON(ndjson string)' | 'fromJSON(ndjson bytes)' | 'fromStream(json)' | 'fromStream(ndjson)' | 'fromFile(.json)' | 'fromFile(.ndjson)' | 'fromRecords';
const ENTRIES: readonly Entry[] = ['fromJSON(string)', 'fromJSON(bytes)', 'fromJSON(ndjson string)', 'fromJSON(ndjson bytes)', 'fromStream(json)', 'fromStream(ndjson)', 'fromFile(.json)', 'fromFile(.ndjson)', 'fromRecords'];
const entries = fc.constantFrom(...ENTRIES);

type Delivery = 'string' | 'bytes' | 'ndjson' | 'stream' | 'ndjson stream' | 'records';
const DELIVERIES: readonly Delivery[] = ['string', 'bytes', 'ndjson', 'stream', 'ndjson stream', 'records'];
const deliveries = fc.constantFrom(...DELIVERIES);

type StreamKind = 'chunks' | 'async' | 'node' | 'web';
const streamKinds = fc.constantFrom<StreamKind>('chunks', 'async', 'node', 'web');

/** How one input is spelled and chunked: seed of the JSON writer's choices, its noise, byte cuts, the stream's kind. */
interface Spelling {
  seed: number;
  noise: 0 | 1;
  cuts: number[];
  stream: StreamKind;
}
const spellings: fc.Arbitrary<Spelling> = fc.record({
  seed: fc.integer(),
  noise: fc.constantFrom<0 | 1>(0, 0, 1),
  cuts: fc.array(fc.nat(), { maxLength: 8 }),
  stream: streamKinds,
});

/** A JSON array of the records; lone surrogates raw only where the input is a JS string (UTF-8 cannot carry them). */
const jsonText = (records: readonly unknown[], spelling: Spelling, raw: boolean) => writeJson(records, spelling.seed, { rawLoneSurrogates: raw, noise: spelling.noise });
/** One record a line (no whitespace noise: a newline would end the record). */
const ndjsonText = (records: readonly unknown[], spelling: Spelling, raw: boolean) =>
  records.map((record, i) => writeJson(record, spelling.seed + i, { rawLoneSurrogates: raw, noise: 0 })).join(spelling.noise === 0 ? '\n' : '\r\n');
const parsedLines = (text: string) => text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);

/** `bytes` in chunks cut at the spelling's cuts and every 64 KiB, as one of the stream kinds. */
function streamOf(bytes: Uint8Array, spelling: Spelling): StreamSource {
  const cuts = [...spelling.cuts.map((cut) => cut % (bytes.length + 1)), ...Array.from({ length: bytes.length >> 16 }, (_, i) => (i + 1) << 16)];
  const chunks = split(bytes, cuts);
  switch (spelling.stream) {
    case 'chunks':
      return chunks;
    case 'async':
      return asyncChunks(chunks);
    case 'node':
      return Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
    case 'web':
      return new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      });
  }
}

let files = 0;

/** Loads `records` through `entry`; returns the store and what JSON.parse makes of the input. */
async function load(entry: Entry, records: readonly Rec[], spelling: Spelling): Promise<{ store: Store<Rec>; parsed: unknown[] }> {
  switch (entry) {
    case 'fromJSON(string)': {
      const text = jsonText(records, spelling, true);
      return { store: await Store.fromJSON<Rec>(text), parsed: JSON.parse(text) };
    }
    case 'fromJSON(bytes)': {
      const text = jsonText(records, spelling, false);
      return { store: await Store.fromJSON<Rec>(utf8(text)), parsed: JSON.parse(text) };
    }
    case 'fromJSON(ndjson string)': {
      const text = ndjsonText(records, spelling, true);
      return { store: await Store.fromJSON<Rec>(text, { format: 'ndjson' }), parsed: parsedLines(text) };
    }
    case 'fromJSON(ndjson bytes)': {
      const text = ndjsonText(records, spelling, false);
      return { store: await Store.fromJSON<Rec>(utf8(text), { format: 'jsonl' }), parsed: parsedLines(text) };
    }
    case 'fromStream(json)': {
      const text = jsonText(records, spelling, false);
      return { store: await Store.fromStream<Rec>(streamOf(utf8(text), spelling)), parsed: JSON.parse(text) };
    }
    case 'fromStream(ndjson)': {
      const text = ndjsonText(records, spelling, false);
      return { store: await Store.fromStream<Rec>(streamOf(utf8(text), spelling), { format: 'ndjson' }), parsed: parsedLines(text) };
    }
    case 'fromFile(.json)':
    case 'fromFile(.ndjson)': {
      const ndjson = entry === 'fromFile(.ndjson)';
      const text = ndjson ? ndjsonText(records, spelling, false) : jsonText(records, spelling, false);
      const file = join(directory, `${files++}${ndjson ? '.ndjson' : '.json'}`);
      writeFileSync(file, text);
      try {
        return { store: await Store.fromFile<Rec>(file), parsed: ndjson ? parsedLines(text) : JSON.parse(text) };
      } finally {
        rmSync(file);
      }
    }
    case 'fromRecords': {
      const text = exactJson(records);
      return { store: await Store.fromRecords<Rec>(JSON.parse(text) as Rec[]), parsed: JSON.parse(text) };
    }
  }
}

/** Appends `records` as `delivery`; returns what JSON.parse makes of the input. */
async function append(store: Store<Rec>, records: readonly Rec[], delivery: Delivery, spelling: Spelling): Promise<unknown[]> {
  let parsed: unknown[];
  let result: AppendResult;
  switch (delivery) {
    case 'string': {
      const text = jsonText(records, spelling, true);
      parsed = JSON.parse(text);
      result = await store.append(text);
      break;
    }
    case 'bytes': {
      const text = jsonText(records, spelling, false);
      parsed = JSON.parse(text);
      result = await store.append(utf8(text));
      break;
    }
    case 'ndjson': {
      const text = ndjsonText(records, spelling, true);
      parsed = parsedLines(text);
      result = await store.append(text, { format: 'ndjson' });
      break;
    }
    case 'stream': {
      const text = jsonText(records, spelling, false);
      parsed = JSON.parse(text);
      result = await store.append(streamOf(utf8(text), spelling));
      break;
    }
    case 'ndjson stream': {
      const text = ndjsonText(records, spelling, false);
      parsed = parsedLines(text);
      result = await store.append(streamOf(utf8(text), spelling), { format: 'ndjson' });
      break;
    }
    case 'records': {
      const text = exactJson(records);
      parsed = JSON.parse(text);
      result = await store.append(JSON.parse(text) as Rec[]);
      break;
    }
  }
  expect(result, `append as ${delivery}`).toEqual({ appended: records.length, skipped: [] });
  return parsed;
}

/** `items` cut at `cuts` (any naturals) into consecutive non-empty runs. */
function batchesOf<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((cut) => cut % (items.length + 1)))].filter((cut) => cut > 0 && cut < items.length).sort((a, b) => a - b);
  return [...points, items.length].map((point, i, all) => items.slice(i === 0 ? 0 : all[i - 1], point));
}

// ---- checks ---------------------------------------------------------------------------------

const hasOwn = (object: unknown, key: string) => object !== null && typeof object === 'object' && Object.hasOwn(object, key);

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Object.is(value, -0)) return '-0';
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Collects what differs and asserts once at the end: an expect() per value read made the checks slow. */
class Mismatches {
  private readonly found: string[] = [];

  constructor(private readonly what: string) {}

  /** Object.is: -0 is not 0, undefined (missing) is not null. */
  same(actual: unknown, expected: unknown, where: string): void {
    if (!Object.is(actual, expected)) this.found.push(`${where}: ${show(actual)}, expected ${show(expected)}`);
  }

  check(ok: boolean, where: string): void {
    if (!ok) this.found.push(where);
  }

  near(actual: number | undefined, expected: number | undefined, scale: number, where: string): void {
    const ok = actual === undefined || expected === undefined || !Number.isFinite(expected)
      ? Object.is(actual, expected) || actual === expected
      : Math.abs(actual - expected) <= 1e-12 * scale;
    if (!ok) this.found.push(`${where}: ${show(actual)}, expected ${show(expected)} (within 1e-12 × ${scale})`);
  }

  assertNone(): void {
    expect(this.found.slice(0, 12), `${this.what}: ${this.found.length} mismatch(es)`).toEqual([]);
  }
}

/** Rows worth reading one by one: random ones, the first and last, and both sides of every phase boundary. */
function probeRows(fields: readonly Field[], rows: number, random: () => number): number[] {
  const picked = new Set<number>([0, rows - 1]);
  for (let n = 0; n < 40; n++) picked.add(Math.floor(random() * rows));
  for (const field of fields) {
    for (let row = 1; row < rows; row++) {
      if (field.density[row] !== field.density[row - 1]) {
        picked.add(row - 1);
        picked.add(row);
      }
    }
  }
  return [...picked].filter((row) => row < rows).sort((a, b) => a - b);
}

/** Reads through record views: attribute access, get(path), store.get, and missing vs null ('key' in). */
function checkViews(store: Store<Rec>, model: readonly Rec[], fields: readonly Field[], rows: readonly number[]): void {
  expect(store.length).toBe(model.length);
  // get() of a path the schema lacks throws; only paths some record has are read with it.
  const known = new Map(fields.map((field) => [field, kindAt(model, field.spec) !== 'absent']));
  const problems = new Mismatches('record views');
  for (const row of rows) {
    const want = model[row];
    const view = viewAt(store, row);
    assert.deepStrictEqual(plainOf(view), want, `at(${row})`);
    const plain = view.toJSON() as Rec;
    for (const field of fields) {
      const where = `record ${row} ${field.path}`;
      if (field.place === 'top') {
        problems.same(view[field.name], want[field.name], `${where} (attribute)`);
        if (known.get(field)) problems.same(view.get(field.name), want[field.name], `${where} (get)`);
        if (known.get(field)) problems.same(store.get(row, [field.name]), want[field.name], `${where} (store.get)`);
        problems.same(field.name in plain, hasOwn(want, field.name), `${where}: 'key' in toJSON()`);
      } else if (field.place === 'sub') {
        const sub = want.sub as Rec | null | undefined;
        const expected = getPath(want, ['sub', field.name]);
        if (sub === undefined || sub === null) problems.same(view.sub, sub, `${where}: sub`);
        else {
          problems.same(view.sub[field.name], sub[field.name], `${where} (attribute)`);
          problems.same(field.name in (plain.sub as Rec), hasOwn(sub, field.name), `${where}: 'key' in toJSON().sub`);
        }
        if (known.get(field)) {
          problems.same(view.get(field.path), expected, `${where} (get)`);
          problems.same(store.get(row, ['sub', field.name]), expected, `${where} (store.get)`);
        }
      } else {
        const items = want.items as (Rec | null)[] | null | undefined;
        if (!Array.isArray(items)) {
          problems.same(view.items, items, `${where}: items`);
          continue;
        }
        problems.same(view.items.length, items.length, `${where}: items.length`);
        items.forEach((element, j) => {
          const got = view.items.at(j);
          if (element === null) problems.same(got, null, `${where}[${j}]`);
          else {
            problems.same(got[field.name], element[field.name], `${where}[${j}] (attribute)`);
            if (known.get(field)) problems.same(view.get(['items', j, field.name]), element[field.name], `${where}[${j}] (get)`);
          }
        });
      }
    }
  }
  problems.assertNone();
}

/** What toArray and the views must give: `parsed` is JSON.parse of the input, `model` the records built. */
function checkRecords(store: Store<Rec>, parsed: readonly unknown[], model: readonly Rec[], fields: readonly Field[], random: () => number): void {
  // node:assert's deepStrictEqual: -0 is not 0, a missing key is not a null one.
  assert.deepStrictEqual(parsed, model, 'the input parses to the records built (the generator)');
  assert.deepStrictEqual(store.toArray(), parsed);
  let row = 0;
  for (const record of store) {
    if (row % 97 === 0) assert.deepStrictEqual(plainOf(record), parsed[row], `iteration: record ${row}`);
    row++;
  }
  expect(row).toBe(parsed.length);
  checkViews(store, model, fields, probeRows(fields, model.length, random));
}

/**
 * What the reference (test/query/reference.ts) knows of a field over a model, worked out once:
 * the column's kind, the kind of the list it is inside, every record's value (or its elements'
 * values). The leaves below are decided from these with reference.ts's opOutcome and testValue;
 * leafOutcome and refIndices, which recompute them per query, agree (checked in checkQueries).
 */
interface Facts {
  field: Field;
  kind: ColumnKind;
  list: ColumnKind | null;
  values: unknown[];
  present: (number | string)[];
}

function factsOf(model: readonly Rec[], field: Field): Facts {
  const values = field.place === 'item' ? model.map((record) => valuesOf(record, field.spec)) : model.map((record) => getPath(record, field.spec.inner));
  const present = (field.place === 'item' ? values.flat() : values).filter((value): value is number | string => typeof value === 'number' || typeof value === 'string');
  return { field, kind: kindAt(model, field.spec), list: field.place === 'item' ? listKind(model, field.spec) : null, values, present };
}

/** A leaf on a field: the value itself for record paths, any() of the elements through the list. */
const leafOf = (field: Field, op: Op): Leaf => ({ kind: 'leaf', spec: field.spec, mode: field.place === 'item' ? 'any' : 'value', op });

/** leafOutcome over the facts. */
function leafExpected(facts: Facts, op: Op): Expected {
  // Item paths go on inside the list: where it is not one (only nulls so far), the path is not in the schema.
  if (facts.list !== null && facts.list !== 'list') return facts.list === 'struct' ? MemstoreQueryError : MemstorePathError;
  return facts.kind === 'absent' ? MemstorePathError : opOutcome(facts.kind, op);
}

/** refIndices over the facts. */
function leafRows(facts: Facts, op: Op): number[] {
  const rows: number[] = [];
  const through = facts.list !== null;
  facts.values.forEach((value, row) => {
    if (through ? (value as unknown[]).some((element) => testValue(element, op)) : testValue(value, op)) rows.push(row);
  });
  return rows;
}

/** Is `kind` one aggregates take: numbers (or only nulls); an error class otherwise. */
function numericOutcome(kind: ColumnKind): Expected {
  if (kind === 'absent') return MemstorePathError;
  return kind === 'number' || kind === 'null' || kind === 'mixed' ? 'ok' : MemstoreQueryError;
}

/** Operators for a field: literals present in it, next to them, of the other kind, at the int edges. */
function opsFor(present: readonly (number | string)[], random: () => number): Op[] {
  const ops: Op[] = [{ op: 'isNull' }, { op: 'isMissing' }, { op: 'eq', value: null }];
  if (present.length === 0) return [...ops, { op: 'eq', value: 0 }, { op: 'gt', value: 0 }, { op: 'eq', value: 'a' }];
  const pick = () => present[Math.floor(random() * present.length)];
  const [a, b, c] = [pick(), pick(), pick()];
  const [lo, hi] = a < b ? [a, b] : [b, a];
  ops.push({ op: 'eq', value: a }, { op: 'eq', value: c }, { op: 'in', values: [a, b, typeof a === 'number' ? -0 : '', 'never there', 12.5] });
  ops.push({ op: 'gt', value: b }, { op: 'gte', value: c }, { op: 'lt', value: c }, { op: 'lte', value: a }, { op: 'between', lo, hi }, { op: 'between', lo: hi, hi: lo });
  if (typeof a === 'number') {
    ops.push({ op: 'eq', value: -0 }, { op: 'eq', value: a + 0.5 }, { op: 'gt', value: 2 ** 31 }, { op: 'lte', value: -(2 ** 31) }, { op: 'between', lo: -(2 ** 53), hi: 2 ** 53 }, { op: 'eq', value: String(a) });
  } else {
    ops.push({ op: 'eq', value: `${a}~` }, { op: 'gte', value: '' }, { op: 'lt', value: '\ud800' }, { op: 'gt', value: '\ue000' }, { op: 'eq', value: 5 });
  }
  return ops;
}

/** indices, count and first (on a fresh selection: the block scan; after count(): the bitmap) against the expected rows. */
function checkSelection(store: Store<Rec>, expr: Expr, expected: Expected, rows: () => number[]): void {
  const what = describeQuery(expr);
  const selection = outcome(expected, () => buildSelection(store, expr), what);
  if (selection === undefined) return;
  const want = rows();
  expect(buildSelection(store, expr).first()?.id, `${what} first()`).toBe(want.length > 0 ? want[0] : undefined);
  expect(Array.from(selection.indices()), `${what} indices()`).toEqual(want);
  expect(selection.count(), `${what} count()`).toBe(want.length);
  expect((selection.first() as AnyView | undefined)?.get('id'), `${what} first() after count()`).toBe(want.length > 0 ? want[0] : undefined);
}

/** Σ|v|: how far a float sum may be from the JS loop's when its additions are grouped differently. */
function magnitude(model: readonly Rec[], spec: PathSpec, rows?: readonly number[]): number {
  let total = 0;
  for (const row of rows ?? model.map((_, i) => i)) for (const value of valuesOf(model[row], spec)) if (typeof value === 'number') total += Math.abs(value);
  return total;
}

/** sum / min / max / mean over the store and over a selection: an int column's sum exact, a float one's within rounding. */
function checkTotals(store: Store<Rec>, model: readonly Rec[], facts: Facts, selected: readonly number[]): void {
  const field = facts.field;
  const expected = numericOutcome(facts.kind);
  const problems = new Mismatches(`aggregates of ${field.path}`);
  const scopes = [['store', store, undefined], ['where(k).in([1, 3])', store.where('k').in([1, 3]), selected]] as const;
  for (const [scope, target, rows] of scopes) {
    const what = `${scope}: ${field.path}`;
    const sum = outcome(expected, () => target.sum(field.path), `${what} sum`);
    const min = outcome(expected, () => target.min(field.path), `${what} min`);
    const max = outcome(expected, () => target.max(field.path), `${what} max`);
    const mean = outcome(expected, () => target.mean(field.path), `${what} mean`);
    if (expected !== 'ok') continue;
    const ref = refTotals(model, field.spec, rows);
    const scale = magnitude(model, field.spec, rows);
    const int = store.column(field.path).type === 'int';
    if (int) problems.same(sum, ref.exactSum, `${what} sum (int column: exact)`);
    else problems.near(sum, ref.sum, scale, `${what} sum`);
    // min / max: the same number, -0 and 0 alike (as ===).
    problems.check(min === ref.min, `${what} min: ${show(min)}, expected ${show(ref.min)}`);
    problems.check(max === ref.max, `${what} max: ${show(max)}, expected ${show(ref.max)}`);
    const wantMean = ref.count === 0 ? undefined : int ? ref.exactSum! / ref.count : ref.mean;
    problems.near(mean, wantMean, ref.count === 0 ? 0 : scale / ref.count, `${what} mean`);
  }
  problems.assertNone();
}

interface GroupTotals {
  sum: number;
  /** The sum of the integers (what an int column's group sum is, rounded once). */
  exact: bigint;
  count: number;
  scale: number;
}

/** Per group (null for null and missing keys, first-seen order): the numbers at the value path, summed as JS does and exactly. */
function groupTotals(keys: readonly unknown[], values: readonly unknown[]): Map<unknown, GroupTotals> {
  const groups = new Map<unknown, GroupTotals>();
  keys.forEach((key, row) => {
    const group = key ?? null;
    if (!groups.has(group)) groups.set(group, { sum: 0, exact: 0n, count: 0, scale: 0 });
    const number = values[row];
    if (typeof number !== 'number') return;
    const totals = groups.get(group)!;
    totals.sum += number;
    if (Number.isInteger(number)) totals.exact += BigInt(number);
    totals.count++;
    totals.scale += Math.abs(number);
  });
  return groups;
}

/** A Map's entries with -0 keys as 0 (Maps key by SameValueZero). */
const entriesOf = <V>(map: ReadonlyMap<unknown, V>) => [...map].map(([key, value]) => [Object.is(key, -0) ? 0 : key, value] as const);

/**
 * groupBy(key).count(), and .sum / .mean of `value` (a sparse key, a sparse value, or both)
 * against refGroups (counts) and JS loops. An int column's group sums are exact by the int key
 * `k` (WASM's group tables, as ints.property.test.ts has them); by float keys or very many keys
 * the groups are a JS Map that adds doubles in row order (src/query/groupBy.ts), so there within
 * rounding of the exact sum.
 */
function checkGroups(store: Store<Rec>, model: readonly Rec[], key: Facts | 'k', value: Facts | null): void {
  const keyPath = key === 'k' ? 'k' : key.field.path;
  const what = `groupBy(${keyPath})`;
  if (key !== 'k' && key.field.place === 'item') {
    if (key.kind !== 'absent') expect(() => store.groupBy(keyPath), `${what}: a path through a list`).toThrow(MemstoreQueryError);
    return;
  }
  if (key !== 'k' && key.kind === 'absent') {
    expect(() => store.groupBy(keyPath), what).toThrow(MemstorePathError);
    return;
  }
  const grouping = store.groupBy(keyPath);
  expect(entriesOf(grouping.count()), `${what}.count()`).toEqual(entriesOf(refGroups(model, keyPath, null).count));
  if (value === null) return;
  const valuePath = value.field.path;
  if (value.field.place === 'item') {
    if (value.kind !== 'absent') expect(() => grouping.sum(valuePath), `${what}.sum(${valuePath}): a value inside a list`).toThrow(MemstoreQueryError);
    return;
  }
  const expected = numericOutcome(value.kind);
  const sums = outcome(expected, () => grouping.sum(valuePath), `${what}.sum(${valuePath})`);
  const means = outcome(expected, () => grouping.mean(valuePath), `${what}.mean(${valuePath})`);
  if (sums === undefined || means === undefined) return;
  const ref = groupTotals(key === 'k' ? model.map((record) => record.k) : key.values, value.values);
  const int = store.column(valuePath).type === 'int';
  const keys = entriesOf(ref).map(([group]) => group);
  expect(entriesOf(sums).map(([group]) => group), `${what}.sum(${valuePath}) keys`).toEqual(keys);
  expect(entriesOf(means).map(([group]) => group), `${what}.mean(${valuePath}) keys`).toEqual(keys);
  const problems = new Mismatches(`${what}.sum / .mean(${valuePath})`);
  for (const [group, totals] of ref) {
    const where = `[${show(group)}]`;
    if (int && key === 'k') problems.same(sums.get(group), Number(totals.exact), `sum${where} (int column: exact)`);
    else problems.near(sums.get(group), int ? Number(totals.exact) : totals.sum, totals.scale, `sum${where}`);
    const mean = totals.count === 0 ? undefined : int ? Number(totals.exact) / totals.count : totals.sum / totals.count;
    problems.near(means.get(group), mean, totals.count === 0 ? 0 : totals.scale / totals.count, `mean${where}`);
  }
  problems.assertNone();
}

/** refOrder over the facts' values: a stable sort by JS's <, nulls and missing last in both directions. */
function orderOf(values: readonly unknown[], direction: 'asc' | 'desc', rows?: readonly number[]): number[] {
  const all = rows ?? values.map((_, row) => row);
  const present = all.filter((row) => values[row] != null);
  const absent = all.filter((row) => values[row] == null);
  const sign = direction === 'asc' ? 1 : -1;
  present.sort((a, b) => {
    const x = values[a] as number | string;
    const y = values[b] as number | string;
    return sign * (x < y ? -1 : x > y ? 1 : 0);
  });
  return [...present, ...absent];
}

/** orderBy asc and desc, over the store and a selection: stable, nulls and missing last. */
function checkOrder(store: Store<Rec>, facts: Facts, selected: readonly number[]): void {
  const field = facts.field;
  if (field.place === 'item') return;
  const expected: Expected = facts.kind === 'absent' ? MemstorePathError : facts.kind === 'mixed' ? MemstoreQueryError : 'ok';
  for (const direction of ['asc', 'desc'] as const) {
    const all = outcome(expected, () => store.orderBy(field.path, direction), `orderBy(${field.path}, ${direction})`);
    const some = outcome(expected, () => store.where('k').in([1, 3]).orderBy(field.path, direction), `where(k).in([1, 3]).orderBy(${field.path}, ${direction})`);
    if (all === undefined || some === undefined) continue;
    expect(Array.from(all), `orderBy(${field.path}, ${direction})`).toEqual(orderOf(facts.values, direction));
    expect(Array.from(some), `where(k).in([1, 3]).orderBy(${field.path}, ${direction})`).toEqual(orderOf(facts.values, direction, selected));
  }
}

const bit = (bitmap: Uint8Array, row: number) => ((bitmap[row >> 3] >> (row & 7)) & 1) === 1;

/**
 * Row `row`'s value read from column()'s arrays as its documentation describes them (ints: base +
 * deltas[row]; floats: values[row]; strings: dictionary[codes[row]] or, as 'text', the row's WTF-8
 * bytes between offsets[row] and offsets[row + 1], as a string of hex pairs; 'constant': the one
 * value). A storage added later (an encoding of only the present rows) documents its own layout:
 * read it here.
 */
function storedValue(column: ColumnData, at: number): unknown {
  if (column.storage === 'constant') return column.constant;
  switch (column.type) {
    case 'int':
      return intAt(column, at);
    case 'float':
      return column.values![at];
    case 'string':
      if (column.storage === 'text') return hex(Array.from(column.bytes!.subarray(column.offsets![at], column.offsets![at + 1])));
      return column.dictionary![column.codes![at]];
    default:
      throw new Error(`no stored value to read for a ${column.type} column (${column.storage})`);
  }
}

const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');

/** column(path): toArray, length, isNull / isMissing and the bitmaps per row, the stored values of present rows. */
function checkColumn(store: Store<Rec>, facts: Facts, random: () => number): void {
  const { field, kind } = facts;
  const column = outcome(kind === 'absent' ? MemstorePathError : 'ok', () => store.column(field.path), `column(${field.path})`);
  if (column === undefined) return;
  const reference = field.place === 'item' ? facts.values.flat() : facts.values;
  assert.deepStrictEqual(column.toArray(), reference, `column(${field.path}).toArray()`);
  expect(column.length, `column(${field.path}).length`).toBe(reference.length);
  const problems = new Mismatches(`column(${field.path})`);
  let nulls = 0;
  let missing = 0;
  // A sparse column's arrays (its null bitmap too) hold the rows that are not missing: row i at storedRow(i).
  const sparse = column.sparse !== null;
  if (sparse) problems.same(column.sparse!.stored, reference.filter((value) => value !== undefined).length, 'sparse.stored');
  for (let row = 0; row < reference.length; row++) {
    const value = reference[row];
    problems.same(column.isNull(row), value === null, `isNull(${row})`);
    problems.same(column.isMissing(row), value === undefined, `isMissing(${row})`);
    const at = column.storedRow(row);
    problems.same(at < 0, sparse && value === undefined, `storedRow(${row}) < 0`);
    // A column of only nulls says so by its type: no null bitmap there.
    if (column.nulls !== null && at >= 0) problems.same(bit(column.nulls, at), value === null && kind !== 'null', `nulls bit ${row}`);
    if (column.missing !== null) problems.same(bit(column.missing, row), value === undefined, `missing bit ${row}`);
    if (value === null) nulls++;
    if (value === undefined) missing++;
  }
  problems.check(column.nulls !== null || nulls === 0 || kind === 'null', `nulls is null, with ${nulls} null rows`);
  problems.check(column.missing !== null || sparse || missing === 0, `missing is null (and the column dense), with ${missing} missing rows`);
  if (kind !== 'null') {
    const presentRows = reference.flatMap((value, row) => (value === null || value === undefined ? [] : [row]));
    const sample = presentRows.length <= 300 ? presentRows : Array.from({ length: 300 }, () => presentRows[Math.floor(random() * presentRows.length)]);
    for (const row of sample) {
      const value = reference[row] as number | string;
      problems.same(storedValue(column, column.storedRow(row)), column.storage === 'text' ? hex(wtf8Encode(value as string)) : value, `stored value of row ${row} (${column.storage})`);
    }
    if (column.storage === 'text') {
      reference.forEach((value, row) => {
        const at = column.storedRow(row);
        if (value == null && at >= 0) problems.same(column.offsets![at + 1] - column.offsets![at], 0, `text bytes of absent row ${row}`);
      });
    }
  }
  problems.assertNone();
}

/** Every query kind on every planned field, against the reference over `model`. */
function checkQueries(store: Store<Rec>, model: readonly Rec[], fields: readonly Field[], random: () => number): void {
  const selected = model.flatMap((record, row) => (record.k === 1 || record.k === 3 ? [row] : []));
  const facts = fields.map((field) => factsOf(model, field));
  const leaves: Leaf[] = [];
  for (const fact of facts) {
    const field = fact.field;
    const ops = opsFor(fact.present, random);
    // The facts decide as reference.ts's leafOutcome and refIndices do (checked on one leaf a field).
    expect(leafExpected(fact, ops[3] ?? ops[0]), `leafOutcome of ${field.path}`).toBe(leafOutcome(model, leafOf(field, ops[3] ?? ops[0])));
    if (leafExpected(fact, ops[0]) === 'ok') expect(leafRows(fact, ops[0]), `refIndices of ${field.path}`).toEqual(refIndices(model, leafOf(field, ops[0])));
    for (const op of ops) {
      const leaf = leafOf(field, op);
      leaves.push(leaf);
      checkSelection(store, leaf, leafExpected(fact, op), () => leafRows(fact, op));
    }
    // A path through a list needs any() (or length()): the value itself is no query.
    if (fact.list === 'list' && fact.kind !== 'absent') expect(() => store.where(field.path).isNull(), `where(${field.path}) without any()`).toThrow(MemstoreQueryError);
    checkTotals(store, model, fact, selected);
    checkOrder(store, fact, selected);
    checkColumn(store, fact, random);
    checkGroups(store, model, fact, null);
    checkGroups(store, model, 'k', fact);
  }
  // A sparse key with a sparse value, and and / or / not of two sparse fields.
  const numeric = facts.filter((fact) => fact.field.place !== 'item' && fact.field.kind !== 'pooled' && fact.field.kind !== 'unique');
  for (let n = 0; n < 4; n++) {
    checkGroups(store, model, facts[Math.floor(random() * facts.length)], numeric[Math.floor(random() * numeric.length)]);
    const left = leaves[Math.floor(random() * leaves.length)];
    const right = leaves[Math.floor(random() * leaves.length)];
    const kind = random() < 0.5 ? 'and' : 'or';
    for (const expr of [{ kind, left, right, viaPath: random() < 0.5 }, { kind: 'not', inner: { kind, left, right, viaPath: false } }] as Expr[]) {
      checkSelection(store, expr, exprOutcome(model, expr), () => refIndices(model, expr));
    }
  }
}

// ---- a model-free picture of a store (for the failed appends) --------------------------------

function attempt(run: () => unknown): unknown {
  try {
    const value = run();
    if (value instanceof Uint32Array) return Array.from(value);
    if (value instanceof Map) return [...value];
    return value;
  } catch (error) {
    return { error: (error as Error).name };
  }
}

/** Every schema node's storage and cardinality, by path. */
function storages(field: SchemaField, out = new Map<string, [SchemaStorage, number | undefined]>()): Map<string, [SchemaStorage, number | undefined]> {
  out.set(field.path, [field.storage, field.cardinality]);
  for (const child of [...(field.fields ?? []), field.element, field.keys, field.values]) if (child !== undefined) storages(child, out);
  return out;
}

/**
 * Everything observable about a store: the records, the schema (storage, sparse and cardinality aside,
 * see sameStore), the interned strings, and per field queries, aggregates, groups, an order and
 * the column.
 */
function picture(store: Store<Rec>, fields: readonly Field[]): Picture {
  const schema = JSON.parse(JSON.stringify(store.schema, (key, value: unknown) => (key === 'storage' || key === 'cardinality' || key === 'sparse' ? undefined : value)));
  const answers = fields.map((field) => {
    const where = () => (field.place === 'item' ? store.where(field.path).any() : store.where(field.path));
    const first = attempt(() => store.column(field.path).toArray().find((value) => value !== null && value !== undefined));
    return {
      path: field.path,
      column: attempt(() => store.column(field.path).toArray()),
      isNull: attempt(() => where().isNull().indices()),
      isMissing: attempt(() => where().isMissing().indices()),
      eq: attempt(() => where().eq(first).indices()),
      gt: attempt(() => (typeof first === 'number' || typeof first === 'string' ? where().gt(first).count() : null)),
      totals: attempt(() => [store.sum(field.path), store.min(field.path), store.max(field.path), store.mean(field.path)]),
      groups: attempt(() => store.groupBy(field.path).count()),
      sums: attempt(() => store.groupBy('k').sum(field.path)),
      order: attempt(() => store.orderBy(field.path, 'desc')),
    };
  });
  return { records: store.toArray(), length: store.length, schema, strings: store.memory().strings.count, answers, storages: storages(store.schema) };
}

interface Picture {
  storages: Map<string, [SchemaStorage, number | undefined]>;
  [other: string]: unknown;
}

/**
 * The store is as it was. A change of encoding made along the way may stay, as it changes no
 * value (ARCHITECTURE.md: "only a storage widening, a rebase (or a turn into text) made along
 * the way stays"; a turn sparse or dense is one more): storage and sparse are not compared,
 * and a dictionary column's cardinality is unless the column is text now (it has none then).
 */
function sameStore(after: Picture, before: Picture, what: string): void {
  const { storages: afterStorages, ...afterRest } = after;
  const { storages: beforeStorages, ...beforeRest } = before;
  assert.deepStrictEqual(afterRest, beforeRest, what);
  expect([...afterStorages.keys()], `${what}: schema paths`).toEqual([...beforeStorages.keys()]);
  for (const [path, [storage, cardinality]] of afterStorages) {
    if (storage !== 'text') expect(cardinality, `${what}: cardinality of ${path} (${beforeStorages.get(path)![0]} → ${storage})`).toBe(beforeStorages.get(path)![1]);
  }
}

// ---- the properties -------------------------------------------------------------------------

describe('sparse columns: optional fields present in few rows, loaded every way', () => {
  for (const entry of ENTRIES) {
    it(`${entry}: toArray() is JSON.parse of the input, views read each field (missing vs null)`, { timeout: TIMEOUT }, async () => {
      await fc.assert(
        fc.asyncProperty(plans, spellings, async (plan, spelling) => {
          const fields = fieldsOf(plan);
          const model = recordsOf(plan, fields);
          const { store, parsed } = await load(entry, model, spelling);
          await withStore(store, (loaded) => checkRecords(loaded, parsed, model, fields, prng(plan.seed ^ 0x9e3779b9)));
        }),
        { numRuns: 2 * RUNS, ...REPLAY },
      );
    });
  }

  it('queries agree with a plain-JS model: where / count / first / aggregates / groupBy / orderBy / column()', { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(plans, entries, spellings, async (plan, entry, spelling) => {
        const fields = fieldsOf(plan);
        const model = recordsOf(plan, fields);
        const { store } = await load(entry, model, spelling);
        await withStore(store, (loaded) => {
          expect(loaded.length).toBe(model.length);
          checkQueries(loaded, model, fields, prng(plan.seed ^ 0x5bd1e995));
        });
      }),
      { numRuns: 5 * RUNS, ...REPLAY },
    );
  });

  it('a first load, then appends in random batches: exact after each, views and queries after the first load and the last append', { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(
        plans,
        entries,
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(deliveries, spellings), { minLength: 5, maxLength: 5 }),
        spellings,
        async (plan, entry, cuts, ways, spelling) => {
          const fields = fieldsOf(plan);
          const model = recordsOf(plan, fields);
          const [head, ...rest] = batchesOf(model, cuts);
          const random = prng(plan.seed ^ 0x27d4eb2f);
          const { store, parsed } = await load(entry, head, spelling);
          await withStore(store, async (loaded) => {
            checkRecords(loaded, parsed, head, fields, random);
            checkQueries(loaded, head, fields, random);
            const expected = [...parsed];
            for (const [i, batch] of rest.entries()) {
              const [delivery, way] = ways[i % ways.length];
              expected.push(...(await append(loaded, batch, delivery, way)));
              assert.deepStrictEqual(loaded.toArray(), expected, `after appending ${batch.length} records as ${delivery}`);
            }
            checkRecords(loaded, expected, model, fields, random);
            checkQueries(loaded, model, fields, random);
          });
        },
      ),
      { numRuns: 4 * RUNS, ...REPLAY },
    );
  });

  it('explicit shapes, 12,000 records arriving 1,000 at a time: present in the first row only, the last only, a dense burst between long absences, values then only nulls, text then sparse', { timeout: TIMEOUT }, async () => {
    const field = (kind: Kind, phases: Phase[], nulls = 0): FieldPlan => ({ kind, phases, nulls });
    const plan: Plan = {
      seed: 7,
      rows: 12_000,
      top: [
        field('small', [[1, 1], [11_999, 0]]),
        field('negative', [[11_999, 0], [1, 1]], 0.5),
        field('wide', [[1000, 0], [2000, 1], [9000, 0]]),
        field('float', [[2500, 1], [9500, 0]], 1),
        field('pooled', [[6000, 0.001], [6000, 1]]),
        // 2,500 distinct strings (text past 2,048 dictionary entries), then at 0.1%: 21% present.
        field('unique', [[2500, 1], [9500, 0.001]]),
      ],
      sub: [field('small', [[3, 0], [1, 1]]), field('pooled', [[1, 0.001]], 0.2)],
      item: [field('unique', [[1, 1], [3, 0]]), field('wide', [[1, 0.5]])],
      subPresent: 1,
      subNull: 0.05,
      itemsPresent: 0.9,
      itemsNull: 0.05,
    };
    const fields = fieldsOf(plan);
    const model = recordsOf(plan, fields);
    const batches = batchesOf(model, Array.from({ length: 11 }, (_, i) => (i + 1) * 1000));
    const spelling: Spelling = { seed: 3, noise: 0, cuts: [5, 77, 4096], stream: 'async' };
    const { store, parsed } = await load('fromJSON(string)', batches[0], spelling);
    await withStore(store, async (loaded) => {
      const expected = [...parsed];
      for (const [i, batch] of batches.slice(1).entries()) expected.push(...(await append(loaded, batch, DELIVERIES[i % DELIVERIES.length], { ...spelling, seed: i })));
      const random = prng(99);
      checkRecords(loaded, expected, model, fields, random);
      checkQueries(loaded, model, fields, random);
      expect(loaded.column('unique5').storage).toBe('text');
      expect([loaded.where('small0').isMissing().count(), loaded.where('negative1').lt(0).or('negative1').gte(0).count()]).toEqual([11_999, 1]);
      expect(loaded.where('small0').gte(0).first()?.id).toBe(0);
      expect(loaded.where('negative1').gte(-Infinity).first()?.id).toBe(11_999);
    });
  });
});

// A failed append: prefixes dense or sparse, failing batches that would turn them sparse or dense.
type Failure = 'bad value' | 'bad line' | 'truncated' | 'bad record';
const FAILURES: readonly Failure[] = ['bad value', 'bad line', 'truncated', 'bad record'];

/**
 * Every field: a fifth of the rows in one state, four fifths in the other — sparse, then present
 * in every row (a column that would turn dense); present in every row, then at most 5% (one that
 * would turn sparse); or flat. The failing append is the four fifths.
 */
const turning = fc.oneof(
  lowDensity.map((d): Phase[] => [[0.2, d], [0.8, 1]]),
  lowDensity.map((d): Phase[] => [[0.2, 1], [0.8, d]]),
  flatDensity.map((d): Phase[] => [[1, d]]),
);
const failingPlans = planArb(fc.integer({ min: 3000, max: 5000 }), turning);

/** Text as a string, UTF-8 bytes, or a stream of chunks (by the spelling's stream kind). */
const textInput = (text: string, spelling: Spelling): string | Uint8Array | StreamSource =>
  spelling.stream === 'chunks' ? text : spelling.stream === 'async' ? utf8(text) : streamOf(utf8(text), spelling);

interface FailingInput {
  input: string | Uint8Array | StreamSource | readonly unknown[];
  format: 'json' | 'ndjson';
  error: typeof MemstoreParseError | typeof MemstoreInputError;
}

/** `records` as input that fails at a random place in the middle: a record JSON.parse cannot give, malformed JSON, or cut short. */
function failingInput(records: readonly Rec[], failure: Failure, at: number, spelling: Spelling): FailingInput {
  // Somewhere in the middle half: the records before it were parsed (and stored) when the error comes.
  const slot = Math.floor(records.length / 4) + (at % Math.max(1, Math.floor(records.length / 2)));
  switch (failure) {
    case 'bad value': {
      const copies = JSON.parse(exactJson(records)) as Rec[];
      copies[slot] = { ...copies[slot], late: at % 2 === 0 ? undefined : Number.NaN };
      return { input: copies, format: 'json', error: MemstoreInputError };
    }
    case 'bad line': {
      const lines = ndjsonText(records, spelling, false).split(/\r?\n/);
      lines.splice(slot, 0, '{"id":1,"k":tru}');
      return { input: textInput(lines.join('\n'), spelling), format: 'ndjson', error: MemstoreParseError };
    }
    case 'truncated': {
      const text = jsonText(records, spelling, false);
      const cut = Math.floor(text.length / 4) + (at % Math.floor(text.length / 2));
      return { input: streamOf(utf8(text.slice(0, cut)), spelling), format: 'json', error: MemstoreParseError };
    }
    case 'bad record': {
      const parts = records.map((record, i) => writeJson(record, spelling.seed + i, { rawLoneSurrogates: false, noise: spelling.noise }));
      parts.splice(slot, 0, '{"id":@}');
      const text = `[${parts.join(',')}]`;
      return { input: textInput(text, spelling), format: 'json', error: MemstoreParseError };
    }
  }
}

describe('sparse columns: a failed append changes nothing', () => {
  it.each(FAILURES)('%s in the middle of a batch that would turn columns sparse or dense: the store is as before, then takes the batch', { timeout: TIMEOUT }, async (failure) => {
    await fc.assert(
      fc.asyncProperty(failingPlans, entries, fc.nat(), spellings, deliveries, async (plan, entry, at, spelling, delivery) => {
        const fields = fieldsOf(plan);
        const model = recordsOf(plan, fields);
        const boundary = Math.round(plan.rows * 0.2);
        const head = model.slice(0, boundary);
        const batch = model.slice(boundary);
        const random = prng(plan.seed ^ 0x165667b1);
        const { store } = await load(entry, head, spelling);
        await withStore(store, async (loaded) => {
          const before = picture(loaded, fields);
          const { input, format, error } = failingInput(batch, failure, at, spelling);
          expect(await caught(() => loaded.append(input, { format })), failure).toBeInstanceOf(error);
          sameStore(picture(loaded, fields), before, `after a failed append (${failure})`);
          // The same batch, well-formed, lands after the old records.
          const parsed = await append(loaded, batch, delivery, spelling);
          assert.deepStrictEqual(loaded.toArray(), [...head, ...parsed]);
          checkViews(loaded, model, fields, probeRows(fields, model.length, random));
          checkQueries(loaded, model, fields, random);
        });
      }),
      { numRuns: 2 * RUNS, ...REPLAY },
    );
  });
});

// ---- the generator reaches what the properties are for ----------------------------------------

/** Each column's present share (values, not null or missing) after every row: the path it takes as rows arrive. */
function presentShares(model: readonly Rec[], field: Field): number[] {
  const shares: number[] = [];
  let rows = 0;
  let present = 0;
  for (const record of model) {
    for (const value of valuesOf(record, field.spec)) {
      rows++;
      if (value !== null && value !== undefined) present++;
      shares.push(present / rows);
    }
  }
  return shares;
}

/** Whether the share, past the first 500 rows, goes above 1/2 after being at most 1/4 (up), and at most 1/4 after being above 1/2 (down). */
function crossings(shares: readonly number[]): { up: boolean; down: boolean } {
  let low = false;
  let high = false;
  let up = false;
  let down = false;
  for (let row = 500; row < shares.length; row++) {
    if (shares[row] <= 0.25) {
      if (high) down = true;
      low = true;
    }
    if (shares[row] > 0.5) {
      if (low) up = true;
      high = true;
    }
  }
  return { up, down };
}

describe('sparse columns: the generator', () => {
  it('makes columns that cross a quarter and a half present both ways, of every kind and place, and failing batches that would turn them', () => {
    const reached = new Set<string>();
    for (const plan of fc.sample(plans, { numRuns: 30, seed: 11 })) {
      const fields = fieldsOf(plan);
      const model = recordsOf(plan, fields);
      for (const field of fields) {
        const shares = presentShares(model, field);
        const { up, down } = crossings(shares);
        if (up) reached.add(`up ${field.kind}`).add(`up ${field.place}`);
        if (down) reached.add(`down ${field.kind}`).add(`down ${field.place}`);
        if (up && down) reached.add('both ways in one column');
        if (shares.length > 0 && shares[shares.length - 1] < 0.01) reached.add('under 1% present');
      }
      for (const field of fields) if (model.some((record) => valuesOf(record, field.spec).includes(null))) reached.add(`explicit null ${field.place}`);
    }
    for (const what of [...KINDS, 'top', 'sub', 'item'].flatMap((name) => [`up ${name}`, `down ${name}`])) expect(reached, what).toContain(what);
    for (const what of ['both ways in one column', 'under 1% present', 'explicit null top', 'explicit null sub', 'explicit null item']) expect(reached, what).toContain(what);

    // The failing batches: a prefix at most 1/4 present whose batch would take it past 1/2, and the reverse.
    const turned = new Set<string>();
    for (const plan of fc.sample(failingPlans, { numRuns: 10, seed: 12 })) {
      const fields = fieldsOf(plan);
      const model = recordsOf(plan, fields);
      const boundary = Math.round(plan.rows * 0.2);
      for (const field of fields) {
        const head = presentShares(model.slice(0, boundary), field);
        const all = presentShares(model, field);
        if (head.length === 0 || all.length === 0) continue;
        if (head[head.length - 1] <= 0.25 && all[all.length - 1] > 0.5) turned.add('to dense');
        if (head[head.length - 1] > 0.5 && all[all.length - 1] <= 0.25) turned.add('to sparse');
      }
    }
    expect([...turned].sort()).toEqual(['to dense', 'to sparse']);
  });
});

describe('sparse columns: an all-null column turning int', () => {
  // append(records) once turned such a column's missing rows into nulls when memory had grown
  // (settle() in src/schema/extend.ts read the old column through views of a detached buffer).
  it('append(records) keeps the missing rows of an all-null column that turns int (a store with a column of nulls and missing rows)', async () => {
    // As JSON text and as records: both keep the missing row.
    for (const input of ['text', 'records'] as const) {
      await withStore(Store.fromJSON<Rec>('[{"x":null},{}]'), async (store) => {
        const records = Array.from({ length: 100_000 }, (_, i) => ({ x: i }));
        await store.append(input === 'records' ? records : JSON.stringify(records));
        assert.deepStrictEqual(store.toArray().slice(0, 3), [{ x: null }, {}, { x: 0 }], `append as ${input}`);
        expect(store.where('x').isMissing().count(), `append as ${input}`).toBe(1);
      });
    }
  });
});
