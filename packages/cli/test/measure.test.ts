// measure: the JSON report's shape, every representation in it, each figure next to its cross-check.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, memstore } from './run';

describe('memstore measure', () => {
  it('--json: { file, bytes, records, machine, representations: [...] } for every representation', () => {
    const file = resolve(EXAMPLES, 'cargo.json');
    const run = memstore('measure', file, '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ file, records: 6000, machine: { node: process.version } });
    expect(report.bytes).toBeGreaterThan(1_000_000);
    expect(report.representations.map((r: { name: string }) => r.name)).toStrictEqual(['plain', 'class', 'interned', 'memstore', 'arrow']);
    for (const r of report.representations) {
      expect(r).toMatchObject({ records: 6000, crossCheck: { method: expect.stringMatching(/^(heap snapshot|ΔRSS)$/), agrees: expect.any(Boolean) } });
      expect(r.retainedBytes).toBeGreaterThan(0);
      expect(r.bytesPerRecord).toBeCloseTo(r.retainedBytes / 6000, 6);
      expect(r.loadMs).toBeGreaterThanOrEqual(0);
      expect(r.peakRssBytes).toBeGreaterThan(r.retainedBytes);
      expect(r.crossCheck.bytes).toEqual(expect.any(Number));
    }
    const named = Object.fromEntries(report.representations.map((r: { name: string; crossCheck: { method: string } }) => [r.name, r.crossCheck.method]));
    expect(named).toStrictEqual({ plain: 'heap snapshot', class: 'heap snapshot', interned: 'heap snapshot', memstore: 'heap snapshot', arrow: 'heap snapshot' });
  });

  it('prints a table, and takes --reps and --pointer', () => {
    const run = memstore('measure', resolve(EXAMPLES, 'github_events.json'), '--reps', 'plain,memstore', '--pointer', '');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/github_events\.json: 30 records/);
    expect(run.stdout).toMatch(/^plain\s+\S+ \S*B\s/m);
    expect(run.stdout).toMatch(/^memstore\s/m);
    expect(run.stdout).not.toMatch(/^class\s/m);
  });

  it('refuses an unknown representation', () => {
    const run = memstore('measure', resolve(EXAMPLES, 'cargo.json'), '--reps', 'plain,dicts');
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('memstore: --reps: unknown representation "dicts"; known: plain, class, interned, memstore, arrow');
  });
});
