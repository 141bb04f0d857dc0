// Feeds JSON / NDJSON bytes to the WASM parser (assembly/parse/) chunk by chunk and
// handles what it hands back: rebuilds of fields whose kind changed, skipped lines, errors,
// progress and cancellation. No JS string of the input and no JS objects of the records are made.
import type { Engine } from '../engine';
import { MemstoreAbortedError, MemstoreDepthError, type MemstoreError, MemstoreInputError, MemstoreParseError, MemstorePathError } from '../errors';
import { MAX_DEPTH } from '../schema/observe';
import { rebuildAsMixed, reviewStruct } from '../schema/rebuild';
import { FeedResult, Limit, NodeField, NodeKind, ParseFormat, PARSE_ERRORS, ParseError, ParseStatus, PointerMiss, type PointerValue } from '../wasm/abi';
import { decodeWtf8, encodeWtf8Into } from '../util/wtf8';
import { describeArgument } from '../util/argumentError';
import type { CheckedOptions } from './options';

/**
 * Bytes handed to the parser per call: large enough to amortise the call, small enough for
 * progress. Small inputs use smaller slices: the input buffer's size stays in the WASM memory
 * until the store is compacted (WASM memory never shrinks), so a 1 MiB buffer would dwarf a
 * small store. A string's slices are encoded in JS first, so the buffer holds their bytes only.
 */
export function sliceBytesFor(totalBytes: number | undefined): number {
  if (totalBytes === undefined) return MAX_SLICE_BYTES;
  return Math.min(MAX_SLICE_BYTES, Math.max(64 << 10, 2 ** Math.ceil(Math.log2(Math.max(1, totalBytes / 32)))));
}

/** 512 KiB: per-call cost is already negligible (about 300 calls for 165 MB), and the input buffer is a hole in WASM memory after the load. */
const MAX_SLICE_BYTES = 512 << 10;
/** Input stored before the record count is estimated from it (see sizeColumns). */
const SIZE_AFTER_BYTES = 4 << 20;
/**
 * …and after this many records: an estimate from a handful of records is noise, and its slack
 * (64 rows) was reserved in every column (2 records of 100,000 keys: 66 rows each, 17 MB for 1.6 MB of rows).
 */
const SIZE_AFTER_RECORDS = 256;

export type InputFormat = 'json' | 'ndjson' | 'jsonl';

export interface SkippedRecord {
  /** 1-based line of the bad record. */
  line: number;
  /** Byte offset of the error in the input. */
  offset: number;
  reason: string;
}

export interface Progress {
  /** Bytes of the input read so far. */
  bytesRead: number;
  /** The input's size when known (files, strings, byte arrays). */
  totalBytes: number | undefined;
  /** Records stored so far by this call. */
  records: number;
}

export interface ParseOptions {
  /** 'json' (an array of records, or one value) or 'ndjson' / 'jsonl' (one record per line). */
  format?: InputFormat;
  /** NDJSON only: 'skip' stores every good line and reports the bad ones instead of throwing. */
  onError?: 'throw' | 'skip';
  /** Called for each line skipped under onError: 'skip'. */
  onSkip?: (skipped: SkippedRecord) => void;
  onProgress?: (progress: Progress) => void;
  /** Cancels the load; the store is left as it was before the call. */
  signal?: AbortSignal;
  /**
   * JSON only: a JSON Pointer (RFC 6901) to the records inside one document: an array (its
   * elements, e.g. '/features') or an object (its values in document order, e.g. '/projects');
   * '' names the whole document. Everything around it is validated and skipped. A pointer that
   * names nothing, or a scalar, is a MemstorePathError naming what exists where it stopped.
   */
  pointer?: string;
  /**
   * With a pointer naming an object: each record's key goes into the record as a string field
   * of this name (`keyAs: 'name'`); store.schema marks that field `fromKey`. A record that
   * already has such a field, or is not an object, is a MemstoreInputError of options.keyAs.
   */
  keyAs?: string;
}

export type Chunk = Uint8Array | string;

/** One parse of one input into an engine's schema. */
export class Ingest {
  readonly skipped: SkippedRecord[] = [];
  private bytesRead = 0;
  private sized = false;
  private readonly rowsBefore: number;
  /** A whole string input: its length and the characters fed so far, which estimate its bytes (expectedBytes). */
  private textLength: number | undefined;
  private charsRead = 0;
  /** A string slice's WTF-8, encoded here before it is copied into the parser's input buffer. */
  private encoded: Uint8Array | null = null;

  /**
   * `totalBytes`: the input's size when known (bytes in memory, files), for progress and for
   * sizing the columns. `fromString`: the input is one JS string (WTF-8; a leading U+FEFF is a
   * character, as JSON.parse reads it, not a byte order mark).
   */
  constructor(
    private readonly engine: Engine,
    private readonly options: CheckedOptions,
    private readonly totalBytes: number | undefined,
    fromString: boolean,
  ) {
    const wasm = engine.exports;
    if (!wasm.parseBegin(options.format === 'json' ? ParseFormat.Json : ParseFormat.Ndjson, options.skip ? 1 : 0, fromString ? 1 : 0)) {
      throw engine.capacityError('starting to parse');
    }
    this.rowsBefore = parseStatus(engine).committedRows;
    if (options.pointer !== null) this.setPointer(options.pointer);
    if (options.keyAs !== null) wasm.parseKeyAs(engine.intern(options.keyAs));
  }

  private setPointer(tokens: readonly string[]): void {
    const engine = this.engine;
    const ids = tokens.map((token) => engine.intern(token));
    const indices = tokens.map((token) => (/^(0|[1-9][0-9]*)$/.test(token) && Number(token) < 0xffffffff ? Number(token) : 0xffffffff));
    const wasm = engine.exports;
    const at = wasm.scratch(tokens.length * 8) >>> 0;
    if (at === 0) throw engine.capacityError('storing the JSON Pointer');
    engine.u32.set(ids, at >>> 2);
    engine.u32.set(indices, (at >>> 2) + tokens.length);
    wasm.parsePointer(tokens.length, at, at + tokens.length * 4);
  }

  /** Records stored by this ingest so far. */
  get records(): number {
    return parseStatus(this.engine).committedRows - this.rowsBefore;
  }

  /**
   * Parses every chunk of `source`, then finishes. The signal is obeyed while waiting for a
   * chunk too (a stalled network stream): the wait is abandoned and the source cancelled.
   */
  async run(source: AsyncIterable<Chunk> | Iterable<Chunk>, argument: string): Promise<void> {
    this.checkAborted();
    const iterator: AsyncIterator<Chunk> | Iterator<Chunk> =
      Symbol.asyncIterator in source ? (source as AsyncIterable<Chunk>)[Symbol.asyncIterator]() : (source as Iterable<Chunk>)[Symbol.iterator]();
    const signal = this.options.signal;
    let stopWaiting: (() => void) | undefined;
    const aborted =
      signal === undefined
        ? undefined
        : new Promise<never>((_, reject) => {
            stopWaiting = () => reject(new MemstoreAbortedError(signal.reason));
            signal.addEventListener('abort', stopWaiting, { once: true });
          });
    aborted?.catch(() => undefined);
    let finished = false;
    // A string chunk's trailing high surrogate waits for the next chunk: a pair split across
    // string chunks was encoded as two lone surrogates (and rejected as such).
    let carry = '';
    /** Chunks received, to name a bad one. */
    let chunks = 0;
    try {
      while (true) {
        const next = iterator.next();
        let step: IteratorResult<Chunk>;
        if (aborted === undefined) step = await next;
        else {
          // A wait given up on may still fail later (a destroyed Node stream's premature close).
          Promise.resolve(next).catch(() => undefined);
          step = await Promise.race([next, aborted]);
        }
        if (step.done) {
          finished = true;
          break;
        }
        this.checkAborted();
        const chunk = step.value;
        chunks++;
        if (typeof chunk === 'string') {
          let text = carry + chunk;
          carry = '';
          if (text.length > 0 && (text.charCodeAt(text.length - 1) & 0xfc00) === 0xd800) {
            carry = text.slice(-1);
            text = text.slice(0, -1);
          }
          this.feedStringChunk(text);
        } else if (ArrayBuffer.isView(chunk) && (chunk as Uint8Array).BYTES_PER_ELEMENT === 1) {
          if (carry !== '') this.feedStringChunk(carry);
          carry = '';
          this.engine.exports.parseAcceptSurrogates(0);
          this.feedBytes(chunk as Uint8Array, false, sliceBytesFor(this.totalBytes));
        } else throw new MemstoreInputError(`${argument} must yield chunks of JSON text (Uint8Array, or string); chunk ${chunks} is ${describeArgument(chunk)}.`, argument);
        this.reportProgress();
        this.checkAborted();
      }
    } catch (error) {
      if (!finished) closeSource(source, iterator, signal?.aborted === true);
      throw error;
    } finally {
      if (stopWaiting !== undefined) signal!.removeEventListener('abort', stopWaiting);
    }
    if (carry !== '') this.feedStringChunk(carry);
    this.checkAborted();
    this.finish();
  }

  /** A string chunk of a stream: WTF-8, whose lone surrogates JSON.parse would keep. */
  private feedStringChunk(text: string): void {
    this.engine.exports.parseAcceptSurrogates(1);
    this.feedString(text, false);
  }

  /** Parses a whole input held in memory (the signal is checked between slices). */
  runWhole(input: Uint8Array | string): void {
    this.checkAborted();
    if (typeof input === 'string') {
      this.textLength = input.length;
      this.feedString(input, true);
    } else this.feedBytes(input, true, sliceBytesFor(input.length));
    this.reportProgress();
    this.checkAborted();
  }

  private finish(): void {
    const wasm = this.engine.exports;
    wasm.parseInput(0);
    this.settle(wasm.parseFeed(0, 1), true);
  }

  /** Feeds `bytes` in slices of at most `sliceBytes`; `last`: the input ends with them. */
  private feedBytes(bytes: Uint8Array, last: boolean, sliceBytes: number): void {
    for (let start = 0; start < bytes.length || (last && start === 0); start += sliceBytes) {
      const slice = bytes.subarray(start, Math.min(bytes.length, start + sliceBytes));
      const final = last && start + sliceBytes >= bytes.length;
      this.feedSlice(slice, final);
      if (slice.length === 0) break;
    }
  }

  /** One slice into the parser's input buffer (exactly its bytes), parsed as far as it goes. */
  private feedSlice(slice: Uint8Array, final: boolean): void {
    const wasm = this.engine.exports;
    const at = wasm.parseInput(slice.length) >>> 0;
    if (at === 0) throw this.engine.capacityError('buffering input', slice.length);
    this.engine.u8.set(slice, at);
    this.bytesRead += slice.length;
    this.settle(wasm.parseFeed(slice.length, final ? 1 : 0), final);
    if (!final) {
      this.reportProgress();
      this.checkAborted();
    }
  }

  /**
   * Feeds a string: slices of as many characters as a slice has bytes (never splitting a
   * surrogate pair: the halves would become U+FFFD), each encoded to WTF-8 in JS and fed as
   * bytes. Encoding straight into the parser's buffer needed room for 3 bytes per character,
   * two thirds of it a hole in WASM memory for ASCII text.
   */
  private feedString(text: string, last: boolean): void {
    const sliceBytes = sliceBytesFor(last ? text.length : undefined);
    if (this.encoded === null || this.encoded.length < sliceBytes * 3) this.encoded = new Uint8Array(sliceBytes * 3);
    const encoded = this.encoded;
    for (let start = 0; start < text.length || (last && start === 0); ) {
      let stop = Math.min(text.length, start + sliceBytes);
      if (stop < text.length && (text.charCodeAt(stop - 1) & 0xfc00) === 0xd800) stop--;
      const written = encodeWtf8Into(text.slice(start, stop), encoded, 0);
      this.charsRead += stop - start;
      this.feedBytes(encoded.subarray(0, written), last && stop >= text.length, sliceBytes);
      if (stop === start) break;
      start = stop;
    }
  }

  /** Acts on a parse result until the parser needs more input or is done. */
  private settle(result: FeedResult, last: boolean): void {
    const wasm = this.engine.exports;
    while (true) {
      switch (result) {
        case FeedResult.NeedInput:
          if (last) throw this.parseError(); // the parser always finishes on the last bytes
          return;
        case FeedResult.Done:
          return;
        case FeedResult.Rebuild: {
          const handle = parseStatus(this.engine).rebuildNode;
          const fields = this.engine.nodeField(handle, NodeField.FieldCount);
          if (this.engine.nodeField(handle, NodeField.Kind) === NodeKind.Struct && fields >= this.engine.nodeField(handle, NodeField.ReviewAt)) {
            // Records that get their key as a field are rows of a struct, whatever their keys look like.
            const keepStruct = this.options.keyAs !== null && handle === wasm.schemaRoot() >>> 0;
            reviewStruct(this.engine, handle, fields, keepStruct);
          } else rebuildAsMixed(this.engine, handle);
          break;
        }
        case FeedResult.RecordSkipped: {
          const status = parseStatus(this.engine);
          const skipped = { line: status.errorLine, offset: status.errorOffset, reason: PARSE_ERRORS[status.errorCode] ?? 'malformed JSON' };
          this.engine.forgetUndoneStrings(); // the line's strings were taken back with it
          this.skipped.push(skipped);
          this.options.onSkip?.(skipped);
          break;
        }
        default:
          throw this.parseError();
      }
      result = wasm.parseFeed(0, last ? 1 : 0);
    }
  }

  private parseError(): MemstoreError {
    const engine = this.engine;
    const status = parseStatus(engine);
    const code = status.errorCode;
    if (code === ParseError.OutOfMemory) return engine.capacityError('parsing');
    if (code === ParseError.PointerNotFound || code === ParseError.PointerNotRecords || code === ParseError.PointerDuplicate) return this.pointerError(code);
    const pointer = status.errorPointer;
    const from = Math.max(status.bufferStart, pointer - 20);
    const to = Math.min(status.bufferEnd, pointer + 20);
    const snippet = new TextDecoder().decode(engine.u8.subarray(from, to)).replace(/\s+/g, ' ');
    const { errorOffset: offset, errorLine: line, errorColumn: column } = status;
    let reason = PARSE_ERRORS[code] ?? 'malformed JSON';
    const end = status.bufferEnd;
    const bytes = engine.u8;
    if (code === ParseError.UnexpectedCharacter && pointer + 2 < end && bytes[pointer] === 0xef && bytes[pointer + 1] === 0xbb && bytes[pointer + 2] === 0xbf) {
      // U+FEFF where a value or a token must be (a pointer's walk reports it as naming nothing):
      // JSON.parse rejects it there; only bytes may start with one, and then it is skipped.
      reason = `${PARSE_ERRORS[ParseError.UnexpectedCharacter]} U+FEFF (a byte order mark: skipped at the start of bytes, an error in a string, as JSON.parse has it)`;
    } else if (code === ParseError.UnexpectedCharacter && pointer < end) {
      const byte = bytes[pointer];
      reason += byte < 0x80 ? ` ${JSON.stringify(String.fromCharCode(byte))}` : ` (byte 0x${byte.toString(16)})`;
    }
    const where = `at byte ${offset} (line ${line}, column ${column})`;
    if (code === ParseError.KeyAsTaken || code === ParseError.KeyAsNotObject || code === ParseError.KeyAsNoKeys) {
      // Valid JSON that does not fit the option: named as the option's error, with the place.
      const keyAs = JSON.stringify(this.options.keyAs);
      const message =
        code === ParseError.KeyAsTaken ? `Cannot store the record ${where}: it has a field ${keyAs} of its own, and options.keyAs puts each record's key in ${keyAs}; choose another name`
        : code === ParseError.KeyAsNotObject ? `Cannot store the record ${where}: it is not an object, so options.keyAs has no field to put its key in`
        : `options.keyAs: the JSON Pointer ${JSON.stringify(this.options.pointerText)} names an array (${where}), whose elements have no keys`;
      return new MemstoreInputError(`${message}.`, 'options.keyAs');
    }
    if (code === ParseError.TooDeep) {
      // Too deep is MemstoreDepthError whichever way records come in (fromRecords throws it
      // too; MAX_DEPTH's contract). The parser knows no keys: the path names the record.
      // It carries the position: from text it is a MemstoreParseError as well (its subclass),
      // as the streaming parser's contract has every rejected input be one.
      const path = `records[${this.records}]`;
      return new MemstoreDepthError(`Cannot store ${path} (${where}): nesting deeper than ${MAX_DEPTH} levels is not supported.`, path, { offset, line, column });
    }
    return new MemstoreParseError(
      `Invalid JSON ${where}: ${reason}, near ${JSON.stringify(snippet)}.`,
      { offset, line, column },
    );
  }

  /**
   * The pointer stopped matching (PointerNotFound), names a scalar (PointerNotRecords) or
   * passes a key its object holds twice (PointerDuplicate: RFC 6901 leaves it undefined): a
   * MemstorePathError naming the pointer, its deepest part that matched, and what is there
   * (the keys the walk saw, from assembly/parse/pointer.ts's PointerMiss block).
   */
  private pointerError(code: ParseError): MemstorePathError {
    const engine = this.engine;
    const wasm = engine.exports;
    const block = wasm.parsePointerMiss() >>> 0;
    const word = (field: PointerMiss) => engine.u32[(block + field) >>> 2];
    const level = word(PointerMiss.Level);
    const found = (['object', 'array', 'scalar'] as const)[word(PointerMiss.Found) as PointerValue];
    const count = word(PointerMiss.Members);
    const keys: string[] = [];
    for (let i = 0; i < word(PointerMiss.Sampled); i++) {
      const slot = block + PointerMiss.Keys + i * PointerMiss.Slot;
      const length = engine.u32[slot >>> 2];
      const text = decodeWtf8(engine.u8.subarray(slot + 4, slot + 4 + Math.min(length, Limit.PointerKeyBytes)));
      keys.push(length > Limit.PointerKeyBytes ? `${text}…` : text);
    }
    const pointer = this.options.pointerText;
    const tokens = this.options.pointer ?? [];
    // The pointer's own spelling of the part that matched (its escapes kept).
    const matched = pointer.split('/').slice(0, level + 1).join('/');
    const place = matched === '' ? 'the document' : JSON.stringify(matched);
    let what: string;
    if (code === ParseError.PointerDuplicate) {
      const status = parseStatus(engine);
      const where = `at byte ${status.errorOffset} (line ${status.errorLine}, column ${status.errorColumn})`;
      const message = `options.pointer ${JSON.stringify(pointer)} names no one value: ${place} holds the key ${JSON.stringify(tokens[level])} twice (again ${where}), and RFC 6901 leaves such a pointer undefined (JSON.parse would keep the last).`;
      return new MemstorePathError(message, pointer, [], { pointer, matched, found: 'object', available: undefined, availableCount: undefined });
    }
    if (found === 'scalar') {
      what = `${place} is ${scalarName(engine.u8[parseStatus(engine).errorPointer])}`;
      what += code === ParseError.PointerNotRecords ? ', not an array or an object of records' : `, which has no member ${JSON.stringify(tokens[level])}`;
    } else if (found === 'array') {
      what = `${place} is an array of ${count} element${count === 1 ? '' : 's'}, and ${JSON.stringify(tokens[level])} is not an index below ${count}`;
    } else {
      const shown = keys.map((key) => JSON.stringify(key)).join(', ');
      const more = count > keys.length ? ` and ${count - keys.length} more` : '';
      what = `${place} is an object of ${count} key${count === 1 ? '' : 's'} without ${JSON.stringify(tokens[level])}${count > 0 ? ` (its keys: ${shown}${more})` : ''}`;
    }
    const message = `options.pointer ${JSON.stringify(pointer)} ${code === ParseError.PointerNotRecords ? 'names no records' : 'names nothing in the document'}: ${what}.`;
    return new MemstorePathError(message, pointer, keys, { pointer, matched, found, available: keys, availableCount: count });
  }

  /**
   * Once a few MiB of an input of known size are stored, estimates its record count and sizes
   * every column for it in one step: memory then matches the data instead of carrying the
   * headroom of repeated growth by half.
   */
  private sizeColumns(): void {
    const totalBytes = this.expectedBytes();
    if (this.sized || totalBytes === undefined) return;
    const wasm = this.engine.exports;
    const bytesDone = parseStatus(this.engine).bytesDone;
    if (bytesDone < Math.min(SIZE_AFTER_BYTES, totalBytes / 8) || this.records < SIZE_AFTER_RECORDS) return;
    this.sized = true;
    const expected = this.rowsBefore + Math.ceil((this.records * totalBytes) / bytesDone * 1.01) + 64;
    if (expected < 0xffffffff) wasm.schemaReserveRows(expected);
  }

  /** The input's size in bytes: known for bytes and files; a whole string's, at the bytes per character fed so far. */
  private expectedBytes(): number | undefined {
    if (this.totalBytes !== undefined || this.textLength === undefined || this.charsRead === 0) return this.totalBytes;
    return (this.textLength * this.bytesRead) / this.charsRead;
  }

  private reportProgress(): void {
    this.sizeColumns();
    this.options.onProgress?.({ bytesRead: this.bytesRead, totalBytes: this.totalBytes, records: this.records });
  }

  private checkAborted(): void {
    const signal = this.options.signal;
    if (signal?.aborted) throw new MemstoreAbortedError(signal.reason);
  }
}

/** The parser's status (assembly/parse/document.ts parseStatus: a ParseStatus record), read out. */
function parseStatus(engine: Engine) {
  const at = engine.exports.parseStatus() >>> 0;
  const word = (field: ParseStatus) => engine.u32[(at + field) >>> 2];
  const double = (field: ParseStatus) => new Float64Array(engine.memoryBuffer, at + field, 1)[0];
  return {
    committedRows: word(ParseStatus.CommittedRows), rebuildNode: word(ParseStatus.RebuildNode), errorCode: word(ParseStatus.ErrorCode) as ParseError,
    errorLine: word(ParseStatus.ErrorLine), errorColumn: word(ParseStatus.ErrorColumn), errorPointer: word(ParseStatus.ErrorPointer),
    bufferStart: word(ParseStatus.BufferStart), bufferEnd: word(ParseStatus.BufferEnd), bytesDone: double(ParseStatus.BytesDone), errorOffset: double(ParseStatus.ErrorOffset),
  };
}

/** A JSON scalar as a message names it, from its first byte. */
function scalarName(firstByte: number): string {
  if (firstByte === 0x22) return 'a string';
  if (firstByte === 0x74 || firstByte === 0x66) return 'a boolean';
  if (firstByte === 0x6e) return 'null';
  return 'a number';
}

/**
 * Stops a source the load gives up on. After an abort its iterator may be waiting for a chunk
 * that never comes: an async generator's return() would queue behind that wait, so a Node
 * Readable is destroyed and a web stream's reader cancelled (see source.ts) without waiting.
 */
function closeSource(source: AsyncIterable<Chunk> | Iterable<Chunk>, iterator: AsyncIterator<Chunk> | Iterator<Chunk>, abort: boolean): void {
  const destroy = (source as { destroy?: unknown }).destroy;
  if (abort && typeof destroy === 'function') {
    destroy.call(source);
    return;
  }
  try {
    const result = iterator.return?.();
    if (result !== undefined && typeof (result as Promise<unknown>).catch === 'function') (result as Promise<unknown>).catch(() => undefined);
  } catch {
    // A source that fails to close has nothing more to give.
  }
}
