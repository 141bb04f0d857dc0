// The symbol-keyed member of views: util.inspect's hook (Symbol.for, so no node: import is needed;
// no record key can collide with a symbol).
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');
