// The path grammar: one spelling for every API that takes a path (get, values, column, where,
// aggregates, groupBy, orderBy, select) and every place that prints one (store.schema,
// formatSchema, error suggestions). Parsed once into steps, printed back from steps.
//
//   product.name        a field of a struct; on a map, the value at that key
//   tags[]              each element of a list
//   coordinates[2]      element 2 of a list (a bare number after a list, `coordinates.2`, too)
//   scores{}            each value of a map
//   scores{key}         each key of a map
//   ["a.b"].c           a key holding '.', '[', '{', quotes or blanks: JSON-quoted in brackets
//
// The array form (['a.b', 'c']) takes keys exactly, numbers as list indices, and the step
// symbols EACH / VALUES / KEYS for `[]`, `{}` and `{key}`.
import { MemstorePathError } from './errors';
import { argumentError } from './util/argumentError';

/** `[]` in the array form: each element of a list. */
export const EACH: unique symbol = Symbol.for('memstore.path[]');
/** `{}` in the array form: each value of a map. */
export const VALUES: unique symbol = Symbol.for('memstore.path{}');
/** `{key}` in the array form: each key of a map. */
export const KEYS: unique symbol = Symbol.for('memstore.path{key}');

/** One step of a parsed path: a key (a number indexes a list), or one of EACH / VALUES / KEYS. */
export type PathStep = string | number | typeof EACH | typeof VALUES | typeof KEYS;

/** A path string in the grammar above, or an array of steps. */
export type Path = string | readonly PathStep[];


export function parsePath(path: Path): readonly PathStep[] {
  if (typeof path !== 'string') {
    if (!Array.isArray(path)) throw argumentError('path', "a string ('a.b') or an array of keys (['a', 'b'])", path);
    return path;
  }
  // No cache of parsed strings: a key may be a slice of a large text (V8 keeps the whole text
  // alive through it), and queries keep their resolved targets per path already (context.ts).
  // A plain dotted path splits on '.', as every path was read before the grammar had brackets.
  if (path === '') return [];
  // One scan decides: a single key (most paths) is returned as it is, dotted keys are split, and
  // only brackets take the grammar's parser. Two indexOf calls and a split cost store.values(path)
  // two thirds of its time.
  let dots = false;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 46) dots = true;
    else if (c === 91 || c === 123) return parseBrackets(path);
  }
  return dots ? path.split('.') : [path];
}

function parseBrackets(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  const fail = (expected: string): never => {
    throw new MemstorePathError(`Cannot read the path ${JSON.stringify(path)}: at character ${i + 1}, expected ${expected}.`, path);
  };
  // A leading name is optional: a path may start with a bracket ('["a.b"].c', '[0]').
  let name = path[0] !== '[' && path[0] !== '{';
  for (;;) {
    if (name) {
      const start = i;
      while (i < path.length && path[i] !== '.' && path[i] !== '[' && path[i] !== '{') i++;
      steps.push(path.slice(start, i));
    }
    while (path[i] === '[' || path[i] === '{') {
      if (path[i] === '{') {
        const brace = path.startsWith('{}', i) ? VALUES : path.startsWith('{key}', i) ? KEYS : fail("'{}' (each value of a map) or '{key}' (each key)");
        steps.push(brace);
        i += brace === VALUES ? 2 : 5;
        continue;
      }
      i++;
      if (path[i] === ']') {
        steps.push(EACH);
        i++;
      } else if (path[i] === '"') {
        const end = closingQuote(path, i);
        if (end < 0 || path[end + 1] !== ']') fail('a JSON string then \']\'');
        let key: unknown;
        try {
          key = JSON.parse(path.slice(i, end + 1));
        } catch {
          fail('a JSON string (its escapes as JSON writes them)');
        }
        steps.push(key as string);
        i = end + 2;
      } else {
        const start = i;
        while (path[i] >= '0' && path[i] <= '9') i++;
        if (i === start || path[i] !== ']' || (path[start] === '0' && i - start > 1)) fail("']', a list index or a quoted key");
        steps.push(Number(path.slice(start, i)));
        i++;
      }
    }
    if (i >= path.length) return steps;
    if (path[i] !== '.') fail("'.', '[' or '{'");
    i++;
    name = true;
    if (path[i] === '[' || path[i] === '{') fail('a key after \'.\'');
  }
}

/** Index of the quote closing the JSON string opening at `open`, or -1. */
function closingQuote(path: string, open: number): number {
  for (let i = open + 1; i < path.length; i++) {
    if (path[i] === '\\') i++;
    else if (path[i] === '"') return i;
  }
  return -1;
}

/**
 * Keys printed bare: no character the grammar reads, no blank (`["a b"]` is easier to see). A
 * loop, not a RegExp: V8 keeps the last subject a RegExp matched alive (RegExp.lastMatch), and
 * node paths are printed for every field of a schema.
 */
function isBare(key: string): boolean {
  if (key === '') return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    // '.', '[', ']', '{', '}', '"', '\\', and blanks (ASCII and Unicode white space).
    if (c === 46 || c === 91 || c === 93 || c === 123 || c === 125 || c === 34 || c === 92 || c <= 32) return false;
    if (c >= 0x80 && /\s/.test(key[i])) return false;
  }
  return true;
}

/** The canonical string of `steps`; parsePath reads it back to the same steps. */
export function printPath(steps: readonly PathStep[]): string {
  let text = '';
  for (const step of steps) text = appendStep(text, step);
  return text;
}

/** `parent` followed by one step, as printPath writes it. */
export function appendStep(parent: string, step: PathStep): string {
  if (step === EACH) return `${parent}[]`;
  if (step === VALUES) return `${parent}{}`;
  if (step === KEYS) return `${parent}{key}`;
  if (typeof step === 'number') return `${parent}[${step}]`;
  if (isBare(step)) return parent === '' ? step : `${parent}.${step}`;
  return `${parent}[${JSON.stringify(step)}]`;
}

/** A numeric step: a number, or a string of decimal digits (as `a.2` parses), else NaN. */
export function indexOf(step: PathStep): number {
  if (typeof step === 'number') return Number.isInteger(step) && step >= 0 ? step : NaN;
  return typeof step === 'string' && /^(0|[1-9][0-9]*)$/.test(step) ? Number(step) : NaN;
}
