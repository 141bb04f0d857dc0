// `memstore measure`: each representation of one file in its own fresh child (child.ts), one
// after another (so each load time has the machine to itself), and the report in the issue's
// JSON shape: { file, bytes, records, machine, representations: [{ name, retainedBytes,
// bytesPerRecord, loadMs, peakRssBytes, crossCheck: { method, bytes, agrees } }] }.
import { fork } from 'node:child_process';
import { statSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem, arch } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RepresentationName } from '../represent/index';
import type { ChildResult, ChildSpec, CrossCheckMethod } from './child';

export interface Machine {
  cpu: string;
  cpus: number;
  memoryBytes: number;
  os: string;
  node: string;
  date: string;
  loadAverage: number[];
}

export interface RepresentationReport {
  name: RepresentationName;
  retainedBytes: number;
  bytesPerRecord: number;
  /** retainedBytes ÷ the file's size. */
  ratioToFile: number;
  loadMs: number;
  peakRssBytes: number;
  crossCheck: { method: CrossCheckMethod; bytes: number; agrees: boolean };
  records: number;
  heapUsedDelta: number;
  externalDelta: number;
  rssDelta: number;
}

export interface MeasureReport {
  file: string;
  bytes: number;
  records: number;
  machine: Machine;
  representations: RepresentationReport[];
  /** Representations that could not load the file (JSON.parse of a file over 512 MiB), with why. */
  failed: Array<{ name: RepresentationName; error: string }>;
}

/**
 * The method that checks each figure: the heap snapshot's total for every representation. V8 walks
 * the heap object by object and sizes each ArrayBuffer's backing store from the buffer itself (the
 * WASM memory, Arrow's buffers), where process.memoryUsage() reads the spaces' and the allocator's
 * counters. ΔRSS is in the report too (rssDelta) but is no check: it counts heap pages V8 keeps
 * after the load and memory the allocator holds after frees — 10.5 to 17.9 MB across runs for the
 * 10.4 MB store of 1M cargo records, 224 MiB against 202 retained for the events' plain objects.
 */
export const CROSS_CHECK: Readonly<Record<RepresentationName, CrossCheckMethod>> = {
  plain: 'heap snapshot',
  class: 'heap snapshot',
  interned: 'heap snapshot',
  memstore: 'heap snapshot',
  arrow: 'heap snapshot',
};

/** Figures agree when within max(10%, 2 MiB) of each other: a few MiB of heap pages come and go with any load. */
export function agrees(retained: number, check: number): boolean {
  return Math.abs(check - retained) <= Math.max(0.1 * Math.abs(retained), 2 * 2 ** 20);
}

export interface MeasureOptions {
  pointer?: string;
  representations: readonly RepresentationName[];
  crossCheck?: CrossCheckMethod;
  /** Told when each representation starts and ends (the progress line). */
  onStep?: (name: RepresentationName, index: number, done: boolean) => void;
  /** V8 flags for the children (e.g. a larger heap for plain objects of a big file). */
  execArgv?: readonly string[];
}

export async function measureFile(file: string, options: MeasureOptions): Promise<MeasureReport> {
  const bytes = statSync(file).size;
  const representations: RepresentationReport[] = [];
  const failed: MeasureReport['failed'] = [];
  for (const [index, name] of options.representations.entries()) {
    options.onStep?.(name, index, false);
    const method = options.crossCheck ?? CROSS_CHECK[name];
    try {
      const result = await runChild({ representation: name, file, pointer: options.pointer, crossCheck: method }, options.execArgv ?? []);
      representations.push({
        name,
        retainedBytes: result.retainedBytes,
        bytesPerRecord: result.records === 0 ? 0 : result.retainedBytes / result.records,
        ratioToFile: bytes === 0 ? 0 : result.retainedBytes / bytes,
        loadMs: result.loadMs,
        peakRssBytes: result.peakRssBytes,
        crossCheck: { method, bytes: result.crossCheckBytes, agrees: agrees(result.retainedBytes, result.crossCheckBytes) },
        records: result.records,
        heapUsedDelta: result.heapUsedDelta,
        externalDelta: result.externalDelta,
        rssDelta: result.rssDelta,
      });
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      failed.push({ name, error: error.message });
    }
    options.onStep?.(name, index, true);
  }
  const counts = new Set(representations.map((r) => r.records));
  if (counts.size > 1) throw new Error(`the representations disagree on the record count: ${representations.map((r) => `${r.name} ${r.records}`).join(', ')}`);
  return { file, bytes, records: representations[0]?.records ?? 0, machine: machine(), representations, failed };
}

/** A representation's child reported an error (or died): the others still run. */
export class ChildError extends Error {
  override name = 'ChildError';
}

const CHILD = resolve(dirname(fileURLToPath(import.meta.url)), 'measure', 'child.js');

function runChild(spec: ChildSpec, execArgv: readonly string[]): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(CHILD, [JSON.stringify(spec)], { execArgv: ['--expose-gc', ...execArgv], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let message: { ok: true; result: ChildResult } | { ok: false; message: string } | undefined;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('message', (received) => {
      message = received as typeof message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (message?.ok === true) resolvePromise(message.result);
      else if (message?.ok === false) reject(new ChildError(message.message));
      else {
        const oom = /heap out of memory|Reached heap limit/.test(stderr);
        reject(new ChildError(oom ? 'ran out of JS heap (give it more with --heap <MiB>)' : `the child exited with ${signal ?? `code ${code}`} before reporting${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`));
      }
    });
  });
}

export function machine(): Machine {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cpus: cpuList.length,
    memoryBytes: totalmem(),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
