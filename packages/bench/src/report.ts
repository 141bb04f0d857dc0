// The `npm start` job: a memory report for one JSON file.
//   node packages/bench/dist/report.js examples/cargo.json [--debug]
// Loads the file as plain objects (JSON.parse) and as a memstore (Store.fromFile), each in a fresh
// child process (see measure/retained.ts), and prints what each retains, store.memory() and the
// schema. A missing or malformed file prints one line and exits 1 (the stack only with --debug).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fmtFixed, fmtInt, fmtMiB, intFlag, parseArgs, runMain, UsageError } from './cli';
import { measureRetained, type RetainedResult } from './measure/retained';

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['runs']);
  if (args.positional.length !== 1) throw new UsageError('usage: node packages/bench/dist/report.js <file.json> [--runs 3] [--debug]');
  const shown = args.positional[0];
  const file = resolve(shown);

  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new UsageError(`${shown} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${shown}: ${code === 'ENOENT' ? 'no such file' : ((error as Error).message ?? code)}`);
  }

  const runs = intFlag(args, 'runs', DEFAULT_RUNS);
  // The two representations in parallel (independent processes, independent measurements),
  // each `runs` times in a row; the run with the median retained bytes is shown.
  const [storeOutcome, plainOutcome] = await Promise.allSettled([
    medianOf(runs, () => measureRetained({ representation: 'file-memstore', file })),
    medianOf(runs, () => measureRetained({ representation: 'file-json-parse', file })),
  ]);
  // memstore's parse errors name the line and column: prefer them.
  if (storeOutcome.status === 'rejected') throw describeFailure(shown, storeOutcome.reason);
  if (plainOutcome.status === 'rejected') throw describeFailure(shown, plainOutcome.reason);
  process.stdout.write(render(shown, size, plainOutcome.value, storeOutcome.value));
}

/**
 * A single small measurement moves by ±15% from process to process (heap layout, JIT timing);
 * the median of a few fresh processes is steady, and each costs a fraction of a second.
 */
const DEFAULT_RUNS = 3;

async function medianOf(runs: number, measure: () => Promise<RetainedResult>): Promise<RetainedResult & { runs: number }> {
  const results: RetainedResult[] = [];
  for (let run = 0; run < runs; run++) results.push(await measure());
  results.sort((a, b) => a.retainedBytes - b.retainedBytes);
  return { ...results[(runs - 1) >> 1], runs };
}

function describeFailure(shown: string, reason: unknown): Error {
  const error = reason instanceof Error ? reason : new Error(String(reason));
  const wrapped = new Error(`${shown}: ${error.message}`);
  wrapped.stack = error.stack;
  (wrapped as { childStack?: string }).childStack = (error as { childStack?: string }).childStack;
  return wrapped;
}

function render(shown: string, size: number, plain: RetainedResult & { runs: number }, store: RetainedResult & { runs: number }): string {
  const facts = store.store!;
  const records = store.records;
  const perRecord = (bytes: number) => (records > 0 ? fmtFixed(bytes / records, 1) : '—');
  const mib = (bytes: number) => `${fmtMiB(bytes)} MiB`;
  const lines: string[] = [];
  const table = (rows: string[][], align: string) => {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    for (const row of rows) lines.push('  ' + row.map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('   ').trimEnd());
  };

  lines.push(`memstore memory report: ${shown}`);
  lines.push(`  file: ${mib(size)} (${fmtInt(size)} bytes), ${fmtInt(records)} records`);
  lines.push('');
  lines.push(
    `Retained after loading (Δ heapUsed+external after gc, each in a fresh process, median of ${store.runs}; ΔRSS as a cross-check)`,
  );
  table(
    [
      ['', 'retained', 'bytes', 'B/record', 'ΔRSS'],
      ['plain objects (JSON.parse)', mib(plain.retainedBytes), fmtInt(plain.retainedBytes), perRecord(plain.retainedBytes), mib(plain.rssDelta)],
      ['memstore (Store.fromFile)', mib(store.retainedBytes), fmtInt(store.retainedBytes), perRecord(store.retainedBytes), mib(store.rssDelta)],
    ],
    'lrrrr',
  );
  const ratio = plain.retainedBytes / store.retainedBytes;
  lines.push(
    store.retainedBytes > 0 && Number.isFinite(ratio)
      ? `  plain objects retain ${fmtFixed(ratio, 1)}× what the memstore retains (${fmtFixed((100 * store.retainedBytes) / plain.retainedBytes, 1)}%).`
      : '  ratio: — (nothing retained)',
  );
  lines.push('');
  lines.push('store.memory(): columns');
  table(
    [['path', 'type', 'bytes', 'B/record'], ...facts.columns.map((column) => [column.path, column.type, fmtInt(column.bytes), perRecord(column.bytes)])],
    'llrr',
  );
  lines.push(`  strings: ${fmtInt(facts.strings.count)} distinct, ${fmtInt(facts.strings.bytes)} bytes (string table)`);
  lines.push(`  totalBytes:    ${fmtInt(facts.totalBytes).padStart(12)}  (${perRecord(facts.totalBytes)} B/record; columns + string table)`);
  lines.push(
    `  reservedBytes: ${fmtInt(facts.reservedBytes).padStart(12)}  (${perRecord(facts.reservedBytes)} B/record; WASM memory, ` +
      `${fmtFixed((100 * facts.totalBytes) / facts.reservedBytes, 1)}% used)`,
  );
  lines.push(`  retained − reserved: ${fmtInt(store.retainedBytes - facts.reservedBytes)} bytes on the JS side (views, string cache, engine)`);
  lines.push('');
  lines.push('Schema');
  for (const line of facts.schema.split('\n')) lines.push(`  ${line}`);
  lines.push('');
  return lines.join('\n');
}

runMain('report', main);
