// Retained memory of 1M cargo records, per representation, each in a fresh child process.
//   node dist/memory.js [--count 1000000] [--seed N] [--out results/memory.json] [--only json-parse,memstore]
// Prints a markdown table and writes <out> (JSON, with machine facts) and <out>.md.
// The target (memstore ≤ 20 B/record at 1,000,000 records) is reported, never enforced.
import { fmtFixed, fmtInt, fmtMiB, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, UsageError, writeResults } from './cli';
import { DEFAULT_SEED } from './datasets';
import { measureRetained, type RetainedResult } from './measure/retained';
import { GENERATED } from './measure/representations';

export const TARGET_BYTES_PER_RECORD = 20;
export const TARGET_RECORDS = 1_000_000;

type Generated = (typeof GENERATED)[number];

export interface MemoryTarget {
  bytesPerRecordMax: number;
  atRecords: number;
  memstoreBytesPerRecord: number | null;
  typedArrayFloorBytesPerRecord: number | null;
  aboveFloorBytesPerRecord: number | null;
  met: boolean | null;
  summary: string;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['count', 'seed', 'out', 'only']);
  const count = intFlag(args, 'count', TARGET_RECORDS);
  const seed = intFlag(args, 'seed', DEFAULT_SEED);
  const only = stringFlag(args, 'only');
  const representations = only === undefined ? [...GENERATED] : only.split(',').map((name) => name.trim());
  for (const name of representations) {
    if (!(GENERATED as readonly string[]).includes(name)) throw new UsageError(`unknown representation ${name} (known: ${GENERATED.join(', ')})`);
  }

  const machine = machineFacts();
  const results: RetainedResult[] = [];
  for (const representation of representations as Generated[]) {
    process.stderr.write(`measuring ${representation} (${fmtInt(count)} records, fresh child)…\n`);
    results.push(await measureRetained({ representation, count, seed }));
  }

  const checksums = new Set(results.map((result) => result.checksum));
  const consistent = checksums.size <= 1;
  const target = checkTarget(results, count);
  const markdown = renderMarkdown(results, count, seed, machineLine(machine), target, consistent);
  process.stdout.write(markdown);
  const written = writeResults(stringFlag(args, 'out'), 'memory.json', { kind: 'memory', machine, count, seed, consistent, target, results, markdown }, markdown);
  process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
  if (!consistent) throw new Error(`representations disagree on the data (checksums ${[...checksums].join(', ')})`);
}

function checkTarget(results: RetainedResult[], count: number): MemoryTarget {
  const memstore = results.find((result) => result.representation === 'memstore');
  const floor = results.find((result) => result.representation === 'typed-arrays');
  const memstoreBpr = memstore?.bytesPerRecord ?? null;
  const floorBpr = floor?.bytesPerRecord ?? null;
  const above = memstoreBpr !== null && floorBpr !== null ? memstoreBpr - floorBpr : null;
  const met = memstoreBpr === null ? null : memstoreBpr <= TARGET_BYTES_PER_RECORD;
  let summary: string;
  if (memstoreBpr === null) summary = 'memstore not measured: no target check.';
  else {
    summary =
      `memstore ≤ ${TARGET_BYTES_PER_RECORD} B/record at ${fmtInt(TARGET_RECORDS)} records: ` +
      `${met ? 'MET' : 'NOT MET'} (${fmtFixed(memstoreBpr, 2)} B/record` +
      (above === null
        ? ''
        : `, ${fmtFixed(Math.abs(above), 2)} B/record ${above >= 0 ? 'above' : 'below'} the typed-array floor of ${fmtFixed(floorBpr!, 2)} as measured`) +
      ')' +
      (count === TARGET_RECORDS ? '.' : ` — indicative only: this run used ${fmtInt(count)} records.`);
  }
  return { bytesPerRecordMax: TARGET_BYTES_PER_RECORD, atRecords: TARGET_RECORDS, memstoreBytesPerRecord: memstoreBpr, typedArrayFloorBytesPerRecord: floorBpr, aboveFloorBytesPerRecord: above, met, summary };
}

function renderMarkdown(results: RetainedResult[], count: number, seed: number, machine: string, target: MemoryTarget, consistent: boolean): string {
  const perRecord = (bytes: number) => fmtFixed(bytes / count, 2);
  const rows = results.map((r) => [
    r.representation,
    fmtMiB(r.retainedBytes),
    fmtFixed(r.bytesPerRecord, 2),
    fmtMiB(r.heapUsedDelta),
    fmtMiB(r.externalDelta),
    fmtMiB(r.rssDelta),
    fmtFixed(r.rssBytesPerRecord, 2),
    r.store ? `${fmtInt(r.store.totalBytes)} (${perRecord(r.store.totalBytes)})` : '—',
    r.store ? `${fmtInt(r.store.reservedBytes)} (${perRecord(r.store.reservedBytes)})` : '—',
    fmtInt(r.buildMs),
  ]);
  const table = markdownTable(
    ['representation', 'retained MiB', 'B/record', 'Δheap MiB', 'Δexternal MiB', 'ΔRSS MiB', 'ΔRSS B/record', 'store totalBytes (B/rec)', 'store reservedBytes (B/rec)', 'build ms'],
    rows,
    'lrrrrrrrrr',
  );
  return [
    `## Retained memory: ${fmtInt(count)} cargo records (seed ${seed})`,
    '',
    `Machine: ${machine}`,
    '',
    table,
    '',
    'retained = Δ(heapUsed + external) across the build, each representation in a fresh `node --expose-gc` child,',
    'gc() twice before and after (until stable), input (records / JSON text) dropped; two warm-up builds of',
    'min(count, 100,000) records come first. build ms includes generating the input (records, and JSON text for json-parse).',
    'ΔRSS is the cross-check (an upper bound: pages freed by the dropped input are not always returned to the OS).',
    'typed-arrays = Int32Array id + Int16Array quantity + 4 Uint8Array codes = 10 B/record of data.',
    '',
    `**Target:** ${target.summary}`,
    consistent ? '' : '\n**Warning:** the representations hold different data (checksums differ).',
    '',
  ].join('\n');
}

runMain('memory', main);
