// Query speed on 1M cargo records: memstore vs plain objects (JSON.parse of the same data) in the
// same process, and DuckDB on the same records (an in-memory table loaded once from an NDJSON
// temp file; only the SQL queries are timed).
//   node dist/query.js [--count 1000000] [--seed N] [--iterations 15] [--out results/query.json] [--no-duckdb]
//                      [--only first,id,first-at-]   (operations whose key starts with one of these)
// Targets (reported, never enforced): count ≥ 20× faster than filter, sum ≥ 5× faster than a
// loop, group-by ≥ 10× faster than a Map loop, first/id no slower than plain, and
// count/sum/group-by each faster than DuckDB.
//
// Harness: tinybench 6.2.4 as in access.ts: 3 warm-up + --iterations timed samples per task
// (time budgets 0), median (latency.p50) reported. Operations that take nanoseconds (first, id)
// run many calls per sample, so the timer's resolution does not dominate; per-call times are
// the sample's median divided by the calls in it. Those loops fold each answer in with `^=`: a
// `+=` over ids turns the sum into a float whose add latency (~0.9 ns) hid both sides' cost.
// The id operation also times the loop alone, the floor under both.
//
// The parts, in src/query/: operation.ts (what an operation is), cargoOperations.ts (the table of
// operations on the cargo records), firstMatchSweep.ts, distinctStrings.ts, columnCompare.ts
// (column against column: field()), duckdb.ts (the DuckDB
// side), timing.ts (answers checked, tinybench, results and targets), markdown.ts (the output).
import { Store } from '@memstore/core';
import { fmtInt, intFlag, machineFacts, machineLine, parseArgs, runMain, stringFlag, writeResults } from './cli';
import { cargoJsonText, DEFAULT_SEED, type Cargo } from './datasets';
import { cargoOperations } from './query/cargoOperations';
import { columnCompare } from './query/columnCompare';
import { distinctStrings } from './query/distinctStrings';
import { openDuck, type Duck } from './query/duckdb';
import { firstMatchSweep } from './query/firstMatchSweep';
import { renderMarkdown } from './query/markdown';
import { checkAnswers, sinkValue, timeOperations, WARM_UP_RUNS } from './query/timing';

export type { QueryTarget, VariantResult } from './query/timing';

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['count', 'seed', 'iterations', 'out', 'only']);
  const only = stringFlag(args, 'only')?.split(',').filter((prefix) => prefix !== '');
  const count = intFlag(args, 'count', 1_000_000);
  const seed = intFlag(args, 'seed', DEFAULT_SEED);
  const iterations = intFlag(args, 'iterations', 15);
  const withDuckdb = args.flags.get('no-duckdb') === undefined;

  // Taken first: the load average then is other work's, not this benchmark's.
  const machine = machineFacts();
  process.stderr.write(`building ${fmtInt(count)} records as plain objects (JSON.parse) and as a memstore (Store.fromJSON)…\n`);
  let text: string | null = cargoJsonText(count, seed);
  const records = JSON.parse(text) as Cargo[];
  const store = await Store.fromJSON<Cargo>(text);
  text = null;
  const n = records.length;

  let duck: Duck | null = null;
  if (withDuckdb) {
    process.stderr.write('loading the same records into an in-memory DuckDB table (from an NDJSON temp file)…\n');
    duck = await openDuck(count, seed);
  }

  const operations = cargoOperations(records, store, n, duck);
  operations.push(...firstMatchSweep(records, store, n));
  const distinct = await distinctStrings(n);
  operations.push(...distinct.operations);
  const compared = await columnCompare(n, seed, records, store);
  operations.push(...compared.operations);
  // --only: time a few operations by themselves (the others' code paths then leave V8's feedback alone).
  if (only !== undefined) operations.splice(0, operations.length, ...operations.filter((op) => only.some((prefix) => op.key.startsWith(prefix))));

  // Every implementation must give the same answer before anything is timed.
  const answers = await checkAnswers(operations);
  const { results, targets } = await timeOperations(operations, iterations);

  const markdown = renderMarkdown(operations, results, targets, n, seed, iterations, machineLine(machine), duck);
  process.stdout.write(markdown);
  const written = writeResults(
    stringFlag(args, 'out'),
    'query.json',
    {
      kind: 'query',
      machine,
      count: n,
      seed,
      harness: 'tinybench 6.2.4',
      warmUpRuns: WARM_UP_RUNS,
      iterations,
      duckdb: duck === null ? null : { version: duck.version, threads: duck.threads, loadMs: duck.loadMs },
      answers,
      targets,
      results,
      markdown,
    },
    markdown,
  );
  process.stderr.write(`wrote ${written.json} and ${written.md} (sink ${sinkValue()})\n`);
  duck?.close();
  store.dispose();
  distinct.store.dispose();
  compared.store.dispose();
}

runMain('query', main);
