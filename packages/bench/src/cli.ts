// Shared by the command-line entries: argument parsing, machine facts, number formatting, and
// writing results (JSON + markdown) under packages/bench/results.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, arch, release, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/bench, found from this module's URL (dist/*.js or src/*.ts: both one level down). */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positional: string[];
}

/** `--name value`, `--name=value` and bare `--flag`; everything else is positional. */
export function parseArgs(argv: readonly string[], valued: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (eq !== -1) flags.set(name, arg.slice(eq + 1));
    else if (valued.includes(name)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else flags.set(name, true);
  }
  return { flags, positional };
}

export class UsageError extends Error {}

/** A positive integer flag; accepts 1000000, 1_000_000, 1,000,000 and 1e6. */
export function intFlag(args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.flags.get(name);
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' ? Number(raw.replace(/[_,]/g, '')) : NaN;
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`--${name} must be a positive integer (got ${String(raw)})`);
  return value;
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const raw = args.flags.get(name);
  if (raw === true) throw new UsageError(`--${name} needs a value`);
  return raw;
}

export interface MachineFacts {
  cpuModel: string;
  cpuCount: number;
  totalMemoryBytes: number;
  os: string;
  node: string;
  v8: string;
  date: string;
  /** 1-, 5- and 15-minute load averages when the facts were taken: other work on the machine skews timings. */
  loadAverage: number[];
}

export function machineFacts(): MachineFacts {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cpuCount: cpuList.length,
    totalMemoryBytes: totalmem(),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
    loadAverage: loadavg(),
  };
}

export function machineLine(machine: MachineFacts): string {
  return (
    `${machine.cpuModel} × ${machine.cpuCount}, ${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB RAM, ` +
    `${machine.os}, Node ${machine.node} (V8 ${machine.v8}), ${machine.date}` +
    (machine.loadAverage ? `, load average ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}` : '')
  );
}

/**
 * Writes `<out>` (JSON) and the same name with `.md` (markdown). `out` is relative to the
 * working directory when given, else results/<defaultName> in packages/bench.
 */
export function writeResults(out: string | undefined, defaultName: string, json: object, markdown: string): { json: string; md: string } {
  const jsonPath = out === undefined ? resolve(PACKAGE_DIR, 'results', defaultName) : resolve(out);
  const mdPath = jsonPath.replace(/\.json$/i, '') + '.md';
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, JSON.stringify(json, null, 2) + '\n');
  writeFileSync(mdPath, markdown);
  return { json: jsonPath, md: mdPath };
}

export const MiB = 2 ** 20;

export function fmtInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function fmtFixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

export function fmtMiB(bytes: number): string {
  return (bytes / MiB).toFixed(2);
}

/** A markdown table; numbers right-aligned when `align` says 'r'. */
export function markdownTable(header: string[], rows: string[][], align: string = ''): string {
  const widths = header.map((cell, c) => Math.max(cell.length, ...rows.map((row) => row[c].length)));
  const pad = (cell: string, c: number) => (align[c] === 'r' ? cell.padStart(widths[c]) : cell.padEnd(widths[c]));
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (align[c] === 'r' ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Runs a CLI main: usage errors and failures print one line (stack with --debug) and exit 1. */
export function runMain(name: string, main: (argv: string[]) => Promise<void>): void {
  const argv = process.argv.slice(2);
  const debug = argv.includes('--debug');
  main(argv).then(
    () => {
      process.exitCode ??= 0;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name}: ${message}\n`);
      if (debug && error instanceof Error) {
        process.stderr.write(`${error.stack ?? ''}\n`);
        const childStack = (error as { childStack?: string }).childStack;
        if (childStack) process.stderr.write(`(in the child process)\n${childStack}\n`);
      }
      process.exitCode = 1;
    },
  );
}
