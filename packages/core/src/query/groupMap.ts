// Group keys that are values, not identities: the canonical text of a JSON value (deep equality
// as one string) and GroupMap, the Map groupBy returns for struct, list, map, mixed and composite
// keys, whose lookups take any value equal to a key. Scalar keys keep plain Maps (their contract).

/**
 * The canonical text of a JSON value: JSON with every object's keys in UTF-16 order, so two values
 * have the same text exactly when they are deep-equal (`{a: 1, b: 2}` and `{b: 2, a: 1}` alike;
 * `"1"`, `1` and `[1]` all differ). Missing (undefined) reads as null, as groupBy keys do.
 */
export function canonicalKey(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalKey(record[key])}`).join(',')}}`;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/**
 * A Map from group key to result whose keys may be objects or arrays (a struct or list key's
 * first-seen value, or a composite key: the array of each path's value). `get`, `has` and
 * `delete` take any deep-equal value (through canonicalKey), not only the key object itself;
 * iteration, `size` and every other Map method behave as on a Map.
 */
export class GroupMap<K, V> extends Map<K, V> {
  /** Canonical text → the key object held for it (objects only: scalars are Map keys as they are). */
  readonly #held = new Map<string, K>();

  /** @internal */
  constructor(entries: Iterable<readonly [K, V]> = []) {
    // Map's constructor would call set() before `held` exists: entries are added after.
    super();
    for (const [key, value] of entries) this.set(key, value);
  }

  /** The key this map holds for a value deep-equal to `key` (scalars: `key` itself), or undefined. */
  keyOf(key: unknown): K | undefined {
    if (!isObject(key)) return super.has(key as K) ? (key as K) : undefined;
    return super.has(key as K) ? (key as K) : this.#held.get(canonicalKey(key));
  }

  override get(key: K): V | undefined {
    return isObject(key) ? super.get(this.keyOf(key) as K) : super.get(key);
  }

  override has(key: K): boolean {
    return isObject(key) ? this.keyOf(key) !== undefined : super.has(key);
  }

  override set(key: K, value: V): this {
    if (isObject(key)) {
      const text = canonicalKey(key);
      const held = this.#held.get(text);
      if (held !== undefined) return super.set(held, value);
      this.#held.set(text, key);
    }
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    if (!isObject(key)) return super.delete(key);
    const held = this.keyOf(key);
    if (held === undefined) return false;
    this.#held.delete(canonicalKey(held));
    return super.delete(held);
  }

  override clear(): void {
    this.#held.clear();
    super.clear();
  }
}
