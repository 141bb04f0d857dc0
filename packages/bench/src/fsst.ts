// FSST text columns (issue 11; core's assembly/fsst.ts): what the compression saves on the feeds'
// text columns. For each feed (the NDJSON files feeds.ts writes and reuses), Store.fromFile, then
// for every string column stored as text or fsst: its rows, its strings' WTF-8 bytes (from
// store.column(path): a decoded copy), the bytes it holds (store.memory(): codes or bytes, its
// offsets, bitmaps, the 2,816-byte table) and their ratio; the store's used bytes, and what its
// fsst columns would hold as text (their strings' bytes plus what they hold besides the codes).
//   node dist/fsst.js [--records 100000] [--feeds events,tweets] [--seed N] [--dir DIR] [--out results/fsst.json]
// What compression costs in load time is an A/B of two builds (feeds.ts in each, or compare.ts).
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Store } from '@memstore/core';
import { fmtFixed, fmtInt, fmtMiB, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, UsageError, writeResults } from './cli';
import { DEFAULT_FEED_SEED, ensureFeedFiles, FEED_NAMES, type FeedName } from './feeds/feedFile';

interface ColumnRow {
  path: string;
  storage: string;
  sparse: boolean;
  rows: number;
  /** The strings' WTF-8 bytes. */
  stringBytes: number;
  /** What the column holds (store.memory()). */
  heldBytes: number;
  /** Of that, the heap: codes (fsst) or the bytes themselves (text). */
  heapBytes: number;
}

interface FeedResult {
  feed: FeedName;
  records: number;
  fileBytes: number;
  loadMs: number;
  usedBytes: number;
  /** used with every fsst column's codes replaced by its strings' bytes. */
  usedAsTextBytes: number;
  columns: ColumnRow[];
}

async function measureFeed(feed: FeedName, records: number, seed: number, dir: string): Promise<FeedResult> {
  const files = ensureFeedFiles(dir, feed, records, seed);
  const started = performance.now();
  const store = await Store.fromFile(files.ndjson);
  const loadMs = performance.now() - started;
  const memory = store.memory();
  const held = new Map(memory.columns.map((column) => [column.path, column.bytes]));
  const columns: ColumnRow[] = [];
  const walk = (field: (typeof store)['schema']) => {
    if (field.type === 'string' && (field.storage === 'text' || field.storage === 'fsst')) {
      const data = store.column(field.path);
      const codes = field.storage === 'fsst' ? heapOf(store, field.path) : data.bytes!.length;
      columns.push({ path: field.path, storage: field.storage, sparse: field.sparse, rows: field.rows, stringBytes: data.bytes!.length, heldBytes: held.get(field.path) ?? 0, heapBytes: codes });
    }
    for (const child of [...(field.fields ?? []), field.element, field.keys, field.values]) if (child) walk(child);
  };
  walk(store.schema);
  columns.sort((a, b) => b.stringBytes - a.stringBytes);
  let usedAsText = memory.totalBytes;
  for (const column of columns) if (column.storage === 'fsst') usedAsText += column.stringBytes - column.heapBytes - 2816;
  store.dispose();
  return { feed, records, fileBytes: files.bytes, loadMs, usedBytes: memory.totalBytes, usedAsTextBytes: usedAsText, columns };
}

/**
 * An fsst column's heap of codes: what memory() says it holds less its 96-byte descriptor, offsets
 * (4 per stored row, and 1), bitmaps, sparse index and 2,816-byte table. Exact after a load, whose
 * compaction leaves every buffer at its rows' size (store.column() hands the rows decoded).
 */
function heapOf(store: Store, path: string): number {
  const column = store.column(path);
  const stored = column.sparse === null ? column.length : column.sparse.stored;
  const bitmaps = (column.nulls?.length ?? 0) + (column.missing?.length ?? 0) + (column.sparse === null ? 0 : column.sparse.index.length * 4);
  const held = store.memory().columns.find((entry) => entry.path === path)!.bytes;
  return held - 96 - (stored + 1) * 4 - bitmaps - 2816;
}

function renderMarkdown(results: FeedResult[], facts: ReturnType<typeof machineFacts>, command: string, loads: [number[], number[]]): string {
  const lines = [
    `## FSST text columns: what compression saves on the feeds`,
    '',
    `Machine: ${machineLine(facts)}, load average ${loads[0].map((v) => v.toFixed(2)).join(' ')} (at the end: ${loads[1].map((v) => v.toFixed(2)).join(' ')})`,
    '',
    `Command: \`${command}\``,
    '',
    'Each feed loaded by `Store.fromFile` of its NDJSON file (one run, in this process). For every string column stored as text or fsst:',
    'its strings\' WTF-8 bytes (a decoded `store.column(path)`), the bytes it holds (`store.memory()`: its heap — codes, or the',
    'bytes as they are —, offsets, bitmaps, sparse index, the 2,816-byte table and the descriptor), and the heap against the',
    'strings. "used as text" is the store\'s used bytes with each fsst column\'s codes and table replaced by its strings\' bytes:',
    'what the store would hold without compression (the text encoding is otherwise the same).',
    '',
  ];
  for (const result of results) {
    const fsst = result.columns.filter((column) => column.storage === 'fsst');
    const strings = fsst.reduce((total, column) => total + column.stringBytes, 0);
    const codes = fsst.reduce((total, column) => total + column.heapBytes, 0);
    lines.push(`### ${result.feed}: ${fmtInt(result.records)} records, ${fmtFixed(result.fileBytes / 1e6, 1)} MB of NDJSON`, '');
    lines.push(
      `Load ${fmtInt(result.loadMs)} ms. Used ${fmtMiB(result.usedBytes)} MiB; as text it would be ${fmtMiB(result.usedAsTextBytes)} MiB (${fmtFixed(100 * (1 - result.usedBytes / result.usedAsTextBytes), 1)}% less). ` +
        `${fsst.length} of ${result.columns.length} text columns compressed: ${fmtMiB(strings)} MiB of strings in ${fmtMiB(codes)} MiB of codes (${fmtFixed(codes / Math.max(1, strings), 3)}).`,
      '',
    );
    lines.push(
      markdownTable(
        ['column', 'storage', 'sparse', 'rows', 'string bytes', 'heap bytes', 'heap ÷ strings', 'held bytes', 'held B/row'],
        result.columns.slice(0, 25).map((column) => [
          `\`${column.path}\``, column.storage, column.sparse ? 'yes' : '', fmtInt(column.rows), fmtInt(column.stringBytes), fmtInt(column.heapBytes),
          fmtFixed(column.heapBytes / Math.max(1, column.stringBytes), 3), fmtInt(column.heldBytes), fmtFixed(column.heldBytes / Math.max(1, column.rows), 1),
        ]),
        'lllrrrrrr',
      ),
      '',
    );
    if (result.columns.length > 25) lines.push(`(${result.columns.length - 25} smaller text columns not listed; all in the JSON.)`, '');
  }
  return lines.join('\n');
}

runMain('fsst', async (argv) => {
  const args = parseArgs(argv, ['records', 'feeds', 'seed', 'dir', 'out']);
  const records = intFlag(args, 'records', 100_000);
  const seed = intFlag(args, 'seed', DEFAULT_FEED_SEED);
  const dir = resolve(stringFlag(args, 'dir') ?? join(tmpdir(), 'memstore-bench-feeds'));
  const feeds = (stringFlag(args, 'feeds') ?? FEED_NAMES.join(',')).split(',').map((name) => name.trim()) as FeedName[];
  for (const feed of feeds) if (!FEED_NAMES.includes(feed)) throw new UsageError(`--feeds: unknown ${feed} (known: ${FEED_NAMES.join(', ')})`);
  const before = loadavg();
  const results: FeedResult[] = [];
  for (const feed of feeds) {
    results.push(await measureFeed(feed, records, seed, dir));
    console.error(`${feed}: done`);
  }
  const facts = machineFacts();
  const command = `node packages/bench/dist/fsst.js${argv.length > 0 ? ` ${argv.join(' ')}` : ''}`;
  const markdown = renderMarkdown(results, facts, command, [before, loadavg()]);
  const written = writeResults(stringFlag(args, 'out'), 'fsst.json', { machine: facts, records, seed, results }, markdown);
  console.log(markdown);
  console.error(`wrote ${written.json} and ${written.md}`);
});
