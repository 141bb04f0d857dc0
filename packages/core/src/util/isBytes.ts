// Whether a value is a Uint8Array from any realm: the one test every entry point that takes bytes uses.

/** A Uint8Array from any realm (a vm context, a worker's transfer): `instanceof` would miss those. */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]');
}
