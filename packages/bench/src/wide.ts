// Wide objects: one object with many distinct keys (issue 10: 100,000 keys took over 60 s in
// fromJSON, because each new key scanned every field). Each round is a fresh child process that
// times JSON.parse of the text (median of 3), then Store.fromJSON and Store.fromRecords once
// each; the report gives the medians over rounds and their ratio to JSON.parse.
//   node dist/wide.js [--keys 100000] [--rounds 3] [--out results/wide.json]
// Target (reported, never enforced): within 3x JSON.parse. The values keep their kind: a field
// changing kind makes the parser reparse the record once per such field (the note below).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Store } from '@memstore/core';
import { fmtFixed, fmtInt, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, writeResults } from './cli';

export const TARGET_RATIO = 3;

interface Round {
  jsonParseMs: number;
  fromJSONMs: number;
  fromRecordsMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Two records of `keys` keys each, the second in reverse key order. */
function wideText(keys: number): string {
  const first: Record<string, number> = {};
  const second: Record<string, number> = {};
  for (let i = 0; i < keys; i++) first[`key${i}`] = i;
  for (let i = keys - 1; i >= 0; i--) second[`key${i}`] = i * 2;
  return JSON.stringify([first, second]);
}

async function child(keys: number): Promise<void> {
  const text = wideText(keys);
  const parses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    JSON.parse(text);
    parses.push(performance.now() - start);
  }
  let start = performance.now();
  const parsed = await Store.fromJSON(text);
  const fromJSONMs = performance.now() - start;
  const records = JSON.parse(text) as unknown[];
  start = performance.now();
  const built = await Store.fromRecords(records);
  const fromRecordsMs = performance.now() - start;
  if (parsed.length !== 2 || built.length !== 2) throw new Error('wide: wrong record count');
  const round: Round = { jsonParseMs: median(parses), fromJSONMs, fromRecordsMs };
  process.stdout.write(JSON.stringify(round) + '\n');
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['keys', 'rounds', 'out', 'child']);
  const childKeys = stringFlag(args, 'child');
  if (childKeys !== undefined) return child(Number(childKeys));
  const keys = intFlag(args, 'keys', 100_000);
  const roundCount = intFlag(args, 'rounds', 3);
  const machine = machineFacts();
  const rounds: Round[] = [];
  for (let i = 0; i < roundCount; i++) {
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(keys)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`wide: child failed: ${run.stderr.trim().split('\n').pop()}`);
    rounds.push(JSON.parse(run.stdout.trim()) as Round);
  }
  const jsonParseMs = median(rounds.map((round) => round.jsonParseMs));
  const fromJSONMs = median(rounds.map((round) => round.fromJSONMs));
  const fromRecordsMs = median(rounds.map((round) => round.fromRecordsMs));
  const result = { machine, keys, rounds, jsonParseMs, fromJSONMs, fromRecordsMs, fromJSONRatio: fromJSONMs / jsonParseMs, fromRecordsRatio: fromRecordsMs / jsonParseMs, targetRatio: TARGET_RATIO };
  const table = markdownTable(
    ['load', 'median ms', '× JSON.parse', `within ${TARGET_RATIO}x`],
    [
      ['JSON.parse', fmtInt(jsonParseMs), '1.0', ''],
      ['Store.fromJSON', fmtInt(fromJSONMs), fmtFixed(result.fromJSONRatio, 1), result.fromJSONRatio <= TARGET_RATIO ? 'yes' : 'no'],
      ['Store.fromRecords', fmtInt(fromRecordsMs), fmtFixed(result.fromRecordsRatio, 1), result.fromRecordsRatio <= TARGET_RATIO ? 'yes' : 'no'],
    ],
    'lrrl',
  );
  const note =
    'Values keep their kind here. A field that changes kind (a string where ints were) stops the parse, ' +
    'is rebuilt as mixed, and the record is parsed again: a wide record with many such fields costs one ' +
    'reparse per field (quadratic; not measured here).';
  const markdown = `## Wide objects: 2 records of ${fmtInt(keys)} distinct keys each, ${roundCount} fresh processes (medians)\n\nMachine: ${machineLine(machine)}\n\n${table}\n\n${note}\n`;
  const paths = writeResults(stringFlag(args, 'out'), 'wide.json', result, markdown);
  process.stdout.write(`${markdown}\nwrote ${paths.json} and ${paths.md}\n`);
}

runMain('wide', main);
