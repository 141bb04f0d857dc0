// The feeds benchmark as markdown (results/feeds.md): per feed, a table of every load, the
// targets per memstore load, the store's costliest columns and DuckDB's own memory figures;
// then the small-file figure and how everything was measured.
import { fmtFixed, fmtInt, fmtMiB, markdownTable } from '../cli';
import { FEEDS, type FeedFiles, type FeedName } from './feedFile';
import { APPEND_CHUNK_RECORDS, type FeedLoadResult } from './measure';
import { type FeedSummary, isMemstore, LOAD_LABELS, type LoadOutcome, type SmallVerdict, TARGETS } from './summary';

export interface FeedSection {
  feed: FeedName;
  files: FeedFiles;
  outcomes: LoadOutcome[];
  summary: FeedSummary;
}

export interface SmallSection {
  feed: FeedName;
  files: FeedFiles;
  outcomes: LoadOutcome[];
  verdicts: SmallVerdict[];
}

export interface RunFacts {
  machine: string;
  commit: string;
  commands: string[];
  note: string | null;
}

const times = (value: number | null) => (value === null ? '—' : `${fmtFixed(value, 2)}×`);
const verdict = (met: boolean | null) => (met === null ? '—' : met ? 'met' : '**NOT MET**');
const perRecord = (bytes: number, records: number) => fmtFixed(bytes / records, 0);

/** Leaf columns of a store (every node that is not a struct, list or map). */
export function leafColumns(result: FeedLoadResult | undefined): number | null {
  return result?.store === undefined ? null : result.store.columns.filter((column) => !['struct', 'list', 'map'].includes(column.type)).length;
}

function loadsTable(section: FeedSection): string {
  const { summary } = section;
  const rows = section.outcomes.map((outcome) => {
    const label = LOAD_LABELS[outcome.load];
    const r = outcome.result;
    if (r === undefined) return [label, `did not load: ${outcome.failure ?? '?'}`, '', '', '', '', '', '', '', '', ''];
    const v = summary.verdicts.find((entry) => entry.load === outcome.load);
    const retained = outcome.load === 'duckdb' ? `(${fmtMiB(r.retainedBytes)})` : fmtMiB(r.retainedBytes);
    return [
      label,
      retained,
      outcome.load === 'duckdb' ? '—' : perRecord(r.retainedBytes, r.records),
      fmtMiB(r.rssDelta),
      fmtInt(r.ms),
      fmtFixed(r.fileBytes / 1e6 / (r.ms / 1000), 1),
      fmtMiB(r.maxRssBytes),
      r.store ? `${fmtMiB(r.store.totalBytes)} / ${fmtMiB(r.store.reservedBytes)}` : r.duckdb ? `${fmtMiB(r.duckdb.memoryBytes)} (DuckDB)` : '—',
      v ? times(v.retainedVsPlain) : '—',
      v ? times(v.speedVsReadline) : '—',
      v ? times(v.speedVsDuckdb) : '—',
    ];
  });
  return markdownTable(
    ['load', 'retained MiB', 'B/record', 'ΔRSS MiB', 'load ms', 'MB/s', 'peak RSS MiB', 'used / reserved MiB', 'retained ÷ plain', 'speed × readline', 'speed × DuckDB'],
    rows,
    'lrrrrrrrrrr',
  );
}

function targetsTable(section: FeedSection): string {
  const byLoad = new Map(section.outcomes.map((o) => [o.load, o.result]));
  return markdownTable(
    ['memstore load', `retained ≤ ${TARGETS.retainedVsPlain}× plain`, 'reserved ≤ 1.05×used + 64 KiB', `≥ ${TARGETS.speedVsReadline}× readline + JSON.parse`, 'faster than DuckDB', 'peak RSS ≤ reserved + 128 MiB'],
    section.summary.verdicts.map((v) => {
      const r = byLoad.get(v.load)!;
      const store = r.store!;
      return [
        LOAD_LABELS[v.load].replace('memstore ', ''),
        `${verdict(v.met.retained)} (${times(v.retainedVsPlain)})`,
        `${verdict(v.met.reserved)} (${fmtMiB(store.reservedBytes)} vs ${fmtMiB(v.reservedLimitBytes)})`,
        `${verdict(v.met.speedVsReadline)} (${times(v.speedVsReadline)})`,
        `${verdict(v.met.speedVsDuckdb)} (${times(v.speedVsDuckdb)})`,
        `${verdict(v.met.peakRss)} (${fmtMiB(r.maxRssBytes)} vs ${fmtMiB(store.reservedBytes + TARGETS.rssHeadroomBytes)})`,
      ];
    }),
    'llllll',
  );
}

function topColumns(result: FeedLoadResult, count: number): string {
  const store = result.store!;
  const columns = [...store.columns].sort((a, b) => b.bytes - a.bytes).slice(0, count);
  return markdownTable(
    ['column', 'type', 'storage', 'distinct strings', 'bytes', 'B/record', 'share of used'],
    columns.map((c) => [
      `\`${c.path}\``,
      c.type,
      c.storage,
      c.cardinality === undefined ? '' : fmtInt(c.cardinality),
      fmtInt(c.bytes),
      fmtFixed(c.bytes / result.records, 1),
      `${fmtFixed((100 * c.bytes) / store.totalBytes, 1)}%`,
    ]),
    'lllrrrr',
  );
}

function feedSection(section: FeedSection): string[] {
  const { files, summary } = section;
  const reference = section.outcomes.find((o) => o.load === 'fromFile-ndjson')?.result ?? section.outcomes.find((o) => o.result?.store !== undefined)?.result;
  const columns = leafColumns(reference);
  const lines = [
    `### ${section.feed}: ${FEEDS[section.feed].title}, ${fmtInt(files.records)} records`,
    '',
    `NDJSON ${fmtFixed(files.bytes / 1e6, 1)} MB (${fmtInt(files.bytes / files.records)} B/record), array ${fmtFixed(files.arrayBytes / 1e6, 1)} MB, seed ${files.seed}` +
      (columns === null ? '.' : `; the store has ${columns} leaf columns.`),
    '',
    loadsTable(section),
    '',
    '**Targets** (ratios against readline + JSON.parse per line, and DuckDB, on the same file):',
    '',
    targetsTable(section),
    '',
  ];
  const fromRecords = section.outcomes.find((o) => o.load === 'fromRecords')?.result;
  if (fromRecords?.inputRetainedBytes !== undefined) {
    lines.push(
      `fromRecords: its input (the lines JSON.parse'd, ${fmtMiB(fromRecords.inputRetainedBytes)} MiB) is parsed before the baseline and held past the end, ` +
        `so its row counts Store.fromRecords alone (time too: ${fmtInt(fromRecords.ms)} ms from parsed objects, not from the file).`,
      '',
    );
  }
  if (reference?.store !== undefined) {
    const store = reference.store;
    lines.push(
      `Top 10 columns by bytes in store.memory() (${LOAD_LABELS[reference.load].replace('memstore ', '')}; used ${fmtMiB(store.totalBytes)} MiB, ` +
        `string table ${fmtMiB(store.strings.bytes)} MiB for ${fmtInt(store.strings.count)} strings, query workspace ${fmtMiB(store.workspaceBytes)} MiB of the reserved):`,
      '',
      topColumns(reference, 10),
      '',
    );
  }
  const duck = summary.duckdb?.duckdb;
  if (duck !== undefined) {
    lines.push(
      `DuckDB ${duck.version}, ${duck.threads} threads, \`${duck.sql}\` into a new in-memory database (time includes creating it): ` +
        `duckdb_memory() ${fmtMiB(duck.memoryBytes)} MiB, database_size memory_usage ${duck.databaseSize}, ${duck.topLevelColumns} top-level columns; ` +
        `its memory is native, so its retained (heap + external) figure is in parentheses and ΔRSS is the one to read.`,
      '',
    );
  }
  if (!summary.consistent) lines.push('**Warning:** the loads disagree on the record count or the check sum.', '');
  return lines;
}

function smallSection(small: SmallSection): string[] {
  const rows = small.outcomes.map((o) => {
    const r = o.result;
    if (r === undefined) return [LOAD_LABELS[o.load], `did not load: ${o.failure ?? '?'}`, '', '', ''];
    const v = small.verdicts.find((entry) => entry.load === o.load);
    return [LOAD_LABELS[o.load], fmtFixed(r.retainedBytes / 1024, 1), perRecord(r.retainedBytes, r.records), v ? times(v.retainedVsPlain) : '—', v ? verdict(v.met) : ''];
  });
  return [
    `### A small file: ${fmtInt(small.files.records)} ${small.feed} (${fmtFixed(small.files.bytes / 1024, 1)} KiB NDJSON)`,
    '',
    markdownTable(['load', 'retained KiB', 'B/record', 'retained ÷ plain', 'target: not more than plain'], rows, 'lrrrl'),
    '',
  ];
}

export function renderMarkdown(records: number, sections: readonly FeedSection[], small: SmallSection | null, facts: RunFacts): string {
  const lines = [
    `## Feeds: ${fmtInt(records)} records of each feed, every load in a fresh child`,
    '',
    `Machine: ${facts.machine}`,
    '',
    `Commit: ${facts.commit}`,
    '',
    'Commands:',
    ...facts.commands.map((command) => `- \`${command}\``),
    '',
    ...(facts.note === null ? [] : [facts.note, '']),
  ];
  for (const section of sections) lines.push(...feedSection(section));
  if (small !== null) lines.push(...smallSection(small));
  const memstoreLoads = sections[0]?.outcomes.filter((o) => isMemstore(o.load)).length ?? 0;
  lines.push(
    '### How',
    '',
    `Each load runs in a fresh \`node --expose-gc\` child (measure/fork.ts): two warm-up loads of a 2,000-record file of the same feed (the file itself when smaller) the same way (dropped), ` +
      'gc until heapUsed + external is stable (measure/settle.ts), the timed load, gc again; retained = Δ(heapUsed + external), which counts WASM memory ' +
      '(in external) once. ΔRSS is the cross-check (an upper bound: V8 keeps heap pages the input used). Peak RSS is the child\'s maxRSS, warm-up and Node ' +
      'included. Load time runs from the start of the load to the ready store, array or table, reading the file included (fromRecords: from parsed objects), ' +
      `one run per load; MB/s = 10^6 bytes of the file the load reads / s. The ${memstoreLoads} memstore loads: fromFile of either file, fromStream of the NDJSON, fromJSON of the array ` +
      `as a string and as bytes, fromRecords of the lines JSON.parse'd, and an empty store (fromRecords([])) given append(text) of ${fmtInt(APPEND_CHUNK_RECORDS)} NDJSON lines at a time. ` +
      'used = store.memory().totalBytes (columns and string table), reserved = reservedBytes (the WASM memory: headroom and the query workspace included). ' +
      'Every load of a feed must agree on the record count and the sum of one numeric path (events: actor.id; tweets: user.followers_count).',
    '',
  );
  return lines.join('\n');
}
