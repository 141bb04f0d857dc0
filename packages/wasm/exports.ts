// The module's exports as JS sees them: one typed signature per export of assembly/index.ts.
// Numbers in the ABI (types, layouts, codes) are in assembly/abi.ts; test/abi.test.ts fails
// when this interface and the built module disagree on any export's name or parameter count.
//
// Pointers and lengths are u32 byte addresses into `memory`: normalise with `>>> 0`.
import type { ArenaStat, ColumnType, CompactStep, FeedResult, MixedTag, MsxCheck, NodeField, NodeKind, ParseFormat, RecordKind, Status, StringTableField } from './assembly/abi';

/** The module's exports, typed. */
export interface MemstoreExports {
  readonly memory: WebAssembly.Memory;
  /** Resets allocator and string table; caps memory at `maxPages` pages. Call once per instance. */
  init(maxPages: number): void;
  /** Grows memory once so `bytes` more fit without further growth; false past the cap. */
  reserve(bytes: number): number;
  /** Scratch buffer of at least `bytes` bytes for JS-written input; 0 when out of memory. */
  scratch(bytes: number): number;
  /** Interns the first `length` bytes of the scratch buffer; returns the string id or INTERN_FAILED. */
  intern(length: number): number;
  /** A string column's dictionary code for string id `stringId`, or -1. */
  dictionaryFind(column: number, stringId: number): number;
  /** A string column's dictionary code for the `length` WTF-8 bytes at `pointer`, or -1; adds nothing. */
  dictionaryLookup(column: number, pointer: number, length: number): number;
  /** Hint: room for `count` strings of `bytes` bytes in total. False when out of memory. */
  stringsReserve(count: number, bytes: number): number;
  /** The string table's count, heap and offsets addresses, bytes, or whether it is indexed (StringTableField in abi.ts). */
  stringTable(field: StringTableField): number;
  /**
   * Column handle, or 0 when out of memory. `width`, `dictCapacity` and (int columns) `base`:
   * starting hints — an int column's smallest value and the width of its spread.
   */
  columnCreate(type: ColumnType, capacity: number, width: number, dictCapacity: number, base: number): number;
  columnBytes(column: number): number;
  appendNull(column: number): Status;
  appendMissing(column: number): Status;
  /** `count` missing rows at once (a field first seen after `count` rows of its parent). */
  appendMissingRun(column: number, count: number): Status;
  appendStruct(column: number): Status;
  appendList(column: number, elementCount: number): Status;
  appendBool(column: number, value: number): Status;
  /**
   * An integer (|n| ≤ 2^53, not -0) as its delta from the int column's base (the deltas widen,
   * or the base moves down, in place); any other number turns the column float64, as
   * appendFloat64. A float64 column takes it as a double.
   */
  appendInt(column: number, value: number): Status;
  /** An int column is converted to float64 in place first. */
  appendFloat64(column: number, value: number): Status;
  /** A string column: by dictionary code (may turn the column into text); a text column copies the string's bytes. */
  appendString(column: number, stringId: number): Status;
  /** A row of a code the column's dictionary has (dictionaryFind's); WrongType for a text column or a code past the dictionary. */
  appendCode(column: number, code: number): Status;
  /**
   * A string column's codes of `count` strings (added when new) from the request at `entries`
   * (u32 byte lengths, then the bytes; each length becomes its code); false when out of memory or not a string column.
   */
  dictionaryCodes(column: number, entries: number, count: number): number;
  /** `length` WTF-8 bytes at `pointer` to a text column (nothing interned). */
  appendText(column: number, pointer: number, length: number): Status;
  /** A text column's heap grown to hold `bytes` bytes in all, exactly. False when out of memory. */
  textReserve(column: number, bytes: number): number;
  /** The text-or-dictionary rule (assembly/text.ts): `fresh` new strings in `rows` rows, `entries` distinct, `bytes` bytes on average, codes `codeWidth` bytes. */
  textPreferred(rows: number, fresh: number, entries: number, bytes: number, codeWidth: number): number;
  /** -1, 0, 1: the two WTF-8 strings in UTF-16 code-unit order (JavaScript's `<`). */
  compareUtf16(a: number, aLength: number, b: number, bLength: number): number;
  appendMixed(column: number, tag: MixedTag, payload: number): Status;
  /** Ingest is over: frees the scratch buffer, trims string-table headroom. */
  finishIngest(): void;
  /** The arena's top, free-list bytes or leaked bytes (ArenaStat in abi.ts). */
  arenaStat(stat: ArenaStat): number;
  /** A zero-filled block of `bytes`; 0 when out of memory. */
  arenaAllocate(bytes: number): number;
  arenaRelease(pointer: number, bytes: number): void;
  /**
   * The query workspace: a zero-filled block of `bytes` in place of the one at `pointer` (0: none)
   * of `oldBytes`, in place when topmost; 0 when out of memory, the old block intact.
   */
  arenaReplace(pointer: number, oldBytes: number, bytes: number): number;
  /** Keeps `bytes` free under the cap for the workspace made on first use (0: released); false when that room is gone. */
  arenaHold(bytes: number): number;

  // Compaction (assembly/compact.ts): a store copied into a fresh instance of its size.
  /**
   * Bytes of the block field `field` of a `kind` record at `record` addresses (Pointers in abi.ts),
   * as its rows take them with room for 1/`headroom` more (0: none); 0: no block.
   */
  blockBytes(kind: RecordKind, record: number, field: number, headroom: number): number;
  /**
   * A step of compaction (CompactStep in abi.ts: each one's arguments and answer; the module's
   * compact.ts documents what each does): Roots, Adopt, Measure, Prepare (0 when the image does
   * not fit here or a node's Parent is not its owner: the facade's planner then copies the
   * store), Image, Forward. Unused arguments 0.
   */
  compact(step: CompactStep, a: number, b: number): number;

  // Schema (assembly/schema.ts): a tree of nodes (layout: NodeField), each pointing at its column.
  schemaRoot(): number;
  setRoot(node: number): void;
  /** A node over an existing column; 0 when out of memory. */
  nodeCreate(kind: NodeKind, column: number, key: number, parent: number): number;
  /** Appends a field node to a struct node; false when out of memory. */
  addField(node: number, field: number): number;
  /**
   * Creates and adds `count` fields to a struct node from the FieldEntry request at `entries`
   * (the scratch buffer; each entry's Kind becomes the field's node); false when out of memory.
   */
  publishFields(struct: number, entries: number, count: number): number;
  nodeField(node: number, field: NodeField): number;
  /** Journaled (a failed append puts the old value back); false when out of memory. */
  nodeSetField(node: number, field: NodeField, value: number): number;
  /** An append starts: until transactionEnd every change to the store can be taken back. */
  transactionBegin(): void;
  /** An append ends: kept (`commit` 1), or undone back to `rows` records, schema, dictionaries and strings included. */
  transactionEnd(commit: number, rows: number): void;

  // The streaming parser (assembly/parse/).
  /** Starts a stream; `wtf8` = the bytes come from a JS string (lone surrogates allowed, a leading U+FEFF not skipped). False when out of memory. */
  parseBegin(format: ParseFormat, skipBadLines: number, wtf8: number): number;
  /** Room for `bytes` more input: returns where to write them, or 0 when out of memory. */
  parseInput(bytes: number): number;
  /** Parses what is complete after `bytes` more were written; `last` = no more input. */
  parseFeed(bytes: number, last: number): FeedResult;
  /** 1: the bytes fed next are WTF-8 from JS strings (lone surrogates accepted); 0: UTF-8 bytes. */
  parseAcceptSurrogates(wtf8: number): void;
  /** Where the parser stands (committed rows, the node to rebuild, the error and its position, progress): the address of a ParseStatus record. */
  parseStatus(): number;
  /** Sizes every column for `rows` records (scaled by its rows per record so far); false when over the cap. */
  schemaReserveRows(rows: number): number;
  /** Turns each column sparse or dense by its density (assembly/sparse.ts): before a compaction. */
  schemaReviewDensity(): void;
  /** FSST-compress each text column that is worth it (fsst.ts), a dictionary column weighed first, as it will be when its rows have doubled when `growing` (1: after an append); the columns compressed. */
  schemaCompressText(growing: number): number;
  /** JSON Pointer tokens (after parseBegin): string ids at `keys`, array indices (or 0xFFFFFFFF) at `indices`. */
  parsePointer(count: number, keys: number, indices: number): number;
  /** keyAs (after parsePointer): each record's key in the object the pointer names goes into its field `keyId` (a string id); Sentinel.NoKey: not stored. */
  parseKeyAs(keyId: number): void;
  /** After PointerNotFound / PointerNotRecords: the address of a PointerMiss block (abi.ts) saying where the walk stopped. */
  parsePointerMiss(): number;

  // Scans (assembly/scan.ts). Selection bitmaps: u64 words, bit i = row start + i.
  /** Int rows with value in [lo, hi] (integers as doubles; beyond ±2^53 clamped). Status WrongType on another column type. */
  scanIntRange(column: number, lo: number, hi: number, start: number, end: number, out: number): Status;
  /** Float64 rows between lo and hi; flags bit 0 = lo exclusive, bit 1 = hi exclusive. */
  scanFloatRange(column: number, lo: number, hi: number, flags: number, start: number, end: number, out: number): Status;
  /** String rows whose code is marked (non-zero byte) in `lut`, which has ≥ 16 bytes. */
  scanCodes(column: number, lut: number, start: number, end: number, out: number): Status;
  /** String rows holding dictionary code `code` (equality: no lookup table). */
  scanCodeEquals(column: number, code: number, start: number, end: number, out: number): Status;
  /** Text rows passing a TextTest (`flags`) against the WTF-8 literals at `lo` and `hi`. */
  scanText(column: number, lo: number, loLength: number, hi: number, hiLength: number, flags: number, start: number, end: number, out: number): Status;
  scanBool(column: number, wanted: number, start: number, end: number, out: number): Status;
  /**
   * Rows where `left`'s value stands in one of `orders` (Order bits) to `right`'s (both present;
   * numbers with numbers, strings in UTF-16 order, bools), either column dense or sparse
   * (assembly/compare.ts). Status WrongType for types that do not compare.
   */
  scanColumns(left: number, right: number, orders: number, start: number, end: number, out: number): Status;
  /** List rows with length in [lo, hi]. */
  scanListLength(column: number, lo: number, hi: number, start: number, end: number, out: number): Status;
  /** Clears null and missing rows of `out`. */
  maskPresent(column: number, start: number, end: number, out: number): void;
  /** Rows that are null (which 0) or missing (which 1). */
  scanPresence(column: number, which: number, start: number, end: number, out: number): void;
  /**
   * Sparse columns (assembly/sparse.ts). `sparseExpand`: `out` holds a scan of the stored rows
   * from `first` (= sparseRank of `start`'s stored position); spreads it over rows [start, end),
   * in place. `sparseCompress`: a selection over rows [start, end) gathered to the stored rows,
   * in place. `sparseRowOf`: the row of a stored position. `sparseRank`: a row's stored
   * position, -1 when missing (a dense column: the row).
   */
  sparseExpand(column: number, start: number, end: number, first: number, out: number): void;
  sparseCompress(column: number, start: number, end: number, bits: number): void;
  sparseRowOf(column: number, stored: number): number;
  sparseRank(column: number, row: number): number;
  fillRange(out: number, bits: number, value: number): void;
  bitmapAnd(out: number, other: number, bits: number): void;
  bitmapOr(out: number, other: number, bits: number): void;
  bitmapNot(out: number, bits: number): void;
  bitmapCount(bitmap: number, bits: number): number;
  bitmapFirst(bitmap: number, bits: number): number;
  /**
   * first(): the first present row of [start, end) a column test matches, -1 for none, -2 when
   * the column is of another type. Scans through `scratch` (a bitmap of end - start rows at most).
   */
  firstIntRange(column: number, lo: number, hi: number, start: number, end: number, scratch: number): number;
  firstFloatRange(column: number, lo: number, hi: number, flags: number, start: number, end: number, scratch: number): number;
  /** `lut` as for scanCodes. */
  firstCodes(column: number, lut: number, start: number, end: number, scratch: number): number;
  firstCodeEquals(column: number, code: number, start: number, end: number, scratch: number): number;
  firstBool(column: number, wanted: number, start: number, end: number, scratch: number): number;
  /** Arguments as for scanText. */
  firstText(column: number, lo: number, loLength: number, hi: number, hiLength: number, flags: number, start: number, end: number, scratch: number): number;
  /** Row bits from element bits (relative to offsets[start]): any element set. */
  reduceAny(list: number, start: number, end: number, elements: number, out: number): void;
  /** Element bits (relative to offsets[start]) of element `index` of each row of [start, end) that has one. */
  pickElement(list: number, start: number, end: number, index: number, out: number): void;
  /** Element bits (relative to offsets[start]) of the selected rows of [start, end). */
  expandToElements(list: number, start: number, end: number, rows: number, out: number): void;

  // Aggregates (assembly/aggregate.ts).
  /** Sum, count, min, max at `result` (an AggregateResult block: int sums as the u128 sum of deltas), over present (and selected, if `selection`) values. */
  aggregate(column: number, selection: number, start: number, end: number, result: number): Status;
  /** Group id per row of [start, end) into `ids` (u32; null/missing 0xFFFFFFFF). Returns the group count, -1 when the int hash table passes half full, -2 for a key type it cannot group. */
  groupIds(key: number, start: number, end: number, ids: number, table: number, capacity: number, state: number): number;
  /** groupBy of several string / bool keys: ids[i] = ids[i] × bound + the row's digit (0 absent, code or bit + 1). Status.WrongType for other or sparse keys. */
  groupCombine(ids: number, key: number, start: number, end: number, bound: number): Status;
  /** groupBy(string key).count() in one pass over the codes (same outputs as groupIds + groupCount). */
  groupCountCodes(key: number, selection: number, start: number, end: number, nullIndex: number, counts: number, firstRows: number): Status;
  groupCount(ids: number, selection: number, start: number, end: number, nullIndex: number, counts: number, firstRows: number): void;
  /** Per group into `sums` and `counts` (GroupSum in abi.ts: f64 sums of float64 values, or u128 delta sums of ints; u32 counts). */
  groupSum(ids: number, value: number, selection: number, start: number, end: number, nullIndex: number, sums: number, counts: number): Status;

  // Loading a saved store (.msx; assembly/validate.ts, packages/core/MSX.md).
  /** xxHash64 (seed 0) of the `length` bytes at `pointer`: a block's checksum (a u64, as a BigInt). */
  msxHash(pointer: number, length: number): bigint;
  /** The load step `check` on its arguments (unused ones 0): MsxCheck in abi.ts says each one's and its answer. */
  msxCheck(check: MsxCheck, a: number, b: number, c: number): number;
}
