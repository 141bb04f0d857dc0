// The representations `memstore measure` compares, each built from one file: plain objects
// (JSON.parse), classes generated from the inferred schema, those classes interned, a memstore, and
// an Apache Arrow table. `prepare` does what is not the records' cost (inferring the schema and
// compiling the classes; reading an .msx/Arrow/Parquet file's records for the JS representations
// happens in build), `build` makes the representation; what it reads is garbage once it returns.
import { Store } from '@memstore/core';
import type { Table } from 'apache-arrow';
import { compileClasses } from './classes';
import { Interner } from './intern';
import { plainRecords } from './records';
import { inputFormatOf } from '../text/formats';

export const REPRESENTATIONS = ['plain', 'class', 'interned', 'memstore', 'arrow'] as const;
export type RepresentationName = (typeof REPRESENTATIONS)[number];

export const DESCRIPTIONS: Readonly<Record<RepresentationName, string>> = {
  plain: 'JSON.parse objects (NDJSON: JSON.parse per line)',
  class: 'instances of classes generated from the inferred schema',
  interned: 'those classes with de-duplicated strings and shared identical sub-objects',
  memstore: 'a memstore (Store.fromFile)',
  arrow: 'an apache-arrow Table (store.toArrow(): repeating strings dictionary-encoded)',
};

export interface Source {
  file: string;
  pointer?: string;
}

export interface Built {
  /** The representation: kept alive by the caller until it has been measured. */
  value: unknown;
  records: number;
}

export type Builder = () => Promise<Built>;

/** Reads what the representation needs besides the records, and returns its builder. */
export async function prepare(name: RepresentationName, source: Source): Promise<Builder> {
  switch (name) {
    case 'plain':
      return async () => counted(await recordsOf(source));
    case 'class':
    case 'interned': {
      const schema = await withStore(source, (store) => store.schema);
      return async () => {
        const records = await recordsOf(source);
        const interner = name === 'interned' ? new Interner() : undefined;
        const convert = compileClasses(schema, interner);
        const out = new Array<unknown>(records.length);
        for (let i = 0; i < records.length; i++) out[i] = convert(records[i]);
        interner?.clear();
        return counted(out);
      };
    }
    case 'memstore':
      return async () => {
        const store = await loadStore(source);
        return { value: store, records: store.length };
      };
    case 'arrow':
      return async () => {
        const table: Table = await withStore(source, (store) => store.toArrow());
        return { value: table, records: table.numRows };
      };
  }
}

function counted(records: unknown[]): Built {
  return { value: records, records: records.length };
}

/** JSON and NDJSON as a Node program reads them; the other formats through a store's toArray(). */
async function recordsOf(source: Source): Promise<unknown[]> {
  const format = inputFormatOf(source.file);
  if (format === 'json' || format === 'ndjson') return plainRecords(source.file, source.pointer);
  return withStore(source, (store) => store.toArray());
}

export function loadStore(source: Source): Promise<Store> {
  return Store.fromFile(source.file, source.pointer === undefined ? undefined : { pointer: source.pointer });
}

async function withStore<R>(source: Source, use: (store: Store) => R): Promise<R> {
  const store = await loadStore(source);
  try {
    return use(store);
  } finally {
    store.dispose();
  }
}
