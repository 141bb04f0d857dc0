// Column tests: what a leaf of a query checks on each value of its column, one entry per kind
// of test. Each entry holds everything a kind does — its scan of a row range into a selection
// bitmap and, where WASM has one, its first-match search — so a new kind of test is one type
// member and one entry here (plus its WASM export). Tests are built once per query, never per row.
import { MemstoreError } from '../errors';
import type { Engine } from '../engine';
import type { Node } from '../schema/node';
import type { Column } from '../column';
import { FirstResult, Status, TextTest } from '../wasm/abi';
import { KEY_BYTES, type Workspace } from './workspace';

export type Test =
  | { readonly kind: 'int'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'float'; readonly lo: number; readonly hi: number; readonly flags: number }
  /**
   * `single`: the one code that matches (equality), or -1 when several do. `lut`: a byte per
   * code, or null when `single` is set and a code compare is the faster scan. The scans use the
   * table when there is one.
   */
  | { readonly kind: 'codes'; readonly lut: Uint8Array | null; readonly single: number }
  /**
   * Text columns: `flags` (TextTest) against WTF-8 literals — equality with `lo`, or `lo` / `hi`
   * bounds in UTF-16 order — copied into the workspace's key buffer for each scan.
   */
  /**
   * Text columns: WTF-8 literals and TextTest flags. `within` is the same test on a string, for
   * the rows of a compressed column (assembly/fsst.ts), whose ranges are read decoded in JS.
   */
  | { readonly kind: 'text'; readonly lo: Uint8Array; readonly hi: Uint8Array; readonly flags: number; readonly within: (value: string) => boolean }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'missing' }
  /** Not missing (null or a value): isMissing() of a picked element is "no picked element has it". */
  | { readonly kind: 'present' }
  | { readonly kind: 'length'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'none' }
  /** Mixed columns: the JS comparison itself, over each present value. */
  | { readonly kind: 'js'; readonly test: (value: unknown) => boolean }
  /**
   * Column against column (field()): the row's value stands in one of `orders` (Order bits) to
   * its value in `right`, both present. In WASM (scanColumns), or `js` over both plain values
   * when either column is mixed (`mixed`) or compressed text (assembly/fsst.ts: asked at each
   * scan, since a column may be compressed after the query was built).
   */
  | { readonly kind: 'columns'; readonly right: Node; readonly orders: number; readonly mixed: boolean; readonly js: (left: unknown, right: unknown) => boolean };

/** Where a test runs: the store's engine and query workspace, the column's node and its Column (read once by the caller). */
export interface TestSite {
  readonly engine: Engine;
  readonly workspace: Workspace;
  readonly node: Node;
  readonly column: Column;
}

export interface TestKind<T extends Test = Test> {
  /**
   * Whether scan and first read the column's values. A sparse column stores only the rows that
   * are not missing: such a kind runs over its stored rows, and scanRows / firstPassing map the
   * result back to rows. Kinds about presence (null, missing) and JS tests take rows as they are.
   */
  readonly values: boolean;
  /** Sets bit (row - start) of the bitmap at `out` for each row of [start, end) that passes (stored rows when `values`). */
  scan(site: TestSite, test: T, start: number, end: number, out: number): void;
  /**
   * The first row of [start, end) that passes, or FirstResult.NotFound, in one WASM call that
   * stops at the match. Absent: the caller evaluates bitmaps block by block instead.
   */
  first?(site: TestSite, test: T, start: number, end: number, scratch: number): number;
}

type TestKinds = { readonly [K in Test['kind']]: TestKind<Extract<Test, { kind: K }>> };

/**
 * A range on a compressed text column: its codes do not order as its strings, so the module
 * leaves it (scanText answers WrongType) and the rows are read decoded. Asked at each scan, since
 * a column may be compressed after the query was built (when an append is fitted).
 */
function decodedRange(site: TestSite, test: { readonly flags: number }): boolean {
  return site.column.symbols !== null && test.flags !== TextTest.Equal;
}

/**
 * What a text test passes as `hi`'s length: the literal's, or, for equality on a compressed column,
 * the key buffer's room after the literal, where the module writes the literal's codes (scanText).
 */
function hiLength(site: TestSite, test: Extract<Test, { kind: 'text' }>): number {
  return site.column.symbols !== null && test.flags === TextTest.Equal ? KEY_BYTES - test.lo.length : test.hi.length;
}

/** Scans that compare values leave null and missing rows to maskPresent. */
function present(site: TestSite, status: Status, start: number, end: number, out: number): void {
  checked(site, status);
  site.engine.exports.maskPresent(site.column.handle, start, end, out);
}

function checked(site: TestSite, status: Status): void {
  if (status !== Status.Ok) throw new MemstoreError('INTERNAL', `memstore internal error: scan of ${site.node.path} met a column of another type.`);
}

/**
 * The table of a codes test, copied into the workspace (it covers every code: ≥ 16 bytes). Only
 * as far as the workspace's table reaches: after a failed append a dictionary may hold entries
 * no stored row has, past what the workspace was sized for (workspace.ts).
 */
function lutOf(site: TestSite, lut: Uint8Array): number {
  const workspace = site.workspace;
  if (workspace.lutHolds !== lut) {
    site.engine.u8.set(lut.length > workspace.lutBytes ? lut.subarray(0, workspace.lutBytes) : lut, workspace.lut);
    workspace.lutHolds = lut;
  }
  return workspace.lut;
}

/** The literals of a text test, copied into the workspace's key buffer (text tests are built only when they fit it). */
function textLiterals(site: TestSite, test: Extract<Test, { kind: 'text' }>): number {
  const workspace = site.workspace;
  if (workspace.keyHolds !== test) {
    const u8 = site.engine.u8;
    u8.set(test.lo, workspace.key);
    u8.set(test.hi, workspace.key + test.lo.length);
    workspace.keyHolds = test;
  }
  return workspace.key;
}

const TEST_KINDS: TestKinds = {
  int: {
    values: true,
    scan: (site, test, start, end, out) => present(site, site.engine.exports.scanIntRange(site.column.handle, test.lo, test.hi, start, end, out), start, end, out),
    first: (site, test, start, end, scratch) => site.engine.exports.firstIntRange(site.column.handle, test.lo, test.hi, start, end, scratch),
  },
  float: {
    values: true,
    scan: (site, test, start, end, out) =>
      present(site, site.engine.exports.scanFloatRange(site.column.handle, test.lo, test.hi, test.flags, start, end, out), start, end, out),
    first: (site, test, start, end, scratch) =>
      site.engine.exports.firstFloatRange(site.column.handle, test.lo, test.hi, test.flags, start, end, scratch),
  },
  codes: {
    values: true,
    scan: (site, test, start, end, out) => {
      const wasm = site.engine.exports;
      const column = site.column.handle;
      const status = test.lut === null
        ? wasm.scanCodeEquals(column, test.single, start, end, out)
        : wasm.scanCodes(column, lutOf(site, test.lut), start, end, out);
      present(site, status, start, end, out);
    },
    first: (site, test, start, end, scratch) => {
      const wasm = site.engine.exports;
      const column = site.column.handle;
      return test.lut === null
        ? wasm.firstCodeEquals(column, test.single, start, end, scratch)
        : wasm.firstCodes(column, lutOf(site, test.lut), start, end, scratch);
    },
  },
  text: {
    values: true,
    scan: (site, test, start, end, out) => {
      if (decodedRange(site, test)) {
        site.engine.exports.fillRange(out, end - start, 0);
        const bytes = site.engine.u8;
        for (let row = start; row < end; row++) {
          if (test.within(site.column.stringAt(row, site.engine))) bytes[out + ((row - start) >>> 3)] |= 1 << ((row - start) & 7);
        }
        present(site, Status.Ok, start, end, out);
        return;
      }
      const key = textLiterals(site, test);
      const status = site.engine.exports.scanText(site.column.handle, key, test.lo.length, key + test.lo.length, hiLength(site, test), test.flags, start, end, out);
      present(site, status, start, end, out);
    },
    first: (site, test, start, end, scratch) => {
      if (decodedRange(site, test)) {
        const column = site.column;
        for (let row = start; row < end; row++) {
          if (!column.isNullAt(row) && (column.sparse !== null || !column.isMissing(row)) && test.within(column.stringAt(row, site.engine))) return row;
        }
        return FirstResult.NotFound;
      }
      const key = textLiterals(site, test);
      return site.engine.exports.firstText(site.column.handle, key, test.lo.length, key + test.lo.length, hiLength(site, test), test.flags, start, end, scratch);
    },
  },
  bool: {
    values: true,
    scan: (site, test, start, end, out) => present(site, site.engine.exports.scanBool(site.column.handle, test.value ? 1 : 0, start, end, out), start, end, out),
    first: (site, test, start, end, scratch) => site.engine.exports.firstBool(site.column.handle, test.value ? 1 : 0, start, end, scratch),
  },
  length: {
    values: true,
    scan: (site, test, start, end, out) =>
      present(site, site.engine.exports.scanListLength(site.column.handle, test.lo, test.hi, start, end, out), start, end, out),
  },
  null: {
    values: false,
    scan: (site, _test, start, end, out) => site.engine.exports.scanPresence(site.column.handle, 0, start, end, out),
  },
  missing: {
    values: false,
    scan: (site, _test, start, end, out) => site.engine.exports.scanPresence(site.column.handle, 1, start, end, out),
  },
  present: {
    values: false,
    scan: (site, _test, start, end, out) => {
      site.engine.exports.scanPresence(site.column.handle, 1, start, end, out);
      site.engine.exports.bitmapNot(out, end - start);
    },
  },
  none: {
    values: false,
    scan: (site, _test, start, end, out) => site.engine.exports.fillRange(out, end - start, 0),
    first: () => FirstResult.NotFound,
  },
  columns: {
    // Rows as they are: scanColumns aligns the two columns' rows itself, each dense or sparse.
    values: false,
    scan: (site, test, start, end, out) => {
      const wasm = site.engine.exports;
      if (!test.mixed && site.column.symbols === null && test.right.column.symbols === null) {
        checked(site, wasm.scanColumns(site.column.handle, test.right.column.handle, test.orders, start, end, out));
        return;
      }
      wasm.fillRange(out, end - start, 0);
      const bytes = site.engine.u8;
      const right = test.right;
      for (let row = start; row < end; row++) {
        if (test.js(site.node.plain(row), right.plain(row))) {
          const bit = row - start;
          bytes[out + (bit >>> 3)] |= 1 << (bit & 7);
        }
      }
    },
  },
  js: {
    values: false,
    scan: (site, test, start, end, out) => {
      site.engine.exports.fillRange(out, end - start, 0);
      const bytes = site.engine.u8;
      for (let row = start; row < end; row++) {
        const value = site.node.plain(row);
        if (value !== null && value !== undefined && test.test(value)) {
          const bit = row - start;
          bytes[out + (bit >>> 3)] |= 1 << (bit & 7);
        }
      }
    },
  },
};

/** What `test`'s kind does: resolved once per leaf (query/expression.ts), not once per call. */
export function testKind(test: Test): TestKind {
  return TEST_KINDS[test.kind] as TestKind;
}

/** Runs `kind`'s scan over rows [start, end) into `out`: a sparse column's stored rows, spread over the rows after. */
export function scanRows(kind: TestKind, site: TestSite, test: Test, start: number, end: number, out: number): void {
  const column = site.column;
  if (column.sparse === null || !kind.values) {
    kind.scan(site, test, start, end, out);
    return;
  }
  const first = column.storedBefore(start);
  kind.scan(site, test, first, column.storedBefore(end), out);
  site.engine.exports.sparseExpand(column.handle, start, end, first, out);
}

/** The first row of [start, end) that passes `test` through its kind's search, or FirstResult.NotFound. */
export function firstPassing(kind: TestKind, site: TestSite, test: Test, start: number, end: number, scratch: number): number {
  if (site.column.sparse !== null && kind.values) return firstStored(kind, site, test, start, end, scratch);
  // The search's result returned from here, the error thrown out of line: returned through a
  // checking helper, a selection's first() took 17.0 ns instead of 13.4 (the query benchmark's
  // sel.first(), medians of 5 interleaved runs).
  const row = kind.first!(site, test, start, end, scratch);
  if (row === FirstResult.WrongType) throw wrongType(site);
  return row;
}

/** firstPassing on a sparse column's values: its stored rows are searched, and the match's row found from its stored position. */
function firstStored(kind: TestKind, site: TestSite, test: Test, start: number, end: number, scratch: number): number {
  const column = site.column;
  const found = kind.first!(site, test, column.storedBefore(start), column.storedBefore(end), scratch);
  if (found === FirstResult.WrongType) throw wrongType(site);
  return found >= 0 ? site.engine.exports.sparseRowOf(column.handle, found) : found;
}

/** A search that met a column of another type: an internal error. */
function wrongType(site: TestSite): MemstoreError {
  return new MemstoreError('INTERNAL', `memstore internal error: first() on ${site.node.path} met a column of another type.`);
}
