// The ABI's numbers: every constant and memory layout both sides of the WASM boundary must
// agree on, written down once. This file is valid AssemblyScript and valid TypeScript (const
// enums only): the module compiles it (assembly/*), the facade imports the same file
// (packages/core/src/wasm/abi.ts, through `@memstore/wasm/abi`), and so do the WASM tests.
// The exports' signatures are typed in ../exports.ts; the README's tables are checked against
// this file by test/abi.test.ts.
//
// Values are 32-bit: AssemblyScript enums are i32, so the all-ones sentinels read as -1 in
// AssemblyScript and 0xFFFFFFFF in JS, which is the same u32 once JS normalises with `>>> 0`.

/** Column types (descriptor field `Type`). */
export const enum ColumnType {
  /** Only null and missing rows: no data buffer. */
  Null = 0,
  /** Presence only; each field is a column of its own. */
  Struct = 1,
  /** `u32 offsets[capacity + 1]` into the element column. */
  List = 2,
  /** Bit-packed values. */
  Bool = 3,
  /**
   * Integers exact in a double (|n| ≤ 2^53, not -0), as a frame of reference: row i is `Base` +
   * an unsigned delta of `Width` bytes (1, 2, 4, 8); width 0: every present row holds `Base`.
   */
  Int = 4,
  /** f64 values: every double exactly, -0 included. */
  Float64 = 5,
  /** Dictionary codes of `Width` bytes (1, 2, 4) into `Dict` (string ids); width 0: code 0. */
  String = 6,
  /** u8 tags (MixedTag) in `Data`, f64 payloads (the number, or a string id) in `Payload`. */
  Mixed = 7,
  /**
   * Strings that rarely repeat, stored by the column itself: `u32 offsets[capacity + 1]` in
   * `Data` into its own WTF-8 bytes at `Heap` (row i is Heap[offsets[i] .. offsets[i + 1]);
   * null and missing rows are empty). No dictionary, nothing interned. A string column turns
   * into one in place (text.ts) when new values keep outnumbering repeats.
   */
  Text = 8,
}

/** Tags of a mixed column's rows. */
export const enum MixedTag {
  False = 0,
  True = 1,
  Number = 2,
  String = 3,
  /** A nested array or object, stored as exact JSON text in the string table. */
  Json = 4,
}

/**
 * The column descriptor: byte offsets of its u32 fields, and of `Base`, an i64 (8-aligned).
 * Its address is the column handle and never moves; the buffers it points at move when the
 * column grows.
 */
export const enum Descriptor {
  Type = 0,
  /** Bytes per value: int deltas 0/1/2/4/8, string codes 0/1/2/4, float64 8 (0 = constant). */
  Width = 4,
  /** Rows appended. */
  Length = 8,
  /** Rows the buffers hold. */
  Capacity = 12,
  /** Values / codes / bits / list offsets / mixed tags. */
  Data = 16,
  /** Bitmap, bit set = null; 0 until the first null. */
  Nulls = 20,
  /** Bitmap, bit set = missing (key absent, or an ancestor absent or null); 0 until needed. */
  Missing = 24,
  NullCount = 28,
  MissingCount = 32,
  /**
   * Sparse columns (sparse.ts): the index from the column's rows to its stored rows, 12 bytes per
   * 64 rows (u32 stored rows before them, then their 64 bits, set = stored); 0 for a dense column.
   * A sparse column's Length, Capacity and buffers count its stored rows only, none missing.
   */
  Sparse = 36,
  /**
   * String columns: u32 string id per code. Text columns: their FSST symbol table (an `FsstTable`
   * block, fsst.ts) when their heap holds codes, 0 while it holds the WTF-8 bytes as they are.
   */
  Dict = 40,
  /** Distinct strings of the column. */
  DictLength = 44,
  DictCapacity = 48,
  /** Open-addressing hash: string id → code + 1. */
  DictIndex = 52,
  /** A power of two, at most 3/4 full. */
  DictIndexCapacity = 56,
  /** Mixed columns: f64 per row (the number, or the string id). */
  Payload = 60,
  /** Text columns: the WTF-8 bytes of every row, back to back. */
  Heap = 64,
  /** Text columns: bytes used of the heap (= offsets[Length]). */
  HeapLength = 68,
  /** Text columns: bytes the heap holds. */
  HeapCapacity = 72,
  /** String columns: rows holding a string when the dictionary last doubled (its review window starts there). */
  ReviewRows = 76,
  /**
   * Int columns: an i64 (bytes 80..87), the frame of reference. Row i's value is Base + its
   * unsigned delta; at width 0 every present row's value is Base. Kept while the column is
   * float64 (an undone append turns it back into this int column).
   */
  Base = 80,
  /** Sparse columns: the column's rows, stored or missing (its parent's rows). */
  Rows = 88,
  /** Sparse columns: groups of 64 rows the index holds. */
  Groups = 92,
  /** Size of a descriptor. */
  Bytes = 96,
}

/** Status of appends, scans and aggregates. */
export const enum Status {
  Ok = 0,
  /** Nothing was appended and the store is unchanged. */
  OutOfMemory = 1,
  /** A facade bug: the column is of another type. */
  WrongType = 2,
}

/** Schema node kinds (node field `Kind`). */
export const enum NodeKind {
  /** Only null and missing so far (column type Null). */
  Unset = 0,
  Struct = 1,
  List = 2,
  /** An object used as a map: column = List offsets, `Element` = values node, `MapKeys` = keys node. */
  Map = 3,
  /** Bool, int, float64 or string column. */
  Scalar = 4,
  Mixed = 5,
}

/** The schema node: byte offsets of its u32 fields. Its address is its handle. */
export const enum NodeField {
  Kind = 0,
  Column = 4,
  /** String id of the key in the parent struct, or Sentinel.NoKey. */
  Key = 8,
  Parent = 12,
  /** Address of u32[FieldCount] field node handles, first-seen order. */
  Fields = 16,
  FieldCount = 20,
  FieldCapacity = 24,
  /** List element / map values. */
  Element = 28,
  MapKeys = 32,
  /** Parser-private: the object instance that last wrote this field. */
  Stamp = 36,
  /** Parser-private: the field index expected next (records repeat their key order). */
  Cursor = 40,
  /** Parser-private: 1 when the key has no quote, backslash or control byte. */
  PlainKey = 44,
  /** Field count at which the parser asks the facade whether this struct is really a map. */
  ReviewAt = 48,
  /**
   * Parser-private: u32[2 * FieldCapacity] open-addressing hash of the fields by key string
   * id (field index + 1, 0 = empty), from FIELD_INDEX_FROM fields on; 0 before.
   */
  FieldIndex = 52,
  /** Size of a node. */
  Bytes = 56,
}

/**
 * A planned field of a struct in publishFields' request (JS records), in the scratch buffer: the
 * `count` entries first, then every key's WTF-8 bytes back to back, in the entries' order.
 */
export const enum FieldEntry {
  /** In: the field's node kind (NodeKind); out: its node's handle. */
  Kind = 0,
  /** The field's column, created already. */
  Column = 4,
  /** Bytes of its key. */
  KeyLength = 8,
  /** Size of an entry. */
  Bytes = 12,
}

/**
 * The module's state that outlives a load (its globals: the schema's root, the string table),
 * laid out as a record so compaction can carry it like the others: `compactRoots()` writes it
 * into a static block of this layout and returns its address, `compactAdopt()` reads it back.
 */
export const enum Roots {
  /** The schema's root node. */
  Schema = 0,
  /** The string table (strings.ts): WTF-8 bytes, `u32 offsets[count + 1]`, hash index of id + 1. */
  StringHeap = 4,
  StringHeapLength = 8,
  StringHeapCapacity = 12,
  StringOffsets = 16,
  /** Entries the offsets block holds. */
  StringOffsetsCapacity = 20,
  StringCount = 24,
  StringIndex = 28,
  StringIndexCapacity = 32,
  /** Size of the block (36..39 spare). */
  Bytes = 40,
}

/** The records that hold addresses, as compaction walks them (blockBytes' first argument). */
export const enum RecordKind {
  Roots = 0,
  Node = 1,
  Column = 2,
}

// biome-ignore-start lint/style/useLiteralEnumMembers: each mask is computed from the layout it names, so an offset is written once (both compilers fold these; test/abi.test.ts reads them)
/**
 * Which u32 fields of each record hold addresses, and of what: bit i stands for the field at
 * byte 4 × i. Compaction (packages/core/src/compact.ts) copies a record whole, then re-points
 * these fields at the copies of what they address; any other field is copied as it is, so a
 * new field that holds no address needs nothing here. A new address field goes in one mask,
 * and its block's bytes in `blockBytes` (assembly/compact.ts).
 */
export const enum Pointers {
  /** Descriptor fields addressing the column's buffers (blocks that hold no addresses). */
  ColumnBuffers = (1 << (Descriptor.Data >>> 2)) | (1 << (Descriptor.Nulls >>> 2)) | (1 << (Descriptor.Missing >>> 2)) |
    (1 << (Descriptor.Dict >>> 2)) | (1 << (Descriptor.DictIndex >>> 2)) | (1 << (Descriptor.Payload >>> 2)) | (1 << (Descriptor.Heap >>> 2)) |
    (1 << (Descriptor.Sparse >>> 2)),
  /** Node fields addressing a buffer of its own (the field index). */
  NodeBuffers = 1 << (NodeField.FieldIndex >>> 2),
  /** Node fields addressing a block of node addresses (its fields; unused slots are 0). */
  NodeLists = 1 << (NodeField.Fields >>> 2),
  /** Node fields addressing a node of its own (the subtree's owner is this node). */
  NodeChildren = (1 << (NodeField.Element >>> 2)) | (1 << (NodeField.MapKeys >>> 2)),
  /** Node fields addressing the node that owns this one: the only address that points back up the tree. */
  NodeParent = 1 << (NodeField.Parent >>> 2),
  /** Node fields addressing a column's descriptor. */
  NodeColumns = 1 << (NodeField.Column >>> 2),
  /** Node fields that mean something only during one parse: 0 in a copy (a new instance counts objects from 0). */
  NodeTransient = 1 << (NodeField.Stamp >>> 2),
  /** Roots fields addressing the string table's blocks. */
  RootsBuffers = (1 << (Roots.StringHeap >>> 2)) | (1 << (Roots.StringOffsets >>> 2)) | (1 << (Roots.StringIndex >>> 2)),
  /** Roots fields addressing a node. */
  RootsNodes = 1 << (Roots.Schema >>> 2),
}
// biome-ignore-end lint/style/useLiteralEnumMembers: end of Pointers

// biome-ignore-start lint/suspicious/noDuplicateEnumValues: every sentinel is all-ones on purpose; its name says which call returned it
/** All-ones u32 values with a meaning (JS reads them as 0xFFFFFFFF after `>>> 0`). */
export const enum Sentinel {
  /** Node field `Key` of the root, list elements and map parts. */
  NoKey = 0xFFFFFFFF,
  /** intern(): out of memory. */
  InternFailed = 0xFFFFFFFF,
  /** find() (strings.ts): the bytes are not in the string table. */
  NotInterned = 0xFFFFFFFF,
  /** groupIds(): the group id of null and missing keys. */
  NullGroup = 0xFFFFFFFF,
  /** parsePointer(): the token is no array index. */
  NoIndex = 0xFFFFFFFF,
}
// biome-ignore-end lint/suspicious/noDuplicateEnumValues: end of Sentinel

/**
 * compactMeasure(), compactPrepare() and compactImage(): byte offsets of their result block, what a
 * compaction copies (f64s: a store's blocks may pass 4 GiB in sum only as a bug, but a u32 would hide one).
 */
export const enum CompactSizes {
  /** f64: bytes the blocks' rows take, each rounded up to 8. */
  UsedBytes = 0,
  /** f64: bytes of their copies (with the headroom), each rounded up to 8: the image's size. */
  CopyBytes = 8,
  /** f64: records (Roots, nodes, descriptors) among the blocks. */
  Records = 16,
  /** f64: blocks. */
  Blocks = 24,
  /** f64: bytes of the image written into the store's own memory (records, lists, buffers up to 4 KiB). */
  ImageBytes = 32,
  /** f64: entries of the table of copies (compactImage: `u32 from, to, bytes` each). */
  Copies = 40,
  /** f64: the table's address (compactImage; 0 from compactMeasure). */
  CopyTable = 48,
  /** f64: bytes the store holds that the copy leaves out (a load's string-table index), not among the blocks. */
  LeftOutBytes = 56,
  Bytes = 64,
}

/**
 * The steps of a `.msx` load that msxCheck(check, a, b, c) runs (validate.ts; unused arguments 0).
 * Checks answer the first offending index (row, string, code, group) or -1; the Index steps -1
 * when the rebuilt index found no duplicate, else the first duplicate, or -2 out of memory; a
 * value not listed here answers -3 (a facade bug).
 */
export const enum MsxCheck {
  /** (column, field): bytes the buffer at descriptor field `field` must hold for the column's rows (never wrapped). */
  BufferBytes = 0,
  /** (bitmap, bits): set bits among the first `bits` of a bitmap of ceil(bits / 8) bytes (reads none past it). */
  BitmapCount = 1,
  /** (offsets, count, end): `u32 offsets[count + 1]` starts at 0, never decreases, ends at `end`. */
  Offsets = 2,
  /** (heap, offsets, count): each string heap[offsets[i] .. offsets[i + 1]) is WTF-8 (lone surrogates allowed, no split pair). */
  Wtf8 = 3,
  /** (column): a string column's present codes are below its dictionary's length; an absent row's code past it is set to 0. */
  Codes = 4,
  /** (column, strings): a string column's dictionary entries are ids below `strings`. */
  Dictionary = 5,
  /** (column): an int column's present values (Base + delta) are within ±2^53. */
  Ints = 6,
  /** (column, strings): a mixed column's present tags are MixedTag values, string / JSON payloads ids below `strings`. */
  Mixed = 7,
  /** (column): a sparse column's index agrees with its bits, holds no bit past Rows, stores Length rows (answers Groups if not). */
  Sparse = 8,
  /** (): the string table holds each string once; a string held twice is an error (its index is built to find it, then dropped: a .msx load keeps none). */
  DistinctStrings = 9,
  /** (column): a string column's dictionary holds each id once; an id held twice is an error (its index is dropped after: a .msx load keeps none). */
  DistinctDictionary = 10,
  /** (node): a node's PlainKey and (wide structs) field index set again; 1, or 0 when out of memory. */
  IndexNode = 11,
  /**
   * (column): an FSST text column (fsst.ts): its symbol table well formed (at most 255 symbols,
   * lengths 1 to 8, zero past them, in order, none twice, First and FirstCount agreeing), and each
   * stored row's codes name symbols, decode to WTF-8 and are the codes those bytes encode to (a
   * row decoded into a block of its own, given back after). The first bad row, -1 if none, -2 for
   * the table, -3 when out of memory for the block.
   */
  Fsst = 12,
}

/**
 * A text column's FSST symbol table (fsst.ts; `Descriptor.Dict` of the column): up to 255
 * symbols of 1 to 8 bytes, ordered by first byte and, within one, longest first (so the first
 * that matches at a place is the longest: the encoding is a function of the bytes). A row's heap
 * bytes are codes: below `Count` a symbol, `Escape` followed by one byte that stands for itself.
 */
export const enum FsstTable {
  /** u32: symbols in the table (at most 255). */
  Count = 0,
  /** u64 per symbol: its bytes, little-endian, zero past its length. */
  Symbols = 8,
  /** u8 per symbol: its length, 1 to 8. */
  Lengths = 2048,
  /** u8 per byte value: the first symbol that starts with it. */
  First = 2304,
  /** u8 per byte value: how many symbols start with it. */
  FirstCount = 2560,
  Bytes = 2816,
  /** The code that stands for the byte after it. */
  Escape = 255,
  /** Bytes of an encoding index (fsst.ts fsstIndex): a u16 per 2-byte start, 1,024 16-byte slots of long symbols, a u16 per last byte. */
  IndexBytes = (1 << 17) | (1 << 14) | (1 << 9),
  /**
   * Bytes a `.msx` load reserves for checking its FSST columns (MsxCheck.Fsst): an index, and a row
   * of up to 4,096 codes decoded (8 bytes a code) and encoded again (16); longer rows grow memory.
   */
  CheckBytes = 246352, // IndexBytes (147,968) + 4,096 × 24 + 80
}

/**
 * The steps compact(step, a, b) runs (compact.ts), in the order a compaction takes them; unused
 * arguments 0. Roots and Adopt also carry a `.msx` load's roots in and out.
 */
export const enum CompactStep {
  /** (): compactRoots — the module's roots written as a Roots record (a static block); its address. The string table goes without its index (the next append builds it again). */
  Roots = 0,
  /** (headroom): compactAdopt — a fresh instance takes the Roots record at Roots' address; capacities become lengths and 1/`headroom` more. Answers 0. */
  Adopt = 1,
  /** (headroom): compactMeasure — what compacting with room for 1/`headroom` more rows would copy: the address of a CompactSizes block. Allocates nothing. */
  Measure = 2,
  /** (headroom, measured): compactPrepare — readies the image (by Measure's walk when `measured` is 1 and nothing changed since); the CompactSizes block, or 0 when it does not fit. */
  Prepare = 3,
  /** (base): compactImage — the prepared image laid out for `base` in the fresh instance (0: given back); the CompactSizes block, or 0. */
  Image = 4,
  /** (address): compactForward — after Image, the new address of the node or descriptor at `address` (0: not copied). */
  Forward = 5,
  /** (): collect (collect.ts) — before a copy, strings nothing holds dropped and the rest renumbered in order, and the dictionaries' indexes; how many strings were dropped. Only between appends. */
  Collect = 6,
}

/** What stringTable(field) answers (index.ts): the string table, as the facade reads it. */
export const enum StringTableField {
  /** Strings interned. */
  Count = 0,
  /** The address of the heap of their WTF-8 bytes. */
  Heap = 1,
  /** The address of `u32 offsets[Count + 1]`: string id i is heap[offsets[i] .. offsets[i + 1]). */
  Offsets = 2,
  /** Bytes the table holds (heap, offsets and hash index, at their capacities). */
  Bytes = 3,
  /** 1 when the table has its hash index, 0 when not (after a load's copy, until an append: strings.ts). */
  Indexed = 4,
}

/** What arenaStat(stat) answers (index.ts): the allocator, as the memory report and tests read it. */
export const enum ArenaStat {
  /** The arena's top: every block lies below it (at creation: the module's static data). */
  Top = 0,
  /** Bytes of the released blocks its free list holds. */
  FreeBytes = 1,
  /** Bytes released that the free list could not hold (counted, never reused). */
  LeakedBytes = 2,
}

/** parseFeed results. */
export const enum FeedResult {
  /** Every complete record is stored; give more bytes. */
  NeedInput = 0,
  /** The input ended cleanly. */
  Done = 1,
  /** See parseStatus (ErrorCode, ErrorOffset…). */
  Error = 2,
  /** parseStatus's RebuildNode must become mixed (or a map); then call parseFeed(0, last) again. */
  Rebuild = 3,
  /** NDJSON with skipping: the line was dropped (error details set); call parseFeed(0, last) again. */
  RecordSkipped = 4,
}

/**
 * parseStatus(): where the parser stands, as a record (a static block, rewritten by each call):
 * byte offsets of its fields, u32 but for the two f64 (stream offsets can pass 4 GiB).
 */
export const enum ParseStatus {
  /** Records of the store committed so far (the root's rows). */
  CommittedRows = 0,
  /** After FeedResult.Rebuild: the schema node to rebuild. */
  RebuildNode = 4,
  /** A ParseError (None while nothing failed). */
  ErrorCode = 8,
  /** Line (1-based) and column (1-based, in characters) of the error; 0 while ErrorCode is None. */
  ErrorLine = 12,
  ErrorColumn = 16,
  /** Where the error is in the input buffer, and the buffer's bytes (for a snippet around it). */
  ErrorPointer = 20,
  BufferStart = 24,
  BufferEnd = 28,
  /** f64: bytes of the stream consumed into committed records (progress). */
  BytesDone = 32,
  /** f64: absolute byte offset of the error in the stream. */
  ErrorOffset = 40,
  Bytes = 48,
}

export const enum ParseFormat {
  Json = 0,
  Ndjson = 1,
}

/** ParseStatus.ErrorCode values. Their messages live in packages/core/src/wasm/abi.ts. */
export const enum ParseError {
  None = 0,
  UnexpectedEnd = 1,
  UnexpectedCharacter = 2,
  BadNumber = 3,
  BadEscape = 4,
  ControlCharacter = 5,
  InvalidUtf8 = 6,
  TooDeep = 7,
  ExpectedColon = 8,
  ExpectedKey = 9,
  ExpectedCommaOrBrace = 10,
  ExpectedCommaOrBracket = 11,
  TrailingData = 12,
  TrailingComma = 13,
  OutOfMemory = 14,
  EmptyInput = 15,
  UnterminatedString = 16,
  /** The pointer's next token is not in the value the walk reached (parsePointerMiss says where). */
  PointerNotFound = 17,
  /** The pointer names a scalar: neither an array nor an object of records (parsePointerMiss). */
  PointerNotRecords = 18,
  PointerDuplicate = 19,
  /** keyAs: a record already has the field the keys go into. */
  KeyAsTaken = 20,
  /** keyAs: a record is not an object, so it has no field to hold its key. */
  KeyAsNotObject = 21,
  /** keyAs: the pointer names an array, whose elements have no keys. */
  KeyAsNoKeys = 22,
}

/**
 * parsePointerMiss(): where a JSON Pointer stopped matching (PointerNotFound, PointerNotRecords):
 * byte offsets of its u32 fields, then `Limit.PointerKeys` slots of `Slot` bytes, each the key's
 * whole byte length (u32) and its first `Limit.PointerKeyBytes` bytes (WTF-8).
 */
export const enum PointerMiss {
  /** Tokens that matched: the walk stopped in the value tokens[0, Level) name. */
  Level = 0,
  /** What that value is: a PointerValue. */
  Found = 4,
  /** Members of that value (object keys, array elements): all of them once the walk saw its end. */
  Members = 8,
  /** Keys sampled into the slots (the first Limit.PointerKeys keys of an object). */
  Sampled = 12,
  /** The first slot. */
  Keys = 16,
  /** Bytes per slot. */
  Slot = 64,
  /** Size of the block. */
  Bytes = 1040,
}

/** PointerMiss.Found: the kind of value the walk stopped in. */
export const enum PointerValue {
  Object = 0,
  Array = 1,
  /** A string, number, boolean or null. */
  Scalar = 2,
}

/** scanText / firstText: what the test asks of each row's string (`lo`, `hi`: WTF-8 literals). */
export const enum TextTest {
  /** Exactly the bytes of `lo` (`hi` unused). */
  Equal = 1,
  /** Above `lo` (`LowOpen`: strictly), in UTF-16 order, as JavaScript's `<`. */
  Low = 2,
  LowOpen = 4,
  /** Below `hi` (`HighOpen`: strictly). */
  High = 8,
  HighOpen = 16,
}

/**
 * scanColumns: the orders of a row's left value to its right value that pass, as bits (gt is
 * Greater, gte Greater | Equal, eq Equal).
 */
export const enum Order {
  Less = 1,
  Equal = 2,
  Greater = 4,
}

/** What a first-match search (first*) returns when it finds no row. */
export const enum FirstResult {
  NotFound = -1,
  /** The column is of another type. */
  WrongType = -2,
}

/**
 * aggregate(): byte offsets of its result block. Int columns leave their sum as the 128-bit sum
 * of their deltas (the caller adds count × base, exactly); float64 columns as a double.
 */
export const enum AggregateResult {
  /** f64: float64 columns' sum, in row order (0 for int columns). */
  Sum = 0,
  /** f64: values counted. */
  Count = 8,
  /** f64: the smallest and largest value (exact for ints too). */
  Min = 16,
  Max = 24,
  /** Int columns: the sum of the counted rows' deltas, a u128 as two u64 words (low, high). */
  DeltaSumLow = 32,
  DeltaSumHigh = 40,
  Bytes = 48,
}

/**
 * groupSum(): its two tables, 8 bytes per group each. `sums`: a float64 column's f64 sum (row
 * order), or the low u64 of an int column's u128 sum of deltas (sum = deltas + count × base).
 * `counts`: the values counted (u32 at Count) and an int column's high word of that sum (u32 at
 * High: deltas are below 2^55 and counts below 2^32, so the sum is below 2^87).
 */
export const enum GroupSum {
  Count = 0,
  High = 4,
  Bytes = 8,
}

/** What groupIds returns instead of a group count. */
export const enum GroupResult {
  /** The int hash table passed half full: the caller falls back. */
  Overflow = -1,
  /** A key column it cannot group (float64, mixed, struct, list). */
  WrongType = -2,
}

// biome-ignore-start lint/suspicious/noDuplicateEnumValues: PageBytes and MaxPages are both 65536 by coincidence (bytes per page, pages in 4 GiB)
/** Limits both sides enforce. */
export const enum Limit {
  /** Nesting deeper than this is refused (MAX_DEPTH of the facade). */
  Depth = 1000,
  /** JSON Pointer tokens parsePointer takes. */
  PointerTokens = 64,
  /** Keys a pointer miss samples from the object it stopped in (PointerMiss). */
  PointerKeys = 16,
  /** Bytes of each sampled key kept (PointerMiss.Slot less its length word). */
  PointerKeyBytes = 60,
  /** WebAssembly page size in bytes. */
  PageBytes = 65536,
  /** Pages of a 4 GiB memory: the ceiling. */
  MaxPages = 65536,
  /** Entries a string column's dictionary holds before it gets a hash index (dictionary.ts scans up to here). */
  SmallDictionary = 128,
  /**
   * Distinct strings from which a dictionary column is reviewed for text, at each doubling
   * (text.ts reviewDictionary; the facade's first pass over JS records reviews the same way).
   */
  TextReviewFrom = 2048,
  /**
   * Heap bytes from which a text column is offered FSST compression when a load or append is
   * fitted (fsst.ts): below, its 2,816-byte symbol table would eat what it saves.
   */
  FsstFrom = 65536,
  /**
   * A store compacted after an append keeps room for 1/AppendHeadroom more rows (the facade's
   * fit), and an ingest's end leaves the string table as much (strings.ts stringsTrim): one that
   * takes many small appends then moves once per ~1.6% of growth, not at every append that grows
   * a column (which copied a 1M-record store at each of 100 appends of 100 records: 10 ms each).
   */
  AppendHeadroom = 64,
}
// biome-ignore-end lint/suspicious/noDuplicateEnumValues: end of Limit
