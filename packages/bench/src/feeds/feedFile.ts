// The feeds on disk: a feed's first N records of a seed written in one pass to an NDJSON file and
// a JSON array file (RecordFileWriter: ~4 MiB writes, so 100k+ records never sit in memory as
// one string), reused by later runs while the manifest matches.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRecordFile, RecordFileWriter } from '../measure/recordFile';
import { eventSource } from './events';
import { tweetSource } from './tweets';

export const FEEDS = {
  events: {
    title: 'GitHub-style events',
    source: eventSource,
    /** A numeric path every record has: its sum over the records checks that two loads hold the same data. */
    checkPath: ['actor', 'id'],
  },
  tweets: {
    title: 'tweets',
    source: tweetSource,
    checkPath: ['user', 'followers_count'],
  },
} as const;

export type FeedName = keyof typeof FEEDS;
export const FEED_NAMES = Object.keys(FEEDS) as FeedName[];
export const DEFAULT_FEED_SEED = 0x5eed;

export interface FeedFiles {
  feed: FeedName;
  seed: number;
  records: number;
  /** The NDJSON file and its size. */
  ndjson: string;
  bytes: number;
  /** The JSON array file (the same records) and its size. */
  array: string;
  arrayBytes: number;
}

/** The first `count` records of `feed` from `seed`, as `<dir>/<feed>-<count>.ndjson` and `.json`. */
export function writeFeedFiles(dir: string, feed: FeedName, count: number, seed: number = DEFAULT_FEED_SEED): FeedFiles {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${feed}-${count}`);
  const next = FEEDS[feed].source(seed);
  const lines = new RecordFileWriter(`${base}.ndjson`, 'ndjson');
  const array = new RecordFileWriter(`${base}.json`, 'json');
  try {
    for (let i = 0; i < count; i++) {
      const json = JSON.stringify(next());
      lines.add(json);
      array.add(json);
    }
    return { feed, seed, records: count, ndjson: lines.path, bytes: lines.finish(), array: array.path, arrayBytes: array.finish() };
  } catch (error) {
    lines.abandon();
    array.abandon();
    throw error;
  }
}

/** writeFeedFiles, unless both files are there as the manifest (beside the NDJSON file) describes them. */
export function ensureFeedFiles(dir: string, feed: FeedName, count: number, seed: number = DEFAULT_FEED_SEED): FeedFiles & { reused: boolean } {
  const path = join(dir, `${feed}-${count}.ndjson`);
  return ensureRecordFile<FeedFiles>(
    path,
    { feed, seed, records: count },
    () => writeFeedFiles(dir, feed, count, seed),
    (manifest) => existsSync(manifest.array) && statSync(manifest.array).size === manifest.arrayBytes,
  );
}
