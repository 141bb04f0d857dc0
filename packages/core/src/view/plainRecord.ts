// Records that are not stored as a struct: the objects of a root column of mixed kinds (or of a
// root stored as a map, or a struct root whose records include null) come back as views too,
// with `get` and `toJSON`, so that every record a store hands out answers the same methods.
// A record that is a scalar (a number, a string, a boolean, null) is its value: a primitive
// carries no methods, and a wrapper object would stop `store.at(0) === 1` and deepStrictEqual
// from holding. An array record is a ListView where the root is a list, else a plain array.
import { parsePath, type Path } from '../path';
import { readPath } from '../readPath';
import type { Node } from '../schema/node';
import { setOwn } from '../schema/containers';
import { INSPECT } from './symbols';
import { VIEW_METHODS } from './record';

/**
 * A record read from a column that holds whole JSON values: its fields are own enumerable data
 * properties in the record's own order (JSON.parse's, which toArray() gives too); `get` reads a
 * path as store.get does; `toJSON` a fresh plain object. After dispose the methods throw
 * MemstoreDisposedError; the fields, copied when the record was read, stay.
 */
class PlainRecordView {
  readonly #root: Node;
  readonly #row: number;

  constructor(root: Node, row: number, fields: Record<string, unknown>) {
    this.#root = root;
    this.#row = row;
    // As on struct views, `get` and `toJSON` stay the methods (read such fields with get([key])).
    for (const key of Object.keys(fields)) if (!VIEW_METHODS.has(key)) setOwn(this as unknown as Record<string, unknown>, key, fields[key]);
  }

  /** The value at `path` below this record, or undefined when absent. */
  get(path: Path): unknown {
    this.#root.engine.assertLive('record view');
    return readPath(this.#root, this.#root, this.#row, parsePath(path));
  }

  /** The record as a plain object, equal to what JSON.parse gave. */
  toJSON(): unknown {
    this.#root.engine.assertLive('record view');
    return this.#root.plain(this.#row);
  }

  [INSPECT](): unknown {
    return this.#root.engine.disposed ? '[disposed memstore record view]' : this.toJSON();
  }
}

/**
 * Record `row` of a root that is not read through a struct's view maker: a struct view or a list
 * view as the root reads it, a plain object as a PlainRecordView, anything else as it is.
 */
export function readRecord(root: Node, row: number): unknown {
  const value = root.read(row);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return new PlainRecordView(root, row, value as Record<string, unknown>);
  }
  return value;
}
