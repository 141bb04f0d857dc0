// Arrow in and out: store.toArrow(), Store.fromArrow, IPC write (toArrowIPC, file and stream) and
// read (fromArrowIPC), on 1M cargo records and the 100k GitHub-style events feed, each against a
// baseline timed in the same run: building the same Arrow table from the plain records with
// Arrow JS (tableFromJSON), and JSON text (JSON.stringify / JSON.parse of the records) for IPC.
//   node dist/arrow.js [--cargo 1000000] [--events 100000 | 0] [--iterations 5] [--event-iterations 3] [--out results/arrow.json]
// Medians of --iterations timed samples after 2 warm-up runs. The target (issue 13): toArrow()
// ≤ 5 ms per million rows of dictionary columns on cargo — counted here as the whole toArrow()
// (its int columns too) over the dictionary columns' rows, an upper bound.
import { type Table, tableFromJSON, tableToIPC } from 'apache-arrow';
import { Store } from '@memstore/core';
import { fmtFixed, fmtInt, intFlag, machineFacts, machineLine, markdownTable, MiB, parseArgs, runMain, stringFlag, writeResults } from './cli';
import { DEFAULT_SEED, generateCargo } from './datasets';
import { DEFAULT_FEED_SEED, FEEDS } from './feeds/feedFile';

const WARM_UP = 2;

interface Figure {
  dataset: string;
  operation: string;
  medianMs: number;
  /** The baseline's median, timed in the same run (null: none for this operation). */
  baseline: string | null;
  baselineMs: number | null;
  note: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median ms of `run` (sync or async) after the warm-up runs; `after` gets each result (to dispose it). */
async function time<R>(iterations: number, run: () => R | Promise<R>, after: (result: R) => void = () => {}): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < WARM_UP + iterations; i++) {
    const start = performance.now();
    const result = await run();
    const elapsed = performance.now() - start;
    after(result);
    if (i >= WARM_UP) samples.push(elapsed);
  }
  return median(samples);
}

/** Rows of a store's dictionary-coded string columns (struct fields at any depth; lists and maps aside). */
function dictionaryRows(store: Store): number {
  let columns = 0;
  const visit = (field: NonNullable<Store['schema']['fields']>[number]): void => {
    if (field.type === 'string' && field.storage !== 'text') columns++;
    if (field.type === 'struct') for (const child of field.fields ?? []) visit(child);
  };
  for (const field of store.schema.fields ?? []) visit(field);
  return columns * store.length;
}

async function measure(dataset: string, records: object[], iterations: number): Promise<{ figures: Figure[]; facts: Record<string, number> }> {
  const dispose = (store: Store) => store.dispose();
  const store = await Store.fromRecords<unknown>(records);
  const figures: Figure[] = [];
  const add = (operation: string, medianMs: number, baseline: string | null, baselineMs: number | null, note = '') => {
    figures.push({ dataset, operation, medianMs, baseline, baselineMs, note });
    process.stderr.write(`${dataset} ${operation}: ${fmtFixed(medianMs, 1)} ms${baseline ? ` (${baseline}: ${fmtFixed(baselineMs!, 1)} ms)` : ''}\n`);
  };
  const dictRows = dictionaryRows(store);

  const toArrowMs = await time(iterations, () => store.toArrow());
  const tableFromJsonMs = await time(Math.min(iterations, 3), () => tableFromJSON(records as Record<string, unknown>[])).catch(() => null);
  const perDictionaryRow = dictRows > 0 ? `${fmtFixed(toArrowMs / (dictRows / 1e6), 2)} ms per M rows of dictionary columns (${fmtInt(dictRows)} rows)` : '';
  // Arrow JS infers one type per column and gives up on columns of several kinds (the events' payloads).
  add('store.toArrow()', toArrowMs, tableFromJsonMs === null ? null : 'Arrow JS tableFromJSON(records)', tableFromJsonMs, tableFromJsonMs === null ? `${perDictionaryRow}; tableFromJSON cannot type these records` : perDictionaryRow);

  const dictionaryOnly = stringFields(records);
  if (dictionaryOnly !== null) {
    // The target's own measure: a store of the records' dictionary string columns alone.
    const strings = await Store.fromRecords<unknown>(dictionaryOnly);
    const rows = dictionaryRows(strings);
    const ms = await time(iterations, () => strings.toArrow());
    add('store.toArrow(), dictionary columns only', ms, null, null, `${fmtFixed(ms / (rows / 1e6), 2)} ms per M rows of dictionary columns (${fmtInt(rows)} rows in ${fmtInt(rows / strings.length)} columns)`);
    strings.dispose();
  }

  const table: Table = store.toArrow();
  const fromArrowMs = await time(iterations, () => Store.fromArrow(table), dispose);
  const text = JSON.stringify(records);
  const fromJsonMs = await time(iterations, () => Store.fromJSON(text), dispose);
  add('Store.fromArrow(table)', fromArrowMs, 'Store.fromJSON(text)', fromJsonMs, 'decoded column by column, then stored as records (fromRecords)');

  const stringifyMs = await time(iterations, () => JSON.stringify(records));
  const parseMs = await time(iterations, () => JSON.parse(text));
  const sizes: Record<string, number> = { jsonBytes: Buffer.byteLength(text) };
  for (const format of ['file', 'stream'] as const) {
    const bytes = store.toArrowIPC({ format });
    sizes[`${format}Bytes`] = bytes.length;
    add(`store.toArrowIPC({ format: '${format}' })`, await time(iterations, () => store.toArrowIPC({ format })), 'JSON.stringify(records)', stringifyMs, `${fmtFixed(bytes.length / MiB, 1)} MiB (JSON: ${fmtFixed(sizes.jsonBytes / MiB, 1)} MiB)`);
    add(`Store.fromArrowIPC(${format} bytes)`, await time(iterations, () => Store.fromArrowIPC(bytes), dispose), 'JSON.parse(text)', parseMs, 'framing and every array validated first');
  }
  add('tableToIPC(store.toArrow())', await time(iterations, () => tableToIPC(store.toArrow(), 'file')), null, null, 'one table, then Arrow JS\'s writer: what toArrowIPC does in batches');
  const facts = { records: store.length, dictionaryColumnRows: dictRows, ...sizes };
  store.dispose();
  return { figures, facts };
}

/** Cargo records cut to their string fields (product, quantity.id, dates), or null for other records. */
function stringFields(records: object[]): object[] | null {
  const first = records[0] as { product?: unknown; dates?: unknown } | undefined;
  if (first?.product === undefined || first.dates === undefined) return null;
  return (records as { product: object; quantity: { id: string }; dates: object }[]).map((record) => ({ product: record.product, quantity: { id: record.quantity.id }, dates: record.dates }));
}

function eventRecords(count: number): object[] {
  const next = FEEDS.events.source(DEFAULT_FEED_SEED);
  return Array.from({ length: count }, () => next());
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['cargo', 'events', 'iterations', 'event-iterations', 'out']);
  // `--events 0` (or `--cargo 0`) skips that dataset: intFlag takes positive counts only.
  const count = (name: string, fallback: number) => (args.flags.get(name) === '0' ? 0 : intFlag(args, name, fallback));
  const cargoCount = count('cargo', 1_000_000);
  const eventCount = count('events', 100_000);
  const iterations = intFlag(args, 'iterations', 5);
  // The events' loads take seconds each (220 columns, most of them sparse): fewer samples.
  const eventIterations = intFlag(args, 'event-iterations', 3);
  const machine = machineFacts();
  const none = { figures: [], facts: {} };
  const cargo = cargoCount > 0 ? await measure(`cargo ×${fmtInt(cargoCount)}`, generateCargo(cargoCount, DEFAULT_SEED), iterations) : none;
  const events = eventCount > 0 ? await measure(`events ×${fmtInt(eventCount)}`, eventRecords(eventCount), eventIterations) : none;
  const figures = [...cargo.figures, ...events.figures];
  const rows = figures.map((f) => [f.dataset, f.operation, fmtFixed(f.medianMs, 1), f.baseline ?? '—', f.baselineMs === null ? '—' : fmtFixed(f.baselineMs, 1), f.baselineMs === null ? '—' : `${fmtFixed(f.baselineMs / f.medianMs, 2)}x`, f.note]);
  const markdown = [
    `## Arrow in and out: ${[cargoCount > 0 ? `${fmtInt(cargoCount)} cargo records` : '', eventCount > 0 ? `${fmtInt(eventCount)} GitHub-style events` : ''].filter(Boolean).join(', ')}`,
    '',
    `Machine: ${machineLine(machine)}`,
    '',
    markdownTable(['data', 'operation', 'median ms', 'baseline (same run)', 'baseline ms', 'baseline / memstore', 'note'], rows, 'llrlrrl'),
    '',
    'Store.fromArrow goes through records: each Arrow column is decoded into JSON values, then records are made and',
    'stored by fromRecords (its two passes). That is its cost against fromJSON; a per-column route is not built yet.',
    '',
    `Medians of ${iterations} timed samples (events: ${eventIterations}) after ${WARM_UP} warm-up runs (tableFromJSON: at most 3), one process; stores built with fromRecords.`,
    'Target (issue 13): toArrow() ≤ 5 ms per million rows of dictionary columns on cargo: the row "dictionary',
    'columns only" (a store of cargo\'s five string columns); the whole toArrow()\'s note counts its int columns too.',
    'Command: `npm run bench:arrow` (`-w @memstore/bench`, after `npm run build`).',
    '',
  ].join('\n');
  process.stdout.write(markdown);
  const written = writeResults(stringFlag(args, 'out'), 'arrow.json', { kind: 'arrow', machine, iterations, eventIterations, cargo: cargo.facts, events: events.facts, figures, markdown }, markdown);
  process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
}

runMain('arrow', main);
