// "Larger than the JS heap": a 3 GiB cargo NDJSON file loaded by Store.fromFile in a child whose
// V8 heap is capped at 256 MiB (node --max-old-space-size=256), and the same file NOT loadable by
// JSON.parse under the same cap.
//   node dist/bigfile.js [--dir DIR] [--bytes 3221225472] [--heap 256] [--seed N] [--keep]
//                        [--no-stream-demo] [--out results/bigfile.json]
// Steps: check free space in DIR (fs.statfs; refuse below 4 GiB, or below the file + 1 GiB for a
// bigger --bytes); stream the file to DIR/memstore-bigfile-*/cargo.ndjson; child 1 loads it with
// Store.fromFile (progress every ~10% on stderr); child 2 tries JSON.parse(readFileSync(file,
// 'utf8')) and reports the error; child 3 (unless --no-stream-demo) tries the streaming way round
// that (readline + one JSON.parse per line, records kept in an array) and runs out of heap. The
// file is deleted at the end unless --keep. Nothing is asserted: the verdicts are reported.
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fmtFixed, fmtInt, fmtMiB, intFlag, machineFacts, machineLine, markdownTable, MiB, parseArgs, runMain, stringFlag, UsageError, writeResults } from './cli';
import { DEFAULT_SEED } from './datasets';
import { writeCargoFile, type CargoFile } from './measure/cargoFile';
import { measureLoad, runLoadChild, type ChildOutcome, type LoadResult } from './measure/load';

const GiB = 2 ** 30;
export const DEFAULT_BYTES = 3 * GiB;
export const MIN_FREE_BYTES = 4 * GiB;
/** Peak RSS may exceed the WASM memory by at most this (Node itself, stream buffers, the JS heap). */
export const RSS_HEADROOM_BYTES = 128 * MiB;
const STREAM_DEMO_TIMEOUT_MS = 10 * 60_000;

export interface FailureDemo {
  how: string;
  /** true when the child loaded the file after all (the demo failed). */
  loaded: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The child's peak RSS up to the failure, when it lived to report it (not after a V8 fatal error). */
  maxRssBytes: number | null;
  /** The child's last progress line (how far it got), if it printed one. */
  lastProgress: string | null;
  /** Last lines of the child's stderr (V8's fatal message and native stack when it ran out of heap). */
  stderrTail: string;
  ms: number;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['dir', 'bytes', 'heap', 'seed', 'out']);
  const parent = resolve(stringFlag(args, 'dir') ?? tmpdir());
  const bytes = intFlag(args, 'bytes', DEFAULT_BYTES);
  const heapMiB = intFlag(args, 'heap', 256);
  const seed = intFlag(args, 'seed', DEFAULT_SEED);
  const keep = args.flags.has('keep');
  const streamDemo = !args.flags.has('no-stream-demo');
  const execArgv = [`--max-old-space-size=${heapMiB}`];

  // Taken first: the load average then is other work's, not this benchmark's.
  const machine = machineFacts();
  // 1. Free space.
  let freeBytes: number;
  try {
    const fsStats = statfsSync(parent);
    freeBytes = Number(fsStats.bavail) * Number(fsStats.bsize);
  } catch (error) {
    throw new UsageError(`cannot check free space in ${parent}: ${(error as Error).message}`);
  }
  const needBytes = Math.max(MIN_FREE_BYTES, bytes + GiB);
  if (freeBytes < needBytes) {
    throw new UsageError(
      `refusing to write a ${fmtFixed(bytes / GiB, 2)} GiB file: ${parent} has ${fmtFixed(freeBytes / GiB, 2)} GiB free, ` +
        `${fmtFixed(needBytes / GiB, 2)} GiB needed (pick another disk with --dir)`,
    );
  }

  const dir = mkdtempSync(join(parent, 'memstore-bigfile-'));
  const path = join(dir, 'cargo.ndjson');
  let file: CargoFile | null = null;
  try {
    // 2. The file, streamed.
    process.stderr.write(`writing ${fmtInt(bytes)} bytes of cargo NDJSON to ${path} (${fmtFixed(freeBytes / GiB, 1)} GiB free)…\n`);
    let nextReport = 0.1;
    const writeStarted = performance.now();
    file = writeCargoFile(path, {
      format: 'ndjson',
      targetBytes: bytes,
      seed,
      onProgress: (written) => {
        if (written >= bytes * nextReport) {
          process.stderr.write(`  written ${Math.round(nextReport * 100)}%\n`);
          while (written >= bytes * nextReport) nextReport += 0.1;
        }
      },
    });
    const writeMs = performance.now() - writeStarted;
    process.stderr.write(`  ${fmtInt(file.records)} records, ${fmtInt(file.bytes)} bytes in ${fmtFixed(writeMs / 1000, 1)} s\n`);

    // 3. memstore under the heap cap.
    process.stderr.write(`memstore: Store.fromFile in node ${execArgv.join(' ')}…\n`);
    const memstore = await measureLoad({ method: 'memstore', file: path, format: 'ndjson', progress: true }, execArgv);
    const reserved = memstore.store!.reservedBytes;
    const rssWithin = memstore.maxRssBytes < reserved + RSS_HEADROOM_BYTES;
    process.stderr.write(
      `  ${fmtInt(memstore.records)} records in ${fmtFixed(memstore.ms / 1000, 1)} s, reserved ${fmtMiB(reserved)} MiB, peak RSS ${fmtMiB(memstore.maxRssBytes)} MiB\n`,
    );

    // 4. JSON.parse under the same cap.
    process.stderr.write(`JSON.parse(readFileSync(file, 'utf8')) in node ${execArgv.join(' ')}…\n`);
    const whole = await failureDemo("JSON.parse(readFileSync(file, 'utf8'))", await timed(() => runLoadChild({ method: 'json-parse-whole', file: path, format: 'ndjson', skipChecks: true }, execArgv, { forwardStderr: false })));
    process.stderr.write(`  ${whole.loaded ? 'LOADED (unexpected)' : `failed: ${whole.errorCode ?? ''} ${whole.errorMessage ?? ''}`}\n`);

    let stream: FailureDemo | null = null;
    if (streamDemo) {
      process.stderr.write(`readline + JSON.parse per line, records kept, in node ${execArgv.join(' ')}…\n`);
      stream = await failureDemo(
        'readline over createReadStream, JSON.parse(line) pushed to an array',
        await timed(() => runLoadChild({ method: 'json-parse-stream', file: path, format: 'ndjson', progress: true, skipChecks: true }, execArgv, { timeoutMs: STREAM_DEMO_TIMEOUT_MS, forwardStderr: false })),
      );
      process.stderr.write(`  ${stream.loaded ? 'LOADED (unexpected)' : `failed: ${stream.errorMessage ?? `exit ${stream.exitCode ?? stream.signal}`}`}\n`);
      if (stream.lastProgress !== null) process.stderr.write(`  last progress: ${stream.lastProgress}\n`);
    }

    const consistent = memstore.records === file.records;
    const verdict = {
      recordsMatch: consistent,
      peakRssBelowReservedPlus128MiB: rssWithin,
      jsonParseFailed: !whole.loaded,
      streamJsonParseFailed: stream === null ? null : !stream.loaded,
    };
    const markdown = renderMarkdown(file, writeMs, heapMiB, memstore, whole, stream, verdict, machineLine(machine), keep);
    process.stdout.write(markdown);
    const written = writeResults(
      stringFlag(args, 'out'),
      'bigfile.json',
      { kind: 'bigfile', machine, heapMiB, file: { ...file, writeMs, kept: keep }, memstore, mbPerSecond: file.bytes / 1e6 / (memstore.ms / 1000), jsonParseWhole: whole, jsonParseStream: stream, verdict, markdown },
      markdown,
    );
    process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
    if (!consistent) throw new Error(`memstore stored ${memstore.records} records; the file has ${file.records}`);
  } finally {
    if (keep && file !== null) process.stderr.write(`kept ${path}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(run: () => Promise<ChildOutcome>): Promise<ChildOutcome & { ms: number }> {
  const started = performance.now();
  const outcome = await run();
  return { ...outcome, ms: performance.now() - started };
}

async function failureDemo(how: string, outcome: ChildOutcome & { ms: number }): Promise<FailureDemo> {
  const message = outcome.message;
  const fatal = /FATAL ERROR: [^\n]*/.exec(outcome.stderr)?.[0] ?? null;
  const lines = outcome.stderr.trim().split('\n');
  const tail = lines.slice(-16).join('\n');
  const lastProgress = [...lines].reverse().find((line) => line.includes('readline + JSON.parse:'))?.trim().replace(/^readline \+ JSON\.parse: /, '') ?? null;
  return {
    how,
    loaded: message?.ok === true,
    errorCode: message?.ok === false ? (message.code ?? message.name ?? null) : null,
    errorMessage: message?.ok === false ? message.message : (fatal ?? (outcome.timedOut ? `killed after ${STREAM_DEMO_TIMEOUT_MS / 60_000} min` : null)),
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timedOut: outcome.timedOut,
    maxRssBytes: message?.ok === false ? message.maxRssBytes : message?.ok === true ? message.result.maxRssBytes : null,
    lastProgress,
    stderrTail: tail,
    ms: outcome.ms,
  };
}

function renderMarkdown(
  file: CargoFile,
  writeMs: number,
  heapMiB: number,
  memstore: LoadResult,
  whole: FailureDemo,
  stream: FailureDemo | null,
  verdict: { recordsMatch: boolean; peakRssBelowReservedPlus128MiB: boolean; jsonParseFailed: boolean; streamJsonParseFailed: boolean | null },
  machine: string,
  keep: boolean,
): string {
  const store = memstore.store!;
  const table = markdownTable(
    ['what', 'value'],
    [
      ['file', `${fmtInt(file.bytes)} bytes (${fmtFixed(file.bytes / GiB, 2)} GiB) NDJSON, ${fmtInt(file.records)} records (written in ${fmtFixed(writeMs / 1000, 1)} s)`],
      ['child', `node --max-old-space-size=${heapMiB}`],
      ['records stored', fmtInt(memstore.records)],
      ['load time', `${fmtFixed(memstore.ms / 1000, 2)} s`],
      ['MB/s', fmtFixed(file.bytes / 1e6 / (memstore.ms / 1000), 1)],
      ['store.memory().totalBytes', `${fmtInt(store.totalBytes)} (${fmtMiB(store.totalBytes)} MiB, ${fmtFixed(store.totalBytes / memstore.records, 2)} B/record)`],
      ['store.memory().reservedBytes', `${fmtInt(store.reservedBytes)} (${fmtMiB(store.reservedBytes)} MiB)`],
      ['peak RSS of the child', `${fmtInt(memstore.maxRssBytes)} (${fmtMiB(memstore.maxRssBytes)} MiB)`],
      ['peak RSS < reservedBytes + 128 MiB', `${verdict.peakRssBelowReservedPlus128MiB ? 'yes' : 'NO'} (${fmtMiB(memstore.maxRssBytes - store.reservedBytes)} MiB above reserved)`],
    ],
    'll',
  );
  const demo = (d: FailureDemo) =>
    `- \`${d.how}\` under \`--max-old-space-size=${heapMiB}\`: ` +
    (d.loaded
      ? '**loaded** (the demonstration failed).'
      : `failed after ${fmtFixed(d.ms / 1000, 1)} s — ${d.errorCode ? `${d.errorCode}: ` : ''}${d.errorMessage ?? `exit ${d.exitCode ?? d.signal}`}` +
        (d.exitCode !== null && d.exitCode !== 1 ? ` (child exit code ${d.exitCode})` : d.signal ? ` (signal ${d.signal})` : '') +
        (d.maxRssBytes !== null ? `; peak RSS ${fmtMiB(d.maxRssBytes)} MiB` : '') +
        (d.lastProgress ? `; it had got to ${d.lastProgress}` : ''));
  return [
    `## Larger than the JS heap: a ${fmtFixed(file.bytes / GiB, 2)} GiB NDJSON file under a ${heapMiB} MiB V8 heap`,
    '',
    `Machine: ${machine}`,
    '',
    table,
    '',
    'Plain JS under the same cap:',
    demo(whole),
    ...(stream ? [demo(stream)] : []),
    '',
    `Peak RSS = the child's process.resourceUsage().maxRSS × 1024. The file was ${keep ? 'kept' : 'deleted afterwards'}.`,
    '',
  ].join('\n');
}

runMain('bigfile', main);
