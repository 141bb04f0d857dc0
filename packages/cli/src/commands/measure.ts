// `memstore measure <file>`: the file in every representation, each in its own child process, in
// one table (or the JSON report): records, retained bytes, bytes per record, ratio to the file,
// load time, peak RSS, and each figure's cross-check by a second method.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DESCRIPTIONS, REPRESENTATIONS, type RepresentationName } from '../represent/index';
import { measureFile, type MeasureReport } from '../measure/run';
import { assertFile } from '../open';
import { UsageError } from '../text/errors';
import { fmtBytes, fmtFixed, fmtInt, table } from '../text/numbers';
import type { Progress } from '../text/progress';

export interface MeasureCommandOptions {
  pointer?: string;
  reps: string;
  json?: boolean;
  heap?: string;
  /** Also write the JSON report to this path, and its markdown beside it (.md). */
  save?: string;
  /** 'snapshot' (the default) or 'rss'. */
  crossCheck?: string;
}

export async function measureCommand(file: string, options: MeasureCommandOptions, progress: Progress): Promise<string> {
  await assertFile(file);
  const representations = parseReps(options.reps);
  const execArgv = options.heap === undefined ? [] : [`--max-old-space-size=${positiveInt(options.heap, '--heap')}`];
  if (options.crossCheck !== undefined && options.crossCheck !== 'snapshot' && options.crossCheck !== 'rss') throw new UsageError(`--cross-check: 'snapshot' or 'rss' (got ${JSON.stringify(options.crossCheck)})`);
  const report = await measureFile(file, {
    crossCheck: options.crossCheck === undefined ? undefined : options.crossCheck === 'rss' ? 'ΔRSS' : 'heap snapshot',
    pointer: options.pointer,
    representations,
    execArgv,
    onStep: (name, index, done) => (done ? progress.end() : progress.update(`measuring ${name} (${index + 1} of ${representations.length})`, index, representations.length)),
  });
  if (report.representations.length === 0) throw new Error(`no representation could load ${file}: ${report.failed.map((f) => `${f.name}: ${f.error}`).join('; ')}`);
  if (options.save !== undefined) {
    const json = options.save.endsWith('.json') ? options.save : `${options.save}.json`;
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(json.replace(/\.json$/, '.md'), markdown(report, basename(json)));
  }
  return options.json ? `${JSON.stringify(report, null, 2)}\n` : render(report);
}

/** The report as a markdown table, for a results folder (generated from the same figures as the JSON). */
export function markdown(report: MeasureReport, jsonName: string): string {
  const m = report.machine;
  const plain = report.representations.find((r) => r.name === 'plain');
  let text = `## memstore measure: ${basename(report.file)} (${fmtInt(report.records)} records, ${fmtBytes(report.bytes)})\n\n`;
  text += `Machine: ${m.cpu} × ${m.cpus}, ${fmtBytes(m.memoryBytes)}, ${m.os}, Node ${m.node}, ${m.date}, load average ${m.loadAverage.join(' ')}\n\n`;
  text += '| representation | retained | B/record | × file | plain ÷ it | load ms | peak RSS | cross-check | agrees |\n|---|---:|---:|---:|---:|---:|---:|---|---|\n';
  for (const r of report.representations) {
    const ratio = plain === undefined || r.retainedBytes <= 0 ? '—' : `${fmtFixed(plain.retainedBytes / r.retainedBytes, 1)}×`;
    text += `| ${r.name} | ${fmtBytes(r.retainedBytes)} | ${fmtFixed(r.bytesPerRecord, 1)} | ${fmtFixed(r.ratioToFile, 3)} | ${ratio} | ${fmtInt(r.loadMs)} | ${fmtBytes(r.peakRssBytes)} | ${fmtBytes(r.crossCheck.bytes)} (${r.crossCheck.method}) | ${r.crossCheck.agrees ? 'yes' : '**no**'} |\n`;
  }
  for (const failure of report.failed) text += `\n${failure.name}: could not load the file: ${failure.error}\n`;
  text += '\n';
  for (const r of report.representations) text += `- \`${r.name}\`: ${DESCRIPTIONS[r.name]}\n`;
  text += `\nEach representation in its own fresh \`node --expose-gc\` child; retained = Δ(heapUsed + external) at rest (gc until stable), input dropped; `;
  text += `the cross-check is a second method (Δ of the heap snapshot's total; ΔRSS under \`--cross-check rss\`), agreeing within max(10%, 2 MiB). Figures: \`${jsonName}\`, written by \`memstore measure <file> --save <it>\`.\n`;
  return text;
}

function parseReps(list: string): RepresentationName[] {
  const names = list.split(',').map((name) => name.trim()).filter((name) => name !== '');
  for (const name of names) if (!(REPRESENTATIONS as readonly string[]).includes(name)) throw new UsageError(`--reps: unknown representation ${JSON.stringify(name)}; known: ${REPRESENTATIONS.join(', ')}`);
  if (names.length === 0) throw new UsageError(`--reps needs at least one of ${REPRESENTATIONS.join(', ')}`);
  return [...new Set(names)] as RepresentationName[];
}

export function positiveInt(text: string, flag: string): number {
  const value = Number(text.replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${flag} must be a positive integer (got ${JSON.stringify(text)})`);
  return value;
}

function render(report: MeasureReport): string {
  const plain = report.representations.find((r) => r.name === 'plain');
  const rows = report.representations.map((r) => [
    r.name,
    fmtBytes(r.retainedBytes),
    fmtFixed(r.bytesPerRecord, 1),
    fmtFixed(r.ratioToFile, 2),
    plain === undefined || r.retainedBytes <= 0 ? '—' : `${fmtFixed(plain.retainedBytes / r.retainedBytes, 1)}×`,
    fmtInt(r.loadMs),
    fmtBytes(r.peakRssBytes),
    `${fmtBytes(r.crossCheck.bytes)} (${r.crossCheck.method})${r.crossCheck.agrees ? '' : ' DISAGREES'}`,
  ]);
  const m = report.machine;
  let text = `${report.file}: ${fmtInt(report.records)} records, ${fmtBytes(report.bytes)}\n\n`;
  text += table(['representation', 'retained', 'B/record', '× file', 'plain ÷ it', 'load ms', 'peak RSS', 'cross-check'], rows, new Set([1, 2, 3, 4, 5, 6]));
  for (const failure of report.failed) text += `${failure.name}: could not load the file: ${failure.error}\n`;
  // One child's heap moves by a few hundred KiB with JIT code and feedback made or not: below 2 MiB a figure is an estimate.
  if (report.representations.some((r) => r.retainedBytes < 2 * 2 ** 20)) text += 'Figures under 2 MiB are within the noise of one process (a few hundred KiB): measure a larger file to compare them.\n';
  text += '\n';
  for (const r of report.representations) text += `  ${r.name.padEnd(9)} ${DESCRIPTIONS[r.name]}\n`;
  text += `\nEach representation in its own child (node --expose-gc): retained = Δ(heapUsed + external) after gc, input dropped;\n`;
  text += `cross-check: a second method (Δ of the heap snapshot's total; ΔRSS under --cross-check rss), flagged past max(10%, 2 MiB).\n`;
  text += `${m.cpu} × ${m.cpus}, ${fmtBytes(m.memoryBytes)}, ${m.os}, Node ${m.node}, ${m.date}, load ${m.loadAverage.join(' ')}\n`;
  return text;
}
