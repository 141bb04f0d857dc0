// JSON text for the nested values a mixed column keeps, exact where JSON.stringify is not:
// JSON.stringify(-0) is "0", and "-0" parses back to -0; JSON.stringify(Infinity) is "null",
// and "1e999" (too large for a double) parses back to Infinity. Lone surrogates are escaped by
// JSON.stringify (ES2019), so JSON.parse restores them.

export function exactStringify(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (value === Infinity) return '1e999';
      if (value === -Infinity) return '-1e999';
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + exactStringify(value[i]);
    return text + ']';
  }
  let text = '{';
  let first = true;
  for (const key of Object.keys(value as object)) {
    text += (first ? '' : ',') + JSON.stringify(key) + ':' + exactStringify((value as Record<string, unknown>)[key]);
    first = false;
  }
  return text + '}';
}
