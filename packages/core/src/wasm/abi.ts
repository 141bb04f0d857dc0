// The WASM boundary, JS side: the only file that names the module's exports. Its twin is
// packages/wasm/assembly/index.ts (and assembly/README.md); change them together.
//
// Pointers and lengths are u32 byte addresses into `memory`: normalise with `>>> 0`.
// A column handle is the address of its 64-byte descriptor; descriptors never move.
// Append functions return a Status; OUT_OF_MEMORY means nothing was appended.

/** Column types (descriptor field TYPE). */
export const enum ColumnType {
  /** Only null and missing rows: no data buffer. */
  Null = 0,
  /** Presence only; each field is a column of its own. */
  Struct = 1,
  /** u32 offsets[capacity + 1] into the element column. */
  List = 2,
  /** Bit-packed values. */
  Bool = 3,
  /** Signed ints of WIDTH bytes (1, 2, 4); WIDTH 0: every present row holds CONSTANT. */
  Int = 4,
  /** f64 values: every double exactly, -0 included. */
  Float64 = 5,
  /** Dictionary codes of WIDTH bytes (1, 2, 4) into DICT (string ids); WIDTH 0: code 0. */
  String = 6,
  /** u8 tags (MixedTag) in DATA, f64 payloads (number or string id) in PAYLOAD. */
  Mixed = 7,
}

/** Tags of a mixed column's rows. */
export const enum MixedTag {
  False = 0,
  True = 1,
  Number = 2,
  String = 3,
  /** A nested array or object, stored as exact JSON text (see util/exactJson.ts) in the string table. */
  Json = 4,
}

/** Descriptor fields: u32 index into a descriptor (byte offset / 4). */
export const enum Descriptor {
  Type = 0,
  Width = 1,
  Length = 2,
  Capacity = 3,
  Data = 4,
  Nulls = 5,
  Missing = 6,
  NullCount = 7,
  MissingCount = 8,
  Constant = 9,
  Dict = 10,
  DictLength = 11,
  DictCapacity = 12,
  DictIndex = 13,
  DictIndexCapacity = 14,
  Payload = 15,
}
export const DESCRIPTOR_WORDS = 16;

export const enum Status {
  Ok = 0,
  OutOfMemory = 1,
  WrongType = 2,
}

/** Schema node kinds (node field Kind). Mirrors packages/wasm/assembly/schema.ts. */
export const enum NodeKind {
  /** Only null and missing so far (column type Null). */
  Unset = 0,
  Struct = 1,
  List = 2,
  /** An object used as a map: column = List offsets, Element = values node, MapKeys = keys node. */
  Map = 3,
  /** Bool, int, float64 or string column. */
  Scalar = 4,
  Mixed = 5,
}

/** Schema node fields: byte offsets into a node. */
export const enum NodeField {
  Kind = 0,
  Column = 4,
  /** String id of the key in the parent struct, or NO_KEY. */
  Key = 8,
  Parent = 12,
  /** Address of u32[FieldCount] field node handles, first-seen order. */
  Fields = 16,
  FieldCount = 20,
  FieldCapacity = 24,
  Element = 28,
  MapKeys = 32,
  /** Field count at which the parser asks the facade whether this struct is really a map. */
  ReviewAt = 48,
}
export const NO_KEY = 0xffffffff;

/** parseFeed results. */
export const enum FeedResult {
  NeedInput = 0,
  Done = 1,
  Error = 2,
  /** parseRebuildNode() must become mixed; then call parseFeed(0, last) again. */
  Rebuild = 3,
  /** NDJSON with skipping: the line was dropped (error details set); call parseFeed(0, last) again. */
  RecordSkipped = 4,
}

export const enum ParseFormat {
  Json = 0,
  Ndjson = 1,
}

/** parseErrorCode() values, with their messages. */
export const PARSE_ERRORS: Readonly<Record<number, string>> = {
  1: 'unexpected end of input',
  2: 'unexpected character',
  3: 'bad number',
  4: 'bad escape in a string',
  5: 'control character in a string (it must be escaped)',
  6: 'invalid UTF-8',
  7: 'nesting deeper than 1000 levels',
  8: 'expected ":" after an object key',
  9: 'expected a string key',
  10: 'expected "," or "}" after an object value',
  11: 'expected "," or "]" after an array element',
  12: 'unexpected data after the JSON value',
  13: 'trailing comma',
  14: 'out of memory',
  15: 'no JSON value in the input',
  16: 'unterminated string',
  17: 'the JSON Pointer names nothing in the document',
  18: 'the JSON Pointer does not name an array',
  19: "the JSON Pointer's key appears twice in its object, so it names no one value (RFC 6901)",
};
export const PARSE_OUT_OF_MEMORY = 14;
export const PARSE_UNEXPECTED_CHARACTER = 2;
export const PARSE_TOO_DEEP = 7;

export const INTERN_FAILED = 0xffffffff;
/** stringFind: the bytes are not in the string table. */
export const NOT_INTERNED = 0xffffffff;
export const WASM_PAGE_BYTES = 65536;
export const MAX_WASM_PAGES = 65536;

/** The module's exports, typed. Nothing outside src/wasm touches them untyped. */
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
  /** The id of the `length` WTF-8 bytes at `pointer` if interned, else NOT_INTERNED; adds nothing. */
  stringFind(pointer: number, length: number): number;
  /** A string column's dictionary code for string id `stringId`, or -1. */
  dictionaryFind(column: number, stringId: number): number;
  stringCount(): number;
  /** Hint: room for `count` strings of `bytes` bytes in total. False when out of memory. */
  stringsReserve(count: number, bytes: number): number;
  stringHeapPtr(): number;
  /** u32[stringCount + 1]: string id i is heap[offsets[i] .. offsets[i + 1]). */
  stringOffsetsPtr(): number;
  stringTableBytes(): number;
  /** Column handle, or 0 when out of memory. `width`, `dictCapacity`: starting hints. */
  columnCreate(type: ColumnType, capacity: number, width: number, dictCapacity: number): number;
  columnBytes(column: number): number;
  appendNull(column: number): Status;
  appendMissing(column: number): Status;
  appendStruct(column: number): Status;
  appendList(column: number, elementCount: number): Status;
  appendBool(column: number, value: number): Status;
  /** int32 value; an int column widens (i8 → i16 → i32), a float64 column takes it as a double. */
  appendInt(column: number, value: number): Status;
  /** An int column is converted to float64 in place first. */
  appendFloat64(column: number, value: number): Status;
  appendString(column: number, stringId: number): Status;
  appendMixed(column: number, tag: MixedTag, payload: number): Status;
  /** Rewrites an int (signed = 1) or code (signed = 0) column at a wider width. */
  widenInt(column: number, width: number, signed: number): number;
  widenToFloat(column: number): number;
  /** Ingest is over: frees the scratch buffer, trims string-table headroom. */
  finishIngest(): void;
  arenaTop(): number;
  arenaFreeBytes(): number;
  arenaLeakedBytes(): number;
  /** A zero-filled block of `bytes`; 0 when out of memory. The query workspace comes from here. */
  arenaAllocate(bytes: number): number;
  arenaRelease(pointer: number, bytes: number): void;

  // Schema (assembly/schema.ts): a tree of 48-byte nodes, each pointing at its column.
  schemaRoot(): number;
  setRoot(node: number): void;
  /** A node over an existing column; 0 when out of memory. */
  nodeCreate(kind: NodeKind, column: number, key: number, parent: number): number;
  /** Appends a field node to a struct node; false when out of memory. */
  addField(node: number, field: number): number;
  nodeField(node: number, field: NodeField): number;
  nodeSetField(node: number, field: NodeField, value: number): void;

  // The streaming parser (assembly/parse/parser.ts).
  /** Starts a stream; `wtf8` = the bytes come from a JS string (lone surrogates allowed). False when out of memory. */
  parseBegin(format: ParseFormat, skipBadLines: number, wtf8: number): number;
  /** Room for `bytes` more input: returns where to write them, or 0 when out of memory. */
  parseInput(bytes: number): number;
  /** Parses what is complete after `bytes` more were written; `last` = no more input. */
  parseFeed(bytes: number, last: number): FeedResult;
  /** 1: the bytes fed next are WTF-8 from JS strings (lone surrogates accepted); 0: UTF-8 bytes. */
  parseAcceptSurrogates(wtf8: number): void;
  /** Undoes every record after the first `rows`. */
  parseRollback(rows: number): void;
  parseCommittedRows(): number;
  parseBytesDone(): number;
  parseErrorCode(): number;
  parseErrorOffset(): number;
  parseErrorLine(): number;
  parseErrorColumn(): number;
  parseErrorPointer(): number;
  parseBufferStart(): number;
  parseBufferEnd(): number;
  parseRebuildNode(): number;
  /** Sizes every column for `rows` records (scaled by its rows per record so far); false when over the cap. */
  schemaReserveRows(rows: number): number;
  /** JSON Pointer tokens (after parseBegin): string ids at `keys`, array indices (or 0xFFFFFFFF) at `indices`. */
  parsePointer(count: number, keys: number, indices: number): number;

  // Scans (assembly/scan.ts). Selection bitmaps: u64 words, bit i = row start + i.
  /** Int rows with value in [lo, hi]. Status WrongType on another column type. */
  scanIntRange(column: number, lo: number, hi: number, start: number, end: number, out: number): Status;
  /** Float64 rows between lo and hi; flags bit 0 = lo exclusive, bit 1 = hi exclusive. */
  scanFloatRange(column: number, lo: number, hi: number, flags: number, start: number, end: number, out: number): Status;
  /** String rows whose code is marked (non-zero byte) in `lut`, which has ≥ 16 bytes. */
  scanCodes(column: number, lut: number, start: number, end: number, out: number): Status;
  /** String rows holding dictionary code `code` (equality: no lookup table). */
  scanCodeEquals(column: number, code: number, start: number, end: number, out: number): Status;
  scanBool(column: number, wanted: number, start: number, end: number, out: number): Status;
  /** List rows with length in [lo, hi]. */
  scanListLength(column: number, lo: number, hi: number, start: number, end: number, out: number): Status;
  /** Clears null and missing rows of `out`. */
  maskPresent(column: number, start: number, end: number, out: number): void;
  /** Rows that are null (which 0) or missing (which 1). */
  scanPresence(column: number, which: number, start: number, end: number, out: number): void;
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
  /** Row bits from element bits (relative to offsets[start]): any element set. */
  reduceAny(list: number, start: number, end: number, elements: number, out: number): void;
  /** Element bits (relative to offsets[start]) of the selected rows of [start, end). */
  expandToElements(list: number, start: number, end: number, rows: number, out: number): void;

  // Aggregates (assembly/aggregate.ts).
  /** [sum, count, min, max] as f64[4] at `result`, over present (and selected, if `selection`) values. */
  aggregate(column: number, selection: number, start: number, end: number, result: number): Status;
  /** Group id per row of [start, end) into `ids` (u32; null/missing 0xFFFFFFFF). Returns the group count, -1 when the int hash table passes half full, -2 for a key type it cannot group. */
  groupIds(key: number, start: number, end: number, ids: number, table: number, capacity: number, state: number): number;
  /** groupBy(string key).count() in one pass over the codes (same outputs as groupIds + groupCount). */
  groupCountCodes(key: number, selection: number, start: number, end: number, nullIndex: number, counts: number, firstRows: number): Status;
  groupCount(ids: number, selection: number, start: number, end: number, nullIndex: number, counts: number, firstRows: number): void;
  groupSum(ids: number, value: number, selection: number, start: number, end: number, nullIndex: number, sums: number, counts: number): Status;
}
