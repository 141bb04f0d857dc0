// The feeds benchmark as markdown (results/feeds.md): per feed, a table of every load, the
// targets per memstore load, the store's costliest columns and DuckDB's own memory figures;
// then the small-file figure and how everything was measured.
import { fmtFixed, fmtInt, fmtMiB, markdownTable } from '../cli';
import { FEEDS, type FeedFiles, type FeedName } from './feedFile';
import { APPEND_CHUNK_RECORDS, type FeedLoadResult } from './measure';
import { type FeedSummary, isMemstore, LOAD_LABELS, type LoadOutcome, SMALL_RSS_TOLERANCE, type SmallOutcome, type SmallSummary, type Spread, TARGETS } from './summary';

export interface FeedSection {
  feed: FeedName;
  files: FeedFiles;
  outcomes: LoadOutcome[];
  summary: FeedSummary;
}

export interface SmallSection extends SmallSummary {
  feed: FeedName;
  files: FeedFiles;
  /** Loads of the file each child holds at once, and the fresh children per load. */
  copies: number;
  children: number;
  outcomes: SmallOutcome[];
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

const kib = (bytes: number) => fmtFixed(bytes / 1024, 1);
const kibSpread = (s: Spread) => `${kib(s.median)} (${kib(s.min)}–${kib(s.max)})`;
const percent = (value: number) => `${value >= 0 ? '+' : '−'}${fmtFixed(Math.abs(100 * value), 0)}%`;

function smallSection(small: SmallSection): string[] {
  const rows = small.outcomes.map((o) => {
    const label = LOAD_LABELS[o.load];
    const f = small.figures.find((entry) => entry.load === o.load);
    if (f === undefined) return [label, `did not load: ${o.failures[0] ?? '?'}`, '', '', '', '', '', ''];
    const v = small.verdicts.find((entry) => entry.load === o.load);
    const { median, min, max } = f.retainedPerCopy;
    const crossCheck = f.rssVsRetained === null ? '**—: no positive retained figure**' : f.disagrees ? `**${percent(f.rssVsRetained)}: disagree**` : percent(f.rssVsRetained);
    const target = v === undefined ? '' : `${verdict(v.met)}${v.overlapsPlain ? ' (ranges overlap plain)' : ''}`;
    return [label, kibSpread(f.retainedPerCopy), `${fmtFixed((100 * (max - min)) / median, 0)}%`, perRecord(median, f.records), kibSpread(f.rssPerCopy), crossCheck, v ? times(v.retainedVsPlain) : '—', target];
  });
  const lines = [
    `### A small file: ${fmtInt(small.files.records)} ${small.feed} (${fmtFixed(small.files.bytes / 1024, 1)} KiB NDJSON)`,
    '',
    `Each load: ${fmtInt(small.children)} fresh children, each holding ${fmtInt(small.copies)} copies (separate loads of the file) at once; per copy = Δ / ${fmtInt(small.copies)}, ` +
      `median (min–max) over the children; spread = (max − min) / median. ΔRSS vs retained: the medians' difference, **disagree** past ±${fmtFixed(100 * SMALL_RSS_TOLERANCE, 0)}%.`,
    '',
    markdownTable(
      ['load', 'retained KiB / copy', 'spread', 'B/record', 'ΔRSS KiB / copy', 'ΔRSS vs retained', 'retained ÷ plain (medians)', 'target: not more than plain'],
      rows,
      'lrrrrrrl',
    ),
    '',
  ];
  const failed = small.outcomes.filter((o) => o.failures.length > 0 && o.runs.length > 0);
  for (const o of failed) lines.push(`${LOAD_LABELS[o.load]}: ${o.failures.length} of ${small.children} children failed (${o.failures[0]}); its figures are the other ${o.runs.length}'s.`, '');
  if (!small.consistent) lines.push('**Warning:** the small file\'s loads disagree on the record count or the check sum.', '');
  return lines;
}

export function renderMarkdown(records: number, sections: readonly FeedSection[], small: SmallSection | null, facts: RunFacts): string {
  const lines = [
    sections.length > 0 ? `## Feeds: ${fmtInt(records)} records of each feed, every load in a fresh child` : '## Feeds: the small file only, every load in fresh children',
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
  let how =
    `Each load runs in a fresh \`node --expose-gc\` child (measure/fork.ts): two warm-up loads of a 2,000-record file of the same feed (the file itself when smaller) the same way (dropped), ` +
    'gc until heapUsed + external holds still (measure/settle.ts: three rounds in a row within 4 KiB, 10 ms apart, as freed WASM memory leaves `external` late), the timed load, gc again; retained = Δ(heapUsed + external), which counts WASM memory ' +
    '(in external) once. ΔRSS is the cross-check (an upper bound: V8 keeps heap pages the input used). ';
  if (sections.length > 0) {
    how +=
      "Peak RSS is the child's maxRSS, warm-up and Node included. Load time runs from the start of the load to the ready store, array or table, reading the file included (fromRecords: from parsed objects), " +
      `one run per load; MB/s = 10^6 bytes of the file the load reads / s. The ${memstoreLoads} memstore loads: fromFile of either file, fromStream of the NDJSON, fromJSON of the array ` +
      `as a string and as bytes, fromRecords of the lines JSON.parse'd, and an empty store (fromRecords([])) given append(text) of ${fmtInt(APPEND_CHUNK_RECORDS)} NDJSON lines at a time. ` +
      'used = store.memory().totalBytes (columns and string table), reserved = reservedBytes (the WASM memory: headroom and the query workspace included). ' +
      'Every load of a feed must agree on the record count and the sum of one numeric path (events: actor.id; tweets: user.followers_count).';
  }
  if (small !== null) {
    how +=
      `${sections.length > 0 ? ' ' : ''}One load of the small file retains a few hundred KiB, no more than the noise of one measurement (JIT code and feedback made or not by then; ` +
      `before settle.ts waited for it, a dropped warm-up store's WASM memory, ~320 KiB, could still be in external at the baseline), so each of its loads is measured as ${fmtInt(small.copies)} independent copies (a separate load of the file each: a store each, or an array of freshly ` +
      `parsed objects each) made one after another and all held at once in one fresh child, past the heap at rest after them (no copy is dropped or disposed before the measurement; ` +
      `only the warm-up loads are, before the baseline); retained per copy = Δ(heapUsed + external) / ${fmtInt(small.copies)}, ΔRSS per copy = ΔRSS / ${fmtInt(small.copies)}. ` +
      `What copies share (hidden classes, internalized property names, compiled code: mostly made by the warm-up already) counts once over all ${fmtInt(small.copies)}. ` +
      `This runs in ${fmtInt(small.children)} fresh children per load, the loads interleaved child by child (round 1 of every load, then round 2, …), ` +
      'and the table gives the median over the children and its range; the target compares medians, and a verdict whose range overlaps plain\'s is marked so. ' +
      `ΔRSS / copy is the cross-check, its median marked **disagree** when more than ${fmtFixed(100 * SMALL_RSS_TOLERANCE, 0)}% off retained's: it runs above it because it also counts ` +
      "pages V8 committed for the heap and the loads touched but did not fill (the young generation grows with the loads' allocation) and memory the allocator keeps after frees, " +
      'and below it where WASM memory is reserved but never touched. Every copy in every child must read the same record count and check sum.';
  }
  lines.push('### How', '', how, '');
  return lines.join('\n');
}
