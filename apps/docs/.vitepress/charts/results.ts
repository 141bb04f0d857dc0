// The bench's results files, read at build time: every figure the site shows comes from one of
// them (packages/bench/results/*.json), with the machine and date it was measured on.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'packages', 'bench', 'results');

/** Machine facts as the bench (cpuModel, cpuCount) or the CLI (cpu, cpus) write them. */
interface RawMachine {
  cpuModel?: string;
  cpu?: string;
  cpuCount?: number;
  cpus?: number;
  node: string;
  date: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  /** The day it was measured, YYYY-MM-DD. */
  day: string;
}

export function machineOf(raw: RawMachine): Machine {
  return { cpu: raw.cpuModel ?? raw.cpu ?? 'unknown CPU', cores: raw.cpuCount ?? raw.cpus ?? 0, node: raw.node, day: raw.date.slice(0, 10) };
}

/** "Intel Xeon × 2, Node v20.20.2, 2026-12-03" — said under every chart and table. */
export function machineLine(machine: Machine): string {
  return `${machine.cpu} × ${machine.cores}, Node ${machine.node}, measured ${machine.day}`;
}

export function readResults<T>(name: string): T {
  return JSON.parse(readFileSync(join(RESULTS_DIR, name), 'utf8')) as T;
}

/** Every results file a page reads: the data loader watches them, so a new run rebuilds the charts. */
export const RESULT_FILES = ['measure-cargo-1m.json', 'measure-events-100k.json', 'suite.json', 'suite-events-100k.json', 'suite-cargo-10m.json', 'persist.json', 'parquet-vs-duckdb.json', 'convert-3gib.json', 'feeds.json'];
