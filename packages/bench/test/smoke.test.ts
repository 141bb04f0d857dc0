// Smoke test of the built benchmark scripts (turbo builds before testing): small counts, and only
// the shape of the results is checked. Speed and memory targets are never asserted here: they
// depend on the machine, and the real runs are `npm run bench` at 1,000,000 records.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = resolve(packageDir, '../..');
const dist = (name: string) => join(packageDir, 'dist', name);
const out = mkdtempSync(join(tmpdir(), 'memstore-bench-'));
const COUNT = 20_000;

afterAll(() => rmSync(out, { recursive: true, force: true }));

function run(args: string[], cwd = packageDir): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      done({ code, stdout, stderr });
    });
  });
}

const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;

describe('memory.js', () => {
  it('measures json-parse and memstore in children and writes well-formed results', async () => {
    const file = join(out, 'memory.json');
    const { code, stdout, stderr } = await run([dist('memory.js'), '--count', String(COUNT), '--only', 'json-parse,memstore', '--out', file]);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.count).toBe(COUNT);
    expect(json.consistent).toBe(true);
    expect(json.machine.cpuCount).toBeGreaterThan(0);
    expect(json.results.map((r: { representation: string }) => r.representation)).toEqual(['json-parse', 'memstore']);
    for (const result of json.results) {
      expect(result.records).toBe(COUNT);
      expect(positive(result.retainedBytes)).toBe(true);
      expect(positive(result.bytesPerRecord)).toBe(true);
      expect(Number.isFinite(result.rssDelta)).toBe(true);
    }
    const store = json.results[1].store;
    expect(positive(store.totalBytes) && positive(store.reservedBytes)).toBe(true);
    expect(store.reservedBytes).toBeGreaterThanOrEqual(store.totalBytes);
    expect(typeof json.target.met).toBe('boolean');
    expect(stdout).toContain('| memstore');
    expect(readFileSync(join(out, 'memory.md'), 'utf8')).toBe(json.markdown);
  });
});

describe('arrow.js', () => {
  it('times toArrow, fromArrow and IPC on cargo and events with same-run baselines and writes well-formed results', async () => {
    const file = join(out, 'arrow.json');
    const { code, stdout, stderr } = await run([dist('arrow.js'), '--cargo', '5000', '--events', '300', '--iterations', '1', '--event-iterations', '1', '--out', file]);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.cargo.records).toBe(5000);
    expect(json.events.records).toBe(300);
    const operations = new Set(json.figures.map((f: { operation: string }) => f.operation));
    for (const operation of ['store.toArrow()', 'store.toArrow(), dictionary columns only', 'Store.fromArrow(table)', "store.toArrowIPC({ format: 'file' })", 'Store.fromArrowIPC(stream bytes)']) {
      expect(operations.has(operation), operation).toBe(true);
    }
    for (const figure of json.figures) {
      expect(positive(figure.medianMs), figure.operation).toBe(true);
      if (figure.baseline !== null) expect(positive(figure.baselineMs), figure.operation).toBe(true);
    }
    expect(stdout).toContain('ms per M rows of dictionary columns');
    expect(readFileSync(join(out, 'arrow.md'), 'utf8')).toBe(json.markdown);
  });
});

describe('bigIds.js', () => {
  it('measures every representation of big ids in children and writes well-formed results', async () => {
    const file = join(out, 'big-ids.json');
    const { code, stdout, stderr } = await run([dist('bigIds.js'), '--count', '5000', '--out', file]);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect([json.count, json.consistent]).toEqual([5000, true]);
    expect(json.results.map((r: { representation: string }) => r.representation)).toEqual(['ids-float64', 'ids-json-parse', 'ids-memstore', 'ids-memstore-json']);
    for (const result of json.results) expect(result.records).toBe(5000);
    expect(json.results[2].store.schema).toContain('id: int (uint32 + base)');
    expect(stdout).toContain('| ids-memstore ');
  });
});

describe('footprint.js', () => {
  it('measures every entry path, an empty and a wide store in children and writes well-formed results', async () => {
    const file = join(out, 'footprint.json');
    const { code, stdout, stderr } = await run([dist('footprint.js'), '--count', String(COUNT), '--columns', '50', '--dir', join(out, 'footprint-data'), '--out', file]);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const shapes = json.results.map((r: { shape: string }) => r.shape);
    expect(shapes).toEqual(['fromJSON(string)', 'fromJSON(bytes)', 'fromStream', 'fromFile', 'fromRecords', 'append(bytes)', 'append(records)', 'empty', 'wide']);
    for (const result of json.results.slice(0, 7)) {
      expect(result.records).toBe(COUNT);
      expect(positive(result.retainedBytes)).toBe(true);
      expect(result.store.reservedBytes).toBeLessThanOrEqual(1.05 * result.store.totalBytes + 65536);
    }
    expect(positive(json.results[7].retainedBytes) && positive(json.results[7].further.retainedBytesEach)).toBe(true);
    expect(json.results[8].store.columnCount).toBe(51);
    expect(stdout).toContain('| fromJSON(string)');
    expect(readFileSync(join(out, 'footprint.md'), 'utf8')).toBe(json.markdown);
  });
});

describe('idKeyed.js', () => {
  it('times and measures every load of one dataset, each figure in a child, and writes well-formed results', async () => {
    const file = join(out, 'idkeyed.json');
    const { code, stdout, stderr } = await run([dist('idKeyed.js'), '--rounds', '1', '--only', 'plugins-654', '--out', file]);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(json.results)).toEqual(['plugins-654']);
    const { time, memory } = json.results['plugins-654'];
    expect(Object.keys(time.medians)).toEqual(Object.keys(memory));
    for (const load of Object.keys(memory)) {
      expect(positive(time.medians[load])).toBe(true);
      expect(positive(memory[load].retainedBytes)).toBe(true);
    }
    expect(time.schema["fromJSON pointer '' (records)"]).toMatch(/^struct, 654 records/);
    expect(time.schema['fromJSON (map)']).toMatch(/^map, 1 record/);
    expect(stdout).toContain('| fromJSON (map)');
    expect(readFileSync(join(out, 'idkeyed.md'), 'utf8')).toContain('654 plugins keyed by name');
  });
});

describe('viewDesigns.js', () => {
  it('times every record-view design in a child of its own and writes well-formed results', async () => {
    const file = join(out, 'view-designs.json');
    const { code, stdout } = await run([dist('viewDesigns.js'), '--count', String(COUNT), '--runs', '3', '--out', file]);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.count).toBe(COUNT);
    expect(json.results.map((r: { design: string }) => r.design)).toEqual(['plain', 'getters', 'proxy', 'accessors', 'literalGetters', 'loop', 'generated']);
    for (const result of json.results) expect(positive(result.nsPerRow) && positive(result.ratio)).toBe(true);
    expect(json.results[0].ratio).toBe(1);
    expect(stdout).toContain('| design');
  });
});

describe('access.js', () => {
  it('times every loop and writes well-formed results', async () => {
    const file = join(out, 'access.json');
    const { code, stdout } = await run([dist('access.js'), '--count', String(COUNT), '--iterations', '3', '--out', file]);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.count).toBe(COUNT);
    expect(json.tasks.map((t: { name: string }) => t.name)).toEqual([
      'plain objects, for i',
      'plain objects, for-of',
      'memstore, store.at(i)',
      'memstore, for-of',
    ]);
    for (const task of json.tasks) {
      expect(positive(task.medianMs) && positive(task.nsPerRecord) && positive(task.ratio)).toBe(true);
    }
    expect(positive(json.target.worstSameLoopRatio)).toBe(true);
    expect(stdout).toContain('memstore, for-of');
  });
});

describe('ingest.js', () => {
  it('loads a small file three ways per format, each in a child, and writes well-formed results', async () => {
    const file = join(out, 'ingest.json');
    const { code, stdout, stderr } = await run([dist('ingest.js'), '--count', String(COUNT), '--runs', '1', '--dir', join(out, 'ingest-data'), '--out', file]);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.count).toBe(COUNT);
    expect(json.consistent).toBe(true);
    expect(json.machine.loadAverage).toHaveLength(3);
    expect(json.summaries.map((s: { format: string; method: string }) => `${s.format} ${s.method}`)).toEqual([
      'json memstore',
      'json json-parse',
      'json duckdb',
      'ndjson memstore',
      'ndjson json-parse',
      'ndjson duckdb',
    ]);
    for (const summary of json.summaries) {
      expect(summary.records).toBe(COUNT);
      expect(positive(summary.medianMs) && positive(summary.mbPerSecond) && positive(summary.medianMaxRssBytes)).toBe(true);
      expect(summary.runs).toHaveLength(1);
      if (summary.method !== 'json-parse') expect(positive(summary.speedupVsJsonParse)).toBe(true);
      if (summary.method !== 'duckdb') expect(positive(summary.speedupVsDuckdb)).toBe(true);
    }
    const store = json.summaries[0].store;
    expect(store.reservedBytes).toBeGreaterThanOrEqual(store.totalBytes);
    expect(json.targets.map((t: { format: string }) => t.format)).toEqual(['json', 'ndjson']);
    expect(typeof json.targets[0].metVsJsonParse).toBe('boolean');
    expect(stdout).toContain('DuckDB read_json_auto');
    expect(readFileSync(join(out, 'ingest.md'), 'utf8')).toBe(json.markdown);
  });
});

describe('feeds.js', () => {
  it('loads both feeds every way, each in a child, with the small-file figure, and writes well-formed results', async () => {
    const file = join(out, 'feeds.json');
    const { code, stdout, stderr } = await run([dist('feeds.js'), '--records', '300', '--small', '20', '--small-copies', '3', '--small-children', '2', '--dir', join(out, 'feeds-data'), '--out', file]);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.commit).toMatch(/^[0-9a-f]{40}|unknown/);
    expect(json.feeds.map((f: { feed: string }) => f.feed)).toEqual(['events', 'tweets']);
    for (const feed of json.feeds) {
      expect(feed.summary.consistent).toBe(true);
      expect(feed.outcomes).toHaveLength(10);
      for (const outcome of feed.outcomes) {
        expect(outcome.failure).toBeUndefined();
        expect(outcome.result.records).toBe(300);
        expect(positive(outcome.result.ms) && positive(outcome.result.maxRssBytes)).toBe(true);
      }
      expect(feed.summary.verdicts).toHaveLength(7);
      for (const verdict of feed.summary.verdicts) expect(positive(verdict.retainedVsPlain) && positive(verdict.speedVsReadline) && positive(verdict.speedVsDuckdb)).toBe(true);
      expect(feed.leafColumns).toBeGreaterThan(100);
    }
    expect(json.small.verdicts.map((v: { load: string }) => v.load)).toEqual(['fromFile-ndjson', 'fromFile-array', 'fromJSON-string']);
    expect(json.small.consistent).toBe(true);
    expect([json.small.copies, json.small.children]).toEqual([3, 2]);
    for (const outcome of json.small.outcomes) {
      expect(outcome.failures).toEqual([]);
      expect(outcome.runs.map((r: { copies: number; records: number }) => [r.copies, r.records])).toEqual([
        [3, 20],
        [3, 20],
      ]);
    }
    for (const figure of json.small.figures) {
      const { median, min, max } = figure.retainedPerCopy;
      expect(positive(median) && min <= median && median <= max).toBe(true);
      expect(typeof figure.disagrees).toBe('boolean');
    }
    expect(stdout).toContain('Top 10 columns by bytes');
    expect(stdout).toContain('2 fresh children, each holding 3 copies');
    expect(readFileSync(join(out, 'feeds.md'), 'utf8')).toBe(json.markdown);
  });

  it('--small-only runs the small file alone, the loads of --loads', async () => {
    const file = join(out, 'feeds-small.json');
    const args = ['--small-only', '--small', '20', '--loads', 'readline-json-parse,fromFile-ndjson', '--small-copies', '2', '--small-children', '1'];
    const { code, stdout, stderr } = await run([dist('feeds.js'), ...args, '--dir', join(out, 'feeds-data'), '--out', file]);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.feeds).toEqual([]);
    expect(json.small.figures.map((f: { load: string }) => f.load)).toEqual(['readline-json-parse', 'fromFile-ndjson']);
    expect(json.small.verdicts).toHaveLength(1);
    expect(stdout).toContain('the small file only');
  });
});

describe('query.js', () => {
  it('times every query against plain objects and DuckDB and writes well-formed results', async () => {
    const file = join(out, 'query.json');
    const { code, stdout } = await run([dist('query.js'), '--count', String(COUNT), '--iterations', '3', '--out', file]);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.count).toBe(COUNT);
    expect(json.targets.map((t: { operation: string }) => t.operation)).toEqual(['count', 'sum', 'group-by', 'group-by-2', 'top-10', 'first', 'id']);
    const operations = new Set(json.results.map((r: { operation: string }) => r.operation));
    const fixed = ['count', 'sum', 'group-by', 'group-by-2', 'top-10', 'first', 'first-late', 'id', 'dates'];
    // The plain-JS baselines of groupBy on two paths and of top-k are timed in the same run.
    for (const key of ['group-by-2', 'top-10']) {
      expect(new Set(json.results.filter((r: { operation: string }) => r.operation === key).map((r: { impl: string }) => r.impl))).toEqual(new Set(['memstore', 'plain']));
    }
    expect([...operations].slice(0, fixed.length)).toEqual(fixed);
    // The first-match sweep: rising rows, from the top to the last part of the store.
    const rest = [...operations].slice(fixed.length) as string[];
    const sweepRows = rest.filter((key) => key.startsWith('first-at-')).map((key) => Number(/^first-at-(\d+)$/.exec(key)![1]));
    expect(rest.filter((key) => !key.startsWith('first-at-'))).toEqual(['distinct-first-early', 'distinct-first-late', 'distinct-count', 'field-gt', 'field-gt-strings']);
    expect(sweepRows[0]).toBe(0);
    expect(sweepRows.every((row, i) => i === 0 || row > sweepRows[i - 1])).toBe(true);
    expect(sweepRows.at(-1)).toBeGreaterThan(COUNT / 2);
    expect(stdout).toContain('### first() as the match moves down');
    for (const result of json.results) expect(positive(result.medianMs) && positive(result.nsPerCall)).toBe(true);
    for (const key of ['count', 'sum', 'group-by']) {
      expect(json.results.filter((r: { operation: string }) => r.operation === key).map((r: { impl: string }) => r.impl)).toEqual(['memstore', 'plain', 'duckdb']);
      expect(positive(json.targets.find((t: { operation: string }) => t.operation === key).vsDuckdb)).toBe(true);
    }
    expect(json.answers.count).toBeGreaterThan(0);
    expect(json.duckdb.threads).toBeGreaterThan(0);
    expect(stdout).toContain('### sum of quantity.value');
  });
});

describe('compare.js', () => {
  it('runs each benchmark alternately in base and head and writes the comparison, leaving results/ alone', async () => {
    const file = join(out, 'compare.json');
    const committed = ['access.json', 'query.json'].map((name) => readFileSync(join(packageDir, 'results', name), 'utf8'));
    // The checkout against itself (an A/A comparison): the runner is what is under test here.
    const { code, stdout, stderr } = await run(
      [dist('compare.js'), '--base', repoDir, '--head', repoDir, '--rounds', '1', '--benches', 'access,query', '--count', String(COUNT), '--iterations', '3', '--only', 'count,first-late', '--out', file],
      repoDir,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.runs.map((r: { bench: string; side: string }) => `${r.bench} ${r.side}`)).toEqual(['access base', 'access head', 'query base', 'query head']);
    expect(json.comparisons.map((c: { bench: string }) => c.bench)).toEqual(['access', 'query']);
    const [access, query] = json.comparisons;
    expect(access.figures.map((f: { key: string }) => f.key)).toContain('memstore, for-of');
    expect(query.args).toEqual(['--count', String(COUNT), '--iterations', '3', '--only', 'count,first-late']);
    expect(new Set(query.figures.map((f: { key: string }) => f.key.split(' · ')[0]))).toEqual(new Set(['count', 'first-late']));
    for (const figure of [...access.figures, ...query.figures]) {
      expect(figure.better).toBe('lower');
      expect(figure.base).toHaveLength(1);
      expect(figure.head).toHaveLength(1);
      expect(positive(figure.ratio)).toBe(true);
      expect(typeof figure.worse).toBe('boolean');
    }
    expect(stdout).toContain('### query');
    expect(readFileSync(join(out, 'compare.md'), 'utf8')).toBe(json.markdown);
    expect(['access.json', 'query.json'].map((name) => readFileSync(join(packageDir, 'results', name), 'utf8'))).toEqual(committed);
  });

  it('prints one line and exits 1 without --base', async () => {
    const { code, stderr } = await run([dist('compare.js')], repoDir);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual(['compare: --base DIR is required (a built checkout to compare against)']);
  });
});

describe('persist.js', () => {
  it('saves and loads cargo and the events feed as .msx and writes well-formed results', async () => {
    const file = join(out, 'persist.json');
    const { code, stdout, stderr } = await run([dist('persist.js'), '--count', '5000', '--events', '500', '--runs', '1', '--dir', join(out, 'persist-data'), '--out', file]);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.results.map((r: { dataset: string }) => r.dataset)).toEqual(['cargo', 'events']);
    for (const result of json.results) {
      expect(result.consistent).toBe(true);
      for (const figure of ['jsonBytes', 'msxBytes', 'totalBytes', 'saveMs', 'loadMs', 'fromBytesMs', 'jsonParseMs', 'loadSpeedup']) expect(positive(result[figure]), figure).toBe(true);
    }
    expect(json.results[0].records).toBe(5000);
    expect(json.results[1].records).toBe(500);
    for (const target of Object.values(json.targets) as Array<{ met: unknown }>) expect(typeof target.met).toBe('boolean');
    expect(stdout).toContain('| cargo');
    expect(readFileSync(join(out, 'persist.md'), 'utf8')).toBe(json.markdown);
  });
});
