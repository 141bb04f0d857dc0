// Symbol-keyed internals, so no record key (a view's data) can collide with them.
export const ROW = Symbol('memstore.row');
export const NODE = Symbol('memstore.node');
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');
