// The feed generators: deterministic (same seed, same records; a file of N records is a prefix of
// a longer one), shaped like the real events they are modelled on, near their size and column
// targets, and stored exactly by memstore: Store.fromFile(...).toArray() deep-equals the lines
// JSON.parse'd, for the NDJSON file and the array file. Then the small-file figure's summary and
// markdown, on made-up children's results: per copy, medians, ranges, the ΔRSS cross-check.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '@memstore/core';
import { afterAll, describe, expect, it } from 'vitest';
import { eventSource } from '../src/feeds/events';
import { FEED_NAMES, FEEDS, writeFeedFiles } from '../src/feeds/feedFile';
import { renderMarkdown } from '../src/feeds/markdown';
import type { FeedLoad, FeedLoadResult } from '../src/feeds/measure';
import { type SmallOutcome, spread, summariseSmall } from '../src/feeds/summary';
import { tweetSource } from '../src/feeds/tweets';

const dir = mkdtempSync(join(tmpdir(), 'memstore-feeds-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every leaf path of a value (`a.b[]` for list elements), added to `into`. */
function leafPaths(value: unknown, path: string, into: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    if (value.length === 0) into.add(`${path}[]`);
    for (const element of value) leafPaths(element, `${path}[]`, into);
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) into.add(`${path}{}`);
    for (const key of keys) leafPaths((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, into);
  } else into.add(path);
  return into;
}

/** Every object key path of a value (lists crossed as `[]`), added to `into`. */
function keyPaths(value: unknown, path: string, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const element of value) keyPaths(element, `${path}[]`, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      into.add(childPath);
      keyPaths(child, childPath, into);
    }
  }
  return into;
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);

describe('feed generators', () => {
  it.each(FEED_NAMES)('%s: the same seed gives the same records, another seed others', (feed) => {
    const source = FEEDS[feed].source;
    const take = (seed: number) => {
      const next = source(seed);
      return Array.from({ length: 300 }, () => JSON.stringify(next()));
    };
    const first = take(7);
    expect(take(7)).toEqual(first);
    const other = take(8);
    expect(other.filter((record, i) => record === first[i])).toHaveLength(0);
  });

  it.each(FEED_NAMES)('%s: a file of N records is the first N of a longer one; NDJSON and array hold the same records', (feed) => {
    const short = writeFeedFiles(join(dir, 'short'), feed, 150);
    const long = writeFeedFiles(dir, feed, 400);
    expect(lines(long.ndjson).slice(0, 150)).toEqual(lines(short.ndjson));
    const parsed = lines(long.ndjson).map((line) => JSON.parse(line));
    expect(parsed).toHaveLength(400);
    expect(JSON.parse(readFileSync(long.array, 'utf8'))).toEqual(parsed);
    expect(long.bytes).toBe(Buffer.byteLength(readFileSync(long.ndjson)));
  });

  it('events: the types of the real sample have its payload keys and only its key paths, and a dozen more types appear', () => {
    const sample = JSON.parse(readFileSync(fileURLToPath(new URL('../src/feeds/github-events.sample.json', import.meta.url)), 'utf8')) as Array<{ type: string; payload: object }>;
    // Key paths across the sample (an issue's assignee is null in one type's sample, a user in another's)…
    const samplePaths = new Set<string>();
    for (const event of sample) keyPaths(event, '', samplePaths);
    // …and each type's payload keys.
    const payloadKeys = new Map<string, Set<string>>();
    for (const event of sample) for (const key of Object.keys(event.payload)) payloadKeys.set(event.type, (payloadKeys.get(event.type) ?? new Set()).add(key));
    // The sample's issues have no labels: the generator's are the API's { url, name, color }.
    for (const key of ['url', 'name', 'color']) samplePaths.add(`payload.issue.labels[].${key}`);
    const next = eventSource(3);
    const types = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const event = next() as { type: string; payload: object };
      types.add(event.type);
      const allowed = payloadKeys.get(event.type);
      if (allowed === undefined) continue;
      expect(Object.keys(event.payload).filter((key) => !allowed.has(key)), event.type).toEqual([]);
      expect([...keyPaths(event, '', new Set())].filter((path) => !samplePaths.has(path)), event.type).toEqual([]);
    }
    expect(types.size).toBeGreaterThanOrEqual(12);
  });

  it.each([
    ['events', 1400, 1900, 190, 260],
    ['tweets', 3200, 4400, 300, 400],
  ] as const)('%s: mean record size and column count near the targets', (feed, minBytes, maxBytes, minColumns, maxColumns) => {
    const next = FEEDS[feed].source(1);
    const columns = new Set<string>();
    let bytes = 0;
    const count = 4000;
    for (let i = 0; i < count; i++) {
      const record = next();
      bytes += Buffer.byteLength(JSON.stringify(record));
      leafPaths(record, '', columns);
    }
    expect(bytes / count).toBeGreaterThan(minBytes);
    expect(bytes / count).toBeLessThan(maxBytes);
    expect(columns.size).toBeGreaterThan(minColumns);
    expect(columns.size).toBeLessThan(maxColumns);
  });

  it('tweets: ids beyond int32 (numeric ones within 2^53), snowflake strings ~1.5e18, entity indices that point into the text', () => {
    const next = tweetSource(2);
    for (let i = 0; i < 500; i++) {
      const tweet = next() as { id: number; id_str: string; full_text: string; entities: { hashtags: Array<{ text: string; indices: number[] }> } };
      expect(Number.isSafeInteger(tweet.id) && tweet.id > 2 ** 31).toBe(true);
      expect(tweet.id_str).toMatch(/^1[45]\d{17}$/);
      const codePoints = [...tweet.full_text];
      for (const tag of tweet.entities.hashtags) expect(codePoints.slice(tag.indices[0], tag.indices[1]).join('')).toBe(`#${tag.text}`);
    }
  });
});

describe('memstore round-trips the feeds exactly', () => {
  // 2,500 records: past the 2,048 distinct strings at which string columns are first reviewed for text.
  it.each(FEED_NAMES)('%s: Store.fromFile(ndjson) and fromFile(array) give back the parsed lines', async (feed) => {
    const files = writeFeedFiles(join(dir, 'roundtrip'), feed, 2500);
    const expected = lines(files.ndjson).map((line) => JSON.parse(line));
    const fromLines = await Store.fromFile(files.ndjson);
    expect(fromLines.length).toBe(expected.length);
    expect(fromLines.toArray()).toStrictEqual(expected);
    fromLines.dispose();
    const fromArray = await Store.fromFile(files.array);
    expect(fromArray.toArray()).toStrictEqual(expected);
    fromArray.dispose();
  });
});

describe('the small-file figure', () => {
  const COPIES = 32;
  /** A child's result: `perCopy` retained bytes a copy, ΔRSS `rssFactor` × that. */
  const run = (load: FeedLoad, perCopy: number, rssFactor = 1, checksum = 42): FeedLoadResult => ({
    feed: 'tweets',
    load,
    file: 'tweets-100.ndjson',
    fileBytes: 361_000,
    records: 100,
    copies: COPIES,
    retainedBytes: perCopy * COPIES,
    heapUsedDelta: perCopy * COPIES,
    externalDelta: 0,
    rssDelta: perCopy * rssFactor * COPIES,
    ms: 3,
    maxRssBytes: 80 * 2 ** 20,
    checksum,
  });
  const outcome = (load: FeedLoad, perCopy: number[], rssFactor = 1): SmallOutcome => ({ load, runs: perCopy.map((bytes) => run(load, bytes, rssFactor)), failures: [] });

  it('spread: the median (of the middle two when even), min and max, whatever the order', () => {
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(spread([])).toBeNull();
  });

  it('per copy is the child’s Δ over its copies; the verdict compares medians, and says when the ranges overlap', () => {
    const { figures, verdicts, consistent } = summariseSmall([
      outcome('readline-json-parse', [100_000, 120_000, 110_000]),
      // One outlier above every plain figure: the median still meets the target.
      outcome('fromFile-ndjson', [95_000, 200_000, 90_000]),
      outcome('fromFile-array', [130_000, 125_000, 128_000]),
    ]);
    expect(consistent).toBe(true);
    expect(figures.map((f) => [f.load, f.children, f.copies, f.retainedPerCopy])).toEqual([
      ['readline-json-parse', 3, COPIES, { median: 110_000, min: 100_000, max: 120_000 }],
      ['fromFile-ndjson', 3, COPIES, { median: 95_000, min: 90_000, max: 200_000 }],
      ['fromFile-array', 3, COPIES, { median: 128_000, min: 125_000, max: 130_000 }],
    ]);
    expect(verdicts).toEqual([
      { load: 'fromFile-ndjson', retainedVsPlain: 95_000 / 110_000, met: true, overlapsPlain: true },
      { load: 'fromFile-array', retainedVsPlain: 128_000 / 110_000, met: false, overlapsPlain: false },
    ]);
  });

  it('ΔRSS per copy disagrees with retained per copy past 10% of it, either way', () => {
    const { figures } = summariseSmall([
      outcome('readline-json-parse', [100_000, 100_000], 1.09),
      outcome('json-parse-array', [100_000, 100_000], 1.11),
      outcome('fromFile-ndjson', [100_000, 100_000], 0.85),
    ]);
    expect(figures.map((f) => f.disagrees)).toEqual([false, true, true]);
    expect(figures[2].rssVsRetained).toBeCloseTo(-0.15, 10);
  });

  it('a child that read other records makes the figure inconsistent; a load without a child that reported has no figure', () => {
    const odd: SmallOutcome = { load: 'fromJSON-string', runs: [run('fromJSON-string', 90_000), run('fromJSON-string', 90_000, 1, 41)], failures: [] };
    const failed: SmallOutcome = { load: 'fromFile-array', runs: [], failures: ['out of memory'] };
    const summary = summariseSmall([outcome('readline-json-parse', [100_000]), odd, failed]);
    expect(summary.consistent).toBe(false);
    expect(summary.figures.map((f) => f.load)).toEqual(['readline-json-parse', 'fromJSON-string']);
    expect(summary.verdicts.map((v) => v.load)).toEqual(['fromJSON-string']);
  });

  it('the markdown gives each load its median, range and cross-check, and says how it was measured', () => {
    const outcomes = [
      outcome('readline-json-parse', [400 * 1024, 420 * 1024, 410 * 1024], 2),
      outcome('fromFile-ndjson', [380 * 1024, 390 * 1024, 450 * 1024], 1.05),
      { load: 'fromFile-array', runs: [], failures: ['the child exited with SIGKILL before reporting'] } satisfies SmallOutcome,
    ];
    const files = { feed: 'tweets', seed: 1, records: 100, ndjson: 'tweets-100.ndjson', bytes: 361_000, array: 'tweets-100.json', arrayBytes: 361_100 } as const;
    const small = { feed: 'tweets', files, copies: COPIES, children: 3, outcomes, ...summariseSmall(outcomes) } as const;
    const markdown = renderMarkdown(0, [], small, { machine: 'test machine', commit: 'abc', commands: ['node dist/feeds.js --small-only'], note: null });
    const row = (label: string) => markdown.split('\n').find((line) => line.startsWith(`| ${label}`)) ?? '';
    expect(markdown).toContain('the small file only');
    expect(markdown).toContain(`3 fresh children, each holding ${COPIES} copies`);
    expect(row('plain: readline')).toMatch(/410\.0 \(400\.0–420\.0\) \|\s+5% \|.*\*\*\+100%: disagree\*\*/);
    expect(row('memstore Store.fromFile(NDJSON)')).toMatch(/390\.0 \(380\.0–450\.0\).*\| \s*\+5% \|.*0\.95×.*met \(ranges overlap plain\)/);
    expect(row('memstore Store.fromFile(array)')).toContain('did not load: the child exited with SIGKILL');
    const how = markdown.slice(markdown.indexOf('### How'));
    expect(how).toContain(`${COPIES} independent copies`);
    expect(how).toContain('3 fresh children per load');
    expect(how).not.toContain('MB/s');
  });
});
