// The `memstore` program: its commands and options (commander), and the one place errors are
// printed — one readable line and a non-zero exit (2: the command line was wrong, 1: the work
// failed), the stack only with --debug. Data goes to stdout; progress to stderr, on a terminal only.
import { Command, CommanderError, Option } from 'commander';
import { MemstoreError } from '@memstore/core';
import { convertCommand } from './commands/convert';
import { headCommand } from './commands/head';
import { inspectCommand } from './commands/inspect';
import { measureCommand } from './commands/measure';
import { queryCommand } from './commands/query';
import { typesCommand } from './commands/types';
import { REPRESENTATIONS } from './represent/index';
import { UsageError } from './text/errors';
import { EXTENSIONS } from './text/formats';
import { progress } from './text/progress';

const write = (text: string) => void process.stdout.write(text);

function program(): Command {
  const root = new Command('memstore')
    .description('Measure, convert, inspect and query JSON records with memstore.')
    .version('0.1.0')
    .option('--debug', 'print the stack of an error')
    .option('-q, --quiet', 'no progress on stderr')
    .showHelpAfterError('(memstore <command> --help for its options)')
    .exitOverride();
  const pointer = () => new Option('--pointer <pointer>', "JSON Pointer to the records inside one document (e.g. /features; '' the whole document)");
  const bar = () => progress(root.opts().quiet === true);

  root
    .command('measure')
    .description('load a file in every representation, each in its own child process, and compare their memory')
    .argument('<file>', `the records (${EXTENSIONS.join(', ')})`)
    .addOption(pointer())
    .option('--reps <list>', `representations, comma-separated (${REPRESENTATIONS.join(', ')})`, REPRESENTATIONS.join(','))
    .option('--heap <MiB>', "the children's JS heap limit (--max-old-space-size), for plain objects of a large file")
    .option('--json', 'the report as JSON')
    .option('--save <report.json>', 'also write the JSON report there, and its markdown table beside it (.md)')
    .option('--cross-check <method>', "the second method: snapshot (Δ of the heap snapshot's total; the default) or rss (ΔRSS)")
    .action(async (file: string, options) => write(await measureCommand(file, options, bar())));

  // `npm start [-- <file> [options]]`: measure, on the bundled example unless a file is given.
  root
    .command('start [file]', { hidden: true })
    .addOption(pointer())
    .option('--reps <list>', 'representations', REPRESENTATIONS.join(','))
    .option('--heap <MiB>', "the children's JS heap limit")
    .option('--json', 'the report as JSON')
    .action(async (file: string | undefined, options) => write(await measureCommand(file ?? 'examples/cargo.json', options, bar())));

  root
    .command('convert')
    .description('convert between JSON, NDJSON, .msx, Arrow IPC and Parquet, streamed (the format from the extension)')
    .argument('<in>', `the input (${EXTENSIONS.join(', ')})`)
    .requiredOption('-o, --output <out>', 'the output file (a .json output is always an array of records), or folder with --partition-by')
    .addOption(pointer())
    .option('--partition-by <paths>', 'write a Hive-partitioned Parquet folder by these paths, comma-separated')
    .option('--compression <codec>', 'Parquet codec: snappy (default), zstd, gzip, brotli, lz4_raw, uncompressed')
    .action(async (input: string, options) => {
      const summary = await convertCommand(input, options, bar());
      // A summary for people: on a terminal, not under --quiet; scripts get silence and the exit code.
      if (process.stderr.isTTY && root.opts().quiet !== true) process.stderr.write(summary);
    });

  root
    .command('inspect')
    .description('the schema tree: types, encodings, cardinality, nulls and missing, bytes per column')
    .argument('<file>')
    .addOption(pointer())
    .option('--json', 'as JSON: { file, records, schema, memory }')
    .action(async (file: string, options) => write(await inspectCommand(file, options, bar())));

  root
    .command('query')
    .description('filter records with a small expression language, then print, count, sum or group them')
    .argument('<file>')
    .option('--where <expression>', 'e.g. \'product.name == "Duper" and quantity.value > 2000\' (==, !=, <, <=, >, >=, in [..], is null, is missing, and, or, not, parentheses)')
    .option('--count', 'print the number of matching records')
    .option('--limit <n>', 'print at most n records')
    .option('--select <paths>', 'print only these paths of each record, comma-separated')
    .option('--group-by <paths>', 'count the matches per distinct value of these paths (with --sum: sum per value)')
    .option('--sum <path>', 'sum this path over the matches')
    .option('--json', 'print JSON (an array of records, or an object)')
    .option('--ndjson', 'print one record per line (the default)')
    .addOption(pointer())
    .action(async (file: string, options) => queryCommand(file, options, bar(), write));

  root
    .command('head')
    .description('print the first records, one JSON line each')
    .argument('<file>')
    .option('-n, --lines <n>', 'how many records', '10')
    .addOption(pointer())
    .action(async (file: string, options) => {
      const lines = Number(options.lines);
      if (!Number.isInteger(lines) || lines < 0) throw new UsageError(`-n must be a whole number (got ${JSON.stringify(options.lines)})`);
      await headCommand(file, { pointer: options.pointer, lines }, bar(), write);
    });

  root
    .command('types')
    .description('print a TypeScript type for the records, ready for Store<Name>')
    .argument('<file>')
    .option('--name <Name>', 'the type name', 'Record')
    .addOption(pointer())
    .action(async (file: string, options) => write(await typesCommand(file, options, bar())));

  return root;
}

async function main(argv: readonly string[]): Promise<void> {
  const debug = argv.includes('--debug');
  try {
    await program().parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help / version, exit code 0) already.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const e = error instanceof Error ? error : new Error(String(error));
    process.stderr.write(`memstore: ${oneLine(e)}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  }
}

/** The message on one line: a parse error's snippet and caret lines are dropped (its line and column stay). */
function oneLine(error: Error): string {
  const lines = error.message.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const head = lines[0] ?? error.name;
  return error instanceof MemstoreError || error instanceof UsageError ? head : `${error.name === 'Error' ? '' : `${error.name}: `}${head}`;
}

void main(process.argv.slice(2));
