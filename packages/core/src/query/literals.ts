// Literals as columns store them: a number range as an int range or float bounds, a string
// as its dictionary code (found through the string table's and the column's hash indexes), a
// set of strings as a table over the dictionary. Each is resolved once per query.
import type { FloatNode, IntNode, StringNode } from '../schema/scalars';
import { ColumnType, Descriptor, StringTableField, TextTest } from '../wasm/abi';
import type { Node } from '../schema/node';
import { INT_LIMIT } from '../schema/observe';
import { encodeWtf8Into, wtf8Length } from '../util/wtf8';
import type { QueryContext } from './context';
import { Field } from './field';
import type { Target } from './target';
import type { Test } from './tests';
import { KEY_BYTES } from './workspace';


/** The bounds of a comparison: gt(x) is { lo: x, loOpen: true }, eq(x) is lo = hi = x. */
export interface Bounds {
  lo: unknown;
  loOpen: boolean;
  hi: unknown;
  hiOpen: boolean;
}

/**
 * Whether `value` lies within `bounds` by JavaScript's < on values of one kind: doubles, or
 * strings in UTF-16 code-unit order (so an astral character, a surrogate pair from 0xD800,
 * sorts below U+E000–U+FFFF, where UTF-8 byte order puts it above). String columns and mixed
 * columns both compare through here, so the two orders cannot drift apart.
 */
export function withinBounds(value: number | string, bounds: Bounds): boolean {
  const lo = bounds.lo as number | string | undefined;
  const hi = bounds.hi as number | string | undefined;
  return (lo === undefined || (bounds.loOpen ? value > lo : value >= lo)) && (hi === undefined || (bounds.hiOpen ? value < hi : value <= hi));
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Whether a literal is a value JSON can give (what a store can hold): a string, a boolean, a
 * number but NaN (±Infinity a store keeps as ±1e999), null, or a plain object or array of such.
 * Not a BigInt, a function, a symbol, a Map or Date, nor a field() where a literal belongs.
 */
export function isJsonValue(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return !Number.isNaN(value);
    case 'object': {
      if (value === null) return true;
      if (value instanceof Field) return false;
      if (Array.isArray(value)) return value.every(isJsonValue);
      const prototype = Object.getPrototypeOf(value);
      return (prototype === Object.prototype || prototype === null) && Object.values(value).every(isJsonValue);
    }
    default:
      return false;
  }
}

/** Deep equality of plain JSON values (`===` on scalars, so 0 equals -0; keys in any order): a mixed column's eq of an object or list. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((element, i) => jsonEquals(element, other[i]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => hasOwn.call(b, key) && jsonEquals((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** A numeric range as the column stores it: an inclusive range of ints, or float bounds. */
export function numberRange(node: IntNode | FloatNode, bounds: Bounds): Test {
  const lo = bounds.lo === undefined ? -Infinity : (bounds.lo as number);
  const hi = bounds.hi === undefined ? Infinity : (bounds.hi as number);
  if (node.columnType === ColumnType.Float64) return { kind: 'float', lo, hi, flags: (bounds.loOpen ? 1 : 0) | (bounds.hiOpen ? 2 : 0) };
  // Ints lie in [-2^53, 2^53]: an open bound at either end excludes everything past it, and within
  // that range floor(x) + 1 and ceil(x) - 1 are exact (beyond it they would round back).
  if (lo > INT_LIMIT || (bounds.loOpen && lo >= INT_LIMIT) || hi < -INT_LIMIT || (bounds.hiOpen && hi <= -INT_LIMIT)) return { kind: 'none' };
  const low = lo < -INT_LIMIT ? -INT_LIMIT : bounds.loOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
  const high = hi > INT_LIMIT ? INT_LIMIT : bounds.hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
  return low > high ? { kind: 'none' } : { kind: 'int', lo: low, hi: high };
}

/**
 * Whether a string column holds text (its own bytes, no dictionary: assembly/text.ts), from its
 * descriptor: no Column is made (the workspace's sizing asks every node of a store).
 */
export function isText(node: Node): boolean {
  return node.stored(Descriptor.Type) === ColumnType.Text;
}

/**
 * isText for a query's operator, which reads the column anyway (its dictionary, or its rows in the
 * scan): from the node's Column, as 28060b4 did. The descriptor read through Node.stored asks
 * whether the Column was made (a hasOwnProperty call, out of line) on every eq(): 3.7% of a
 * where('product.name').eq(x).first() loop.
 */
export function holdsText(node: StringNode): boolean {
  return node.column.type === ColumnType.Text;
}

const NO_BYTES = new Uint8Array(0);

function wtf8Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(wtf8Length(text));
  encodeWtf8Into(text, bytes, 0);
  return bytes;
}

/**
 * A text column's test: equality (lo = hi, both closed) compares bytes; other bounds compare in
 * UTF-16 order in WASM. Literals too long for the key buffer are compared in JS instead.
 */
export function textTest(bounds: Bounds): Test {
  const lo = bounds.lo as string | undefined;
  const hi = bounds.hi as string | undefined;
  const loBytes = lo === undefined ? NO_BYTES : wtf8Bytes(lo);
  const equal = lo !== undefined && lo === hi && !bounds.loOpen && !bounds.hiOpen;
  const hiBytes = hi === undefined || equal ? NO_BYTES : wtf8Bytes(hi);
  if (loBytes.length + hiBytes.length > KEY_BYTES) {
    return { kind: 'js', test: (value) => typeof value === 'string' && withinBounds(value, bounds) };
  }
  const within = (value: string) => withinBounds(value, bounds);
  if (equal) return { kind: 'text', lo: loBytes, hi: NO_BYTES, flags: TextTest.Equal, within };
  let flags = 0;
  if (lo !== undefined) flags |= TextTest.Low | (bounds.loOpen ? TextTest.LowOpen : 0);
  if (hi !== undefined) flags |= TextTest.High | (bounds.hiOpen ? TextTest.HighOpen : 0);
  return { kind: 'text', lo: loBytes, hi: hiBytes, flags, within };
}

/** A lookup table over the column's dictionary: each distinct string is tested once. */
export function codeTest(node: StringNode, matches: (text: string) => boolean): Test {
  const column = node.column;
  const lut = new Uint8Array(Math.max(16, column.dictionary.length));
  let count = 0;
  let single = -1;
  for (let code = 0; code < column.dictionary.length; code++) {
    const text = column.stringOfCode(code, node.engine);
    if (matches(text)) {
      lut[code] = 1;
      count++;
      single = code;
    }
  }
  return count === 0 ? { kind: 'none' } : { kind: 'codes', lut, single: count === 1 ? single : -1 };
}

const MAX_CACHED_EQUALITY_TESTS = 256;
/** Dictionary entries a lookup table scan serves with one SIMD swizzle per 16 rows (scan.ts). */
const SMALL_DICTIONARY = 16;

/** The test for `value === v` on a string column: one code at most, found once per target. */
export function equalityTest(context: QueryContext, target: Target, node: StringNode, value: string): Test {
  const tests = (target.equalTests ??= new Map());
  let test = tests.get(value);
  if (test === undefined) {
    test = lookUpCode(context, node, value) ?? codeTest(node, (text) => text === value);
    if (tests.size < MAX_CACHED_EQUALITY_TESTS) tests.set(value, test);
  }
  return test;
}

/**
 * Literals past which `in([...])` on a store whose string table has no index (after a load's
 * copy, assembly/strings.ts: each lookup then compares the column's dictionary, dictionary.ts
 * dictionaryLookup) matches the dictionary's strings against a Set instead, one pass for any
 * number of literals.
 */
const LOOKUPS_WITHOUT_INDEX = 8;

/** in([...]) on a string column: the literals' codes looked up one by one when they fit the key buffer. */
export function codesTest(context: QueryContext, node: StringNode, strings: readonly string[]): Test {
  const lookUp = strings.length <= LOOKUPS_WITHOUT_INDEX || context.engine.exports.stringTable(StringTableField.Indexed) !== 0;
  const found = lookUp ? strings.map((text) => lookUpCode(context, node, text)) : null;
  if (found === null || found.some((test) => test === undefined)) {
    const set = new Set(strings);
    return codeTest(node, (text) => set.has(text));
  }
  const codes = found.flatMap((test) => (test!.kind === 'codes' ? [test!.single] : []));
  if (codes.length === 0) return { kind: 'none' };
  if (codes.length === 1) return singleCodeTest(node, codes[0]);
  const lut = new Uint8Array(Math.max(16, node.column.dictionary.length));
  for (const code of codes) lut[code] = 1;
  return { kind: 'codes', lut, single: -1 };
}

/**
 * The literal's code through the string table's hash index and the column's dictionary index:
 * O(1) where codeTest decodes and compares every string of the dictionary (338 ms for a column of
 * a million distinct strings); without the table's index, by comparing the dictionary's bytes in WASM.
 * Undefined when the literal may not fit the workspace's key buffer.
 */
function lookUpCode(context: QueryContext, node: StringNode, value: string): Test | undefined {
  if (value.length * 3 > KEY_BYTES) return undefined;
  const { engine, workspace } = context;
  workspace.keyHolds = null;
  const length = encodeWtf8Into(value, engine.u8, workspace.key);
  const code = engine.exports.dictionaryLookup(node.column.handle, workspace.key, length);
  return code < 0 ? { kind: 'none' } : singleCodeTest(node, code);
}

/**
 * A test for one code. Dictionaries of at most 16 strings keep a (16-byte) table as well: their
 * scan looks codes up 16 rows per SIMD instruction, faster than comparing them (count of
 * product.name = X on 1M rows: 31 µs against 58 µs).
 */
function singleCodeTest(node: StringNode, code: number): Test {
  const entries = node.column.dictionary.length;
  if (entries > SMALL_DICTIONARY) return { kind: 'codes', lut: null, single: code };
  const lut = new Uint8Array(SMALL_DICTIONARY);
  lut[code] = 1;
  return { kind: 'codes', lut, single: code };
}

