// The suite end to end on a small dataset: every representation's every answer agrees with plain
// objects' (the child throws otherwise), and the results file has its shape.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dist = resolve(__dirname, '../dist/suite.js');
const dir = mkdtempSync(join(tmpdir(), 'memstore-suite-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('suite.js', () => {
  it('times every representation × operation on a small cargo set, answers checked, memory measured', () => {
    const out = join(dir, 'suite.json');
    execFileSync(process.execPath, [dist, '--datasets', 'cargo-3000', '--quick', '--iterations', '2', '--cache', dir, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.machine.node).toBe(process.version);
    const [run] = result.runs;
    expect(run).toMatchObject({ dataset: 'cargo-3000', records: 3000 });
    const cells = new Set(run.timings.map((t: { representation: string; operation: string }) => `${t.representation}/${t.operation}`));
    for (const representation of ['plain', 'class', 'interned', 'memstore', 'arrow', 'duckdb', 'typed']) expect(cells.has(`${representation}/count`)).toBe(true);
    for (const representation of ['memstore-attr', 'memstore-key']) expect(cells.has(`${representation}/read`)).toBe(true);
    for (const timing of run.timings) {
      expect(timing.medianMs).toBeGreaterThanOrEqual(0);
      expect(timing.ratioToPlain).toEqual(expect.any(Number));
      const plain = run.timings.find((t: { representation: string; operation: string }) => t.representation === 'plain' && t.operation === timing.operation);
      expect(timing.answer).toStrictEqual(typeof plain.answer === 'number' ? expect.closeTo(plain.answer, 6) : plain.answer);
    }
    expect(run.memory.representations.map((r: { name: string }) => r.name)).toStrictEqual(['plain', 'class', 'interned', 'memstore', 'arrow']);
    const markdown = readFileSync(join(dir, 'suite.md'), 'utf8');
    expect(markdown).toContain('### cargo-3000 (3,000 records)');
    expect(markdown).toMatch(/\| count \| [\d.]+ \|/);
  });

  it('with --isolate times each representation in a child of its own, checked against plain objects', () => {
    const out = join(dir, 'isolated.json');
    execFileSync(process.execPath, [dist, '--datasets', 'cargo-2000', '--isolate', '--no-memory', '--iterations', '2', '--cache', dir, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    const [run] = JSON.parse(readFileSync(out, 'utf8')).runs;
    expect(run).toMatchObject({ dataset: 'cargo-2000', records: 2000, isolated: true, memory: null });
    const representations = new Set(run.timings.map((t: { representation: string }) => t.representation));
    expect([...representations].sort()).toStrictEqual(['arrow', 'class', 'duckdb', 'interned', 'memstore', 'memstore-attr', 'memstore-key', 'plain', 'typed']);
    for (const timing of run.timings) {
      const plain = run.timings.find((t: { representation: string; operation: string }) => t.representation === 'plain' && t.operation === timing.operation);
      expect(timing.ratioToPlain).toBeCloseTo(timing.medianMs / plain.medianMs, 9);
      expect(timing.answer).toStrictEqual(typeof plain.answer === 'number' ? expect.closeTo(plain.answer, 6) : plain.answer);
    }
  });
});
