// The talk's unique-instance trick for JavaScript: one copy of each distinct string, and one
// instance of each distinct immutable sub-object (same class, same field values by identity),
// looked up in pools while the records are built. The pools are dropped once the build is done:
// what stays is the sharing. V8 does not de-duplicate strings JSON.parse makes (it internalizes
// property names only), so each repeated value is its own string until interned here.

export class Interner {
  private readonly strings = new Map<string, string>();
  private readonly objects = new Map<string, object>();
  /** Each canonical object's number, for the keys of the objects that hold it. */
  private readonly ids = new Map<object, number>();
  private readonly classIds = new Map<unknown, number>();

  /**
   * Empties the pools once the records are built. The generated classes close over their interner
   * (classes.ts), so instances keep it reachable: without this, the pools would stay with them.
   */
  clear(): void {
    this.strings.clear();
    this.objects.clear();
    this.ids.clear();
    this.classIds.clear();
  }

  string(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    const found = this.strings.get(value);
    if (found !== undefined) return found;
    this.strings.set(value, value);
    return value;
  }

  /** The canonical instance equal to `object` (its values already canonical). */
  object<T extends object>(object: T): T {
    const key = this.keyOf(object);
    const found = this.objects.get(key);
    if (found !== undefined) return found as T;
    this.objects.set(key, object);
    this.ids.set(object, this.ids.size);
    return object;
  }

  /** A value of a mixed field, interned all the way down. */
  deep(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return this.object(value.map((element) => this.deep(element)));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const inner = this.deep((value as Record<string, unknown>)[key]);
      if (key === '__proto__') Object.defineProperty(out, key, { value: inner, writable: true, enumerable: true, configurable: true });
      else out[key] = inner;
    }
    return this.object(out);
  }

  private keyOf(object: object): string {
    let classId = this.classIds.get(object.constructor);
    if (classId === undefined) this.classIds.set(object.constructor, (classId = this.classIds.size));
    let key = `${classId}`;
    for (const name of Object.keys(object)) {
      const value = (object as Record<string, unknown>)[name];
      // JSON-quoted names and strings: no string can forge a separator.
      key += `,${JSON.stringify(name)}:${this.valueKey(value)}`;
    }
    return key;
  }

  private valueKey(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'number':
        return Object.is(value, -0) ? 'n-0' : `n${value}`;
      case 'boolean':
        return value ? 't' : 'f';
      case 'undefined':
        return 'u';
      default: {
        if (value === null) return 'z';
        // Children are interned first, so an object here is canonical: its number identifies it.
        const id = this.ids.get(value as object);
        if (id === undefined) throw new Error('interning met an object that was not interned first (a bug in the generated converter)');
        return `o${id}`;
      }
    }
  }
}
