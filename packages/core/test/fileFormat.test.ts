// fileFormatOf: the one mapping from a file's name to its format (Store.fromFile and the docs playground).
import { describe, expect, it } from 'vitest';
import { fileFormatOf } from '../src/index';

describe('fileFormatOf', () => {
  it.each([
    ['data.msx', 'msx'],
    ['DATA.MSX', 'msx'],
    ['x.parquet', 'parquet'],
    ['x.arrow', 'arrow'],
    ['x.arrows', 'arrow'],
    ['events.ndjson', 'ndjson'],
    ['events.JSONL', 'ndjson'],
    ['cargo.json', 'json'],
    ['no-extension', 'json'],
    ['archive.json.msx', 'msx'],
    ['x.msx.json', 'json'],
  ])('%s is %s', (name, format) => {
    expect(fileFormatOf(name)).toBe(format);
  });
});
