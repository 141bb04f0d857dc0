// Retained memory of a column of big ids — 2^40 plus an offset below 2^32, past int32 — per
// representation, each in a fresh child process (measure/retained.ts).
//   node dist/bigIds.js [--count 100000] [--seed N] [--out results/big-ids.json]
// An int column holds them as a base plus 4-byte deltas (their spread fits u32); while ints
// stopped at int32 the column turned float64, 8 bytes a row: the ids-float64 row. Prints a
// markdown table and writes <out> (JSON, with machine facts) and <out>.md.
import { fmtFixed, fmtInt, fmtMiB, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, writeResults } from './cli';
import { BIG_ID_BASE, BIG_ID_SPREAD, DEFAULT_SEED } from './datasets';
import { measureRetained, type RetainedResult } from './measure/retained';
import { BIG_IDS } from './measure/representations';

export const BIG_ID_RECORDS = 100_000;

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['count', 'seed', 'out']);
  const count = intFlag(args, 'count', BIG_ID_RECORDS);
  const seed = intFlag(args, 'seed', DEFAULT_SEED);
  const machine = machineFacts();
  const results: RetainedResult[] = [];
  for (const representation of BIG_IDS) {
    process.stderr.write(`measuring ${representation} (${fmtInt(count)} ids, fresh child)…\n`);
    results.push(await measureRetained({ representation, count, seed }));
  }
  const consistent = new Set(results.map((result) => result.checksum)).size === 1;
  const markdown = renderMarkdown(results, count, seed, machineLine(machine), consistent);
  process.stdout.write(markdown);
  const written = writeResults(stringFlag(args, 'out'), 'big-ids.json', { kind: 'big-ids', machine, count, seed, consistent, results, markdown }, markdown);
  process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
  if (!consistent) throw new Error('representations disagree on the ids (checksums differ)');
}

/** The id column's bytes in store.memory() per row, its storage (from the schema's line), and the query workspace per row. */
function idColumn(result: RetainedResult): { bytesPerRow: string; storage: string; workspacePerRow: string } {
  const store = result.store;
  if (store === undefined) return { bytesPerRow: '—', storage: '—', workspacePerRow: '—' };
  const bytes = store.columns.find((column) => column.path === 'id')?.bytes ?? 0;
  const storage = /id: \w+ \(([^,)]+)/.exec(store.schema)?.[1] ?? '?';
  return { bytesPerRow: fmtFixed(bytes / result.records, 2), storage, workspacePerRow: fmtFixed(store.workspaceBytes / result.records, 2) };
}

function renderMarkdown(results: RetainedResult[], count: number, seed: number, machine: string, consistent: boolean): string {
  const rows = results.map((r) => {
    const id = idColumn(r);
    return [r.representation, fmtMiB(r.retainedBytes), fmtFixed(r.bytesPerRecord, 2), fmtMiB(r.heapUsedDelta), fmtMiB(r.externalDelta), id.storage, id.bytesPerRow, id.workspacePerRow, fmtInt(r.buildMs)];
  });
  const table = markdownTable(
    ['representation', 'retained MiB', 'B/row', 'Δheap MiB', 'Δexternal MiB', 'id storage', 'id column B/row', 'workspace B/row', 'build ms'],
    rows,
    'lrrrrlrrr',
  );
  return [
    `## Retained memory: ${fmtInt(count)} ids in [2^40, 2^40 + 2^32) (seed ${seed})`,
    '',
    `Machine: ${machine}`,
    '',
    table,
    '',
    'retained = Δ(heapUsed + external) across the build, each representation in a fresh `node --expose-gc` child,',
    'gc() twice before and after (until stable), the input (records, JSON text) dropped; two warm-up builds first.',
    `Ids are ${BIG_ID_BASE} + a uniform offset below ${BIG_ID_SPREAD}: an int column stores them as a base and 4-byte`,
    'deltas. ids-float64 is a Float64Array of the same ids: what the column held (8 B/row) when ints past int32 turned',
    'it float64. A store from JSON text grows its buffers by half again as rows arrive (reserved above used).',
    'id column and workspace: store.memory() (the bytes of the column; the query working memory, which for a key of',
    '100,000 distinct ints holds group tables for 16,384 groups, as for any int column: a float64 column has none).',
    consistent ? '' : '\n**Warning:** the representations hold different ids (checksums differ).',
    '',
  ].join('\n');
}

runMain('bigIds', main);
