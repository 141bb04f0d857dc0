import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, memstore } from './run';

describe('memstore head', () => {
  it('prints the first records as exact JSON lines', () => {
    const run = memstore('head', resolve(EXAMPLES, 'cargo.json'), '-n', '3');
    expect(run.status).toBe(0);
    const expected = (JSON.parse(readFileSync(resolve(EXAMPLES, 'cargo.json'), 'utf8')) as unknown[]).slice(0, 3);
    expect(run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line))).toStrictEqual(expected);
    expect(run.stderr).toBe('');
  });

  it('has --help', () => {
    const run = memstore('head', '--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: memstore head');
  });
});
