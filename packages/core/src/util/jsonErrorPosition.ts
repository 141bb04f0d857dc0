// Where is JSON text malformed? JSON.parse's messages in V8 name a position only sometimes,
// so on failure (only then) this scanner finds the first bad character. Iterative: no
// recursion, so any nesting depth is fine.
import { wtf8Length } from './wtf8';

export interface JsonErrorPosition {
  /** UTF-8 byte offset of the offending character (or of the end of input). */
  offset: number;
  /** 1-based line and column (column in characters). */
  line: number;
  column: number;
  reason: string;
  snippet: string;
}

const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const ARRAY = 1;
const OBJECT = 2;

export function locateJsonError(text: string): JsonErrorPosition | null {
  const found = scan(text);
  if (found === null) return null;
  const { index, reason } = found;
  const before = text.slice(0, index);
  const lastNewline = before.lastIndexOf('\n');
  const line = before.split('\n').length;
  const snippet = text.slice(Math.max(0, index - 20), index + 20).replace(/\s+/g, ' ');
  return { offset: wtf8Length(before), line, column: index - lastNewline, reason, snippet };
}

function scan(text: string): { index: number; reason: string } | null {
  const length = text.length;
  const stack: number[] = [];
  let i = 0;
  let expectValue = true;
  const fail = (reason: string) => ({ index: i, reason });
  const skipWhitespace = () => {
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const scanString = (): { index: number; reason: string } | null => {
    i++;
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return fail('control character in a string (escape it)');
      if (c === 0x5c) {
        const escape = text[i + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('bad \\u escape: four hex digits expected');
          i += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) i += 2;
        else return fail('bad escape in a string');
      } else i++;
    }
    return fail('unterminated string');
  };
  const scanKey = (): { index: number; reason: string } | null => {
    skipWhitespace();
    if (text[i] !== '"') return fail('expected a string key');
    const bad = scanString();
    if (bad) return bad;
    skipWhitespace();
    if (text[i] !== ':') return fail('expected ":" after an object key');
    i++;
    return null;
  };
  while (true) {
    skipWhitespace();
    if (expectValue) {
      if (i >= length) return fail('unexpected end of input: a value was expected');
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        skipWhitespace();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i++;
          expectValue = false;
          continue;
        }
        stack.push(c === '{' ? OBJECT : ARRAY);
        if (c === '{') {
          const bad = scanKey();
          if (bad) return bad;
        }
        continue;
      }
      if (c === '"') {
        const bad = scanString();
        if (bad) return bad;
      } else if (text.startsWith('true', i)) i += 4;
      else if (text.startsWith('false', i)) i += 5;
      else if (text.startsWith('null', i)) i += 4;
      else if (c === '-' || (c >= '0' && c <= '9')) {
        NUMBER.lastIndex = i;
        const match = NUMBER.exec(text);
        if (match === null) return fail('bad number');
        i += match[0].length;
        if (/[0-9.eE+-]/.test(text[i] ?? '')) return fail('bad number');
      } else return fail(`unexpected character ${JSON.stringify(c)}`);
      expectValue = false;
      continue;
    }
    if (stack.length === 0) return i < length ? fail('unexpected data after the JSON value') : null;
    const inArray = stack[stack.length - 1] === ARRAY;
    if (i >= length) return fail(`unexpected end of input inside an ${inArray ? 'array' : 'object'}`);
    const c = text[i];
    if (c === ',') {
      i++;
      if (inArray) expectValue = true;
      else {
        const bad = scanKey();
        if (bad) return bad;
        expectValue = true;
      }
      continue;
    }
    if (c === (inArray ? ']' : '}')) {
      stack.pop();
      i++;
      continue;
    }
    return fail(inArray ? 'expected "," or "]" after an array element' : 'expected "," or "}" after an object value');
  }
}
