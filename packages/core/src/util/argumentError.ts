// A wrong argument to a public entry (a non-array to fromRecords, format: 'xml', a negative
// maxMemoryBytes): a MemstoreInputError whose path is the argument's name and whose message
// says what the argument takes and what it got. A plain TypeError could only be told apart
// from memstore's own failures by its message.
import { MemstoreInputError } from '../errors';

/**
 * `argument` must be `takes`: "options.format must be 'json', 'ndjson' or 'jsonl', got \"xml\"."
 * `method` prefixes the message where the argument's name alone would not say whose it is.
 */
export function argumentError(argument: string, takes: string, value: unknown, method?: string): MemstoreInputError {
  const prefix = method === undefined ? '' : `${method}: `;
  return new MemstoreInputError(`${prefix}${argument} must be ${takes}, got ${describeArgument(value)}.`, argument);
}

/** A value as an error message shows it: -1, "xml", null, a function, a Map, an array of 3. */
export function describeArgument(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return 'a function';
    case 'symbol':
      return value.toString();
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of ${value.length}`;
      return aName(Object.getPrototypeOf(value)?.constructor?.name ?? 'object');
    default:
      return String(value);
  }
}

function aName(name: string): string {
  if (name === 'Object') name = 'object';
  return /^[aeioAEIO]/.test(name) ? `an ${name}` : `a ${name}`; // a Uint8Array, an ArrayBuffer
}

/** An options argument: an object or undefined (then `{}`). */
export function optionsObject<T extends object>(options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw argumentError('options', 'an object', options);
  return options;
}
