// query: the filter grammar against the same question asked of JSON.parse'd records in plain JS.
import { deepStrictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, memstore } from './run';

interface Cargo {
  id: number;
  product: { name: string; uid: string };
  quantity: { value: number; id: string };
  dates: { start: string; end: string };
}
const CARGO = resolve(EXAMPLES, 'cargo.json');
const cargo = JSON.parse(readFileSync(CARGO, 'utf8')) as Cargo[];

const dir = mkdtempSync(join(tmpdir(), 'memstore-cli-query-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Nulls, missing fields, lists and keys with blanks, for the tests the cargo records cannot ask.
const SPARSE = join(dir, 'sparse.json');
const sparse: Array<{ id: number; tag?: string | null; score: { home: number; away: number }; 'full name'?: string; tags: string[] }> = [
  { id: 1, tag: 'a', score: { home: 3, away: 1 }, 'full name': 'Ann', tags: ['x', 'y'] },
  { id: 2, tag: null, score: { home: 0, away: 2 }, 'full name': 'Bob', tags: [] },
  { id: 3, score: { home: 2, away: 2 }, tags: ['y'] },
  { id: 4, tag: 'b', score: { home: 5, away: 4 }, 'full name': 'Cy', tags: ['z'] },
];
writeFileSync(SPARSE, JSON.stringify(sparse));

function query(file: string, ...args: string[]) {
  const run = memstore('query', file, ...args);
  return { ...run, lines: run.stdout.trimEnd() === '' ? [] : run.stdout.trimEnd().split('\n') };
}

describe('memstore query', () => {
  it("counts the issue's example as plain JS does", () => {
    const run = query(CARGO, '--where', `product.name == "Elec'sOil" and quantity.value > 2000`, '--count');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(Number(run.stdout)).toBe(cargo.filter((r) => r.product.name === "Elec'sOil" && r.quantity.value > 2000).length);
  });

  it.each([
    ['product.name == "Super" or not (quantity.value <= 1500)', (r: Cargo) => r.product.name === 'Super' || !(r.quantity.value <= 1500)],
    ["product.name in ['Duper', \"NewProd\"] AND quantity.value >= 1000", (r: Cargo) => ['Duper', 'NewProd'].includes(r.product.name) && r.quantity.value >= 1000],
    ['product.name != "Super" and (quantity.value < 1100 or quantity.value > 2900)', (r: Cargo) => r.product.name !== 'Super' && (r.quantity.value < 1100 || r.quantity.value > 2900)],
    ['dates.start >= "2200-10-12" and dates.start < "2200-10-13"', (r: Cargo) => r.dates.start >= '2200-10-12' && r.dates.start < '2200-10-13'],
  ])('prints the records matching %s, in order', (where, test) => {
    const run = query(CARGO, '--where', where);
    expect(run.status).toBe(0);
    deepStrictEqual(run.lines.map((line) => JSON.parse(line)), cargo.filter(test));
  });

  it('--limit, --select and --json', () => {
    const run = query(CARGO, '--where', 'quantity.value > 2500', '--limit', '5', '--select', 'id,product.name', '--json');
    expect(run.status).toBe(0);
    deepStrictEqual(JSON.parse(run.stdout), cargo.filter((r) => r.quantity.value > 2500).slice(0, 5).map((r) => ({ id: r.id, 'product.name': r.product.name })));
  });

  it('--sum and --group-by (counts, and sums with --sum)', () => {
    const sum = query(CARGO, '--where', 'product.name == "Duper"', '--sum', 'quantity.value');
    expect(Number(sum.stdout)).toBe(cargo.filter((r) => r.product.name === 'Duper').reduce((s, r) => s + r.quantity.value, 0));
    const counts = new Map<string, number>();
    const sums = new Map<string, number>();
    for (const r of cargo) {
      counts.set(r.product.name, (counts.get(r.product.name) ?? 0) + 1);
      sums.set(r.product.name, (sums.get(r.product.name) ?? 0) + r.quantity.value);
    }
    const grouped = JSON.parse(query(CARGO, '--group-by', 'product.name', '--json').stdout) as Array<{ key: string; count: number }>;
    deepStrictEqual(new Map(grouped.map((g) => [g.key, g.count])), counts);
    const summed = query(CARGO, '--group-by', 'product.name', '--sum', 'quantity.value').lines.map((line) => line.split('\t'));
    deepStrictEqual(new Map(summed.map(([key, value]) => [JSON.parse(key) as string, Number(value)])), sums);
  });

  it('is null, is missing, is not null, quoted keys, two fields of one record', () => {
    const ids = (where: string) => query(SPARSE, '--where', where, '--select', 'id').lines.map((line) => (JSON.parse(line) as { id: number }).id);
    expect(ids('tag is null')).toStrictEqual([2]);
    expect(ids('tag is missing')).toStrictEqual([3]);
    expect(ids('tag is not null')).toStrictEqual([1, 3, 4].filter((id) => sparse[id - 1].tag !== null));
    expect(ids('["full name"] == "Bob"')).toStrictEqual([2]);
    expect(ids('score.home > score.away')).toStrictEqual([1, 4]);
    expect(ids('tag == null')).toStrictEqual([2]);
  });

  it("'any' over a list's elements; a path inside a list without it is refused with the spelling to use", () => {
    const ids = (where: string) => query(SPARSE, '--where', where, '--select', 'id').lines.map((line) => (JSON.parse(line) as { id: number }).id);
    expect(ids('any tags[] == "y"')).toStrictEqual(sparse.filter((r) => r.tags.includes('y')).map((r) => r.id));
    expect(ids('not any tags[] in ["x", "z"]')).toStrictEqual(sparse.filter((r) => !r.tags.some((t) => t === 'x' || t === 'z')).map((r) => r.id));
    const refused = query(SPARSE, '--where', 'tags[] == "y"');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("In --where: 'any <path> == …'.");
  });

  it('--select leaves out a path a record lacks', () => {
    const run = query(SPARSE, '--select', 'id,tag,["full name"]');
    expect(run.status).toBe(0);
    deepStrictEqual(
      run.lines.map((line) => JSON.parse(line)),
      sparse.map((r) => Object.fromEntries(Object.entries({ id: r.id, tag: r.tag, '["full name"]': r['full name'] }).filter(([, v]) => v !== undefined))),
    );
  });

  it('points at the column of a syntax error, exit 2, one line', () => {
    const run = query(CARGO, '--where', 'product.name == "Duper" and and');
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--where, column 29:');
    expect(run.stderr).toContain('expected a path');
  });

  it('names an unknown path with suggestions, at its column', () => {
    const run = query(CARGO, '--where', 'quantity.valu > 2', '--count');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^memstore: --where, column 1: .*"quantity\.valu".*Did you mean "quantity\.value"/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an unterminated string', () => {
    const run = query(CARGO, '--where', 'product.name == "Dup');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('column 17: unterminated string');
  });
});
