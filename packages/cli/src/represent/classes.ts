// Records as instances of classes generated from the inferred schema: what a hand-written domain
// model costs (one class per struct, every field an own property assigned in one constructor, so
// V8 gives each class one hidden class with in-object fields), and the talk's unique-instance
// trick on top (`interned`: strings de-duplicated, identical sub-objects shared).
//
// The classes are compiled at run time (new Function) from store.schema: structs become classes,
// lists arrays of their converted elements, maps plain objects of converted values; a mixed field
// keeps the value as JSON.parse made it (interned: deep-interned). A missing field becomes an own
// property holding undefined, as in any class with a fixed set of fields.
import type { SchemaField } from '@memstore/core';
import type { Interner } from './intern';

export type Convert = (record: unknown) => unknown;

/** A converter from plain records to class instances (`interner`: with de-duplication). */
export function compileClasses(schema: SchemaField, interner?: Interner): Convert {
  const classes: string[] = [];
  let nextName = 0;
  // Returns a JS expression converting the value `v` of field `field`.
  const converter = (field: SchemaField, value: string): string => {
    switch (field.type) {
      case 'struct': {
        const name = `C${nextName++}_${identifier(field.key ?? (field.path || 'Record'))}`;
        const body = (field.fields ?? []).map((child) => {
          const read = `r[${JSON.stringify(child.key)}]`;
          const expression = converter(child, read);
          // `this.__proto__ = …` would set the prototype: that key is defined as a property.
          return child.key === '__proto__'
            ? `Object.defineProperty(this, '__proto__', { value: ${expression}, writable: true, enumerable: true, configurable: true });`
            : `this[${JSON.stringify(child.key)}] = ${expression};`;
        });
        classes.push(`class ${name} { constructor(r) { ${body.join(' ')} } }`);
        const made = interner === undefined ? `new ${name}(${value})` : `I.object(new ${name}(${value}))`;
        return `(isObject(${value}) ? ${made} : ${value})`;
      }
      case 'list': {
        const element = converter(field.element!, 'e');
        const mapped = `${value}.map((e) => ${element})`;
        return `(Array.isArray(${value}) ? ${interner === undefined ? mapped : `I.object(${mapped})`} : ${value})`;
      }
      case 'map': {
        const entry = converter(field.values!, 'e');
        return `(isObject(${value}) ? mapValues(${value}, (e) => ${entry}) : ${value})`;
      }
      case 'string':
        return interner === undefined ? value : `I.string(${value})`;
      case 'mixed':
        return interner === undefined ? value : `I.deep(${value})`;
      default:
        return value;
    }
  };
  const root = converter(schema, 'record');
  const source = `'use strict'; ${classes.join('\n')}\nreturn (record) => ${root};`;
  const isObject = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value);
  const mapValues = (object: Record<string, unknown>, convert: (value: unknown) => unknown): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const value = convert(object[key]);
      if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      else out[key] = value;
    }
    return interner === undefined ? out : interner.object(out);
  };
  return new Function('isObject', 'mapValues', 'I', source)(isObject, mapValues, interner) as Convert;
}

/** A JS identifier from a key, for readable class names in heap snapshots. */
function identifier(key: string): string {
  const cleaned = key.replace(/[^A-Za-z0-9_$]/g, '_').slice(0, 40);
  return cleaned === '' ? 'Field' : cleaned;
}
