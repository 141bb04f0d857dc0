// Errors: one readable line on stderr and a non-zero exit (2: the command line, 1: the data), the
// stack only with --debug; nothing on stdout.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, memstore } from './run';

const dir = mkdtempSync(join(tmpdir(), 'memstore-cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function oneLine(run: { stderr: string; stdout: string }): string {
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(run.stdout).toBe('');
  return lines[0];
}

describe('memstore errors', () => {
  it('a missing file: exit 2, one line', () => {
    for (const command of ['head', 'inspect', 'query', 'types', 'measure']) {
      const run = memstore(command, join(dir, 'nope.json'));
      expect(run.status).toBe(2);
      expect(oneLine(run)).toBe(`memstore: cannot read ${join(dir, 'nope.json')}: no such file`);
    }
    const convert = memstore('convert', join(dir, 'nope.json'), '-o', join(dir, 'out.msx'));
    expect(convert.status).toBe(2);
    expect(oneLine(convert)).toContain('no such file');
  });

  it('bad JSON: exit 1, the line and column', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[{"a": 1},\n {"a": 2,, "b": 3}]');
    const run = memstore('head', bad);
    expect(run.status).toBe(1);
    expect(oneLine(run)).toMatch(/^memstore: .*line 2, column 10/);
  });

  it('a corrupt .msx: exit 1, what is wrong, never a crash', () => {
    const good = join(dir, 'cargo.msx');
    expect(memstore('convert', resolve(EXAMPLES, 'cargo.json'), '-o', good).status).toBe(0);
    const bytes = readFileSync(good);
    bytes[Math.floor(bytes.length / 2)] ^= 0x40;
    const corrupt = join(dir, 'corrupt.msx');
    writeFileSync(corrupt, bytes);
    const run = memstore('head', corrupt);
    expect(run.status).toBe(1);
    expect(oneLine(run)).toMatch(/^memstore: .*(checksum|corrupt|invalid|not)/i);
    const truncated = join(dir, 'truncated.msx');
    writeFileSync(truncated, bytes.subarray(0, 100));
    expect(oneLine(memstore('inspect', truncated))).toMatch(/^memstore: /);
  });

  it('a corrupt Parquet or Arrow file: exit 1, one line', () => {
    for (const extension of ['parquet', 'arrow']) {
      const file = join(dir, `junk.${extension}`);
      writeFileSync(file, Buffer.from('PAR1 this is not a real file at all PAR1'));
      const run = memstore('head', file);
      expect(run.status).toBe(1);
      expect(oneLine(run)).toMatch(/^memstore: /);
    }
  });

  it('--debug adds the stack', () => {
    const run = memstore('head', join(dir, 'bad.json'), '--debug');
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n').length).toBeGreaterThan(3);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('an unknown command or option: exit 2 with commander\'s line', () => {
    const command = memstore('frobnicate');
    expect(command.status).toBe(2);
    expect(command.stderr).toContain("unknown command 'frobnicate'");
    const option = memstore('head', resolve(EXAMPLES, 'cargo.json'), '--frob');
    expect(option.status).toBe(2);
    expect(option.stderr).toContain("unknown option '--frob'");
  });

  it('every command has --help', () => {
    for (const command of ['measure', 'convert', 'inspect', 'query', 'head', 'types']) {
      const run = memstore(command, '--help');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Usage: memstore ${command}`);
    }
  });

  it('progress stays silent when stderr is not a terminal', () => {
    const run = memstore('convert', resolve(EXAMPLES, 'shipments.json'), '-o', join(dir, 'shipments.parquet'));
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('');
  });
});
