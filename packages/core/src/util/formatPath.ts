// Paths for messages: the keys that led to a value, written as JS would (records[3].product["a.b"]).
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A readable path for messages: `records[3].product["a.b"]`. A leading number is the record
 * index; later numbers are list indices.
 */
export function formatPath(keys: readonly (string | number)[], root = 'records'): string {
  let text = root;
  for (const key of keys) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (IDENTIFIER.test(key)) text += `.${key}`;
    else text += `[${JSON.stringify(key)}]`;
  }
  return text;
}
