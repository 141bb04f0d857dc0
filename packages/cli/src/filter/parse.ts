// The filter grammar of `memstore query --where` (documented in the CLI's README):
//
//   expression  := or
//   or          := and ('or' and)*
//   and         := unary ('and' unary)*
//   unary       := 'not' unary | '(' expression ')' | test
//   test        := ['any'] path ('==' | '!=' | '<' | '<=' | '>' | '>=') operand
//                | ['any'] path 'in' '[' literal (',' literal)* ']'
//                | ['any'] path 'is' ['not'] ('null' | 'missing')
//                  ('any': a path inside a list matches a record where any element matches)
//   operand     := literal | path                 (a path compares two fields of one record)
//   literal     := "JSON string" | 'single-quoted string' | number | true | false | null
//   path        := the path grammar of @memstore/core: a.b, tags[], coordinates[2], m{}, ["a b"].c
//
// Keywords (and, or, not, any, in, is, null, missing, true, false) are case-insensitive. Every node keeps
// the column where its text starts, so an error can point at it.

export type Literal = string | number | boolean | null;
export type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode; column: number }
  | { kind: 'not'; inner: FilterNode; column: number }
  | { kind: 'compare'; path: string; any: boolean; op: Comparison; value: Literal | { path: string; column: number }; column: number; valueColumn: number }
  | { kind: 'in'; path: string; any: boolean; values: Literal[]; column: number }
  | { kind: 'is'; path: string; any: boolean; what: 'null' | 'missing'; negated: boolean; column: number };

/** A mistake in the expression, at a 1-based column. */
export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

type Token =
  | { type: 'path'; text: string; column: number }
  | { type: 'literal'; value: Literal; text: string; column: number }
  | { type: 'op'; text: string; column: number }
  | { type: 'end'; text: string; column: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'any', 'in', 'is', 'null', 'missing', 'true', 'false']);
const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ','];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const column = i + 1;
    if (c === '"' || c === "'") {
      const end = closingQuote(source, i);
      if (end < 0) throw new FilterSyntaxError(column, `unterminated string starting with ${c}`);
      const raw = source.slice(i, end + 1);
      let value: string;
      try {
        value = c === '"' ? (JSON.parse(raw) as string) : (JSON.parse(`"${raw.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string);
      } catch {
        throw new FilterSyntaxError(column, `cannot read the string ${raw}: use JSON escapes (\\", \\\\, \\n, \\u0041)`);
      }
      tokens.push({ type: 'literal', value, text: raw, column });
      i = end + 1;
      continue;
    }
    // '[' opens the list of values after 'in'; anywhere else it starts a path (["a b"].c).
    const previous = tokens[tokens.length - 1];
    const operator = OPERATORS.find((op) => source.startsWith(op, i));
    if (operator !== undefined && (operator !== '[' || (previous?.type === 'op' && previous.text === 'in'))) {
      tokens.push({ type: 'op', text: operator, column });
      i += operator.length;
      continue;
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/.exec(source.slice(i));
    if (number !== null) {
      tokens.push({ type: 'literal', value: Number(number[0]), text: number[0], column });
      i += number[0].length;
      continue;
    }
    const start = i;
    i = pathEnd(source, i);
    if (i === start) throw new FilterSyntaxError(column, `unexpected ${JSON.stringify(c)}`);
    const text = source.slice(start, i);
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === 'false') tokens.push({ type: 'literal', value: lower === 'true', text, column });
    else if (lower === 'null') tokens.push({ type: 'literal', value: null, text, column });
    else if (KEYWORDS.has(lower)) tokens.push({ type: 'op', text: lower, column });
    else tokens.push({ type: 'path', text, column });
  }
  tokens.push({ type: 'end', text: 'the end of the expression', column: source.length + 1 });
  return tokens;
}

function closingQuote(source: string, open: number): number {
  for (let i = open + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === source[open]) return i;
  }
  return -1;
}

/** A path runs to blank space or an operator; inside brackets it may hold quoted keys with anything. */
function pathEnd(source: string, i: number): number {
  while (i < source.length) {
    const c = source[i];
    if (c === '[' || c === '{') {
      const close = c === '[' ? ']' : '}';
      i++;
      while (i < source.length && source[i] !== close) {
        if (source[i] === '"') {
          const end = closingQuote(source, i);
          if (end < 0) throw new FilterSyntaxError(i + 1, 'unterminated quoted key in a path');
          i = end;
        }
        i++;
      }
      if (i >= source.length) throw new FilterSyntaxError(i + 1, `expected ${close} to close the path's ${c}`);
      i++;
      continue;
    }
    if (/\s/.test(c) || '=!<>(),]'.includes(c)) break;
    i++;
  }
  return i;
}

export function parseFilter(source: string): FilterNode {
  const tokens = tokenize(source);
  let at = 0;
  const peek = () => tokens[at];
  const isOp = (text: string) => peek().type === 'op' && peek().text === text;
  const fail = (expected: string): never => {
    const token = peek();
    throw new FilterSyntaxError(token.column, `expected ${expected}, found ${token.type === 'end' ? token.text : JSON.stringify(token.text)}`);
  };
  const expect = (text: string) => (isOp(text) ? tokens[at++] : fail(`'${text}'`));

  const literal = (): Literal => {
    const token = peek();
    if (token.type !== 'literal') return fail('a value (a "string", a number, true, false or null)');
    at++;
    return token.value;
  };
  const test = (): FilterNode => {
    const any = isOp('any');
    if (any) at++;
    const token = peek();
    if (token.type !== 'path') return fail(any ? "a path after 'any'" : "a path (e.g. product.name), 'not', 'any' or '('");
    at++;
    const { text: path, column } = token;
    if (isOp('in')) {
      at++;
      expect('[');
      const values = [literal()];
      while (isOp(',')) {
        at++;
        values.push(literal());
      }
      expect(']');
      return { kind: 'in', path, any, values, column };
    }
    if (isOp('is')) {
      at++;
      const negated = isOp('not');
      if (negated) at++;
      if (peek().type === 'literal' && (peek() as { value: Literal }).value === null) {
        at++;
        return { kind: 'is', path, any, what: 'null', negated, column };
      }
      if (isOp('missing')) {
        at++;
        return { kind: 'is', path, any, what: 'missing', negated, column };
      }
      return fail("'null' or 'missing' after 'is'");
    }
    const op = peek();
    if (op.type !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(op.text)) return fail(`an operator after ${path} (==, !=, <, <=, >, >=, in, is)`);
    at++;
    const operand = peek();
    if (operand.type === 'path') {
      at++;
      return { kind: 'compare', path, any, op: op.text as Comparison, value: { path: operand.text, column: operand.column }, column, valueColumn: operand.column };
    }
    return { kind: 'compare', path, any, op: op.text as Comparison, value: literal(), column, valueColumn: operand.column };
  };
  const unary = (): FilterNode => {
    if (isOp('not')) {
      const { column } = tokens[at++];
      return { kind: 'not', inner: unary(), column };
    }
    if (isOp('(')) {
      at++;
      const inner = or();
      expect(')');
      return inner;
    }
    return test();
  };
  const and = (): FilterNode => {
    let left = unary();
    while (isOp('and')) {
      const { column } = tokens[at++];
      left = { kind: 'and', left, right: unary(), column };
    }
    return left;
  };
  const or = (): FilterNode => {
    let left = and();
    while (isOp('or')) {
      const { column } = tokens[at++];
      left = { kind: 'or', left, right: and(), column };
    }
    return left;
  };
  const tree = or();
  if (peek().type !== 'end') fail("'and', 'or' or the end of the expression");
  return tree;
}
