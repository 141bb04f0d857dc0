// Planning: turns the first pass's observations (observe.ts) into a node tree, deciding each
// column's kind, width (and an int column's base) hint and exact capacity before any WASM memory is touched, and sizes
// the string table. The node kinds themselves are in scalars.ts and containers.ts. The map
// tests live here too (isMapLike for JS records; mapVerdict and documentMapVerdict, which the
// parser's review in rebuild.ts asks), so both routes decide "struct or map" by one rule.
import type { Engine } from '../engine';
import { ColumnType } from '../wasm/abi';
import { Kind, Observed, type StringsSeen, type TextRule } from './observe';
import { wtf8Length } from '../util/wtf8';
import { joinPath, type Node } from './node';
import { BoolNode, codeWidth, deltaWidth, FloatNode, IntNode, MixedNode, NullNode, StringNode } from './scalars';
import { ListNode, MapNode, StructNode } from './containers';

/** A struct with at least this many keys, each in few of its objects, is stored as a map. */
export const MAP_MIN_KEYS = 32;
/**
 * The parser first reviews a struct when a key arrives past this many fields
 * (FIRST_REVIEW_FIELDS in assembly/schema.ts); the in-document test needs more keys than this.
 */
export const REVIEW_KEYS = 64;

/** Turns the first pass's observations into the node tree, deciding every column's type. */
export function planSchema(engine: Engine, observed: Observed, rows: number): Node {
  return planNode(engine, observed, rows, '', null);
}

export function planNode(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): Node {
  const node = chooseNode(engine, observed, capacity, path, key);
  node.hasNulls = observed.nullCount > 0 && node.columnType !== ColumnType.Null;
  node.hasMissing = observed.present < capacity;
  return node;
}

function chooseNode(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): Node {
  const kinds = observed.kinds & ~Kind.Null;
  switch (kinds) {
    case 0:
      return new NullNode(engine, path, key, capacity);
    case Kind.Bool:
      return new BoolNode(engine, path, key, capacity);
    case Kind.Int:
      return new IntNode(engine, path, key, capacity, deltaWidth(observed.intMax - observed.intMin), observed.intMin);
    case Kind.Float:
    case Kind.Int | Kind.Float:
      return new FloatNode(engine, path, key, capacity);
    case Kind.String: {
      const strings = observed.strings!;
      const textBytes = plannedTextBytes(engine, strings);
      const node = new StringNode(engine, path, key, capacity, textBytes >= 0 ? 0 : strings.distinct!.size, textBytes);
      if (textBytes < 0) node.expect(strings);
      return node;
    }
    case Kind.Array: {
      const list = new ListNode(engine, path, key, capacity);
      list.element = planNode(engine, observed.arrays?.element ?? new Observed(), observed.arrays?.total ?? 0, `${path}[]`, null);
      return list;
    }
    case Kind.Object:
      return isMapLike(observed) ? planMap(engine, observed, capacity, path, key) : planStruct(engine, observed, capacity, path, key);
    default:
      return new MixedNode(engine, path, key, capacity);
  }
}

/** The module's text rule (assembly/text.ts textPreferred) for a dictionary of `entries` strings: the first pass reviews by it. */
export function textRule(engine: Engine): TextRule {
  const textPreferred = engine.exports.textPreferred;
  return (rows, fresh, entries, bytes) => textPreferred(rows, fresh, entries, bytes, codeWidth(entries)) !== 0;
}

/**
 * The heap a string column planned as text needs, or -1 when dictionary codes are the smaller
 * encoding: text when the first pass chose it as the strings arrived (as the parser would have),
 * else the module's rule on the whole input, so JS records and parsed input choose alike. Exact
 * when every string is distinct; otherwise scaled from the distinct ones.
 */
function plannedTextBytes(engine: Engine, strings: StringsSeen): number {
  if (strings.textBytes >= 0) return strings.textBytes;
  const entries = strings.distinct!.size;
  const mean = entries === 0 ? 0 : strings.distinctBytes / entries;
  return textRule(engine)(strings.rows, entries, entries, mean) ? strings.valueBytes() : -1;
}

/**
 * Ids used as keys, not a record shape: the parser's two tests, on the whole input. Within one
 * object (the parser reviews a struct inside its first object when that object has more than
 * REVIEW_KEYS keys, and judges it by that object alone) the in-document test; across objects,
 * many distinct keys each in few of them.
 */
function isMapLike(observed: Observed): boolean {
  const objects = observed.objects!;
  const keyCount = objects.fields.size;
  if (objects.firstKeys > REVIEW_KEYS && documentMapVerdictOf([...objects.fields.keys()], [...objects.fields.values()])) return true;
  return keyCount >= MAP_MIN_KEYS && (objects.keyTotal / keyCount) * 8 <= objects.count;
}

/** What the values at one key look like to the in-document test (see ValueShape). */
function observedShape(field: Observed): ValueShape {
  const kinds = field.kinds & ~Kind.Null;
  if (kinds === 0) return null;
  return kinds === Kind.Object ? [...field.objects!.fields.keys()] : 'other';
}

function planStruct(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): StructNode {
  const struct = new StructNode(engine, path, key, capacity);
  for (const [fieldKey, field] of observed.objects?.fields ?? []) {
    struct.addField(fieldKey, planNode(engine, field, capacity, joinPath(path, fieldKey), fieldKey));
  }
  return struct;
}

function planMap(engine: Engine, observed: Observed, capacity: number, path: string, key: string | null): MapNode {
  const values = new Observed();
  const objects = observed.objects!;
  for (const field of objects.fields.values()) values.mergeFrom(field);
  return planMapOf(engine, values, objects.keyTotal, objects.fields.size, capacity, path, key);
}

/** A map node for `capacity` rows holding `entries` entries with `distinctKeys` keys, values as observed. */
export function planMapOf(
  engine: Engine, values: Observed, entries: number, distinctKeys: number, capacity: number, path: string, key: string | null,
): MapNode {
  const map = new MapNode(engine, path, key, capacity);
  map.keys = new StringNode(engine, `${path}{key}`, null, entries, distinctKeys);
  map.values = planNode(engine, values, entries, `${path}{}`, null);
  return map;
}

/**
 * The map test across objects on finished columns (the parser's review of a struct; isMapLike is
 * the same test on observed records): `objects` present, `keyTotal` keys over them, `keyCount`
 * distinct keys. Each key in at most 1/8 of the objects (on average): ids, since a record
 * shape repeats its keys in most objects.
 */
export function mapVerdict(objects: number, keyTotal: number, keyCount: number): boolean {
  // No finished object yet (the first record has many keys): documentMapVerdict judges then.
  return objects > 0 && keyCount >= MAP_MIN_KEYS && (keyTotal / keyCount) * 8 <= objects;
}

/**
 * One value of a struct, as the in-document test sees it: an object (the keys it has: names,
 * or string ids on the parser's side), `null` (only nulls), or 'other' (any other kind).
 */
export type ValueShape = readonly (string | number)[] | null | 'other';

/**
 * The map test within one object (a registry `{"projects": {"0": {...}, …}}`, a plugin index
 * keyed by name), where there is no second object to compare with: its keys look like ids, or
 * its values are objects of one shape. A wide record (a tweet's user, a GitHub event) has
 * named keys and values of many kinds, so it stays a struct. The parser asks this of the
 * first object of a struct only (objects === 0 at its review): once objects have been seen,
 * keys that repeat across them say "record", and mapVerdict decides.
 */
export function documentMapVerdict(count: number, keyAt: (field: number) => string, shapeAt: (field: number) => ValueShape): boolean {
  // Read lazily, shapes first: a wide record's first scalar field ends oneShape, and idKeys stops
  // once more than an eighth of the keys are no ids, so a review of 100,000 fields decodes a
  // fraction of their keys (it decoded them all, at each of its ~14 reviews of a growing object).
  return oneShape(count, shapeAt) || idKeys(count, keyAt);
}

/**
 * Ids: all digits (with separators: dates, versions "1.2.3"), uuids, or hex of 8+ characters
 * with a digit (hashes, object ids). Not a prefix and digits ("f12", "key5"): record fields are
 * named that way (field_1, q2…).
 */
const ID_KEY = /^(?:\d+(?:[-_.:/]\d+)*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=[a-f]*\d)[0-9a-f]{8,})$/i;

/** documentMapVerdict of a JS object's keys and observed values (the first pass: fromRecords). */
function documentMapVerdictOf(keys: readonly string[], values: readonly Observed[]): boolean {
  return documentMapVerdict(keys.length, (field) => keys[field], (field) => observedShape(values[field]));
}

/** At least 7/8 of the keys look like ids. */
function idKeys(count: number, keyAt: (field: number) => string): boolean {
  // ids * 8 >= count * 7, i.e. at most this many keys that are not ids.
  const misses = count - Math.ceil((count * 7) / 8);
  let missed = 0;
  for (let field = 0; field < count; field++) if (!ID_KEY.test(keyAt(field)) && ++missed > misses) return false;
  return count > 0;
}

/**
 * Values of one shape: every value is an object or null, most are objects, and the objects'
 * keys are mostly keys most of them have — of all (object, key) pairs, at least half are of a
 * key present in at least half of the objects. Entries of a registry or an index share most
 * fields, some optional: 0.957 for the 654-plugin index, 1.0 for the 1,264-project registry
 * (the first 64 values, as the review sees them: packages/bench/results/idkeyed.md); a record
 * whose fields are objects of different kinds (settings: profile, stats…) shares few: 0 for
 * test/documentMaps.test.ts's 100 sections. Objects with no keys at all are one shape (`{}`).
 */
function oneShape(count: number, shapeAt: (field: number) => ValueShape): boolean {
  let objects = 0;
  const counts = new Map<string | number, number>();
  let pairs = 0;
  for (let field = 0; field < count; field++) {
    const value = shapeAt(field);
    if (value === 'other') return false;
    if (value === null) continue;
    objects++;
    pairs += value.length;
    for (const key of value) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (objects * 2 <= count) return false;
  let common = 0;
  for (const count of counts.values()) if (count * 2 >= objects) common += count;
  return common * 2 >= pairs;
}

/**
 * Sources holding more strings than this in all are not deduplicated: their sum is reserved. The
 * union takes a Set lookup a string (~0.5 µs; events: 464,820 strings in 163 sources, 284,519
 * distinct, 239 ms of a 3.2 s fromRecords), which costs more than the slack it saves: a store that
 * large is fitted anyway when its table is over-reserved, and the events and tweets feeds are
 * fitted whatever the count, their long repeated strings turned into text and dropped. Below it
 * (cargo, a wide record's keys) the count is exact and the store is not copied.
 */
const EXACT_UNION_STRINGS = 65_536;

/**
 * The string table's size once loaded: distinct strings over all columns (and the keys of
 * objects that become maps), and their bytes. Nested values of mixed columns are not counted; the
 * table grows for them. Exact (`bound` false) unless the sources hold more than
 * EXACT_UNION_STRINGS strings and `exact` is not asked for: then an upper bound (`bound`), every
 * source counted whole.
 */
export function estimateStringBytes(engine: Engine, observed: Observed, exact = false): { count: number; bytes: number; bound: boolean } {
  // Each source is distinct in itself (a struct's keys, a dictionary column's strings): only
  // strings in several sources need a Set. The largest source is counted as it stands and the
  // others checked against it (putting a wide record's 100,000 keys in a Set was a tenth of its fromRecords).
  const sources: ReadonlyMap<string, unknown>[] = [];
  // The WTF-8 bytes of each source when the first pass counted them (a dictionary's strings), else -1.
  const sourceBytes: number[] = [];
  const stack = [observed];
  while (stack.length > 0) {
    const node = stack.pop()!;
    // Columns planned as text keep their own bytes: only dictionaries (and mixed columns) intern.
    // A path that turned text in the first pass kept no strings, even if it is mixed: the table grows for those.
    const strings = node.strings?.distinct ?? null;
    const asText = strings !== null && (node.kinds & ~Kind.Null) === Kind.String && plannedTextBytes(engine, node.strings!) >= 0;
    if (strings !== null && !asText) {
      sources.push(strings);
      sourceBytes.push(node.strings!.distinctBytes);
    }
    // Every key is interned: a map's as the values of its keys column, a struct's as its fields' names.
    if (node.objects) {
      sources.push(node.objects.fields);
      sourceBytes.push(-1);
      for (const field of node.objects.fields.values()) stack.push(field);
    }
    if (node.arrays) stack.push(node.arrays.element);
  }
  let largest = 0;
  let total = 0;
  for (let i = 0; i < sources.length; i++) {
    total += sources[i].size;
    if (sources[i].size > sources[largest].size) largest = i;
  }
  if (!exact && total > EXACT_UNION_STRINGS) {
    // Every source counted whole: an upper bound, as many strings as the sources hold in all.
    let bytes = 0;
    for (let i = 0; i < sources.length; i++) {
      if (sourceBytes[i] >= 0) bytes += sourceBytes[i];
      else for (const text of sources[i].keys()) bytes += wtf8Length(text);
    }
    return { count: total, bytes, bound: true };
  }
  let count = 0;
  let bytes = 0;
  const base = sources[largest];
  if (base !== undefined) {
    bytes = sourceBytes[largest];
    if (bytes < 0) {
      bytes = 0;
      for (const text of base.keys()) bytes += wtf8Length(text);
    }
    count = base.size;
  }
  const more = new Set<string>();
  for (let i = 0; i < sources.length; i++) {
    if (i === largest) continue;
    for (const text of sources[i].keys()) {
      if (base.has(text) || more.has(text)) continue;
      more.add(text);
      count++;
      bytes += wtf8Length(text);
    }
  }
  return { count, bytes, bound: false };
}
