// The options of a load or append, checked once before any input is read: a wrong one is a
// MemstoreInputError naming it (options.format, options.signal…), never a TypeError thrown
// from deep inside a load (an onProgress that is not a function used to fail mid-load).
import { MemstoreInputError } from '../errors';
import { argumentError } from '../util/argumentError';
import { Limit } from '../wasm/abi';
import type { InputFormat, ParseOptions, Progress, SkippedRecord } from './parse';

/**
 * The formats of Store.fromFile: the parsed ones, and those read by readers of their own, not the
 * JSON parser: `'msx'` (a saved store, Store.load), `'arrow'` (Arrow IPC: `.arrow` files, `.arrows`
 * streams), `'parquet'`. Each of those names, for a JSON load given it, where it is read instead.
 */
export type FileFormat = InputFormat | 'msx' | 'arrow' | 'parquet';

/**
 * A file's format by its name's extension: .msx, .parquet, .arrow / .arrows, .ndjson / .jsonl,
 * else JSON. Store.fromFile reads by it; a browser page (the docs playground) calls it on a File's name.
 */
export function fileFormatOf(name: string): FileFormat {
  if (/\.msx$/i.test(name)) return 'msx';
  if (/\.parquet$/i.test(name)) return 'parquet';
  if (/\.arrows?$/i.test(name)) return 'arrow';
  return /\.(ndjson|jsonl)$/i.test(name) ? 'ndjson' : 'json';
}
const READ_ELSEWHERE: Readonly<Record<string, string>> = {
  msx: "a saved store's file, not JSON: read it with Store.fromFile, Store.load or Store.fromBytes",
  arrow: 'Arrow IPC, not JSON: read it with Store.fromFile or Store.fromArrowIPC',
  parquet: 'Parquet, not JSON: read it with Store.fromFile or Store.fromParquet',
};

/** ParseOptions as Ingest uses them: validated, defaults filled in, the pointer split into tokens. */
export interface CheckedOptions {
  readonly format: 'json' | 'ndjson';
  /** NDJSON: store every good line and report the bad ones. */
  readonly skip: boolean;
  /** The JSON Pointer's tokens (unescaped; [] for ''); null: no pointer, the records are the document's top level. */
  readonly pointer: readonly string[] | null;
  /** The pointer as given (for errors). */
  readonly pointerText: string;
  /** The field each record's key goes into (the pointer names an object); null: keys are not stored. */
  readonly keyAs: string | null;
  readonly onSkip: ((skipped: SkippedRecord) => void) | undefined;
  readonly onProgress: ((progress: Progress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  readonly totalBytes: number | undefined;
}

export function checkOptions(options: ParseOptions & { totalBytes?: number }): CheckedOptions {
  const format = options.format ?? 'json';
  if (Object.hasOwn(READ_ELSEWHERE, format)) throw new MemstoreInputError(`options.format '${format}' is ${READ_ELSEWHERE[format]}.`, 'options.format');
  if (format !== 'json' && format !== 'ndjson' && format !== 'jsonl') throw argumentError('options.format', "'json', 'ndjson' or 'jsonl'", format);
  const onError = options.onError ?? 'throw';
  if (onError !== 'throw' && onError !== 'skip') throw argumentError('options.onError', "'throw' or 'skip'", onError);
  if (onError === 'skip' && format === 'json') {
    throw new MemstoreInputError("options.onError: 'skip' applies to NDJSON input (format 'ndjson' or 'jsonl'), and the format is 'json'.", 'options.onError');
  }
  const { onSkip, onProgress, signal, totalBytes } = options;
  if (onSkip !== undefined && typeof onSkip !== 'function') throw argumentError('options.onSkip', 'a function', onSkip);
  if (onProgress !== undefined && typeof onProgress !== 'function') throw argumentError('options.onProgress', 'a function', onProgress);
  if (signal !== undefined && !isAbortSignal(signal)) throw argumentError('options.signal', 'an AbortSignal', signal);
  if (totalBytes !== undefined && !(Number.isInteger(totalBytes) && totalBytes >= 0)) {
    throw argumentError('options.totalBytes', 'the input size: an integer number of bytes, 0 or more', totalBytes);
  }
  const pointer = pointerTokens(options.pointer, format);
  const keyAs = options.keyAs ?? null;
  if (keyAs !== null && typeof keyAs !== 'string') throw argumentError('options.keyAs', 'the name of the field to hold each record\'s key (a string)', keyAs);
  if (keyAs !== null && pointer === null) {
    throw new MemstoreInputError("options.keyAs applies with options.pointer naming an object whose values are the records ('' for the whole document).", 'options.keyAs');
  }
  return {
    format: format === 'json' ? 'json' : 'ndjson',
    skip: onError === 'skip',
    pointer,
    pointerText: typeof options.pointer === 'string' ? options.pointer : '',
    keyAs,
    onSkip,
    onProgress,
    signal,
    totalBytes,
  };
}

function pointerTokens(pointer: unknown, format: string): readonly string[] | null {
  if (pointer === undefined) return null;
  if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/'))) throw argumentError('options.pointer', "a JSON Pointer: '' or a path starting with '/', like '/features'", pointer);
  if (format !== 'json') throw new MemstoreInputError(`options.pointer applies to JSON input (format 'json'), and the format is '${format}'.`, 'options.pointer');
  // '' names the whole document (RFC 6901): an array's elements, or an object's values, are the records.
  if (pointer === '') return [];
  const tokens = pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (tokens.length > Limit.PointerTokens) {
    throw new MemstoreInputError(`options.pointer has ${tokens.length} levels; JSON Pointers deeper than ${Limit.PointerTokens} levels are not supported.`, 'options.pointer');
  }
  return tokens;
}

/** An AbortSignal from any realm (or a polyfill): what Ingest uses of one. */
function isAbortSignal(value: unknown): value is AbortSignal {
  const signal = value as AbortSignal | null;
  return typeof signal === 'object' && signal !== null && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function';
}
