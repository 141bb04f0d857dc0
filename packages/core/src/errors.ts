// Every error memstore throws is a MemstoreError with a stable `code`: catch by class or by code.

export type MemstoreErrorCode =
  | 'PARSE'
  | 'INPUT'
  | 'DEPTH'
  | 'CAPACITY'
  | 'DISPOSED'
  | 'PATH'
  | 'QUERY'
  | 'IO'
  | 'ABORTED'
  | 'UNSUPPORTED'
  | 'FORMAT'
  | 'INTERNAL';

export class MemstoreError extends Error {
  readonly code: MemstoreErrorCode;
  constructor(code: MemstoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Malformed JSON text. `offset` (bytes), `line` and `column` (1-based) when known. */
export class MemstoreParseError extends MemstoreError {
  readonly offset: number | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(
    message: string,
    position: { offset?: number; line?: number; column?: number } = {},
    options?: { cause?: unknown },
  ) {
    super('PARSE', message, options);
    this.offset = position.offset;
    this.line = position.line;
    this.column = position.column;
  }
}

/**
 * Input memstore cannot take. Either a value `JSON.parse` could not have produced (undefined,
 * NaN, a Date, a cycle…): `path` is where it is (`records[3].v`); or a wrong argument to a public
 * entry (a non-array to fromRecords, `format: 'xml'`, `maxMemoryBytes: -1`): `path` names the
 * argument (`records`, `options.format`, `options.maxMemoryBytes`).
 */
export class MemstoreInputError extends MemstoreError {
  readonly path: string;
  constructor(message: string, path: string) {
    super('INPUT', message);
    this.path = path;
  }
}

/**
 * Input nested deeper than MAX_DEPTH levels (code 'DEPTH'). It is a MemstoreParseError too, so
 * that every rejection of JSON text is one (`instanceof MemstoreParseError`, with the offset,
 * line and column of the first level too deep); from fromRecords those three are undefined.
 */
export class MemstoreDepthError extends MemstoreParseError {
  readonly path: string;
  constructor(message: string, path: string, position: { offset?: number; line?: number; column?: number } = {}) {
    super(message, position);
    // The parse error's code is 'PARSE'; this subclass keeps its own stable code.
    (this as { code: MemstoreErrorCode }).code = 'DEPTH';
    this.path = path;
  }
}

/** The store would pass its memory cap (4 GiB, the WebAssembly ceiling, unless set lower). */
export class MemstoreCapacityError extends MemstoreError {
  readonly requestedBytes: number | undefined;
  readonly limitBytes: number;
  constructor(message: string, limitBytes: number, requestedBytes?: number) {
    super('CAPACITY', message);
    this.limitBytes = limitBytes;
    this.requestedBytes = requestedBytes;
  }
}

/** The store was disposed; neither it nor its views can be used any more. */
export class MemstoreDisposedError extends MemstoreError {
  constructor(what = 'store') {
    super(
      'DISPOSED',
      what === 'store'
        ? 'This memstore store was disposed; load the data again to use it.'
        : `This memstore ${what} belongs to a store that was disposed; load the data again to use it.`,
    );
  }
}

/** Where a load's JSON Pointer stopped matching (MemstorePathError of `options.pointer`). */
export interface PointerMissDetails {
  /** The pointer as given. */
  readonly pointer: string;
  /** Its deepest part that names a value of the document ('' for the whole document). */
  readonly matched: string;
  /** What `matched` names: 'object', 'array' or 'scalar'. */
  readonly found: 'object' | 'array' | 'scalar';
  /** The first keys of that object (at most 16); empty for arrays and scalars; undefined for a key the object holds twice. */
  readonly available: readonly string[] | undefined;
  /** Its keys or elements in all, as far as the walk read them (0 for a scalar); undefined for a key the object holds twice. */
  readonly availableCount: number | undefined;
}

/**
 * A path that names no field of the store's schema (`suggestions` lists the closest paths), or
 * a load's JSON Pointer that names no array or object of records in the document: then `path`
 * is the pointer, `suggestions` the keys that exist where it stopped, and `pointer`,
 * `matched`, `found`, `available`, `availableCount` say where that is.
 */
export class MemstorePathError extends MemstoreError {
  readonly path: string;
  readonly suggestions: readonly string[];
  readonly pointer: string | undefined;
  readonly matched: string | undefined;
  readonly found: PointerMissDetails['found'] | undefined;
  readonly available: readonly string[] | undefined;
  readonly availableCount: number | undefined;
  constructor(message: string, path: string, suggestions: readonly string[] = [], miss?: PointerMissDetails) {
    super('PATH', message);
    this.path = path;
    this.suggestions = suggestions;
    this.pointer = miss?.pointer;
    this.matched = miss?.matched;
    this.found = miss?.found;
    this.available = miss?.available;
    this.availableCount = miss?.availableCount;
  }
}

/** A feature this platform lacks (e.g. `Store.fromFile` in a browser). */
export class MemstoreUnsupportedError extends MemstoreError {
  constructor(message: string) {
    super('UNSUPPORTED', message);
  }
}

/** A query that cannot run as asked: an operator on a column of the wrong type, a list path without any(). */
export class MemstoreQueryError extends MemstoreError {
  readonly path: string;
  constructor(message: string, path: string) {
    super('QUERY', message);
    this.path = path;
  }
}

/**
 * A load or append stopped by its AbortSignal (code 'ABORTED'): before it started, while it
 * waited for a chunk, or between chunks. `cause` is the signal's reason. An aborted append
 * leaves the store as it was.
 */
export class MemstoreAbortedError extends MemstoreError {
  constructor(reason: unknown) {
    const why = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason);
    super('ABORTED', why === '' ? 'The load was aborted.' : `The load was aborted: ${why}`, { cause: reason });
  }
}

/**
 * A file or bytes that are not what their format says (a saved store, Arrow IPC, Parquet), or
 * that are corrupt: a wrong magic or version, a truncation, a failed checksum, an offset or
 * length outside its block, a code beyond its dictionary, invalid text (code 'FORMAT').
 * `format` names the format read; `offset` is the byte of the input where the fault was found,
 * when one byte can be named.
 */
export class MemstoreFormatError extends MemstoreError {
  readonly format: string;
  readonly offset: number | undefined;
  constructor(format: string, message: string, offset?: number, options?: { cause?: unknown }) {
    super('FORMAT', message, options);
    this.format = format;
    this.offset = offset;
  }
}
